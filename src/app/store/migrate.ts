/**
 * Brings a project's schema up to date: a backup copy first, then each missing migration in its own
 * transaction, `PRAGMA user_version` bumped with it, so a crash or a failing migration leaves the file at
 * the last version that completed (and the backup untouched).
 */
import * as fs from 'node:fs'
import type { Database } from 'better-sqlite3'
import { assertWellFormed, latestVersion, type Migration } from './migrations'

export interface MigrationOutcome {
  from: number
  to: number
  /** The copy taken before migrating; absent when nothing was migrated or no backup was asked for. */
  backupFile?: string
}

/**
 * Migrates `db` to the last version of `list`. When `backupOf` (the project file) is given and there is
 * something to migrate from an existing schema, first copies the database to `<backupOf>.v<old>.bak`.
 * The caller has checked the file is not newer than `list` (that is an input error with its own message).
 */
export function migrate(db: Database, list: readonly Migration[], backupOf?: string): MigrationOutcome {
  assertWellFormed(list)
  const from = userVersion(db)
  const to = latestVersion(list)
  if (from > to)
    throw new Error(`Schema version ${from} is newer than the migrations (${to}); check before migrating`)
  if (from === to) return { from, to }
  const backupFile = backupOf !== undefined && from > 0 ? writeBackup(db, backupOf, from) : undefined
  withForeignKeysOff(db, () => {
    for (const migration of list.slice(from)) {
      db.transaction(() => {
        // Another connection may have migrated since we looked: the version is read again under the lock.
        if (userVersion(db) < migration.version) applyMigration(db, migration)
      }).immediate()
    }
  })
  return backupFile === undefined ? { from, to } : { from, to, backupFile }
}

/** Applies one migration; the caller holds the transaction and has turned foreign keys off. */
export function applyMigration(db: Database, migration: Migration): void {
  migration.up(db)
  const violations = db.pragma('foreign_key_check') as unknown[]
  if (violations.length > 0) {
    throw new Error(
      `Migration ${migration.version} (${migration.description}) left ${violations.length} foreign key violation(s)`,
    )
  }
  db.pragma(`user_version = ${migration.version}`)
}

/** Runs fn with foreign key enforcement off (it cannot change inside a transaction), restoring it after. */
export function withForeignKeysOff<T>(db: Database, fn: () => T): T {
  const wasOn = db.pragma('foreign_keys', { simple: true }) === 1
  db.pragma('foreign_keys = OFF')
  try {
    return fn()
  } finally {
    if (wasOn) db.pragma('foreign_keys = ON')
  }
}

export function userVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Copies the database, committed WAL contents included, to `<file>.v<version>.bak` (or `.v<version>.<n>.bak`
 * when that name is taken, so an older backup is never overwritten). `VACUUM INTO` reads one consistent
 * snapshot while other connections go on; the copy is written under a temporary name, flushed to disk and
 * then renamed, so a backup file that exists is complete.
 */
export function writeBackup(db: Database, file: string, version: number): string {
  const target = freeBackupName(file, version)
  const temporary = `${target}.tmp-${process.pid}`
  fs.rmSync(temporary, { force: true })
  try {
    db.prepare('VACUUM INTO ?').run(temporary)
    const fd = fs.openSync(temporary, 'r+')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temporary, target)
  } catch (err) {
    fs.rmSync(temporary, { force: true })
    throw err
  }
  return target
}

function freeBackupName(file: string, version: number): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${file}.v${version}.bak` : `${file}.v${version}.${n}.bak`
    if (!fs.existsSync(candidate)) return candidate
  }
}
