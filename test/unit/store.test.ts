/**
 * The project store on real files: creating, reopening, renaming, counting, the connection's pragmas, the
 * schema's cascades, and deleting a project file.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import {
  CURRENT_SCHEMA_VERSION,
  ProjectStore,
  SEQLAB_APPLICATION_ID,
  deleteProjectFile,
} from '../../src/app/store/project-store'

let dir: string
const open: ProjectStore[] = []
const track = (store: ProjectStore) => (open.push(store), store)

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-store-'))
})
afterEach(() => {
  for (const store of open.splice(0)) store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof InputError) return err.code
    throw err
  }
  throw new Error('expected an InputError, nothing was thrown')
}

const isoUtc = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

describe('ProjectStore.create and open', () => {
  it('creates a project that reopens with its name, dates and creator', () => {
    const file = path.join(dir, 'JunD on chr22.seqlab')
    const created = ProjectStore.create(file, { name: '  JunD on chr22 ', appVersion: '0.1.0' })
    const meta = created.meta()
    expect(meta.name).toBe('JunD on chr22')
    expect(meta.createdBy).toBe('0.1.0')
    expect(meta.createdAt).toMatch(isoUtc)
    expect(meta.updatedAt).toBe(meta.createdAt)
    expect(created.file).toBe(path.resolve(file))
    expect(created.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION)
    created.close()
    // The last connection to close folds the WAL back: the project is one file to copy.
    expect(fs.readdirSync(dir)).toEqual(['JunD on chr22.seqlab'])

    const reopened = track(ProjectStore.open(file))
    expect(reopened.meta()).toEqual(meta)
    expect(reopened.counts()).toEqual({ datasets: 0, splits: 0, experiments: 0 })
  })

  it('refuses to create over an existing file and leaves it alone', () => {
    const file = path.join(dir, 'notes.seqlab')
    fs.writeFileSync(file, 'my notes')
    expect(codeOf(() => ProjectStore.create(file, { name: 'x', appVersion: '0.1.0' }))).toBe('project.exists')
    expect(fs.readFileSync(file, 'utf8')).toBe('my notes')
  })

  it('refuses a missing folder and an empty name, leaving no file behind', () => {
    const inMissingFolder = path.join(dir, 'no such folder', 'p.seqlab')
    expect(codeOf(() => ProjectStore.create(inMissingFolder, { name: 'p', appVersion: '0.1.0' }))).toBe(
      'project.folder_not_found',
    )
    const file = path.join(dir, 'p.seqlab')
    expect(codeOf(() => ProjectStore.create(file, { name: '   ', appVersion: '0.1.0' }))).toBe(
      'project.name_invalid',
    )
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('removes the half-made file when creating fails', () => {
    const file = path.join(dir, 'p.seqlab')
    const failing = [
      {
        version: 1,
        description: 'fails',
        up(db: Database.Database) {
          db.exec('CREATE TABLE project (id INTEGER PRIMARY KEY)')
          throw new Error('boom')
        },
      },
    ]
    expect(() => ProjectStore.create(file, { name: 'p', appVersion: '0.1.0', migrations: failing })).toThrow(
      'boom',
    )
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('sets WAL, foreign keys, busy timeout, synchronous NORMAL and the SeqLab application id', () => {
    const store = track(ProjectStore.create(path.join(dir, 'p.seqlab'), { name: 'p', appVersion: '0.1.0' }))
    const pragma = (name: string) => store.db.pragma(name, { simple: true })
    expect(pragma('journal_mode')).toBe('wal')
    expect(pragma('foreign_keys')).toBe(1)
    expect(pragma('busy_timeout')).toBe(5000)
    expect(pragma('synchronous')).toBe(1)
    expect(pragma('application_id')).toBe(SEQLAB_APPLICATION_ID)
    expect(pragma('user_version')).toBe(CURRENT_SCHEMA_VERSION)

    const reopened = track(ProjectStore.open(store.file, { busyTimeoutMs: 250 }))
    expect(reopened.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(reopened.db.pragma('busy_timeout', { simple: true })).toBe(250)
    expect(reopened.db.pragma('journal_mode', { simple: true })).toBe('wal')
  })
})

describe('rename, counts and transactions', () => {
  it('renames, bumping updated_at but not created_at, and keeps it across reopening', () => {
    const file = path.join(dir, 'p.seqlab')
    const store = ProjectStore.create(file, { name: 'first', appVersion: '0.1.0' })
    const before = store.meta()
    const after = store.rename('mESC GRN')
    expect(after.name).toBe('mESC GRN')
    expect(after.createdAt).toBe(before.createdAt)
    expect(after.updatedAt).toMatch(isoUtc)
    expect(after.updatedAt > before.updatedAt).toBe(true)
    const again = store.rename('mESC GRN v2')
    expect(again.updatedAt > after.updatedAt).toBe(true)
    expect(codeOf(() => store.rename(''))).toBe('project.name_invalid')
    expect(codeOf(() => store.rename('x'.repeat(121)))).toBe('project.name_invalid')
    store.close()
    expect(track(ProjectStore.open(file)).meta()).toEqual(again)
  })

  it('counts datasets, splits and experiments', () => {
    const store = track(ProjectStore.create(path.join(dir, 'p.seqlab'), { name: 'p', appVersion: '0.1.0' }))
    const datasetId = addDataset(store, 'd1', 3)
    addDataset(store, 'd2', 1)
    const splitId = addSplit(store, datasetId)
    addExperiment(store, datasetId, splitId)
    expect(store.counts()).toEqual({ datasets: 2, splits: 1, experiments: 1 })
  })

  it('rolls a transaction back as a whole when it throws, and returns its value otherwise', () => {
    const store = track(ProjectStore.create(path.join(dir, 'p.seqlab'), { name: 'p', appVersion: '0.1.0' }))
    expect(() =>
      store.transaction(() => {
        addDataset(store, 'half', 2)
        throw new Error('stop halfway')
      }),
    ).toThrow('stop halfway')
    expect(store.counts().datasets).toBe(0)
    expect(store.transaction(() => addDataset(store, 'whole', 2))).toBeGreaterThan(0)
    // Nested calls become savepoints of the outer transaction.
    store.transaction(() => {
      store.transaction(() => addDataset(store, 'inner', 1))
      expect(store.db.inTransaction).toBe(true)
    })
    expect(store.counts().datasets).toBe(2)
  })

  it('stores split parts as words or fold numbers and rejects anything else', () => {
    const store = track(ProjectStore.create(path.join(dir, 'p.seqlab'), { name: 'p', appVersion: '0.1.0' }))
    const splitId = addSplit(store, addDataset(store, 'd', 5)) // assigns record 0 to 'train'
    const assign = store.db.prepare(
      'INSERT INTO split_assignments (split_id, record_idx, part) VALUES (?, ?, ?)',
    )
    assign.run(splitId, 1, 'test')
    assign.run(splitId, 2, 3)
    expect(() => assign.run(splitId, 3, 'holdout')).toThrow(/CHECK constraint/)
    expect(() => assign.run(splitId, 3, 1.5)).toThrow(/CHECK constraint/)
    expect(() => assign.run(splitId, 3, -1)).toThrow(/CHECK constraint/)
    const parts = store.db
      .prepare('SELECT part, typeof(part) AS type FROM split_assignments ORDER BY record_idx')
      .all()
    expect(parts).toEqual([
      { part: 'train', type: 'text' },
      { part: 'test', type: 'text' },
      { part: 3, type: 'integer' },
    ])
  })
})

describe('foreign keys', () => {
  it('cascades experiment deletes to epoch metrics and artefacts, and dataset deletes to records and splits', () => {
    const store = track(ProjectStore.create(path.join(dir, 'p.seqlab'), { name: 'p', appVersion: '0.1.0' }))
    const datasetId = addDataset(store, 'd', 5)
    const splitId = addSplit(store, datasetId)
    const experimentId = addExperiment(store, datasetId, splitId)
    const now = new Date().toISOString()
    store.transaction(() => {
      store.db
        .prepare('INSERT INTO epoch_metrics (experiment_id, epoch, metrics, seconds) VALUES (?, ?, ?, ?)')
        .run(experimentId, 1, '{"loss":0.5}', 1.25)
      store.db
        .prepare('INSERT INTO artefacts (experiment_id, kind, name, data, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(experimentId, 'weights', 'best', Buffer.from([1, 2, 3]), now)
    })
    const count = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()

    // A dataset that experiments use cannot be deleted from under them.
    expect(() => store.db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId)).toThrow(/FOREIGN KEY/)
    expect(count('records')).toBe(5)

    store.db.prepare('DELETE FROM experiments WHERE id = ?').run(experimentId)
    expect([count('epoch_metrics'), count('artefacts')]).toEqual([0, 0])
    store.db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId)
    expect([count('records'), count('splits'), count('split_assignments')]).toEqual([0, 0, 0])
  })

  it('refuses rows that point nowhere', () => {
    const store = track(ProjectStore.create(path.join(dir, 'p.seqlab'), { name: 'p', appVersion: '0.1.0' }))
    expect(() =>
      store.db.prepare('INSERT INTO records (dataset_id, idx, sequence) VALUES (?, ?, ?)').run(42, 0, 'ACGT'),
    ).toThrow(/FOREIGN KEY/)
  })
})

describe('deleteProjectFile', () => {
  it('deletes the project and its side files, and nothing else', () => {
    const file = path.join(dir, 'p.seqlab')
    ProjectStore.create(file, { name: 'p', appVersion: '0.1.0' }).close()
    fs.writeFileSync(`${file}-wal`, '')
    fs.writeFileSync(`${file}-shm`, '')
    fs.writeFileSync(path.join(dir, 'other.txt'), 'keep me')
    deleteProjectFile(file)
    expect(fs.readdirSync(dir)).toEqual(['other.txt'])
    // Deleting what is already gone is not an error.
    expect(() => deleteProjectFile(file)).not.toThrow()
  })

  it('refuses to delete a file that is not a SeqLab project', () => {
    const text = path.join(dir, 'thesis.seqlab')
    fs.writeFileSync(text, 'chapter one')
    expect(codeOf(() => deleteProjectFile(text))).toBe('project.not_sqlite')
    const foreign = path.join(dir, 'other.db')
    const db = new Database(foreign)
    db.exec('CREATE TABLE t (x)')
    db.close()
    expect(codeOf(() => deleteProjectFile(foreign))).toBe('project.not_seqlab')
    expect(fs.readdirSync(dir).sort()).toEqual(['other.db', 'thesis.seqlab'])
  })
})

// ---------------------------------------------------------------------------------------------------

function addDataset(store: ProjectStore, name: string, records: number): number {
  return store.transaction(() => {
    const now = new Date().toISOString()
    const id = Number(
      store.db
        .prepare(
          `INSERT INTO datasets (name, kind, alphabet, label_kind, label_set, seq_length, source, created_at, record_count)
           VALUES (?, 'sequences', 'dna', 'binary', '["0","1"]', 4, '{}', ?, ?)`,
        )
        .run(name, now, records).lastInsertRowid,
    )
    const insert = store.db.prepare(
      'INSERT INTO records (dataset_id, idx, record_id, sequence, label, weight, chrom, start, end) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)',
    )
    for (let i = 0; i < records; i++)
      insert.run(id, i, `r${i}`, 'ACGT', String(i % 2), 'chr22', i * 4, i * 4 + 4)
    return id
  })
}

function addSplit(store: ProjectStore, datasetId: number): number {
  return store.transaction(() => {
    const id = Number(
      store.db
        .prepare(
          "INSERT INTO splits (dataset_id, name, method, params, seed, created_at) VALUES (?, 's', 'stratified', '{}', 7, ?)",
        )
        .run(datasetId, new Date().toISOString()).lastInsertRowid,
    )
    store.db
      .prepare("INSERT INTO split_assignments (split_id, record_idx, part) VALUES (?, 0, 'train')")
      .run(id)
    return id
  })
}

function addExperiment(store: ProjectStore, datasetId: number, splitId: number): number {
  return Number(
    store.db
      .prepare(
        "INSERT INTO experiments (name, dataset_id, split_id, spec, seed, created_at) VALUES ('e', ?, ?, '{}', 1, ?)",
      )
      .run(datasetId, splitId, new Date().toISOString()).lastInsertRowid,
  )
}
