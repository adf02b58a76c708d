/**
 * Expression matrices in HDF5 files, read with `h5wasm` (HDF5 compiled to WebAssembly: no native build, so
 * it installs offline with npm like any package):
 *
 * - AnnData `.h5ad` (scanpy): `X` is cells × genes, either a dense dataset or a sparse group
 *   (`encoding-type` csr_matrix / csc_matrix with `data`, `indices`, `indptr` and a `shape` attribute); cell
 *   names are `obs`'s index, gene names `var`'s index (the column the group's `_index` attribute names,
 *   `_index` by default; anndata < 0.7 keeps them in `obs/index`…), gene ids `var/gene_ids` when present.
 * - Cell Ranger `.h5` (v3): group `matrix` with `data`, `indices`, `indptr`, `shape` = [features,
 *   barcodes] (compressed by barcode, so each cell is a column), `barcodes`, `features/id`, `features/name`.
 *
 * Every value is checked as in the text formats (finite, ≥ 0; `expression.negative`,
 * `expression.not_finite`), the indices against the shape (`expression.h5_bad_matrix`), and names for
 * duplicates. This module is in the app layer because h5wasm opens files by path (the core only sees
 * bytes); the file is opened read-only and closed whatever happens.
 */
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as H5 from 'h5wasm'
import type { ExpressionMatrix, Orientation } from '../../core/formats/expression'
import { SparseBuilder, toGeneMajor } from '../../core/formats/expression'
import { InputError } from '../../shared/errors'
import type { InputFile } from '../datasets/sources'

type H5Module = typeof H5

let loaded: Promise<H5Module> | undefined

const runtimeRequire: NodeJS.Require =
  typeof require === 'function' ? require : createRequire(import.meta.url)

/**
 * h5wasm's Node build, an ES module with only an `import` export: found through the module search paths
 * (`require` cannot load it, and bundlers must not inline its 4 MB of WebAssembly) and loaded once with
 * import() of its file URL.
 */
async function h5wasm(): Promise<H5Module> {
  loaded ??= (async () => {
    const entry = (runtimeRequire.resolve.paths('h5wasm') ?? [])
      .map((dir) => path.join(dir, 'h5wasm', 'dist', 'node', 'hdf5_hl.js'))
      .find((file) => fs.existsSync(file))
    if (!entry) throw new Error('h5wasm is not installed')
    const url = pathToFileURL(entry).href
    const module = (await import(url)) as H5Module & { default?: H5Module }
    const api = (module.default ?? module) as H5Module
    await api.ready
    return api
  })()
  try {
    return await loaded
  } catch (err) {
    loaded = undefined
    throw err
  }
}

export interface H5Expression {
  matrix: ExpressionMatrix
  format: 'h5ad' | 'h5'
  orientation: Orientation
}

function bad(file: InputFile, message: string, expected: string, found: string): InputError {
  return new InputError('expression.h5_bad_matrix', message, { file: file.name, expected, found })
}

/** A name list (strings) of a dataset, or undefined. */
function strings(group: H5.Group, name: string): string[] | undefined {
  const entity = group.get(name)
  if (!entity || !('shape' in entity)) return undefined
  const value = (entity as H5.Dataset).value
  if (Array.isArray(value)) return value.map(String)
  if (typeof value === 'string') return [value]
  return undefined
}

function numbers(group: H5.Group, name: string, file: InputFile): ArrayLike<number> {
  const entity = group.get(name)
  const value = entity && 'shape' in entity ? (entity as H5.Dataset).value : null
  if (!value || typeof value !== 'object' || !('length' in value) || Array.isArray(value)) {
    throw bad(
      file,
      `${file.name} has no numeric array ${group.path}/${name}`,
      `${group.path}/${name}`,
      'nothing',
    )
  }
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) return Array.from(value, Number)
  return value as ArrayLike<number>
}

function attribute(entity: H5.Group | H5.Dataset, name: string): unknown {
  const attrs = entity.attrs
  return name in attrs ? attrs[name]!.value : undefined
}

/** Reads an `.h5ad` or 10x `.h5` file into a genes × cells matrix. */
export async function readH5Expression(
  file: InputFile,
  options: { orientation?: Orientation; signal?: AbortSignal } = {},
): Promise<H5Expression> {
  let api: H5Module
  try {
    api = await h5wasm()
  } catch (err) {
    throw new InputError(
      'expression.h5_unavailable',
      'HDF5 files cannot be read: the h5wasm package is missing',
      {
        file: file.name,
        expected: 'h5wasm installed (npm ci)',
        found: (err as Error).message,
        cause: err,
      },
    )
  }
  let h5: H5.File
  try {
    if (!hasHdf5Signature(file.path)) throw new Error('no HDF5 signature')
    h5 = new api.File(path.resolve(file.path), 'r')
  } catch (err) {
    throw new InputError('expression.h5_not_hdf5', `${file.name} is not an HDF5 file`, {
      file: file.name,
      expected: 'an AnnData .h5ad or a Cell Ranger .h5 file',
      found: (err as Error).message.split('\n')[0] ?? 'unreadable',
      cause: err,
    })
  }
  try {
    options.signal?.throwIfAborted()
    const keys = h5.keys()
    if (keys.includes('X')) return readAnnData(h5, file, options)
    if (keys.includes('matrix')) return readTenX(h5, file, options)
    throw bad(
      file,
      `${file.name} holds neither an AnnData X nor a 10x matrix`,
      'X (h5ad) or matrix (10x h5)',
      keys.join(', ') || 'nothing',
    )
  } finally {
    h5.close()
  }
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])

/** HDF5's 8-byte signature, at offset 0 or at 512, 1024, 2048, … (a user block before the superblock). */
function hasHdf5Signature(file: string): boolean {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const head = Buffer.alloc(8)
    for (let offset = 0; offset + 8 <= size && offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
      fs.readSync(fd, head, 0, 8, offset)
      if (head.equals(SIGNATURE)) return true
    }
    return false
  } finally {
    fs.closeSync(fd)
  }
}

function indexNames(h5: H5.File, groupName: string): string[] | undefined {
  const group = h5.get(groupName)
  if (!group || 'shape' in group) return undefined
  const g = group as H5.Group
  const column = attribute(g, '_index')
  return strings(g, typeof column === 'string' ? column : '_index') ?? strings(g, 'index')
}

function readAnnData(h5: H5.File, file: InputFile, options: { orientation?: Orientation }): H5Expression {
  const x = h5.get('X')!
  const cells = indexNames(h5, 'obs')
  const genes = indexNames(h5, 'var')
  const geneIds =
    h5.get('var') && !('shape' in h5.get('var')!) ? strings(h5.get('var') as H5.Group, 'gene_ids') : undefined
  let rows: number
  let columns: number
  let compressed: {
    indptr: ArrayLike<number>
    indices: ArrayLike<number>
    data: ArrayLike<number>
    byRow: boolean
  }
  if ('shape' in x && (x as H5.Dataset).shape) {
    // Dense X: rows × columns.
    const d = x as H5.Dataset
    ;[rows, columns] = d.shape as [number, number]
    const values = d.value as ArrayLike<number>
    const builder = new SparseBuilder()
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const v = Number(values[r * columns + c])
        if (v !== 0) builder.push(c, checkValue(v, file))
      }
      builder.endRow()
    }
    const built = builder.finish()
    compressed = { ...built, byRow: true }
  } else {
    const g = x as H5.Group
    const encoding = String(attribute(g, 'encoding-type') ?? attribute(g, 'h5sparse_format') ?? '')
    const shape = attribute(g, 'shape') ?? attribute(g, 'h5sparse_shape')
    const dims =
      shape && typeof shape === 'object' && 'length' in shape
        ? Array.from(shape as ArrayLike<number | bigint>, Number)
        : []
    if (dims.length !== 2 || !/cs[rc]/.test(encoding)) {
      throw bad(
        file,
        `${file.name}: X is neither a dense array nor a CSR/CSC matrix`,
        'csr_matrix or csc_matrix with a shape',
        encoding || 'unknown encoding',
      )
    }
    ;[rows, columns] = dims as [number, number]
    compressed = {
      indptr: numbers(g, 'indptr', file),
      indices: numbers(g, 'indices', file),
      data: numbers(g, 'data', file),
      byRow: encoding.startsWith('csr'),
    }
  }
  // AnnData is cells × genes.
  const genesInRows = (options.orientation ?? 'cells_in_rows') === 'genes_in_rows'
  const matrix = toMatrix(file, compressed, rows, columns, genesInRows, {
    genes: genesInRows ? (genes ?? cells) : genes,
    geneIds: genesInRows ? undefined : geneIds,
    cells: genesInRows ? cells : cells,
  })
  return { matrix, format: 'h5ad', orientation: genesInRows ? 'genes_in_rows' : 'cells_in_rows' }
}

function readTenX(h5: H5.File, file: InputFile, options: { orientation?: Orientation }): H5Expression {
  const g = h5.get('matrix') as H5.Group
  const shape = Array.from(numbers(g, 'shape', file), Number)
  if (shape.length !== 2)
    throw bad(file, `${file.name}: matrix/shape is not two numbers`, '[features, barcodes]', String(shape))
  const [features, barcodes] = shape as [number, number]
  const featureGroup = g.get('features') as H5.Group | null
  const ids = featureGroup ? strings(featureGroup, 'id') : strings(g, 'genes')
  const names = featureGroup ? strings(featureGroup, 'name') : strings(g, 'gene_names')
  const genesInRows = (options.orientation ?? 'genes_in_rows') === 'genes_in_rows'
  // Compressed by barcode: each compressed "row" of the arrays is a cell (column of the matrix).
  const matrix = toMatrix(
    file,
    {
      indptr: numbers(g, 'indptr', file),
      indices: numbers(g, 'indices', file),
      data: numbers(g, 'data', file),
      byRow: false,
    },
    features,
    barcodes,
    genesInRows,
    {
      genes: genesInRows ? (names ?? ids) : undefined,
      geneIds: genesInRows ? ids : undefined,
      cells: strings(g, 'barcodes'),
    },
  )
  return { matrix, format: 'h5', orientation: genesInRows ? 'genes_in_rows' : 'cells_in_rows' }
}

function checkValue(v: number, file: InputFile): number {
  if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
    throw new InputError('expression.not_finite', `${file.name} holds a value that is not a finite number`, {
      file: file.name,
      expected: 'finite numbers ≥ 0',
      found: String(v),
    })
  }
  if (v < 0) {
    throw new InputError('expression.negative', `${file.name} holds a negative value (${v})`, {
      file: file.name,
      expected: 'values ≥ 0 (counts or normalised counts)',
      found: String(v),
    })
  }
  return v
}

/**
 * A compressed matrix of `rows` × `columns` (compressed by row when `byRow`, else by column) as a genes ×
 * cells `ExpressionMatrix`, genes being the rows when `genesInRows`.
 */
function toMatrix(
  file: InputFile,
  c: { indptr: ArrayLike<number>; indices: ArrayLike<number>; data: ArrayLike<number>; byRow: boolean },
  rows: number,
  columns: number,
  genesInRows: boolean,
  names: { genes?: string[]; geneIds?: string[]; cells?: string[] },
): ExpressionMatrix {
  const major = c.byRow ? rows : columns
  const minor = c.byRow ? columns : rows
  if (
    c.indptr.length !== major + 1 ||
    Number(c.indptr[major]) !== c.data.length ||
    c.indices.length !== c.data.length
  ) {
    throw bad(
      file,
      `${file.name}: indptr, indices and data do not fit the shape ${rows} × ${columns}`,
      `${major + 1} offsets`,
      `${c.indptr.length}`,
    )
  }
  const builder = new SparseBuilder()
  for (let m = 0; m < major; m++) {
    let previous = -1
    const pairs: [number, number][] = []
    for (let k = Number(c.indptr[m]); k < Number(c.indptr[m + 1]); k++) {
      const index = Number(c.indices[k])
      if (!Number.isInteger(index) || index < 0 || index >= minor) {
        throw bad(
          file,
          `${file.name}: an index (${index}) is outside the matrix`,
          `0 … ${minor - 1}`,
          String(index),
        )
      }
      const v = Number(c.data[k])
      if (v === 0) continue
      pairs.push([index, checkValue(v, file)])
    }
    pairs.sort((x, y) => x[0] - y[0])
    for (const [index, v] of pairs) {
      if (index === previous)
        throw bad(file, `${file.name}: an entry appears twice`, 'one entry per coordinate', String(index))
      previous = index
      builder.push(index, v)
    }
    builder.endRow()
  }
  const built = builder.finish()
  // The compressed axis is genes (csr) when it is the gene axis, else cells (csc).
  const majorIsGenes = (c.byRow && genesInRows) || (!c.byRow && !genesInRows)
  const nGenes = genesInRows ? rows : columns
  const nCells = genesInRows ? columns : rows
  const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`)
  const genes = names.genes && names.genes.length === nGenes ? names.genes : numbered('gene', nGenes)
  const ids = names.geneIds && names.geneIds.length === nGenes ? names.geneIds : genes
  const cells = names.cells && names.cells.length === nCells ? names.cells : numbered('cell', nCells)
  checkUnique(ids, 'gene', file)
  checkUnique(cells, 'cell', file)
  const matrix: ExpressionMatrix = {
    nGenes,
    nCells,
    layout: majorIsGenes ? 'csr' : 'csc',
    ...built,
    geneIds: ids,
    geneSymbols: genes,
    cells,
    normalization: 'none',
  }
  return toGeneMajor(matrix)
}

function checkUnique(names: string[], kind: 'gene' | 'cell', file: InputFile): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) {
      throw new InputError(
        `expression.duplicate_${kind}`,
        `${kind === 'gene' ? 'Gene' : 'Cell'} ${JSON.stringify(name)} appears twice`,
        {
          file: file.name,
          expected: `unique ${kind} names`,
          found: name,
          params: { name, first: 0 },
        },
      )
    }
    seen.add(name)
  }
}
