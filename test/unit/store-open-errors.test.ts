/**
 * Every way opening a project can fail, each as its own InputError code, and each leaving the file exactly
 * as it was (same bytes), so a failed open can never make things worse.
 */
import { createHash } from 'node:crypto'
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
} from '../../src/app/store/project-store'
import { PROJECT_ERROR_CODES } from '../../src/app/store/errors'
import { migrations } from '../../src/app/store/migrations'

let dir: string
const cleanups: (() => void)[] = []

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-open-'))
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** Opens the file expecting an InputError; checks the bytes did not change and returns the error. */
function failedOpen(file: string, opts: Parameters<typeof ProjectStore.open>[1] = {}): InputError {
  const before = sha256(file)
  let caught: unknown
  try {
    ProjectStore.open(file, opts).close()
  } catch (err) {
    caught = err
  }
  expect(caught, 'opening should have failed').toBeInstanceOf(InputError)
  expect(sha256(file), 'the file must be unchanged').toBe(before)
  const error = caught as InputError
  expect(PROJECT_ERROR_CODES).toContain(error.code)
  expect(error.file).toBe(path.basename(file))
  expect(error.message).toContain(path.basename(file))
  return error
}

function makeProject(name = 'p.seqlab', records = 0): string {
  const file = path.join(dir, name)
  const store = ProjectStore.create(file, { name: 'p', appVersion: '0.1.0' })
  if (records > 0) {
    store.transaction(() => {
      const id = store.db
        .prepare(
          `INSERT INTO datasets (name, kind, label_kind, created_at, record_count)
           VALUES ('d', 'sequences', 'binary', '2025-01-01T00:00:00.000Z', ?)`,
        )
        .run(records).lastInsertRowid
      const insert = store.db.prepare(
        'INSERT INTO records (dataset_id, idx, sequence, label) VALUES (?, ?, ?, ?)',
      )
      for (let i = 0; i < records; i++) insert.run(id, i, 'ACGT'.repeat(50), i % 7 === 0 ? '1' : '0')
    })
  }
  store.close()
  return file
}

/** Changes a closed project through a raw connection (as a hand edit or another program would). */
function editRaw(file: string, edit: (db: Database.Database) => void): void {
  const db = new Database(file)
  edit(db)
  db.close()
}

describe('opening what is not there or not a project', () => {
  it('project.not_found for a missing file, creating nothing', () => {
    const file = path.join(dir, 'gone.seqlab')
    expect(() => ProjectStore.open(file)).toThrow(expect.objectContaining({ code: 'project.not_found' }))
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('project.not_sqlite for a text file, an image and an empty file', () => {
    const text = path.join(dir, 'readme.seqlab')
    fs.writeFileSync(text, '>seq1\nACGTACGT\n'.repeat(20))
    expect(failedOpen(text)).toMatchObject({ code: 'project.not_sqlite', found: 'a text file' })

    const png = path.join(dir, 'figure.png')
    fs.writeFileSync(
      png,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 7)]),
    )
    expect(failedOpen(png)).toMatchObject({ code: 'project.not_sqlite', found: 'a PNG image' })

    const empty = path.join(dir, 'empty.seqlab')
    fs.writeFileSync(empty, '')
    expect(failedOpen(empty)).toMatchObject({ code: 'project.not_sqlite', found: 'an empty file' })
    expect(fs.readdirSync(dir).sort()).toEqual(['empty.seqlab', 'figure.png', 'readme.seqlab'])
  })

  it('project.not_seqlab for another program’s SQLite database, with or without an application id', () => {
    const plain = path.join(dir, 'places.sqlite')
    editRaw(plain, (db) => db.exec('CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES (1)'))
    expect(failedOpen(plain).code).toBe('project.not_seqlab')

    const walMode = path.join(dir, 'wal.sqlite')
    editRaw(walMode, (db) => {
      db.pragma('journal_mode = WAL')
      db.exec('CREATE TABLE things (x)')
    })
    expect(failedOpen(walMode).code).toBe('project.not_seqlab')

    // Another program's id, even with a table called "project".
    const otherApp = path.join(dir, 'other.db')
    editRaw(otherApp, (db) => {
      db.pragma('application_id = 1234')
      db.exec('CREATE TABLE project (name, created_at, updated_at, created_by)')
    })
    expect(failedOpen(otherApp).code).toBe('project.not_seqlab')
  })
})

describe('opening a project this SeqLab cannot use', () => {
  it('project.too_new when the schema is newer, naming both versions; nothing beside the file appears', () => {
    const file = makeProject()
    editRaw(file, (db) => db.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 3}`))
    const error = failedOpen(file, { appVersion: '0.1.0' })
    expect(error.code).toBe('project.too_new')
    expect(error.params).toMatchObject({
      version: CURRENT_SCHEMA_VERSION + 3,
      supported: CURRENT_SCHEMA_VERSION,
    })
    expect(error.message).toMatch(/newer SeqLab/)
    expect(error.message).toContain(`version ${CURRENT_SCHEMA_VERSION + 3}`)
    expect(failedOpen(file, { readonly: true }).code).toBe('project.too_new')
    expect(fs.readdirSync(dir)).toEqual(['p.seqlab'])
  })

  it('project.too_new also while a newer SeqLab holds the change in its WAL (header not yet updated)', () => {
    const file = makeProject()
    const newer = new Database(file)
    cleanups.push(() => newer.close())
    newer.pragma('wal_autocheckpoint = 0')
    newer.pragma(`user_version = ${CURRENT_SCHEMA_VERSION + 1}`)
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0)
    expect(failedOpen(file).code).toBe('project.too_new')
  })

  it('project.needs_upgrade for an older project opened read-only', () => {
    const file = makeProject()
    // The real schema plus one more version: the fixture is then one version behind.
    const withExtra = [
      ...migrations,
      {
        version: CURRENT_SCHEMA_VERSION + 1,
        description: 'extra',
        up: (db: Database.Database) => db.exec('CREATE TABLE extra (x)'),
      },
    ]
    const error = failedOpen(file, { readonly: true, migrations: withExtra })
    expect(error.code).toBe('project.needs_upgrade')
  })
})

describe('opening a damaged project', () => {
  it('project.corrupt for a truncated file', () => {
    const file = makeProject('p.seqlab', 2000)
    const bytes = fs.readFileSync(file)
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const error = failedOpen(file)
    expect(error.code).toBe('project.corrupt')
    expect(error.message).toMatch(/damaged.*cut short/)
    expect(error.found).toBe(`${Math.floor(bytes.length / 2)} bytes of ${bytes.length}`)
  })

  it('project.corrupt for garbage in the middle of the file (found by the integrity check)', () => {
    const file = makeProject('p.seqlab', 2000)
    const bytes = fs.readFileSync(file)
    const pageSize = bytes.readUInt16BE(16)
    const pages = bytes.length / pageSize
    expect(pages).toBeGreaterThan(20)
    // Overwrite ten pages in the middle, keeping the header page intact.
    const start = Math.floor(pages / 2) * pageSize
    for (let i = start; i < start + 10 * pageSize; i++) bytes[i] = (i * 131) % 251
    fs.writeFileSync(file, bytes)
    const error = failedOpen(file)
    expect(error.code).toBe('project.corrupt')
    expect(error.message).toMatch(/integrity check/)
    expect(error.found).toMatch(/page/)
    expect(failedOpen(file, { readonly: true }).code).toBe('project.corrupt')
  })

  it('project.corrupt when the project record is missing', () => {
    const file = makeProject()
    editRaw(file, (db) => db.exec('DELETE FROM project'))
    const error = failedOpen(file)
    expect(error.code).toBe('project.corrupt')
    expect(error.message).toMatch(/project record is missing/)
  })
})

describe('opening a project that is busy or read-only', () => {
  it('project.locked when another program holds the file exclusively, after the busy timeout', () => {
    const file = makeProject()
    const holder = new Database(file)
    cleanups.push(() => holder.close())
    holder.pragma('locking_mode = EXCLUSIVE')
    holder.exec('BEGIN IMMEDIATE; UPDATE project SET name = name; COMMIT')
    const error = failedOpen(file, { busyTimeoutMs: 50 })
    expect(error.code).toBe('project.locked')
    expect(error.message).toMatch(/open elsewhere/)
  })

  it('project.readonly for a read-only file opened for writing; a read-only open still works', () => {
    const file = makeProject()
    fs.chmodSync(file, 0o444)
    cleanups.push(() => fs.chmodSync(file, 0o644))
    const error = failedOpen(file)
    expect(error.code).toBe('project.readonly')
    expect(error.message).toMatch(/read-only/)
    expect(fs.readdirSync(dir)).toEqual(['p.seqlab'])

    const before = sha256(file)
    const store = ProjectStore.open(file, { readonly: true })
    cleanups.push(() => store.close())
    expect(store.meta().name).toBe('p')
    expect(store.counts()).toEqual({ datasets: 0, splits: 0, experiments: 0 })
    expect(() => store.rename('q')).toThrow(expect.objectContaining({ code: 'project.readonly' }))
    store.close()
    expect(sha256(file)).toBe(before)
  })

  it('a read-only connection refuses writes with project.readonly even on a writable file', () => {
    const file = makeProject()
    const store = ProjectStore.open(file, { readonly: true })
    cleanups.push(() => store.close())
    expect(() => store.transaction(() => store.db.exec("UPDATE project SET name = 'x'"))).toThrow(
      expect.objectContaining({ code: 'project.readonly' }),
    )
  })
})

it('the fixture project really is a SeqLab project', () => {
  const file = makeProject()
  const db = new Database(file, { readonly: true })
  expect(db.pragma('application_id', { simple: true })).toBe(SEQLAB_APPLICATION_ID)
  db.close()
})
