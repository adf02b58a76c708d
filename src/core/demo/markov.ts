/**
 * Markov-chain DNA backgrounds: fit the counts of (order + 1)-mers to real sequence, then sample new sequence
 * with the same short-range composition.
 *
 * Why: planted motifs are only a fair test when the background around them looks like a genome (CpG
 * depletion, poly-A runs, GC skew), not like uniform random letters that make any motif stand out. An
 * order-3 chain (each base drawn given the three before it, as MEME's `fasta-get-markov -m 3`) reproduces
 * 4-mer frequencies and is small: 64 contexts × 4 counts.
 *
 * Counts are fitted on the forward strand, upper-cased, skipping every k-mer that holds a letter other than
 * A, C, G, T (N runs). Codes are A=0, C=1, G=2, T=3; a context's index reads its bases oldest first, base 4.
 */
import { InputError } from '../../shared/errors'
import type { Rng } from '../random'

/** (order + 1)-mer counts: `counts[context][next base]`, 4^order rows of 4. */
export interface MarkovCounts {
  order: number
  counts: number[][]
}

const MAX_ORDER = 8
/** ASCII code → base code 0..3, or 4 for anything else. */
const BASE_CODE = (() => {
  const table = new Uint8Array(256).fill(4)
  ;['A', 'C', 'G', 'T'].forEach((letter, code) => {
    table[letter.charCodeAt(0)] = code
    table[letter.toLowerCase().charCodeAt(0)] = code
  })
  return table
})()

/** Counts of every (order + 1)-mer of A, C, G, T in the sequences (each sequence counted on its own). */
export function fitMarkovCounts(sequences: string | Iterable<string>, order = 3): MarkovCounts {
  checkOrder(order)
  const contexts = 4 ** order
  const flat = new Float64Array(contexts * 4)
  for (const sequence of typeof sequences === 'string' ? [sequences] : sequences) {
    // `valid` counts how many of the last bases were A, C, G or T; a k-mer counts once k of them were.
    let context = 0
    let valid = 0
    for (let i = 0; i < sequence.length; i++) {
      const char = sequence.charCodeAt(i)
      const code = char < 256 ? BASE_CODE[char]! : 4
      if (code === 4) {
        valid = 0
        context = 0
        continue
      }
      if (valid >= order) flat[context * 4 + code]! += 1
      context = (context * 4 + code) % contexts
      valid += 1
    }
  }
  const counts = Array.from({ length: contexts }, (_, c) => Array.from(flat.subarray(c * 4, c * 4 + 4)))
  return { order, counts }
}

/** Samples sequence from fitted counts; each cell gets `pseudocount` added so no transition is impossible. */
export class MarkovBackground {
  readonly order: number
  private readonly contexts: number
  /** Cumulative transition probabilities, `[context * 4 + base]`. */
  private readonly cumulative: Float64Array
  /** Cumulative probabilities of the first `order` bases, from the context totals. */
  private readonly startCumulative: Float64Array

  constructor(model: MarkovCounts, pseudocount = 1) {
    checkOrder(model.order)
    checkCounts(model)
    if (!(pseudocount >= 0) || !Number.isFinite(pseudocount)) {
      throw new InputError('markov.bad_pseudocount', 'The pseudocount must be a number ≥ 0', {
        expected: '≥ 0',
        found: String(pseudocount),
      })
    }
    this.order = model.order
    this.contexts = 4 ** model.order
    this.cumulative = new Float64Array(this.contexts * 4)
    const totals = new Float64Array(this.contexts)
    for (let c = 0; c < this.contexts; c++) {
      const row = model.counts[c]!
      const total = row.reduce((a, b) => a + b, 0) + 4 * pseudocount
      totals[c] = total
      let sum = 0
      for (let b = 0; b < 4; b++) {
        sum += total > 0 ? (row[b]! + pseudocount) / total : 0.25
        this.cumulative[c * 4 + b] = sum
      }
      this.cumulative[c * 4 + 3] = 1 // rounding must not leave a gap above the last base
    }
    this.startCumulative = cumulate(totals)
  }

  /** `length` base codes (0..3), written into `into` when given (no allocation per window), else a new array. */
  sampleCodes(length: number, rng: Rng, into?: Uint8Array): Uint8Array {
    if (!Number.isInteger(length) || length < 0 || (into && into.length < length)) {
      throw new InputError('markov.bad_length', 'The sequence length must be a whole number ≥ 0', {
        expected: into ? `0 ≤ length ≤ ${into.length}` : 'a whole number ≥ 0',
        found: String(length),
      })
    }
    const out = into ?? new Uint8Array(length)
    let context = pick(this.startCumulative, 0, this.contexts, rng.float())
    // The first `order` bases are the digits of the start context, oldest first.
    const head = Math.min(this.order, length)
    for (let i = 0; i < head; i++) out[i] = Math.floor(context / 4 ** (this.order - 1 - i)) % 4
    const cumulative = this.cumulative
    const mask = this.contexts - 1
    for (let i = this.order; i < length; i++) {
      // One 32-bit draw per base: probabilities fitted from counts need no finer resolution, and this
      // loop is most of the demo's generation time.
      const u = rng.next() / 4_294_967_296
      const at = context * 4
      const base = u < cumulative[at]! ? 0 : u < cumulative[at + 1]! ? 1 : u < cumulative[at + 2]! ? 2 : 3
      out[i] = base
      context = ((context << 2) | base) & mask
    }
    return out
  }
}

function pick(cumulative: Float64Array, offset: number, count: number, u: number): number {
  for (let i = 0; i < count - 1; i++) if (u < cumulative[offset + i]!) return i
  return count - 1
}

function cumulate(weights: Float64Array): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0)
  const out = new Float64Array(weights.length)
  let sum = 0
  for (let i = 0; i < weights.length; i++) {
    sum += total > 0 ? weights[i]! / total : 1 / weights.length
    out[i] = sum
  }
  out[weights.length - 1] = 1
  return out
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
    throw new InputError('markov.bad_order', `The Markov order must be a whole number 1 … ${MAX_ORDER}`, {
      expected: `1 … ${MAX_ORDER}`,
      found: String(order),
    })
  }
}

function checkCounts(model: MarkovCounts): void {
  const contexts = 4 ** model.order
  const ok =
    Array.isArray(model.counts) &&
    model.counts.length === contexts &&
    model.counts.every(
      (row) => Array.isArray(row) && row.length === 4 && row.every((v) => Number.isFinite(v) && v >= 0),
    )
  if (!ok) {
    throw new InputError(
      'markov.bad_counts',
      `An order-${model.order} table has ${contexts} rows of 4 counts ≥ 0`,
      {
        expected: `${contexts} × 4 counts ≥ 0`,
        found: Array.isArray(model.counts) ? `${model.counts.length} rows` : typeof model.counts,
      },
    )
  }
}
