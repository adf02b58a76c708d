import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readTextLines } from '../../src/core/formats/bytes'
import { readExpressionTable, type ExpressionMatrix } from '../../src/core/formats/expression'
import { binIndices, histogramEdges, NEPDF_SIZE, NepdfEncoder } from '../../src/core/grn/nepdf'
import { NeighbourImages, topN } from '../../src/core/grn/neighbors'

// Made by scripts/fixtures/make_grn_fixtures.py (np.histogram2d per pair, np.cov, numpy 1.24).
const fixtures = path.resolve(__dirname, '../fixtures/grn')
interface Reference {
  nCells: number
  genes: string[]
  images: { a: number; b: number; counts: number[]; image: number[] }[]
  neighbours: {
    n: number
    cases: { a: number; b: number; topA: number[]; topB: number[]; pairs: number[][] }[]
  }
  covariance: { log10: number[][]; stored: number[][] }
}
const reference = JSON.parse(
  fs.readFileSync(path.join(fixtures, 'nepdf_reference.json'), 'utf8'),
) as Reference

async function smallMatrix(): Promise<ExpressionMatrix> {
  async function* bytes() {
    yield new Uint8Array(fs.readFileSync(path.join(fixtures, 'small_expression.csv')))
  }
  return (await readExpressionTable(readTextLines(bytes()))).matrix
}

describe('NEPDF images (CNNC) against numpy histogram2d', () => {
  it('reads the fixture matrix as numpy wrote it', async () => {
    const matrix = await smallMatrix()
    expect([matrix.nGenes, matrix.nCells]).toEqual([14, reference.nCells])
    expect(matrix.geneIds).toEqual(reference.genes)
  })

  it('counts every pair exactly as histogram2d(...)[0].T, including a constant gene and a two-valued gene', async () => {
    const encoder = new NepdfEncoder(await smallMatrix())
    for (const { a, b, counts } of reference.images) {
      expect(Array.from(encoder.counts2d(a, b)), `pair (${a}, ${b})`).toEqual(counts)
    }
  })

  it('normalises to (log10(H / N + 1e-4) + 4) / 4 with N = cells, within 1e-6', async () => {
    const encoder = new NepdfEncoder(await smallMatrix())
    let worst = 0
    for (const { a, b, image } of reference.images) {
      const ours = encoder.image(a, b)
      expect(ours.length).toBe(NEPDF_SIZE)
      for (let i = 0; i < NEPDF_SIZE; i++) worst = Math.max(worst, Math.abs(ours[i]! - image[i]!))
    }
    expect(worst).toBeLessThan(1e-6)
    // An empty bin is log10(1e-4) → 0; the transposition puts b on the rows (pair (0,1) ≠ pair (1,0)).
    const [first, second] = reference.images
    expect(first!.image.filter((v) => v === 0).length).toBeGreaterThan(500)
    expect(first!.image).not.toEqual(second!.image)
  })

  it('writes batches into one [n, 32, 32] buffer, identical to single images', async () => {
    const encoder = new NepdfEncoder(await smallMatrix())
    const a = reference.images.map((p) => p.a)
    const b = reference.images.map((p) => p.b)
    const progress: number[] = []
    const batch = encoder.images(a, b, { onProgress: (done) => progress.push(done) })
    expect(batch.length).toBe(a.length * NEPDF_SIZE)
    reference.images.forEach(({ a, b }, p) => {
      expect(batch.subarray(p * NEPDF_SIZE, (p + 1) * NEPDF_SIZE)).toEqual(encoder.image(a, b))
    })
    expect(progress.at(-1)).toBe(a.length)
  })

  it('keeps CNNC’s hard-coded normaliser as an option (43,261 cells)', async () => {
    const encoder = new NepdfEncoder(await smallMatrix(), { normalizer: 43261 })
    const { a, b, counts } = reference.images[0]!
    const image = encoder.image(a, b)
    const k = counts.findIndex((c) => c > 0)
    expect(image[k]).toBeCloseTo((Math.log10(counts[k]! / 43261 + 1e-4) + 4) / 4, 6)
  })

  it('bins as numpy: right-open bins, the last closed, min = max widened by 0.5', () => {
    const edges = histogramEdges(0, 32)
    expect(edges[1]).toBe(1)
    expect(Array.from(binIndices(Float64Array.from([0, 0.999, 1, 31.5, 32]), edges))).toEqual([
      0, 0, 1, 31, 31,
    ])
    const flat = histogramEdges(-2, -2)
    expect([flat[0], flat[32]]).toEqual([-2.5, -1.5])
    expect(Array.from(binIndices(Float64Array.from([-2, -2]), flat))).toEqual([16, 16])
  })
})

describe('DeepDRIM neighbour images against numpy np.cov', () => {
  it('computes the covariance of log10(x + 0.01) (and of the stored values) as np.cov', async () => {
    const matrix = await smallMatrix()
    const log = new NeighbourImages(matrix, { n: 3 })
    const stored = new NeighbourImages(matrix, { n: 3, covarianceOf: 'stored' })
    for (let g = 0; g < 14; g++) {
      const ours = log.covarianceRow(g)
      const theirs = stored.covarianceRow(g)
      for (let j = 0; j < 14; j++) {
        expect(ours[j]).toBeCloseTo(reference.covariance.log10[g]![j]!, 10)
        expect(theirs[j]! / (Math.abs(reference.covariance.stored[g]![j]!) + 1)).toBeCloseTo(
          reference.covariance.stored[g]![j]! / (Math.abs(reference.covariance.stored[g]![j]!) + 1),
          7,
        )
      }
    }
    // Blocks of 16 genes per pass (here 20 rows: a block of 16 and one of 4) give the same rows.
    const genes = Array.from({ length: 20 }, (_, i) => (i * 5) % 14)
    const rows = log.covarianceRows(genes)
    genes.forEach((g, i) => expect(Array.from(rows[i]!)).toEqual(Array.from(log.covarianceRow(g))))
  })

  it('picks the top-n covariates without the gene itself, in DeepDRIM’s image order', async () => {
    const images = new NeighbourImages(await smallMatrix(), { n: reference.neighbours.n })
    expect(images.count).toBe(8)
    for (const { a, b, topA, topB, pairs } of reference.neighbours.cases) {
      expect(Array.from(images.topCovariates(a))).toEqual(topA)
      expect(Array.from(images.topCovariates(b))).toEqual(topB)
      expect(topA).not.toContain(a)
      const listed = images.neighbourPairs(a, b)
      expect(Array.from({ length: images.count }, (_, i) => [listed[2 * i], listed[2 * i + 1]])).toEqual(
        pairs,
      )
      // Each neighbour image is the NEPDF image of its listed pair.
      const stack = images.images(a, b)
      expect(stack.length).toBe(images.count * NEPDF_SIZE)
      pairs.forEach(([x, y], i) => {
        expect(stack.subarray(i * NEPDF_SIZE, (i + 1) * NEPDF_SIZE)).toEqual(images.encoder.image(x!, y!))
      })
    }
  })

  it('partial selection keeps the n largest, ties to the lower index, skipping the excluded one', () => {
    const values = Float64Array.from([5, 1, 9, 9, 3, 7, 9])
    expect(Array.from(topN(values, 3))).toEqual([2, 3, 6])
    expect(Array.from(topN(values, 3, 3))).toEqual([2, 6, 5])
    expect(Array.from(topN(values, 10))).toEqual([2, 3, 6, 5, 0, 4, 1])
  })

  it('refuses more neighbours than other genes', async () => {
    const matrix = await smallMatrix()
    expect(() => new NeighbourImages(matrix, { n: 14 })).toThrow(
      expect.objectContaining({ code: 'grn.bad_neighbours' }),
    )
  })
})
