/**
 * src/core/homology/partition: GraphPart-style partitions checked by the exhaustive leakage report (every
 * held-out sequence aligned with every training sequence, no word filter).
 *
 * - Synthetic families (40 × 10 by mutation, 50–90 % identity to their ancestor, seeded): a random split
 *   leaks (the report finds many held-out sequences ≥ t), the homology split does not, fractions ±2 pp.
 * - Real proteins (UniProt subset, lengths 100–300) at t = 0.3 and 0.5 through the word-filter path alone
 *   (`verify: false`): 0 above t, fractions ±2 pp, dropped counted. The subset is 200 proteins, not 2,000:
 *   the exhaustive report on 2,000 average proteins is ~8·10^10 DP cells, half an hour in JS on this machine
 *   (scripts/bench-homology.mjs runs it on larger samples).
 * - The verification step catches what a deliberately blunt filter misses.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { homologyPartition, leakageReport, type PartitionResult } from '../../src/core/homology'
import { Rng } from '../../src/core/random'
import { PROTEIN } from '../../src/core/sequence'
import { partIndices, TEST, TRAIN, VAL } from '../../src/core/splits'
import { InputError } from '../../src/shared/errors'

const sharedData = [path.resolve(__dirname, '../../../shared/data'), '/work/shared/data'].find((dir) =>
  fs.existsSync(dir),
)!

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  return 'no error'
}

/** 40 families of 10: an ancestor and 9 copies at 50–90 % identity (substitutions, 1 % indels). */
function families(seed: string): { seqs: Uint8Array[]; labels: number[] } {
  const rng = Rng.seeded(seed)
  const seqs: Uint8Array[] = []
  const labels: number[] = []
  for (let f = 0; f < 40; f++) {
    const root = Uint8Array.from({ length: 60 + rng.int(40) }, () => rng.int(20))
    for (let c = 0; c < 10; c++) {
      const keep = 0.5 + rng.float() * 0.4
      const copy: number[] = []
      for (const residue of root) {
        if (rng.float() < 0.01) continue
        copy.push(c === 0 || rng.float() < keep ? residue : rng.int(20))
        if (rng.float() < 0.01) copy.push(rng.int(20))
      }
      seqs.push(Uint8Array.from(copy))
      labels.push(f % 4)
    }
  }
  return { seqs, labels }
}

function expectFractions(result: PartitionResult, target: { train: number; val: number; test: number }) {
  expect(Math.abs(result.achieved.train - target.train)).toBeLessThanOrEqual(0.02)
  expect(Math.abs(result.achieved.val - target.val)).toBeLessThanOrEqual(0.02)
  expect(Math.abs(result.achieved.test - target.test)).toBeLessThanOrEqual(0.02)
  expect(result.counts.test).toBeGreaterThan(0)
  expect(result.counts.train + result.counts.val + result.counts.test + result.dropped.length).toBe(
    result.assignments.length,
  )
}

describe('synthetic families', () => {
  const { seqs, labels } = families('homology-families')
  const fractions = { train: 0.8, val: 0.1, test: 0.1 }
  const t = 0.3

  it('a random split leaks; the homology split does not, label-balanced, within ±2 pp', () => {
    const rng = Rng.seeded('random-split')
    const order = rng.shuffle(Array.from({ length: seqs.length }, (_, i) => i))
    const random = new Int8Array(seqs.length)
    order.forEach((i, rank) => (random[i] = rank < 320 ? TRAIN : rank < 360 ? VAL : TEST))
    const leaky = leakageReport(seqs, random, t)
    expect(leaky.sequences.length).toBe(80)
    expect(leaky.above).toBeGreaterThan(60)

    const phases = new Set<string>()
    const result = homologyPartition(seqs, {
      threshold: t,
      fractions,
      labels,
      seed: 7,
      onProgress: (_done, _total, phase) => phases.add(phase),
    })
    expect([...phases].sort()).toEqual(['assign', 'graph', 'verify'])
    expectFractions(result, fractions)
    // 40 families; a few short ones may meet another family by chance at 0.3 (identity over the shorter).
    // The seed filter (the default below 0.5) misses some members whose random substitutions leave only
    // short diagonal segments: they form units of their own (verification would catch a leak).
    expect(result.components).toBeLessThanOrEqual(48)
    expect(result.components).toBeGreaterThan(25)
    const report = leakageReport(seqs, result.assignments, t)
    expect(report.above).toBe(0)
    expect(report.histogram.counts.reduce((a, b) => a + b, 0)).toBe(report.sequences.length)
    expect(Math.max(...report.bestIdentity)).toBeLessThan(t)
    // Whole families went to one part each, 4 labels in every part.
    for (const part of [TRAIN, VAL, TEST]) {
      expect(new Set(Array.from(partIndices(result.assignments, part), (i) => labels[i])).size).toBe(4)
    }
    // The same seed gives the same split (verification only drops, and dropped nothing here).
    expect(result.droppedByVerify).toBe(0)
    const again = homologyPartition(seqs, { threshold: t, fractions, labels, seed: 7, verify: false })
    expect(again.assignments).toEqual(result.assignments)
  }, 60_000)

  it('verification drops what a blunt word filter misses', () => {
    // 100 unrelated sequences and 20 pairs at about 50 % identity. Words of 5 letters, at least 8 of them
    // on a band: the filter misses most pairs, so they are no edge and fall across parts.
    const rng = Rng.seeded('blunt-filter')
    const set: Uint8Array[] = []
    for (let i = 0; i < 100; i++) set.push(Uint8Array.from({ length: 80 }, () => rng.int(20)))
    for (let p = 0; p < 20; p++) {
      const root = Uint8Array.from({ length: 80 }, () => rng.int(20))
      set.push(
        root,
        root.map((x) => (rng.float() < 0.5 ? x : rng.int(20))),
      )
    }
    const blunt = homologyPartition(set, { threshold: t, seed: 3, wordLength: 5, minSharedWords: 8 })
    expect(blunt.edges).toBeLessThan(10)
    expect(blunt.droppedByVerify).toBeGreaterThan(0)
    expect(leakageReport(set, blunt.assignments, t).above).toBe(0)
    const unverified = homologyPartition(set, {
      threshold: t,
      seed: 3,
      wordLength: 5,
      minSharedWords: 8,
      verify: false,
    })
    expect(leakageReport(set, unverified.assignments, t).above).toBe(blunt.droppedByVerify)
  }, 60_000)

  it('rejects bad fractions, labels and an impossible split', () => {
    expect(
      codeOf(() =>
        homologyPartition(seqs, { threshold: t, seed: 1, fractions: { train: 1, val: 0, test: 0 } }),
      ),
    ).toBe('homology.bad_fractions')
    expect(codeOf(() => homologyPartition(seqs, { threshold: t, seed: 1, labels: [1, 2] }))).toBe(
      'homology.bad_labels',
    )
    expect(codeOf(() => homologyPartition(seqs, { threshold: 0, seed: 1 }))).toBe('homology.bad_threshold')
    // One family only: everything is connected, nothing can be held out.
    expect(codeOf(() => homologyPartition(seqs.slice(0, 10), { threshold: t, seed: 1 }))).toBe(
      'homology.empty_part',
    )
    const controller = new AbortController()
    controller.abort()
    expect(() =>
      leakageReport(seqs, new Int8Array(seqs.length).fill(TEST), t, { signal: controller.signal }),
    ).toThrow()
  })
})

describe('real proteins', () => {
  const text = gunzipSync(fs.readFileSync(path.join(sharedData, 'proteins/uniprot20k.fasta.gz'))).toString()
  const seqs: Uint8Array[] = []
  for (const record of text.split('\n>')) {
    const codes = PROTEIN.toCodes(record.slice(record.indexOf('\n') + 1).replace(/\s/g, ''))
    if (codes.length >= 100 && codes.length <= 300) seqs.push(codes)
    if (seqs.length === 200) break
  }
  const fractions = { train: 0.8, val: 0.1, test: 0.1 }

  for (const t of [0.3, 0.5]) {
    it(`t = ${t}: the exhaustive report finds none above t`, () => {
      const result = homologyPartition(seqs, { threshold: t, fractions, seed: 11, verify: false })
      expectFractions(result, fractions)
      const report = leakageReport(seqs, result.assignments, t)
      expect(report.alignments).toBe((result.counts.val + result.counts.test) * result.counts.train)
      expect(report.above).toBe(0)
      console.info(
        `real t=${t}: edges ${result.edges}, components ${result.components}, largest ${result.largestComponent}, ` +
          `kept ${JSON.stringify(result.counts)}, dropped ${result.dropped.length}, ` +
          `max held-out identity ${Math.max(...report.bestIdentity).toFixed(3)}`,
      )
    }, 60_000)
  }
})
