/**
 * Final metrics of a run from its validation and test scores (calibrated ones when the experiment
 * calibrates, calibrate.ts), with the core's metrics (exact to scikit-learn): AUROC, AUPRC, log loss, Brier
 * score, and at ONE threshold — chosen on VALIDATION by max F1, then applied unchanged to test (a threshold
 * tuned on test labels would make every test number optimistic) — the confusion matrix, precision, recall,
 * F1, MCC and balanced accuracy. ROC and PR points are downsampled to at most 1,000 each (first and last
 * kept) for storage and plotting. Across k folds: mean ± sample sd.
 */
import { brierScore } from '../../core/calibration'
import {
  applyThreshold,
  averagePrecision,
  balancedAccuracy,
  chooseThreshold,
  confusionMatrix,
  logLoss,
  matthewsCorrcoef,
  ONE_CLASS,
  precisionRecallCurve,
  precisionRecallF1,
  rocAuc,
  rocCurve,
} from '../../core/metrics'
import type { ExperimentMetrics, PartMetrics, RunResult } from '../../shared/contract-experiments'
import { InputError } from '../../shared/errors'

export const MAX_CURVE_POINTS = 1000

export interface Curve {
  roc: { fpr: number[]; tpr: number[] }
  pr: { recall: number[]; precision: number[] }
}

export interface PartEvaluation {
  metrics: PartMetrics
  curve: Curve | null
}

function orNull<T>(f: () => T): T | null {
  try {
    return f()
  } catch (err) {
    if (err instanceof InputError && err.code === ONE_CLASS) return null
    throw err
  }
}

/** At most `max` evenly spaced points of each array, the first and the last always among them. */
export function downsample(arrays: ArrayLike<number>[], max = MAX_CURVE_POINTS): number[][] {
  const n = arrays[0]?.length ?? 0
  if (n <= max) return arrays.map((a) => Array.from(a))
  const picks = Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1)))
  return arrays.map((a) => picks.map((p) => a[p]!))
}

/** The validation threshold of max F1 (null when validation holds one class). */
export function validationThreshold(y: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  return orNull(() => chooseThreshold(y, scores, { rule: 'maxF1' }).threshold)
}

/** Metrics of one part at a given threshold (null: the threshold-based ones are null too). */
export function evaluatePart(
  y: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number | null,
  probabilities: boolean,
): PartEvaluation {
  let positives = 0
  for (let i = 0; i < y.length; i++) positives += y[i]!
  const empty = y.length === 0
  const base = {
    records: y.length,
    positives,
    auroc: empty ? null : orNull(() => rocAuc(y, scores)),
    auprc: empty ? null : orNull(() => averagePrecision(y, scores)),
    logLoss: empty || !probabilities ? null : logLoss(y, scores),
    brier: empty || !probabilities ? null : brierScore(y, scores),
    threshold,
  }
  let thresholded: Omit<PartMetrics, keyof typeof base> = {
    precision: null,
    recall: null,
    f1: null,
    mcc: null,
    balancedAccuracy: null,
    confusion: null,
  }
  if (threshold !== null && !empty) {
    const predicted = applyThreshold(scores, threshold)
    const { matrix } = confusionMatrix(y, predicted, { labels: [0, 1] })
    const prf = precisionRecallF1(y, predicted)
    thresholded = {
      precision: prf.precision,
      recall: prf.recall,
      f1: prf.f1,
      mcc: matthewsCorrcoef(y, predicted),
      balancedAccuracy: balancedAccuracy(y, predicted),
      confusion: { tn: matrix[0]![0]!, fp: matrix[0]![1]!, fn: matrix[1]![0]!, tp: matrix[1]![1]! },
    }
  }
  const curve = empty
    ? null
    : orNull((): Curve => {
        const roc = rocCurve(y, scores)
        const pr = precisionRecallCurve(y, scores)
        const [fpr, tpr] = downsample([roc.fpr, roc.tpr])
        const [recall, precision] = downsample([pr.recall, pr.precision])
        return { roc: { fpr: fpr!, tpr: tpr! }, pr: { recall: recall!, precision: precision! } }
      })
  return { metrics: { ...base, ...thresholded }, curve }
}

/** Validation and test of one run: the threshold comes from validation only. */
export function evaluateRun(
  val: { y: ArrayLike<number>; scores: ArrayLike<number> },
  test: { y: ArrayLike<number>; scores: ArrayLike<number> },
  probabilities: boolean,
): { val: PartEvaluation; test: PartEvaluation } {
  const threshold = validationThreshold(val.y, val.scores)
  return {
    val: evaluatePart(val.y, val.scores, threshold, probabilities),
    test: evaluatePart(test.y, test.scores, threshold, probabilities),
  }
}

/** Mean and sample standard deviation (n − 1) of the defined values; sd null below two values. */
export function meanSd(values: (number | null)[]): { mean: number | null; sd: number | null } {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (defined.length === 0) return { mean: null, sd: null }
  const mean = defined.reduce((a, b) => a + b, 0) / defined.length
  if (defined.length < 2) return { mean, sd: null }
  const variance = defined.reduce((a, v) => a + (v - mean) ** 2, 0) / (defined.length - 1)
  return { mean, sd: Math.sqrt(variance) }
}

/** The mean over runs of every number of a part (counts summed, the confusion matrices summed). */
function meanPart(parts: PartMetrics[]): PartMetrics {
  if (parts.length === 1) return parts[0]!
  const mean = (key: keyof PartMetrics) => meanSd(parts.map((p) => p[key] as number | null)).mean
  const confusions = parts.map((p) => p.confusion)
  const confusion = confusions.every((c) => c !== null)
    ? confusions.reduce((a, c) => ({ tn: a.tn + c.tn, fp: a.fp + c.fp, fn: a.fn + c.fn, tp: a.tp + c.tp }), {
        tn: 0,
        fp: 0,
        fn: 0,
        tp: 0,
      })
    : null
  return {
    records: parts.reduce((a, p) => a + p.records, 0),
    positives: parts.reduce((a, p) => a + p.positives, 0),
    auroc: mean('auroc'),
    auprc: mean('auprc'),
    logLoss: mean('logLoss'),
    brier: mean('brier'),
    threshold: mean('threshold'),
    precision: mean('precision'),
    recall: mean('recall'),
    f1: mean('f1'),
    mcc: mean('mcc'),
    balancedAccuracy: mean('balancedAccuracy'),
    confusion,
  }
}

/** The experiment's metrics from its runs (one, or one per fold). */
export function aggregateRuns(
  runs: RunResult[],
  extra: Pick<ExperimentMetrics, 'engine'> & { loadSeconds: number; totalSeconds: number },
  kfold: boolean,
): ExperimentMetrics {
  const sorted = [...runs].sort((a, b) => a.fold - b.fold)
  const best = sorted.length === 1 ? sorted[0]!.bestEpoch : null
  return {
    val: meanPart(sorted.map((r) => r.val)),
    test: meanPart(sorted.map((r) => r.test)),
    bestEpoch: best,
    epochs: sorted.reduce((a, r) => a + r.epochs, 0),
    engine: extra.engine,
    timings: {
      loadSeconds: extra.loadSeconds,
      trainSeconds: sorted.reduce((a, r) => a + r.trainSeconds, 0),
      evalSeconds: sorted.reduce((a, r) => a + r.evalSeconds, 0),
      totalSeconds: extra.totalSeconds,
    },
    folds: sorted,
    acrossFolds: kfold
      ? {
          valAuroc: meanSd(sorted.map((r) => r.val.auroc)),
          valAuprc: meanSd(sorted.map((r) => r.val.auprc)),
          testAuroc: meanSd(sorted.map((r) => r.test.auroc)),
          testAuprc: meanSd(sorted.map((r) => r.test.auprc)),
          testF1: meanSd(sorted.map((r) => r.test.f1)),
          testMcc: meanSd(sorted.map((r) => r.test.mcc)),
        }
      : null,
  }
}
