/**
 * Ranking metrics of a binary classifier, number for number as scikit-learn 1.2.1 (Debian 12's
 * python3-sklearn, the version the fixtures in test/fixtures/metrics were made with):
 * `roc_curve`, `roc_auc_score`, `precision_recall_curve`, `average_precision_score`.
 *
 * All of them rest on one pass over the samples sorted once by decreasing score (`descendingOrder`):
 * equal scores form one group and give one point, so ties are handled the way sklearn handles them (a tied
 * group moves the curve diagonally, which the trapezoid rule integrates as half credit).
 *
 * Differences from sklearn, on purpose and documented where they apply:
 * - The first ROC threshold is `max(score) + 1`, as sklearn 1.2 does; sklearn ≥ 1.3 uses `+Infinity`.
 *   A finite value also survives JSON, where the ROC points are stored.
 * - With only one class present, `rocCurve` throws `metrics.one_class` (sklearn 1.2 warns and returns NaN
 *   rates), like `rocAuc` (sklearn raises "Only one class present in y_true").
 * - Samples of weight 0 are dropped before anything else, as sklearn's `_binary_clf_curve` does; the one-class
 *   check then looks at the classes that still carry weight.
 *
 * Labels are 0 (negative) and 1 (positive). Cost: one O(n) radix sort and O(n) passes, no per-sample
 * allocation: 10^6 scores take ~50–100 ms in Node 20.
 */
import { descendingOrder } from './sort'
import { CompensatedSum } from './sum'
import {
  checkBinaryLabels,
  checkFinite,
  checkNotEmpty,
  checkSameLength,
  checkSampleWeight,
  oneClass,
} from './validate'

export interface WeightOption {
  /** Non-negative weight per sample (e.g. class weights); samples of weight 0 are ignored. */
  sampleWeight?: ArrayLike<number>
}

export interface RocCurveOptions extends WeightOption {
  /** Drop points collinear with their neighbours, which never change the plot or the area. Default true. */
  dropIntermediate?: boolean
}

/** ROC points by decreasing threshold: sample i is called positive at threshold t when score ≥ t. */
export interface RocCurve {
  fpr: Float64Array
  tpr: Float64Array
  /** `thresholds[0]` is `max(score) + 1` (no sample positive), the rest are scores, decreasing. */
  thresholds: Float64Array
}

/** Precision-recall points by increasing threshold, as sklearn: one more precision/recall than thresholds. */
export interface PrecisionRecallCurve {
  /** Ends with 1 (the point of recall 0). */
  precision: Float64Array
  /** Decreasing; ends with 0. */
  recall: Float64Array
  /** Distinct scores, increasing. */
  thresholds: Float64Array
}

/**
 * Cumulative (weighted) false and true positives at each distinct score, by decreasing score: point k counts
 * every sample whose score ≥ `thresholds[k]`. The same as sklearn's `_binary_clf_curve`.
 */
export interface CumulativeCounts {
  falsePositives: Float64Array
  truePositives: Float64Array
  thresholds: Float64Array
}

/** Validates and counts; shared by every curve and by `chooseThreshold`. */
export function cumulativeCounts(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  sampleWeight?: ArrayLike<number>,
): CumulativeCounts {
  checkNotEmpty('yTrue', yTrue)
  checkSameLength('scores', scores, 'yTrue', yTrue.length)
  checkBinaryLabels('yTrue', yTrue)
  checkFinite('scores', scores)
  const weights = checkSampleWeight(sampleWeight, yTrue.length)

  const n = yTrue.length
  const order = descendingOrder(scores)
  // At most one point per sample; trimmed to the number of distinct scores at the end.
  const falsePositives = new Float64Array(n)
  const truePositives = new Float64Array(n)
  const thresholds = new Float64Array(n)
  let points = 0
  let fp = 0
  let tp = 0
  let groupScore = 0
  let inGroup = false
  for (let r = 0; r < n; r++) {
    const i = order[r]!
    const w = weights === undefined ? 1 : weights[i]!
    if (w === 0) continue
    const s = scores[i]!
    if (inGroup && s !== groupScore) {
      // The previous group of equal scores is complete: it is one point of the curve.
      falsePositives[points] = fp
      truePositives[points] = tp
      thresholds[points] = groupScore
      points++
    }
    // Running sums in sklearn's order (its stable_cumsum is a sequential np.cumsum), so weighted sums agree
    // bit for bit; unweighted they are exact integers anyway.
    if (yTrue[i] === 1) tp += w
    else fp += w
    groupScore = s
    inGroup = true
  }
  falsePositives[points] = fp
  truePositives[points] = tp
  thresholds[points] = groupScore
  points++
  return {
    falsePositives: falsePositives.slice(0, points),
    truePositives: truePositives.slice(0, points),
    thresholds: thresholds.slice(0, points),
  }
}

/** sklearn `roc_curve(y_true, y_score, sample_weight=..., drop_intermediate=...)`. */
export function rocCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: RocCurveOptions = {},
): RocCurve {
  const counts = cumulativeCounts(yTrue, scores, options.sampleWeight)
  const { falsePositives: fps, truePositives: tps, thresholds } = counts
  const last = fps.length - 1
  if (tps[last]! <= 0) throw oneClass(0)
  if (fps[last]! <= 0) throw oneClass(1)

  // Keep the ends and every corner: a point whose second difference in fps or tps is non-zero. This is
  // sklearn's test verbatim, collinear points of more complicated shapes are kept (they do no harm).
  let kept = fps.length
  let keep: Uint32Array | undefined
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    keep = new Uint32Array(fps.length)
    kept = 0
    keep[kept++] = 0
    for (let k = 1; k < last; k++) {
      const fpCorner = fps[k + 1]! - fps[k]! - (fps[k]! - fps[k - 1]!)
      const tpCorner = tps[k + 1]! - tps[k]! - (tps[k]! - tps[k - 1]!)
      if (fpCorner !== 0 || tpCorner !== 0) keep[kept++] = k
    }
    keep[kept++] = last
  }

  // One extra point in front, (0, 0) at a threshold above every score, so the curve starts at the origin.
  const fpr = new Float64Array(kept + 1)
  const tpr = new Float64Array(kept + 1)
  const outThresholds = new Float64Array(kept + 1)
  const negatives = fps[last]!
  const positives = tps[last]!
  outThresholds[0] = thresholds[0]! + 1
  for (let j = 0; j < kept; j++) {
    const k = keep === undefined ? j : keep[j]!
    fpr[j + 1] = fps[k]! / negatives
    tpr[j + 1] = tps[k]! / positives
    outThresholds[j + 1] = thresholds[k]!
  }
  return { fpr, tpr, thresholds: outThresholds }
}

/**
 * sklearn `roc_auc_score` for binary labels: the trapezoid area under `rocCurve` (default options). Equal
 * scores form one diagonal step, i.e. a positive and a negative tied count as half a correct ordering.
 * Throws `metrics.one_class` when only one class is present, where sklearn raises ValueError.
 */
export function rocAuc(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: WeightOption = {},
): number {
  const { fpr, tpr } = rocCurve(yTrue, scores, { sampleWeight: options.sampleWeight })
  return trapezoid(fpr, tpr)
}

/**
 * sklearn `precision_recall_curve` (1.2: all distinct thresholds, no dropping). Precision at a threshold with
 * nothing predicted positive cannot happen here (every point has weight); with no positives at all, recall is
 * set to 1 everywhere, as sklearn does (with its warning).
 */
export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: WeightOption = {},
): PrecisionRecallCurve {
  const {
    falsePositives: fps,
    truePositives: tps,
    thresholds,
  } = cumulativeCounts(yTrue, scores, options.sampleWeight)
  const m = fps.length
  const positives = tps[m - 1]!
  const precision = new Float64Array(m + 1)
  const recall = new Float64Array(m + 1)
  const increasingThresholds = new Float64Array(m)
  // sklearn reverses the arrays so thresholds increase and recall decreases; point k lands at m - 1 - k.
  for (let k = 0; k < m; k++) {
    const predictedPositive = tps[k]! + fps[k]!
    precision[m - 1 - k] = predictedPositive === 0 ? 0 : tps[k]! / predictedPositive
    recall[m - 1 - k] = positives === 0 ? 1 : tps[k]! / positives
    increasingThresholds[m - 1 - k] = thresholds[k]!
  }
  precision[m] = 1
  recall[m] = 0
  return { precision, recall, thresholds: increasingThresholds }
}

/**
 * sklearn `average_precision_score`: Σ (R_k − R_{k−1}) · P_k over the precision-recall points, a step
 * function, not the trapezoid (which is optimistic on PR curves). With no positives this is 0, as sklearn.
 */
export function averagePrecision(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: WeightOption = {},
): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores, options)
  const area = new CompensatedSum()
  for (let k = 0; k + 1 < recall.length; k++) area.add((recall[k]! - recall[k + 1]!) * precision[k]!)
  return area.value
}

/**
 * numpy's `trapz(y, x)`: Σ (x_{k+1} − x_k) · (y_{k+1} + y_k) / 2, each term formed as numpy forms it. The
 * sum is compensated, so it is at least as accurate as numpy's pairwise sum; the two agree far inside 1e-12.
 */
function trapezoid(x: Float64Array, y: Float64Array): number {
  const area = new CompensatedSum()
  for (let k = 0; k + 1 < x.length; k++) area.add(((x[k + 1]! - x[k]!) * (y[k + 1]! + y[k]!)) / 2)
  return area.value
}
