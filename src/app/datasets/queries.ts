/**
 * Reading and deleting data sets: the list, one data set's summary (records, label counts, weight sums per
 * class, length statistics, chromosomes with their positives) computed by SQL aggregates over the stored
 * records, never by loading them, and delete, refused while experiments use the data set (their results
 * would lose what they were trained on).
 */
import type { DatasetInfo, DatasetSummary } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'

interface DatasetRow {
  id: number
  name: string
  kind: string
  alphabet: string | null
  label_kind: string
  label_set: string
  seq_length: number | null
  source: string
  created_at: string
  record_count: number
}

const labelKinds = ['binary', 'multiclass', 'numeric'] as const
const datasetKinds = ['sequences', 'expression', 'gene_pairs'] as const

function infoOf(row: DatasetRow): DatasetInfo {
  const labelKind = (labelKinds as readonly string[]).includes(row.label_kind)
    ? (row.label_kind as DatasetInfo['labelKind'])
    : 'multiclass'
  return {
    datasetId: row.id,
    name: row.name,
    kind: (datasetKinds as readonly string[]).includes(row.kind)
      ? (row.kind as DatasetInfo['kind'])
      : 'sequences',
    alphabet: row.alphabet,
    labelKind,
    labelSet: JSON.parse(row.label_set) as string[],
    seqLength: row.seq_length,
    records: row.record_count,
    createdAt: row.created_at,
    source: JSON.parse(row.source) as Record<string, unknown>,
  }
}

export function listDatasets(store: ProjectStore): DatasetInfo[] {
  const rows = store.db.prepare('SELECT * FROM datasets ORDER BY id').all() as DatasetRow[]
  return rows.map(infoOf)
}

/** The data set's row, or `dataset.not_found`. */
export function datasetInfo(store: ProjectStore, datasetId: number): DatasetInfo {
  const row = store.db.prepare('SELECT * FROM datasets WHERE id = ?').get(datasetId) as DatasetRow | undefined
  if (!row) {
    throw new InputError('dataset.not_found', `There is no data set ${datasetId} in this project`, {
      found: String(datasetId),
      params: { datasetId },
    })
  }
  return infoOf(row)
}

export function datasetSummary(store: ProjectStore, datasetId: number): DatasetSummary {
  const info = datasetInfo(store, datasetId)
  const db = store.db
  const binary = info.labelKind === 'binary'
  const labelCounts =
    info.labelKind === 'numeric'
      ? []
      : (
          db
            .prepare(
              'SELECT label, count(*) AS count FROM records WHERE dataset_id = ? GROUP BY label ORDER BY label',
            )
            .all(datasetId) as { label: number | string; count: number }[]
        ).map((r) => ({ label: r.label, count: r.count }))
  const weighted = db
    .prepare('SELECT count(*) FROM records WHERE dataset_id = ? AND weight IS NOT NULL')
    .pluck()
    .get(datasetId) as number
  const weightSums =
    weighted === 0 || info.labelKind === 'numeric'
      ? null
      : (
          db
            .prepare(
              `SELECT label, total(coalesce(weight, 1)) AS sum FROM records WHERE dataset_id = ?
               GROUP BY label ORDER BY label`,
            )
            .all(datasetId) as { label: number | string; sum: number }[]
        ).map((r) => ({ label: r.label, sum: r.sum }))
  const lengths = db
    .prepare(
      `SELECT min(length(sequence)) AS min, max(length(sequence)) AS max, avg(length(sequence)) AS mean
       FROM records WHERE dataset_id = ?`,
    )
    .get(datasetId) as { min: number | null; max: number | null; mean: number | null }
  const chromosomes = (
    db
      .prepare(
        `SELECT chrom, count(*) AS records, sum(label = 1) AS positives FROM records
         WHERE dataset_id = ? AND chrom IS NOT NULL GROUP BY chrom ORDER BY min(idx)`,
      )
      .all(datasetId) as { chrom: string; records: number; positives: number }[]
  ).map((r) => ({ chrom: r.chrom, records: r.records, positives: binary ? r.positives : null }))
  const count = (sql: string) => db.prepare(sql).pluck().get(datasetId) as number
  return {
    ...info,
    labelCounts,
    weightSums,
    lengths: { min: lengths.min ?? 0, max: lengths.max ?? 0, mean: lengths.mean ?? 0 },
    chromosomes,
    splits: count('SELECT count(*) FROM splits WHERE dataset_id = ?'),
    experiments: count('SELECT count(*) FROM experiments WHERE dataset_id = ?'),
  }
}

/** Deletes a data set with its records and splits; `dataset.in_use` while experiments use it. */
export function deleteDataset(store: ProjectStore, datasetId: number): void {
  const info = datasetInfo(store, datasetId)
  store.transaction(() => {
    const experiments = store.db
      .prepare('SELECT count(*) FROM experiments WHERE dataset_id = ?')
      .pluck()
      .get(datasetId) as number
    const pairSets = store.db
      .prepare('SELECT count(*) FROM pair_sets WHERE expression_id = ?')
      .pluck()
      .get(datasetId) as number
    if (pairSets > 0) {
      throw new InputError(
        'dataset.in_use_by_pairs',
        `The expression data set "${info.name}" is used by ${pairSets} gene-pair data set(s): delete them first`,
        {
          found: `${pairSets} gene-pair data set(s)`,
          expected: 'no gene-pair data sets',
          params: { pairSets, name: info.name },
        },
      )
    }
    if (experiments > 0) {
      throw new InputError(
        'dataset.in_use',
        `The data set "${info.name}" is used by ${experiments} experiment(s): delete them first`,
        {
          found: `${experiments} experiment(s)`,
          expected: 'no experiments',
          params: { experiments, name: info.name },
        },
      )
    }
    store.db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId)
    store.markChanged()
  })
}
