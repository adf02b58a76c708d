/**
 * Platt scaling: P(y = 1 | score f) = 1 / (1 + exp(a·f + b)), a and b fitted by maximum likelihood on held-out
 * scores (Platt 1999), exactly the model of scikit-learn 1.2's `_sigmoid_calibration` (what
 * `CalibratedClassifierCV(method='sigmoid')` fits).
 *
 * Why: class weights and resampling teach a model that positives are common, so its scores overstate how
 * often a window binds. Two parameters, fitted on the validation split, map the scores back to frequencies
 * without touching their order (a < 0: the map is increasing, so AUROC, AUPRC and every ranking stay the same).
 * Two parameters also fit robustly on a validation split with few positives, where isotonic regression
 * overfits.
 *
 * The targets are Platt's smoothed labels, not 0/1: (N₊ + 1)/(N₊ + 2) for positives and 1/(N₋ + 2) for
 * negatives, N₊/N₋ the (weighted) class totals, a Bayesian prior that keeps a and b finite even when the
 * classes separate perfectly. The start point is sklearn's and Platt's: a = 0, b = log((N₋ + 1)/(N₊ + 1)).
 *
 * The fit is Newton's method with a backtracking line search, as in Lin, Lin & Weng (2007), "A note on
 * Platt's probabilistic outputs for support vector machines": the objective and its derivatives in their
 * overflow-free form, a ridge of 1e-12 on the Hessian's diagonal (it only shapes the step, not the optimum).
 * It stops at the optimum to machine precision: when a step moves a and b by less than 1e-12 of their size
 * (quadratic convergence puts the next one below rounding). Where the objective can no longer tell two points
 * apart (its changes fall below its rounding), a step is accepted if it lowers the gradient instead. sklearn
 * minimises the same objective with `fmin_bfgs`, which stops at a gradient norm of 1e-5; its a and b are
 * therefore within about 1e-5 of ours on tiny sets and within 1e-6 from about 60 samples on
 * (test/unit/calibration-sklearn.test.ts measures both distances against an exact mpmath optimum).
 *
 * `fit` takes decision scores: logits of a network (see `logit`), log-odds of a motif scan, any real score.
 */
import { CompensatedSum } from '../metrics/sum'
import { badParam, checkFitInput, checkScores, type FitOptions } from './validate'

export interface PlattParams {
  /** Slope: negative when higher scores mean positives more often. */
  a: number
  /** Intercept. */
  b: number
}

export interface PlattOptions {
  /** Newton iterations before giving up (a bug: the objective is convex and converges in ~10). Default 100. */
  maxIterations?: number
}

/** Lin et al.'s ridge on the Hessian's diagonal. */
const RIDGE = 1e-12
/** Armijo's sufficient decrease. */
const SUFFICIENT_DECREASE = 1e-4
/** A line search stops halving here. */
const MIN_STEP = 1e-10
/** A step this small (relative to the parameters) ends the iteration. */
const STEP_TOLERANCE = 1e-12
/** A Newton step no line search can improve on is the optimum when it is this small (relative). */
const ROUNDING_FLOOR = 1e-8

interface Evaluation {
  objective: number
  gA: number
  gB: number
  hAA: number
  hAB: number
  hBB: number
}

/** log(1 + exp(x)) without overflow. */
function log1pExp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))
}

export class PlattScaling {
  private fitted: PlattParams | undefined
  private readonly maxIterations: number
  /** Newton iterations the last fit took. */
  iterations = 0

  constructor(options: PlattOptions = {}) {
    const maxIterations = options.maxIterations ?? 100
    if (!Number.isInteger(maxIterations) || maxIterations < 1 || maxIterations > 10_000) {
      throw badParam('maxIterations', 'an integer from 1 to 10000', maxIterations)
    }
    this.maxIterations = maxIterations
  }

  /** A calibrator with stored parameters (e.g. read back from a project). */
  static fromParams(params: PlattParams): PlattScaling {
    for (const key of ['a', 'b'] as const) {
      if (typeof params[key] !== 'number' || !Number.isFinite(params[key])) {
        throw badParam(key, 'a finite number', params[key])
      }
    }
    const model = new PlattScaling()
    model.fitted = { a: params.a, b: params.b }
    return model
  }

  get params(): PlattParams {
    if (!this.fitted) throw new Error('PlattScaling: fit() first')
    return { ...this.fitted }
  }

  /**
   * Fits a and b on `scores` (decision scores) and labels `y` (0/1), optionally weighted. Both classes must be
   * present (`calibration.one_class`).
   */
  fit(scores: ArrayLike<number>, y: ArrayLike<number>, options: FitOptions = {}): this {
    const weights = checkFitInput(scores, y, options)
    const n = scores.length
    const f = Float64Array.from(scores)
    const w = weights === undefined ? new Float64Array(n).fill(1) : Float64Array.from(weights)
    let prior0 = 0
    let prior1 = 0
    for (let i = 0; i < n; i++) {
      if (y[i] === 1) prior1 += w[i]!
      else prior0 += w[i]!
    }
    const hiTarget = (prior1 + 1) / (prior1 + 2)
    const loTarget = 1 / (prior0 + 2)
    const t = new Float64Array(n)
    for (let i = 0; i < n; i++) t[i] = y[i] === 1 ? hiTarget : loTarget

    const evaluate = (A: number, B: number): Evaluation => {
      const objective = new CompensatedSum()
      const gA = new CompensatedSum()
      const gB = new CompensatedSum()
      let hAA = 0
      let hAB = 0
      let hBB = 0
      for (let i = 0; i < n; i++) {
        const wi = w[i]!
        if (wi === 0) continue
        const fi = f[i]!
        const x = A * fi + B
        // −[t·log P + (1 − t)·log(1 − P)] with P = 1/(1 + e^x) is log(1 + e^x) − (1 − t)·x.
        objective.add(wi * (log1pExp(x) - (1 - t[i]!) * x))
        const e = Math.exp(-Math.abs(x))
        const p = x >= 0 ? e / (1 + e) : 1 / (1 + e)
        const q = x >= 0 ? 1 / (1 + e) : e / (1 + e)
        const r = wi * (t[i]! - p)
        gA.add(r * fi)
        gB.add(r)
        const d = wi * p * q
        hAA += d * fi * fi
        hAB += d * fi
        hBB += d
      }
      return { objective: objective.value, gA: gA.value, gB: gB.value, hAA, hAB, hBB }
    }

    let A = 0
    let B = Math.log((prior0 + 1) / (prior1 + 1))
    let current = evaluate(A, B)
    let converged = false
    let iteration = 0
    while (iteration < this.maxIterations && !converged) {
      iteration++
      const { gA, gB } = current
      if (gA === 0 && gB === 0) {
        converged = true
        break
      }
      const h11 = current.hAA + RIDGE
      const h22 = current.hBB + RIDGE
      const h21 = current.hAB
      const det = h11 * h22 - h21 * h21
      const dA = -(h22 * gA - h21 * gB) / det
      const dB = -(-h21 * gA + h11 * gB) / det
      const slope = gA * dA + gB * dB
      const gradientNorm = Math.hypot(gA, gB)
      let step = 1
      let next: Evaluation | undefined
      while (step >= MIN_STEP) {
        const candidate = evaluate(A + step * dA, B + step * dB)
        const decrease = candidate.objective <= current.objective + SUFFICIENT_DECREASE * step * slope
        // Below the objective's rounding it cannot rank two points; the gradient still can.
        const indistinct =
          Math.abs(candidate.objective - current.objective) <=
          16 * Number.EPSILON * Math.abs(current.objective)
        if (decrease || (indistinct && Math.hypot(candidate.gA, candidate.gB) < gradientNorm)) {
          next = candidate
          break
        }
        step /= 2
      }
      if (!next) {
        // No point along a tiny Newton step is better, even by the gradient: the optimum, to rounding.
        // Along a large one it would be a bug (the direction descends while H is positive definite).
        converged =
          Math.abs(dA) <= ROUNDING_FLOOR * Math.max(1, Math.abs(A)) &&
          Math.abs(dB) <= ROUNDING_FLOOR * Math.max(1, Math.abs(B))
        break
      }
      A += step * dA
      B += step * dB
      current = next
      converged =
        Math.abs(step * dA) <= STEP_TOLERANCE * Math.max(1, Math.abs(A)) &&
        Math.abs(step * dB) <= STEP_TOLERANCE * Math.max(1, Math.abs(B))
    }
    if (!converged) {
      throw new Error(`PlattScaling: Newton's method did not converge in ${this.maxIterations} iterations`)
    }
    this.iterations = iteration
    this.fitted = { a: A, b: B }
    return this
  }

  /** Calibrated probabilities 1/(1 + exp(a·s + b)), computed as sklearn's `expit(-(a·s + b))`. */
  transform(scores: ArrayLike<number>): Float64Array {
    const { a, b } = this.params
    checkScores(scores)
    const out = new Float64Array(scores.length)
    for (let i = 0; i < scores.length; i++) out[i] = 1 / (1 + Math.exp(a * scores[i]! + b))
    return out
  }
}
