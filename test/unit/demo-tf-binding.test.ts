// The TF-binding demo generator keeps the parameters the demo claims (issue 3, part 9): 60,000 windows of
// 101 bp on five pseudo-chromosomes, 240 positives with 1–2 JUND sites, 2% decoys, a chr22-like background,
// seed 42, and planted sites a motif scan can find.
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  shippedJund,
  TF_BINDING_DEMO,
  tfBindingDemo,
  type TfBindingDemoRecord,
} from '../../src/core/demo/tf-binding'
import { bestMatchScore, toLogOdds } from '../../src/core/formats/jaspar'
import { rocAuc } from '../../src/core/metrics'
import { InputError } from '../../src/shared/errors'

const sharedData =
  process.env.SEQLAB_SHARED_DATA ??
  [path.resolve(__dirname, '../../../shared/data'), '/work/shared/data'].find((dir) => fs.existsSync(dir))!

// sha256 of every sequence (one per line, genome order) for seed 42: changes only when the demo does.
const SEED_42_SEQUENCES_SHA256 = '12cd87490736134995d2e82fd67f1516d504b719722441aadc7f36c6d7b8a4d1'

const sequencesHash = (records: TfBindingDemoRecord[]) => {
  const hash = createHash('sha256')
  for (const record of records) hash.update(`${record.sequence}\n`)
  return hash.digest('hex')
}

const CODE: Record<string, number> = { A: 0, C: 1, G: 2, T: 3 }
const toCodes = (sequence: string) => Uint8Array.from(sequence, (letter) => CODE[letter]!)

/** Frequencies of the 64 3-mers of the sequences (A/C/G/T only). */
function trimerFrequencies(sequences: Iterable<string>): Float64Array {
  const counts = new Float64Array(64)
  for (const sequence of sequences) {
    const upper = sequence.toUpperCase()
    for (let i = 0; i + 3 <= upper.length; i++) {
      const a = CODE[upper[i]!]
      const b = CODE[upper[i + 1]!]
      const c = CODE[upper[i + 2]!]
      if (a === undefined || b === undefined || c === undefined) continue
      counts[a * 16 + b * 4 + c]! += 1
    }
  }
  const total = counts.reduce((x, y) => x + y, 0)
  return counts.map((count) => count / total)
}

let records: TfBindingDemoRecord[]
let generationMs: number

beforeAll(() => {
  const started = performance.now()
  records = [...tfBindingDemo()]
  generationMs = performance.now() - started
  console.log(`tf-binding demo: 60,000 windows generated in ${generationMs.toFixed(0)} ms`)
})

describe('TF-binding demo data', () => {
  it('keeps the claimed parameters', () => {
    expect(TF_BINDING_DEMO).toMatchObject({
      windows: 60_000,
      length: 101,
      positives: 240,
      seed: 42,
      motifId: 'MA0491.1',
      markovOrder: 3,
    })
    expect(TF_BINDING_DEMO.positives / TF_BINDING_DEMO.windows).toBe(0.004)
    expect(TF_BINDING_DEMO.decoys).toBe(Math.round(0.02 * (60_000 - 240)))
  })

  it('is deterministic: same seed, same sequences; another seed, other sequences', () => {
    expect(sequencesHash(records)).toBe(SEED_42_SEQUENCES_SHA256)
    expect(sequencesHash([...tfBindingDemo({ seed: 42 })])).toBe(SEED_42_SEQUENCES_SHA256)
    const other = [...tfBindingDemo({ seed: 43 })]
    expect(sequencesHash(other)).not.toBe(SEED_42_SEQUENCES_SHA256)
    expect(other.map((r) => r.label)).not.toEqual(records.map((r) => r.label))
  })

  it('lays 60,000 windows of 101 bp on five pseudo-chromosomes, 12,000 consecutive windows each', () => {
    expect(records).toHaveLength(60_000)
    expect(new Set(records.map((r) => r.id)).size).toBe(60_000)
    const chroms = [...new Set(records.map((r) => r.chrom))]
    expect(chroms).toEqual(['chrA', 'chrB', 'chrC', 'chrD', 'chrE'])
    for (const chrom of chroms) {
      const windows = records.filter((r) => r.chrom === chrom)
      expect(windows).toHaveLength(12_000)
      windows.forEach((w, i) => {
        if (w.start !== i * 101 || w.end !== w.start + 101) throw new Error(`${w.id} at ${w.start}-${w.end}`)
      })
    }
    expect(records.every((r) => /^[ACGT]{101}$/.test(r.sequence))).toBe(true)
  })

  it('has exactly 240 positives (48 per chromosome), each with 1 or 2 sites; negatives have none', () => {
    const positives = records.filter((r) => r.label === 1)
    expect(positives).toHaveLength(240)
    for (const chrom of TF_BINDING_DEMO.chromosomes) {
      expect(positives.filter((r) => r.chrom === chrom)).toHaveLength(48)
    }
    expect(positives.every((r) => r.siteCount === 1 || r.siteCount === 2)).toBe(true)
    const twoSites = positives.filter((r) => r.siteCount === 2).length
    expect(twoSites).toBeGreaterThan(80)
    expect(twoSites).toBeLessThan(160)
    expect(records.filter((r) => r.label === 0).every((r) => r.siteCount === 0)).toBe(true)
    console.log(`tf-binding demo: ${twoSites} positives carry 2 sites, ${240 - twoSites} carry 1`)
  })

  it('puts one TGA[CG] half-site decoy in 2% of the negatives (1,195), never in a positive', () => {
    const decoys = records.filter((r) => r.decoy)
    expect(decoys).toHaveLength(1_195)
    expect(decoys.every((r) => r.label === 0)).toBe(true)
    expect(decoys.every((r) => /TGA[CG]|[CG]TCA/.test(r.sequence))).toBe(true)
    for (const chrom of TF_BINDING_DEMO.chromosomes) {
      expect(decoys.filter((r) => r.chrom === chrom)).toHaveLength(239)
    }
    expect(decoys.length / 59_760).toBeCloseTo(0.02, 3)
  })

  it("draws the background's 3-mer frequencies from chr22 (negatives within 0.002 of the real fragment)", () => {
    const text = fs.readFileSync(path.join(sharedData, 'genome/22_20-21M.fa'), 'utf8')
    const chr22 = trimerFrequencies([text.split('\n').slice(1).join('')])
    const demo = trimerFrequencies(records.filter((r) => r.label === 0 && !r.decoy).map((r) => r.sequence))
    const maxDifference = Math.max(...demo.map((f, i) => Math.abs(f - chr22[i]!)))
    const totalVariation = demo.reduce((sum, f, i) => sum + Math.abs(f - chr22[i]!), 0) / 2
    console.log(
      `tf-binding demo: 3-mer frequencies vs chr22: max |Δ| ${maxDifference.toFixed(5)}, ` +
        `total variation ${totalVariation.toFixed(4)}`,
    )
    expect(maxDifference).toBeLessThan(0.002)
    expect(totalVariation).toBeLessThan(0.01)
    // Not uniform: CpG is depleted in the human genome, and so it is here (ACG vs 1/64 = 0.0156).
    expect(demo[0 * 16 + 1 * 4 + 2]).toBeLessThan(0.5 / 64)
  })

  it('plants sites a JUND motif scan finds: best log-odds separates positives from negatives (AUROC > 0.9)', () => {
    const logOdds = toLogOdds(shippedJund().counts)
    const scores = records.map((r) => bestMatchScore(logOdds, toCodes(r.sequence)))
    const labels = records.map((r) => r.label)
    const auroc = rocAuc(labels, scores)
    const decoyOnly = records.filter((r) => r.label === 1 || r.decoy)
    const decoyAuroc = rocAuc(
      decoyOnly.map((r) => r.label),
      decoyOnly.map((r) => bestMatchScore(logOdds, toCodes(r.sequence))),
    )
    console.log(
      `tf-binding demo: JUND best-match AUROC ${auroc.toFixed(6)} (all windows), ` +
        `${decoyAuroc.toFixed(6)} (positives vs decoy negatives)`,
    )
    expect(auroc).toBeGreaterThan(0.9)
    expect(auroc).toBeLessThan(1) // the background holds chance JUND-like sites: the task is not trivial
    expect(decoyAuroc).toBeGreaterThan(0.9)
  })

  it('rejects a site matrix that cannot be sampled', () => {
    const bad = (motif: unknown) => {
      try {
        tfBindingDemo({ motif: motif as never }).next()
      } catch (error) {
        if (error instanceof InputError) return error.code
        throw error
      }
      return 'no error'
    }
    expect(bad([[1], [1], [1]])).toBe('demo.bad_motif')
    expect(bad([[0], [0], [0], [0]])).toBe('demo.bad_motif')
    expect(bad([[1, 2], [1], [1], [1]])).toBe('demo.bad_motif')
    expect(bad(Array(4).fill(Array(102).fill(1)))).toBe('demo.bad_motif')
    expect(bad([[1], [0], [0], [0]])).toBe('no error')
  })
})
