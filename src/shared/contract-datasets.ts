/**
 * Calls of the data workflow: importing data sets (preview, import as a job), listing them, splits,
 * export. Merged into `calls` by `contract.ts`; implemented by `src/app/datasets/handlers.ts`.
 *
 * The import wizard is built on these schemas, so every option is documented here and every object is
 * strict (an unknown option is a mistake, not something to ignore). One import is described by
 * `{ kind, files, options }`, a union on `kind`:
 *
 * - `fasta`  — labelled FASTA; the label comes from the header (a regex with one capture group, a
 *              `key=value` token, or the last `|` field) or from a CSV/TSV table keyed by the record id;
 * - `csv`    — CSV/TSV with sequence and label columns (+ optional weight, group, id), chosen by name;
 * - `genome` — genome FASTA (+ optional `.fai`) and a peaks file (BED/narrowPeak, gzip ok) cut into
 *              fixed windows, labelled 1 when bound by the chosen rule;
 * - `npy`    — the DeepChem/Kaggle JunD arrays: X (n, L, 4) one-hot, y, optional w and ids, as loose
 *              `.npy` files or one `.npz` with members X, y, w, ids.
 *
 * Binary labels are stored as 0/1 (the label set names the file's negative and positive values, in that
 * order); multi-class labels as their class names; numeric labels as numbers.
 */
import { z } from 'zod'

// `contract.ts` imports this module, so its FileRef and ProjectId cannot be imported back here without a
// cycle; these are the same shapes.
const FileRef = z.object({ id: z.string().min(1).max(200), name: z.string() })
const ProjectId = z.string().min(1).max(200)
const DatasetId = z.number().int().positive()
const SplitId = z.number().int().positive()

// ---------------------------------------------------------------------------------------------------
// What a data set declares about its sequences and labels

export const SequenceAlphabet = z.enum(['dna', 'protein'])

/** How labels are read and checked. A label outside the declared set fails the import. */
export const LabelSpec = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('binary'),
      /** The file's value for the negative class (stored as 0). Numbers match numerically (`0.0` is `0`). */
      negative: z.string().min(1).max(100).default('0'),
      /** The file's value for the positive class (stored as 1). */
      positive: z.string().min(1).max(100).default('1'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('multiclass'),
      /** The allowed classes; when absent, every class found in the file is taken. */
      classes: z.array(z.string().min(1).max(100)).min(2).max(1000).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('numeric') }).strict(),
])
export type LabelSpec = z.infer<typeof LabelSpec>

/** Rules for the sequences of FASTA and CSV imports. */
const sequenceRules = {
  alphabet: SequenceAlphabet.default('dna'),
  /**
   * DNA: IUPAC ambiguity codes (R Y S W K M B D H V) are rejected (default), read as N, or kept.
   * Protein: B J O U X Z and `*` are always accepted.
   */
  ambiguity: z.enum(['reject', 'asN', 'keep']).default('reject'),
  /**
   * Every sequence must have this length (a number), or all the same length as the first (`same`);
   * absent: any lengths.
   */
  fixedLength: z.union([z.number().int().min(1).max(1_000_000), z.literal('same')]).optional(),
  labels: LabelSpec.default({ kind: 'binary', negative: '0', positive: '1' }),
}

/** Where a FASTA record's label comes from. */
export const FastaLabelSource = z.discriminatedUnion('from', [
  /** A JavaScript regular expression with exactly one capture group, matched against the header line (without `>`). */
  z.object({ from: z.literal('regex'), pattern: z.string().min(1).max(500) }).strict(),
  /** A `key=value` token of the header (tokens are separated by spaces, `|`, `;` or `,`). */
  z.object({ from: z.literal('token'), key: z.string().min(1).max(100) }).strict(),
  /** The last `|`-separated field of the header. */
  z.object({ from: z.literal('lastField') }).strict(),
  /** A CSV/TSV table (`files.labels`) with one row per record id. Every FASTA id must have a row. */
  z
    .object({
      from: z.literal('table'),
      idColumn: z.string().min(1),
      labelColumn: z.string().min(1),
      weightColumn: z.string().min(1).optional(),
      groupColumn: z.string().min(1).optional(),
    })
    .strict(),
])
export type FastaLabelSource = z.infer<typeof FastaLabelSource>

const Delimiter = z.enum([',', '\t', ';'])

export const FastaImportOptions = z.object({ ...sequenceRules, label: FastaLabelSource }).strict()
export const CsvImportOptions = z
  .object({
    ...sequenceRules,
    sequenceColumn: z.string().min(1),
    labelColumn: z.string().min(1),
    weightColumn: z.string().min(1).optional(),
    groupColumn: z.string().min(1).optional(),
    idColumn: z.string().min(1).optional(),
    /** Sniffed from the header when absent. */
    delimiter: Delimiter.optional(),
  })
  .strict()

/** A genome region `chrom:start-end`, 0-based half-open (as in BED). */
export const GenomeRegionInput = z
  .object({ chrom: z.string().min(1), start: z.number().int().min(0), end: z.number().int().min(1) })
  .strict()

export const GenomeImportOptions = z
  .object({
    /** Window length in bases. */
    length: z.number().int().min(1).max(1_000_000).default(101),
    /** Distance between window starts; default: the length (adjacent windows). */
    stride: z.number().int().min(1).max(1_000_000).optional(),
    /** centre: the centre base lies in a peak; overlap: a peak covers ≥ overlapFraction; summit: a narrowPeak summit lies in the window. */
    rule: z.enum(['centre', 'overlap', 'summit']).default('centre'),
    overlapFraction: z.number().gt(0).max(1).optional(),
    /** Only these chromosomes (`22` matches `chr22`). */
    chromosomes: z.array(z.string().min(1)).min(1).optional(),
    /** Only windows inside these regions. */
    regions: z.array(GenomeRegionInput).min(1).optional(),
    /** Windows holding N (or another non-ACGT letter) are skipped (default) or kept. */
    nPolicy: z.enum(['skip', 'keep']).default('skip'),
    /** IUPAC codes in the genome: read as N (default) or rejected. */
    ambiguity: z.enum(['reject', 'asN']).default('asN'),
  })
  .strict()

export const NpyImportOptions = z
  .object({ labels: LabelSpec.default({ kind: 'binary', negative: '0', positive: '1' }) })
  .strict()

export const FastaImportFiles = z.object({ fasta: FileRef, labels: FileRef.optional() }).strict()
export const CsvImportFiles = z.object({ table: FileRef }).strict()
export const GenomeImportFiles = z
  .object({ genome: FileRef, peaks: FileRef, index: FileRef.optional() })
  .strict()
export const NpyImportFiles = z.union([
  z.object({ X: FileRef, y: FileRef, w: FileRef.optional(), ids: FileRef.optional() }).strict(),
  z.object({ npz: FileRef }).strict(),
])

/** One import: which importer, its files and its options (plus `extra` fields, e.g. the project). */
function importRequest<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.discriminatedUnion('kind', [
    z
      .object({ ...extra, kind: z.literal('fasta'), files: FastaImportFiles, options: FastaImportOptions })
      .strict(),
    z.object({ ...extra, kind: z.literal('csv'), files: CsvImportFiles, options: CsvImportOptions }).strict(),
    z
      .object({
        ...extra,
        kind: z.literal('genome'),
        files: GenomeImportFiles,
        options: GenomeImportOptions.prefault({}),
      })
      .strict(),
    z
      .object({
        ...extra,
        kind: z.literal('npy'),
        files: NpyImportFiles,
        options: NpyImportOptions.prefault({}),
      })
      .strict(),
  ])
}

export const ImportRequest = importRequest({})
export type ImportRequest = z.infer<typeof ImportRequest>
export type ImportKind = ImportRequest['kind']

// ---------------------------------------------------------------------------------------------------
// What comes back

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

export const PreviewRecord = z.object({
  /** 1-based line of the record (text files) or row (arrays). */
  line: z.number().int().optional(),
  record: z.number().int(),
  id: z.string().nullable(),
  /** The first 200 letters. */
  sequence: z.string(),
  length: z.number().int(),
  /** As stored: 0/1 (binary), class name, or number; null when the record had a problem. */
  label: z.union([z.number(), z.string()]).nullable(),
  /** The label as written in the file. */
  rawLabel: z.string().nullable(),
  weight: z.number().nullable(),
  group: z.string().nullable(),
  chrom: z.string().nullable(),
  start: z.number().int().nullable(),
  end: z.number().int().nullable(),
})
export type PreviewRecord = z.infer<typeof PreviewRecord>

export const ImportPreview = z.object({
  kind: z.enum(['fasta', 'csv', 'genome', 'npy']),
  /** Up to 20 records from the start of the file(s). */
  records: z.array(PreviewRecord),
  /** Records looked at (more than shown, fewer than the file holds unless `complete`). */
  scanned: z.number().int(),
  /** True when the preview reached the end of the data. */
  complete: z.boolean(),
  layout: z.object({
    /** CSV/TSV: the header's columns (and the label table's, for FASTA with a table). */
    columns: z.array(z.string()).optional(),
    delimiter: z.string().optional(),
    /** The labels seen, as written in the file, with counts. */
    labels: z.array(z.object({ label: z.string(), count: z.number().int() })),
    lengths: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
    /** A guess from the letters seen. */
    alphabetGuess: z.enum(['dna', 'protein', 'unknown']),
    /** Genome: its sequences (with the .fai: all of them). npy: the arrays' shapes. */
    chromosomes: z.array(z.string()).optional(),
    shapes: z.record(z.string(), z.array(z.number().int())).optional(),
  }),
  /** Problems found so far, each with its file and line / record. */
  problems: z.array(ProblemData),
})
export type ImportPreview = z.infer<typeof ImportPreview>

export const DatasetInfo = z.object({
  datasetId: DatasetId,
  name: z.string(),
  /**
   * `sequences` (the importers above), `expression` (a genes × cells matrix; `records` counts its genes)
   * or `gene_pairs` (regulator→target pairs with labels, against an expression data set; see
   * contract-grn.ts for their own summaries).
   */
  kind: z.enum(['sequences', 'expression', 'gene_pairs']),
  alphabet: z.string().nullable(),
  labelKind: z.enum(['binary', 'multiclass', 'numeric']),
  /** Binary: [negative, positive] as written in the file; multi-class: the classes. */
  labelSet: z.array(z.string()),
  /** Every sequence's length, or null when they differ. */
  seqLength: z.number().int().nullable(),
  records: z.number().int(),
  createdAt: z.string(),
  /** Provenance: importer, file names, options. */
  source: z.record(z.string(), z.unknown()),
})
export type DatasetInfo = z.infer<typeof DatasetInfo>

export const DatasetSummary = DatasetInfo.extend({
  /** Per label as stored (0/1, class, or — numeric — not given). */
  labelCounts: z.array(z.object({ label: z.union([z.number(), z.string()]), count: z.number().int() })),
  /** Sum of the stored weights per label (records without a weight count 1); null when no record has one. */
  weightSums: z.array(z.object({ label: z.union([z.number(), z.string()]), sum: z.number() })).nullable(),
  lengths: z.object({ min: z.number().int(), max: z.number().int(), mean: z.number() }),
  /** Per chromosome (records that have one): records and, for binary labels, positives. */
  chromosomes: z.array(
    z.object({ chrom: z.string(), records: z.number().int(), positives: z.number().int().nullable() }),
  ),
  splits: z.number().int(),
  experiments: z.number().int(),
})
export type DatasetSummary = z.infer<typeof DatasetSummary>

/** How a split is made. Every random method takes a seed, stored with the split. */
export const SplitMethod = z.discriminatedUnion('method', [
  /** Random, stratified by label (binary/multi-class) or by quantile bins of a numeric target. */
  z
    .object({
      method: z.literal('stratified'),
      val: z.number().min(0).lt(1).default(0.1),
      test: z.number().min(0).lt(1).default(0.1),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42),
    })
    .strict(),
  /** Chromosome hold-out: the chosen chromosomes form validation and test (`22` matches `chr22`). */
  z
    .object({
      method: z.literal('chromosome'),
      val: z.array(z.string().min(1)).default([]),
      test: z.array(z.string().min(1)).default([]),
    })
    .strict(),
  /** k-fold cross-validation, optionally stratified and/or keeping chromosomes or groups together. */
  z
    .object({
      method: z.literal('kfold'),
      k: z.number().int().min(2).max(100).default(5),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42),
      stratify: z.boolean().default(true),
      groupBy: z.enum(['chromosome', 'group']).nullable().default(null),
    })
    .strict(),
  /**
   * Homology partition (GraphPart-style): whole groups of similar sequences go to one part, so no
   * validation or test sequence has a training sequence at identity ≥ `threshold` (identity = identical
   * columns of the best local alignment / the shorter length, as cd-hit). Sequences that cannot be placed
   * without such a pair are dropped (in no part). Groups from the built-in search, or from cd-hit (≥ 0.4)
   * or mmseqs2 when installed. The held-out parts are then checked against training by full alignment:
   * every held-out sequence (`verify: all`, or `auto` when that fits about a minute of work), else a seeded
   * sample; the report says which.
   */
  z
    .object({
      method: z.literal('homology'),
      threshold: z.number().gt(0).max(1).default(0.3),
      val: z.number().min(0).lt(1).default(0.1),
      test: z.number().gt(0).lt(1).default(0.1),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42),
      tool: z.enum(['builtin', 'cd-hit', 'mmseqs']).default('builtin'),
      verify: z.enum(['auto', 'all']).default('auto'),
    })
    .strict(),
  /**
   * Gene-pair data sets: k folds of whole TFs (all pairs of a TF in one fold; TFs placed largest first into
   * the emptiest fold, ties in a seeded order), as CNNC and DeepDRIM cross-validate. A run tests fold f,
   * validates on fold f + 1 and trains on the rest.
   */
  z
    .object({
      method: z.literal('tf_folds'),
      k: z.number().int().min(3).max(100).default(3),
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42),
    })
    .strict(),
  /** Gene-pair data sets: one fold per TF (leave one TF out). */
  z.object({ method: z.literal('leave_one_tf_out') }).strict(),
])
export type SplitMethod = z.infer<typeof SplitMethod>

/**
 * What a homology split found when it was made (stored with the split, frozen with it): the best identity
 * of each checked held-out sequence to any training sequence (full alignment, no filter) as a histogram,
 * how many reach the threshold (0 after verification), and what was dropped.
 */
export const LeakageSummary = z.object({
  threshold: z.number(),
  /** The clustering that ran: the built-in search, cd-hit or mmseqs2 (with its command line). */
  tool: z.enum(['builtin', 'cd-hit', 'mmseqs']),
  command: z.string().nullable(),
  /** `all`: every held-out sequence was aligned with every training one; `sample`: a seeded sample. */
  checked: z.enum(['all', 'sample']),
  checkedSequences: z.number().int(),
  heldOut: z.number().int(),
  /** Checked held-out sequences with a training sequence at identity ≥ threshold, after verification. */
  above: z.number().int(),
  /** Held-out sequences dropped by the verification (pairs the search missed). */
  droppedByVerify: z.number().int(),
  /** Sequences in no part: cross-part pairs removed while partitioning, plus those dropped by verification. */
  dropped: z.number().int(),
  /** Record ids (or 1-based record numbers) of the dropped sequences, the first 200. */
  droppedRecords: z.array(z.string()),
  /** Best identity to training of each checked held-out sequence: bins of 0.05 from 0 to 1. */
  histogram: z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) }),
  maxIdentity: z.number().nullable(),
  medianIdentity: z.number().nullable(),
  /** Pairs at identity ≥ threshold found (graph edges), groups, the largest group. */
  edges: z.number().int(),
  groups: z.number().int(),
  largestGroup: z.number().int(),
  alignments: z.number().int(),
  seconds: z.number(),
})
export type LeakageSummary = z.infer<typeof LeakageSummary>

const PartCounts = z.object({
  part: z.string(),
  records: z.number().int(),
  /** Binary data sets: records labelled 1; null otherwise. */
  positives: z.number().int().nullable(),
})

export const SplitSummary = z.object({
  splitId: SplitId,
  datasetId: DatasetId,
  name: z.string(),
  method: z.enum(['stratified', 'chromosome', 'kfold', 'tf_folds', 'leave_one_tf_out', 'homology']),
  params: z.record(z.string(), z.unknown()),
  /** Homology splits: the leakage report made with the split. */
  leakage: LeakageSummary.optional(),
  seed: z.number().int(),
  createdAt: z.string(),
  frozenAt: z.string().nullable(),
  /** 'train', 'val', 'test', or the fold numbers '0', '1', … */
  parts: z.array(PartCounts),
  /** Per chromosome and part (data sets with chromosomes). */
  chromosomes: z.array(PartCounts.extend({ chrom: z.string() })),
  /** When the split was made: what the scientist should know (e.g. a class too small for every fold). */
  warnings: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
})
export type SplitSummary = z.infer<typeof SplitSummary>

// ---------------------------------------------------------------------------------------------------
/**
 * The features a data set's PCA map is computed from: protein amino-acid (20) or dipeptide (400)
 * composition, or DNA k-mer frequencies (4^k columns, k ≤ 4).
 */
export const PcaFeature = z.enum(['aac', 'dpc', 'kmer'])
export type PcaFeature = z.infer<typeof PcaFeature>

/** A 2-D PCA of a data set's records (at most `maxPoints`, a seeded sample beyond that). */
export const DatasetPca = z.object({
  feature: PcaFeature,
  k: z.number().int().nullable(),
  /** Feature columns. */
  dimension: z.number().int(),
  /** Records in the data set, and how many are shown. */
  total: z.number().int(),
  sampled: z.number().int(),
  /** Share of the variance along PC1 and PC2 (`explained_variance_ratio_`). */
  explainedVarianceRatio: z.array(z.number()),
  points: z.array(
    z.object({
      /** 0-based record index. */
      index: z.number().int(),
      id: z.string(),
      x: z.number(),
      y: z.number(),
      /** The class name (binary / multi-class), the number (numeric). */
      label: z.union([z.string(), z.number()]),
      /** With `splitId`: train / val / test (or the fold), null when in no part. */
      part: z.string().nullable(),
    }),
  ),
})
export type DatasetPca = z.infer<typeof DatasetPca>

// Calls

const ok = z.object({ ok: z.literal(true) })

export const datasetCalls = {
  /** Reads the start of the file(s): the first records, the layout found, and the problems so far. Changes nothing. */
  'datasets.preview': {
    input: importRequest({ projectId: ProjectId }),
    output: ImportPreview,
  },
  /**
   * Imports as a job (progress in `job.updated`; `project.changed` when done). The whole file is read and
   * checked; a bad record anywhere, or a cancel, leaves the project exactly as it was.
   */
  'datasets.import': {
    input: importRequest({ projectId: ProjectId, name: z.string().trim().min(1).max(200) }),
    output: z.object({ jobId: z.string() }),
  },
  'datasets.list': { input: z.object({ projectId: ProjectId }).strict(), output: z.array(DatasetInfo) },
  'datasets.get': {
    input: z.object({ projectId: ProjectId, datasetId: DatasetId }).strict(),
    output: DatasetSummary,
  },
  /** Deletes a data set and its splits; refused (`dataset.in_use`) while experiments use it. */
  'datasets.delete': { input: z.object({ projectId: ProjectId, datasetId: DatasetId }).strict(), output: ok },
  /** Creates a split, frozen at once: it never changes afterwards. */
  'splits.create': {
    input: z
      .object({
        projectId: ProjectId,
        datasetId: DatasetId,
        /** Default: from the method, e.g. `stratified 80/10/10 seed 42`. */
        name: z.string().trim().min(1).max(200).optional(),
        split: SplitMethod,
      })
      .strict(),
    output: z.object({ splitId: SplitId, summary: SplitSummary }),
  },
  /**
   * A 2-D PCA map of the records' composition features (exact PCA, as scikit-learn), with each point's label
   * and, given a split, its part. Beyond `maxPoints` records a seeded sample is projected.
   */
  'datasets.pca': {
    input: z
      .object({
        projectId: ProjectId,
        datasetId: DatasetId,
        feature: PcaFeature,
        /** `kmer` (DNA): the word length, 1 … 4; default 3. */
        k: z.number().int().min(1).max(4).optional(),
        splitId: SplitId.optional(),
        maxPoints: z.number().int().min(10).max(20000).default(5000),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1)
          .default(42),
      })
      .strict(),
    output: DatasetPca,
  },
  'splits.list': {
    input: z.object({ projectId: ProjectId, datasetId: DatasetId.optional() }).strict(),
    output: z.array(SplitSummary),
  },
  'splits.get': {
    input: z.object({ projectId: ProjectId, splitId: SplitId }).strict(),
    output: SplitSummary,
  },
  /**
   * Writes `seq,label,split[,weight]` (the columns `jund_cnn_reference.py` reads) to a file the user chose.
   * For a k-fold split, `fold` names the test fold (the next fold is validation, the rest train); without
   * it the split column holds fold numbers.
   */
  'datasets.exportCsv': {
    input: z
      .object({
        projectId: ProjectId,
        datasetId: DatasetId,
        splitId: SplitId,
        target: FileRef,
        fold: z.number().int().min(0).optional(),
      })
      .strict(),
    output: z.object({ rows: z.number().int(), file: z.string(), weights: z.boolean() }),
  },
} as const
