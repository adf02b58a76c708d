/**
 * The short-word (k-mer) filter that decides which pairs are worth aligning, after cd-hit's (Li & Godzik
 * 2006): two sequences that reach identity t must share many short words, so a pair sharing too few is
 * never aligned. An inverted index (word → sequence, position) finds, for one query, every indexed
 * sequence sharing a word and on which diagonal (j − i) the shared words lie.
 *
 * What is proven and what is heuristic:
 * - Identity t over the shorter length L means at least ⌈tL⌉ identical columns, so at most L − ⌈tL⌉ of the
 *   shorter sequence's positions are not identical, and each spoils at most k of its L − k + 1 words:
 *   at least R = (L − k + 1) − k (L − ⌈tL⌉) words are shared in register. That is cd-hit's formula (used
 *   by cd-hit itself only above 0.95) and it holds for alignments without gaps in the shorter sequence;
 *   a gap there spoils up to k − 1 more words, which optimal alignments rarely afford.
 * - Where R > 0 (t above about 1 − 1/k) it is the requirement. Below, R ≤ 0 proves nothing; cd-hit then
 *   uses empirical tables and the word lengths 5 (t ≥ 0.7), 4 (≥ 0.6), 3 (≥ 0.5), 2 (≥ 0.4), and cannot
 *   go below 0.4. Here the floor is
 *   `sensitivity × t^k × (L − k + 1)`, a fraction of the in-register words expected at identity t if
 *   identical positions were independent (they cluster, so real pairs share more). Below 0.4, 2-mers
 *   with that floor: the filter is then only a speed-up heuristic, and a guarantee must come from
 *   aligning exhaustively (`partition`'s `verify`, `leakageReport`).
 * - Shared words are counted on the best band of diagonals (half-width `bandWidth`), as cd-hit counts them
 *   on its best band: words of a real alignment fall on neighbouring diagonals, random ones spread out.
 * - Length: with identity over the shorter sequence, no length filter is valid (a 50-residue fragment of a
 *   1,000-residue protein is 100 % identical to it). A length-ratio filter is only valid together with a
 *   coverage rule (cd-hit's `-s`, `-aL`), which changes what identity means; none is applied here.
 */
import { InputError } from '../../shared/errors'

export interface PrefilterOptions {
  /** Word length k; default by the threshold as cd-hit's table (`wordLengthFor`). */
  wordLength?: number
  /** Fraction of the words expected at identity t a candidate must share (0 … 1). Default 0.5. */
  sensitivity?: number
  /** Half-width of the diagonal band words are counted on. Default 20 (cd-hit's `-b`). */
  bandWidth?: number
  /** Raise the requirement to at least this many shared words (tuning; a blunt filter for tests). */
  minSharedWords?: number
}

export interface Candidate {
  /** Index of the sequence in the word index. */
  index: number
  /** Shared words on the best band. */
  hits: number
  /** Centre diagonal (j − i, i in the query, j in the candidate) of the best band. */
  diagonal: number
}

/** Word length for an identity threshold, as cd-hit recommends: 5 ≥ 0.7, 4 ≥ 0.6, 3 ≥ 0.5, else 2. */
export function wordLengthFor(threshold: number): number {
  checkThreshold(threshold)
  return threshold >= 0.7 ? 5 : threshold >= 0.6 ? 4 : threshold >= 0.5 ? 3 : 2
}

export function checkThreshold(threshold: number): void {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new InputError('homology.bad_threshold', 'The identity threshold must be above 0 and at most 1.', {
      expected: '0 < threshold ≤ 1 (e.g. 0.3 … 1.0)',
      found: String(threshold),
    })
  }
}

/** cd-hit's provable bound: words a pair at identity ≥ t must share in register (may be ≤ 0). */
export function provenSharedWords(shorterLength: number, k: number, threshold: number): number {
  const L = shorterLength
  return L - k + 1 - k * (L - Math.ceil(threshold * L - 1e-9))
}

/**
 * Words a candidate must share on its best band: the proven bound where it is positive (a heuristic floor
 * above it would lose pairs the proof admits), else the heuristic floor, at least 1; `minimum` raises it.
 */
export function requiredSharedWords(
  shorterLength: number,
  k: number,
  threshold: number,
  sensitivity: number,
  minimum = 0,
): number {
  const words = shorterLength - k + 1
  if (words <= 0) return minimum
  const proven = provenSharedWords(shorterLength, k, threshold)
  const floor = Math.floor(sensitivity * Math.pow(threshold, k) * words)
  return Math.max(minimum, proven > 0 ? proven : Math.max(1, floor))
}

interface Resolved {
  k: number
  sensitivity: number
  bandWidth: number
  minimum: number
}

export function resolvePrefilter(threshold: number, options: PrefilterOptions = {}): Resolved {
  checkThreshold(threshold)
  const k = options.wordLength ?? wordLengthFor(threshold)
  if (!Number.isInteger(k) || k < 1 || k > 5) {
    throw new InputError('homology.bad_param', 'The word length must be a whole number from 1 to 5.', {
      expected: '1 … 5',
      found: String(k),
    })
  }
  const sensitivity = options.sensitivity ?? 0.5
  if (!(sensitivity >= 0 && sensitivity <= 1)) {
    throw new InputError('homology.bad_param', 'The prefilter sensitivity must be between 0 and 1.', {
      expected: '0 … 1',
      found: String(sensitivity),
    })
  }
  const bandWidth = options.bandWidth ?? 20
  if (!Number.isInteger(bandWidth) || bandWidth < 0) {
    throw new InputError('homology.bad_param', 'The band width must be a whole number ≥ 0.', {
      expected: 'an integer ≥ 0',
      found: String(bandWidth),
    })
  }
  const minimum = options.minSharedWords ?? 0
  if (!Number.isInteger(minimum) || minimum < 0) {
    throw new InputError('homology.bad_param', 'The minimum of shared words must be a whole number ≥ 0.', {
      expected: 'an integer ≥ 0',
      found: String(minimum),
    })
  }
  return { k, sensitivity, bandWidth, minimum }
}

/**
 * Words of up to 5 residues over an alphabet of `letters` codes (20 for proteins, 4 for DNA); words holding
 * the unknown code (≥ letters) are skipped. Sequences are added one at a time (clustering adds each new
 * representative) and queried against everything added so far.
 */
export class WordIndex {
  readonly k: number
  private readonly letters: number
  private readonly head: Int32Array
  private nodeSeq = new Int32Array(1 << 16)
  private nodePos = new Int32Array(1 << 16)
  private nodeNext = new Int32Array(1 << 16)
  private maxLength = 0
  private nodes = 0
  private readonly seqs: Uint8Array[] = []
  // Per-query scratch, reused.
  private counts = new Int32Array(0)
  private touched = new Int32Array(0)
  private need = new Int32Array(0)
  private readonly qHead: Int32Array
  private qNext = new Int32Array(0)
  private diag = new Int32Array(0)
  private wordBuf = new Int32Array(0)

  constructor(k: number, letters = 20) {
    if (!Number.isInteger(k) || k < 1 || Math.pow(letters, k) > 1 << 24) {
      throw new InputError('homology.bad_param', 'The word length is out of range for this alphabet.', {
        expected: `1 … ${Math.floor(24 / Math.log2(letters))}`,
        found: String(k),
      })
    }
    this.k = k
    this.letters = letters
    this.head = new Int32Array(Math.pow(letters, k)).fill(-1)
    this.qHead = new Int32Array(Math.pow(letters, k)).fill(-1)
  }

  get size(): number {
    return this.seqs.length
  }

  /** Adds a sequence; returns its index in this word index. Each distinct occurrence is one posting. */
  add(codes: Uint8Array): number {
    const id = this.seqs.length
    this.seqs.push(codes)
    this.maxLength = Math.max(this.maxLength, codes.length)
    const words = this.words(codes)
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!
      if (w < 0) continue
      if (this.nodes === this.nodeSeq.length) this.grow()
      const node = this.nodes++
      this.nodeSeq[node] = id
      this.nodePos[node] = i
      this.nodeNext[node] = this.head[w]!
      this.head[w] = node
    }
    return id
  }

  /**
   * The indexed sequences (those `accept(index)` allows, all by default) that share enough words with
   * `query` on one diagonal band to possibly reach identity `threshold`, in index order.
   */
  candidates(
    query: Uint8Array,
    threshold: number,
    options: PrefilterOptions = {},
    accept?: (index: number) => boolean,
  ): Candidate[] {
    const { sensitivity, bandWidth, minimum } = resolvePrefilter(threshold, {
      ...options,
      wordLength: this.k,
    })
    const k = this.k
    const n = query.length
    const words = this.words(query).slice()
    const total = this.seqs.length
    if (this.counts.length < total) {
      this.counts = new Int32Array(Math.max(total, this.counts.length * 2))
      this.touched = new Int32Array(this.counts.length)
      this.need = new Int32Array(this.counts.length)
    }
    const counts = this.counts
    const touched = this.touched
    let touchedCount = 0
    // Pass 1: all shared word pairs per sequence, an upper bound of the count on any band (cd-hit's count).
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!
      if (w < 0) continue
      for (let node = this.head[w]!; node >= 0; node = this.nodeNext[node]!) {
        const s = this.nodeSeq[node]!
        if (counts[s] === 0) touched[touchedCount++] = s
        counts[s] = counts[s]! + 1
      }
    }
    // Keep the sequences whose total reaches what they need; `need` doubles as the mark of pass 2.
    const need = this.need
    let kept = 0
    for (let t = 0; t < touchedCount; t++) {
      const s = touched[t]!
      const required = requiredSharedWords(
        Math.min(n, this.seqs[s]!.length),
        k,
        threshold,
        sensitivity,
        minimum,
      )
      need[s] = counts[s]! >= required && (accept === undefined || accept(s)) ? required : 0
      if (need[s]! > 0) kept++
      counts[s] = 0
    }
    // Pass 2, for those only: words per block of 2w + 1 diagonals. A band of 2w + 1 diagonals lies in two
    // neighbouring blocks, so the larger sum of two neighbours bounds every band's count from above.
    const blockWidth = 2 * bandWidth + 1
    const blocks = Math.ceil((n + this.maxLength + 1) / blockWidth) + 1
    const table = this.hits
    table.reset()
    if (kept > 0) {
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!
        if (w < 0) continue
        for (let node = this.head[w]!; node >= 0; node = this.nodeNext[node]!) {
          const s = this.nodeSeq[node]!
          if (need[s] === 0) continue
          table.increment(s * blocks + Math.floor((this.nodePos[node]! - i + n) / blockWidth))
        }
      }
    }
    for (let e = 0; e < table.used; e++) {
      const key = table.keyAt(e)
      const s = Math.floor(key / blocks)
      const bound = table.valueAt(e) + table.get(key + 1)
      if (bound > counts[s]!) counts[s] = bound
    }
    // The query's own word → positions lists, for the exact band count.
    if (this.qNext.length < n) this.qNext = new Int32Array(n * 2)
    const qHead = this.qHead
    const qNext = this.qNext
    for (let i = words.length - 1; i >= 0; i--) {
      const w = words[i]!
      if (w < 0) continue
      qNext[i] = qHead[w]!
      qHead[w] = i
    }
    const out: Candidate[] = []
    for (let t = 0; t < touchedCount; t++) {
      const s = touched[t]!
      const required = need[s]!
      const bound = counts[s]!
      need[s] = 0
      counts[s] = 0
      if (required === 0 || bound < required) continue
      const best = this.bestBand(this.seqs[s]!, n, bandWidth)
      if (best.hits >= required) out.push({ index: s, hits: best.hits, diagonal: best.diagonal })
    }
    for (let i = 0; i < words.length; i++) if (words[i]! >= 0) qHead[words[i]!] = -1
    out.sort((a, b) => a.index - b.index)
    return out
  }

  /** Shared words per diagonal between the query (its lists in qHead/qNext) and `target`; best band. */
  private bestBand(target: Uint8Array, n: number, bandWidth: number): { hits: number; diagonal: number } {
    const m = target.length
    const span = n + m + 1
    if (this.diag.length < span) this.diag = new Int32Array(span * 2)
    const diag = this.diag
    diag.fill(0, 0, span)
    const words = this.words(target)
    // Diagonal d = j − i is stored at d + n.
    for (let j = 0; j < words.length; j++) {
      const w = words[j]!
      if (w < 0) continue
      for (let i = this.qHead[w]!; i >= 0; i = this.qNext[i]!) diag[j - i + n] = diag[j - i + n]! + 1
    }
    let window = 0
    for (let d = 0; d < Math.min(span, bandWidth * 2 + 1); d++) window += diag[d]!
    let bestHits = window
    let bestCentre = Math.min(span - 1, bandWidth)
    for (let c = bandWidth + 1; c + bandWidth < span; c++) {
      window += diag[c + bandWidth]! - diag[c - bandWidth - 1]!
      if (window > bestHits) {
        bestHits = window
        bestCentre = c
      }
    }
    return { hits: bestHits, diagonal: bestCentre - n }
  }

  /** The word code starting at each position (−1 where a word holds an unknown residue or runs off). */
  private words(codes: Uint8Array): Int32Array {
    const k = this.k
    const letters = this.letters
    if (this.wordBuf.length < codes.length) this.wordBuf = new Int32Array(codes.length * 2)
    const out = this.wordBuf.subarray(0, codes.length)
    const modulus = Math.pow(letters, k - 1)
    let word = 0
    let valid = 0 // letters since the last unknown residue
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i]!
      if (c >= letters) {
        valid = 0
        word = 0
      } else {
        word = (valid >= k ? word % modulus : word) * letters + c
        valid++
      }
      if (i >= k - 1) out[i - k + 1] = valid >= k ? word : -1
    }
    for (let i = Math.max(0, codes.length - k + 1); i < codes.length; i++) out[i] = -1
    return out
  }

  private grow(): void {
    const size = this.nodeSeq.length * 2
    const seq = new Int32Array(size)
    seq.set(this.nodeSeq)
    const pos = new Int32Array(size)
    pos.set(this.nodePos)
    const next = new Int32Array(size)
    next.set(this.nodeNext)
    this.nodeSeq = seq
    this.nodePos = pos
    this.nodeNext = next
  }

  private readonly hits = new CountTable()
}

/** Counts per integer key (open addressing, linear probing), cleared in time proportional to its use. */
class CountTable {
  private keys = new Float64Array(1 << 12).fill(-1)
  private values = new Int32Array(1 << 12)
  private slots = new Int32Array(1 << 11)
  used = 0

  reset(): void {
    for (let e = 0; e < this.used; e++) this.keys[this.slots[e]!] = -1
    this.used = 0
  }

  increment(key: number): void {
    if (this.used * 2 >= this.keys.length) this.grow()
    const slot = this.find(key)
    if (this.keys[slot] === -1) {
      this.keys[slot] = key
      this.values[slot] = 0
      this.slots[this.used++] = slot
    }
    this.values[slot] = this.values[slot]! + 1
  }

  get(key: number): number {
    const slot = this.find(key)
    return this.keys[slot] === key ? this.values[slot]! : 0
  }

  keyAt(entry: number): number {
    return this.keys[this.slots[entry]!]!
  }

  valueAt(entry: number): number {
    return this.values[this.slots[entry]!]!
  }

  private find(key: number): number {
    const mask = this.keys.length - 1
    let slot = (Math.imul(key | 0, 0x9e3779b1) ^ Math.floor(key / 4294967296)) & mask
    for (;;) {
      const k = this.keys[slot]!
      if (k === key || k === -1) return slot
      slot = (slot + 1) & mask
    }
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldValues = this.values
    const oldSlots = this.slots.subarray(0, this.used)
    this.keys = new Float64Array(oldKeys.length * 2).fill(-1)
    this.values = new Int32Array(oldKeys.length * 2)
    const slots = new Int32Array(oldKeys.length)
    for (let e = 0; e < oldSlots.length; e++) {
      const key = oldKeys[oldSlots[e]!]!
      const slot = this.find(key)
      this.keys[slot] = key
      this.values[slot] = oldValues[oldSlots[e]!]!
      slots[e] = slot
    }
    this.slots = slots
  }
}
