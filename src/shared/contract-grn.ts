/**
 * Calls of the gene-regulatory-network workflow (issue 8): importing single-cell expression matrices and
 * labelled gene pairs, their summaries, and the ranked edge list of a trained CNNC / DeepDRIM experiment
 * (for a network view). Merged into `calls` by `contract.ts`; implemented by `src/app/grn/handlers.ts`.
 * Training itself is an ordinary experiment (`experiments.create` with `model.kind` `cnnc` or `deepdrim` on
 * a gene-pair data set), and splits of a pair set are `splits.create` with the methods `tf_folds` or
 * `leave_one_tf_out` (contract-datasets.ts).
 *
 * The workflow a UI follows:
 * 1. `grn.previewExpression` (orientation guess with its evidence, counts, the normalisation to propose,
 *    problems) → the scientist confirms or flips the orientation and picks the normalisation →
 *    `grn.importExpression` (a job; `project.changed` when done). Formats: a dense CSV/TSV table (genes in
 *    rows or columns, gzip ok), a 10x Matrix Market folder (matrix.mtx + features/genes.tsv + barcodes.tsv,
 *    each plain or gzip), or an AnnData `.h5ad` / 10x `.h5` file.
 * 2. `grn.previewPairs` → `grn.importPairs` against that expression data set: either CNNC's pair file
 *    (`geneA geneB label`, labels 0/1 or 0/1/2) or a TF→target edge list from which negatives are drawn per TF
 *    at `negatives.ratio` with `negatives.seed`. Gene names are matched by id or symbol (exact, then ignoring
 *    case); an unknown gene is an error naming the file and line.
 * 3. `grn.pairSummary`, then `splits.create` (`tf_folds`), then `experiments.create` / `experiments.run`.
 * 4. `grn.rankedEdges` (a page of the ranked edge list with the network metrics) and `grn.exportEdges`
 *    (BEELINE's `Gene1 Gene2 EdgeWeight` TSV, plus label and kind).
 *
 * Every object is strict; every user mistake comes back as an `InputError` with a code translated by the UI.
 */
import { z } from 'zod'

// `contract.ts` imports this module, so its FileRef and ProjectId cannot be imported back here.
const FileRef = z.object({ id: z.string().min(1).max(200), name: z.string() })
const ProjectId = z.string().min(1).max(200)
const DatasetId = z.number().int().positive()
const ExperimentId = z.number().int().positive()
const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)

const ProblemData = z.object({
  kind: z.literal('input'),
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  record: z.number().optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
})

// ---------------------------------------------------------------------------------------------------
// Expression matrices

/** The files of one expression matrix: a table, a 10x Matrix Market folder's files, or one HDF5 file. */
export const ExpressionFiles = z.union([
  /** Dense CSV/TSV (plain or gzip): row names in the first column, column names in the header. */
  z.object({ table: FileRef }).strict(),
  /** 10x: matrix.mtx[.gz], features.tsv[.gz] (or v2 genes.tsv), barcodes.tsv[.gz]. */
  z.object({ matrix: FileRef, features: FileRef.optional(), barcodes: FileRef.optional() }).strict(),
  /** AnnData `.h5ad` (X is cells × genes) or Cell Ranger `.h5` (`matrix/` group, features × barcodes). */
  z.object({ h5: FileRef }).strict(),
])
export type ExpressionFiles = z.infer<typeof ExpressionFiles>

export const ExpressionImportOptions = z
  .object({
    /** `auto`: the guess from the names (tables) or the side files (10x); otherwise as given. */
    orientation: z.enum(['auto', 'genes_in_rows', 'cells_in_rows']).default('auto'),
    /**
     * Stored normalisation: `log1p_cp10k` (Seurat's LogNormalize, ln(1 + x / cell total × 10^4)) or `none`
     * (values as they are). `auto`: log1p_cp10k for whole-number counts, none for values that look
     * normalised already. CNNC's log10(x + 0.01) is applied when images are made, never stored.
     */
    normalization: z.enum(['auto', 'none', 'log1p_cp10k']).default('auto'),
    /** Tables: sniffed from the header when absent. */
    delimiter: z.enum([',', '\t', ';']).optional(),
  })
  .strict()
export type ExpressionImportOptions = z.infer<typeof ExpressionImportOptions>

const expressionRequest = <Extra extends z.ZodRawShape>(extra: Extra) =>
  z.object({ ...extra, files: ExpressionFiles, options: ExpressionImportOptions.prefault({}) }).strict()

export const ExpressionImportRequest = expressionRequest({})
export type ExpressionImportRequest = z.infer<typeof ExpressionImportRequest>

const AxisNames = z.object({
  count: z.number().int(),
  sample: z.array(z.string()),
  cellLike: z.number().int(),
  ensemblLike: z.number().int(),
  symbolLike: z.number().int(),
})

export const ExpressionPreview = z.object({
  format: z.enum(['table', 'mtx', 'h5ad', 'h5']),
  /** Genes and cells of the whole matrix, when known from the preview (tables: only the part read). */
  genes: z.number().int().nullable(),
  cells: z.number().int().nullable(),
  /** Whether the preview read the whole matrix. */
  complete: z.boolean(),
  orientation: z.object({
    guess: z.enum(['genes_in_rows', 'cells_in_rows']),
    confidence: z.enum(['high', 'low']),
    applied: z.enum(['genes_in_rows', 'cells_in_rows']),
    /** Codes of the reasons, in order of weight (i18n `expression.orientation.<code>`). */
    reasons: z.array(z.string()),
    rows: AxisNames.nullable(),
    columns: AxisNames.nullable(),
  }),
  /** Of the part read. */
  stats: z
    .object({
      nonZeros: z.number().int(),
      density: z.number(),
      integerValued: z.boolean(),
      maxValue: z.number(),
      suggestedNormalization: z.enum(['none', 'log1p_cp10k']),
    })
    .nullable(),
  geneSample: z.array(z.string()),
  cellSample: z.array(z.string()),
  /** The first genes (≤ 5) × cells (≤ 8), as genes × cells after the orientation. */
  values: z.array(z.array(z.number())),
  problems: z.array(ProblemData),
})
export type ExpressionPreview = z.infer<typeof ExpressionPreview>

export const ExpressionSummary = z.object({
  datasetId: DatasetId,
  name: z.string(),
  createdAt: z.string(),
  source: z.record(z.string(), z.unknown()),
  genes: z.number().int(),
  cells: z.number().int(),
  nonZeros: z.number().int(),
  density: z.number(),
  normalization: z.enum(['none', 'log1p_cp10k']),
  /** Of the values as imported (before normalisation). */
  integerValued: z.boolean(),
  maxValue: z.number(),
  geneSample: z.array(z.string()),
  cellSample: z.array(z.string()),
  /** Gene-pair data sets imported against this matrix. */
  pairSets: z.array(DatasetId),
})
export type ExpressionSummary = z.infer<typeof ExpressionSummary>

// ---------------------------------------------------------------------------------------------------
// Gene pairs

export const PairsFiles = z.union([
  /** CNNC's pair file: `geneA geneB label` per line (whitespace or comma), labels 0/1 or 0/1/2. */
  z.object({ pairs: FileRef, tfs: FileRef.optional() }).strict(),
  /** A TF→target edge list (`tf target` per line, optional header); negatives are sampled. */
  z.object({ edges: FileRef, tfs: FileRef.optional() }).strict(),
])
export type PairsFiles = z.infer<typeof PairsFiles>

export const PairsImportOptions = z
  .object({
    /** The expression data set whose genes the pairs name. */
    expressionId: DatasetId,
    /** Edge lists: negatives per positive, per TF (DeepDRIM: 1), drawn with `seed`. */
    negatives: z
      .object({ ratio: z.number().min(0).max(100).default(1), seed: Seed.default(42) })
      .strict()
      .prefault({}),
  })
  .strict()
export type PairsImportOptions = z.infer<typeof PairsImportOptions>

const pairsRequest = <Extra extends z.ZodRawShape>(extra: Extra) =>
  z.object({ ...extra, files: PairsFiles, options: PairsImportOptions }).strict()

export const PairsImportRequest = pairsRequest({})
export type PairsImportRequest = z.infer<typeof PairsImportRequest>

export const PairsPreview = z.object({
  format: z.enum(['pairs', 'edges']),
  /** The first pairs as they would be stored (≤ 20). */
  pairs: z.array(
    z.object({
      line: z.number().int().nullable(),
      tf: z.string(),
      target: z.string(),
      label: z.number().int(),
    }),
  ),
  total: z.number().int(),
  positives: z.number().int(),
  tfs: z.number().int(),
  labelKind: z.enum(['binary', 'directed']),
  /** E.g. a TF with too few genes for its negatives. */
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  problems: z.array(ProblemData),
})
export type PairsPreview = z.infer<typeof PairsPreview>

export const PairSetSummary = z.object({
  datasetId: DatasetId,
  name: z.string(),
  createdAt: z.string(),
  source: z.record(z.string(), z.unknown()),
  expressionId: DatasetId,
  expressionName: z.string(),
  labelKind: z.enum(['binary', 'directed']),
  pairs: z.number().int(),
  /** Pairs with a label other than 0. */
  positives: z.number().int(),
  /** positives / pairs: the AUPRC of a random ranking. */
  positiveRate: z.number(),
  labelCounts: z.array(z.object({ label: z.number().int(), count: z.number().int() })),
  /** Per TF (the pair's first gene), in order of first appearance. */
  tfs: z.array(z.object({ tf: z.string(), pairs: z.number().int(), positives: z.number().int() })),
  /** The TF list given at import (or the TFs of the edge list). */
  tfList: z.array(z.string()),
  /** Distinct genes among the pairs. */
  genes: z.number().int(),
  /** Pair kinds when the truth is known (simulated data): none, direct, indirect. */
  kinds: z
    .array(z.object({ kind: z.enum(['none', 'direct', 'indirect']), count: z.number().int() }))
    .nullable(),
})
export type PairSetSummary = z.infer<typeof PairSetSummary>

// ---------------------------------------------------------------------------------------------------
// Results as a network

/**
 * Network-level scores of ranked pairs (BEELINE; core/grn/metrics.ts): AUPRC ratio = AUPRC / positive rate;
 * EPR = precision among the top k (k = true edges) / positive rate; `indirectFpr` = share of indirect pairs
 * (a→c→b, no a→b) among the top k, only when the pair kinds are known.
 */
export const NetworkMetrics = z.object({
  pairs: z.number().int(),
  edges: z.number().int(),
  auroc: z.number().nullable(),
  auprc: z.number().nullable(),
  auprcRatio: z.number().nullable(),
  ep: z.number().nullable(),
  epr: z.number().nullable(),
  indirectFpr: z.number().nullable(),
})
export type NetworkMetrics = z.infer<typeof NetworkMetrics>

export const RankedEdge = z.object({
  /** 1-based rank by decreasing score. */
  rank: z.number().int(),
  /** The pair's record index in its data set. */
  record: z.number().int(),
  tf: z.string(),
  target: z.string(),
  score: z.number(),
  label: z.number().int(),
  kind: z.enum(['none', 'direct', 'indirect']).nullable(),
  /** The fold whose model scored the pair (it was in that fold's test part). */
  fold: z.number().int(),
})
export type RankedEdge = z.infer<typeof RankedEdge>

export const grnCalls = {
  /** Reads the start of an expression matrix (tables) or its side files and header (10x, HDF5). Changes nothing. */
  'grn.previewExpression': {
    input: expressionRequest({ projectId: ProjectId }),
    output: ExpressionPreview,
  },
  /** Imports an expression matrix as a job; a bad value anywhere or a cancel leaves the project unchanged. */
  'grn.importExpression': {
    input: expressionRequest({ projectId: ProjectId, name: z.string().trim().min(1).max(200) }),
    output: z.object({ jobId: z.string() }),
  },
  'grn.expressionSummary': {
    input: z.object({ projectId: ProjectId, datasetId: DatasetId }).strict(),
    output: ExpressionSummary,
  },
  /** Reads the pair or edge file against the expression data set: first pairs, counts, problems. */
  'grn.previewPairs': { input: pairsRequest({ projectId: ProjectId }), output: PairsPreview },
  /** Imports a gene-pair data set as a job (one transaction). */
  'grn.importPairs': {
    input: pairsRequest({ projectId: ProjectId, name: z.string().trim().min(1).max(200) }),
    output: z.object({ jobId: z.string() }),
  },
  'grn.pairSummary': {
    input: z.object({ projectId: ProjectId, datasetId: DatasetId }).strict(),
    output: PairSetSummary,
  },
  /**
   * The ranked edge list of a finished CNNC / DeepDRIM experiment: every pair of its test part(s) (each
   * fold's test pairs scored by that fold's model) by decreasing score, a page at a time, with the network
   * metrics of the whole list.
   */
  'grn.rankedEdges': {
    input: z
      .object({
        projectId: ProjectId,
        experimentId: ExperimentId,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(500),
      })
      .strict(),
    output: z.object({ total: z.number().int(), metrics: NetworkMetrics, rows: z.array(RankedEdge) }),
  },
  /** Writes the ranked edge list as TSV (`Gene1 Gene2 EdgeWeight Label Kind Fold`) to a file the user chose. */
  'grn.exportEdges': {
    input: z.object({ projectId: ProjectId, experimentId: ExperimentId, target: FileRef }).strict(),
    output: z.object({ rows: z.number().int(), file: z.string() }),
  },
} as const
