/**
 * Splits stored frozen, their summaries, chromosome aliases, deleting data sets, the CSV export round trip,
 * and the calls through the services (import as a job with progress and `project.changed`).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportSplitCsv } from '../../src/app/datasets/export'
import { importDataset } from '../../src/app/datasets/importers'
import { datasetSummary, deleteDataset } from '../../src/app/datasets/queries'
import { inputFile } from '../../src/app/datasets/sources'
import { createSplit, getSplit, listSplits } from '../../src/app/datasets/splits'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import type { BusEvent } from '../../src/app/services/events'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import {
  CsvImportOptions,
  GenomeImportOptions,
  NpyImportOptions,
  SplitMethod,
} from '../../src/shared/contract-datasets'
import { InputError } from '../../src/shared/errors'
import { fixtures, integrityOk, newProject, projectHash, tempDir } from '../fixtures/datasets/support'

let tmp: string
let store: ProjectStore
let jund: number
let small: number

beforeAll(async () => {
  tmp = tempDir('seqlab-splits-')
  store = newProject(tmp)
  const npy = (name: string) => inputFile(path.join(fixtures, 'npy', 'jund', name))
  jund = await importDataset(store, 'jund', {
    kind: 'npy',
    files: { X: npy('X_u1.npy'), y: npy('y.npy'), w: npy('w.npy'), ids: npy('ids.npy') },
    options: NpyImportOptions.parse({}),
  })
  small = await importDataset(store, 'small', {
    kind: 'csv',
    files: { table: inputFile(path.join(fixtures, 'datasets', 'small.csv')) },
    options: CsvImportOptions.parse({
      sequenceColumn: 'sequence',
      labelColumn: 'label',
      weightColumn: 'weight',
      groupColumn: 'group',
    }),
  })
})
afterAll(() => {
  store.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const assignments = (splitId: number) =>
  store.db
    .prepare('SELECT record_idx, part FROM split_assignments WHERE split_id = ? ORDER BY record_idx')
    .raw()
    .all(splitId) as [number, string | number][]

describe('splits', () => {
  it('stratified: stored with every record, frozen, and the summary counts what is stored', () => {
    const { splitId, summary } = createSplit(
      store,
      jund,
      SplitMethod.parse({ method: 'stratified', val: 0.2, test: 0.2, seed: 7 }),
    )
    const stored = assignments(splitId)
    expect(stored).toHaveLength(50)
    const labels = store.db
      .prepare('SELECT label FROM records WHERE dataset_id = ? ORDER BY idx')
      .pluck()
      .all(jund) as number[]
    for (const part of ['train', 'val', 'test']) {
      const inPart = stored.filter(([, p]) => p === part)
      expect(summary.parts.find((p) => p.part === part)).toEqual({
        part,
        records: inPart.length,
        positives: inPart.filter(([i]) => labels[i] === 1).length,
      })
    }
    expect(summary.parts.map((p) => p.records)).toEqual([30, 10, 10])
    expect(summary.frozenAt).not.toBeNull()
    expect(summary).toMatchObject({ method: 'stratified', seed: 7, params: { val: 0.2, test: 0.2 } })
    // The same seed gives the same split.
    const again = createSplit(
      store,
      jund,
      SplitMethod.parse({ method: 'stratified', val: 0.2, test: 0.2, seed: 7 }),
    )
    expect(assignments(again.splitId).map(([, p]) => p)).toEqual(stored.map(([, p]) => p))
  })

  it('a frozen split cannot be changed, but the data set (and its splits) can be deleted', () => {
    const { splitId } = createSplit(store, small, SplitMethod.parse({ method: 'stratified', seed: 1 }))
    const before = projectHash(store)
    expect(() =>
      store.db.prepare("UPDATE split_assignments SET part = 'test' WHERE split_id = ?").run(splitId),
    ).toThrow(/frozen/)
    expect(() => store.db.prepare('DELETE FROM split_assignments WHERE split_id = ?').run(splitId)).toThrow(
      /frozen/,
    )
    expect(() =>
      store.db.prepare('INSERT INTO split_assignments VALUES (?, 999, ?)').run(splitId, 'train'),
    ).toThrow(/frozen/)
    expect(() => store.db.prepare('UPDATE splits SET seed = 5 WHERE id = ?').run(splitId)).toThrow(/frozen/)
    expect(projectHash(store)).toBe(before)
  })

  it('chromosome hold-out matches chromosome aliases (chr22 ↔ 22) and summarises per chromosome', async () => {
    // A small genome in Ensembl naming, peaks in UCSC naming: the split is asked in UCSC naming too.
    const bases = (seed: number) =>
      Array.from({ length: 400 }, (_, i) => 'ACGT'[(i * 7 + seed * 3 + (i >> 3)) % 4]).join('')
    fs.writeFileSync(path.join(tmp, 'mini.fa'), `>1\n${bases(1)}\n>2\n${bases(2)}\n>22\n${bases(3)}\n`)
    fs.writeFileSync(path.join(tmp, 'mini.bed'), 'chr1\t0\t60\nchr2\t100\t200\nchr22\t0\t400\n')
    const genome = await importDataset(store, 'mini genome', {
      kind: 'genome',
      files: { genome: inputFile(path.join(tmp, 'mini.fa')), peaks: inputFile(path.join(tmp, 'mini.bed')) },
      options: GenomeImportOptions.parse({ length: 40 }),
    })
    const { summary } = createSplit(
      store,
      genome,
      SplitMethod.parse({ method: 'chromosome', val: ['chr2'], test: ['chr22'] }),
    )
    expect(summary.parts).toEqual([
      { part: 'train', records: 10, positives: 1 },
      { part: 'val', records: 10, positives: 3 },
      { part: 'test', records: 10, positives: 10 },
    ])
    expect(summary.chromosomes).toEqual([
      { chrom: '1', part: 'train', records: 10, positives: 1 },
      { chrom: '2', part: 'val', records: 10, positives: 3 },
      { chrom: '22', part: 'test', records: 10, positives: 10 },
    ])
    const jundSplit = createSplit(
      store,
      jund,
      SplitMethod.parse({ method: 'kfold', k: 2, groupBy: null, seed: 1 }),
    )
    expect(jundSplit.summary.chromosomes.map((c) => c.chrom)).toEqual(['chr22', 'chr22'])
    expect(() => createSplit(store, small, SplitMethod.parse({ method: 'chromosome', test: ['1'] }))).toThrow(
      expect.objectContaining({ code: 'splits.no_chromosomes' }),
    )
  })

  it('k-fold: folds stored as numbers, stratified, or grouped so that no group spans two folds', () => {
    const { splitId, summary } = createSplit(
      store,
      small,
      SplitMethod.parse({ method: 'kfold', k: 3, groupBy: 'group' }),
    )
    expect(summary.parts.map((p) => p.part)).toEqual(['0', '1', '2'])
    expect(summary.parts.reduce((sum, p) => sum + p.records, 0)).toBe(24)
    const groups = store.db
      .prepare('SELECT group_key FROM records WHERE dataset_id = ? ORDER BY idx')
      .pluck()
      .all(small) as string[]
    const foldOfGroup = new Map<string, number>()
    for (const [idx, fold] of assignments(splitId)) {
      expect(typeof fold).toBe('number')
      const seen = foldOfGroup.get(groups[idx]!)
      if (seen !== undefined) expect(fold).toBe(seen)
      foldOfGroup.set(groups[idx]!, fold as number)
    }
    const stratified = createSplit(store, small, SplitMethod.parse({ method: 'kfold', k: 3, seed: 3 }))
    expect(stratified.summary.parts.map((p) => p.positives)).toEqual([2, 2, 2])
    expect(listSplits(store, small).map((s) => s.splitId)).toContain(stratified.splitId)
  })

  it('refuses to delete a data set that experiments use, and deletes one that none use with its splits', () => {
    const target = small
    const used = store.db.prepare(
      "INSERT INTO experiments (name, dataset_id, spec, seed, created_at) VALUES ('e', ?, '{}', 0, 'now')",
    )
    const { lastInsertRowid } = used.run(jund)
    const before = projectHash(store)
    let error: unknown
    try {
      deleteDataset(store, jund)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(InputError)
    expect(error).toMatchObject({ code: 'dataset.in_use', params: { experiments: 1 } })
    expect(projectHash(store)).toBe(before)
    store.db.prepare('DELETE FROM experiments WHERE id = ?').run(lastInsertRowid)

    deleteDataset(store, target)
    expect(store.db.prepare('SELECT count(*) FROM records WHERE dataset_id = ?').pluck().get(target)).toBe(0)
    expect(store.db.prepare('SELECT count(*) FROM splits WHERE dataset_id = ?').pluck().get(target)).toBe(0)
    expect(integrityOk(store)).toBe(true)
  })
})

describe('CSV export', () => {
  it('round-trips: every record once with its sequence, 0/1 label, split and weight', async () => {
    const { splitId } = createSplit(store, jund, SplitMethod.parse({ method: 'stratified', seed: 11 }))
    const out = path.join(tmp, 'jund.csv')
    const result = await exportSplitCsv(store, { datasetId: jund, splitId, target: out })
    expect(result).toEqual({ rows: 50, file: 'jund.csv', weights: true })
    const [header, ...lines] = fs.readFileSync(out, 'utf8').trim().split('\n')
    expect(header).toBe('seq,label,split,weight')
    const stored = store.db
      .prepare('SELECT sequence, label, weight FROM records WHERE dataset_id = ? ORDER BY idx')
      .raw()
      .all(jund) as [string, number, number][]
    const parts = assignments(splitId)
    expect(lines.map((l) => l.split(','))).toEqual(
      stored.map(([seq, label, weight], i) => [seq, String(label), parts[i]![1], String(weight)]),
    )
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('turns a k-fold split into train/val/test with --fold, and refuses a fold that does not exist', async () => {
    const { splitId } = createSplit(store, jund, SplitMethod.parse({ method: 'kfold', k: 5, seed: 2 }))
    const out = path.join(tmp, 'fold.csv')
    await exportSplitCsv(store, { datasetId: jund, splitId, target: out, fold: 2 })
    const parts = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[2])
    const folds = assignments(splitId).map(([, f]) => f)
    expect(parts).toEqual(folds.map((f) => (f === 2 ? 'test' : f === 3 ? 'val' : 'train')))
    await expect(
      exportSplitCsv(store, { datasetId: jund, splitId, target: out, fold: 5 }),
    ).rejects.toMatchObject({
      code: 'split.bad_fold',
    })
  })
})

describe('through the services', () => {
  let services: Services
  const events: BusEvent[] = []
  beforeAll(() => {
    services = createServices({
      appVersion: '9.9.9-test',
      appDataDir: path.join(tmp, 'app-data'),
      defaultProjectsDir: path.join(tmp, 'projects'),
      transport: 'electron',
      onInternalError: (name, err) => console.error(name, err),
    })
    services.events.subscribe((e) => events.push(e))
  })
  afterAll(() => services.close())

  async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await services.dispatch(name, input)
    if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
    return result.value as CallOutput<N>
  }

  it('preview, import as a job, list, get, split, export', async () => {
    const project = await call('projects.create', { name: 'Services' })
    const table = services.files.register(path.join(fixtures, 'datasets', 'small.csv'), 'read')
    const request = {
      projectId: project.projectId,
      kind: 'csv' as const,
      files: { table },
      options: {
        sequenceColumn: 'sequence',
        labelColumn: 'label',
        weightColumn: 'weight',
        groupColumn: 'group',
      },
    }
    const preview = await call('datasets.preview', request)
    expect(preview.records).toHaveLength(20)
    expect(preview.problems).toEqual([])

    const invalid = await services.dispatch('datasets.import', {
      ...request,
      name: 'x',
      options: { ...request.options, surprise: 1 },
    })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'call.invalid_argument' } })

    const { jobId } = await call('datasets.import', { ...request, name: 'small via job' })
    await new Promise<void>((resolve) => {
      const check = () => (services.jobs.get(jobId)?.state === 'done' ? resolve() : setTimeout(check, 10))
      check()
    })
    const changed = events.filter((e) => e.event === 'project.changed')
    expect(changed.at(-1)?.payload).toMatchObject({ summary: { counts: { datasets: 1 } } })
    const [info] = await call('datasets.list', { projectId: project.projectId })
    expect(info).toMatchObject({ name: 'small via job', records: 24 })
    const summary = await call('datasets.get', { projectId: project.projectId, datasetId: info!.datasetId })
    expect(summary.labelCounts).toEqual([
      { label: 0, count: 18 },
      { label: 1, count: 6 },
    ])

    const split = await call('splits.create', {
      projectId: project.projectId,
      datasetId: info!.datasetId,
      split: { method: 'stratified', val: 0.25, test: 0.25 },
    })
    expect(split.summary.parts.map((p) => p.records)).toEqual([12, 6, 6])
    expect(await call('splits.get', { projectId: project.projectId, splitId: split.splitId })).toEqual(
      getSplitFromServices(services, project.projectId, split.splitId),
    )
    const target = services.files.register(path.join(tmp, 'services.csv'), 'write')
    const exported = await call('datasets.exportCsv', {
      projectId: project.projectId,
      datasetId: info!.datasetId,
      splitId: split.splitId,
      target,
    })
    expect(exported.rows).toBe(24)
    const readOnly = services.files.register(path.join(tmp, 'nope.csv'), 'read')
    const refused = await services.dispatch('datasets.exportCsv', {
      projectId: project.projectId,
      datasetId: info!.datasetId,
      splitId: split.splitId,
      target: readOnly,
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'files.wrong_mode' } })
    expect(datasetSummary(services.projects.get(project.projectId), info!.datasetId).splits).toBe(1)
  })

  it('a failed import job leaves the project unchanged and reports the error on the job', async () => {
    const project = await call('projects.create', { name: 'Failing' })
    const before = projectHash(services.projects.get(project.projectId))
    fs.writeFileSync(path.join(tmp, 'bad.csv'), 'sequence,label\nACGT,1\nACGT,maybe\n')
    const { jobId } = await call('datasets.import', {
      projectId: project.projectId,
      name: 'bad',
      kind: 'csv',
      files: { table: services.files.register(path.join(tmp, 'bad.csv'), 'read') },
      options: { sequenceColumn: 'sequence', labelColumn: 'label' },
    })
    await new Promise<void>((resolve) => {
      const check = () => (services.jobs.get(jobId)?.state === 'failed' ? resolve() : setTimeout(check, 10))
      check()
    })
    expect(services.jobs.get(jobId)?.error).toMatchObject({
      code: 'dataset.label_outside_set',
      line: 3,
      file: 'bad.csv',
    })
    expect(projectHash(services.projects.get(project.projectId))).toBe(before)
  })
})

function getSplitFromServices(services: Services, projectId: string, splitId: number) {
  return getSplit(services.projects.get(projectId), splitId)
}
