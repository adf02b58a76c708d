/**
 * NumPy `.npy` reader (format versions 1.0, 2.0 and 3.0), by seeking, never by slurping.
 *
 * Why: the TF-binding reference data (DeepChem/Kaggle JunD) ships as `.npy` arrays, and its X alone is
 * (276216, 101, 4) float32, about 446 MB. So the header is parsed on its own (`readNpyHeader`) and rows
 * are read as byte ranges of a random-access source (`readNpyRows`, `iterateNpyBatches`): only the
 * bytes of the rows asked for are ever read.
 *
 * The format (numpy/lib/format.py): magic `\x93NUMPY`, major and minor version bytes, a little-endian
 * header length (uint16 in 1.0, uint32 in 2.0/3.0), then a Python dict literal with exactly the keys
 * 'descr', 'fortran_order' and 'shape', padded with spaces and a newline; the raw data follows. The literal
 * is read by a small strict parser of Python literals here (numpy itself uses `ast.literal_eval`); it is
 * never evaluated.
 *
 * Supported dtypes: bool, signed/unsigned integers of 1–8 bytes, float32/float64, either byte order
 * (big-endian values are converted), and fixed-width strings (`<U`, `|S`, as ids often are). Object
 * arrays (pickles), structured, complex and float16 arrays are rejected with `npy.unsupported_dtype`.
 * Fortran order is rejected with `npy.fortran_order` unless at most one dimension exceeds 1, where its bytes
 * are the same as C order.
 */
import { InputError } from '../../shared/errors'
import { type RandomAccessSource } from './bytes'

export type NpyDtypeName =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'unicode'
  | 'bytes'

export interface NpyDtype {
  /** The descriptor as the file wrote it, e.g. `<f4`. */
  descr: string
  name: NpyDtypeName
  /** Bytes per element. */
  itemSize: number
  littleEndian: boolean
}

export interface NpyHeader {
  /** The file's name as the user knows it, used in errors. */
  file: string
  version: [number, number]
  dtype: NpyDtype
  /** Dimensions in C order, e.g. `[n, length, 4]`; `[]` for a 0-d array. */
  shape: number[]
  fortranOrder: boolean
  /** Byte offset of the first element. */
  dataOffset: number
  /** Rows are along the first axis (a 0-d array is one row of one element). */
  rows: number
  /** Elements in one row: the product of the other dimensions. */
  rowElements: number
}

/** Element storage per dtype: 64-bit integers stay exact as BigInts, bools are 0/1 bytes. */
export type NpyData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | string[]

/** A block of consecutive rows, flattened in C order; `shape` is `[rowCount, ...header.shape.slice(1)]`. */
export interface NpyRows {
  startRow: number
  shape: number[]
  data: NpyData
}

export interface NpyReadOptions {
  /** The file's name as the user knows it, for errors; defaults to `array.npy`. */
  fileName?: string
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93NUMPY
/** numpy refuses headers longer than this unless told otherwise (format.py `_MAX_HEADER_SIZE`). */
const MAX_HEADER_BYTES = 1 << 20

const typedKinds: Record<string, Partial<Record<number, NpyDtypeName>>> = {
  b: { 1: 'bool' },
  i: { 1: 'int8', 2: 'int16', 4: 'int32', 8: 'int64' },
  u: { 1: 'uint8', 2: 'uint16', 4: 'uint32', 8: 'uint64' },
  f: { 4: 'float32', 8: 'float64' },
}

/** Reads and checks the header; also checks that the source holds every byte the shape promises. */
export async function readNpyHeader(
  source: RandomAccessSource,
  options: NpyReadOptions = {},
): Promise<NpyHeader> {
  const file = options.fileName ?? 'array.npy'
  const prefix = await source.read(0, Math.min(source.size, 12))
  const magicLength = Math.min(prefix.length, MAGIC.length)
  if (prefix.length < MAGIC.length + 2 || MAGIC.some((b, i) => prefix[i] !== b)) {
    // A short file that starts like an npy is a truncated npy; anything else is not an npy at all.
    if (prefix.length > 0 && MAGIC.slice(0, magicLength).every((b, i) => prefix[i] === b)) {
      throw truncated(file, 'the header', MAGIC.length + 4, prefix.length)
    }
    throw new InputError('npy.bad_magic', `${file} is not a NumPy .npy file`, {
      file,
      expected: 'the NumPy magic \\x93NUMPY',
      found: describeBytes(prefix.subarray(0, 8)),
    })
  }
  const major = prefix[6]!
  const minor = prefix[7]!
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new InputError('npy.unsupported_version', `${file} is in .npy format version ${major}.${minor}`, {
      file,
      expected: 'format version 1.0, 2.0 or 3.0',
      found: `${major}.${minor}`,
    })
  }
  const lengthBytes = major === 1 ? 2 : 4
  if (prefix.length < 8 + lengthBytes) throw truncated(file, 'the header', 8 + lengthBytes, prefix.length)
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength)
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const headerStart = 8 + lengthBytes
  if (headerLength > MAX_HEADER_BYTES) {
    throw badHeader(file, `a header of at most ${MAX_HEADER_BYTES} bytes`, `${headerLength} bytes`)
  }
  const headerBytes = await source.read(headerStart, headerLength)
  if (headerBytes.length < headerLength) {
    throw truncated(file, 'the header', headerStart + headerLength, headerStart + headerBytes.length)
  }
  // 1.0 and 2.0 headers are latin-1 (ASCII in practice); 3.0 allows UTF-8 for structured field names.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes)
  const dict = parseHeaderLiteral(text, file)

  const descr = dict.get('descr')
  const fortran = dict.get('fortran_order')
  const shapeValue = dict.get('shape')
  if (dict.size !== 3 || descr === undefined || fortran === undefined || shapeValue === undefined) {
    throw badHeader(
      file,
      "the keys 'descr', 'fortran_order' and 'shape'",
      `keys ${[...dict.keys()].join(', ')}`,
    )
  }
  if (typeof fortran !== 'boolean') throw badHeader(file, "'fortran_order' True or False", pyRepr(fortran))
  if (!isTuple(shapeValue) || !shapeValue.items.every((d) => typeof d === 'number' && d >= 0)) {
    throw badHeader(file, "'shape' a tuple of non-negative integers", pyRepr(shapeValue))
  }
  const shape = shapeValue.items as number[]
  const dtype = parseDtype(descr, file)

  const elements = shape.reduce((a, b) => a * b, 1)
  const rows = shape.length === 0 ? 1 : shape[0]!
  const rowElements = shape.slice(1).reduce((a, b) => a * b, 1)
  const dataOffset = headerStart + headerLength
  const dataBytes = elements * dtype.itemSize
  if (!Number.isSafeInteger(dataBytes)) {
    throw badHeader(file, 'a shape that fits in memory', pyRepr(shapeValue))
  }
  if (source.size < dataOffset + dataBytes) {
    throw truncated(
      file,
      `the data of shape ${formatShape(shape)} ${dtype.descr}`,
      dataOffset + dataBytes,
      source.size,
    )
  }
  return { file, version: [major, minor], dtype, shape, fortranOrder: fortran, dataOffset, rows, rowElements }
}

/**
 * Reads rows [startRow, startRow + rowCount) along the first axis, reading only their bytes.
 * Pass a header from `readNpyHeader` to skip re-reading it (it matters for deflated `.npz` members).
 */
export async function readNpyRows(
  source: RandomAccessSource,
  options: NpyReadOptions & { startRow: number; rowCount: number; header?: NpyHeader },
): Promise<NpyRows> {
  const header = options.header ?? (await readNpyHeader(source, options))
  assertCOrder(header)
  const { startRow, rowCount } = options
  if (!Number.isInteger(startRow) || !Number.isInteger(rowCount) || startRow < 0 || rowCount < 0) {
    throw new RangeError(`rows must be non-negative integers, got start ${startRow}, count ${rowCount}`)
  }
  if (startRow + rowCount > header.rows) {
    throw new RangeError(
      `rows ${startRow}..${startRow + rowCount} are outside the ${header.rows} rows of ${header.file}`,
    )
  }
  const rowBytes = header.rowElements * header.dtype.itemSize
  const length = rowCount * rowBytes
  const bytes =
    length === 0 ? new Uint8Array(0) : await source.read(header.dataOffset + startRow * rowBytes, length)
  if (bytes.length < length) {
    throw truncated(header.file, `rows ${startRow + 1}..${startRow + rowCount}`, length, bytes.length)
  }
  const shape = header.shape.length === 0 ? [] : [rowCount, ...header.shape.slice(1)]
  return { startRow, shape, data: decode(bytes, header.dtype, rowCount * header.rowElements) }
}

/** Streams the array in blocks of `batchRows` rows (the last may be shorter), in order. */
export async function* iterateNpyBatches(
  source: RandomAccessSource,
  batchRows: number,
  options: NpyReadOptions & { header?: NpyHeader; signal?: AbortSignal } = {},
): AsyncGenerator<NpyRows> {
  if (!Number.isInteger(batchRows) || batchRows < 1)
    throw new RangeError(`batchRows must be ≥ 1, got ${batchRows}`)
  const header = options.header ?? (await readNpyHeader(source, options))
  assertCOrder(header)
  for (let start = 0; start < header.rows; start += batchRows) {
    options.signal?.throwIfAborted()
    yield await readNpyRows(source, {
      header,
      startRow: start,
      rowCount: Math.min(batchRows, header.rows - start),
    })
  }
}

/** `(276216, 101, 4)`: shapes as numpy prints them, for messages. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
}

function assertCOrder(header: NpyHeader): void {
  // In Fortran order the first index varies fastest; with at most one dimension above 1 that is C order too.
  if (header.fortranOrder && header.shape.filter((d) => d > 1).length > 1) {
    throw new InputError(
      'npy.fortran_order',
      `${header.file} is stored in Fortran (column-major) order; save it with np.save(np.ascontiguousarray(a))`,
      { file: header.file, expected: 'C order', found: `Fortran order, shape ${formatShape(header.shape)}` },
    )
  }
}

function parseDtype(descr: PyValue, file: string): NpyDtype {
  if (typeof descr !== 'string') {
    // A list of fields is a structured dtype.
    throw unsupportedDtype(file, pyRepr(descr), 'structured (record) arrays are not supported')
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr)
  if (!m) throw unsupportedDtype(file, descr)
  const order = m[1]!
  const kind = m[2]!
  const size = m[3] === '' ? NaN : Number(m[3])
  // '=' is native order: numpy never writes it (it writes '<' on little-endian machines), but be exact.
  const littleEndian = order === '>' ? false : order === '=' ? hostLittleEndian : true
  if (kind === 'O') {
    throw unsupportedDtype(
      file,
      descr,
      'object arrays are Python pickles; save ids as np.array(ids, dtype=str)',
    )
  }
  if (kind === 'U' && size >= 0) return { descr, name: 'unicode', itemSize: size * 4, littleEndian }
  if (kind === 'S' && size >= 0) return { descr, name: 'bytes', itemSize: size, littleEndian }
  const name = typedKinds[kind]?.[size]
  if (!name) throw unsupportedDtype(file, descr)
  return { descr, name, itemSize: size, littleEndian }
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

type TypedArrayCtor = {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): Exclude<NpyData, string[]>
  BYTES_PER_ELEMENT: number
}

const constructors: Record<Exclude<NpyDtypeName, 'unicode' | 'bytes'>, TypedArrayCtor> = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
}

function decode(bytes: Uint8Array, dtype: NpyDtype, count: number): NpyData {
  if (dtype.name === 'unicode' || dtype.name === 'bytes') return decodeStrings(bytes, dtype, count)
  // Copy into a fresh, aligned buffer (the source's bytes may sit at any offset), then swap if needed.
  const copy = new Uint8Array(count * dtype.itemSize)
  copy.set(bytes.subarray(0, copy.length))
  if (dtype.itemSize > 1 && dtype.littleEndian !== hostLittleEndian) swapBytes(copy, dtype.itemSize)
  return new constructors[dtype.name](copy.buffer, 0, count)
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let at = 0; at < bytes.length; at += width) {
    for (let i = 0, j = width - 1; i < j; i++, j--) {
      const t = bytes[at + i]!
      bytes[at + i] = bytes[at + j]!
      bytes[at + j] = t
    }
  }
}

/** numpy pads fixed-width strings with NULs at the end; `<U` is UTF-32 code points. */
function decodeStrings(bytes: Uint8Array, dtype: NpyDtype, count: number): string[] {
  const out: string[] = new Array<string>(count)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let i = 0; i < count; i++) {
    const at = i * dtype.itemSize
    let s = ''
    if (dtype.name === 'unicode') {
      for (let k = 0; k < dtype.itemSize; k += 4) {
        const cp = view.getUint32(at + k, dtype.littleEndian)
        if (cp === 0) break
        s += String.fromCodePoint(cp)
      }
    } else {
      for (let k = 0; k < dtype.itemSize; k++) {
        const b = bytes[at + k]!
        if (b === 0) break
        s += String.fromCharCode(b)
      }
    }
    out[i] = s
  }
  return out
}

// --- the header literal ------------------------------------------------------------------------------

type PyValue = string | number | boolean | null | PyTuple | PyValue[] | Map<string, PyValue>
interface PyTuple {
  tuple: true
  items: PyValue[]
}

function isTuple(v: PyValue): v is PyTuple {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && v.tuple
}

/**
 * Parses the header: a dict literal of strings, integers, True/False/None, tuples and lists, and nothing
 * else (no names, calls or operators besides a sign), followed only by whitespace.
 */
function parseHeaderLiteral(text: string, file: string): Map<string, PyValue> {
  let at = 0
  const fail = (expected: string): never => {
    throw badHeader(file, expected, `${JSON.stringify(text.slice(at, at + 24))} at character ${at + 1}`)
  }
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at++
  }
  const take = (ch: string): boolean => {
    skipSpace()
    if (text[at] !== ch) return false
    at++
    return true
  }
  // Items separated by commas, a trailing comma allowed; returns whether a comma followed the last item.
  const sequence = (close: string, item: () => void): boolean => {
    let trailingComma = false
    while (!take(close)) {
      item()
      trailingComma = take(',')
      if (!trailingComma) {
        if (!take(close)) fail(`',' or '${close}'`)
        return false
      }
    }
    return trailingComma
  }
  const value = (): PyValue => {
    skipSpace()
    const ch = text[at]
    if (ch === "'" || ch === '"') return str()
    if (ch === '(') {
      at++
      const items: PyValue[] = []
      const trailingComma = sequence(')', () => items.push(value()))
      // `(5)` is the integer 5 in Python, not a tuple.
      if (items.length === 1 && !trailingComma) return items[0]!
      return { tuple: true, items }
    }
    if (ch === '[') {
      at++
      const items: PyValue[] = []
      sequence(']', () => items.push(value()))
      return items
    }
    if (ch === '{') {
      at++
      const map = new Map<string, PyValue>()
      sequence('}', () => {
        skipSpace()
        const key = str()
        if (!take(':')) fail("':'")
        if (map.has(key)) fail(`each key once ('${key}' repeats)`)
        map.set(key, value())
      })
      return map
    }
    const m = /^(?:[-+]?\d+|True|False|None)/.exec(text.slice(at, at + 40))
    if (!m) return fail('a Python literal')
    // An integer must end there: 1.5, 1e3, 0x10 or 3L are not shape entries numpy writes.
    if (/^[\w.]/.test(text.slice(at + m[0].length, at + m[0].length + 1))) fail('a Python literal')
    at += m[0].length
    if (m[0] === 'True') return true
    if (m[0] === 'False') return false
    if (m[0] === 'None') return null
    const n = Number(m[0])
    if (!Number.isSafeInteger(n)) fail('an integer below 2^53')
    return n
  }
  const str = (): string => {
    const quote = text[at]
    if (quote !== "'" && quote !== '"') return fail('a quoted string')
    const end = text.indexOf(quote, at + 1)
    const body = end < 0 ? '' : text.slice(at + 1, end)
    // numpy writes plain descriptors and keys; escapes or line breaks would be a forged header.
    if (end < 0 || /[\\\n]/.test(body)) fail('a simple quoted string')
    at = end + 1
    return body
  }
  const dict = value()
  skipSpace()
  if (!(dict instanceof Map)) return fail('a dict literal {...}')
  if (at !== text.length) fail('the end of the header')
  return dict
}

function pyRepr(v: PyValue): string {
  if (typeof v === 'string') return `'${v}'`
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (v === null) return 'None'
  if (typeof v === 'number') return String(v)
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `'${k}': ${pyRepr(x)}`).join(', ')}}`
  return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(', ')})`
}

// --- errors ------------------------------------------------------------------------------------------

function badHeader(file: string, expected: string, found: string): InputError {
  return new InputError('npy.bad_header', `${file} has a malformed .npy header`, { file, expected, found })
}

function truncated(file: string, what: string, expectedBytes: number, foundBytes: number): InputError {
  return new InputError('npy.truncated', `${file} is truncated: it ends before ${what}`, {
    file,
    expected: `${expectedBytes} bytes`,
    found: `${foundBytes} bytes`,
  })
}

function unsupportedDtype(file: string, descr: string, why?: string): InputError {
  return new InputError(
    'npy.unsupported_dtype',
    `${file} has an unsupported dtype ${descr}${why ? `: ${why}` : ''}`,
    {
      file,
      expected: 'bool, int8–64, uint8–64, float32, float64 or fixed-width strings',
      found: descr,
    },
  )
}

function describeBytes(bytes: Uint8Array): string {
  return [...bytes]
    .map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`))
    .join('')
}

// --- the DeepChem/Kaggle JunD layout -----------------------------------------------------------------

/** One array of a data set: its source and the name the user knows it by. */
export interface NpyInput {
  file: string
  source: RandomAccessSource
  /** Already read; saves a read (and a re-inflation for deflated `.npz` members). */
  header?: NpyHeader
}

export interface JundArrays {
  /** `[n, length, 4]` one-hot windows (A, C, G, T), float or uint8. */
  X: NpyInput
  /** `[n]` or `[n, 1]` labels. */
  y: NpyInput
  /** `[n]` or `[n, 1]` per-sample weights. */
  w?: NpyInput
  /** `[n]` window ids. */
  ids?: NpyInput
}

export interface JundLayout {
  rows: number
  /** Window length L of X `[n, L, 4]`. */
  length: number
  headers: { X: NpyHeader; y: NpyHeader; w?: NpyHeader; ids?: NpyHeader }
  /** The rows (0-based) whose one-hot encoding was checked. */
  checkedRows: number[]
}

const numericDtypes: NpyDtypeName[] = [
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
]

/**
 * Checks the arrays of a JunD-style data set before import: shapes X `[n, L, 4]`, y and w `[n]` or `[n, 1]`,
 * ids `[n]`, the same n everywhere (`npy.shape_mismatch`), and that a sample of X's rows is one-hot: every
 * position holds 0/1 values summing to 1, or all zeros for N (`npy.not_one_hot`). The sample is
 * `sampleRows` rows spread evenly from the first to the last (deterministic, in order, so a deflated
 * `.npz` member is inflated once).
 */
export async function validateJundArrays(
  arrays: JundArrays,
  options: { sampleRows?: number; signal?: AbortSignal } = {},
): Promise<JundLayout> {
  const headerOf = async (input: NpyInput): Promise<NpyHeader> =>
    input.header ?? (await readNpyHeader(input.source, { fileName: input.file }))
  const X = await headerOf(arrays.X)
  const y = await headerOf(arrays.y)
  const w = arrays.w && (await headerOf(arrays.w))
  const ids = arrays.ids && (await headerOf(arrays.ids))

  if (X.shape.length !== 3 || X.shape[2] !== 4) throw badShape(X, '(n, length, 4)')
  if (!['float32', 'float64', 'uint8', 'bool'].includes(X.dtype.name)) {
    throw unsupportedDtype(X.file, X.dtype.descr, 'X must be one-hot float32, float64 or uint8')
  }
  assertCOrder(X)
  const n = X.rows
  for (const h of [y, w]) {
    if (!h) continue
    if (h.shape.length < 1 || h.shape.length > 2 || (h.shape.length === 2 && h.shape[1] !== 1)) {
      throw badShape(h, '(n,) or (n, 1)')
    }
    if (!numericDtypes.includes(h.dtype.name))
      throw unsupportedDtype(h.file, h.dtype.descr, 'expected numbers')
  }
  if (ids && ids.shape.length !== 1) throw badShape(ids, '(n,)')
  for (const h of [y, w, ids]) {
    if (h && h.rows !== n) {
      throw new InputError(
        'npy.shape_mismatch',
        `${h.file} has ${h.rows} rows but ${X.file} has ${n} (shapes ${formatShape(h.shape)} and ${formatShape(X.shape)})`,
        {
          file: h.file,
          expected: `${n} rows, as ${X.file} ${formatShape(X.shape)}`,
          found: `${h.rows} rows, ${formatShape(h.shape)}`,
          params: { rows: h.rows, otherFile: X.file, otherRows: n },
        },
      )
    }
  }

  const m = Math.min(n, Math.max(1, options.sampleRows ?? 64))
  const sample =
    n === 0
      ? []
      : [...new Set(Array.from({ length: m }, (_, k) => (m === 1 ? 0 : Math.round((k * (n - 1)) / (m - 1)))))]
  const length = X.shape[1]!
  for (const row of sample) {
    options.signal?.throwIfAborted()
    const { data } = await readNpyRows(arrays.X.source, { header: X, startRow: row, rowCount: 1 })
    const values = data as Float32Array | Float64Array | Uint8Array
    for (let p = 0; p < length; p++) {
      const a = values[4 * p]!
      const c = values[4 * p + 1]!
      const g = values[4 * p + 2]!
      const t = values[4 * p + 3]!
      const binary = [a, c, g, t].every((v) => v === 0 || v === 1)
      if (!binary || a + c + g + t > 1) {
        throw new InputError(
          'npy.not_one_hot',
          `${X.file} row ${row + 1} is not one-hot at position ${p + 1}: [${a}, ${c}, ${g}, ${t}]`,
          {
            file: X.file,
            record: row + 1,
            expected: 'one 1 and three 0s per position (A, C, G, T), or four 0s for N',
            found: `[${a}, ${c}, ${g}, ${t}]`,
            params: { position: p + 1 },
          },
        )
      }
    }
  }
  return { rows: n, length, headers: { X, y, ...(w && { w }), ...(ids && { ids }) }, checkedRows: sample }
}

function badShape(h: NpyHeader, expected: string): InputError {
  return new InputError(
    'npy.bad_shape',
    `${h.file} has shape ${formatShape(h.shape)}, expected ${expected}`,
    {
      file: h.file,
      expected,
      found: formatShape(h.shape),
    },
  )
}
