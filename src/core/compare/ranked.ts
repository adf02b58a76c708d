/**
 * AUROC and AUPRC of a bootstrap resample without sorting it again.
 *
 * Why: a resample drawn with replacement is the original samples with whole-number multiplicities, and the
 * ROC and precision-recall curves of duplicated samples are those of the originals weighted by how often
 * they were drawn. So the samples are sorted once (by decreasing score, `descendingOrder`, ties grouped as in
 * src/core/metrics), and each of the ~1000 resamples costs one linear pass over its multiplicities instead of
 * a copy and a sort: about 5× faster (1000 resamples of 55,000 test windows take a few seconds, most of it
 * drawing the resamples).
 *
 * The values are the same as `rocAuc` / `averagePrecision` on the materialised resample (to rounding;
 * test/unit/compare-bootstrap.test.ts checks it): a tied group is one curve point, the ROC area is the
 * trapezoid (a tied positive-negative pair counts half), the PR area is sklearn's step sum Σ ΔR · P.
 */
import { descendingOrder } from '../metrics/sort'
import { CompensatedSum } from '../metrics/sum'

export class RankedScores {
  /** Sample indices by decreasing score. */
  private readonly order: Uint32Array
  /** The label of the sample at each rank (1 positive), so the pass reads two arrays in rank order. */
  private readonly labels: Uint8Array
  /** 1 at the last rank of each group of equal scores. */
  private readonly groupEnds: Uint8Array

  constructor(yTrue: ArrayLike<number>, scores: ArrayLike<number>) {
    const n = scores.length
    this.order = descendingOrder(scores)
    this.labels = new Uint8Array(n)
    this.groupEnds = new Uint8Array(n)
    for (let r = 0; r < n; r++) {
      const i = this.order[r]!
      this.labels[r] = yTrue[i] === 1 ? 1 : 0
      if (r + 1 === n || scores[this.order[r + 1]!] !== scores[i]) this.groupEnds[r] = 1
    }
  }

  /**
   * AUROC and AUPRC of the samples taken `counts[i]` times each (whole numbers ≥ 0); NaN when the counted
   * samples lack a class.
   */
  areas(counts: ArrayLike<number>): { auroc: number; auprc: number } {
    const { order, labels, groupEnds } = this
    let tp = 0
    let fp = 0
    let groupTp = 0
    let groupFp = 0
    // Twice the ROC area in units of (positives × negatives): an exact integer sum for any realistic n.
    let rocTwice = 0
    const pr = new CompensatedSum()
    for (let r = 0; r < order.length; r++) {
      const c = counts[order[r]!]!
      if (labels[r] === 1) groupTp += c
      else groupFp += c
      if (groupEnds[r] === 0 || groupTp + groupFp === 0) continue // a group not drawn is no point on the curves
      rocTwice += groupFp * (2 * tp + groupTp)
      tp += groupTp
      fp += groupFp
      if (groupTp > 0) pr.add((groupTp * tp) / (tp + fp))
      groupTp = 0
      groupFp = 0
    }
    if (tp === 0 || fp === 0) return { auroc: NaN, auprc: NaN }
    return { auroc: rocTwice / (2 * tp * fp), auprc: pr.value / tp }
  }
}
