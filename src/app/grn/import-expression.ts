/**
 * Importing a single-cell expression matrix into a project: a dense CSV/TSV table (genes in rows or in
 * columns, plain or gzip), a 10x Matrix Market folder (matrix.mtx + features.tsv / genes.tsv +
 * barcodes.tsv, each plain or gzip), or an HDF5 file (AnnData `.h5ad`, Cell Ranger `.h5`; h5.ts).
 *
 * The core readers (formats/expression.ts, formats/mtx.ts) stream the file into a sparse genes × cells
 * matrix, checking every value (ragged rows, non-numeric cells, negative or non-finite values, duplicate
 * gene or cell names: `InputError`s naming the file and line). Nothing is written until the whole file has
 * been read and checked; then the matrix (normalised as chosen) goes into the project in ONE transaction
 * (store.ts), so a bad value anywhere or a cancel leaves the project unchanged.
 *
 * The preview reads only the start of a table (200 rows) — enough to guess the orientation from the names
 * and to see the values — and, for 10x folders, the side files and the size line.
 */
import * as path from 'node:path'
import type { ByteSource, TextLine } from '../../core/formats/bytes'
import { readTextLines } from '../../core/formats/bytes'
import {
  expressionStats,
  guessOrientation,
  normalizeExpression,
  readExpressionTable,
  toGeneMajor,
  type ExpressionMatrix,
  type Normalization,
  type Orientation,
} from '../../core/formats/expression'
import { readMatrixMarket } from '../../core/formats/mtx'
import type { ExpressionImportOptions, ExpressionPreview } from '../../shared/contract-grn'
import { InputError } from '../../shared/errors'
import type { ImportProgress } from '../datasets/pipeline'
import { fileSize, inputFile, readFileBytes, type ByteCounter, type InputFile } from '../datasets/sources'
import type { ProjectStore } from '../store/project-store'
import { readH5Expression } from './h5'
import { writeExpression } from './store'

export type ExpressionInput =
  { table: InputFile } | { matrix: InputFile; features?: InputFile; barcodes?: InputFile } | { h5: InputFile }

/** Rows of a table the preview reads. */
export const PREVIEW_ROWS = 200

/**
 * The files of a 10x folder: matrix.mtx[.gz], features.tsv[.gz] or genes.tsv[.gz], barcodes.tsv[.gz];
 * `expression.missing_matrix` when there is no matrix. `exists` is the file system's (the CLI passes fs).
 */
export function tenXFolder(dir: string, exists: (file: string) => boolean): ExpressionInput {
  const find = (...names: string[]) => {
    for (const name of names)
      for (const ext of ['', '.gz'])
        if (exists(path.join(dir, name + ext))) return inputFile(path.join(dir, name + ext))
    return undefined
  }
  const matrix = find('matrix.mtx')
  if (!matrix) {
    throw new InputError('expression.missing_matrix', `${path.basename(dir)} holds no matrix.mtx`, {
      file: path.basename(dir),
      expected: 'a 10x folder: matrix.mtx[.gz], features.tsv[.gz] (or genes.tsv), barcodes.tsv[.gz]',
      found: 'no matrix.mtx or matrix.mtx.gz',
    })
  }
  const features = find('features.tsv', 'genes.tsv')
  const barcodes = find('barcodes.tsv')
  return { matrix, ...(features ? { features } : {}), ...(barcodes ? { barcodes } : {}) }
}

function orientationOption(o: ExpressionImportOptions): Orientation | undefined {
  return o.orientation === 'auto' ? undefined : o.orientation
}

function textLines(file: InputFile, signal?: AbortSignal, counter?: ByteCounter): AsyncGenerator<TextLine> {
  return readTextLines(readFileBytes(file, { signal, counter }) as ByteSource, { fileName: file.name })
}

/** The first `limit` non-empty lines after the header, and whether the file ended before. */
async function* firstLines(lines: AsyncIterable<TextLine>, limit: number, state: { complete: boolean }) {
  let rows = -1
  for await (const line of lines) {
    if (line.text.trim() !== '') rows++
    if (rows >= limit) {
      state.complete = false
      return
    }
    yield line
  }
  state.complete = true
}

export interface ReadExpression {
  matrix: ExpressionMatrix
  format: ExpressionPreview['format']
  orientation: Orientation
  integerValued: boolean
  maxValue: number
  normalization: Normalization
}

/** Reads (and checks) the whole matrix and applies the chosen normalisation; nothing is stored. */
export async function readExpressionInput(
  files: ExpressionInput,
  options: ExpressionImportOptions,
  ctx: ImportProgress = {},
): Promise<ReadExpression> {
  let read: { matrix: ExpressionMatrix; orientation: Orientation; format: ExpressionPreview['format'] }
  const counter: ByteCounter = { bytes: 0 }
  if ('table' in files) {
    const total = fileSize(files.table)
    const table = await readExpressionTable(textLines(files.table, ctx.signal, counter), {
      fileName: files.table.name,
      delimiter: options.delimiter,
      orientation: orientationOption(options),
      signal: ctx.signal,
      onProgress: () => ctx.progress?.(counter.bytes, total, 'reading'),
    })
    read = { matrix: table.matrix, orientation: table.orientation.applied, format: 'table' }
  } else if ('matrix' in files) {
    const total = fileSize(files.matrix)
    const mtx = await readMatrixMarket(textLines(files.matrix, ctx.signal, counter), {
      fileName: files.matrix.name,
      ...(files.features
        ? { features: textLines(files.features, ctx.signal), featuresFileName: files.features.name }
        : {}),
      ...(files.barcodes
        ? { barcodes: textLines(files.barcodes, ctx.signal), barcodesFileName: files.barcodes.name }
        : {}),
      orientation: orientationOption(options),
      signal: ctx.signal,
      onProgress: () => ctx.progress?.(counter.bytes, total, 'reading'),
    })
    read = { matrix: mtx.matrix, orientation: mtx.orientation, format: 'mtx' }
  } else {
    const h5 = await readH5Expression(files.h5, {
      orientation: orientationOption(options),
      signal: ctx.signal,
    })
    read = { matrix: h5.matrix, orientation: h5.orientation, format: h5.format }
  }
  ctx.signal?.throwIfAborted()
  const stats = expressionStats(read.matrix)
  const normalization: Normalization =
    options.normalization === 'auto' ? stats.suggestedNormalization : options.normalization
  if (normalization === 'log1p_cp10k' && !stats.integerValued) {
    throw new InputError(
      'expression.not_counts',
      'Log-normalisation (counts per 10,000) needs raw counts, but the matrix holds values that are not whole numbers',
      {
        file: fileNameOf(files),
        expected: 'whole-number counts, or normalisation "none" for a matrix that is normalised already',
        found: `values up to ${stats.maxValue}, not all whole`,
      },
    )
  }
  const matrix = normalizeExpression(toGeneMajor(read.matrix), normalization)
  return {
    matrix,
    format: read.format,
    orientation: read.orientation,
    integerValued: stats.integerValued,
    maxValue: stats.maxValue,
    normalization,
  }
}

function fileNameOf(files: ExpressionInput): string {
  return 'table' in files ? files.table.name : 'matrix' in files ? files.matrix.name : files.h5.name
}

/** Reads the whole matrix, then stores it in one transaction; returns the new data set's id. */
export async function importExpression(
  store: ProjectStore,
  name: string,
  files: ExpressionInput,
  options: ExpressionImportOptions,
  ctx: ImportProgress = {},
): Promise<number> {
  const read = await readExpressionInput(files, options, ctx)
  ctx.signal?.throwIfAborted()
  if (read.matrix.nGenes === 0 || read.matrix.nCells === 0) {
    throw new InputError('expression.empty', `${fileNameOf(files)} holds no genes or no cells`, {
      file: fileNameOf(files),
      expected: 'at least one gene and one cell',
      found: `${read.matrix.nGenes} genes × ${read.matrix.nCells} cells`,
    })
  }
  ctx.progress?.(1, 1, 'saving')
  const fileNames = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, (f as InputFile).name]))
  return writeExpression(store, read.matrix, {
    name,
    source: {
      importer: 'expression',
      format: read.format,
      files: fileNames,
      orientation: read.orientation,
      normalization: read.normalization,
      options,
    },
    integerValued: read.integerValued,
    maxValue: read.maxValue,
  })
}

/** What the wizard shows before importing: orientation and its evidence, counts, values, problems. */
export async function previewExpression(
  files: ExpressionInput,
  options: ExpressionImportOptions,
  signal?: AbortSignal,
): Promise<ExpressionPreview> {
  const problems: ExpressionPreview['problems'] = []
  const none: ExpressionPreview = {
    format: 'table' in files ? 'table' : 'matrix' in files ? 'mtx' : 'h5ad',
    genes: null,
    cells: null,
    complete: false,
    orientation: {
      guess: 'genes_in_rows',
      confidence: 'low',
      applied: orientationOption(options) ?? 'genes_in_rows',
      reasons: [],
      rows: null,
      columns: null,
    },
    stats: null,
    geneSample: [],
    cellSample: [],
    values: [],
    problems,
  }
  try {
    if ('table' in files) {
      const state = { complete: false }
      const table = await readExpressionTable(
        firstLines(textLines(files.table, signal), PREVIEW_ROWS, state),
        {
          fileName: files.table.name,
          delimiter: options.delimiter,
          orientation: orientationOption(options),
          signal,
        },
      )
      const m = table.matrix
      const o = table.orientation
      return {
        ...none,
        genes: state.complete || o.applied === 'cells_in_rows' ? m.nGenes : null,
        cells: state.complete || o.applied === 'genes_in_rows' ? m.nCells : null,
        complete: state.complete,
        orientation: {
          guess: o.guess,
          confidence: o.confidence,
          applied: o.applied,
          reasons: o.reasons,
          rows: o.rows,
          columns: o.columns,
        },
        stats: table.stats,
        geneSample: m.geneSymbols.slice(0, 5),
        cellSample: m.cells.slice(0, 8),
        values: denseCorner(m, 5, 8),
      }
    }
    if ('matrix' in files) return { ...none, ...(await previewMtx(files, options, signal)) }
    const h5 = await readH5Expression(files.h5, { orientation: orientationOption(options), signal })
    const m = h5.matrix
    return {
      ...none,
      format: h5.format,
      genes: m.nGenes,
      cells: m.nCells,
      complete: true,
      orientation: {
        ...none.orientation,
        guess: h5.orientation,
        confidence: 'high',
        applied: h5.orientation,
        reasons: [h5.format],
      },
      stats: expressionStats(m),
      geneSample: m.geneSymbols.slice(0, 5),
      cellSample: m.cells.slice(0, 8),
      values: denseCorner(m, 5, 8),
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    problems.push(err.toJSON())
    return none
  }
}

/** 10x: the side files in full, the matrix up to its size line (the entries are not read). */
async function previewMtx(
  files: Extract<ExpressionInput, { matrix: InputFile }>,
  options: ExpressionImportOptions,
  signal?: AbortSignal,
): Promise<Partial<ExpressionPreview>> {
  let rows = -1
  let columns = -1
  for await (const { text, lineNumber } of textLines(files.matrix, signal)) {
    if (lineNumber === 1) {
      if (!/^%%MatrixMarket\s+matrix\s+coordinate/i.test(text.trim())) {
        throw new InputError('mtx.bad_header', 'line 1: this is not a Matrix Market coordinate file', {
          file: files.matrix.name,
          line: 1,
          expected: '%%MatrixMarket matrix coordinate integer general',
          found: text.slice(0, 60),
        })
      }
      continue
    }
    if (text.trim() === '' || text.startsWith('%')) continue
    const size = text.trim().split(/\s+/).map(Number)
    rows = size[0] ?? -1
    columns = size[1] ?? -1
    break
  }
  const readRows = async (file?: InputFile): Promise<string[][] | undefined> => {
    if (!file) return undefined
    const out: string[][] = []
    for await (const { text } of textLines(file, signal)) if (text.trim() !== '') out.push(text.split('\t'))
    return out
  }
  const features = await readRows(files.features)
  const barcodes = (await readRows(files.barcodes))?.map((b) => b[0]!)
  let guess: Orientation = 'genes_in_rows'
  const reasons: string[] = []
  if (features && features.length === columns && features.length !== rows) {
    guess = 'cells_in_rows'
    reasons.push('features_match_columns')
  } else if (features && features.length === rows) {
    reasons.push('features_match_rows')
  } else {
    reasons.push('tenx_convention')
  }
  const applied = orientationOption(options) ?? guess
  const names = (list: string[][] | undefined, k: number) => list?.slice(0, 5).map((f) => f[k] ?? f[0]!) ?? []
  const rowNames = guess === 'genes_in_rows' ? names(features, 1) : (barcodes ?? []).slice(0, 5)
  const columnNames = guess === 'genes_in_rows' ? (barcodes ?? []).slice(0, 5) : names(features, 1)
  const evidence = guessOrientation(rowNames, columnNames)
  return {
    format: 'mtx',
    genes: applied === 'genes_in_rows' ? rows : columns,
    cells: applied === 'genes_in_rows' ? columns : rows,
    complete: false,
    orientation: {
      guess,
      confidence: features || barcodes ? 'high' : 'low',
      applied,
      reasons,
      rows: evidence.rows,
      columns: evidence.columns,
    },
    geneSample: names(features, 1),
    cellSample: (barcodes ?? []).slice(0, 8),
  }
}

/** The first genes × cells of a matrix as dense rows. */
function denseCorner(matrix: ExpressionMatrix, genes: number, cells: number): number[][] {
  const m = toGeneMajor(matrix)
  const out: number[][] = []
  for (let g = 0; g < Math.min(genes, m.nGenes); g++) {
    const row = new Array<number>(Math.min(cells, m.nCells)).fill(0)
    for (let k = m.indptr[g]!; k < m.indptr[g + 1]!; k++) {
      const c = m.indices[k]!
      if (c < row.length) row[c] = m.data[k]!
    }
    out.push(row)
  }
  return out
}
