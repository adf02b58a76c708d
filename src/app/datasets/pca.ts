/**
 * The PCA map of a data set (the embedding view): composition features of its records (protein amino-acid
 * or dipeptide composition, DNA k-mer frequencies), at most `maxPoints` of them (a seeded sample beyond),
 * projected on their first two principal components by the core's exact PCA.
 */
import { pca } from '../../core/decomposition'
import { Rng } from '../../core/random'
import { alphabetByName } from '../../core/sequence/alphabet'
import { kmerBatch } from '../../core/sequence/encode'
import { proteinFeatureBatch } from '../../core/sequence/protein-features'
import type { DatasetPca, PcaFeature } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'
import { datasetInfo } from './queries'
import { getSplit, storedAssignments } from './splits'

export interface PcaRequest {
  datasetId: number
  feature: PcaFeature
  k?: number
  splitId?: number
  maxPoints?: number
  seed?: number
}

/** The record indices shown: all of them, or a seeded sample of `max` in record order. */
export function pcaSample(records: number, max: number, seed: number): number[] {
  const all = Array.from({ length: records }, (_, i) => i)
  if (records <= max) return all
  return Rng.seeded(seed)
    .fork('pca-sample')
    .shuffle(all)
    .slice(0, max)
    .sort((a, b) => a - b)
}

/** The feature matrix of the chosen records: `[rows.length, dimension]` row-major. */
export function pcaFeatures(
  sequences: Uint8Array[],
  rows: number[],
  alphabet: 'dna' | 'protein',
  feature: PcaFeature,
  k: number,
): { matrix: Float32Array; dimension: number } {
  if (alphabet === 'protein') {
    if (feature === 'kmer') throw wrongFeature(feature, alphabet)
    const matrix = proteinFeatureBatch(sequences, rows, feature)
    return { matrix, dimension: matrix.length / Math.max(1, rows.length) }
  }
  if (feature !== 'kmer') throw wrongFeature(feature, alphabet)
  const matrix = kmerBatch(sequences, rows, k, { normalise: 'frequency' })
  return { matrix, dimension: matrix.length / Math.max(1, rows.length) }
}

function wrongFeature(feature: string, alphabet: string): InputError {
  return new InputError('pca.wrong_feature', `The ${feature} features do not apply to ${alphabet} records`, {
    expected: alphabet === 'protein' ? 'aac or dpc' : 'kmer',
    found: feature,
    params: { feature },
  })
}

export function datasetPca(store: ProjectStore, request: PcaRequest): DatasetPca {
  const info = datasetInfo(store, request.datasetId)
  if (info.kind !== 'sequences' || (info.alphabet !== 'dna' && info.alphabet !== 'protein')) {
    throw new InputError('pca.no_sequences', 'This data set has no DNA or protein sequences to map', {
      expected: 'a DNA or protein data set',
      found: info.alphabet ?? info.kind,
    })
  }
  const alphabet = info.alphabet
  const k = request.k ?? 3
  const rows = pcaSample(info.records, request.maxPoints ?? 5000, request.seed ?? 42)
  if (rows.length < 2) {
    throw new InputError('pca.too_few', 'A map needs at least 2 records', {
      expected: 'at least 2 records',
      found: String(rows.length),
    })
  }
  const codes = alphabetByName(alphabet)
  const sequences: Uint8Array[] = []
  const ids: string[] = []
  const labels: (number | string)[] = []
  type Row = [number, string | null, string, number | string]
  const keep = (row: Row) => {
    sequences.push(codes.toCodes(String(row[2])))
    ids.push(row[1] ?? `record ${row[0] + 1}`)
    labels.push(row[3])
  }
  if (rows.length === info.records) {
    const all = store.db
      .prepare('SELECT idx, record_id, sequence, label FROM records WHERE dataset_id = ? ORDER BY idx')
      .raw()
    for (const row of all.iterate(request.datasetId) as IterableIterator<Row>) keep(row)
  } else {
    // A sample: read only its records, in chunks (SQLite's parameter limit), in record order.
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500)
      const some = store.db
        .prepare(
          `SELECT idx, record_id, sequence, label FROM records WHERE dataset_id = ? AND idx IN (${chunk
            .map(() => '?')
            .join(',')}) ORDER BY idx`,
        )
        .raw()
      for (const row of some.iterate(request.datasetId, ...chunk) as IterableIterator<Row>) keep(row)
    }
  }
  const local = sequences.map((_, i) => i)
  const { matrix, dimension } = pcaFeatures(sequences, local, alphabet, request.feature, k)
  const components = Math.min(2, rows.length, dimension)
  const result = pca(matrix, rows.length, dimension, { components })
  let parts: (string | null)[] | undefined
  if (request.splitId !== undefined) {
    const split = getSplit(store, request.splitId)
    if (split.datasetId !== request.datasetId) {
      throw new InputError('pca.split_dataset', 'The split belongs to another data set', {
        expected: `a split of data set ${request.datasetId}`,
        found: String(request.splitId),
      })
    }
    const { assignments, folds } = storedAssignments(store, request.splitId, info.records)
    const names = ['train', 'val', 'test']
    parts = rows.map((r) => {
      const a = assignments[r]!
      if (a < 0) return null
      return folds ? String(a) : (names[a] ?? null)
    })
  }
  const labelName = (label: number | string): number | string =>
    info.labelKind !== 'numeric' && typeof label === 'number' && info.labelSet[label] !== undefined
      ? info.labelSet[label]!
      : info.labelKind === 'numeric'
        ? Number(label)
        : String(label)
  return {
    feature: request.feature,
    k: request.feature === 'kmer' ? k : null,
    dimension,
    total: info.records,
    sampled: rows.length,
    explainedVarianceRatio: Array.from(result.explainedVarianceRatio),
    points: rows.map((index, i) => ({
      index,
      id: ids[i]!,
      x: result.scores[i * result.k]!,
      y: result.k > 1 ? result.scores[i * result.k + 1]! : 0,
      label: labelName(labels[i]!),
      part: parts ? parts[i]! : null,
    })),
  }
}
