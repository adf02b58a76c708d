/**
 * Isotonic calibration: the non-decreasing step function of the score that fits the labels best in (weighted)
 * least squares, interpolated linearly between its steps and clipped outside the scores it was fitted on;
 * exactly scikit-learn 1.2's `IsotonicRegression(out_of_bounds='clip', increasing=True)` (what
 * `CalibratedClassifierCV(method='isotonic')` fits).
 *
 * Why: it assumes no shape (Platt assumes a sigmoid of the score), so it corrects any monotone distortion,
 * but it needs many positives: with few it overfits the validation split and turns runs of scores into ties
 * (which lowers AUROC). Platt scaling is the safer default; isotonic is the choice for large validation sets.
 *
 * sklearn's steps, reproduced to the last rounding (test/unit/calibration-sklearn.test.ts, 1e-12):
 * 1. samples of weight 0 are dropped;
 * 2. samples are sorted by score, then label (numpy's `lexsort((y, X))`, stable);
 * 3. scores closer than 1e-15 (numpy's float64 `resolution`) to the first of a run are one score, its label
 *    the weighted mean of the run's labels (`_make_unique`; sums in sorted order);
 * 4. pool adjacent violators (PAVA) over those means with their total weights, sklearn's single-pass version;
 * 5. interior points equal to both neighbours are dropped (`trim_duplicates`);
 * 6. transform: a score is clipped to [min, max] of the fitted scores, then linearly interpolated as
 *    `numpy.interp` does (scipy's `interp1d` hands linear float64 interpolation to it).
 */
import { badParam, checkFitInput, checkScores, type FitOptions } from './validate'

/** numpy's `np.finfo(np.float64).resolution`: sklearn's tie tolerance of scores. */
export const SCORE_RESOLUTION = 1e-15

export interface IsotonicParams {
  /** Scores of the steps, increasing. */
  x: number[]
  /** Calibrated probability at each of them, non-decreasing. */
  y: number[]
  /** The range of fitted scores; transform clips to it. */
  xMin: number
  xMax: number
}

/** sklearn's `_inplace_contiguous_isotonic_regression`: PAVA in place on `y` with weights `w`. */
function pava(y: Float64Array, w: Float64Array): void {
  const n = y.length
  // target describes the blocks: if [i..j] is a block, target[i] = j and target[j] = i.
  const target = new Int32Array(n)
  for (let i = 0; i < n; i++) target[i] = i
  let i = 0
  while (i < n) {
    let k = target[i]! + 1
    if (k === n) break
    if (y[i]! < y[k]!) {
      i = k
      continue
    }
    let sumWy = w[i]! * y[i]!
    let sumW = w[i]!
    for (;;) {
      // Within a decreasing run: pool it.
      const prevY = y[k]!
      sumWy += w[k]! * y[k]!
      sumW += w[k]!
      k = target[k]! + 1
      if (k === n || prevY < y[k]!) {
        y[i] = sumWy / sumW
        w[i] = sumW
        target[i] = k - 1
        target[k - 1] = i
        // Step back one block so a new violation with the previous block is seen (single pass, O(n)).
        if (i > 0) i = target[i - 1]!
        break
      }
    }
  }
  // Every member of a block takes the block's value.
  i = 0
  while (i < n) {
    const k = target[i]! + 1
    for (let j = i + 1; j < k; j++) y[j] = y[i]!
    i = k
  }
}

export class IsotonicCalibration {
  private fitted: IsotonicParams | undefined

  /** A calibrator with stored parameters (e.g. read back from a project). */
  static fromParams(params: IsotonicParams): IsotonicCalibration {
    const { x, y, xMin, xMax } = params
    if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) {
      throw badParam('x', 'as many step scores as step values, at least one', { x: x?.length, y: y?.length })
    }
    for (let i = 0; i < x.length; i++) {
      if (
        !Number.isFinite(x[i]) ||
        !Number.isFinite(y[i]) ||
        (i > 0 && !(x[i]! > x[i - 1]! && y[i]! >= y[i - 1]!))
      ) {
        throw badParam('x', 'increasing finite scores with non-decreasing values', { index: i })
      }
    }
    if (!(xMin === x[0] && xMax === x[x.length - 1])) {
      throw badParam('xMin', 'the first and last step scores', { xMin, xMax })
    }
    const model = new IsotonicCalibration()
    model.fitted = { x: [...x], y: [...y], xMin, xMax }
    return model
  }

  get params(): IsotonicParams {
    const p = this.fitted
    if (!p) throw new Error('IsotonicCalibration: fit() first')
    return { x: [...p.x], y: [...p.y], xMin: p.xMin, xMax: p.xMax }
  }

  /** Fits the step function on `scores` and labels `y` (0/1), optionally weighted; both classes needed. */
  fit(scores: ArrayLike<number>, y: ArrayLike<number>, options: FitOptions = {}): this {
    const weights = checkFitInput(scores, y, options)
    // 1. Keep positive weights.
    const kept: number[] = []
    for (let i = 0; i < scores.length; i++) if (weights === undefined || weights[i]! > 0) kept.push(i)
    // 2. By score, then label, then position (lexsort is stable).
    kept.sort((i, j) => scores[i]! - scores[j]! || y[i]! - y[j]! || i - j)
    // 3. Runs of scores within the resolution of the run's first become one point.
    const ux: number[] = []
    const uy: number[] = []
    const uw: number[] = []
    let currentX = scores[kept[0]!]!
    let currentY = 0
    let currentW = 0
    for (const i of kept) {
      const x = scores[i]!
      const wi = weights === undefined ? 1 : weights[i]!
      if (x - currentX >= SCORE_RESOLUTION) {
        ux.push(currentX)
        uw.push(currentW)
        uy.push(currentY / currentW)
        currentX = x
        currentW = wi
        currentY = y[i]! * wi
      } else {
        currentW += wi
        currentY += y[i]! * wi
      }
    }
    ux.push(currentX)
    uw.push(currentW)
    uy.push(currentY / currentW)
    // 4. Pool adjacent violators.
    const fittedY = Float64Array.from(uy)
    pava(fittedY, Float64Array.from(uw))
    // 5. Drop interior points equal to both neighbours.
    const x: number[] = []
    const out: number[] = []
    for (let i = 0; i < ux.length; i++) {
      const interior = i > 0 && i < ux.length - 1
      if (interior && fittedY[i] === fittedY[i - 1] && fittedY[i] === fittedY[i + 1]) continue
      x.push(ux[i]!)
      out.push(fittedY[i]!)
    }
    this.fitted = { x, y: out, xMin: ux[0]!, xMax: ux[ux.length - 1]! }
    return this
  }

  /** Calibrated probabilities: clipped to the fitted range, then linear between the steps. */
  transform(scores: ArrayLike<number>): Float64Array {
    const { x, y, xMin, xMax } = this.fitted ?? this.params
    checkScores(scores)
    const out = new Float64Array(scores.length)
    const last = x.length - 1
    for (let i = 0; i < scores.length; i++) {
      const v = Math.min(Math.max(scores[i]!, xMin), xMax)
      if (last === 0) {
        out[i] = y[0]!
        continue
      }
      // j: the last step score ≤ v (numpy's binary search); v lies in [x[0], x[last]] after clipping.
      let lo = 0
      let hi = last
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (x[mid]! <= v) lo = mid
        else hi = mid - 1
      }
      const j = lo
      if (j === last || x[j] === v) out[i] = y[j]!
      else {
        const slope = (y[j + 1]! - y[j]!) / (x[j + 1]! - x[j]!)
        out[i] = slope * (v - x[j]!) + y[j]!
      }
    }
    return out
  }
}
