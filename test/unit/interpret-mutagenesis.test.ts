/**
 * In-silico mutagenesis and saliency shapes (src/core/interpret/mutagenesis.ts). ISM is checked with the
 * motif-scan scorer (`bestMatchScore` of JUND's log-odds), where the expected change of every substitution
 * can be written down: on a window exactly as long as the motif, substituting base b at position p changes
 * the score by logOdds[b][p] − logOdds[ref][p].
 */
import { describe, expect, it } from 'vitest'
import jundJson from '../../src/core/demo/data/jund-MA0491.1.json'
import { bestMatchScore, toLogOdds, type BaseRows } from '../../src/core/formats/jaspar'
import { inSilicoMutagenesis, saliencyFromGradients, splitBatch } from '../../src/core/interpret'
import { Rng } from '../../src/core/random'
import { DNA } from '../../src/core/sequence'
import { InputError } from '../../src/shared/errors'

const logOdds = toLogOdds(jundJson.counts as BaseRows)

function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as InputError).code
  }
  throw new Error('expected an InputError')
}

/** A scorer over batches that also records the batch sizes it was called with. */
function pwmScorer(bothStrands: boolean, calls: number[] = []) {
  return (batch: Uint8Array[]) => {
    calls.push(batch.length)
    return Float64Array.from(batch, (codes) => bestMatchScore(logOdds, codes, { bothStrands }))
  }
}

describe('inSilicoMutagenesis', () => {
  it('gives logOdds[b][p] − logOdds[ref][p] for every substitution of a motif-length window', () => {
    const codes = DNA.toCodes('GATGACTCATC') // 11 bp, JUND's length: one window, forward strand only
    const r = inSilicoMutagenesis(codes, pwmScorer(false))
    expect(r.length).toBe(11)
    let reference = 0
    for (let p = 0; p < 11; p++) reference += logOdds[codes[p]!]![p]!
    expect(r.reference).toBeCloseTo(reference, 12)
    for (let p = 0; p < 11; p++) {
      for (let b = 0; b < 4; b++) {
        const expected = logOdds[b]![p]! - logOdds[codes[p]!]![p]!
        expect(r.deltas[p * 4 + b]).toBeCloseTo(expected, 12)
      }
      // The track is the mean drop over the three substitutions.
      const drops = [0, 1, 2, 3].filter((b) => b !== codes[p]).map((b) => -r.deltas[p * 4 + b]!)
      expect(r.track[p]).toBeCloseTo((drops[0]! + drops[1]! + drops[2]!) / 3, 12)
    }
    // The invariant core (T G A at 2–4): any change costs ~15 bits (an unseen base, pseudocount only).
    expect(r.deltas[2 * 4 + 0]).toBeLessThan(-14)
    expect(Math.min(...r.track.slice(2, 5))).toBeGreaterThan(14)
  })

  it('equals scoring each mutant alone, on both strands and in batches of any size', () => {
    const rng = Rng.seeded(5)
    const codes = Uint8Array.from({ length: 40 }, () => rng.int(4))
    codes.set(DNA.toCodes('GATGAGTCATC'), 17)
    codes[3] = 4 // an N: its windows are skipped, and all four bases are tried there
    const calls: number[] = []
    const r = inSilicoMutagenesis(codes, pwmScorer(true, calls), { batchSize: 7 })
    // 39 known positions × 3 + the N × 4 + the original = 122 scores in batches of 7.
    expect(calls.reduce((a, b) => a + b, 0)).toBe(122)
    expect(calls).toHaveLength(Math.ceil(122 / 7))
    expect(calls.slice(0, -1).every((n) => n === 7)).toBe(true)
    const reference = bestMatchScore(logOdds, codes)
    expect(r.reference).toBe(reference)
    for (let p = 0; p < codes.length; p++) {
      for (let b = 0; b < 4; b++) {
        const mutant = codes.slice()
        mutant[p] = b
        const expected = b === codes[p] ? 0 : bestMatchScore(logOdds, mutant) - reference
        expect(r.deltas[p * 4 + b]).toBe(expected)
      }
    }
    // Outside the reach of the planted site (and of the N) changes matter less than inside it.
    expect(Math.max(...r.track.slice(17 + 2, 17 + 9))).toBeGreaterThan(Math.max(...r.track.slice(30)))
  })

  it('checks the sequence, the options and what the scorer returns', () => {
    const score = pwmScorer(false)
    expect(codeOf(() => inSilicoMutagenesis([], score))).toBe('interpret.bad_sequence')
    expect(codeOf(() => inSilicoMutagenesis([0, 1, 5], score))).toBe('interpret.bad_sequence')
    expect(codeOf(() => inSilicoMutagenesis([0, 1], score, { batchSize: 0 }))).toBe('interpret.bad_option')
    expect(codeOf(() => inSilicoMutagenesis([0, 1], () => new Float32Array(1)))).toBe('interpret.bad_scores')
    // Too short for the motif: the scan has no window and scores -Infinity, which ISM refuses to subtract.
    expect(codeOf(() => inSilicoMutagenesis([0, 1], score))).toBe('interpret.bad_scores')
    const controller = new AbortController()
    controller.abort()
    expect(() => inSilicoMutagenesis([0, 1, 2], score, { signal: controller.signal })).toThrow(/abort/i)
  })
})

describe('saliencyFromGradients and splitBatch', () => {
  it('centres each position over the four bases and reads gradient × input at the base present', () => {
    const gradients = Float32Array.of(1, 2, 3, 6, /* N */ 9, 9, 9, 9, 0.5, -0.5, 0, 0)
    const codes = [3, 4, 0] // T, N, A
    const s = saliencyFromGradients(gradients, codes)
    expect(Array.from(s.perBase)).toEqual([-2, -1, 0, 3, 0, 0, 0, 0, 0.5, -0.5, 0, 0])
    expect(Array.from(s.track)).toEqual([3, 0, 0.5])
    const raw = saliencyFromGradients(gradients, codes, { centre: false })
    expect(Array.from(raw.track)).toEqual([6, 0, 0.5])
    expect(raw.perBase[4]).toBe(9)
    expect(codeOf(() => saliencyFromGradients(new Float32Array(8), codes))).toBe('interpret.bad_gradients')
    expect(codeOf(() => saliencyFromGradients(Float32Array.of(NaN, 0, 0, 0), [0]))).toBe(
      'interpret.bad_gradients',
    )
  })

  it('splits a [n, length, 4] batch into per-sequence views without copying', () => {
    const batch = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i)
    const [a, b] = splitBatch(batch, 2, 3)
    expect(Array.from(b!)).toEqual(Array.from({ length: 12 }, (_, i) => 12 + i))
    expect(a!.buffer).toBe(batch.buffer)
    expect(codeOf(() => splitBatch(batch, 3, 3))).toBe('interpret.bad_gradients')
  })
})
