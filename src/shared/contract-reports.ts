/**
 * Calls of the exports (issue 4, view 9): a trained model as a TensorFlow.js layers model, and a one-page
 * HTML report of one experiment or of a comparison. Merged into `calls` by `contract.ts`; implemented by
 * `src/app/reports/handlers.ts`.
 *
 * Charts and tables of the views are exported in the renderer itself (PNG/SVG from ECharts, CSV); what
 * needs the project (weights, every record's prediction, the paired tests) is made here, on the services'
 * side, and written to a file the user chose (`target`, a reference from a save dialog or the workspace).
 *
 * The model is written as tfjs writes it (`model.json` + one weights file beside it, named
 * `<name>.weights.bin`), so `tf.loadLayersModel` reads it as it is: `file://…/model.json` with tfjs-node,
 * an http(s) URL, or `tf.io.browserFiles([json, bin])` in a browser. `model.json` carries SeqLab's own
 * description of the input (`userDefinedMetadata.seqlab`: encoding, alphabet, window length, threshold).
 */
import { z } from 'zod'

// `contract.ts` imports this module; these are its shapes (see contract-datasets.ts for why they repeat).
const FileRef = z.object({ id: z.string().min(1).max(200), name: z.string() })
const ProjectId = z.string().min(1).max(200)
const ExperimentId = z.number().int().positive()

/** The languages a report can be written in (the renderer's locales). */
export const ReportLocale = z.enum(['en', 'zh-CN'])
export type ReportLocale = z.infer<typeof ReportLocale>

/** What a report is about: one experiment, or a comparison of several on one part. */
export const ReportSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('experiment'), experimentId: ExperimentId }).strict(),
  z
    .object({
      kind: z.literal('comparison'),
      experimentIds: z.array(ExperimentId).min(2).max(20),
      part: z.enum(['val', 'test']).default('test'),
    })
    .strict(),
])
export type ReportSubject = z.infer<typeof ReportSubject>
export type ReportSubjectInput = z.input<typeof ReportSubject>

const reportInput = {
  projectId: ProjectId,
  subject: ReportSubject,
  locale: ReportLocale.default('en'),
}

export const reportCalls = {
  /**
   * Writes an experiment's best weights (of `fold`, default 0) as a TensorFlow.js layers model: `target`
   * becomes `model.json`, the weights go beside it. Neural models only (the motif scan has no weights).
   */
  'models.export': {
    input: z
      .object({
        projectId: ProjectId,
        experimentId: ExperimentId,
        fold: z.number().int().min(0).max(99).optional(),
        target: FileRef,
      })
      .strict(),
    output: z.object({
      /** File names as written (beside each other). */
      model: z.string(),
      weights: z.string(),
      bytes: z.number().int(),
      /** One sample, without the batch: [length, 4] one-hot DNA, [columns] k-mer counts. */
      inputShape: z.array(z.number().int()),
      encoding: z.enum(['onehot', 'kmer', 'aac', 'dpc']),
    }),
  },
  /**
   * The report as one self-contained HTML page (inline CSS, charts as inline SVG, no scripts, nothing
   * fetched), in the language asked for: what the preview shows.
   */
  'reports.render': {
    input: z.object(reportInput).strict(),
    output: z.object({ html: z.string(), title: z.string(), fileName: z.string() }),
  },
  /** The same page written to a file the user chose. */
  'reports.save': {
    input: z.object({ ...reportInput, target: FileRef }).strict(),
    output: z.object({ file: z.string(), bytes: z.number().int() }),
  },
} as const
