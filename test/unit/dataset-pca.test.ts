/**
 * The PCA map service (src/app/datasets/pca.ts, call `datasets.pca`): one point per shown record, the
 * variance ratios and scores of the core's PCA on the same feature matrix, seeded sampling that repeats,
 * the split part of each point, and the mistakes it refuses.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importDataset } from '../../src/app/datasets/importers'
import { datasetPca, pcaFeatures, pcaSample } from '../../src/app/datasets/pca'
import { inputFile } from '../../src/app/datasets/sources'
import { storeProteinDemo } from '../../src/app/datasets/protein-demo'
import { createSplit } from '../../src/app/datasets/splits'
import { pca } from '../../src/core/decomposition'
import { proteinDemo } from '../../src/core/demo/protein'
import { PROTEIN } from '../../src/core/sequence'
import { CsvImportOptions } from '../../src/shared/contract-datasets'
import { InputError } from '../../src/shared/errors'
import { newProject, tempDir } from '../fixtures/datasets/support'

const dir = tempDir('seqlab-dataset-pca-')
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const demo = { classes: 3, familiesPerClass: 4, membersPerFamily: 5, seed: 7 }

describe('datasets.pca', () => {
  const store = newProject(dir)
  const datasetId = storeProteinDemo(store, demo)
  const records = proteinDemo(demo)
  const n = records.length

  it('maps every record when there are few, with the core PCA ratios and scores', () => {
    const map = datasetPca(store, { datasetId, feature: 'aac' })
    expect(map.points).toHaveLength(n)
    expect(map.sampled).toBe(n)
    expect(map.total).toBe(n)
    expect(map.dimension).toBe(20)
    const seqs = records.map((r) => PROTEIN.toCodes(r.sequence))
    const rows = seqs.map((_, i) => i)
    const { matrix } = pcaFeatures(seqs, rows, 'protein', 'aac', 3)
    const reference = pca(matrix, n, 20, { components: 2 })
    expect(map.explainedVarianceRatio[0]).toBeCloseTo(reference.explainedVarianceRatio[0]!, 10)
    expect(map.explainedVarianceRatio[1]).toBeCloseTo(reference.explainedVarianceRatio[1]!, 10)
    expect(map.explainedVarianceRatio[0]!).toBeGreaterThanOrEqual(map.explainedVarianceRatio[1]!)
    for (let i = 0; i < n; i += 7) {
      expect(map.points[i]!.x).toBeCloseTo(reference.scores[2 * i]!, 8)
      expect(map.points[i]!.y).toBeCloseTo(reference.scores[2 * i + 1]!, 8)
    }
    expect(new Set(map.points.map((p) => p.label)).size).toBe(3)
    expect(map.points.every((p) => p.part === null)).toBe(true)
  })

  it('samples at most maxPoints records, the same ones for the same seed', () => {
    const a = datasetPca(store, { datasetId, feature: 'aac', maxPoints: 25, seed: 5 })
    const b = datasetPca(store, { datasetId, feature: 'aac', maxPoints: 25, seed: 5 })
    const c = datasetPca(store, { datasetId, feature: 'aac', maxPoints: 25, seed: 6 })
    expect(a.points).toHaveLength(25)
    expect(a.sampled).toBe(25)
    expect(datasetPca(store, { datasetId, feature: 'dpc', maxPoints: 12 }).dimension).toBe(400)
    expect(a).toEqual(b)
    expect(c.points.map((p) => p.index)).not.toEqual(a.points.map((p) => p.index))
    expect(pcaSample(100, 10, 1)).toEqual(pcaSample(100, 10, 1))
    expect(pcaSample(5, 10, 1)).toEqual([0, 1, 2, 3, 4])
  })

  it('gives each point its split part', () => {
    const { splitId } = createSplit(store, datasetId, {
      method: 'stratified',
      val: 0.2,
      test: 0.2,
      seed: 1,
    })
    const map = datasetPca(store, { datasetId, feature: 'aac', splitId })
    const parts = new Set(map.points.map((p) => p.part))
    expect([...parts].sort()).toEqual(['test', 'train', 'val'])
  })

  it('refuses DNA features on proteins', () => {
    expect(() => datasetPca(store, { datasetId, feature: 'kmer' })).toThrow(InputError)
  })

  it('maps DNA records by k-mer frequencies (4^k columns), labels by class name', async () => {
    const dna = await importDataset(store, 'small dna', {
      kind: 'csv',
      files: { table: inputFile(path.join(__dirname, '../fixtures/datasets/small.csv')) },
      options: CsvImportOptions.parse({ sequenceColumn: 'sequence', labelColumn: 'label', idColumn: 'id' }),
    })
    const map = datasetPca(store, { datasetId: dna, feature: 'kmer', k: 2 })
    expect(map.dimension).toBe(16)
    expect(map.k).toBe(2)
    expect(map.points).toHaveLength(24)
    expect(map.points[0]!.id).toBe('s1')
    expect(() => datasetPca(store, { datasetId: dna, feature: 'aac' })).toThrow(InputError)
  })
})
