/**
 * Splits of a stored data set: made by the core (`stratifiedSplit`, `chromosomeHoldout`, `kFold`) from the
 * records' labels, chromosomes and groups, then stored frozen: the split row and one assignment per record
 * are written in one transaction that ends by setting `frozen_at`. From then on the schema's triggers
 * (migration 2) refuse any change to the assignments, so experiments always see the split they were
 * trained on. Summaries (records and positives per part and per chromosome) are computed by the core's
 * `splitSummary` from what is stored, so they describe the split as it is, not as it was meant to be.
 */
import { canonicalChrom } from '../../core/formats/regions'
import { pairFolds } from '../../core/grn/folds'
import { chromosomeHoldout, kFold, PART_NAMES, splitSummary, stratifiedSplit } from '../../core/splits'
import type { SplitMethod, SplitSummary } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'
import { datasetInfo } from './queries'
import { makeHomologySplit, type HomologySplitOptions } from './homology-split'

interface SplitRow {
  id: number
  dataset_id: number
  name: string
  method: string
  params: string
  seed: number
  created_at: string
  frozen_at: string | null
}

interface RecordFacts {
  labels: number[] | string[]
  chroms: (string | null)[]
  groups: (string | null)[]
  numeric: boolean
}

/** Labels (0/1 as numbers, classes as names, targets as numbers), chromosomes and groups, in record order. */
function recordFacts(store: ProjectStore, datasetId: number): RecordFacts {
  const info = datasetInfo(store, datasetId)
  const rows = store.db
    .prepare('SELECT label, chrom, group_key FROM records WHERE dataset_id = ? ORDER BY idx')
    .raw()
    .all(datasetId) as [number | string, string | null, string | null][]
  const labels =
    info.labelKind === 'multiclass' ? rows.map((r) => String(r[0])) : rows.map((r) => Number(r[0]))
  return {
    labels,
    chroms: rows.map((r) => r[1]),
    groups: rows.map((r) => r[2]),
    numeric: info.labelKind === 'numeric',
  }
}

function requireAll(values: (string | null)[], what: 'chromosome' | 'group'): string[] {
  const missing = values.findIndex((v) => v === null)
  if (missing !== -1) {
    throw new InputError(
      what === 'chromosome' ? 'splits.no_chromosomes' : 'splits.no_groups',
      `Record ${missing + 1} has no ${what}: this split needs one for every record`,
      { record: missing + 1, expected: `a ${what} for every record`, found: `no ${what}` },
    )
  }
  return values as string[]
}

function defaultName(split: SplitMethod): string {
  if (split.method === 'stratified') {
    const pct = (x: number) => Math.round(x * 100)
    return `stratified ${100 - pct(split.val) - pct(split.test)}/${pct(split.val)}/${pct(split.test)} seed ${split.seed}`
  }
  if (split.method === 'chromosome') {
    return `chromosomes val ${split.val.join(',') || '–'} test ${split.test.join(',') || '–'}`
  }
  if (split.method === 'homology') {
    const pct = (x: number) => Math.round(x * 100)
    const tool = split.tool === 'builtin' ? '' : ` (${split.tool})`
    return `homology < ${split.threshold}${tool} ${100 - pct(split.val) - pct(split.test)}/${pct(split.val)}/${pct(split.test)} seed ${split.seed}`
  }
  if (split.method === 'tf_folds') return `${split.k} TF-aware folds seed ${split.seed}`
  if (split.method === 'leave_one_tf_out') return 'leave one TF out'
  return `${split.k}-fold${split.stratify ? ' stratified' : ''}${split.groupBy ? ` by ${split.groupBy}` : ''} seed ${split.seed}`
}

/** TF-aware folds of a gene-pair data set (core/grn/folds.ts); the TF of a pair is its record's group. */
function tfFolds(
  store: ProjectStore,
  datasetId: number,
  facts: RecordFacts,
  split: Extract<SplitMethod, { method: 'tf_folds' | 'leave_one_tf_out' }>,
): { folds: Int32Array; k: number; warnings: { code: string; message: string }[] } {
  if (datasetInfo(store, datasetId).kind !== 'gene_pairs') {
    throw new InputError('splits.needs_pairs', 'TF-aware folds split gene-pair data sets', {
      expected: 'a gene-pair data set (seqlab import pairs)',
      found: 'another kind of data set',
    })
  }
  const tfIds = new Map<string, number>()
  const tfOf = requireAll(facts.groups, 'group').map((tf) => {
    let id = tfIds.get(tf)
    if (id === undefined) tfIds.set(tf, (id = tfIds.size))
    return id
  })
  const made = pairFolds(
    { a: tfOf, label: facts.labels.map((l) => (Number(l) === 0 ? 0 : 1)) },
    split.method === 'tf_folds'
      ? { method: 'tf', k: split.k, seed: split.seed }
      : { method: 'leave_one_tf_out', seed: 0 },
  )
  return { folds: made.folds, k: made.k, warnings: made.warnings }
}

/** Makes a split, stores it frozen, and returns its id and summary (with the core's warnings). */
export function createSplit(
  store: ProjectStore,
  datasetId: number,
  split: SplitMethod,
  name?: string,
  /** Progress and cancel of the long methods (homology). */
  options: HomologySplitOptions = {},
): { splitId: number; summary: SplitSummary } {
  const facts = recordFacts(store, datasetId)
  const n = facts.labels.length
  let parts: ArrayLike<number>
  let isFolds = false
  let warnings: { code: string; message: string }[] = []
  let foldCount: number | undefined
  let leakage: SplitSummary['leakage']
  if (split.method === 'stratified') {
    const made = stratifiedSplit(facts.labels, {
      val: split.val,
      test: split.test,
      seed: split.seed,
      numeric: facts.numeric,
    })
    parts = made.assignments
    warnings = made.warnings
  } else if (split.method === 'chromosome') {
    const made = chromosomeHoldout(requireAll(facts.chroms, 'chromosome'), {
      val: split.val,
      test: split.test,
      labels: facts.numeric ? undefined : facts.labels,
    })
    parts = made.assignments
    warnings = made.warnings
  } else if (split.method === 'homology') {
    const made = makeHomologySplit(store, datasetId, split, options)
    parts = made.assignments
    leakage = made.leakage
  } else if (split.method === 'tf_folds' || split.method === 'leave_one_tf_out') {
    const made = tfFolds(store, datasetId, facts, split)
    parts = made.folds
    isFolds = true
    warnings = made.warnings
    // The number of folds is stored with the split (a run's validation fold is the next one).
    if (split.method === 'leave_one_tf_out') foldCount = made.k
  } else {
    const groupBy =
      split.groupBy === 'chromosome'
        ? requireAll(facts.chroms, 'chromosome').map(canonicalChrom)
        : split.groupBy === 'group'
          ? requireAll(facts.groups, 'group')
          : undefined
    const made = kFold(n, {
      k: split.k,
      seed: split.seed,
      ...(split.stratify ? { stratifyBy: facts.labels, numeric: facts.numeric } : {}),
      ...(groupBy ? { groupBy } : {}),
    })
    parts = made.folds
    isFolds = true
    warnings = made.warnings
  }
  const { method, ...rest } = split
  const params: Record<string, unknown> = foldCount === undefined ? rest : { ...rest, k: foldCount }
  // A homology split's leakage report is stored with its settings, frozen with the split.
  if (leakage) params.leakage = leakage
  const seed = 'seed' in split ? split.seed : 0
  const splitId = store.transaction(() => {
    const db = store.db
    const now = new Date().toISOString()
    const id = Number(
      db
        .prepare(
          'INSERT INTO splits (dataset_id, name, method, params, seed, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(datasetId, name ?? defaultName(split), method, JSON.stringify(params), seed, now)
        .lastInsertRowid,
    )
    const insert = db.prepare('INSERT INTO split_assignments (split_id, record_idx, part) VALUES (?, ?, ?)')
    for (let i = 0; i < n; i++) {
      const part = parts[i]!
      if (part < 0) continue
      insert.run(id, i, isFolds ? part : PART_NAMES[part]!)
    }
    db.prepare('UPDATE splits SET frozen_at = ? WHERE id = ?').run(now, id)
    store.markChanged()
    return id
  })
  const summary = getSplit(store, splitId)
  return { splitId, summary: warnings.length > 0 ? { ...summary, warnings } : summary }
}

function splitRow(store: ProjectStore, splitId: number): SplitRow {
  const row = store.db.prepare('SELECT * FROM splits WHERE id = ?').get(splitId) as SplitRow | undefined
  if (!row) {
    throw new InputError('split.not_found', `There is no split ${splitId} in this project`, {
      found: String(splitId),
      params: { splitId },
    })
  }
  return row
}

/** The stored assignment of every record: part codes (0 train, 1 val, 2 test) or folds; −1 = in no part. */
export function storedAssignments(
  store: ProjectStore,
  splitId: number,
  records: number,
): { assignments: Int32Array; folds: boolean } {
  const assignments = new Int32Array(records).fill(-1)
  let folds = false
  const rows = store.db
    .prepare('SELECT record_idx, part FROM split_assignments WHERE split_id = ?')
    .raw()
    .iterate(splitId) as IterableIterator<[number, number | string]>
  for (const [idx, part] of rows) {
    if (typeof part === 'number') {
      folds = true
      assignments[idx] = part
    } else {
      assignments[idx] = PART_NAMES.indexOf(part as (typeof PART_NAMES)[number])
    }
  }
  return { assignments, folds }
}

export function getSplit(store: ProjectStore, splitId: number): SplitSummary {
  const row = splitRow(store, splitId)
  const facts = recordFacts(store, row.dataset_id)
  const { assignments, folds } = storedAssignments(store, splitId, facts.labels.length)
  const { leakage, ...params } = JSON.parse(row.params) as Record<string, unknown>
  const hasChroms = facts.chroms.length > 0 && facts.chroms.every((c) => c !== null)
  const core = splitSummary(assignments, facts.labels, {
    kind: folds ? 'folds' : 'parts',
    ...(folds && typeof params.k === 'number' ? { k: params.k } : {}),
    numeric: facts.numeric,
    ...(hasChroms ? { chroms: facts.chroms as string[] } : {}),
  })
  const partName = (part: number) => (folds ? String(part) : PART_NAMES[part]!)
  return {
    splitId: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    method: row.method as SplitSummary['method'],
    params,
    seed: row.seed,
    createdAt: row.created_at,
    frozenAt: row.frozen_at,
    ...(leakage ? { leakage: leakage as SplitSummary['leakage'] } : {}),
    parts: core.parts.map((p) => ({
      part: partName(p.part),
      records: p.count,
      positives: p.positives ?? null,
    })),
    chromosomes: (core.chromosomes ?? []).map((c) => ({
      chrom: c.chrom,
      part: partName(c.part),
      records: c.count,
      positives: c.positives ?? null,
    })),
  }
}

export function listSplits(store: ProjectStore, datasetId?: number): SplitSummary[] {
  const ids = (
    datasetId === undefined
      ? store.db.prepare('SELECT id FROM splits ORDER BY id').pluck().all()
      : store.db.prepare('SELECT id FROM splits WHERE dataset_id = ? ORDER BY id').pluck().all(datasetId)
  ) as number[]
  if (datasetId !== undefined) datasetInfo(store, datasetId)
  return ids.map((id) => getSplit(store, id))
}
