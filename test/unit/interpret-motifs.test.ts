/**
 * Motifs from filters, motif similarity against JASPAR, and sequence logos (src/core/interpret): JUND
 * MA0491.1 matches itself and its reverse complement exactly, a noisy sample of it ranks AP-1 matrices first
 * among the 635 of JASPAR 2016, and a seed CNN whose first filter is planted with JUND gives that motif back
 * through `activationPwms` on activations computed by tfjs itself (which pins the kernel and activation
 * layouts and the 'same' padding shift to what tfjs does).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import jundJson from '../../src/core/demo/data/jund-MA0491.1.json'
import { readJasparWil, toLogOdds, type BaseRows } from '../../src/core/formats/jaspar'
import {
  activationPwms,
  filtersToPwms,
  matchToDatabase,
  motifSimilarity,
  reverseComplementMatrix,
  sequenceLogo,
  toProbabilities,
} from '../../src/core/interpret'
import { buildModel } from '../../src/core/models'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

const jund = jundJson.counts as BaseRows
const shared = '/work/shared/data/motifs/jaspar_2016.wil'
const fallback = path.resolve(__dirname, '../fixtures/compare/jaspar-subset.wil')
const database = readJasparWil(fs.readFileSync(fs.existsSync(shared) ? shared : fallback, 'utf8'))
/** The AP-1 / bZIP family JUND belongs to, by JASPAR names. */
const AP1 = /JUN|FOS|JDP2|BATF|ATF|NFE2|MAF|BACH/i

function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as InputError).code
  }
  throw new Error('expected an InputError')
}

/** `sites` sequences drawn from a matrix's columns, a fraction `noise` of bases uniform instead; counted. */
function noisySample(matrix: BaseRows, sites: number, noise: number, seed: number): BaseRows {
  const rng = Rng.seeded(seed)
  const probabilities = toProbabilities(matrix)
  const counts: BaseRows = [0, 1, 2, 3].map(() => new Array<number>(matrix[0].length).fill(0)) as BaseRows
  for (let s = 0; s < sites; s++) {
    for (let p = 0; p < matrix[0].length; p++) {
      const b = rng.chance(noise) ? rng.int(4) : rng.weighted(probabilities.map((row) => row[p]!))
      counts[b]![p]!++
    }
  }
  return counts
}

beforeAll(async () => {
  await tf.setBackend('cpu')
  await tf.ready()
})

describe('motifSimilarity (Tomtom-like column Pearson correlation)', () => {
  it('scores JUND against itself 1 at offset 0, and its reverse complement on the − strand', () => {
    expect(motifSimilarity(jund, jund)).toEqual({
      score: expect.closeTo(1, 12),
      offset: 0,
      strand: '+',
      overlap: 11,
    })
    const rc = reverseComplementMatrix(jund)
    expect(motifSimilarity(jund, rc)).toEqual({
      score: expect.closeTo(1, 12),
      offset: 0,
      strand: '-',
      overlap: 11,
    })
    // Counts and probabilities are the same motif: correlation ignores each column's scale.
    expect(motifSimilarity(toProbabilities(jund), jund).score).toBeCloseTo(1, 12)
  })

  it('finds a piece of a motif where it sits, on either strand', () => {
    const piece = jund.map((row) => row.slice(3, 9)) as BaseRows
    expect(motifSimilarity(jund, piece)).toMatchObject({ offset: 3, strand: '+', overlap: 6 })
    expect(motifSimilarity(jund, piece).score).toBeCloseTo(1, 12)
    // The piece's reverse complement sits at 11 − 9 = 2 on the other strand.
    const found = motifSimilarity(reverseComplementMatrix(jund), piece)
    expect(found).toMatchObject({ offset: 2, strand: '-', overlap: 6 })
    // And the other way round the offset is negative.
    expect(motifSimilarity(piece, jund)).toMatchObject({ offset: -3, strand: '+', overlap: 6 })
  })

  it('computes the mean column correlation by hand on a two-column example', () => {
    const a: BaseRows = [
      [1, 0],
      [0, 1],
      [0, 0],
      [0, 0],
    ]
    const b: BaseRows = [
      [1, 1],
      [0, 1],
      [0, 0],
      [0, 0],
    ]
    // Column 1: identical (r = 1). Column 2: (0,1,0,0) vs (1,1,0,0): r = 1/√3.
    const r = motifSimilarity(a, b, { minOverlap: 2 })
    expect(r.score).toBeCloseTo((1 + 1 / Math.sqrt(3)) / 2, 14)
    expect(r).toMatchObject({ offset: 0, strand: '+' })
    // Flat columns: two flat ones are the same (1), one flat against a preference unrelated (0).
    const flat: BaseRows = [[5], [5], [5], [5]]
    expect(motifSimilarity(flat, flat).score).toBe(1)
    expect(motifSimilarity(flat, [[1], [0], [0], [0]]).score).toBe(0)
  })

  it('rejects bad matrices and overlaps', () => {
    expect(codeOf(() => motifSimilarity([[1], [0], [0]] as unknown as BaseRows, jund))).toBe(
      'interpret.bad_matrix',
    )
    expect(codeOf(() => motifSimilarity([[1, 2], [0], [0], [0]], jund))).toBe('interpret.bad_matrix')
    expect(codeOf(() => motifSimilarity([[-1], [0], [0], [0]], jund))).toBe('interpret.bad_matrix')
    expect(codeOf(() => motifSimilarity([[], [], [], []], jund))).toBe('interpret.bad_matrix')
    expect(codeOf(() => motifSimilarity(jund, jund, { minOverlap: 12 }))).toBe('interpret.bad_option')
    expect(codeOf(() => motifSimilarity(jund, jund, { minOverlap: 0 }))).toBe('interpret.bad_option')
  })
})

describe('matchToDatabase', () => {
  it(`reads the JASPAR file (${database.length} matrices)`, () => {
    expect(database.length).toBe(fs.existsSync(shared) ? 635 : 91)
    expect(database.find((m) => m.id === 'MA0491.1')?.counts).toEqual(jund)
  })

  it('puts JUND MA0491.1 first for JUND and for its reverse complement', () => {
    const top = matchToDatabase(jund, database)
    expect(top).toHaveLength(5)
    expect(top[0]).toMatchObject({ id: 'MA0491.1', name: 'JUND', offset: 0, strand: '+' })
    expect(top[0]!.score).toBeCloseTo(1, 12)
    expect(top.map((m) => m.score)).toEqual([...top.map((m) => m.score)].sort((a, b) => b - a))
    const rc = matchToDatabase(reverseComplementMatrix(jund), database, { top: 1 })
    expect(rc[0]).toMatchObject({ id: 'MA0491.1', strand: '-', offset: 0 })
  })

  it('ranks AP-1 matrices first for a noisy sample of JUND (50 sites, 20% random bases)', () => {
    for (const seed of [1, 2, 3]) {
      const top = matchToDatabase(noisySample(jund, 50, 0.2, seed), database, { top: 5 })
      expect(top.map((m) => m.name).filter((name) => AP1.test(name))).toHaveLength(5)
      expect(top.map((m) => m.id)).toContain('MA0491.1')
    }
  })

  it('ranks AP-1 first for a reverse-complemented noisy sample too, on the − strand', () => {
    const top = matchToDatabase(reverseComplementMatrix(noisySample(jund, 50, 0.2, 4)), database, { top: 3 })
    expect(top.every((m) => AP1.test(m.name))).toBe(true)
    const found = top.find((m) => m.id === 'MA0491.1')
    if (found) expect(found.strand).toBe('-')
    expect(codeOf(() => matchToDatabase(jund, database, { top: 0 }))).toBe('interpret.bad_option')
  })
})

describe('filtersToPwms', () => {
  it('softmaxes each column of each filter of a [width, 4, filters] kernel', () => {
    // width 2, 2 filters; kernel[(p * 4 + b) * 2 + f]
    const kernel = new Float32Array(16)
    kernel[(0 * 4 + 2) * 2 + 0] = Math.log(5) // filter 0, position 0: G weighted ln 5 → G is 5/8
    kernel[(1 * 4 + 0) * 2 + 1] = 2 // filter 1, position 1: A weighted 2
    const [f0, f1] = filtersToPwms(kernel, [2, 4, 2])
    expect(f0![2]![0]).toBeCloseTo(5 / 8, 6)
    expect(f0![0]![0]).toBeCloseTo(1 / 8, 6)
    expect(f0!.map((row) => row[1])).toEqual([0.25, 0.25, 0.25, 0.25])
    expect(f1![0]![1]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 3), 6)
    // A lower temperature sharpens: ln 5 / 0.5 → G is 25/28.
    expect(filtersToPwms(kernel, [2, 4, 2], { temperature: 0.5 })[0]![2]![0]).toBeCloseTo(25 / 28, 6)
  })

  it('rejects kernels that are not [width, 4, filters]', () => {
    expect(codeOf(() => filtersToPwms(new Float32Array(15), [2, 4, 2]))).toBe('interpret.bad_kernel')
    expect(codeOf(() => filtersToPwms(new Float32Array(20), [1, 20, 1]))).toBe('interpret.bad_kernel')
    expect(codeOf(() => filtersToPwms(Float32Array.of(1, 2, NaN, 4), [1, 4, 1]))).toBe('interpret.bad_kernel')
    expect(codeOf(() => filtersToPwms(new Float32Array(4), [1, 4, 1], { temperature: 0 }))).toBe(
      'interpret.bad_option',
    )
  })
})

describe('activationPwms', () => {
  // Two filters of width 3 on sequences of length 6 ('same': position i reads i − 1 … i + 1).
  const seqs = [Uint8Array.of(0, 1, 2, 3, 0, 1), Uint8Array.of(3, 3, 4, 2, 2, 0)]
  const act = (pairs: [number, number][]) => Float32Array.from(pairs.flat())

  it('counts the windows above half the maximum into a PFM, skipping N and the ends', () => {
    const activations = [
      act([
        [0, 0],
        [10, 0],
        [2, 0],
        [0, 0],
        [0, 0],
        [6, 1],
      ]), // filter 0 fires at 1 and 5 (> 5)
      act([
        [0, 0],
        [0, 0],
        [5, 0],
        [9, 0],
        [0, 0],
        [0, 0],
      ]), // at 3 (5 is not above 5)
    ]
    const [f0, f1] = activationPwms(seqs, activations, { filters: 2, width: 3 })
    expect(f0!.sites).toBe(3)
    expect(f0!.maxActivation).toBe(10)
    // Sites: seq 0 positions 0..2 = A C G; seq 0 positions 4..6 = A C (beyond the end); seq 1 2..4 = N G G.
    expect(f0!.counts).toEqual([
      [2, 0, 0],
      [0, 2, 0],
      [0, 1, 2],
      [0, 0, 0],
    ])
    expect(f0!.pwm.map((row) => row[0])).toEqual([1, 0, 0, 0])
    expect(f0!.pwm.map((row) => row[2])).toEqual([0, 0, 1, 0])
    // Filter 1 fires once (its maximum, 1, at seq 0 position 5).
    expect(f1).toMatchObject({ sites: 1, maxActivation: 1 })
    expect(f1!.counts).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
      [0, 0, 0],
    ])
    expect(f1!.pwm.map((row) => row[2])).toEqual([0.25, 0.25, 0.25, 0.25]) // nothing counted: uniform
  })

  it('reads valid padding, given maxima and a dead filter', () => {
    const valid = [
      act([
        [1, 0],
        [0, 0],
        [0, 0],
        [4, 0],
      ]),
      act([
        [0, 0],
        [0, 0],
        [3, 0],
        [0, 0],
      ]),
    ]
    const [f0, f1] = activationPwms(seqs, valid, { filters: 2, width: 3, padding: 'valid', maxima: [6, 1] })
    // Threshold 3 from the given maximum 6: sites at seq 0 position 3 (T A C) only (3 is not above 3).
    expect(f0!.sites).toBe(1)
    expect(f0!.counts).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
      [1, 0, 0],
    ])
    expect(f1!.sites).toBe(0)
    const dead = activationPwms(seqs, valid, { filters: 2, width: 3, padding: 'valid' })[1]!
    expect(dead).toMatchObject({ sites: 0, maxActivation: 0 })
  })

  it('rejects activations of the wrong shape and bad options', () => {
    const ok = [new Float32Array(12), new Float32Array(12)]
    expect(codeOf(() => activationPwms(seqs, [ok[0]!], { filters: 2, width: 3 }))).toBe(
      'interpret.bad_activations',
    )
    expect(codeOf(() => activationPwms(seqs, [ok[0]!, new Float32Array(10)], { filters: 2, width: 3 }))).toBe(
      'interpret.bad_activations',
    )
    expect(codeOf(() => activationPwms(seqs, ok, { filters: 2, width: 3, padding: 'valid' }))).toBe(
      'interpret.bad_activations',
    )
    expect(codeOf(() => activationPwms(seqs, ok, { filters: 2, width: 3, threshold: 1 }))).toBe(
      'interpret.bad_option',
    )
    expect(codeOf(() => activationPwms(seqs, ok, { filters: 0, width: 3 }))).toBe('interpret.bad_option')
    expect(codeOf(() => activationPwms(seqs, ok, { filters: 2, width: 3, maxima: [1] }))).toBe(
      'interpret.bad_option',
    )
  })

  it('recovers a motif planted in the seed CNN’s conv1 from tfjs activations', () => {
    const width = 10
    const filters = 15
    const model = buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 3 })
    const conv1 = model.getLayer('conv1')
    const [kernelTensor, biasTensor] = conv1.getWeights()
    expect(kernelTensor!.shape).toEqual([width, 4, filters])
    // Filter 0 := JUND's first 10 columns as log-odds, centred per column; the other filters stay random.
    const logOdds = toLogOdds(jund.map((row) => row.slice(0, width)) as BaseRows)
    const kernel = Float32Array.from(kernelTensor!.dataSync())
    for (let p = 0; p < width; p++) {
      const mean = (logOdds[0][p]! + logOdds[1][p]! + logOdds[2][p]! + logOdds[3][p]!) / 4
      for (let b = 0; b < 4; b++) kernel[(p * 4 + b) * filters] = (logOdds[b]![p]! - mean) / 4
    }
    const planted = [tf.tensor3d(kernel, [width, 4, filters]), tf.zerosLike(biasTensor!)]
    conv1.setWeights(planted)
    tf.dispose(planted)

    // Weight-based logos already show the planted consensus.
    const fromWeights = filtersToPwms(Float32Array.from(conv1.getWeights()[0]!.dataSync()), [
      width,
      4,
      filters,
    ])
    expect(motifSimilarity(fromWeights[0]!, jund).score).toBeGreaterThan(0.9)

    // 200 random windows of 101 bp, half with a JUND site sampled from the matrix at a random position.
    const rng = Rng.seeded(11)
    const probs = toProbabilities(jund)
    const sequences = Array.from({ length: 200 }, (_, s) => {
      const seq = Uint8Array.from({ length: 101 }, () => rng.int(4))
      if (s % 2 === 0) {
        const at = rng.int(101 - 11)
        for (let p = 0; p < 11; p++) seq[at + p] = rng.weighted(probs.map((row) => row[p]!))
      }
      return seq
    })
    const oneHot = new Float32Array(200 * 101 * 4)
    sequences.forEach((seq, s) => seq.forEach((c, p) => (oneHot[(s * 101 + p) * 4 + c] = 1)))
    const conv = tfl.model({ inputs: model.inputs, outputs: conv1.output as tfl.SymbolicTensor })
    const out = tf.tidy(() => (conv.predict(tf.tensor3d(oneHot, [200, 101, 4])) as tf.Tensor).dataSync())
    const activations = sequences.map((_, s) => out.subarray(s * 101 * filters, (s + 1) * 101 * filters))

    const motifs = activationPwms(sequences, activations, { filters, width })
    expect(motifs[0]!.sites).toBeGreaterThan(40)
    const found = motifSimilarity(motifs[0]!.pwm, jund)
    // The sites align where the filter does: JUND's column 0 at the site's column 0 (offset 0, + strand).
    expect(found).toMatchObject({ offset: 0, strand: '+' })
    expect(found.score).toBeGreaterThan(0.9)
    expect(AP1.test(matchToDatabase(motifs[0]!.pwm, database, { top: 1 })[0]!.name)).toBe(true)
    // The random filters' motifs resemble JUND far less.
    const others = motifs.slice(1).map((m) => motifSimilarity(m.pwm, jund).score)
    expect(Math.max(...others)).toBeLessThan(found.score - 0.1)
    // A stricter threshold keeps fewer, better sites: a sharper logo (more bits) of the same motif.
    const strict = activationPwms(sequences, activations, { filters, width, threshold: 0.75 })[0]!
    expect(strict.sites).toBeLessThan(motifs[0]!.sites)
    expect(strict.sites).toBeGreaterThan(20)
    const bits = (m: typeof strict) => sequenceLogo(m.counts, { sites: m.sites }).totalInformation
    expect(bits(strict)).toBeGreaterThan(bits(motifs[0]!) + 1)
    expect(motifSimilarity(strict.pwm, jund).score).toBeGreaterThan(found.score)
    model.dispose() // also disposes the layers `conv` shares
  })
})

describe('sequenceLogo', () => {
  it('gives bits per column and letter heights, smallest letter first', () => {
    const logo = sequenceLogo([
      [10, 5, 1, 0],
      [0, 5, 1, 0],
      [0, 0, 1, 0],
      [0, 0, 1, 0],
    ])
    expect(logo.maxInformation).toBe(2)
    expect(logo.columns.map((c) => c.information)).toEqual([2, 1, 0, 0])
    expect(logo.columns[0]!.letters.at(-1)).toEqual({ letter: 'A', probability: 1, height: 2 })
    expect(logo.columns[1]!.letters.slice(2).map((l) => [l.letter, l.height])).toEqual([
      ['A', 0.5],
      ['C', 0.5],
    ])
    expect(logo.columns[0]!.letters.map((l) => l.height)).toEqual([0, 0, 0, 2])
    expect(logo.totalInformation).toBe(3)
  })

  it('computes JUND’s information as 2 − entropy per column', () => {
    const logo = sequenceLogo(jund)
    const p = toProbabilities(jund)
    const expected = jund[0].map(
      (_, k) =>
        2 + [0, 1, 2, 3].reduce((s, b) => s + (p[b]![k]! > 0 ? p[b]![k]! * Math.log2(p[b]![k]!) : 0), 0),
    )
    logo.columns.forEach((c, k) => expect(c.information).toBeCloseTo(expected[k]!, 12))
    // The invariant core T G A · T · A (columns 2, 3, 4, 6, 8) is 2 bits each, a single letter on top.
    for (const [k, letter] of [
      [2, 'T'],
      [3, 'G'],
      [4, 'A'],
      [6, 'T'],
      [8, 'A'],
    ] as const) {
      expect(logo.columns[k]!.information).toBe(2)
      expect(logo.columns[k]!.letters.at(-1)).toEqual({ letter, probability: 1, height: 2 })
    }
    for (const c of logo.columns) {
      expect(c.letters.reduce((s, l) => s + l.height, 0)).toBeCloseTo(c.information, 12)
    }
  })

  it('applies the small-sample correction and a non-uniform background', () => {
    // 4 sites, all A: 2 − 3/(2 ln2 · 4) bits.
    const four = sequenceLogo([[4], [0], [0], [0]], { sites: 4 })
    expect(four.columns[0]!.information).toBeCloseTo(2 - 3 / (8 * Math.LN2), 14)
    expect(sequenceLogo([[1], [1], [1], [1]], { sites: 1 }).columns[0]!.information).toBe(0) // never below 0
    // AT-rich background (A, T 0.3; C, G 0.2): an all-G column is log2(1/0.2) bits.
    const gc = sequenceLogo([[0], [0], [7], [0]], { background: [0.3, 0.2, 0.2, 0.3] })
    expect(gc.columns[0]!.information).toBeCloseTo(Math.log2(5), 14)
    expect(gc.maxInformation).toBeCloseTo(Math.log2(5), 14)
    expect(codeOf(() => sequenceLogo(jund, { background: [0.5, 0.5, 0, 0] }))).toBe('interpret.bad_option')
    expect(codeOf(() => sequenceLogo(jund, { sites: 0 }))).toBe('interpret.bad_option')
  })
})
