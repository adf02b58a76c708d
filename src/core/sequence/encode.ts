/**
 * Encoders from stored sequence codes (see ./alphabet) to the numbers models read, one batch at a time.
 *
 * Why per batch: the seed data set (276,216 windows × 101 bp × 4 channels as float32) is 446 MB as one
 * tensor; the training loop instead asks for the rows of one batch, by record index, into a buffer it reuses.
 *
 * - `oneHotBatch` → `Float32Array` laid out `[batch, length, alphabetSize]` (row-major, channel fastest, what
 *   `tf.tensor3d(data, [batch, length, size])` expects). The unknown code (N, X) is an all-zero row.
 *   Sequences shorter than `length` are zero-padded **at the end**; longer ones keep their first `length`
 *   positions. A row flagged in `reverseComplement` is the one-hot of the reverse complement of the whole
 *   sequence (then padded or cut the same way), so for a sequence of exactly `length` bases it equals the
 *   forward one-hot with positions reversed and channels complemented (A↔T, C↔G: channel c ↔ 3 − c).
 * - `kmerCounts` / `kmerBatch` (DNA only) → counts of the 4^k k-mers, column `Σ code_j · 4^(k−1−j)` (AA…A,
 *   AA…C, …, lexicographic in ACGT order; `kmerNames` spells them). k-mers overlapping an N (or any unknown
 *   code) are skipped. `canonical` counts a k-mer and its reverse complement in one column: the output then
 *   has only the canonical columns (the lexicographically smaller of each pair, in index order; `kmerNames`
 *   and `kmerDimension` give them), not 4^k with half of them zero. `normalise: 'frequency'` divides by the
 *   number of k-mers counted (rows sum to 1, or stay all zero when none was counted).
 */
import { InputError } from '../../shared/errors'
import { DNA, type Alphabet } from './alphabet'

/** Largest k for k-mer features: 4^8 = 65,536 columns per row is already a wide logistic regression. */
export const MAX_K = 8

function badParameter(name: string, expected: string, found: unknown): InputError {
  return new InputError('sequence.bad_parameter', `The encoding parameter "${name}" is not valid.`, {
    expected,
    found: String(found),
    params: { name },
  })
}

function checkBatch(sequences: readonly Uint8Array[], indices: ArrayLike<number>): void {
  for (let b = 0; b < indices.length; b++) {
    const index = indices[b]!
    if (!Number.isInteger(index) || index < 0 || index >= sequences.length) {
      throw badParameter('indices', `record indices from 0 to ${sequences.length - 1}`, index)
    }
  }
}

/** A caller's buffer (reused across batches) or a new one; must hold at least `needed` values. */
function outputBuffer(out: Float32Array | undefined, needed: number): Float32Array {
  if (out === undefined) return new Float32Array(needed)
  if (out.length < needed)
    throw badParameter('out', `a Float32Array of at least ${needed} values`, out.length)
  const view = out.subarray(0, needed)
  view.fill(0)
  return view
}

export interface OneHotOptions {
  /** Alphabet of the codes; DNA by default. Its `size` is the last dimension. */
  alphabet?: Alphabet
  /** Per batch row (not per record): encode the reverse complement instead (DNA augmentation). */
  reverseComplement?: ArrayLike<boolean>
}

/**
 * One-hot rows for the records `indices` of `sequences`: `[indices.length, length, alphabet.size]`.
 * `out` (optional) is reused when it is large enough; the returned array is then a view of its start, so a
 * smaller last batch needs no new buffer.
 */
export function oneHotBatch(
  sequences: readonly Uint8Array[],
  indices: ArrayLike<number>,
  length: number,
  out?: Float32Array,
  options: OneHotOptions = {},
): Float32Array {
  const alphabet = options.alphabet ?? DNA
  const size = alphabet.size
  const batch = indices.length
  if (!Number.isInteger(length) || length < 1) throw badParameter('length', 'a whole number ≥ 1', length)
  checkBatch(sequences, indices)
  const rc = options.reverseComplement
  if (rc !== undefined) {
    if (rc.length !== batch)
      throw badParameter('reverseComplement', `${batch} flags (one per row)`, rc.length)
    if (alphabet.complement === undefined) {
      for (let b = 0; b < batch; b++) {
        if (rc[b]) throw badParameter('reverseComplement', 'a nucleotide alphabet', alphabet.name)
      }
    }
  }
  const data = outputBuffer(out, batch * length * size)
  // Complement of a channel; codes ≥ size (unknown) stay unknown and write nothing.
  const complement = alphabet.complement
  for (let b = 0; b < batch; b++) {
    const codes = sequences[indices[b]!]!
    const n = codes.length
    const used = Math.min(n, length)
    const rowStart = b * length * size
    if (rc !== undefined && rc[b]) {
      for (let p = 0; p < used; p++) {
        const code = codes[n - 1 - p]!
        if (code < size) data[rowStart + p * size + complement![code]!] = 1
      }
    } else {
      for (let p = 0; p < used; p++) {
        const code = codes[p]!
        if (code < size) data[rowStart + p * size + code] = 1
      }
    }
  }
  return data
}

export interface KmerOptions {
  /** Count a k-mer and its reverse complement together (compact output, see the module comment). */
  canonical?: boolean
  /** `frequency`: divide by the number of k-mers counted. Default `none` (raw counts). */
  normalise?: 'none' | 'frequency'
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw badParameter('k', `a whole number from 1 to ${MAX_K}`, k)
}

function checkNormalise(normalise: unknown): void {
  if (normalise !== undefined && normalise !== 'none' && normalise !== 'frequency') {
    throw badParameter('normalise', "'none' or 'frequency'", normalise)
  }
}

/** Index of the reverse complement of k-mer `index`. */
function reverseComplementIndex(index: number, k: number): number {
  let rc = 0
  for (let j = 0; j < k; j++) {
    rc = (rc << 2) | (3 - (index & 3))
    index >>= 2
  }
  return rc
}

// Column of each k-mer index in canonical mode, built once per k (at most 4^8 entries).
const canonicalColumns = new Map<number, { column: Int32Array; kmers: Int32Array }>()

function canonicalTable(k: number): { column: Int32Array; kmers: Int32Array } {
  let table = canonicalColumns.get(k)
  if (table === undefined) {
    const total = 4 ** k
    const column = new Int32Array(total)
    const kmers: number[] = []
    for (let i = 0; i < total; i++) {
      const rc = reverseComplementIndex(i, k)
      // The smaller index of the pair is seen first and gets the column; its partner reuses it.
      if (i <= rc) {
        column[i] = kmers.length
        kmers.push(i)
      } else {
        column[i] = column[rc]!
      }
    }
    table = { column, kmers: Int32Array.from(kmers) }
    canonicalColumns.set(k, table)
  }
  return table
}

/** Number of k-mer columns: 4^k, or the number of canonical k-mers with `canonical`. */
export function kmerDimension(k: number, options: { canonical?: boolean } = {}): number {
  checkK(k)
  return options.canonical ? canonicalTable(k).kmers.length : 4 ** k
}

/** The k-mer of each column, e.g. `['AA', 'AC', …]`. */
export function kmerNames(k: number, options: { canonical?: boolean } = {}): string[] {
  checkK(k)
  const indices = options.canonical
    ? Array.from(canonicalTable(k).kmers)
    : Array.from({ length: 4 ** k }, (_, i) => i)
  return indices.map((index) => {
    let name = ''
    for (let j = k - 1; j >= 0; j--) name += 'ACGT'[(index >> (2 * j)) & 3]
    return name
  })
}

/** Counts of one sequence's k-mers into `target` from `offset` (which is zero there already). */
function countInto(
  codes: Uint8Array,
  k: number,
  options: KmerOptions,
  target: Float32Array,
  offset: number,
): void {
  const mask = 4 ** k - 1
  const column = options.canonical ? canonicalTable(k).column : undefined
  let index = 0
  // Bases since the last unknown code: a k-mer ends here only when the last k were all known.
  let run = 0
  let counted = 0
  for (let p = 0; p < codes.length; p++) {
    const code = codes[p]!
    if (code > 3) {
      run = 0
      continue
    }
    index = ((index << 2) | code) & mask
    run += 1
    if (run >= k) {
      target[offset + (column === undefined ? index : column[index]!)]! += 1
      counted += 1
    }
  }
  if (options.normalise === 'frequency' && counted > 0) {
    const width = column === undefined ? mask + 1 : canonicalTable(k).kmers.length
    for (let c = 0; c < width; c++) target[offset + c]! /= counted
  }
}

/** k-mer counts of one DNA sequence (codes): `Float32Array` of `kmerDimension(k, options)`. */
export function kmerCounts(codes: Uint8Array, k: number, options: KmerOptions = {}): Float32Array {
  const dimension = kmerDimension(k, options)
  checkNormalise(options.normalise)
  const counts = new Float32Array(dimension)
  countInto(codes, k, options, counts, 0)
  return counts
}

/** k-mer counts of the records `indices`: `[indices.length, kmerDimension(k, options)]`, `out` reused. */
export function kmerBatch(
  sequences: readonly Uint8Array[],
  indices: ArrayLike<number>,
  k: number,
  options: KmerOptions & { out?: Float32Array } = {},
): Float32Array {
  const dimension = kmerDimension(k, options)
  checkNormalise(options.normalise)
  checkBatch(sequences, indices)
  const data = outputBuffer(options.out, indices.length * dimension)
  for (let b = 0; b < indices.length; b++) countInto(sequences[indices[b]!]!, k, options, data, b * dimension)
  return data
}
