/**
 * Two handles on one project, as the desktop app, the CLI and the web bridge would have: both read and
 * write (WAL); a write lock held too long by one shows up in the other as `project.locked`, not a raw
 * SQLite error, and the other handle works again once the lock is released.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import { ProjectStore } from '../../src/app/store/project-store'

let dir: string
let file: string
const open: ProjectStore[] = []
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-concurrency-'))
  file = path.join(dir, 'shared.seqlab')
  ProjectStore.create(file, { name: 'shared', appVersion: '0.1.0' }).close()
})
afterEach(() => {
  for (const store of open.splice(0)) store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function handle(busyTimeoutMs?: number): ProjectStore {
  const store = ProjectStore.open(file, busyTimeoutMs === undefined ? {} : { busyTimeoutMs })
  open.push(store)
  return store
}

function addDataset(store: ProjectStore, name: string): void {
  store.transaction(() => {
    store.db
      .prepare(
        "INSERT INTO datasets (name, kind, label_kind, created_at) VALUES (?, 'sequences', 'binary', ?)",
      )
      .run(name, new Date().toISOString())
    store.markChanged()
  })
}

it('two handles both read and write, and each sees the other’s committed changes', () => {
  const app = handle()
  const cli = handle()
  addDataset(app, 'from the app')
  expect(cli.counts().datasets).toBe(1)
  addDataset(cli, 'from the CLI')
  cli.rename('renamed by the CLI')
  expect(app.counts().datasets).toBe(2)
  expect(app.meta().name).toBe('renamed by the CLI')
  app.rename('renamed by the app')
  expect(cli.meta().name).toBe('renamed by the app')
})

it('readers are not blocked by a writer in the middle of a transaction, and see the last commit', () => {
  const writer = handle()
  const reader = handle(50)
  writer.db.exec('BEGIN IMMEDIATE')
  writer.db.prepare("UPDATE project SET name = 'uncommitted' WHERE id = 1").run()
  expect(reader.meta().name).toBe('shared')
  expect(reader.counts()).toEqual({ datasets: 0, splits: 0, experiments: 0 })
  writer.db.exec('COMMIT')
  expect(reader.meta().name).toBe('uncommitted')
})

it('a write lock held past the busy timeout gives project.locked, and the project works again after', () => {
  const holder = handle()
  const other = handle(50)
  holder.db.exec('BEGIN IMMEDIATE')

  let caught: unknown
  try {
    other.rename('blocked')
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(InputError)
  expect(caught).toMatchObject({ code: 'project.locked', file: 'shared.seqlab' })
  expect((caught as InputError).message).toMatch(/open elsewhere/)
  expect(() => addDataset(other, 'blocked too')).toThrow(expect.objectContaining({ code: 'project.locked' }))
  // Opening a second handle is still possible: in WAL mode, opening and reading need no write lock.
  expect(handle(50).meta().name).toBe('shared')

  holder.db.exec('COMMIT')
  expect(other.rename('unblocked').name).toBe('unblocked')
  expect(holder.meta().name).toBe('unblocked')
  expect(other.counts().datasets).toBe(0)
})

it('a handle that waits within the busy timeout succeeds once the other commits', async () => {
  const holder = handle()
  holder.db.exec('BEGIN IMMEDIATE')
  // The waiter runs in a child process, because a busy wait blocks its own thread.
  const script = `
    const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))})
    const db = new Database(${JSON.stringify(file)})
    db.pragma('busy_timeout = 20000')
    process.stdout.write('waiting\\n')
    db.prepare("UPDATE project SET name = 'written after waiting' WHERE id = 1").run()
    db.close()
  `
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  holder.db.exec('COMMIT')
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  expect(code).toBe(0)
  expect(holder.meta().name).toBe('written after waiting')
})
