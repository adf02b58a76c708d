/**
 * The Brier score: the (weighted) mean squared difference between the predicted probability of class 1 and
 * the label, as scikit-learn 1.2's `brier_score_loss` (`np.average((y − p)², weights=w)`).
 *
 * Why beside log loss: it is bounded (0 perfect, 0.25 for a constant 0.5, 1 for certain and always wrong), so
 * a few confident mistakes do not dominate it, and it moves with calibration while AUROC does not: the
 * number that says whether "0.8" means 80%. A set holding one class has a Brier score (sklearn allows it).
 */
import { CompensatedSum } from '../metrics/sum'
import { checkProbabilities, checkSampleWeight } from './validate'

export interface BrierOptions {
  sampleWeight?: ArrayLike<number>
}

export function brierScore(
  yTrue: ArrayLike<number>,
  prob: ArrayLike<number>,
  options: BrierOptions = {},
): number {
  checkProbabilities(yTrue, prob)
  const weights = checkSampleWeight(options.sampleWeight, yTrue.length)
  const total = new CompensatedSum()
  const totalWeight = new CompensatedSum()
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i]! - prob[i]!
    const w = weights === undefined ? 1 : weights[i]!
    total.add(d * d * w)
    totalWeight.add(w)
  }
  return total.value / totalWeight.value
}
