/**
 * src/core/sequence/encode against straightforward string implementations on random sequences: one-hot
 * batches (padding, cutting, N rows, reverse-complement rows, buffer reuse) and k-mer counts (plain,
 * canonical, frequencies, N skipped), plus their parameter errors.
 */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import { Rng } from '../../src/core/random'
import {
  DNA,
  PROTEIN,
  kmerBatch,
  kmerCounts,
  kmerDimension,
  kmerNames,
  oneHotBatch,
  reverseComplementCodes,
} from '../../src/core/sequence'

function randomSequence(rng: Rng, length: number, letters = 'ACGTACGTACGTN'): string {
  let s = ''
  for (let i = 0; i < length; i++) s += letters[rng.int(letters.length)]
  return s
}

function stringReverseComplement(seq: string): string {
  const pair: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' }
  return [...seq]
    .reverse()
    .map((c) => pair[c] ?? 'N')
    .join('')
}

/** One-hot of a string as nested arrays [length][channels], padded with zero rows / cut at `length`. */
function stringOneHot(seq: string, length: number, letters: string): number[][] {
  return Array.from({ length }, (_, p) => [...letters].map((letter) => (seq[p] === letter ? 1 : 0)))
}

function rows(data: Float32Array, batch: number, length: number, size: number): number[][][] {
  return Array.from({ length: batch }, (_, b) =>
    Array.from({ length }, (_, p) =>
      Array.from(data.subarray((b * length + p) * size, (b * length + p + 1) * size)),
    ),
  )
}

function stringKmerCounts(seq: string, k: number, canonical: boolean): Map<string, number> {
  const counts = new Map<string, number>()
  for (let i = 0; i + k <= seq.length; i++) {
    let kmer = seq.slice(i, i + k)
    if (/[^ACGT]/.test(kmer)) continue
    if (canonical) {
      const rc = stringReverseComplement(kmer)
      if (rc < kmer) kmer = rc
    }
    counts.set(kmer, (counts.get(kmer) ?? 0) + 1)
  }
  return counts
}

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('oneHotBatch', () => {
  it('matches the string one-hot for random sequences of mixed lengths and repeated indices', () => {
    const rng = Rng.seeded(7).fork('onehot')
    const strings = Array.from({ length: 30 }, () => randomSequence(rng, 5 + rng.int(20)))
    const codes = strings.map((s) => DNA.toCodes(s))
    const length = 15
    const indices = Array.from({ length: 12 }, () => rng.int(strings.length))
    const data = oneHotBatch(codes, indices, length)
    expect(data.length).toBe(12 * length * 4)
    expect(rows(data, 12, length, 4)).toEqual(indices.map((i) => stringOneHot(strings[i]!, length, 'ACGT')))
  })

  it('encodes N as an all-zero row and pads short sequences at the end', () => {
    const data = oneHotBatch([DNA.toCodes('ANg')], [0], 5)
    expect(rows(data, 1, 5, 4)[0]).toEqual([
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ])
  })

  it('one-hot of the reverse complement = the one-hot with positions reversed and channels complemented', () => {
    const rng = Rng.seeded(8).fork('rc')
    const length = 21
    const codes = Array.from({ length: 16 }, () => DNA.toCodes(randomSequence(rng, length)))
    const indices = Array.from({ length: 16 }, (_, i) => i)
    const flags = indices.map(() => rng.int(2) === 1)
    const forward = rows(oneHotBatch(codes, indices, length), 16, length, 4)
    const mixed = rows(
      oneHotBatch(codes, indices, length, undefined, { reverseComplement: flags }),
      16,
      length,
      4,
    )
    const viaCodes = rows(
      oneHotBatch(
        codes.map((c) => reverseComplementCodes(c)),
        indices,
        length,
      ),
      16,
      length,
      4,
    )
    for (let b = 0; b < 16; b++) {
      const flipped = [...forward[b]!].reverse().map((channels) => [...channels].reverse())
      expect(mixed[b]).toEqual(flags[b] ? flipped : forward[b])
      expect(viaCodes[b]).toEqual(flipped)
    }
    expect(flags.some(Boolean) && flags.some((f) => !f)).toBe(true)
  })

  it('reverse-complements the whole sequence before padding or cutting', () => {
    const seqs = ['ACGTT', 'AACCGGTTAC']
    const data = oneHotBatch(
      seqs.map((s) => DNA.toCodes(s)),
      [0, 1],
      7,
      undefined,
      { reverseComplement: [true, true] },
    )
    expect(rows(data, 2, 7, 4)).toEqual(seqs.map((s) => stringOneHot(stringReverseComplement(s), 7, 'ACGT')))
  })

  it('reuses a larger buffer: returns a zeroed view of its start', () => {
    const codes = [DNA.toCodes('ACGT'), DNA.toCodes('TTTT')]
    const buffer = new Float32Array(100).fill(7)
    const data = oneHotBatch(codes, [1], 4, buffer)
    expect(data.buffer).toBe(buffer.buffer)
    expect(data.length).toBe(16)
    expect(Array.from(data)).toEqual(Array.from(oneHotBatch(codes, [1], 4)))
    expect(buffer[16]).toBe(7) // beyond the view: untouched
  })

  it('encodes protein with 20 channels, X as zeros', () => {
    const strings = ['MKVX', 'WY']
    const data = oneHotBatch(
      strings.map((s) => PROTEIN.toCodes(s)),
      [0, 1],
      4,
      undefined,
      { alphabet: PROTEIN },
    )
    expect(rows(data, 2, 4, 20)).toEqual(strings.map((s) => stringOneHot(s, 4, PROTEIN.letters)))
  })

  it('rejects bad parameters with sequence.bad_parameter', () => {
    const codes = [DNA.toCodes('ACGT')]
    const cases: [() => unknown, string][] = [
      [() => oneHotBatch(codes, [0], 0), 'length'],
      [() => oneHotBatch(codes, [0], 2.5), 'length'],
      [() => oneHotBatch(codes, [1], 4), 'indices'],
      [() => oneHotBatch(codes, [-1], 4), 'indices'],
      [() => oneHotBatch(codes, [0], 4, new Float32Array(15)), 'out'],
      [
        () => oneHotBatch(codes, [0], 4, undefined, { reverseComplement: [true, false] }),
        'reverseComplement',
      ],
      [
        () =>
          oneHotBatch([PROTEIN.toCodes('MK')], [0], 2, undefined, {
            alphabet: PROTEIN,
            reverseComplement: [true],
          }),
        'reverseComplement',
      ],
    ]
    for (const [fn, name] of cases) {
      const error = inputErrorOf(fn)
      expect(error.code).toBe('sequence.bad_parameter')
      expect(error.params).toEqual({ name })
    }
  })
})

describe('k-mer counts', () => {
  it('names and dimensions: 4^k lexicographic, canonical pairs counted once', () => {
    expect(kmerNames(2).slice(0, 5)).toEqual(['AA', 'AC', 'AG', 'AT', 'CA'])
    expect(kmerNames(1, { canonical: true })).toEqual(['A', 'C'])
    // Canonical k-mers: (4^k + palindromes) / 2, palindromes = 4^(k/2) for even k.
    expect([1, 2, 3, 4, 5, 6].map((k) => kmerDimension(k, { canonical: true }))).toEqual([
      2, 10, 32, 136, 512, 2080,
    ])
    expect(kmerDimension(4)).toBe(256)
  })

  it('matches substring counting on random sequences with N, plain and canonical', () => {
    const rng = Rng.seeded(9).fork('kmer')
    for (let trial = 0; trial < 60; trial++) {
      const seq = randomSequence(rng, rng.int(80))
      const k = 1 + rng.int(5)
      for (const canonical of [false, true]) {
        const counts = kmerCounts(DNA.toCodes(seq), k, { canonical })
        const names = kmerNames(k, { canonical })
        const expected = stringKmerCounts(seq, k, canonical)
        expect(counts.length).toBe(names.length)
        expect(
          Object.fromEntries(names.map((name, j) => [name, counts[j]!]).filter(([, c]) => c !== 0)),
        ).toEqual(Object.fromEntries(expected))
      }
    }
  })

  it('counts the same canonical profile for a sequence and its reverse complement', () => {
    const rng = Rng.seeded(10).fork('canonical')
    const codes = DNA.toCodes(randomSequence(rng, 101))
    expect(Array.from(kmerCounts(reverseComplementCodes(codes), 4, { canonical: true }))).toEqual(
      Array.from(kmerCounts(codes, 4, { canonical: true })),
    )
  })

  it('normalises to frequencies, and leaves a sequence without any k-mer at zero', () => {
    const freq = kmerCounts(DNA.toCodes('ACGTNACGTA'), 3, { normalise: 'frequency' })
    expect(freq.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    expect(freq[kmerNames(3).indexOf('ACG')]).toBeCloseTo(2 / 5, 6)
    expect(
      Array.from(kmerCounts(DNA.toCodes('ACNNGT'), 3, { normalise: 'frequency' })).every((v) => v === 0),
    ).toBe(true)
  })

  it('kmerBatch stacks kmerCounts rows and reuses a buffer', () => {
    const rng = Rng.seeded(11).fork('batch')
    const codes = Array.from({ length: 9 }, () => DNA.toCodes(randomSequence(rng, 50)))
    const indices = [4, 0, 4, 8]
    const dim = kmerDimension(3, { canonical: true })
    const buffer = new Float32Array(10 * dim).fill(3)
    const batch = kmerBatch(codes, indices, 3, { canonical: true, normalise: 'frequency', out: buffer })
    expect(batch.length).toBe(4 * dim)
    indices.forEach((i, b) =>
      expect(Array.from(batch.subarray(b * dim, (b + 1) * dim))).toEqual(
        Array.from(kmerCounts(codes[i]!, 3, { canonical: true, normalise: 'frequency' })),
      ),
    )
  })

  it('rejects k outside 1 … 8 and an unknown normalisation', () => {
    for (const k of [0, 9, 2.5])
      expect(inputErrorOf(() => kmerCounts(DNA.toCodes('ACGT'), k)).params).toEqual({ name: 'k' })
    expect(
      inputErrorOf(() => kmerCounts(DNA.toCodes('ACGT'), 2, { normalise: 'l2' as 'none' })).params,
    ).toEqual({ name: 'normalise' })
  })
})
