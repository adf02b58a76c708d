/**
 * Pairwise alignment and percent identity: the one measure every homology step (clustering, partition graph,
 * leakage report) shares, so that "identity ≥ t" means the same thing everywhere.
 *
 * - Global (Needleman–Wunsch) or local (Smith–Waterman) alignment with affine gaps (Gotoh). Gap costs follow
 *   BLAST's convention: a gap of length L costs `gapOpen + L × gapExtend` (defaults 11 and 1, BLASTP's and
 *   cd-hit's values; cd-hit charges `open + (L − 1) × extend`, one point less per gap).
 * - Proteins score with BLOSUM62 (embedded; the unknown residue X scores −1 against everything); DNA with
 *   BLASTN's match +2 / mismatch −3, gaps 5 + 2·L, N −1.
 * - Identity = identical aligned columns / length of the shorter sequence. This is cd-hit's definition (its
 *   default `-G 1`), which makes a short fragment of a long protein 100 % identical to it: the redundancy
 *   and leakage question is "does the shorter one occur in the longer one". Alternatives, not used here:
 *   identities / alignment columns (BLAST's pident, MMseqs2's default `--seq-id-mode 0`), identities / the
 *   longer length (stricter for fragments), cd-hit `-G 0` (local: over the aligned part).
 * - Which alignment's identities: among the alignments of maximal score, the one with the most identical
 *   columns. Both are maximised together by packing them into one number per cell, `score × 2^20 +
 *   identities` (exact in float64), so the ordinary DP finds the lexicographic maximum without a traceback.
 * - Optional band: only cells with |(j − i) − diagonal| ≤ width (i in `a`, j in `b`) are computed. The
 *   result equals the full one whenever the optimal alignment stays inside the band.
 *
 * Hot loop: one Float64Array row of H and one of F, E in a register; per call no allocation once the buffers
 * have grown (`Aligner` keeps them). Float64 rather than Int32 because the packed value needs more than 31
 * bits for long proteins; V8 keeps both unboxed.
 */
import { InputError } from '../../shared/errors'
import { DNA, PROTEIN } from '../sequence'

/** A substitution matrix over an alphabet's codes (unknown code included) plus affine gap costs. */
export interface ScoringScheme {
  readonly name: string
  /** Alphabet size with the unknown code: 21 for proteins, 5 for DNA. */
  readonly size: number
  /** `matrix[x * size + y]`, symmetric. */
  readonly matrix: Int8Array
  /** Code of X / N: never counted as an identity. */
  readonly unknownCode: number
  readonly gapOpen: number
  readonly gapExtend: number
}

export type AlignMode = 'local' | 'global'

export interface Band {
  /** Centre diagonal `j − i` (0 = the main diagonal). */
  diagonal: number
  /** Half-width: cells with |(j − i) − diagonal| ≤ width are computed. */
  width: number
}

export interface AlignOptions {
  /** Default `local` (as cd-hit: a local alignment, identities counted over the shorter sequence). */
  mode?: AlignMode
  /** Default BLOSUM62 with gaps 11 / 1. */
  scheme?: ScoringScheme
  band?: Band
}

export interface AlignmentResult {
  score: number
  /** Identical aligned columns (X / N never count). */
  identities: number
  /** identities / min(|a|, |b|); 0 when a sequence is empty. */
  identity: number
}

// NCBI BLOSUM62 in its usual row order; reordered to PROTEIN's codes (alphabetical) below.
const NCBI_ORDER = 'ARNDCQEGHILKMFPSTWYV'
const BLOSUM62_ROWS = `
 4 -1 -2 -2  0 -1 -1  0 -2 -1 -1 -1 -1 -2 -1  1  0 -3 -2  0
-1  5  0 -2 -3  1  0 -2  0 -3 -2  2 -1 -3 -2 -1 -1 -3 -2 -3
-2  0  6  1 -3  0  0  0  1 -3 -3  0 -2 -3 -2  1  0 -4 -2 -3
-2 -2  1  6 -3  0  2 -1 -1 -3 -4 -1 -3 -3 -1  0 -1 -4 -3 -3
 0 -3 -3 -3  9 -3 -4 -3 -3 -1 -1 -3 -1 -2 -3 -1 -1 -2 -2 -1
-1  1  0  0 -3  5  2 -2  0 -3 -2  1  0 -3 -1  0 -1 -2 -1 -2
-1  0  0  2 -4  2  5 -2  0 -3 -3  1 -2 -3 -1  0 -1 -3 -2 -2
 0 -2  0 -1 -3 -2 -2  6 -2 -4 -4 -2 -3 -3 -2  0 -2 -2 -3 -3
-2  0  1 -1 -3  0  0 -2  8 -3 -3 -1 -2 -1 -2 -1 -2 -2  2 -3
-1 -3 -3 -3 -1 -3 -3 -4 -3  4  2 -3  1  0 -3 -2 -1 -3 -1  3
-1 -2 -3 -4 -1 -2 -3 -4 -3  2  4 -2  2  0 -3 -2 -1 -2 -1  1
-1  2  0 -1 -3  1  1 -2 -1 -3 -2  5 -1 -3 -1  0 -1 -3 -2 -2
-1 -1 -2 -3 -1  0 -2 -3 -2  1  2 -1  5  0 -2 -1 -1 -1 -1  1
-2 -3 -3 -3 -2 -3 -3 -3 -1  0  0 -3  0  6 -4 -2 -2  1  3 -1
-1 -2 -2 -1 -3 -1 -1 -2 -2 -3 -3 -1 -2 -4  7 -1 -1 -4 -3 -2
 1 -1  1  0 -1  0  0  0 -1 -2 -2  0 -1 -2 -1  4  1 -3 -2 -2
 0 -1  0 -1 -1 -1 -1 -2 -2 -1 -1 -1 -1 -2 -1  1  5 -2 -2  0
-3 -3 -4 -4 -2 -2 -3 -2 -2 -3 -2 -3 -1  1 -4 -3 -2 11  2 -3
-2 -2 -2 -3 -2 -1 -2 -3  2 -1 -1 -2 -1  3 -3 -2 -2  2  7 -1
 0 -3 -3 -3 -1 -2 -2 -3 -3  3  1 -2  1 -1 -2 -2  0 -3 -1  4`

function blosum62Matrix(): Int8Array {
  const values = BLOSUM62_ROWS.trim().split(/\s+/).map(Number)
  const size = PROTEIN.size + 1
  const matrix = new Int8Array(size * size).fill(-1) // X against anything: −1
  for (let r = 0; r < 20; r++) {
    for (let c = 0; c < 20; c++) {
      const x = PROTEIN.letters.indexOf(NCBI_ORDER[r]!)
      const y = PROTEIN.letters.indexOf(NCBI_ORDER[c]!)
      matrix[x * size + y] = values[r * 20 + c]!
    }
  }
  return matrix
}

/** Checks a gap cost: a whole number 0 … 100. */
function checkGap(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 100) {
    throw new InputError('homology.bad_param', `The ${name} must be a whole number from 0 to 100.`, {
      expected: 'a whole number 0 … 100',
      found: String(value),
      params: { name },
    })
  }
}

/** BLOSUM62 with affine gaps; defaults open 11, extend 1 (BLASTP, cd-hit). */
export function proteinScheme(gapOpen = 11, gapExtend = 1): ScoringScheme {
  checkGap('gap opening cost', gapOpen)
  checkGap('gap extension cost', gapExtend)
  return Object.freeze({
    name: 'blosum62',
    size: PROTEIN.size + 1,
    matrix: blosum62Matrix(),
    unknownCode: PROTEIN.unknownCode,
    gapOpen,
    gapExtend,
  })
}

/** DNA match / mismatch (BLASTN's defaults +2 / −3, gaps 5 + 2·L); N scores −1 against everything. */
export function dnaScheme(match = 2, mismatch = -3, gapOpen = 5, gapExtend = 2): ScoringScheme {
  if (!Number.isInteger(match) || match < 1 || match > 100 || !Number.isInteger(mismatch) || mismatch > 0) {
    throw new InputError('homology.bad_param', 'DNA scores need a match > 0 and a mismatch ≤ 0.', {
      expected: 'whole numbers, match 1 … 100, mismatch ≤ 0',
      found: `match ${match}, mismatch ${mismatch}`,
    })
  }
  checkGap('gap opening cost', gapOpen)
  checkGap('gap extension cost', gapExtend)
  const size = DNA.size + 1
  const matrix = new Int8Array(size * size)
  for (let x = 0; x < size; x++) {
    for (let y = 0; y < size; y++) {
      matrix[x * size + y] = x === DNA.unknownCode || y === DNA.unknownCode ? -1 : x === y ? match : mismatch
    }
  }
  return Object.freeze({ name: 'dna', size, matrix, unknownCode: DNA.unknownCode, gapOpen, gapExtend })
}

export const BLOSUM62: ScoringScheme = proteinScheme()

/** Packing factor: value = score × PACK + identities; identities < 2^20 (sequences up to ~1 M letters). */
const PACK = 1 << 20
const MAX_LENGTH = PACK - 1
/** Stands for "no alignment reaches this cell" (outside the band); far below any real packed value. */
const NEG = -1e15

/** Reusable DP buffers and the last target's profile: align one sequence against many without allocating. */
export class Aligner {
  readonly scheme: ScoringScheme
  private h = new Float64Array(0)
  private f = new Float64Array(0)
  private profile = new Float64Array(0)
  private profileOf: Uint8Array | undefined

  constructor(scheme: ScoringScheme = BLOSUM62) {
    this.scheme = scheme
  }

  /** Aligns `a` (rows) with `b` (columns). Calls with the same `b` object reuse its profile. */
  align(a: Uint8Array, b: Uint8Array, options: Omit<AlignOptions, 'scheme'> = {}): AlignmentResult {
    const mode = options.mode ?? 'local'
    checkSequences(a, b)
    if (mode !== 'local' && mode !== 'global') {
      throw new InputError('homology.bad_param', `Unknown alignment mode "${String(mode)}".`, {
        expected: 'local or global',
        found: String(mode),
      })
    }
    const n = a.length
    const m = b.length
    if (n === 0 || m === 0)
      return { score: mode === 'local' ? 0 : -gapCost(this.scheme, n + m), identities: 0, identity: 0 }
    const band = options.band
    let lo = -n
    let hi = m
    if (band !== undefined) {
      checkBand(band, n, m, mode)
      lo = Math.max(-n, band.diagonal - band.width)
      hi = Math.min(m, band.diagonal + band.width)
    }
    this.ensure(m)
    if (this.profileOf !== b) this.buildProfile(b)
    const packed = this.run(a, m, mode === 'local', lo, hi)
    const score = Math.floor(packed / PACK)
    const identities = packed - score * PACK
    return { score, identities, identity: identities / Math.min(n, m) }
  }

  private ensure(m: number): void {
    if (this.h.length < m + 2) {
      const size = Math.max(m + 2, this.h.length * 2)
      this.h = new Float64Array(size)
      this.f = new Float64Array(size)
    }
  }

  /** Packed score of every residue code against each column of `b`: `profile[code * m + j]`. */
  private buildProfile(b: Uint8Array): void {
    const { size, matrix, unknownCode } = this.scheme
    const m = b.length
    if (this.profile.length < size * m)
      this.profile = new Float64Array(Math.max(size * m, this.profile.length * 2))
    const p = this.profile
    for (let code = 0; code < size; code++) {
      const row = code * size
      const base = code * m
      for (let j = 0; j < m; j++) {
        const y = b[j]!
        p[base + j] = matrix[row + y]! * PACK + (code === y && code !== unknownCode ? 1 : 0)
      }
    }
    this.profileOf = b
  }

  /** The Gotoh recurrences over rows of `a`, columns j − i ∈ [lo, hi]; returns the packed optimum. */
  private run(a: Uint8Array, m: number, local: boolean, lo: number, hi: number): number {
    const n = a.length
    const H = this.h
    const F = this.f
    const p = this.profile
    const ext = this.scheme.gapExtend * PACK
    const openExt = (this.scheme.gapOpen + this.scheme.gapExtend) * PACK
    // Row 0: local starts anywhere at 0; global pays for a leading gap in `a`.
    H[0] = 0
    for (let j = 1; j <= m; j++) {
      H[j] = j > hi ? NEG : local ? 0 : -(openExt + (j - 1) * ext)
      F[j] = NEG
    }
    H[m + 1] = NEG
    let best = local ? 0 : NEG
    for (let i = 1; i <= n; i++) {
      const base = a[i - 1]! * m - 1
      const jStart = Math.max(1, i + lo)
      const jEnd = Math.min(m, i + hi)
      if (jStart > jEnd) continue
      // Column 0 of this row, when inside the band; otherwise the cell left of jStart is unreachable.
      const leftEdge = local ? 0 : -(openExt + (i - 1) * ext)
      let diag: number
      let left: number
      if (jStart === 1) {
        diag = H[0]!
        left = i + lo <= 0 ? leftEdge : NEG
        H[0] = left
      } else {
        diag = H[jStart - 1]!
        left = NEG
      }
      let e = NEG
      for (let j = jStart; j <= jEnd; j++) {
        const up = H[j]!
        let f = F[j]! - ext
        const fOpen = up - openExt
        if (fOpen > f) f = fOpen
        e -= ext
        const eOpen = left - openExt
        if (eOpen > e) e = eOpen
        let h = diag + p[base + j]!
        if (e > h) h = e
        if (f > h) h = f
        if (local) {
          if (h < 0) h = 0
          if (h > best) best = h
        }
        diag = up
        H[j] = h
        F[j] = f
        left = h
      }
      // The cell right of this row's band end is outside the next row's reach from above.
      if (jEnd < m) {
        H[jEnd + 1] = NEG
        F[jEnd + 1] = NEG
      }
      if (jStart > 1) H[jStart - 1] = NEG
    }
    return local ? best : H[m]!
  }
}

function gapCost(scheme: ScoringScheme, length: number): number {
  return length === 0 ? 0 : scheme.gapOpen + length * scheme.gapExtend
}

function checkSequences(a: Uint8Array, b: Uint8Array): void {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) {
    throw new InputError('homology.bad_param', 'Sequences are aligned as residue codes (Uint8Array).', {
      expected: 'two Uint8Array code sequences',
      found: `${typeof a}, ${typeof b}`,
    })
  }
  if (Math.min(a.length, b.length) > MAX_LENGTH) {
    throw new InputError('homology.too_long', 'Both sequences are longer than the aligner supports.', {
      expected: `at most ${MAX_LENGTH} letters in the shorter sequence`,
      found: String(Math.min(a.length, b.length)),
    })
  }
}

function checkBand(band: Band, n: number, m: number, mode: AlignMode): void {
  const { diagonal, width } = band
  if (!Number.isInteger(diagonal) || !Number.isInteger(width) || width < 0) {
    throw new InputError('homology.bad_param', 'A band needs a whole-number diagonal and a width ≥ 0.', {
      expected: 'diagonal: integer, width: integer ≥ 0',
      found: `diagonal ${diagonal}, width ${width}`,
    })
  }
  // A global alignment runs from corner to corner: the band must contain both (diagonals 0 and m − n).
  if (mode === 'global' && (Math.abs(diagonal) > width || Math.abs(m - n - diagonal) > width)) {
    throw new InputError('homology.bad_band', 'A global alignment band must contain both corners.', {
      expected: `diagonal ± width covering 0 and ${m - n}`,
      found: `${diagonal} ± ${width}`,
    })
  }
}

let shared: Aligner | undefined

/** Aligns two code sequences once (convenience; loops should keep an `Aligner`). */
export function align(a: Uint8Array, b: Uint8Array, options: AlignOptions = {}): AlignmentResult {
  const scheme = options.scheme ?? BLOSUM62
  const aligner = scheme === BLOSUM62 ? (shared ??= new Aligner()) : new Aligner(scheme)
  // A fresh profile each time: the caller may have changed `b` in place since the last call.
  const copy = aligner === shared ? b.slice() : b
  return aligner.align(a, copy, options)
}

/** Identity of two sequences (identical columns / shorter length) by local alignment unless told otherwise. */
export function identity(a: Uint8Array, b: Uint8Array, options: AlignOptions = {}): number {
  return align(a, b, options).identity
}
