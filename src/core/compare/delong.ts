/**
 * DeLong's test of two correlated ROC areas: two models scored on the same samples (DeLong, DeLong &
 * Clarke-Pearson 1988, Biometrics 44:837), computed by the fast algorithm of Sun & Xu (2014, IEEE Signal
 * Processing Letters 21:1389) in O(n log n) instead of DeLong's O(m·n) pairs.
 *
 * Sun & Xu's observation: DeLong's placement values come from midranks. With m positives and n negatives,
 * T_z the midrank of a sample among all m + n scores, T_x among the positives only, T_y among the negatives:
 *   AUC        = (Σ_positives T_z − m(m+1)/2) / (m n)
 *   V10 (pos.) = (T_z − T_x) / n        share of negatives the positive outranks (ties count half)
 *   V01 (neg.) = 1 − (T_z − T_y) / m    share of positives that outrank the negative
 * and the covariance of the AUCs of k models is S10/m + S01/n, S the sample covariances (n − 1) of the
 * V's across models. The test of A against B is z = (AUC_A − AUC_B) / √(S_AA + S_BB − 2 S_AB), two-sided
 * p = erfc(|z|/√2). Midranks handle ties exactly as the trapezoid AUC of sklearn does.
 *
 * Reference: scripts/fixtures/make_compare_fixtures.py (the same algorithm in numpy, itself checked against
 * DeLong's definition and sklearn); test/unit/compare-delong.test.ts agrees to 1e-10.
 */
import { descendingOrder } from '../metrics/sort'
import { twoSidedP } from './normal'
import { checkLabelledScores, TOO_FEW } from './validate'
import { InputError } from '../../shared/errors'

export interface DelongCovariance {
  /** AUROC per model. */
  aucs: Float64Array
  /** k × k covariance of the AUCs, row-major. */
  covariance: Float64Array
  positives: number
  negatives: number
}

export interface DelongResult {
  aucA: number
  aucB: number
  /** aucA − aucB. */
  diff: number
  /** Standard error of the difference. */
  se: number
  /** diff / se; ±Infinity when se is 0 and the AUCs differ (e.g. a perfect model against a constant one). */
  z: number
  /** Two-sided p-value; 1 when the AUCs are equal. */
  p: number
}

/**
 * 1-based midranks in increasing order: tied values share the mean of the ranks they span. Values must be
 * finite (callers validate).
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length
  const order = n < RADIX_FROM ? comparatorDescending(values) : descendingOrder(values)
  const ranks = new Float64Array(n)
  let start = 0
  while (start < n) {
    let end = start + 1
    while (end < n && values[order[end]!] === values[order[start]!]) end++
    // Descending ranks start … end−1 are ascending positions n−end … n−1−start; mean, 1-based:
    const midrank = (2 * n - end - start + 1) / 2
    for (let r = start; r < end; r++) ranks[order[r]!] = midrank
    start = end
  }
  return ranks
}

/**
 * Below this many values a comparator sort beats the radix sort, whose fixed cost is its 4 × 65,536 counters
 * (~1 ms per call); tie order does not matter for midranks.
 */
const RADIX_FROM = 4096

function comparatorDescending(values: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(values.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  return order.sort((a, b) => values[b]! - values[a]!)
}

/** AUCs of several models on the same samples and their DeLong covariance (Sun & Xu's algorithm). */
export function delongCovariance(
  yTrue: ArrayLike<number>,
  scores: readonly ArrayLike<number>[],
): DelongCovariance {
  const named = Object.fromEntries(scores.map((s, k) => [scores.length === 1 ? 'scores' : `scores[${k}]`, s]))
  const { positives: m, negatives: n } = checkLabelledScores(yTrue, named)
  if (m < 2 || n < 2) {
    throw new InputError(TOO_FEW, 'The DeLong test needs at least 2 positives and 2 negatives.', {
      expected: 'at least 2 samples of each class',
      found: `${m} positives, ${n} negatives`,
      params: { positives: m, negatives: n },
    })
  }
  const k = scores.length
  const positiveIndex = new Uint32Array(m)
  const negativeIndex = new Uint32Array(n)
  for (let i = 0, p = 0, q = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) positiveIndex[p++] = i
    else negativeIndex[q++] = i
  }
  const aucs = new Float64Array(k)
  const v10 = scores.map(() => new Float64Array(m))
  const v01 = scores.map(() => new Float64Array(n))
  scores.forEach((s, r) => {
    // Positives first, then negatives, as the midrank formulas number them.
    const all = new Float64Array(m + n)
    positiveIndex.forEach((i, j) => (all[j] = s[i]!))
    negativeIndex.forEach((i, j) => (all[m + j] = s[i]!))
    const tz = midranks(all)
    const tx = midranks(all.subarray(0, m))
    const ty = midranks(all.subarray(m))
    let rankSum = 0
    for (let j = 0; j < m; j++) {
      rankSum += tz[j]!
      v10[r]![j] = (tz[j]! - tx[j]!) / n
    }
    for (let j = 0; j < n; j++) v01[r]![j] = 1 - (tz[m + j]! - ty[j]!) / m
    aucs[r] = (rankSum - (m * (m + 1)) / 2) / (m * n)
  })
  const s10 = covarianceMatrix(v10)
  const s01 = covarianceMatrix(v01)
  const covariance = new Float64Array(k * k)
  for (let i = 0; i < k * k; i++) covariance[i] = s10[i]! / m + s01[i]! / n
  return { aucs, covariance, positives: m, negatives: n }
}

/** The paired DeLong test of AUROC(A) against AUROC(B) on the same samples. */
export function delongTest(
  yTrue: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
): DelongResult {
  const { aucs, covariance } = delongCovariance(yTrue, [scoresA, scoresB])
  const [aucA, aucB] = aucs as unknown as [number, number]
  const diff = aucA - aucB
  // Var(A − B); rounding can leave a tiny negative where the true variance is 0.
  const variance = Math.max(0, covariance[0]! + covariance[3]! - 2 * covariance[1]!)
  const se = Math.sqrt(variance)
  if (diff === 0) return { aucA, aucB, diff, se, z: 0, p: 1 }
  const z = se === 0 ? (diff > 0 ? Infinity : -Infinity) : diff / se
  return { aucA, aucB, diff, se, z, p: twoSidedP(z) }
}

/** Sample covariance matrix (n − 1) of k variables, each a row of observations; row-major k × k. */
function covarianceMatrix(rows: readonly Float64Array[]): Float64Array {
  const k = rows.length
  const n = rows[0]!.length
  const means = rows.map((row) => row.reduce((a, b) => a + b, 0) / n)
  const out = new Float64Array(k * k)
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let sum = 0
      const ra = rows[a]!
      const rb = rows[b]!
      for (let j = 0; j < n; j++) sum += (ra[j]! - means[a]!) * (rb[j]! - means[b]!)
      out[a * k + b] = out[b * k + a] = sum / (n - 1)
    }
  }
  return out
}
