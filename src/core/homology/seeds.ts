/**
 * The fast prefilter of low identity thresholds (below cd-hit's 0.4 … 0.5), after MMseqs2 (Steinegger &
 * Söding 2017) and BLAST's two-hit method (Altschul et al. 1997): which pairs of a set are worth a full
 * alignment when the question is "identity ≥ 0.3"?
 *
 * Why not the short-word filter (./prefilter): at t = 0.3 it must use 2-mers with a floor of one shared word,
 * and every pair of proteins shares dozens of 2-mers, so every pair is aligned (O(n²) full alignments: 300
 * proteins took minutes). Here three steps cut the pairs before the alignment:
 *
 * 1. Seeds on a reduced alphabet. Murphy, Wallqvist & Levy's 10 groups (2000: LVIM C A G ST P FYW EDNQ KR H)
 *    turn conservative substitutions into matches, so a word of 4 groups matches across 30 % identity far
 *    more often than a word of 3 amino acids, while random pairs match rarely (~10⁴ words). The seed may be
 *    spaced (pattern `11011`: 4 positions over a span of 5; spaced seeds hit more homologous alignments per
 *    random hit than contiguous ones, Ma, Tromp & Li 2002). Seeds holding X are skipped.
 * 2. Two hits on one diagonal: a pair is considered only where two seeds fall on the same diagonal (j − i) at
 *    most `window` residues apart (BLAST: 40), as in MMseqs2's double-hit criterion; one random seed hit is
 *    common, two close together on one diagonal are not.
 * 3. Ungapped score: from each diagonal that produced two hits, BLAST's ungapped X-drop extension with
 *    BLOSUM62; only pairs whose best segment has an E-value ≤ `maxEvalue` go on to the full alignment.
 *    Weakest case: pairs at 30–40 % identity whose substitutions are random (not conservative) and whose
 *    indels cut the alignment into short diagonal segments (one such 37 % pair: best segment 28, gapped
 *    score 191); summing segments over diagonals instead lets random pairs with many hits through (1.1 M
 *    of 2 M pairs on 2,000 proteins), so it is not done. This
 *    is what makes short-against-long pairs cheap: a 60-residue peptide shares some seeds with a
 *    2,000-residue protein by chance, but not a diagonal segment scoring like a homologue.
 *
 * It is a heuristic: pairs at identity ≥ t can be missed (diverged pairs with many gaps, or short sequences
 * whose best local alignment reaches t by chance). The partition's guarantee therefore never rests on it:
 * `homologyPartition`'s verification and `leakageReport` align every held-out sequence with every training
 * sequence, no filter, and the tests and scripts/bench-homology.mjs measure what it misses.
 *
 * Diagonals are tracked in one array over the concatenated sequences (BLAST's diagonal array): key
 * `offset[target] + j − i + queryLength`; a slot reused by another target is recognised by its position.
 */
import { InputError } from '../../shared/errors'
import { PROTEIN } from '../sequence'
import type { ScoringScheme } from './align'

/** Karlin–Altschul parameters of ungapped BLOSUM62 alignments (BLAST's table). */
const KARLIN_LAMBDA = 0.3176
const KARLIN_K = 0.134

/** Murphy et al.'s 10-letter reduced alphabet, as group strings. */
export const MURPHY_10 = ['LVIM', 'C', 'A', 'G', 'ST', 'P', 'FYW', 'EDNQ', 'KR', 'H'] as const

export interface SeedOptions {
  /**
   * Seed pattern over the reduced alphabet: `1` = a position that must match, `0` = any. Default by the
   * size of the set: `11011` (4 positions) up to `SMALL_SET_RESIDUES` residues in all, else `1101011` (5
   * positions: ~7 × fewer random hits, so ~7 × faster on large sets, and less sensitive to pairs whose
   * substitutions are not conservative).
   */
  pattern?: string
  /** Most residues between the two hits on one diagonal (BLAST's A). Default 40. */
  window?: number
  /** Least BLOSUM62 score of the best ungapped diagonal segment (a floor under the E-value's). Default 0. */
  minUngappedScore?: number
  /** Most diagonals scored per pair (the ones triggered first). Default 16. */
  maxDiagonals?: number
  /** Ungapped extension stops this far below its best score (BLAST's X-drop, ~7 bits). Default 16. */
  xDrop?: number
  /**
   * The ungapped score's E-value (Karlin–Altschul, BLOSUM62 ungapped λ 0.3176, K 0.134, over the two
   * lengths) must be at most this. Default 0.01. Measured on 400 UniProt proteins against every pair's full
   * alignment: 0.01, 0.1 and 1 find the same pairs with a real alignment (scores 95 … 3,400); what all of
   * them miss are chance alignments of short sequences (7 … 72 residues, scores ≤ 42) that reach 30 % of
   * their length; 1 aligns 6 × more pairs than 0.01 for two more of those.
   */
  maxEvalue?: number
}

export interface SeedCandidate {
  /** Index of the target sequence. */
  index: number
  /** Best ungapped segment score, and its diagonal (j − i, i in the query, j in the target). */
  ungappedScore: number
  diagonal: number
}

interface ResolvedSeeds {
  offsets: number[]
  span: number
  window: number
  minUngappedScore: number
  maxDiagonals: number
  xDrop: number
  maxEvalue: number
}

function badSeed(message: string, expected: string, found: unknown): InputError {
  return new InputError('homology.bad_param', message, { expected, found: String(found) })
}

/** Sets up to this many residues in all get the more sensitive 4-position seed (2,000 average proteins). */
export const SMALL_SET_RESIDUES = 1_000_000

export function resolveSeeds(options: SeedOptions = {}, residues = 0): ResolvedSeeds {
  const pattern = options.pattern ?? (residues <= SMALL_SET_RESIDUES ? '11011' : '1101011')
  if (!/^1[01]*1$|^1$/.test(pattern) || pattern.replace(/0/g, '').length > 6) {
    throw badSeed(
      'A seed pattern is 1s and 0s, starting and ending with 1, at most six 1s.',
      'e.g. 11011',
      pattern,
    )
  }
  const offsets: number[] = []
  for (let p = 0; p < pattern.length; p++) if (pattern[p] === '1') offsets.push(p)
  const window = options.window ?? 40
  if (!Number.isInteger(window) || window < 1 || window > 10_000) {
    throw badSeed('The two-hit window must be a whole number from 1 to 10,000.', '1 … 10000', window)
  }
  const minUngappedScore = options.minUngappedScore ?? 0
  if (!Number.isFinite(minUngappedScore)) {
    throw badSeed('The ungapped score threshold must be a number.', 'a number, e.g. 30', minUngappedScore)
  }
  const maxDiagonals = options.maxDiagonals ?? 16
  if (!Number.isInteger(maxDiagonals) || maxDiagonals < 1) {
    throw badSeed(
      'The number of diagonals per pair must be a whole number ≥ 1.',
      'an integer ≥ 1',
      maxDiagonals,
    )
  }
  const xDrop = options.xDrop ?? 16
  if (!(xDrop > 0)) throw badSeed('The X-drop must be above 0.', 'a number > 0, e.g. 16', xDrop)
  const maxEvalue = options.maxEvalue ?? 0.01
  if (!(maxEvalue > 0)) throw badSeed('The E-value limit must be above 0.', 'a number > 0, e.g. 1', maxEvalue)
  return { offsets, span: pattern.length, window, minUngappedScore, maxDiagonals, xDrop, maxEvalue }
}

/** Protein code → reduced group (0 … 9), 255 for X. */
function reducedTable(): Uint8Array {
  const table = new Uint8Array(PROTEIN.size + 1).fill(255)
  MURPHY_10.forEach((group, g) => {
    for (const letter of group) table[PROTEIN.letters.indexOf(letter)] = g
  })
  return table
}

/**
 * All-against-all seed index of a fixed set of protein code sequences: `candidates(q)` gives the sequences
 * before `q` (indices < q) worth aligning with it, so each pair is considered once.
 */
export class SeedIndex {
  private readonly seqs: readonly Uint8Array[]
  private readonly scheme: ScoringScheme
  private readonly opts: ResolvedSeeds
  /** Concatenated start of each sequence, and one past the end. */
  private readonly start: Int32Array
  /** CSR postings per seed word: sequence and position, in sequence order. */
  private readonly wordStart: Int32Array
  private readonly postSeq: Int32Array
  private readonly postPos: Int32Array
  /** Per sequence: the seed word at each position (−1 none). */
  private readonly words: Int32Array[]
  // Per-query scratch.
  private readonly lastHit: Int32Array
  private readonly scored: Uint8Array
  private touched = new Int32Array(1 << 16)
  private readonly bestScore: Int32Array
  private readonly bestDiagonal: Int32Array
  private readonly diagonalsScored: Int32Array
  private readonly candidateMark: Uint8Array

  constructor(seqs: readonly Uint8Array[], scheme: ScoringScheme, options: SeedOptions = {}) {
    if (scheme.size !== PROTEIN.size + 1) {
      throw badSeed('The seed prefilter is for proteins (BLOSUM62).', 'a protein scoring scheme', scheme.name)
    }
    this.seqs = seqs
    this.scheme = scheme
    this.opts = resolveSeeds(
      options,
      seqs.reduce((a, s) => a + s.length, 0),
    )
    const n = seqs.length
    const table = reducedTable()
    const weight = this.opts.offsets.length
    const wordCount = Math.pow(MURPHY_10.length, weight)
    this.start = new Int32Array(n + 1)
    let maxLength = 0
    for (let s = 0; s < n; s++) {
      this.start[s + 1] = this.start[s]! + seqs[s]!.length
      maxLength = Math.max(maxLength, seqs[s]!.length)
    }
    const counts = new Int32Array(wordCount + 1)
    this.words = seqs.map((codes) => {
      const w = this.wordsOf(codes, table)
      for (let i = 0; i < w.length; i++) if (w[i]! >= 0) counts[w[i]! + 1] = counts[w[i]! + 1]! + 1
      return w
    })
    for (let w = 0; w < wordCount; w++) counts[w + 1] = counts[w + 1]! + counts[w]!
    this.wordStart = counts.slice()
    const total = counts[wordCount]!
    this.postSeq = new Int32Array(total)
    this.postPos = new Int32Array(total)
    const fill = counts
    for (let s = 0; s < n; s++) {
      const w = this.words[s]!
      for (let i = 0; i < w.length; i++) {
        const word = w[i]!
        if (word < 0) continue
        const at = fill[word]!++
        this.postSeq[at] = s
        this.postPos[at] = i
      }
    }
    this.lastHit = new Int32Array(this.start[n]! + maxLength + 1).fill(-1)
    this.scored = new Uint8Array(this.lastHit.length)
    this.bestScore = new Int32Array(n)
    this.bestDiagonal = new Int32Array(n)
    this.diagonalsScored = new Int32Array(n)
    this.candidateMark = new Uint8Array(n)
  }

  private wordsOf(codes: Uint8Array, table: Uint8Array): Int32Array {
    const { offsets, span } = this.opts
    const out = new Int32Array(Math.max(0, codes.length - span + 1))
    for (let i = 0; i < out.length; i++) {
      let word = 0
      for (const o of offsets) {
        const g = table[codes[i + o]!]!
        if (g === 255) {
          word = -1
          break
        }
        word = word * MURPHY_10.length + g
      }
      out[i] = word
    }
    return out
  }

  /** Sequences with index < `q` that pass the two-hit and ungapped-score filters with sequence `q`. */
  candidates(q: number): SeedCandidate[] {
    const query = this.seqs[q]!
    const qWords = this.words[q]!
    const n = query.length
    const { window, minUngappedScore, maxDiagonals, maxEvalue } = this.opts
    const lastHit = this.lastHit
    const scored = this.scored
    const start = this.start
    const postSeq = this.postSeq
    const postPos = this.postPos
    let touchedCount = 0
    const out: number[] = []
    for (let i = 0; i < qWords.length; i++) {
      const word = qWords[i]!
      if (word < 0) continue
      const end = this.wordStart[word + 1]!
      for (let p = this.wordStart[word]!; p < end; p++) {
        const t = postSeq[p]!
        if (t >= q) break // postings are in sequence order: the rest are not before q
        const j = postPos[p]!
        const key = start[t]! + j - i + n
        const previous = lastHit[key]!
        if (previous < 0) {
          if (touchedCount === this.touched.length) this.grow()
          this.touched[touchedCount++] = key
        } else if (i - previous <= window && scored[key] === 0) {
          // The earlier hit lies on this target's diagonal only if its target position is inside it.
          const jPrevious = j - (i - previous)
          if (jPrevious >= 0 && this.diagonalsScored[t]! < maxDiagonals) {
            scored[key] = 1
            const score = this.extend(query, this.seqs[t]!, j - i, previous)
            if (this.candidateMark[t] === 0) {
              this.candidateMark[t] = 1
              this.bestScore[t] = score
              this.bestDiagonal[t] = j - i
              this.diagonalsScored[t] = 1
              out.push(t)
            } else {
              this.diagonalsScored[t] = this.diagonalsScored[t]! + 1
              if (score > this.bestScore[t]!) {
                this.bestScore[t] = score
                this.bestDiagonal[t] = j - i
              }
            }
          }
        }
        lastHit[key] = i
      }
    }
    for (let k = 0; k < touchedCount; k++) {
      lastHit[this.touched[k]!] = -1
      scored[this.touched[k]!] = 0
    }
    const result: SeedCandidate[] = []
    out.sort((a, b) => a - b)
    for (const t of out) {
      this.candidateMark[t] = 0
      this.diagonalsScored[t] = 0
      const needed = Math.max(
        minUngappedScore,
        Math.log((KARLIN_K * n * this.seqs[t]!.length) / maxEvalue) / KARLIN_LAMBDA,
      )
      if (this.bestScore[t]! >= needed) {
        result.push({ index: t, ungappedScore: this.bestScore[t]!, diagonal: this.bestDiagonal[t]! })
      }
    }
    return result
  }

  /**
   * BLAST's ungapped X-drop extension on diagonal d = j − i from query position `from` (the first hit):
   * to the right and to the left, each stopping once the running score falls `xDrop` below its best.
   */
  private extend(query: Uint8Array, target: Uint8Array, d: number, from: number): number {
    const { matrix, size } = this.scheme
    const xDrop = this.opts.xDrop
    const iEnd = Math.min(query.length, target.length - d)
    let run = 0
    let right = 0
    for (let i = from; i < iEnd; i++) {
      run += matrix[query[i]! * size + target[i + d]!]!
      if (run > right) right = run
      else if (run < right - xDrop) break
    }
    const iStart = Math.max(0, -d)
    run = 0
    let left = 0
    for (let i = from - 1; i >= iStart; i--) {
      run += matrix[query[i]! * size + target[i + d]!]!
      if (run > left) left = run
      else if (run < left - xDrop) break
    }
    return right + left
  }

  private grow(): void {
    const bigger = new Int32Array(this.touched.length * 2)
    bigger.set(this.touched)
    this.touched = bigger
  }
}
