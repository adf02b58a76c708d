/**
 * Choosing the decision threshold of a binary classifier, and applying it.
 *
 * Choose on the VALIDATION split, then apply the same number to the test split. Never choose on test: a
 * threshold tuned on the test labels makes every thresholded test metric (precision, recall, F1, MCC)
 * optimistic, and the report would no longer say how the model does on data it has not seen.
 *
 * Convention (sklearn's, and that of `rocCurve`/`precisionRecallCurve`): a sample is positive when
 * `score >= threshold`. The threshold is always one of the validation scores, so on validation the reported
 * operating point is exactly reproduced by `applyThreshold`.
 */
import { cumulativeCounts } from './curves'
import { badInput, checkFinite, oneClass } from './validate'

export type ThresholdRule =
  /** The threshold of the highest F1 on validation; among equal F1, the highest threshold. */
  | 'maxF1'
  /** The highest threshold whose validation recall is at least `targetRecall` (in (0, 1]). */
  | { targetRecall: number }

export interface ChooseThresholdOptions {
  rule: ThresholdRule
  sampleWeight?: ArrayLike<number>
}

/** The chosen threshold and the validation operating point it gives. */
export interface ChosenThreshold {
  threshold: number
  precision: number
  recall: number
  f1: number
}

export function chooseThreshold(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: ChooseThresholdOptions,
): ChosenThreshold {
  const rule = options.rule
  const targetRecall = rule === 'maxF1' ? undefined : rule.targetRecall
  if (rule !== 'maxF1' && !(typeof targetRecall === 'number' && targetRecall > 0 && targetRecall <= 1)) {
    throw badInput('targetRecall must be a number in (0, 1].', {
      argument: 'targetRecall',
      expected: 'a number above 0 and at most 1',
      found: String(targetRecall),
    })
  }
  const { falsePositives, truePositives, thresholds } = cumulativeCounts(yTrue, scores, options.sampleWeight)
  const points = thresholds.length
  const positives = truePositives[points - 1]!
  // Neither rule means anything without a positive sample to find.
  if (positives === 0) throw oneClass(0)

  // Points run by decreasing threshold, so recall never decreases along them: the first point that meets a
  // target recall is the highest threshold that does, and a strict `>` keeps the highest among equal F1s.
  let best = 0
  let bestF1 = -1
  for (let k = 0; k < points; k++) {
    const tp = truePositives[k]!
    if (targetRecall !== undefined) {
      if (tp / positives >= targetRecall) {
        best = k
        break
      }
      continue
    }
    // F1 = 2·TP / (2·TP + FP + FN) and TP + FN = all positives: defined even where precision is not.
    const f1 = (2 * tp) / (tp + falsePositives[k]! + positives)
    if (f1 > bestF1) {
      bestF1 = f1
      best = k
    }
  }
  const tp = truePositives[best]!
  const fp = falsePositives[best]!
  const precision = tp / (tp + fp)
  const recall = tp / positives
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { threshold: thresholds[best]!, precision, recall, f1 }
}

/** 1 where `score >= threshold`, else 0: the labels a chosen threshold gives, for the classification metrics. */
export function applyThreshold(scores: ArrayLike<number>, threshold: number): Uint8Array {
  checkFinite('scores', scores)
  const labels = new Uint8Array(scores.length)
  for (let i = 0; i < scores.length; i++) labels[i] = scores[i]! >= threshold ? 1 : 0
  return labels
}
