/**
 * Calls of Predict (issue 4, view 8): score new sequences, or every window of a genome region, with a
 * finished experiment's stored model (best weights, or the untrained motif scan), and call each one at the
 * threshold the experiment chose on VALIDATION. Merged into `calls` by `contract.ts`; implemented by
 * `src/app/predict/handlers.ts`.
 *
 * Scoring runs as a job (progress, ETA, cancel) with the model in a worker thread; the job's scores stay in
 * the services' memory (the last few results, until the app closes), read back a page or a chart at a time
 * by the job's id and written to a file the user chose by `predict.export`.
 *
 * Coordinates are 0-based and half-open, as in BED and bedGraph (`start` 0 is the first base); the UI shows
 * them 1-based as genome browsers do and converts. Window ids are `name:start-end` in those coordinates,
 * the same ids the genome import gives its windows.
 */
import { z } from 'zod'
import { MAX_PASTED_CHARS, MAX_TRACK_POINTS } from './predict-limits'

// `contract.ts` imports this module, so its FileRef and ProjectId cannot be imported back here without a
// cycle; these are the same shapes.
const FileRef = z.object({ id: z.string().min(1).max(200), name: z.string() })
const ProjectId = z.string().min(1).max(200)
const ExperimentId = z.number().int().positive()
const JobId = z.string().min(1).max(200)

export { MAX_PASTED_CHARS, MAX_PREDICT_ITEMS, MAX_TRACK_POINTS } from './predict-limits'

/** A finished experiment that can score new sequences, with what its input must look like. */
export const PredictModel = z.object({
  experimentId: ExperimentId,
  name: z.string(),
  modelKind: z.string(),
  /** `onehot` or `kmer` (with k). */
  encoding: z.string(),
  k: z.number().int().nullable(),
  alphabet: z.enum(['dna', 'protein']),
  /** The window length the model reads (the data set's longest sequence). */
  length: z.number().int(),
  /** True when every training sequence had that length (then new ones must have it too). */
  fixedLength: z.boolean(),
  /** Validation AUROC and AUPRC (k-fold: mean over folds). */
  valAuroc: z.number().nullable(),
  valAuprc: z.number().nullable(),
  /** Chosen on validation (max F1); a sequence is called positive when its score is ≥ it. */
  threshold: z.number().nullable(),
  /** The data set's class names, negative then positive. */
  classNames: z.tuple([z.string(), z.string()]),
  /** k-fold experiments score with the mean of their folds' models. */
  folds: z.number().int(),
  datasetName: z.string(),
  finishedAt: z.string().nullable(),
})
export type PredictModel = z.infer<typeof PredictModel>

/** Sequences longer than the window: scored window by window (`stride` bases apart) instead of refused. */
export const WindowsOption = z.object({ stride: z.number().int().min(1).max(1_000_000) }).strict()

export const SequencesSource = z.union([
  /** FASTA text, or one sequence per line. */
  z.object({ text: z.string().min(1).max(MAX_PASTED_CHARS) }).strict(),
  /** A FASTA file (plain or gzip). */
  z.object({ file: FileRef }).strict(),
])
export type SequencesSource = z.infer<typeof SequencesSource>

/** A region of a genome, 0-based half-open. */
export const ScanRegion = z
  .object({
    chrom: z.string().min(1).max(1000),
    start: z.number().int().min(0),
    end: z.number().int().min(1),
  })
  .strict()
export type ScanRegion = z.infer<typeof ScanRegion>

export const GenomeChromosome = z.object({
  /** The chromosome's name as regions name it (a record named like a region gives its chromosome). */
  name: z.string(),
  /** 0-based genome coordinates the record covers (0 … length for an ordinary record). */
  start: z.number().int(),
  end: z.number().int(),
})
export type GenomeChromosome = z.infer<typeof GenomeChromosome>

export const PredictSummary = z.object({
  kind: z.enum(['sequences', 'scan']),
  experimentId: ExperimentId,
  experimentName: z.string(),
  threshold: z.number().nullable(),
  classNames: z.tuple([z.string(), z.string()]),
  /** Rows scored (sequences, or windows). */
  total: z.number().int(),
  /** Rows called positive (score ≥ threshold). */
  called: z.number().int(),
  /** Sequences scored window by window (sequences only). */
  windowed: z.number().int(),
  /** Scan only: the region, the stride, the window length and the windows skipped for holding N. */
  region: ScanRegion.nullable(),
  stride: z.number().int().nullable(),
  length: z.number().int(),
  skippedWithN: z.number().int(),
  /** The file scored, for display. */
  fileName: z.string().nullable(),
  minScore: z.number().nullable(),
  maxScore: z.number().nullable(),
})
export type PredictSummary = z.infer<typeof PredictSummary>

export const PredictRow = z.object({
  /** 0-based position in the input order. */
  index: z.number().int(),
  id: z.string(),
  /** Windows: their coordinates (in the sequence, or the genome). */
  start: z.number().int().nullable(),
  end: z.number().int().nullable(),
  score: z.number(),
  /** 1 when score ≥ threshold, 0 below; null without a threshold. */
  call: z.number().int().nullable(),
})
export type PredictRow = z.infer<typeof PredictRow>

const ResultRef = z.object({ projectId: ProjectId, jobId: JobId }).strict()

export const predictCalls = {
  /** Finished experiments that can predict, newest first. */
  'predict.models': {
    input: z.object({ projectId: ProjectId }).strict(),
    output: z.array(PredictModel),
  },
  /**
   * Scores pasted sequences or a FASTA file as a job. Pasted text is checked before the job starts (a bad
   * record fails the call at once, naming it); a file is checked as it streams (the job fails, naming it).
   */
  'predict.sequences': {
    input: z
      .object({
        projectId: ProjectId,
        experimentId: ExperimentId,
        source: SequencesSource,
        windows: WindowsOption.nullable().default(null),
      })
      .strict(),
    output: z.object({ jobId: JobId, records: z.number().int().nullable() }),
  },
  /** The chromosomes of a genome FASTA (from its .fai, the index given, or by reading it once). */
  'predict.genome': {
    input: z.object({ genome: FileRef, index: FileRef.optional() }).strict(),
    output: z.object({ chromosomes: z.array(GenomeChromosome), indexed: z.boolean() }),
  },
  /** Scores every window of a genome region (`stride` bases apart) as a job. */
  'predict.scan': {
    input: z
      .object({
        projectId: ProjectId,
        experimentId: ExperimentId,
        genome: FileRef,
        index: FileRef.optional(),
        region: ScanRegion,
        stride: z.number().int().min(1).max(1_000_000),
      })
      .strict(),
    output: z.object({ jobId: JobId, windows: z.number().int() }),
  },
  /** What a finished prediction job scored. */
  'predict.result': { input: ResultRef, output: PredictSummary },
  /** A page of a finished prediction's rows, in input order or by score. */
  'predict.rows': {
    input: z
      .object({
        projectId: ProjectId,
        jobId: JobId,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(10_000).default(100),
        sort: z.enum(['input', 'score']).default('input'),
        order: z.enum(['asc', 'desc']).default('asc'),
      })
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(PredictRow) }),
  },
  /**
   * A scan's score track for the chart, at most `maxPoints` points: window centres, and where windows are
   * more than that, the highest score of each run of windows (so a peak is never averaged away).
   */
  'predict.track': {
    input: z
      .object({
        projectId: ProjectId,
        jobId: JobId,
        maxPoints: z.number().int().min(10).max(MAX_TRACK_POINTS).default(4000),
        /** Only windows whose centre lies in [from, to) (zooming in). */
        from: z.number().int().min(0).optional(),
        to: z.number().int().min(1).optional(),
      })
      .strict(),
    output: z.object({
      chrom: z.string(),
      positions: z.array(z.number()),
      scores: z.array(z.number()),
      /** True when each point is the maximum of several windows. */
      binned: z.boolean(),
    }),
  },
  /**
   * Writes a finished prediction to a file the user chose: `csv` (id,score,call; scans and windows add
   * chrom/start/end) or `bedgraph` (scans only: chrom, start, end, score; where windows overlap, each
   * window's central `stride` bases, so the intervals tile the region as bedGraph requires).
   */
  'predict.export': {
    input: z
      .object({
        projectId: ProjectId,
        jobId: JobId,
        target: FileRef,
        format: z.enum(['csv', 'bedgraph']),
      })
      .strict(),
    output: z.object({ rows: z.number().int(), file: z.string() }),
  },
} as const
