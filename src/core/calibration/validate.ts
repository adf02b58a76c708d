/**
 * Input checks of the calibration estimators and scores. Malformed arrays (empty, lengths differ, NaN scores,
 * labels other than 0/1, negative weights, probabilities outside [0, 1]) are the metrics' `metrics.bad_input`:
 * the same mistakes, found by the same helpers. Two codes are calibration's own:
 *
 * - `calibration.one_class`: a calibrator cannot be fitted on one class (after dropping zero weights). Platt
 *   scaling would learn "never" (or "always") and isotonic regression a constant: scores that no longer rank
 *   anything. scikit-learn fits them anyway; refusing says what is wrong while it can still be fixed.
 * - `calibration.bad_param`: an estimator's or a curve's setting out of range (bins, strategy, iterations,
 *   stored parameters that do not describe a fitted calibrator).
 */
import { InputError } from '../../shared/errors'
import {
  badInput,
  checkBinaryLabels,
  checkFinite,
  checkNotEmpty,
  checkSameLength,
  checkSampleWeight,
} from '../metrics/validate'

export const ONE_CLASS = 'calibration.one_class'
export const BAD_PARAM = 'calibration.bad_param'

export function badParam(param: string, expected: string, found: unknown): InputError {
  return new InputError(BAD_PARAM, `Calibration setting '${param}' must be ${expected}.`, {
    expected,
    found: typeof found === 'string' ? found : (JSON.stringify(found) ?? String(found)),
    params: { param },
  })
}

export interface FitOptions {
  /** One non-negative weight per sample; samples of weight 0 are left out, as scikit-learn does. */
  sampleWeight?: ArrayLike<number>
}

/** Scores, labels and weights a calibrator is fitted on, checked; weights undefined when not given. */
export function checkFitInput(
  scores: ArrayLike<number>,
  y: ArrayLike<number>,
  options: FitOptions,
): ArrayLike<number> | undefined {
  checkNotEmpty('scores', scores)
  checkSameLength('y', y, 'scores', scores.length)
  checkFinite('scores', scores)
  checkBinaryLabels('y', y)
  const weights = checkSampleWeight(options.sampleWeight, scores.length)
  let negatives = 0
  let positives = 0
  for (let i = 0; i < y.length; i++) {
    if (weights !== undefined && !(weights[i]! > 0)) continue
    if (y[i] === 1) positives++
    else negatives++
  }
  if (positives === 0 || negatives === 0) {
    const present = positives === 0 ? 0 : 1
    throw new InputError(
      ONE_CLASS,
      `A calibrator needs both classes, but only class ${present} is present: it would learn a constant.`,
      { expected: 'positives and negatives', found: `only ${present}`, params: { present } },
    )
  }
  return weights
}

/** Scores to transform: finite numbers (an empty array gives an empty result). */
export function checkScores(scores: ArrayLike<number>): void {
  checkFinite('scores', scores)
}

/** Labels 0/1 and probabilities in [0, 1] of equal length, not empty (Brier score, reliability curve). */
export function checkProbabilities(yTrue: ArrayLike<number>, prob: ArrayLike<number>): void {
  checkNotEmpty('yTrue', yTrue)
  checkSameLength('prob', prob, 'yTrue', yTrue.length)
  checkBinaryLabels('yTrue', yTrue)
  for (let i = 0; i < prob.length; i++) {
    const p = prob[i]!
    if (!(p >= 0 && p <= 1)) {
      throw badInput('prob must be probabilities between 0 and 1.', {
        argument: 'prob',
        record: i + 1,
        expected: 'a number in [0, 1]',
        found: String(p),
      })
    }
  }
}

export { checkSampleWeight }
