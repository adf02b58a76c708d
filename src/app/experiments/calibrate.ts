/**
 * Calibration of a finished run (the experiment's `calibration`: none | platt | isotonic), with the core's
 * estimators (src/core/calibration, exact to scikit-learn):
 *
 * - the calibrator is fitted on the VALIDATION scores and labels only, then applied unchanged to test (fitted
 *   on test labels, every test probability would be optimistic); validation's "after" numbers are therefore
 *   in-sample for the calibrator, test's are the honest ones;
 * - what it is fitted on: Platt on the logit of a network's probability (so the family holds the network's
 *   own probabilities, a = −1, b = 0) or on the motif scan's log-odds as they are (Platt on log-odds is how
 *   they become probabilities); isotonic on the scores as they are (it only uses their order, and
 *   interpolates between them);
 * - a calibrator that would erase or reverse the ranking (Platt's slope a ≥ 0, an isotonic fit that is one
 *   constant: on validation higher scores did not mean more positives) is not applied, and says so;
 * - the run's metrics, threshold and stored predictions stay those of the model's own scores, so the
 *   threshold, the predictions, the comparisons and an exported model keep agreeing with each other; the
 *   calibrated probabilities are measured beside them: Brier score, log loss and reliability curves (10
 *   equal-width and 10 equal-count bins) before and after, on validation and test. Platt is increasing, so
 *   the calibrated probabilities rank exactly as the scores do (same AUROC, AUPRC, same partition at the
 *   threshold); only log loss, the Brier score and the reliability curve change;
 * - the fitted calibrator is stored as the run's `calibrator` artefact (`storedCalibrator`), so predicting
 *   or exporting can turn new scores of the same model into probabilities (`applyCalibrator`).
 */
import {
  brierScore,
  IsotonicCalibration,
  logit,
  PlattScaling,
  reliabilityCurve,
  type Calibrator,
  type IsotonicParams,
  type PlattParams,
} from '../../core/calibration'
import { logLoss } from '../../core/metrics'
import type {
  CalibrationMethod,
  PartCalibration,
  RunCalibration,
  ScoreCalibration,
} from '../../shared/contract-experiments'

/** Bins of the stored reliability curves. */
export const RELIABILITY_BINS = 10

/** A fitted calibrator as stored (JSON), enough to apply it to new scores of the same model. */
export type StoredCalibrator =
  | { method: 'platt'; input: 'logit' | 'score'; params: PlattParams }
  | { method: 'isotonic'; input: 'score'; params: IsotonicParams }

export interface PartScores {
  y: ArrayLike<number>
  /** The model's own scores. */
  scores: ArrayLike<number>
}

export interface CalibratedRun {
  calibration: RunCalibration
  /** The fitted calibrator when applied (stored with the run), else null. */
  calibrator: StoredCalibrator | null
  /** The calibrated probabilities when applied, else null. */
  calibrated: { val: Float64Array; test: Float64Array } | null
}

/** Brier score, log loss and reliability curves of one part's probabilities; null for an empty part. */
export function scoreCalibration(y: ArrayLike<number>, probs: ArrayLike<number>): ScoreCalibration | null {
  if (y.length === 0) return null
  return {
    brier: brierScore(y, probs),
    logLoss: logLoss(y, probs),
    uniform: reliabilityCurve(y, probs, { nBins: RELIABILITY_BINS, strategy: 'uniform' }),
    quantile: reliabilityCurve(y, probs, { nBins: RELIABILITY_BINS, strategy: 'quantile' }),
  }
}

/** The input a calibrator of `method` is fitted on and applied to. */
function calibratorInput(
  method: 'platt' | 'isotonic',
  probabilities: boolean,
): { input: 'logit' | 'score'; of: (scores: ArrayLike<number>) => ArrayLike<number> } {
  return method === 'platt' && probabilities
    ? { input: 'logit', of: logit }
    : { input: 'score', of: (s) => s }
}

function rebuild(stored: StoredCalibrator): Calibrator {
  return stored.method === 'platt'
    ? PlattScaling.fromParams(stored.params)
    : IsotonicCalibration.fromParams(stored.params)
}

/** Calibrated probabilities of new scores of the same model (e.g. predicting), with a stored calibrator. */
export function applyCalibrator(stored: StoredCalibrator, scores: ArrayLike<number>): Float64Array {
  const input = stored.input === 'logit' ? logit(scores) : scores
  return rebuild(stored).transform(input)
}

/**
 * Calibrates one run: `probabilities` says whether the model's scores are probabilities (networks) or not
 * (the motif scan's log-odds). `method` undefined (a stored spec without the field): no calibration.
 */
export function calibrateRun(
  method: CalibrationMethod | undefined,
  probabilities: boolean,
  val: PartScores,
  test: PartScores,
): CalibratedRun {
  const raw = (part: PartScores) => (probabilities ? scoreCalibration(part.y, part.scores) : null)
  const uncalibrated = (chosen: CalibrationMethod, skipped: RunCalibration['skipped'], extra = {}) => ({
    calibrator: null,
    calibrated: null,
    calibration: {
      method: chosen,
      skipped,
      input: null,
      platt: null,
      steps: null,
      val: { raw: raw(val), calibrated: null },
      test: { raw: raw(test), calibrated: null },
      ...extra,
    },
  })
  if (method === undefined || method === 'none') return uncalibrated('none', null)

  const { input, of } = calibratorInput(method, probabilities)
  let stored: StoredCalibrator
  let informative: boolean
  if (method === 'platt') {
    const model = new PlattScaling().fit(of(val.scores), val.y)
    stored = { method, input, params: model.params }
    informative = model.params.a < 0
  } else {
    const model = new IsotonicCalibration().fit(val.scores, val.y)
    const params = model.params
    stored = { method, input: 'score', params }
    informative = params.y[0]! < params.y[params.y.length - 1]!
  }
  const fitted = {
    input,
    platt: stored.method === 'platt' ? stored.params : null,
    steps: stored.method === 'isotonic' ? stored.params.x.length : null,
  }
  if (!informative) return uncalibrated(method, 'uninformative', fitted)

  const calibrated = {
    val: applyCalibrator(stored, val.scores),
    test: applyCalibrator(stored, test.scores),
  }
  const part = (p: PartScores, probs: Float64Array): PartCalibration => ({
    raw: raw(p),
    calibrated: scoreCalibration(p.y, probs),
  })
  return {
    calibrator: stored,
    calibrated,
    calibration: {
      method,
      skipped: null,
      ...fitted,
      val: part(val, calibrated.val),
      test: part(test, calibrated.test),
    },
  }
}
