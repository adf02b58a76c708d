/**
 * Matrix Market coordinate files, as Cell Ranger writes them: a 10x directory holds `matrix.mtx[.gz]`
 * (features × barcodes, 1-based), `features.tsv[.gz]` (v3: id, symbol, feature type) or `genes.tsv` (v2:
 * id, symbol), and `barcodes.tsv[.gz]`. The result is the same sparse genes × cells `ExpressionMatrix` as a
 * CSV import, in `csr` layout (one compressed row per gene), holding the non-zeros only.
 *
 * Checked, each an `InputError` with the line: the banner (`%%MatrixMarket matrix coordinate
 * integer|real|pattern general`; `array` files, complex values and symmetric storage are refused as
 * `mtx.unsupported`), the size line, every entry's indices (1-based, within the declared size), its value
 * (finite, ≥ 0), the number of entries against the size line (`mtx.entry_count`), repeated coordinates
 * (`mtx.duplicate_entry`), and the lengths of the features and barcodes files against the matrix
 * (`mtx.features_mismatch`, `mtx.barcodes_mismatch`). Explicit zeros are dropped.
 *
 * Orientation: Cell Ranger writes features in rows. A matrix exported from scanpy (cells × genes) is
 * recognised when its rows match the barcodes and its columns the features; without the side files the
 * 10x convention is assumed unless `orientation` says otherwise.
 */
import { InputError } from '../../shared/errors'
import type { TextLine } from './bytes'
import { expressionStats, type ExpressionMatrix, type ExpressionStats, type Orientation } from './expression'

export interface MatrixMarketHeader {
  field: 'integer' | 'real' | 'pattern'
  rows: number
  columns: number
  entries: number
}

export interface MatrixMarketOptions {
  /** The matrix file's name as the user knows it. */
  fileName?: string
  /** Lines of features.tsv / genes.tsv (tab-separated: id, symbol, type). */
  features?: AsyncIterable<TextLine>
  featuresFileName?: string
  /** Lines of barcodes.tsv (one barcode per line). */
  barcodes?: AsyncIterable<TextLine>
  barcodesFileName?: string
  /** Which axis holds genes; recognised from the side files (or 10x's genes in rows) when absent. */
  orientation?: Orientation
  signal?: AbortSignal
  onProgress?: (done: number, total: number, phase: string) => void
}

export interface MatrixMarketImport {
  matrix: ExpressionMatrix
  header: MatrixMarketHeader
  orientation: Orientation
  /** Feature types of features.tsv (v3), e.g. `Gene Expression`, per gene; absent for v2 files. */
  featureTypes?: string[]
  stats: ExpressionStats
}

const BANNER = /^%%MatrixMarket\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/i

export async function readMatrixMarket(
  lines: AsyncIterable<TextLine>,
  options: MatrixMarketOptions = {},
): Promise<MatrixMarketImport> {
  const file = options.fileName
  const iterator = lines[Symbol.asyncIterator]()
  let header: MatrixMarketHeader | undefined
  let rowsOf: Uint32Array | undefined
  let columnsOf: Uint32Array | undefined
  let values: Float32Array | undefined
  let stored = 0
  let seen = 0
  let integerValued = true
  let maxValue = 0
  let lastLine = 0

  try {
    const first = await iterator.next()
    if (first.done) {
      throw new InputError('mtx.bad_header', 'The matrix file is empty', {
        file,
        expected: '%%MatrixMarket matrix coordinate integer general',
        found: 'no lines',
      })
    }
    const banner = BANNER.exec(first.value.text.trim())
    if (!banner) {
      throw new InputError('mtx.bad_header', 'line 1: this is not a Matrix Market file', {
        file,
        line: 1,
        expected: '%%MatrixMarket matrix coordinate integer general',
        found: truncate(first.value.text),
      })
    }
    const [object, format, field, symmetry] = banner.slice(1).map((word) => word!.toLowerCase())
    if (object !== 'matrix' || format !== 'coordinate') {
      throw unsupported(`${object} ${format}`, 'matrix coordinate', file)
    }
    if (field !== 'integer' && field !== 'real' && field !== 'pattern') {
      throw unsupported(`${field} values`, 'integer, real or pattern values', file)
    }
    if (symmetry !== 'general') throw unsupported(`${symmetry} storage`, 'general storage', file)
    const pattern = field === 'pattern'

    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      const { text, lineNumber } = step.value
      lastLine = lineNumber
      const trimmed = text.trim()
      if (trimmed === '' || trimmed.startsWith('%')) continue
      const words = trimmed.split(/\s+/)
      if (!header) {
        const [rows, columns, entries] = words.map(Number)
        if (
          words.length !== 3 ||
          ![rows, columns, entries].every((n) => Number.isSafeInteger(n) && n! >= 0)
        ) {
          throw new InputError(
            'mtx.bad_size',
            `line ${lineNumber}: the size line is not three whole numbers`,
            {
              file,
              line: lineNumber,
              expected: 'rows columns entries',
              found: truncate(text),
            },
          )
        }
        header = { field, rows: rows!, columns: columns!, entries: entries! }
        if (entries! > 0xffff_ffff) throw unsupported(`${entries} entries`, 'at most 4,294,967,295', file)
        rowsOf = new Uint32Array(entries!)
        columnsOf = new Uint32Array(entries!)
        values = new Float32Array(entries!)
        continue
      }
      seen++
      if (seen > header.entries) {
        throw new InputError(
          'mtx.entry_count',
          `line ${lineNumber}: more entries than the ${header.entries.toLocaleString('en-US')} the size line declares`,
          { file, line: lineNumber, expected: `${header.entries} entries`, found: 'more' },
        )
      }
      if (words.length !== (pattern ? 2 : 3)) {
        throw new InputError(
          'mtx.bad_entry',
          `line ${lineNumber}: an entry is "row column${pattern ? '' : ' value'}"`,
          {
            file,
            line: lineNumber,
            expected: pattern ? '2 fields' : '3 fields',
            found: `${words.length} fields`,
          },
        )
      }
      const row = checkIndex(words[0]!, header.rows, 'row', lineNumber, file)
      const column = checkIndex(words[1]!, header.columns, 'column', lineNumber, file)
      const value = pattern ? 1 : checkValue(words[2]!, field === 'integer', lineNumber, file)
      if (seen % 100_000 === 0) {
        options.signal?.throwIfAborted()
        options.onProgress?.(seen, header.entries, 'entries')
      }
      if (value === 0) continue
      if (integerValued && !Number.isInteger(value)) integerValued = false
      if (value > maxValue) maxValue = value
      rowsOf![stored] = row
      columnsOf![stored] = column
      values![stored++] = value
    }
  } finally {
    await iterator.return?.()
  }
  if (!header) {
    throw new InputError('mtx.bad_size', 'The matrix file has no size line', {
      file,
      expected: 'rows columns entries',
      found: 'the end of the file',
    })
  }
  if (seen < header.entries) {
    throw new InputError(
      'mtx.entry_count',
      `The size line declares ${header.entries.toLocaleString('en-US')} entries but the file has ` +
        `${seen.toLocaleString('en-US')} (cut short?)`,
      { file, line: lastLine, expected: `${header.entries} entries`, found: `${seen} entries` },
    )
  }

  const features = options.features
    ? await readFeatures(options.features, options.featuresFileName ?? 'features.tsv')
    : undefined
  const barcodes = options.barcodes
    ? await readBarcodes(options.barcodes, options.barcodesFileName ?? 'barcodes.tsv')
    : undefined
  const orientation = options.orientation ?? detectOrientation(header, features?.ids.length, barcodes?.length)
  const genesInRows = orientation === 'genes_in_rows'
  const nGenes = genesInRows ? header.rows : header.columns
  const nCells = genesInRows ? header.columns : header.rows
  if (features && features.ids.length !== nGenes) {
    throw new InputError(
      'mtx.features_mismatch',
      `${options.featuresFileName ?? 'features.tsv'} lists ${features.ids.length} features but the matrix has ${nGenes}`,
      { file: options.featuresFileName, expected: `${nGenes} lines`, found: `${features.ids.length} lines` },
    )
  }
  if (barcodes && barcodes.length !== nCells) {
    throw new InputError(
      'mtx.barcodes_mismatch',
      `${options.barcodesFileName ?? 'barcodes.tsv'} lists ${barcodes.length} barcodes but the matrix has ${nCells}`,
      { file: options.barcodesFileName, expected: `${nCells} lines`, found: `${barcodes.length} lines` },
    )
  }

  const genesOf = genesInRows ? rowsOf! : columnsOf!
  const cellsOf = genesInRows ? columnsOf! : rowsOf!
  const compressed = compressByGene(genesOf, cellsOf, values!, stored, nGenes, file)
  const geneIds = features?.ids ?? numbered('gene', nGenes)
  const matrix: ExpressionMatrix = {
    nGenes,
    nCells,
    layout: 'csr',
    ...compressed,
    geneIds,
    geneSymbols: features?.symbols ?? geneIds.slice(),
    cells: barcodes ?? numbered('cell', nCells),
    normalization: 'none',
  }
  return {
    matrix,
    header,
    orientation,
    featureTypes: features?.types,
    stats: expressionStats(matrix, integerValued, maxValue),
  }
}

/** The 10x text of a gene-major matrix: `matrix.mtx` lines (integer when every value is whole, else real). */
export function* writeMatrixMarket(matrix: ExpressionMatrix): Generator<string> {
  if (matrix.layout !== 'csr') throw new Error('writeMatrixMarket needs a gene-major (csr) matrix')
  const integer = matrix.data.every((v) => Number.isInteger(v))
  yield `%%MatrixMarket matrix coordinate ${integer ? 'integer' : 'real'} general`
  yield '%metadata_json: {"software": "SeqLab"}'
  yield `${matrix.nGenes} ${matrix.nCells} ${matrix.data.length}`
  for (let g = 0; g < matrix.nGenes; g++) {
    for (let k = matrix.indptr[g]!; k < matrix.indptr[g + 1]!; k++) {
      yield `${g + 1} ${matrix.indices[k]! + 1} ${matrix.data[k]!}`
    }
  }
}

function detectOrientation(header: MatrixMarketHeader, nFeatures?: number, nBarcodes?: number): Orientation {
  const tenX =
    (nFeatures === undefined || nFeatures === header.rows) &&
    (nBarcodes === undefined || nBarcodes === header.columns)
  if (tenX) return 'genes_in_rows'
  const transposed =
    (nFeatures === undefined || nFeatures === header.columns) &&
    (nBarcodes === undefined || nBarcodes === header.rows)
  return transposed ? 'cells_in_rows' : 'genes_in_rows' // neither fits: the mismatch error names the file
}

/** Counting sort of the triplets by gene, then by cell within each gene. */
function compressByGene(
  genesOf: Uint32Array,
  cellsOf: Uint32Array,
  values: Float32Array,
  size: number,
  nGenes: number,
  file: string | undefined,
): { indptr: Uint32Array; indices: Uint32Array; data: Float32Array } {
  const indptr = new Uint32Array(nGenes + 1)
  for (let k = 0; k < size; k++) indptr[genesOf[k]! + 1]! += 1
  for (let g = 0; g < nGenes; g++) indptr[g + 1]! += indptr[g]!
  const next = indptr.slice(0, nGenes)
  const indices = new Uint32Array(size)
  const data = new Float32Array(size)
  for (let k = 0; k < size; k++) {
    const slot = next[genesOf[k]!]!++
    indices[slot] = cellsOf[k]!
    data[slot] = values[k]!
  }
  // Cell Ranger writes entries column by column, so rows usually come out sorted; sort those that do not.
  for (let g = 0; g < nGenes; g++) {
    const start = indptr[g]!
    const end = indptr[g + 1]!
    let sorted = true
    for (let k = start + 1; k < end && sorted; k++) if (indices[k]! <= indices[k - 1]!) sorted = false
    if (sorted) continue
    const order = Array.from({ length: end - start }, (_, i) => start + i).sort(
      (a, b) => indices[a]! - indices[b]!,
    )
    const cells = order.map((k) => indices[k]!)
    const vals = order.map((k) => data[k]!)
    for (let i = 0; i < cells.length; i++) {
      if (i > 0 && cells[i] === cells[i - 1]) {
        throw new InputError('mtx.duplicate_entry', `Gene ${g + 1}, cell ${cells[i]! + 1} has two entries`, {
          file,
          expected: 'one entry per coordinate',
          found: `gene ${g + 1}, cell ${cells[i]! + 1} twice`,
        })
      }
      indices[start + i] = cells[i]!
      data[start + i] = vals[i]!
    }
  }
  return { indptr, indices, data }
}

async function readFeatures(
  lines: AsyncIterable<TextLine>,
  file: string,
): Promise<{ ids: string[]; symbols: string[]; types?: string[] }> {
  const ids: string[] = []
  const symbols: string[] = []
  const types: string[] = []
  const seen = new Map<string, number>()
  for await (const { text, lineNumber } of lines) {
    if (text.trim() === '') continue
    const fields = text.split('\t')
    const id = fields[0]!.trim()
    if (id === '') {
      throw new InputError('mtx.bad_feature', `line ${lineNumber}: a feature without an id`, {
        file,
        line: lineNumber,
        expected: 'id<TAB>symbol[<TAB>type]',
        found: truncate(text),
      })
    }
    const first = seen.get(id)
    if (first !== undefined) {
      throw new InputError(
        'expression.duplicate_gene',
        `Gene ${JSON.stringify(id)} appears twice (lines ${first} and ${lineNumber})`,
        {
          file,
          line: lineNumber,
          expected: 'unique gene ids',
          found: id,
          params: { name: id, first },
        },
      )
    }
    seen.set(id, lineNumber)
    ids.push(id)
    symbols.push(fields[1]?.trim() || id)
    if (fields.length >= 3) types.push(fields[2]!.trim())
  }
  return { ids, symbols, types: types.length === ids.length && ids.length > 0 ? types : undefined }
}

async function readBarcodes(lines: AsyncIterable<TextLine>, file: string): Promise<string[]> {
  const barcodes: string[] = []
  const seen = new Map<string, number>()
  for await (const { text, lineNumber } of lines) {
    const barcode = text.split('\t')[0]!.trim()
    if (barcode === '') continue
    const first = seen.get(barcode)
    if (first !== undefined) {
      throw new InputError(
        'expression.duplicate_cell',
        `Cell ${JSON.stringify(barcode)} appears twice (lines ${first} and ${lineNumber})`,
        {
          file,
          line: lineNumber,
          expected: 'unique barcodes',
          found: barcode,
          params: { name: barcode, first },
        },
      )
    }
    seen.set(barcode, lineNumber)
    barcodes.push(barcode)
  }
  return barcodes
}

function checkIndex(word: string, size: number, axis: string, line: number, file?: string): number {
  const index = Number(word)
  if (!Number.isInteger(index) || index < 1 || index > size) {
    throw new InputError(
      'mtx.bad_index',
      `line ${line.toLocaleString('en-US')}: ${axis} ${word} is outside 1 … ${size} (indices are 1-based)`,
      { file, line, expected: `a ${axis} in 1 … ${size}`, found: word, params: { axis } },
    )
  }
  return index - 1
}

function checkValue(word: string, integer: boolean, line: number, file?: string): number {
  const value = Number(word)
  if (!Number.isFinite(value) || !Number.isFinite(Math.fround(value)) || word.trim() === '') {
    throw new InputError(
      'expression.not_finite',
      `line ${line.toLocaleString('en-US')}: ${truncate(word)} is not a finite number`,
      {
        file,
        line,
        expected: 'a finite number ≥ 0',
        found: truncate(word),
      },
    )
  }
  if (value < 0) {
    throw new InputError(
      'expression.negative',
      `line ${line.toLocaleString('en-US')}: negative value ${word}`,
      {
        file,
        line,
        expected: 'a value ≥ 0',
        found: word,
      },
    )
  }
  if (integer && !Number.isInteger(value)) {
    throw new InputError(
      'mtx.bad_entry',
      `line ${line.toLocaleString('en-US')}: ${word} in an integer matrix`,
      {
        file,
        line,
        expected: 'a whole number (the banner says integer)',
        found: word,
      },
    )
  }
  return value
}

function unsupported(found: string, expected: string, file?: string): InputError {
  return new InputError('mtx.unsupported', `line 1: SeqLab reads ${expected}, not ${found}`, {
    file,
    line: 1,
    expected,
    found,
  })
}

function numbered(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`)
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text
}
