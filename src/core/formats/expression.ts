/**
 * Single-cell expression matrices: dense CSV/TSV tables streamed into a sparse float32 matrix, genes × cells,
 * and the log-normalisation a scientist picks in the import wizard (issue 8, part 1).
 *
 * Shape and storage. Every matrix here is genes × cells (`ExpressionMatrix`); only non-zeros are stored, in
 * one of two compressed layouts, named in `layout`:
 * - `csr`: one compressed row per gene (`indptr` has nGenes + 1 entries, `indices` are cell numbers). The
 *   layout of a file with genes in rows, and the one the image encoders read (`toGeneMajor`).
 * - `csc`: one compressed column per cell (`indptr` has nCells + 1 entries, `indices` are gene numbers). The
 *   layout of a file with cells in rows; the file's rows are stored as they stream in, and flipping the
 *   orientation the wizard guessed is only a relabelling, never a second pass over the file.
 *
 * Orientation. A table is genes × cells (CNNC's and BEELINE's `ExpressionData.csv`, Seurat's
 * `write.csv(GetAssayData(...))`) or cells × genes (pandas/scanpy exports). `readExpressionTable` guesses
 * from the names on both axes (10x barcodes such as `AAACATACAACCAC-1`, Ensembl ids, gene symbols), from the
 * header's corner cell (`gene`, `cell` ...) and, weakest, from the shape; it returns the guess with its
 * evidence, which the wizard shows for the scientist to confirm or flip (`options.orientation`).
 *
 * Normalisation, and where each is applied:
 * - `none`: values as stored (already normalised matrices such as pbmc3k's log-normalised export).
 * - `log1p_cp10k`: Seurat's `LogNormalize` (scale factor 10,000): ln(1 + x / cell total × 10^4), applied
 *   once to the stored matrix by `normalizeExpression`. It keeps zeros at zero, so the matrix stays sparse.
 * - CNNC's log10(x + 0.01) is NOT a stored normalisation: it maps zeros to −2 and would make the matrix
 *   dense. The image encoders (`grn/nepdf.ts`, `grn/neighbors.ts`) apply it to whatever the matrix holds,
 *   as CNNC (Yuan & Bar-Joseph, PNAS 2019) and DeepDRIM (Chen et al., Brief. Bioinform. 2021) do internally.
 *
 * Errors (`InputError`, with file and line): `expression.empty`, `expression.no_columns`,
 * `expression.ragged`, `expression.not_numeric`, `expression.not_finite` (NaN, NA, Inf, or beyond float32),
 * `expression.negative`, `expression.duplicate_gene`, `expression.duplicate_cell`, `expression.bad_quote`.
 * The core never opens files: the caller hands in text lines (`readTextLines`, which also gunzips).
 */
import { InputError } from '../../shared/errors'
import type { SourceOptions, TextLine } from './bytes'
import { sniffDelimiter, type Delimiter } from './csv'

export type ExpressionLayout = 'csr' | 'csc'
export type Normalization = 'none' | 'log1p_cp10k'
export type Orientation = 'genes_in_rows' | 'cells_in_rows'

/** A sparse genes × cells matrix of float32 values; zeros are not stored. */
export interface ExpressionMatrix {
  nGenes: number
  nCells: number
  /** `csr`: compressed by gene (indices are cells); `csc`: compressed by cell (indices are genes). */
  layout: ExpressionLayout
  /** nGenes + 1 (csr) or nCells + 1 (csc) offsets into `indices` / `data`. */
  indptr: Uint32Array
  /** Within each compressed row/column, strictly increasing. */
  indices: Uint32Array
  /** Non-zero values, all finite and > 0. */
  data: Float32Array
  /** Stable gene identifiers (Ensembl ids for 10x; the table's names otherwise). */
  geneIds: string[]
  /** Gene symbols as scientists type them (10x's second column; the table's names otherwise). */
  geneSymbols: string[]
  /** Cell barcodes or names. */
  cells: string[]
  /** What has been applied to the stored values. */
  normalization: Normalization
}

/** What a name looks like, counted over one axis of the table. */
export interface AxisNames {
  count: number
  /** Up to five names, for the wizard. */
  sample: string[]
  /** 10x-style barcodes (ACGT…, optional -1 suffix) or names like `cell_12`. */
  cellLike: number
  /** Ensembl gene ids (ENSG…, ENSMUSG…). */
  ensemblLike: number
  /** Short alphanumeric names that are neither barcodes nor cell names: gene symbols. */
  symbolLike: number
}

export interface OrientationEvidence {
  /** What the names suggest; used unless `options.orientation` says otherwise. */
  guess: Orientation
  /** `high` when the names decide it, `low` when only the corner cell or the shape did. */
  confidence: 'high' | 'low'
  /** The orientation the matrix was built with (the option if given, else the guess). */
  applied: Orientation
  /** Codes of the reasons, in order of weight (i18n keys `expression.orientation.<code>`). */
  reasons: string[]
  rows: AxisNames
  columns: AxisNames
  /** The header's first cell when the header names the row-name column ('' when blank). */
  corner: string | undefined
}

export interface ExpressionStats {
  nonZeros: number
  /** nonZeros / (genes × cells). */
  density: number
  /** Whether every value is a whole number (raw counts, UMIs). */
  integerValued: boolean
  maxValue: number
  /** `log1p_cp10k` for whole-number counts, `none` for values that look normalised already. */
  suggestedNormalization: Normalization
}

export interface ExpressionTableOptions extends SourceOptions {
  /** Sniffed from the header line when absent. */
  delimiter?: Delimiter
  /** The orientation the scientist confirmed; the guess is used when absent. */
  orientation?: Orientation
  signal?: AbortSignal
  /** Called every 1,000 rows: (rows read, 0 = total unknown, 'rows'). */
  onProgress?: (done: number, total: number, phase: string) => void
}

export interface ExpressionImport {
  matrix: ExpressionMatrix
  orientation: OrientationEvidence
  stats: ExpressionStats
  delimiter: Delimiter
}

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/
const NOT_FINITE = /^\s*[+-]?(?:nan|inf|infinity|na|n\/a|null|none)\s*$/i

/**
 * Reads a dense expression table (CSV, TSV or semicolon CSV, plain text lines) into a sparse genes × cells
 * matrix. The first column holds row names; the header holds the column names, with or without a corner cell
 * (R's `write.table` omits it: the header is then one field shorter than the rows). Quoted names are
 * unquoted; a quoted field may not span lines here (no expression matrix needs that).
 */
export async function readExpressionTable(
  lines: AsyncIterable<TextLine>,
  options: ExpressionTableOptions = {},
): Promise<ExpressionImport> {
  const file = options.fileName
  const iterator = lines[Symbol.asyncIterator]()
  let headerLine: TextLine | undefined
  for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
    if (step.value.text.trim() !== '') {
      headerLine = step.value
      break
    }
  }
  if (!headerLine) {
    throw new InputError('expression.empty', 'The file is empty', {
      file,
      expected: 'a header line naming the columns, then one line per row',
      found: 'no lines',
    })
  }
  const delimiter = options.delimiter ?? sniffDelimiter(headerLine.text)
  const header = splitFields(headerLine.text, delimiter, headerLine.lineNumber, file)

  let columnNames: string[] | undefined
  let corner: string | undefined
  let nColumns = -1
  const rowNames: string[] = []
  const rowLines: number[] = []
  const rows = new SparseBuilder()
  let integerValued = true
  let maxValue = 0

  try {
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      const line = step.value
      if (line.text.trim() === '') continue
      const fields = splitFields(line.text, delimiter, line.lineNumber, file)
      if (columnNames === undefined) {
        // The first data row settles the header's form: with a corner cell or without (R's write.table).
        if (fields.length === header.length) {
          corner = header[0]!.trim()
          columnNames = header.slice(1).map((name) => name.trim())
        } else if (fields.length === header.length + 1) {
          columnNames = header.map((name) => name.trim())
        } else {
          throw raggedRow(line.lineNumber, fields.length, header.length, file, true)
        }
        nColumns = columnNames.length
        if (nColumns === 0) {
          throw new InputError('expression.no_columns', 'The table has row names but no value columns', {
            file,
            line: headerLine.lineNumber,
            expected: 'a row name, then one value per column, separated by commas or tabs',
            found: `1 field per line (delimiter ${delimiterName(delimiter)})`,
          })
        }
      } else if (fields.length !== nColumns + 1) {
        throw raggedRow(line.lineNumber, fields.length, nColumns + 1, file, false)
      }

      rowNames.push(fields[0]!.trim())
      rowLines.push(line.lineNumber)
      for (let c = 1; c <= nColumns; c++) {
        const field = fields[c]!
        if (field === '0') continue // the common case of a count matrix, without a regular expression
        const value = parseValue(field, line.lineNumber, c, columnNames[c - 1]!, file)
        if (value === 0) continue
        if (integerValued && !Number.isInteger(value)) integerValued = false
        if (value > maxValue) maxValue = value
        rows.push(c - 1, value)
      }
      rows.endRow()
      if (rowNames.length % 1000 === 0) {
        options.signal?.throwIfAborted()
        options.onProgress?.(rowNames.length, 0, 'rows')
      }
    }
  } finally {
    await iterator.return?.()
  }

  if (columnNames === undefined) {
    throw new InputError('expression.empty', 'The table has a header but no rows of values', {
      file,
      line: headerLine.lineNumber,
      expected: 'at least one line of values after the header',
      found: 'only the header',
    })
  }

  const evidence = guessOrientation(rowNames, columnNames, corner)
  const applied = options.orientation ?? evidence.guess
  const orientation: OrientationEvidence = { ...evidence, applied }
  const stored = rows.finish()
  const genesInRows = applied === 'genes_in_rows'
  const geneNames = genesInRows ? rowNames : columnNames
  const cellNames = genesInRows ? columnNames : rowNames
  // The header's k-th name is field k + 2 with a corner cell, k + 1 without (1-based).
  const where = {
    rowLines,
    headerLine: headerLine.lineNumber,
    columnOffset: corner === undefined ? 1 : 2,
    file,
  }
  checkUnique(geneNames, genesInRows ? 'rows' : 'columns', 'gene', where)
  checkUnique(cellNames, genesInRows ? 'columns' : 'rows', 'cell', where)

  const matrix: ExpressionMatrix = {
    nGenes: geneNames.length,
    nCells: cellNames.length,
    layout: genesInRows ? 'csr' : 'csc',
    indptr: stored.indptr,
    indices: stored.indices,
    data: stored.data,
    geneIds: geneNames,
    geneSymbols: geneNames.slice(),
    cells: cellNames,
    normalization: 'none',
  }
  return { matrix, orientation, stats: expressionStats(matrix, integerValued, maxValue), delimiter }
}

/** Counts and the normalisation the wizard should propose. */
export function expressionStats(
  matrix: ExpressionMatrix,
  integerValued?: boolean,
  maxValue?: number,
): ExpressionStats {
  if (integerValued === undefined || maxValue === undefined) {
    integerValued = true
    maxValue = 0
    for (const v of matrix.data) {
      if (integerValued && !Number.isInteger(v)) integerValued = false
      if (v > maxValue) maxValue = v
    }
  }
  const nonZeros = matrix.data.length
  const cellsTotal = matrix.nGenes * matrix.nCells
  return {
    nonZeros,
    density: cellsTotal === 0 ? 0 : nonZeros / cellsTotal,
    integerValued,
    maxValue,
    suggestedNormalization:
      integerValued && matrix.normalization === 'none' && nonZeros > 0 ? 'log1p_cp10k' : 'none',
  }
}

/**
 * The same matrix with the other orientation applied: what the wizard does when the scientist flips the
 * guess. No data moves; rows that were genes become cells and the other way round.
 */
export function reorient(matrix: ExpressionMatrix): ExpressionMatrix {
  const genes = matrix.cells
  return {
    ...matrix,
    nGenes: matrix.nCells,
    nCells: matrix.nGenes,
    layout: matrix.layout === 'csr' ? 'csc' : 'csr',
    geneIds: genes,
    geneSymbols: genes.slice(),
    cells: matrix.geneIds,
  }
}

/** The matrix in `csr` layout (one compressed row per gene), transposing a `csc` matrix; the one conversion. */
export function toGeneMajor(matrix: ExpressionMatrix): ExpressionMatrix {
  if (matrix.layout === 'csr') return matrix
  const { nGenes, nCells, indptr, indices, data } = matrix
  const rowPtr = new Uint32Array(nGenes + 1)
  for (let k = 0; k < indices.length; k++) rowPtr[indices[k]! + 1]! += 1
  for (let g = 0; g < nGenes; g++) rowPtr[g + 1]! += rowPtr[g]!
  const next = rowPtr.slice(0, nGenes)
  const outIndices = new Uint32Array(indices.length)
  const outData = new Float32Array(data.length)
  // Cells in increasing order, so each gene's cells come out sorted.
  for (let c = 0; c < nCells; c++) {
    for (let k = indptr[c]!; k < indptr[c + 1]!; k++) {
      const slot = next[indices[k]!]!++
      outIndices[slot] = c
      outData[slot] = data[k]!
    }
  }
  return { ...matrix, layout: 'csr', indptr: rowPtr, indices: outIndices, data: outData }
}

/** One gene's values over all cells, dense (zeros included). The matrix must be gene-major (`csr`). */
export function geneValues(matrix: ExpressionMatrix, gene: number, out?: Float32Array): Float32Array {
  if (matrix.layout !== 'csr') throw new Error('geneValues needs a gene-major (csr) matrix: call toGeneMajor')
  const values = out ?? new Float32Array(matrix.nCells)
  values.fill(0)
  for (let k = matrix.indptr[gene]!; k < matrix.indptr[gene + 1]!; k++)
    values[matrix.indices[k]!] = matrix.data[k]!
  return values
}

/**
 * Applies a stored normalisation and returns a new matrix (the input is not changed). `log1p_cp10k` is
 * Seurat's LogNormalize: ln(1 + x / total × scaleFactor) with the cell's total over all genes; a cell
 * without counts stays all zero (Seurat would divide by zero). Fails with `expression.already_normalized`
 * when the matrix has been normalised before.
 */
export function normalizeExpression(
  matrix: ExpressionMatrix,
  method: Normalization,
  options: { scaleFactor?: number } = {},
): ExpressionMatrix {
  if (method === 'none') return matrix
  if (matrix.normalization !== 'none') {
    throw new InputError('expression.already_normalized', 'This matrix has been normalised already', {
      expected: 'raw values',
      found: matrix.normalization,
    })
  }
  const scale = options.scaleFactor ?? 10_000
  const totals = new Float64Array(matrix.nCells)
  const perCell = matrix.layout === 'csc'
  for (let r = 0; r + 1 < matrix.indptr.length; r++) {
    for (let k = matrix.indptr[r]!; k < matrix.indptr[r + 1]!; k++) {
      totals[perCell ? r : matrix.indices[k]!]! += matrix.data[k]!
    }
  }
  const data = new Float32Array(matrix.data.length)
  for (let r = 0; r + 1 < matrix.indptr.length; r++) {
    for (let k = matrix.indptr[r]!; k < matrix.indptr[r + 1]!; k++) {
      const total = totals[perCell ? r : matrix.indices[k]!]!
      data[k] = Math.log1p((matrix.data[k]! / total) * scale)
    }
  }
  return { ...matrix, data, normalization: method }
}

/** Finds genes by id or symbol: exact first, then ignoring case (CNNC and DeepDRIM lower-case every name). */
export class GeneLookup {
  private readonly ids = new Map<string, number>()
  private readonly symbols = new Map<string, number>()
  private readonly folded = new Map<string, number>()

  constructor(matrix: Pick<ExpressionMatrix, 'geneIds' | 'geneSymbols'>) {
    // Ids win over symbols; a symbol shared by two genes (10x has a few) is ambiguous (-2).
    const add = (map: Map<string, number>, key: string, gene: number) => {
      const held = map.get(key)
      if (held === undefined) map.set(key, gene)
      else if (held !== gene) map.set(key, -2)
    }
    matrix.geneIds.forEach((id, g) => this.ids.set(id, g))
    matrix.geneSymbols.forEach((symbol, g) => add(this.symbols, symbol, g))
    for (const names of [matrix.geneIds, matrix.geneSymbols]) {
      names.forEach((name, g) => add(this.folded, name.toLowerCase(), g))
    }
  }

  /** The gene's index; -1 when unknown, -2 when the name fits several genes. */
  find(name: string): number {
    return this.ids.get(name) ?? this.symbols.get(name) ?? this.folded.get(name.toLowerCase()) ?? -1
  }
}

/** Guesses the orientation of a table from its row and column names (and, weakly, its header and shape). */
export function guessOrientation(
  rowNames: readonly string[],
  columnNames: readonly string[],
  corner?: string,
): Omit<OrientationEvidence, 'applied'> {
  const rows = describeNames(rowNames)
  const columns = describeNames(columnNames)
  const reasons: string[] = []
  const share = (count: number, axis: AxisNames) => (axis.count === 0 ? 0 : count / axis.count)
  const decide = (guess: Orientation, confidence: 'high' | 'low') => ({
    guess,
    confidence,
    reasons,
    rows,
    columns,
    corner,
  })

  // Barcodes are the strongest sign: no gene looks like a run of 14 bases with a -1 suffix.
  const rowCells = share(rows.cellLike, rows)
  const columnCells = share(columns.cellLike, columns)
  if (Math.max(rowCells, columnCells) >= 0.5 && rowCells !== columnCells) {
    reasons.push(columnCells > rowCells ? 'cells_in_columns' : 'cells_in_rows')
    return decide(columnCells > rowCells ? 'genes_in_rows' : 'cells_in_rows', 'high')
  }
  const rowEnsembl = share(rows.ensemblLike, rows)
  const columnEnsembl = share(columns.ensemblLike, columns)
  if (Math.max(rowEnsembl, columnEnsembl) >= 0.5 && rowEnsembl !== columnEnsembl) {
    reasons.push(rowEnsembl > columnEnsembl ? 'ensembl_in_rows' : 'ensembl_in_columns')
    return decide(rowEnsembl > columnEnsembl ? 'genes_in_rows' : 'cells_in_rows', 'high')
  }
  const cornerText = (corner ?? '').toLowerCase()
  if (/^(genes?|gene[_ .]?(ids?|names?|symbols?)|symbols?|features?|ensembl)$/.test(cornerText)) {
    reasons.push('corner_names_genes')
    return decide('genes_in_rows', 'low')
  }
  if (/^(cells?|barcodes?|cell[_ .]?(ids?|names?|barcodes?)|samples?)$/.test(cornerText)) {
    reasons.push('corner_names_cells')
    return decide('cells_in_rows', 'low')
  }
  const rowSymbols = share(rows.symbolLike, rows)
  const columnSymbols = share(columns.symbolLike, columns)
  if (Math.abs(rowSymbols - columnSymbols) >= 0.25) {
    reasons.push(rowSymbols > columnSymbols ? 'symbols_in_rows' : 'symbols_in_columns')
    return decide(rowSymbols > columnSymbols ? 'genes_in_rows' : 'cells_in_rows', 'low')
  }
  // Weakest: single-cell matrices usually measure more genes than the cells a laptop study holds.
  reasons.push(rows.count >= columns.count ? 'more_rows_than_columns' : 'more_columns_than_rows')
  return decide(rows.count >= columns.count ? 'genes_in_rows' : 'cells_in_rows', 'low')
}

const BARCODE = /^[ACGTN]{8,}(?:[-_.]\d+)?$/i
const CELL_NAME = /^(?:cells?|barcodes?|samples?|sc)[-_.]?\d+$/i
const ENSEMBL = /^ENS[A-Z]*G\d{6,}(?:\.\d+)?$/
const SYMBOL = /^[A-Za-z][A-Za-z0-9.\-_:/@]{0,19}$/

function describeNames(names: readonly string[]): AxisNames {
  let cellLike = 0
  let ensemblLike = 0
  let symbolLike = 0
  for (const name of names) {
    if (BARCODE.test(name) || CELL_NAME.test(name)) cellLike++
    else if (ENSEMBL.test(name)) ensemblLike++
    else if (SYMBOL.test(name)) symbolLike++
  }
  return { count: names.length, sample: names.slice(0, 5), cellLike, ensemblLike, symbolLike }
}

function parseValue(field: string, line: number, column: number, columnName: string, file?: string): number {
  if (!NUMBER.test(field)) {
    const missing = field.trim() === '' || NOT_FINITE.test(field)
    const shown = field.trim() === '' ? '(empty)' : JSON.stringify(truncate(field))
    throw new InputError(
      missing ? 'expression.not_finite' : 'expression.not_numeric',
      `line ${line.toLocaleString('en-US')}, column ${column + 1} (${columnName}): ` +
        (missing ? `a missing or non-finite value ${shown}` : `${shown} is not a number`),
      {
        file,
        line,
        expected: 'a finite number ≥ 0',
        found: shown,
        params: { column: column + 1, columnName },
      },
    )
  }
  const value = +field
  // Beyond float32 the stored value would become Infinity.
  if (!Number.isFinite(value) || !Number.isFinite(Math.fround(value))) {
    throw new InputError(
      'expression.not_finite',
      `line ${line.toLocaleString('en-US')}, column ${column + 1} (${columnName}): ${field.trim()} is too large`,
      {
        file,
        line,
        expected: 'a number below 3.4e38',
        found: field.trim(),
        params: { column: column + 1, columnName },
      },
    )
  }
  if (value < 0) {
    throw new InputError(
      'expression.negative',
      `line ${line.toLocaleString('en-US')}, column ${column + 1} (${columnName}): negative value ${field.trim()} ` +
        '(expression is counts or normalised counts ≥ 0; scaled or centred data cannot be imported)',
      {
        file,
        line,
        expected: 'a value ≥ 0',
        found: field.trim(),
        params: { column: column + 1, columnName },
      },
    )
  }
  return value
}

function raggedRow(line: number, found: number, expected: number, file: string | undefined, first: boolean) {
  return new InputError(
    'expression.ragged',
    `line ${line.toLocaleString('en-US')}: this row has ${found} fields, ` +
      (first ? `the header has ${expected} (or one fewer)` : `the rows above have ${expected}`),
    {
      file,
      line,
      expected: first ? `${expected} or ${expected + 1} fields` : `${expected} fields`,
      found: `${found} fields`,
    },
  )
}

function checkUnique(
  names: readonly string[],
  axis: 'rows' | 'columns',
  kind: 'gene' | 'cell',
  place: { rowLines: readonly number[]; headerLine: number; columnOffset: number; file: string | undefined },
): void {
  const { rowLines, headerLine, columnOffset, file } = place
  const seen = new Map<string, number>()
  for (let i = 0; i < names.length; i++) {
    const first = seen.get(names[i]!)
    if (first === undefined) {
      seen.set(names[i]!, i)
      continue
    }
    const where =
      axis === 'rows'
        ? `lines ${rowLines[first]!.toLocaleString('en-US')} and ${rowLines[i]!.toLocaleString('en-US')}`
        : `columns ${first + columnOffset} and ${i + columnOffset} of the header`
    throw new InputError(
      `expression.duplicate_${kind}`,
      `${kind === 'gene' ? 'Gene' : 'Cell'} ${JSON.stringify(names[i])} appears twice (${where})`,
      {
        file,
        line: axis === 'rows' ? rowLines[i] : headerLine,
        expected: `unique ${kind} names`,
        found: names[i],
        params: { name: names[i]!, first: axis === 'rows' ? rowLines[first]! : first + columnOffset },
      },
    )
  }
}

/** Splits one line; quoted fields are unquoted ("" is "), and may hold the delimiter. */
function splitFields(text: string, delimiter: string, line: number, file?: string): string[] {
  if (!text.includes('"')) return text.split(delimiter)
  const fields: string[] = []
  let i = 0
  for (;;) {
    if (text[i] !== '"') {
      const next = text.indexOf(delimiter, i)
      if (next === -1) {
        fields.push(text.slice(i))
        return fields
      }
      fields.push(text.slice(i, next))
      i = next + 1
      continue
    }
    const pieces: string[] = []
    i += 1
    for (;;) {
      const quote = text.indexOf('"', i)
      if (quote === -1) {
        throw new InputError(
          'expression.bad_quote',
          `line ${line}: a quoted field is not closed on its line`,
          {
            file,
            line,
            expected: 'a closing "',
            found: 'the end of the line',
          },
        )
      }
      if (text[quote + 1] === '"') {
        pieces.push(text.slice(i, quote + 1))
        i = quote + 2
      } else {
        pieces.push(text.slice(i, quote))
        i = quote + 1
        break
      }
    }
    fields.push(pieces.join(''))
    if (i === text.length) return fields
    if (text[i] !== delimiter) {
      throw new InputError(
        'expression.bad_quote',
        `line ${line}, column ${i + 1}: text after a closing quote`,
        {
          file,
          line,
          expected: `${delimiterName(delimiter)} or the end of the line`,
          found: `'${text[i]}'`,
        },
      )
    }
    i += 1
  }
}

function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'a tab' : `'${delimiter}'`
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/** Compressed rows built one value at a time, in growing typed arrays (non-zeros only). */
export class SparseBuilder {
  private indptr = new Uint32Array(1024)
  private indices = new Uint32Array(4096)
  private data = new Float32Array(4096)
  private rows = 0
  private size = 0

  push(index: number, value: number): void {
    if (this.size === this.indices.length) {
      const indices = new Uint32Array(this.size * 2)
      indices.set(this.indices)
      this.indices = indices
      const data = new Float32Array(this.size * 2)
      data.set(this.data)
      this.data = data
    }
    this.indices[this.size] = index
    this.data[this.size++] = value
  }

  endRow(): void {
    if (this.rows + 2 > this.indptr.length) {
      const indptr = new Uint32Array(this.indptr.length * 2)
      indptr.set(this.indptr)
      this.indptr = indptr
    }
    this.indptr[++this.rows] = this.size
  }

  finish(): { indptr: Uint32Array; indices: Uint32Array; data: Float32Array } {
    return {
      indptr: this.indptr.slice(0, this.rows + 1),
      indices: this.indices.slice(0, this.size),
      data: this.data.slice(0, this.size),
    }
  }
}
