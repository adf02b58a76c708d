/**
 * Importing labelled gene pairs against an expression data set of the project:
 *
 * - CNNC's pair file (`geneA geneB label`, labels 0/1, or 0/1/2 for none / a→b / b→a), or
 * - a TF→target edge list, from which negatives are drawn per TF at `negatives.ratio` with `negatives.seed`
 *   among the genes with no known edge to the TF in either direction (core/formats/pairs.ts `samplePairs`;
 *   each TF has its own seeded stream, so the negatives of one TF do not depend on the others);
 * - optionally a TF list (one gene per line), stored with the set (default: the pairs' first genes).
 *
 * Gene names are found in the matrix by id or symbol (exact, then ignoring case): an unknown or ambiguous
 * gene is an `InputError` naming the file and line. The whole file is read and checked first; the set is
 * then written in one transaction (store.ts), so a bad line or a cancel leaves the project unchanged.
 */
import type { TextLine } from '../../core/formats/bytes'
import { readTextLines } from '../../core/formats/bytes'
import { GeneLookup } from '../../core/formats/expression'
import { readEdgeList, readPairs as readPairFile, readTfList, samplePairs } from '../../core/formats/pairs'
import type { PairsImportOptions, PairsPreview } from '../../shared/contract-grn'
import { InputError } from '../../shared/errors'
import type { ImportProgress } from '../datasets/pipeline'
import { readFileBytes, type InputFile } from '../datasets/sources'
import type { ProjectStore } from '../store/project-store'
import { expressionGenes, writePairSet } from './store'

export type PairsInput = { pairs: InputFile; tfs?: InputFile } | { edges: InputFile; tfs?: InputFile }

export interface ReadPairs {
  a: Int32Array
  b: Int32Array
  label: Int8Array
  line: Int32Array | null
  labelKind: 'binary' | 'directed'
  tfs: Int32Array
  warnings: { code: string; message: string }[]
  source: Record<string, unknown>
}

function textLines(file: InputFile, signal?: AbortSignal): AsyncGenerator<TextLine> {
  return readTextLines(readFileBytes(file, { signal }), { fileName: file.name })
}

/** Reads and checks the pairs (and samples the negatives of an edge list); nothing is stored. */
export async function readPairsInput(
  store: ProjectStore,
  files: PairsInput,
  options: PairsImportOptions,
  signal?: AbortSignal,
): Promise<ReadPairs> {
  const genes = expressionGenes(store, options.expressionId)
  const nGenes = genes.ids.length
  if (nGenes === 0) {
    throw new InputError(
      'grn.not_expression',
      `Data set ${options.expressionId} is not an expression matrix`,
      {
        expected: 'an expression data set (seqlab import expression)',
        found: 'another kind of data set',
        params: { datasetId: options.expressionId },
      },
    )
  }
  const lookup = new GeneLookup({ geneIds: genes.ids, geneSymbols: genes.symbols })
  const tfList = files.tfs
    ? await readTfList(textLines(files.tfs, signal), lookup, { fileName: files.tfs.name })
    : undefined
  if ('pairs' in files) {
    const read = await readPairFile(textLines(files.pairs, signal), lookup, { fileName: files.pairs.name })
    const p = read.pairs
    if (p.a.length === 0) throw emptyFile(files.pairs)
    return {
      a: p.a,
      b: p.b,
      label: p.label,
      line: p.line ?? null,
      labelKind: read.labelKind,
      tfs: tfList ?? firstGenes(p.a),
      warnings: [],
      source: {
        importer: 'pairs',
        files: { pairs: files.pairs.name, ...(files.tfs ? { tfs: files.tfs.name } : {}) },
        skippedHeader: read.skippedHeader,
      },
    }
  }
  const edges = await readEdgeList(textLines(files.edges, signal), lookup, { fileName: files.edges.name })
  if (edges.tf.length === 0) throw emptyFile(files.edges)
  signal?.throwIfAborted()
  const sampled = samplePairs(edges, {
    nGenes,
    ratio: options.negatives.ratio,
    seed: options.negatives.seed,
  })
  const warnings = sampled.warnings.map((w) => ({
    code: w.code,
    message: w.message.replace(/TF number (\d+)/, (_, g: string) => `TF ${genes.symbols[Number(g)]}`),
  }))
  return {
    a: sampled.a,
    b: sampled.b,
    label: sampled.label,
    line: null,
    labelKind: 'binary',
    tfs: tfList ?? sampled.tfs,
    warnings,
    source: {
      importer: 'edges',
      files: { edges: files.edges.name, ...(files.tfs ? { tfs: files.tfs.name } : {}) },
      negatives: options.negatives,
      selfLoops: edges.selfLoops,
      duplicates: edges.duplicates,
    },
  }
}

function firstGenes(a: Int32Array): Int32Array {
  return Int32Array.from(new Set(a))
}

function emptyFile(file: InputFile): InputError {
  return new InputError('dataset.empty', `${file.name} holds no pairs`, {
    file: file.name,
    expected: 'at least one line "geneA geneB label" or "TF target"',
    found: 'none',
  })
}

/** Reads the pairs, then stores them in one transaction; returns the new data set's id. */
export async function importPairs(
  store: ProjectStore,
  name: string,
  files: PairsInput,
  options: PairsImportOptions,
  ctx: ImportProgress = {},
): Promise<number> {
  ctx.progress?.(0, 1, 'reading')
  const read = await readPairsInput(store, files, options, ctx.signal)
  ctx.signal?.throwIfAborted()
  ctx.progress?.(1, 1, 'saving')
  return writePairSet(store, {
    name,
    expressionId: options.expressionId,
    a: read.a,
    b: read.b,
    label: read.label,
    labelKind: read.labelKind,
    tfs: read.tfs,
    source: { ...read.source, ...(read.warnings.length > 0 ? { warnings: read.warnings } : {}) },
  })
}

/** The first pairs as they would be stored, the counts, and any problem. */
export async function previewPairs(
  store: ProjectStore,
  files: PairsInput,
  options: PairsImportOptions,
  signal?: AbortSignal,
): Promise<PairsPreview> {
  const format = 'pairs' in files ? 'pairs' : 'edges'
  try {
    const read = await readPairsInput(store, files, options, signal)
    const { symbols } = expressionGenes(store, options.expressionId)
    const positives = read.label.filter((l) => l !== 0).length
    return {
      format,
      pairs: Array.from(read.a.subarray(0, 20), (a, i) => ({
        line: read.line ? read.line[i]! : null,
        tf: symbols[a]!,
        target: symbols[read.b[i]!]!,
        label: read.label[i]!,
      })),
      total: read.a.length,
      positives,
      tfs: new Set(read.a).size,
      labelKind: read.labelKind,
      warnings: read.warnings,
      problems: [],
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    return {
      format,
      pairs: [],
      total: 0,
      positives: 0,
      tfs: 0,
      labelKind: 'binary',
      warnings: [],
      problems: [err.toJSON()],
    }
  }
}
