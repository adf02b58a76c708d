/**
 * The reliability curve (calibration curve): predicted probabilities cut into bins, and per non-empty bin the
 * mean predicted probability against the fraction of positives, as scikit-learn 1.2's
 * `calibration_curve(y_true, y_prob, n_bins, strategy)`, plus how many samples each bin holds (sklearn
 * computes them and drops them; a chart needs them to say how much a point can be trusted).
 *
 * Why: a calibrated model's points lie on the diagonal (of the windows given 0.3, 30% bind); a model trained
 * with class weights sits below it (it says 0.3 where 2% bind).
 *
 * Bins, to the last rounding of numpy:
 * - `uniform`: edges `linspace(0, 1, n + 1)`, i.e. i·(1/n), the last exactly 1;
 * - `quantile`: edges at the (i/n)-th percentiles of the probabilities (numpy's default linear
 *   interpolation), so each bin holds about as many samples; tied probabilities can make edges coincide and
 *   bins empty, and empty bins are left out.
 * A probability p falls into bin k = the number of interior edges strictly below p (`searchsorted` left).
 */
import { badParam, checkProbabilities } from './validate'

export type ReliabilityStrategy = 'uniform' | 'quantile'

export interface ReliabilityOptions {
  /** Number of bins, 1 to 1000 (default 5, as sklearn). */
  nBins?: number
  strategy?: ReliabilityStrategy
}

export interface ReliabilityCurve {
  /** Per non-empty bin, the fraction of positives (sklearn's `prob_true`). */
  observed: number[]
  /** Per non-empty bin, the mean predicted probability (sklearn's `prob_pred`). */
  predicted: number[]
  /** Per non-empty bin, the number of samples. */
  counts: number[]
}

/** numpy's linear-interpolation percentile of sorted values at quantile q (already divided by 100). */
function percentile(sorted: Float64Array, q: number): number {
  const n = sorted.length
  const virtual = (n - 1) * q
  if (virtual >= n - 1) return sorted[n - 1]!
  const previous = Math.floor(virtual)
  const a = sorted[previous]!
  const b = sorted[previous + 1]!
  const gamma = virtual - previous
  const diff = b - a
  // numpy's _lerp: from the nearer end, so the result stays between a and b.
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
}

/** The n + 1 bin edges of a strategy. */
export function binEdges(prob: ArrayLike<number>, nBins: number, strategy: ReliabilityStrategy): number[] {
  const step = 1 / nBins
  // numpy's linspace(0, 1, n + 1): i * step, the last set to exactly 1.
  const grid = Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? 1 : i * step))
  if (strategy === 'uniform') return grid
  const sorted = Float64Array.from(prob).sort()
  // percentile(prob, quantiles * 100) divides by 100 again; the round trip is part of the numbers.
  return grid.map((q) => percentile(sorted, (q * 100) / 100))
}

export function reliabilityCurve(
  yTrue: ArrayLike<number>,
  prob: ArrayLike<number>,
  options: ReliabilityOptions = {},
): ReliabilityCurve {
  const nBins = options.nBins ?? 5
  const strategy = options.strategy ?? 'uniform'
  if (!Number.isInteger(nBins) || nBins < 1 || nBins > 1000) {
    throw badParam('nBins', 'an integer from 1 to 1000', nBins)
  }
  if (strategy !== 'uniform' && strategy !== 'quantile') {
    throw badParam('strategy', "'uniform' or 'quantile'", strategy)
  }
  checkProbabilities(yTrue, prob)
  const edges = binEdges(prob, nBins, strategy)
  const inner = edges.slice(1, -1)
  const sums = new Float64Array(nBins + 1)
  const positives = new Float64Array(nBins + 1)
  const counts = new Float64Array(nBins + 1)
  for (let i = 0; i < prob.length; i++) {
    const p = prob[i]!
    // searchsorted(inner, p, side='left'): the first index whose edge is ≥ p.
    let lo = 0
    let hi = inner.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (inner[mid]! < p) lo = mid + 1
      else hi = mid
    }
    // bincount adds in the order of the samples.
    sums[lo]! += p
    positives[lo]! += yTrue[i]!
    counts[lo]!++
  }
  const curve: ReliabilityCurve = { observed: [], predicted: [], counts: [] }
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k]!
    if (c === 0) continue
    curve.observed.push(positives[k]! / c)
    curve.predicted.push(sums[k]! / c)
    curve.counts.push(c)
  }
  return curve
}
