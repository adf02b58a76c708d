/**
 * The project store: one SQLite file (`.seqlab`) per project, opened with better-sqlite3.
 *
 * Opening is careful because the file is the user's only copy of their work: it is checked first from its
 * header bytes and then through a read-only connection (missing, not a database, another program's database,
 * made by a newer SeqLab, damaged, locked, read-only: each an `InputError` with its own code), and only
 * then reopened read-write and migrated, after a backup copy. A failed open changes nothing in the file.
 *
 * Every connection runs in WAL mode with foreign keys on and a busy timeout, so the desktop app, the CLI and
 * the web bridge can have the same project open at once; a write that still finds the project busy after
 * the timeout becomes `project.locked`.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import Database from 'better-sqlite3'
import { InputError } from '../../shared/errors'
import { projectErrors, translateSqliteError, withSqliteErrors } from './errors'
import { readSqliteHeader, SEQLAB_APPLICATION_ID } from './format'
import { applyMigration, migrate, userVersion, withForeignKeysOff } from './migrate'
import { latestVersion, migrations as schemaMigrations, type Migration } from './migrations'

export { SEQLAB_APPLICATION_ID } from './format'

/** `PRAGMA user_version` of a fully migrated project. */
export const CURRENT_SCHEMA_VERSION: number = latestVersion(schemaMigrations)

/** How long a statement waits for another connection's write before giving up as `project.locked`. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000

export interface ProjectMeta {
  name: string
  createdAt: string
  updatedAt: string
  /** Version of SeqLab that created the project. */
  createdBy: string
}

export interface ProjectCounts {
  datasets: number
  splits: number
  experiments: number
}

interface ConnectionOptions {
  /** Busy timeout in milliseconds (default 5000); tests shorten it. */
  busyTimeoutMs?: number
  /** The schema's migrations; only tests pass another list (e.g. to make an older project). */
  migrations?: readonly Migration[]
}

export interface CreateOptions extends ConnectionOptions {
  name: string
  /** Version of SeqLab creating the project, kept as `createdBy`. */
  appVersion: string
}

export interface OpenOptions extends ConnectionOptions {
  /** Open without write access: no migration, every write fails with `project.readonly`. */
  readonly?: boolean
  /** Version of SeqLab opening the project, named in the `project.too_new` message. */
  appVersion?: string
  /**
   * How thoroughly to check the file before opening: `quick` (default) is `PRAGMA quick_check`, which reads
   * every page and finds truncation and malformed pages in time linear in the file; `full` is
   * `PRAGMA integrity_check`, which also cross-checks every index and is much slower on large projects.
   */
  integrityCheck?: 'quick' | 'full' | 'off'
}

const MAX_NAME_LENGTH = 120

export class ProjectStore {
  /** Absolute path of the project file. */
  readonly file: string
  readonly db: Database.Database
  readonly readonly: boolean
  private readonly runner: Database.Transaction<(fn: () => unknown) => unknown>

  private constructor(file: string, db: Database.Database, readonly: boolean) {
    this.file = file
    this.db = db
    this.readonly = readonly
    this.runner = db.transaction((fn: () => unknown) => fn())
  }

  /** Creates a new project file; `project.exists` if there is already a file at that path. */
  static create(file: string, opts: CreateOptions): ProjectStore {
    const absolute = path.resolve(file)
    const name = checkedName(opts.name, absolute)
    const list = opts.migrations ?? schemaMigrations
    claimNewFile(absolute)
    let db: Database.Database | undefined
    try {
      db = connect(absolute, { readonly: false, busyTimeoutMs: opts.busyTimeoutMs })
      initialise(db, list, name, opts.appVersion)
      return new ProjectStore(absolute, db, false)
    } catch (err) {
      db?.close()
      removeFileAndSideFiles(absolute)
      throw translateSqliteError(err, absolute)
    }
  }

  /** Opens, checks and (after a backup copy) migrates an existing project. */
  static open(file: string, opts: OpenOptions = {}): ProjectStore {
    const absolute = path.resolve(file)
    const readonly = opts.readonly ?? false
    const list = opts.migrations ?? schemaMigrations
    const supported = latestVersion(list)
    checkHeader(absolute, supported, opts.appVersion)
    if (!readonly) assertWritable(absolute)
    const version = checkWithSqlite(absolute, supported, opts)
    if (readonly && version < supported) throw projectErrors.needsUpgrade(absolute, version, supported)
    const db = withSqliteErrors(absolute, () =>
      connect(absolute, { readonly, busyTimeoutMs: opts.busyTimeoutMs }),
    )
    try {
      if (!readonly) withSqliteErrors(absolute, () => migrate(db, list, absolute))
      return new ProjectStore(absolute, db, readonly)
    } catch (err) {
      db.close()
      throw err
    }
  }

  get isOpen(): boolean {
    return this.db.open
  }

  schemaVersion(): number {
    return withSqliteErrors(this.file, () => userVersion(this.db))
  }

  meta(): ProjectMeta {
    const row = withSqliteErrors(this.file, () =>
      this.db
        .prepare(
          `SELECT name, created_at AS createdAt, updated_at AS updatedAt, created_by AS createdBy
           FROM project WHERE id = 1`,
        )
        .get(),
    ) as ProjectMeta | undefined
    if (!row) throw projectErrors.corrupt(this.file, 'the project record is missing')
    return { ...row }
  }

  rename(name: string): ProjectMeta {
    const checked = checkedName(name, this.file)
    this.transaction(() => {
      this.db.prepare('UPDATE project SET name = ? WHERE id = 1').run(checked)
      this.markChanged()
    })
    return this.meta()
  }

  /**
   * Bumps `updated_at` and returns it. Services call it in the transaction of any change to the project's
   * content; it never goes backwards and always moves forward, even twice in the same millisecond.
   */
  markChanged(): string {
    return this.transaction(() => {
      const previous = this.db.prepare('SELECT updated_at FROM project WHERE id = 1').pluck().get() as
        string | undefined
      const updatedAt = nextTimestamp(previous)
      this.db.prepare('UPDATE project SET updated_at = ? WHERE id = 1').run(updatedAt)
      return updatedAt
    })
  }

  counts(): ProjectCounts {
    return withSqliteErrors(this.file, () => {
      const count = (table: string) =>
        this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
      return { datasets: count('datasets'), splits: count('splits'), experiments: count('experiments') }
    })
  }

  /**
   * Runs fn in one IMMEDIATE transaction (every multi-row write goes through this): the write lock is taken
   * at the start, so a busy project fails before any work (as `project.locked`), never halfway. Calls nest
   * (inner ones become savepoints). fn must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    return withSqliteErrors(this.file, () => this.runner.immediate(fn) as T)
  }

  /** Closes the connection; the last one to close folds the WAL back into the file. Safe to call twice. */
  close(): void {
    if (this.db.open) this.db.close()
  }
}

/** Deletes a project file and its -wal/-shm side files; refuses a file that is not a SeqLab project. */
export function deleteProjectFile(file: string): void {
  const absolute = path.resolve(file)
  if (fs.existsSync(absolute)) {
    const reading = readSqliteHeader(absolute)
    if (reading.kind === 'not-sqlite') throw projectErrors.notSqlite(absolute, reading.found)
    if (reading.header.applicationId !== SEQLAB_APPLICATION_ID) throw projectErrors.notSeqlab(absolute)
  }
  removeFileAndSideFiles(absolute)
}

// ---------------------------------------------------------------------------------------------------
// Opening, step by step

function connect(
  file: string,
  opts: { readonly: boolean; busyTimeoutMs: number | undefined },
): Database.Database {
  const db = new Database(file, { readonly: opts.readonly, fileMustExist: true })
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`)
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = NORMAL')
    }
    db.pragma('foreign_keys = ON')
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** Builds the whole schema and the project row in one transaction: a new file is complete or not there. */
function initialise(
  db: Database.Database,
  list: readonly Migration[],
  name: string,
  appVersion: string,
): void {
  withForeignKeysOff(db, () =>
    db
      .transaction(() => {
        for (const migration of list) applyMigration(db, migration)
        const now = new Date().toISOString()
        db.prepare(
          'INSERT INTO project (id, name, created_at, updated_at, created_by) VALUES (1, ?, ?, ?, ?)',
        ).run(name, now, now, appVersion)
      })
      .immediate(),
  )
}

/** Checks that need only the header bytes, so they cannot touch the file or create side files. */
function checkHeader(file: string, supported: number, appVersion: string | undefined): void {
  const stat = statOrNull(file)
  if (!stat) throw projectErrors.notFound(file)
  if (stat.isDirectory()) throw projectErrors.notSqlite(file, 'a folder')
  let reading: ReturnType<typeof readSqliteHeader>
  try {
    reading = readSqliteHeader(file)
  } catch (err) {
    throw isPermissionError(err) ? projectErrors.noAccess(file, err) : err
  }
  if (reading.kind === 'not-sqlite') throw projectErrors.notSqlite(file, reading.found)
  const { header, fileSize } = reading
  if (header.applicationId !== 0 && header.applicationId !== SEQLAB_APPLICATION_ID) {
    throw projectErrors.notSeqlab(file)
  }
  // With committed changes still in the WAL the main file's header may be behind; SQLite decides then.
  if (hasPendingWal(file)) return
  if (header.userVersion > supported) {
    throw projectErrors.tooNew(file, header.userVersion, supported, appVersion)
  }
  const expectedSize = header.pageCount === undefined ? undefined : header.pageCount * header.pageSize
  if ((expectedSize !== undefined && fileSize < expectedSize) || fileSize % header.pageSize !== 0) {
    const found = `${fileSize} bytes${expectedSize ? ` of ${expectedSize}` : ''}`
    throw projectErrors.corrupt(file, 'the file is cut short (an interrupted copy or download?)', found)
  }
}

function assertWritable(file: string): void {
  const stat = fs.statSync(file)
  // No write bit at all means the user marked the file read-only; honour it even where access() would not
  // (an administrator account).
  if ((stat.mode & 0o222) === 0 || !canAccess(file, fs.constants.W_OK)) {
    throw projectErrors.readonly(file, 'the file is read-only')
  }
  // SQLite creates the -wal and -shm files beside the project.
  if (!canAccess(path.dirname(file), fs.constants.W_OK)) {
    throw projectErrors.readonly(file, 'its folder is read-only')
  }
}

/** The checks that need SQLite, on a read-only connection. Returns the file's schema version. */
function checkWithSqlite(file: string, supported: number, opts: OpenOptions): number {
  let db: Database.Database | undefined
  try {
    db = connect(file, { readonly: true, busyTimeoutMs: opts.busyTimeoutMs })
    const applicationId = db.pragma('application_id', { simple: true }) as number
    const version = userVersion(db)
    const projectColumns = (db.pragma('table_info(project)') as { name: string }[]).map((c) => c.name)
    const looksLikeProject = ['name', 'created_at', 'updated_at', 'created_by'].every((c) =>
      projectColumns.includes(c),
    )
    if (applicationId !== SEQLAB_APPLICATION_ID && !(applicationId === 0 && looksLikeProject)) {
      throw projectErrors.notSeqlab(file)
    }
    if (version > supported) throw projectErrors.tooNew(file, version, supported, opts.appVersion)
    if (!looksLikeProject) throw projectErrors.corrupt(file, 'the project table is missing')
    if (!db.prepare('SELECT 1 FROM project WHERE id = 1').get()) {
      throw projectErrors.corrupt(file, 'the project record is missing')
    }
    const problems = integrityProblems(db, opts.integrityCheck ?? 'quick')
    if (problems.length > 0) {
      throw projectErrors.corrupt(file, 'the integrity check found damaged parts', problems.join('; '))
    }
    return version
  } catch (err) {
    // Busy means locked; "not a database" behind a valid header means damaged (see translateSqliteError).
    throw err instanceof InputError ? err : translateSqliteError(err, file)
  } finally {
    db?.close()
  }
}

function integrityProblems(db: Database.Database, level: 'quick' | 'full' | 'off'): string[] {
  if (level === 'off') return []
  const pragma = level === 'full' ? 'integrity_check(3)' : 'quick_check(3)'
  const results = db.pragma(pragma, { simple: false }) as Record<string, string>[]
  const messages = results
    .flatMap((row) => String(Object.values(row)[0]).split('\n'))
    .map((line) => line.trim())
    // SQLite prefixes the list with the schema's name ("*** in database main ***"): not a problem itself.
    .filter((line) => line.length > 0 && !/^\*\*\* in database/.test(line))
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages.slice(0, 3)
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

/** Creates the empty file atomically (fails if anything is there); SQLite takes an empty file as a new db. */
function claimNewFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx'))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw projectErrors.exists(file)
    if (code === 'ENOENT' || code === 'ENOTDIR') throw projectErrors.folderNotFound(file)
    if (isPermissionError(err))
      throw projectErrors.readonly(file, 'SeqLab has no permission to write in its folder', err)
    throw err
  }
}

function isPermissionError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
}

function removeFileAndSideFiles(file: string): void {
  // The main file first: if that fails nothing is lost. A -wal left behind could otherwise be replayed into a
  // new project created later under the same name, so it goes too.
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true })
}

function checkedName(name: string, file: string): string {
  const trimmed = name.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) throw projectErrors.nameInvalid(file)
  return trimmed
}

/** Now, or 1 ms after `previous` if the clock has not moved past it (timestamps must only go forward). */
export function nextTimestamp(previous?: string): string {
  const now = Date.now()
  const last = previous === undefined ? Number.NaN : Date.parse(previous)
  return new Date(Number.isFinite(last) && last >= now ? last + 1 : now).toISOString()
}

function hasPendingWal(file: string): boolean {
  const wal = statOrNull(`${file}-wal`)
  return wal !== null && wal.size > 0
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    if (isPermissionError(err)) throw projectErrors.noAccess(file, err)
    throw err
  }
}

function canAccess(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode)
    return true
  } catch {
    return false
  }
}
