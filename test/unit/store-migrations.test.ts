/**
 * Schema migrations: an older project (made here with a shorter migration list) is copied to
 * `<file>.v<old>.bak` and then migrated step by step; a failing step leaves the file at its old version.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CURRENT_SCHEMA_VERSION, ProjectStore } from '../../src/app/store/project-store'
import { migrate } from '../../src/app/store/migrate'
import { latestVersion, migrations, type Migration } from '../../src/app/store/migrations'

let dir: string
const open: { close(): void }[] = []
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-migrate-'))
})
afterEach(() => {
  for (const handle of open.splice(0)) handle.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const next = CURRENT_SCHEMA_VERSION + 1
const addNotes: Migration = {
  version: next,
  description: 'notes on experiments',
  up(db) {
    db.exec(`
      CREATE TABLE notes (id INTEGER PRIMARY KEY, experiment_id INTEGER REFERENCES experiments(id), text TEXT);
      ALTER TABLE datasets ADD COLUMN colour TEXT NOT NULL DEFAULT 'grey';
    `)
  },
}
const failing: Migration = {
  version: next,
  description: 'fails halfway',
  up(db) {
    db.exec('CREATE TABLE half_done (x)')
    throw new Error('migration bug')
  },
}

function tables(file: string): string[] {
  const db = new Database(file, { readonly: true })
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
  db.close()
  return names as string[]
}

function versionOf(file: string): number {
  const db = new Database(file, { readonly: true })
  const version = db.pragma('user_version', { simple: true }) as number
  db.close()
  return version
}

/** A project at the current version, with one dataset, closed. */
function olderProject(): string {
  const file = path.join(dir, 'old.seqlab')
  const store = ProjectStore.create(file, { name: 'old', appVersion: '0.1.0' })
  store.db
    .prepare(
      "INSERT INTO datasets (name, kind, label_kind, created_at) VALUES ('kept', 'sequences', 'binary', '2025-01-01T00:00:00.000Z')",
    )
    .run()
  store.close()
  return file
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, ... and CURRENT_SCHEMA_VERSION is the last', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1))
    expect(CURRENT_SCHEMA_VERSION).toBe(latestVersion(migrations))
    expect(CURRENT_SCHEMA_VERSION).toBeGreaterThanOrEqual(1)
  })

  it('refuses a list with gaps (a bug, not an input error)', () => {
    const db = new Database(':memory:')
    open.push(db)
    expect(() => migrate(db, [migrations[0]!, { ...addNotes, version: 5 }])).toThrow(/expected 2/)
  })

  it('backs up an older project to <file>.v<old>.bak, then migrates it, keeping its data', () => {
    const file = olderProject()
    const store = ProjectStore.open(file, { migrations: [...migrations, addNotes] })
    open.push(store)
    expect(store.schemaVersion()).toBe(next)
    expect(store.db.prepare('SELECT name, colour FROM datasets').all()).toEqual([
      { name: 'kept', colour: 'grey' },
    ])
    expect(store.meta().name).toBe('old')
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1)

    const backup = `${file}.v${CURRENT_SCHEMA_VERSION}.bak`
    expect(fs.existsSync(backup)).toBe(true)
    expect(versionOf(backup)).toBe(CURRENT_SCHEMA_VERSION)
    expect(tables(backup)).not.toContain('notes')
    expect(tables(backup)).toContain('datasets')
    // The backup is itself a project this SeqLab opens.
    const fromBackup = ProjectStore.open(backup, { readonly: true })
    open.push(fromBackup)
    expect(fromBackup.counts().datasets).toBe(1)
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([])
  })

  it('backs up changes still in the WAL of another open connection', () => {
    const file = olderProject()
    const other = ProjectStore.open(file)
    open.push(other)
    other.db.pragma('wal_autocheckpoint = 0')
    other.rename('renamed, not yet checkpointed')
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0)

    const migrated = ProjectStore.open(file, { migrations: [...migrations, addNotes] })
    open.push(migrated)
    const backup = ProjectStore.open(`${file}.v${CURRENT_SCHEMA_VERSION}.bak`, { readonly: true })
    open.push(backup)
    expect(backup.meta().name).toBe('renamed, not yet checkpointed')
  })

  it('does not migrate or back up a project that is already current', () => {
    const file = olderProject()
    const store = ProjectStore.open(file)
    open.push(store)
    expect(store.schemaVersion()).toBe(CURRENT_SCHEMA_VERSION)
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([])
  })

  it('leaves the project at its old version when a migration fails, and never overwrites a backup', () => {
    const file = olderProject()
    expect(() => ProjectStore.open(file, { migrations: [...migrations, failing] })).toThrow('migration bug')
    expect(versionOf(file)).toBe(CURRENT_SCHEMA_VERSION)
    expect(tables(file)).not.toContain('half_done')
    const firstBackup = `${file}.v${CURRENT_SCHEMA_VERSION}.bak`
    expect(fs.existsSync(firstBackup)).toBe(true)

    // The next attempt keeps the first backup and writes a second one beside it.
    const store = ProjectStore.open(file, { migrations: [...migrations, addNotes] })
    open.push(store)
    expect(store.schemaVersion()).toBe(next)
    expect(fs.existsSync(`${file}.v${CURRENT_SCHEMA_VERSION}.2.bak`)).toBe(true)
    expect(versionOf(firstBackup)).toBe(CURRENT_SCHEMA_VERSION)
  })

  it('a migration that breaks a foreign key is rolled back', () => {
    const file = olderProject()
    const orphan: Migration = {
      version: next,
      description: 'leaves an orphan',
      up(db) {
        db.exec("INSERT INTO records (dataset_id, idx, sequence) VALUES (999, 0, 'ACGT')")
      },
    }
    expect(() => ProjectStore.open(file, { migrations: [...migrations, orphan] })).toThrow(/foreign key/)
    expect(versionOf(file)).toBe(CURRENT_SCHEMA_VERSION)
  })

  it('migrate() is idempotent: a second run finds nothing to do', () => {
    const file = olderProject()
    const db = new Database(file)
    open.push(db)
    let runs = 0
    const counted: Migration = { ...addNotes, up: (d) => (runs++, addNotes.up(d)) }
    expect(migrate(db, [...migrations, counted])).toEqual({ from: CURRENT_SCHEMA_VERSION, to: next })
    expect(migrate(db, [...migrations, counted])).toEqual({ from: next, to: next })
    expect(runs).toBe(1)
  })
})
