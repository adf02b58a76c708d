// The demo's shipped tables equal a fresh fit of the real files (made by scripts/fixtures/make_demo_data.py,
// an independent Python implementation), and the Markov background fits and samples as it says.
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import chr22Json from '../../src/core/demo/data/chr22-markov3.json'
import jundJson from '../../src/core/demo/data/jund-MA0491.1.json'
import { fitMarkovCounts, MarkovBackground } from '../../src/core/demo/markov'
import { shippedChr22Markov, shippedJund } from '../../src/core/demo/tf-binding'
import { readTextLines } from '../../src/core/formats/bytes'
import { readFasta } from '../../src/core/formats/fasta'
import { readJasparWil } from '../../src/core/formats/jaspar'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

const sharedData =
  process.env.SEQLAB_SHARED_DATA ??
  [path.resolve(__dirname, '../../../shared/data'), '/work/shared/data'].find((dir) => fs.existsSync(dir))!
const chr22Path = path.join(sharedData, 'genome/22_20-21M.fa')
const wilPath = path.join(sharedData, 'motifs/jaspar_2016.wil')
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

function codeOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  throw new Error('expected an InputError')
}

describe('shipped demo tables', () => {
  it('chr22-markov3.json equals a fresh order-3 fit of the real chr22 fragment (read by the streaming parser)', async () => {
    expect(chr22Json.sourceSha256).toBe(sha256(chr22Path))
    const sequences: string[] = []
    for await (const record of readFasta(readTextLines(fs.createReadStream(chr22Path)))) {
      sequences.push(record.sequence)
    }
    const fresh = fitMarkovCounts(sequences, 3)
    expect(fresh.counts).toEqual(chr22Json.counts)
    expect(shippedChr22Markov()).toEqual(fresh)
    // 900,000 A/C/G/T in two runs around the 100 kb N block: 899,994 4-mers.
    expect(fresh.counts.flat().reduce((a, b) => a + b, 0)).toBe(899_994)
    expect(chr22Json.total).toBe(899_994)
  })

  it('jund-MA0491.1.json equals MA0491.1 of jaspar_2016.wil', () => {
    expect(jundJson.sourceSha256).toBe(sha256(wilPath))
    const motif = readJasparWil(fs.readFileSync(wilPath, 'utf8')).find((m) => m.id === 'MA0491.1')!
    expect(shippedJund()).toEqual({ id: 'MA0491.1', name: 'JUND', counts: motif.counts })
    expect(jundJson.licence).toContain('GPL-3+')
  })
})

describe('fitMarkovCounts', () => {
  it('counts (order + 1)-mers case-insensitively and never across N or records', () => {
    const fit = fitMarkovCounts(['ACgTNAC', 'GT'], 1)
    const counts = Object.fromEntries(
      fit.counts.flatMap((row, context) =>
        row.map((count, base) => ['ACGT'[context]! + 'ACGT'[base]!, count] as const).filter(([, c]) => c > 0),
      ),
    )
    expect(counts).toEqual({ AC: 2, CG: 1, GT: 2 })
    expect(
      fitMarkovCounts('ACGTA', 3)
        .counts.flat()
        .reduce((a, b) => a + b, 0),
    ).toBe(2)
    expect(fitMarkovCounts('ACGTA', 3).counts[0b00_01_10]![3]).toBe(1) // ACG → T
  })

  it('rejects an order outside 1 … 8', () => {
    expect(codeOf(() => fitMarkovCounts('ACGT', 0))).toBe('markov.bad_order')
    expect(codeOf(() => fitMarkovCounts('ACGT', 9))).toBe('markov.bad_order')
  })
})

describe('MarkovBackground', () => {
  it('follows the fitted transitions: a deterministic cycle stays a cycle', () => {
    const cycle = fitMarkovCounts('ACGTACGTACGTACGT', 1)
    const background = new MarkovBackground(cycle, 0)
    const codes = background.sampleCodes(20, Rng.seeded(1))
    const text = Array.from(codes, (c) => 'ACGT'[c]).join('')
    expect('ACGT'.repeat(6)).toContain(text)
  })

  it('reproduces the 4-mer frequencies it was fitted to', () => {
    const chr22 = shippedChr22Markov()
    const background = new MarkovBackground(chr22)
    const rng = Rng.seeded(4)
    const sample: string[] = []
    for (let i = 0; i < 2_000; i++)
      sample.push(Array.from(background.sampleCodes(200, rng), (c) => 'ACGT'[c]).join(''))
    const refit = fitMarkovCounts(sample, 3)
    const total = (counts: number[][]) => counts.flat().reduce((a, b) => a + b, 0)
    const a = chr22.counts.flat().map((c) => c / total(chr22.counts))
    const b = refit.counts.flat().map((c) => c / total(refit.counts))
    const totalVariation = a.reduce((sum, p, i) => sum + Math.abs(p - b[i]!), 0) / 2
    expect(totalVariation).toBeLessThan(0.02)
  })

  it('rejects a table of the wrong shape and bad lengths', () => {
    expect(codeOf(() => new MarkovBackground({ order: 3, counts: [[1, 2, 3, 4]] }))).toBe('markov.bad_counts')
    expect(codeOf(() => new MarkovBackground({ order: 1, counts: Array(4).fill([1, -1, 1, 1]) }))).toBe(
      'markov.bad_counts',
    )
    const background = new MarkovBackground(fitMarkovCounts('ACGTACGT', 1))
    expect(codeOf(() => background.sampleCodes(-1, Rng.seeded(1)))).toBe('markov.bad_length')
    expect(codeOf(() => background.sampleCodes(5, Rng.seeded(1), new Uint8Array(3)))).toBe(
      'markov.bad_length',
    )
  })
})
