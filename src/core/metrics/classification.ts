/**
 * Metrics of hard predictions (class labels), matched to scikit-learn 1.2.1: `confusion_matrix`,
 * `precision_recall_fscore_support` (binary with pos_label; macro, weighted and micro averages),
 * `matthews_corrcoef`, `balanced_accuracy_score`, `accuracy_score`.
 *
 * Labels are integer class codes (binary averages need 0 and 1). Undefined ratios follow sklearn's default
 * `zero_division="warn"`: precision with nothing predicted, or recall with nothing true, is 0 (sklearn also
 * warns; here the caller can see it from `perLabel.support` and the counts). Every function takes optional
 * non-negative sample weights, which count a sample `w` times, as in sklearn.
 *
 * Per-label counts are sums in sample order (like numpy's bincount), so weighted results agree with sklearn
 * to rounding; unweighted ones are exact ratios of integers.
 */
import {
  badInput,
  checkBinaryLabels,
  checkClassLabels,
  checkNotEmpty,
  checkSameLength,
  checkSampleWeight,
} from './validate'

export interface LabelMetricOptions {
  sampleWeight?: ArrayLike<number>
}

export interface ConfusionMatrixOptions extends LabelMetricOptions {
  /** Rows and columns in this order; samples whose true or predicted label is not listed are left out. */
  labels?: readonly number[]
}

export interface ConfusionMatrix {
  /** Sorted union of the true and predicted labels, or the `labels` option as given. */
  labels: number[]
  /** `matrix[t][p]`: (weighted) number of samples of true label `labels[t]` predicted as `labels[p]`. */
  matrix: number[][]
}

export type Average = 'binary' | 'macro' | 'weighted' | 'micro'

export interface PrecisionRecallF1Options extends LabelMetricOptions {
  /**
   * 'binary' (sklearn's default): the scores of `posLabel` alone, labels must be 0/1. 'macro': the plain mean
   * over labels; 'weighted': the mean weighted by each label's support; 'micro': from the summed counts.
   */
  average?: Average
  /** The positive class of `average: 'binary'`; 0 or 1, default 1. */
  posLabel?: 0 | 1
  /** Labels to score and average over (not for 'binary'); default the sorted union of true and predicted. */
  labels?: readonly number[]
}

export interface PerLabelScores {
  precision: Float64Array
  recall: Float64Array
  f1: Float64Array
  /** (Weighted) number of samples whose true label is this one. */
  support: Float64Array
}

export interface PrecisionRecallF1 {
  precision: number
  recall: number
  f1: number
  /** The labels that were scored: `[posLabel]` for 'binary'. */
  labels: number[]
  /** Each label's scores, as sklearn with `average=None` and the same labels. */
  perLabel: PerLabelScores
}

/** sklearn `confusion_matrix(y_true, y_pred, labels=..., sample_weight=...)`. */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: ConfusionMatrixOptions = {},
): ConfusionMatrix {
  const weights = checkLabelPair(yTrue, yPred, options.sampleWeight)
  const labels = options.labels === undefined ? sortedUnion(yTrue, yPred) : checkLabelList(options.labels)
  const index = indexOf(labels)
  if (options.labels !== undefined && !someIn(yTrue, index)) {
    // sklearn: "At least one label specified must be in y_true".
    throw badInput('None of the given labels occurs in the true labels.', {
      argument: 'labels',
      expected: 'at least one label present in yTrue',
      found: labels.join(', '),
    })
  }
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0))
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!)
    const p = index.get(yPred[i]!)
    if (t === undefined || p === undefined) continue
    matrix[t]![p]! += weights === undefined ? 1 : weights[i]!
  }
  return { labels, matrix }
}

/** sklearn `precision_recall_fscore_support` with F1 (β = 1) and `zero_division="warn"` (undefined → 0). */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PrecisionRecallF1Options = {},
): PrecisionRecallF1 {
  const average = options.average ?? 'binary'
  const weights = checkLabelPair(yTrue, yPred, options.sampleWeight)
  let labels: number[]
  if (average === 'binary') {
    checkBinaryLabels('yTrue', yTrue)
    checkBinaryLabels('yPred', yPred)
    const posLabel = options.posLabel ?? 1
    if (posLabel !== 0 && posLabel !== 1) {
      throw badInput('posLabel must be 0 or 1.', {
        argument: 'posLabel',
        expected: '0 or 1',
        found: String(posLabel),
      })
    }
    labels = [posLabel]
  } else {
    labels = options.labels === undefined ? sortedUnion(yTrue, yPred) : checkLabelList(options.labels)
  }

  const counts = countPerLabel(yTrue, yPred, labels, weights)
  const k = labels.length
  const perLabel: PerLabelScores = {
    precision: new Float64Array(k),
    recall: new Float64Array(k),
    f1: new Float64Array(k),
    support: counts.trueTotal,
  }
  for (let j = 0; j < k; j++) {
    const scores = scoresOf(counts.truePositives[j]!, counts.predictedTotal[j]!, counts.trueTotal[j]!)
    perLabel.precision[j] = scores.precision
    perLabel.recall[j] = scores.recall
    perLabel.f1[j] = scores.f1
  }

  if (average === 'micro') {
    const micro = scoresOf(sum(counts.truePositives), sum(counts.predictedTotal), sum(counts.trueTotal))
    return { ...micro, labels, perLabel }
  }
  if (average === 'weighted') {
    const totalSupport = sum(counts.trueTotal)
    // sklearn: no true samples in any scored label makes every weighted score 0 (zero_division "warn").
    if (totalSupport === 0) return { precision: 0, recall: 0, f1: 0, labels, perLabel }
    return {
      precision: weightedMean(perLabel.precision, counts.trueTotal, totalSupport),
      recall: weightedMean(perLabel.recall, counts.trueTotal, totalSupport),
      f1: weightedMean(perLabel.f1, counts.trueTotal, totalSupport),
      labels,
      perLabel,
    }
  }
  // 'macro', and 'binary' which is the mean over the single label [posLabel].
  return {
    precision: sum(perLabel.precision) / k,
    recall: sum(perLabel.recall) / k,
    f1: sum(perLabel.f1) / k,
    labels,
    perLabel,
  }
}

/**
 * sklearn `matthews_corrcoef`, multi-class form (Gorodkin's R_K), over the union of true and predicted labels.
 * 0 when either the true or the predicted labels are all one class (the denominator is 0), as sklearn.
 */
export function matthewsCorrcoef(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: LabelMetricOptions = {},
): number {
  const weights = checkLabelPair(yTrue, yPred, options.sampleWeight)
  const { truePositives, predictedTotal, trueTotal } = countPerLabel(
    yTrue,
    yPred,
    sortedUnion(yTrue, yPred),
    weights,
  )
  const correct = sum(truePositives)
  const samples = sum(predictedTotal)
  const covTruePred = correct * samples - dot(trueTotal, predictedTotal)
  const covPredPred = samples ** 2 - dot(predictedTotal, predictedTotal)
  const covTrueTrue = samples ** 2 - dot(trueTotal, trueTotal)
  if (covPredPred * covTrueTrue === 0) return 0
  return covTruePred / Math.sqrt(covTrueTrue * covPredPred)
}

/**
 * sklearn `balanced_accuracy_score` (not adjusted): the mean recall over the classes present in `yTrue`;
 * a class that is only predicted has no recall and is left out, as sklearn (which warns).
 */
export function balancedAccuracy(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: LabelMetricOptions = {},
): number {
  const weights = checkLabelPair(yTrue, yPred, options.sampleWeight)
  const { truePositives, trueTotal } = countPerLabel(yTrue, yPred, sortedUnion(yTrue, yPred), weights)
  let recalls = 0
  let classes = 0
  for (let j = 0; j < trueTotal.length; j++) {
    if (trueTotal[j] === 0) continue
    recalls += truePositives[j]! / trueTotal[j]!
    classes++
  }
  return recalls / classes
}

/** sklearn `accuracy_score`: the (weighted) fraction of samples predicted right. */
export function accuracy(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: LabelMetricOptions = {},
): number {
  const weights = checkLabelPair(yTrue, yPred, options.sampleWeight)
  let right = 0
  let total = 0
  for (let i = 0; i < yTrue.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!
    if (yTrue[i] === yPred[i]) right += w
    total += w
  }
  return right / total
}

/** Precision, recall and F1 from counts; 0 where a ratio is 0/0, sklearn's default. */
function scoresOf(truePositives: number, predicted: number, actual: number) {
  const precision = predicted === 0 ? 0 : truePositives / predicted
  const recall = actual === 0 ? 0 : truePositives / actual
  const denominator = precision + recall
  // Formed as sklearn forms it, (1 + β²)·P·R / (β²·P + R) with β = 1, so the last bit agrees too.
  const f1 = denominator === 0 ? 0 : (2 * precision * recall) / denominator
  return { precision, recall, f1 }
}

interface LabelCounts {
  truePositives: Float64Array
  predictedTotal: Float64Array
  trueTotal: Float64Array
}

/** Per label: (weighted) true positives, predictions and true samples; labels not listed are ignored. */
function countPerLabel(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: readonly number[],
  weights: ArrayLike<number> | undefined,
): LabelCounts {
  const index = indexOf(labels)
  const counts: LabelCounts = {
    truePositives: new Float64Array(labels.length),
    predictedTotal: new Float64Array(labels.length),
    trueTotal: new Float64Array(labels.length),
  }
  for (let i = 0; i < yTrue.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!
    const t = index.get(yTrue[i]!)
    const p = index.get(yPred[i]!)
    if (t !== undefined) counts.trueTotal[t]! += w
    if (p !== undefined) counts.predictedTotal[p]! += w
    if (t !== undefined && t === p) counts.truePositives[t]! += w
  }
  return counts
}

function checkLabelPair(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  sampleWeight: ArrayLike<number> | undefined,
): ArrayLike<number> | undefined {
  checkNotEmpty('yTrue', yTrue)
  checkSameLength('yPred', yPred, 'yTrue', yTrue.length)
  checkClassLabels('yTrue', yTrue)
  checkClassLabels('yPred', yPred)
  return checkSampleWeight(sampleWeight, yTrue.length)
}

function checkLabelList(labels: readonly number[]): number[] {
  if (labels.length === 0) {
    throw badInput('labels is empty.', { argument: 'labels', expected: 'at least one label', found: 'none' })
  }
  checkClassLabels('labels', labels)
  if (new Set(labels).size !== labels.length) {
    throw badInput('labels lists a label twice.', {
      argument: 'labels',
      expected: 'distinct labels',
      found: labels.join(', '),
    })
  }
  return [...labels]
}

function sortedUnion(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number[] {
  const seen = new Set<number>()
  for (let i = 0; i < yTrue.length; i++) {
    seen.add(yTrue[i]!)
    seen.add(yPred[i]!)
  }
  return [...seen].sort((a, b) => a - b)
}

function indexOf(labels: readonly number[]): Map<number, number> {
  return new Map(labels.map((label, j) => [label, j]))
}

function someIn(values: ArrayLike<number>, index: Map<number, number>): boolean {
  for (let i = 0; i < values.length; i++) if (index.has(values[i]!)) return true
  return false
}

function sum(values: Float64Array): number {
  let total = 0
  for (let j = 0; j < values.length; j++) total += values[j]!
  return total
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0
  for (let j = 0; j < a.length; j++) total += a[j]! * b[j]!
  return total
}

function weightedMean(values: Float64Array, weights: Float64Array, totalWeight: number): number {
  return dot(values, weights) / totalWeight
}
