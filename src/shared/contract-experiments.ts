/**
 * Calls of the experiment workflow: creating and running experiments (training jobs), their curves,
 * metrics and predictions, comparison. Merged into `calls` by `contract.ts`; implemented by
 * `src/app/experiments/handlers.ts`.
 *
 * `ExperimentSpec` is THE one JSON shape of an experiment: the UI's training form, `seqlab train --spec`,
 * and later the cluster runner (`seqlab run BUNDLE`) all take it, and the project stores it (with every
 * default filled in) beside the results, so a stored experiment says exactly what ran. Defaults are the
 * seed recipe (DeepChem's JunD CNN: one-hot 101×4, balanced sample weights on the training split, Adam
 * lr 1e-3 β 0.9/0.999, batch 1000, 10 epochs, seed 42).
 *
 * Why `model` is loose here (`kind` plus any fields): the model specs are zod schemas owned by the core
 * (`src/core/models/specs.ts`, with the builders' defaults and their `model.bad_param` errors), and the
 * shared layer may not import the core. Copying them here would make two sources of truth that drift; so
 * the contract checks the shape it can (a known `kind`), and `experiments.create` validates the model with
 * the core's own schema and stores the parsed spec, defaults filled in. The renderer gets the concrete
 * types from what `experiments.get` returns.
 */
import { z } from 'zod'
import { NetworkMetrics } from './contract-grn'

// `contract.ts` imports this module, so its ProjectId cannot be imported back here without a cycle.
const ProjectId = z.string().min(1).max(200)
const DatasetId = z.number().int().positive()
const SplitId = z.number().int().positive()
const ExperimentId = z.number().int().positive()
const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)

/** How sequences become model input, batch by batch (never the whole tensor at once). */
export const InputSpec = z
  .object({
    /**
     * `onehot`: [length, alphabet] per window; `kmer`: counts of the 4^k k-mers (DNA) or the 20^k k-mers
     * (protein, k ≤ 3); protein only: `aac` amino-acid composition (20 frequencies), `dpc` dipeptide
     * composition (400 frequencies).
     */
    encoding: z.enum(['onehot', 'kmer', 'aac', 'dpc']).default('onehot'),
    /** k-mer length (k-mer encoding only; ≤ 3 for protein). */
    k: z.number().int().min(1).max(8).default(4),
    /** Count a k-mer and its reverse complement in one column (k-mer encoding only). */
    canonical: z.boolean().default(false),
    /** Training batches: each window is read on a random strand (DNA, one-hot only). */
    reverseComplementAugment: z.boolean().default(false),
  })
  .strict()
export type InputSpec = z.infer<typeof InputSpec>

/** The model: `kind` plus that kind's parameters, validated by the core's schema in `experiments.create`. */
export const ModelSpecShape = z
  .object({ kind: z.enum(['logreg', 'mlp', 'cnn', 'pwm', 'cnnc', 'deepdrim']) })
  .catchall(z.unknown())
export type ModelSpecShape = z.infer<typeof ModelSpecShape>

export const EarlyStopping = z
  .object({
    metric: z.enum(['val_auroc', 'val_auprc', 'val_loss']).default('val_auroc'),
    /** Epochs without improvement before stopping. */
    patience: z.number().int().min(1).max(1000).default(3),
    /** Smallest change that counts as an improvement. */
    minDelta: z.number().min(0).max(1e6).default(0),
  })
  .strict()

export const TrainingSettings = z
  .object({
    epochs: z.number().int().min(1).max(10_000).default(10),
    batchSize: z.number().int().min(1).max(1_000_000).default(1000),
    optimizer: z
      .object({
        lr: z.number().positive().max(10).default(1e-3),
        beta1: z.number().min(0).lt(1).default(0.9),
        beta2: z.number().min(0).lt(1).default(0.999),
      })
      .strict()
      .prefault({}),
    /** null (the seed recipe): train every epoch; the best epoch on validation AUROC is still kept. */
    earlyStopping: EarlyStopping.nullable().default(null),
  })
  .strict()

/**
 * Resampling of the TRAINING part only (validation and test never change), inside the experiment, seeded by
 * its own `seed`. Methods, as imbalanced-learn names them:
 * - `random_over` (RandomOverSampler: repeats real records; with `shrinkage`, a smoothed bootstrap that
 *   perturbs them), `random_under` (RandomUnderSampler: drops majority records). Plain duplication and
 *   dropping pick records by index, so they work on any input, one-hot sequences included.
 * - `smote`, `borderline1`, `borderline2` (BorderlineSMOTE kind 1/2), `adasyn`, `smote_tomek`, and the
 *   cleaning `tomek` (TomekLinks): they compute with feature values (interpolating between neighbours,
 *   measuring distances), so they need numeric input (k-mer counts; embeddings later), never one-hot letters.
 *
 * The amount (over-samplers; at most one of the two): `level` = new minority records as a multiple of the
 * minority count (1.0 = "+100%", the seed methodology's +100/+200/+300%), or `ratio` = minority ÷ majority
 * after resampling (imblearn's float `sampling_strategy`; for `random_under` the only amount). Neither: the
 * classes are balanced (imblearn's 'auto'). `k` = k_neighbors (n_neighbors for ADASYN), `m` = m_neighbors
 * (Borderline-SMOTE), `shrinkage` = the smoothed bootstrap of `random_over`.
 */
export const RESAMPLING_METHODS = [
  'none',
  'random_over',
  'random_under',
  'smote',
  'borderline1',
  'borderline2',
  'adasyn',
  'smote_tomek',
  'tomek',
] as const
export const ResamplingMethod = z.enum(RESAMPLING_METHODS)
export type ResamplingMethod = z.infer<typeof ResamplingMethod>
/** The methods that compute with feature values: offered for k-mer counts, refused for one-hot input. */
export const FEATURE_RESAMPLERS: readonly ResamplingMethod[] = [
  'smote',
  'borderline1',
  'borderline2',
  'adasyn',
  'smote_tomek',
  'tomek',
]

export const ResamplingSpec = z
  .object({
    method: ResamplingMethod.default('none'),
    level: z.number().positive().max(100).optional(),
    ratio: z.number().positive().max(1).optional(),
    k: z.number().int().min(1).max(100).default(5),
    m: z.number().int().min(1).max(100).default(10),
    shrinkage: z.number().min(0).max(100).optional(),
    seed: Seed.default(42),
  })
  .strict()
export type ResamplingSpec = z.infer<typeof ResamplingSpec>

/** Class weights given by hand: class label (its value, "0"/"1", or its name) → weight > 0. */
export const ClassWeightsSpec = z.record(z.string().min(1).max(200), z.number().positive().max(1e6))

/** Probability calibration after training (see `ExperimentSpec.calibration`). */
export const CalibrationMethod = z.enum(['none', 'platt', 'isotonic'])
export type CalibrationMethod = z.infer<typeof CalibrationMethod>

export const ExperimentSpec = z
  .object({
    name: z.string().trim().min(1).max(200),
    datasetId: DatasetId,
    splitId: SplitId,
    /**
     * k-fold splits only: run just this fold (it is test, the next fold validation, the rest train).
     * Without it an experiment over a k-fold split trains every fold and reports mean ± sd.
     */
    fold: z.number().int().min(0).max(99).optional(),
    input: InputSpec.prefault({}),
    model: ModelSpecShape,
    /**
     * Sample weights on the training split only: `balanced` (equal total weight per class, the seed's),
     * `file` (the data set's own weights; records without one weigh 1), `custom` (`classWeights`), or
     * `none`. Computed on the training set as trained, i.e. after resampling. Left out, it is `custom` when
     * `classWeights` are given, `none` when a resampling method is, else `balanced`: resampling and
     * balanced weights both correct the imbalance, and doing both by default would hide the method's effect.
     */
    weighting: z.enum(['none', 'balanced', 'file', 'custom']).optional(),
    /** `weighting: custom`: the weight of each class (classes left out weigh 1). */
    classWeights: ClassWeightsSpec.optional(),
    /** Resampling of the training part; default none. Old stored specs without it parse to none. */
    resampling: ResamplingSpec.prefault({}),
    training: TrainingSettings.prefault({}),
    /**
     * Probability calibration after training, fitted on the VALIDATION split and applied unchanged to test
     * (src/app/experiments/calibrate.ts): `platt` (the default), `isotonic`, or `none`. The run's metrics and
     * predictions stay the model's own scores; the calibrated probabilities are measured beside them
     * (`RunResult.calibration`) and the calibrator is stored to turn new scores into probabilities.
     *
     * Why Platt by default: the default recipe trains with balanced class weights, whose scores overstate
     * how often the rare class occurs; Platt's two parameters fit robustly even on a validation split with
     * few positives, and its map is increasing, so the calibrated probabilities rank exactly as the scores do
     * while saying how often the class occurs ("0.03": 3 in 100 such windows bind). Isotonic assumes no shape
     * but needs many positives, and ties runs of scores (which can lower AUROC). Experiments stored before
     * calibration existed ran without it: their results carry no calibration.
     */
    calibration: CalibrationMethod.default('platt'),
    /** Seed of the initial weights, the batch order, dropout masks and augmentation. */
    seed: Seed.default(42),
    /** `auto`: the best backend that starts (native TensorFlow, then wasm, then cpu). */
    engine: z.enum(['auto', 'wasm', 'cpu']).default('auto'),
  })
  .strict()
  .transform((spec) => ({ ...spec, weighting: spec.weighting ?? defaultWeighting(spec) }))
export type ExperimentSpec = z.infer<typeof ExperimentSpec>
export type ExperimentSpecInput = z.input<typeof ExperimentSpec>

function defaultWeighting(spec: {
  classWeights?: Record<string, number> | undefined
  resampling: { method: ResamplingMethod }
}): 'custom' | 'none' | 'balanced' {
  if (spec.classWeights) return 'custom'
  return spec.resampling.method === 'none' ? 'balanced' : 'none'
}

export const ExperimentStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'])
export type ExperimentStatus = z.infer<typeof ExperimentStatus>

/** Metrics of one part (validation or test) at the threshold chosen on validation. */
export const PartMetrics = z.object({
  records: z.number().int(),
  positives: z.number().int(),
  /** Null when the part holds one class only. */
  auroc: z.number().nullable(),
  auprc: z.number().nullable(),
  /** Null for scores that are not probabilities (the motif scan's log-odds, uncalibrated). */
  logLoss: z.number().nullable(),
  /**
   * Brier score (mean squared error of the probabilities, the model's own: calibrated ones are in
   * `RunResult.calibration`), null where log loss is; absent in experiments stored before it existed.
   */
  brier: z.number().nullable().optional(),
  /** Chosen on VALIDATION (max F1) and applied unchanged to test; a sample is positive when score ≥ it. */
  threshold: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  mcc: z.number().nullable(),
  balancedAccuracy: z.number().nullable(),
  confusion: z.object({ tn: z.number(), fp: z.number(), fn: z.number(), tp: z.number() }).nullable(),
})
export type PartMetrics = z.infer<typeof PartMetrics>

export const EngineUsed = z.object({
  backend: z.string(),
  tfjsVersion: z.string(),
  threads: z.number().int(),
})

/** Results of one training run (one fold of a k-fold experiment, or the whole experiment). */
/** A reliability curve: per non-empty bin of predicted probability, its mean against the positive rate. */
export const ReliabilityPoints = z.object({
  predicted: z.array(z.number()),
  observed: z.array(z.number()),
  /** Samples per bin. */
  counts: z.array(z.number().int()),
})
export type ReliabilityPoints = z.infer<typeof ReliabilityPoints>

/** How well one part's probabilities match what happened. */
export const ScoreCalibration = z.object({
  brier: z.number(),
  logLoss: z.number(),
  /** 10 bins of equal width over [0, 1] … */
  uniform: ReliabilityPoints,
  /** … and 10 bins of about equal counts (readable when most probabilities are small). */
  quantile: ReliabilityPoints,
})
export type ScoreCalibration = z.infer<typeof ScoreCalibration>

export const PartCalibration = z.object({
  /** The model's own scores; null when they are not probabilities (the motif scan's log-odds). */
  raw: ScoreCalibration.nullable(),
  /** The calibrated scores; null when the run was not calibrated. */
  calibrated: ScoreCalibration.nullable(),
})
export type PartCalibration = z.infer<typeof PartCalibration>

/**
 * The calibration of one run: fitted on validation, applied unchanged to test. The run's metrics and stored
 * predictions stay those of the model's own scores (the threshold, predictions, comparisons and exported
 * models agree with each other); the calibrated probabilities are measured here.
 */
export const RunCalibration = z.object({
  method: CalibrationMethod,
  /**
   * `uninformative`: fitted but not applied, because on validation higher scores did not mean more positives
   * (Platt's slope a ≥ 0, or an isotonic fit that is one constant): it would erase or reverse the ranking.
   */
  skipped: z.enum(['uninformative']).nullable(),
  /** What the calibrator reads: the logit of the model's probability, or its score as it is. */
  input: z.enum(['logit', 'score']).nullable(),
  /** Platt: P(positive) = 1 / (1 + exp(a·input + b)). */
  platt: z.object({ a: z.number(), b: z.number() }).nullable(),
  /** Isotonic: the number of steps of the fitted function. */
  steps: z.number().int().nullable(),
  val: PartCalibration,
  test: PartCalibration,
})
export type RunCalibration = z.infer<typeof RunCalibration>

export const RunResult = z.object({
  fold: z.number().int(),
  bestEpoch: z.number().int().nullable(),
  epochs: z.number().int(),
  stoppedEarly: z.boolean(),
  val: PartMetrics,
  test: PartMetrics,
  trainSeconds: z.number(),
  evalSeconds: z.number(),
  /** Calibration of this run; absent in experiments stored before calibration existed. */
  calibration: RunCalibration.optional(),
})
export type RunResult = z.infer<typeof RunResult>

const MeanSd = z.object({ mean: z.number().nullable(), sd: z.number().nullable() })

export const ExperimentMetrics = z.object({
  /** The run's results; for a k-fold experiment the means over folds of each number. */
  val: PartMetrics,
  test: PartMetrics,
  bestEpoch: z.number().int().nullable(),
  epochs: z.number().int(),
  engine: EngineUsed.nullable(),
  timings: z.object({
    loadSeconds: z.number(),
    trainSeconds: z.number(),
    evalSeconds: z.number(),
    totalSeconds: z.number(),
  }),
  /** Every run: one, or one per fold. */
  folds: z.array(RunResult),
  /**
   * Gene-pair experiments (CNNC, DeepDRIM): the test pairs of every run pooled into one ranked network,
   * scored as BEELINE does (AUPRC ratio, EPR) plus the indirect-edge rate when the pair kinds are known.
   */
  network: NetworkMetrics.nullable().optional(),
  /** k-fold: mean ± sd (sample sd, n − 1) across folds of the headline numbers. */
  acrossFolds: z
    .object({
      valAuroc: MeanSd,
      valAuprc: MeanSd,
      testAuroc: MeanSd,
      testAuprc: MeanSd,
      testF1: MeanSd,
      testMcc: MeanSd,
    })
    .nullable(),
})
export type ExperimentMetrics = z.infer<typeof ExperimentMetrics>

export const ExperimentSummary = z.object({
  experimentId: ExperimentId,
  name: z.string(),
  datasetId: DatasetId,
  splitId: SplitId.nullable(),
  modelKind: z.string(),
  seed: z.number().int(),
  status: ExperimentStatus,
  backend: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  bestEpoch: z.number().int().nullable(),
  /** Epochs finished (over all folds). */
  epochsDone: z.number().int(),
  /** Headline numbers (null until the experiment is done). */
  valAuroc: z.number().nullable(),
  valAuprc: z.number().nullable(),
  testAuroc: z.number().nullable(),
  testAuprc: z.number().nullable(),
  testF1: z.number().nullable(),
  /** k-fold: sd across folds of the val / test AUROC. */
  valAurocSd: z.number().nullable(),
  testAurocSd: z.number().nullable(),
  error: z.unknown().optional(),
})
export type ExperimentSummary = z.infer<typeof ExperimentSummary>

export const EpochRow = z.object({
  fold: z.number().int(),
  epoch: z.number().int(),
  trainLoss: z.number(),
  valLoss: z.number(),
  valAuroc: z.number().nullable(),
  valAuprc: z.number().nullable(),
  seconds: z.number(),
})
export type EpochRow = z.infer<typeof EpochRow>

export const CurvePoints = z.object({
  fold: z.number().int(),
  part: z.enum(['val', 'test']),
  /** ≤ 1,000 points each, the first and last kept. */
  roc: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }),
  pr: z.object({ recall: z.array(z.number()), precision: z.array(z.number()) }),
})
export type CurvePoints = z.infer<typeof CurvePoints>

/**
 * The training set of one run as it was trained: class counts before and after resampling, the rows that
 * were generated, and the total sample weight per class (what the loss sees). Validation and test are not
 * here: they never change.
 */
export const TrainingBalance = z.object({
  fold: z.number().int(),
  method: ResamplingMethod,
  weighting: z.enum(['none', 'balanced', 'file', 'custom']),
  /** Class labels (values), ascending. */
  classes: z.array(z.number()),
  /** Training records per class before resampling … */
  before: z.array(z.number().int()),
  /** … and rows per class after it (repeats and generated rows counted). */
  after: z.array(z.number().int()),
  /** Generated rows per class (interpolated or perturbed), part of `after`. */
  synthetic: z.array(z.number().int()),
  /** Sum of the sample weights per class after resampling (1 per row when unweighted). */
  weightSums: z.array(z.number()),
})
export type TrainingBalance = z.infer<typeof TrainingBalance>

export const ExperimentDetail = ExperimentSummary.extend({
  /** The spec as stored: every default filled in, the model parsed by the core. */
  spec: z.record(z.string(), z.unknown()),
  epochs: z.array(EpochRow),
  metrics: ExperimentMetrics.nullable(),
  curves: z.array(CurvePoints),
  /** The training set of each run (fold), stored when its training starts. */
  balance: z.array(TrainingBalance),
})
export type ExperimentDetail = z.infer<typeof ExperimentDetail>

export const PredictionRow = z.object({
  /** 0-based record index in the data set. */
  record: z.number().int(),
  recordId: z.string().nullable(),
  label: z.number(),
  score: z.number(),
  /** At the threshold chosen on validation. */
  predicted: z.number().int(),
})

const ok = z.object({ ok: z.literal(true) })
const ExperimentRef = z.object({ projectId: ProjectId, experimentId: ExperimentId }).strict()

export const experimentCalls = {
  /** Validates the spec against its data set and split (and the model against the core) and stores it, queued. */
  'experiments.create': {
    input: z.object({ projectId: ProjectId, spec: ExperimentSpec }).strict(),
    output: z.object({ experimentId: ExperimentId }),
  },
  /** Runs a created experiment as a job (`job.updated` per batch and epoch); one or two at once. */
  'experiments.run': { input: ExperimentRef, output: z.object({ jobId: z.string() }) },
  /** Continues a cancelled, interrupted or failed experiment from its last finished epoch. */
  'experiments.resume': { input: ExperimentRef, output: z.object({ jobId: z.string() }) },
  'experiments.list': {
    input: z.object({ projectId: ProjectId, datasetId: DatasetId.optional() }).strict(),
    output: z.array(ExperimentSummary),
  },
  'experiments.get': { input: ExperimentRef, output: ExperimentDetail },
  /** Stored predictions of one part, in record order, a page at a time. */
  'experiments.predictions': {
    input: z
      .object({
        projectId: ProjectId,
        experimentId: ExperimentId,
        part: z.enum(['val', 'test']).default('test'),
        fold: z.number().int().min(0).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(1000),
      })
      .strict(),
    output: z.object({
      total: z.number().int(),
      threshold: z.number().nullable(),
      rows: z.array(PredictionRow),
    }),
  },
  /** Deletes an experiment with its epochs, weights and predictions; refused while it runs. */
  'experiments.delete': { input: ExperimentRef, output: ok },
  /**
   * The seed's ablation from one base spec (a CNN with dropout): creates and queues three experiments,
   * full (as given), no dropout (dropout 0) and no weights (weighting none).
   */
  'experiments.ablation': {
    input: z.object({ projectId: ProjectId, spec: ExperimentSpec }).strict(),
    output: z.object({
      experiments: z.array(
        z.object({
          variant: z.enum(['full', 'noDropout', 'noWeights']),
          experimentId: ExperimentId,
          jobId: z.string(),
        }),
      ),
    }),
  },
} as const
