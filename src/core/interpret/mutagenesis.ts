/**
 * Which bases of one window the model's score depends on (issue 4, item 11: a per-base track for a chosen
 * window).
 *
 * - `inSilicoMutagenesis` (ISM; as in DeepSEA, Zhou & Troyanskaya 2015, and Basset): every single-base
 *   substitution is scored and its change from the original score recorded, `[length, 4]`, the original
 *   base's own entry 0. Model-agnostic and exact for single changes, at 3 × length + 1 scores, which the
 *   scorer gets in batches (one tfjs predict per batch in the app). The summary track is the mean drop over
 *   a position's substitutions: high where changing the base hurts the score.
 * - `saliencyFromGradients` shapes the gradient of the score with respect to the one-hot input (computed in
 *   the app with tfjs): the per-base map, mean-centred over the four bases at each position by default
 *   (Majdandzic, Rajesh & Koo 2023: the component off the one-hot simplex is noise the model never sees),
 *   and the gradient × input track, the (centred) gradient at the base present.
 *
 * Sequences are DNA codes 0..3 = A, C, G, T and 4 = N (src/core/sequence). An N is replaced by each of the
 * four bases.
 */
import { badOption } from './matrix'
import { InputError } from '../../shared/errors'

/** Scores a batch of sequences (codes), one finite number per sequence. */
export type CodesScorer = (batch: Uint8Array[]) => ArrayLike<number>

export interface MutagenesisOptions {
  /** Sequences per call of the scorer (default 256). */
  batchSize?: number
  signal?: AbortSignal
}

export interface Mutagenesis {
  /** The score of the sequence as given. */
  reference: number
  /** `[length, 4]` row-major: score(sequence with base b at position p) − reference; 0 at the base present. */
  deltas: Float64Array
  /** Per position, minus the mean of its substitutions' deltas (3, or 4 at an N): high where a change hurts. */
  track: Float64Array
  length: number
}

/** Scores every single-base substitution of `codes` (batched). */
export function inSilicoMutagenesis(
  codes: ArrayLike<number>,
  score: CodesScorer,
  options: MutagenesisOptions = {},
): Mutagenesis {
  const length = codes.length
  const original = checkCodes(codes)
  const batchSize = options.batchSize ?? 256
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw badOption('batchSize', 'a whole number ≥ 1', batchSize)
  // The work list: the original first, then (position, base) for every base other than the one present.
  const mutations: [number, number][] = []
  for (let p = 0; p < length; p++) for (let b = 0; b < 4; b++) if (b !== original[p]) mutations.push([p, b])
  const results = new Float64Array(mutations.length + 1)
  for (let start = 0; start < results.length; start += batchSize) {
    options.signal?.throwIfAborted()
    const batch: Uint8Array[] = []
    for (let k = start; k < Math.min(start + batchSize, results.length); k++) {
      const seq = original.slice()
      if (k > 0) seq[mutations[k - 1]![0]] = mutations[k - 1]![1]
      batch.push(seq)
    }
    const scores = score(batch)
    checkScores(scores, batch.length)
    for (let j = 0; j < batch.length; j++) results[start + j] = scores[j]!
  }
  const reference = results[0]!
  const deltas = new Float64Array(length * 4)
  const track = new Float64Array(length)
  mutations.forEach(([p, b], k) => (deltas[p * 4 + b] = results[k + 1]! - reference))
  for (let p = 0; p < length; p++) {
    const substitutions = original[p] === 4 ? 4 : 3
    let sum = 0
    for (let b = 0; b < 4; b++) sum += deltas[p * 4 + b]!
    track[p] = -sum / substitutions
  }
  return { reference, deltas, track, length }
}

export interface SaliencyOptions {
  /** Subtract each position's mean over the four bases (default true). */
  centre?: boolean
}

export interface Saliency {
  /** `[length, 4]` row-major gradients (centred unless `centre: false`). */
  perBase: Float64Array
  /** Gradient × input: the value at the base present; 0 at an N (its one-hot row is all zero). */
  track: Float64Array
  length: number
}

/** The per-base map and gradient × input track of one sequence from its `[length, 4]` input gradient. */
export function saliencyFromGradients(
  gradients: ArrayLike<number>,
  codes: ArrayLike<number>,
  options: SaliencyOptions = {},
): Saliency {
  const original = checkCodes(codes)
  const length = original.length
  if (gradients.length !== length * 4) {
    throw new InputError(
      'interpret.bad_gradients',
      'The gradients do not have the shape [length, 4] of the sequence.',
      {
        expected: `${length} × 4 = ${length * 4} values`,
        found: `${gradients.length} values`,
      },
    )
  }
  const centre = options.centre ?? true
  const perBase = new Float64Array(length * 4)
  const track = new Float64Array(length)
  for (let p = 0; p < length; p++) {
    const g = [0, 1, 2, 3].map((b) => gradients[p * 4 + b]!)
    if (!g.every(Number.isFinite)) {
      throw new InputError(
        'interpret.bad_gradients',
        'The gradients hold a value that is not a finite number.',
        {
          record: p + 1,
          expected: 'finite numbers',
          found: g.join(', '),
        },
      )
    }
    const mean = centre ? (g[0]! + g[1]! + g[2]! + g[3]!) / 4 : 0
    for (let b = 0; b < 4; b++) perBase[p * 4 + b] = g[b]! - mean
    track[p] = original[p]! < 4 ? perBase[p * 4 + original[p]!]! : 0
  }
  return { perBase, track, length }
}

/**
 * Views of a batch's flat `[n, length, 4]` gradients (as tfjs returns them), one `[length, 4]` array per
 * sequence, without copying.
 */
export function splitBatch(batch: Float32Array, n: number, length: number): Float32Array[] {
  if (
    !Number.isInteger(n) ||
    n < 0 ||
    !Number.isInteger(length) ||
    length < 0 ||
    batch.length !== n * length * 4
  ) {
    throw new InputError('interpret.bad_gradients', 'The batch does not have the shape [n, length, 4].', {
      expected: `${n} × ${length} × 4 values`,
      found: `${batch.length} values`,
    })
  }
  return Array.from({ length: n }, (_, i) => batch.subarray(i * length * 4, (i + 1) * length * 4))
}

/** DNA codes 0..4 as a fresh Uint8Array (at least one base). */
function checkCodes(codes: ArrayLike<number>): Uint8Array {
  if (codes.length === 0) {
    throw new InputError('interpret.bad_sequence', 'The sequence is empty.', {
      expected: 'at least one base',
      found: 'none',
    })
  }
  const out = new Uint8Array(codes.length)
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!
    if (!(c === 0 || c === 1 || c === 2 || c === 3 || c === 4)) {
      throw new InputError('interpret.bad_sequence', 'The sequence holds a code that is not a DNA base.', {
        record: i + 1,
        expected: 'codes 0..4 (A, C, G, T, N)',
        found: String(c),
      })
    }
    out[i] = c
  }
  return out
}

function checkScores(scores: ArrayLike<number>, n: number): void {
  if (scores?.length !== n) {
    throw new InputError('interpret.bad_scores', 'The scorer returned the wrong number of scores.', {
      expected: `${n} scores`,
      found: `${scores?.length} scores`,
    })
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new InputError(
        'interpret.bad_scores',
        'The scorer returned a score that is not a finite number.',
        {
          record: i + 1,
          expected: 'finite scores',
          found: String(scores[i]),
        },
      )
    }
  }
}
