/**
 * Calls of the experiment comparison (issue 4, view 7): how sure each experiment's numbers are, whether the
 * gap to the best one is real, and confusion matrices at a threshold the user moves. Merged into `calls` by
 * `contract.ts`; implemented by `src/app/compare/handlers.ts` from the stored predictions, with the core's
 * statistics (`src/core/compare`), which the renderer cannot import.
 *
 * Why predictions and not the stored metrics: intervals and paired tests need every record's score. A k-fold
 * experiment pools its folds' predictions of the part (each record is in one fold's test, and in one fold's
 * validation), so it compares record for record with any experiment on the same records.
 */
import { z } from 'zod'

const ProjectId = z.string().min(1).max(200)
const ExperimentId = z.number().int().positive()
const Part = z.enum(['val', 'test'])

/** A percentile bootstrap interval of one metric (stratified: every resample keeps the class counts). */
export const MetricCi = z.object({
  estimate: z.number(),
  low: z.number(),
  high: z.number(),
  /** The bootstrap standard error. */
  se: z.number(),
})
export type MetricCi = z.infer<typeof MetricCi>

/** One experiment minus the best on one metric, with the interval of the difference and a p-value. */
export const PairedDifference = z.object({
  diff: z.number(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  p: z.number(),
  /** AUROC: DeLong's test (its normal interval); AUPRC: the paired bootstrap (percentile interval). */
  method: z.enum(['delong', 'paired_bootstrap']),
})
export type PairedDifference = z.infer<typeof PairedDifference>

/** The core's verdict: a code the UI translates (`compare.real_difference` / `compare.no_real_difference`). */
export const CompareVerdict = z.object({
  code: z.enum(['compare.real_difference', 'compare.no_real_difference']),
  real: z.boolean(),
  params: z.object({
    p: z.number(),
    pText: z.string(),
    alpha: z.number(),
    pRaw: z.number().optional(),
    comparisons: z.number().int().optional(),
  }),
})
export type CompareVerdict = z.infer<typeof CompareVerdict>

export const ExperimentCis = z.object({
  experimentId: ExperimentId,
  records: z.number().int(),
  positives: z.number().int(),
  /** Null when the part holds one class only (or the statistic cannot be computed). */
  auroc: MetricCi.nullable(),
  auprc: MetricCi.nullable(),
})
export type ExperimentCis = z.infer<typeof ExperimentCis>

export const PairComparison = z.object({
  experimentId: ExperimentId,
  /** Whether both experiments scored the very same records of the part (a paired test needs it). */
  paired: z.boolean(),
  auroc: PairedDifference.nullable(),
  auprc: PairedDifference.nullable(),
  /**
   * Verdicts against the best, Holm-corrected over the experiments compared; null when not paired (then
   * `problem` says why, as an error code the UI translates).
   */
  aurocVerdict: CompareVerdict.nullable(),
  auprcVerdict: CompareVerdict.nullable(),
  problem: z.string().optional(),
})
export type PairComparison = z.infer<typeof PairComparison>

export const Confusion = z.object({ tn: z.number(), fp: z.number(), fn: z.number(), tp: z.number() })
export type Confusion = z.infer<typeof Confusion>

export const compareCalls = {
  /**
   * Bootstrap 95% CIs of AUROC and AUPRC per experiment on one part, and each experiment against the best
   * (highest AUPRC): DeLong on AUROC, paired bootstrap on AUPRC, verdicts with Holm's correction.
   */
  'compare.experiments': {
    input: z
      .object({
        projectId: ProjectId,
        experimentIds: z.array(ExperimentId).min(1).max(20),
        part: Part.default('test'),
        bootstrap: z
          .object({
            n: z.number().int().min(100).max(10_000).default(1000),
            seed: z
              .number()
              .int()
              .min(0)
              .max(2 ** 31 - 1)
              .default(42),
          })
          .strict()
          .prefault({}),
        alpha: z.number().gt(0).lt(1).default(0.05),
      })
      .strict(),
    output: z.object({
      part: Part,
      resamples: z.number().int(),
      seed: z.number().int(),
      alpha: z.number(),
      /** The reference of the comparisons: the highest AUPRC on this part. */
      bestId: ExperimentId.nullable(),
      experiments: z.array(ExperimentCis),
      comparisons: z.array(PairComparison),
    }),
  },
  /**
   * Confusion matrices at a threshold: the user moves it on validation and applies it to test unchanged.
   * `chosen` is the threshold the experiment chose on validation (max F1).
   */
  'compare.confusion': {
    input: z
      .object({
        projectId: ProjectId,
        experimentId: ExperimentId,
        threshold: z.number().min(-1e6).max(1e6),
      })
      .strict(),
    output: z.object({
      threshold: z.number(),
      chosen: z.number().nullable(),
      val: Confusion,
      test: Confusion,
    }),
  },
} as const
