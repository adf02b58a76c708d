/**
 * The project store's input errors: one constructor per code, so every place that fails the same way says
 * the same thing, and the translation of SQLite's raw failures (busy, read-only, malformed) into them.
 *
 * Messages name the file by its base name only (the renderer must never receive a path it could reuse) and
 * say what to do. The UI translates them by code (`errors.<code>`), with `params.file` and the other params.
 */
import * as path from 'node:path'
import Database from 'better-sqlite3'
import { InputError } from '../../shared/errors'

/** Every code the store can throw, for the i18n catalogue and its completeness test. */
export const PROJECT_ERROR_CODES = [
  'project.not_found',
  'project.not_sqlite',
  'project.not_seqlab',
  'project.too_new',
  'project.needs_upgrade',
  'project.corrupt',
  'project.locked',
  'project.readonly',
  'project.no_access',
  'project.exists',
  'project.folder_not_found',
  'project.disk_full',
  'project.name_invalid',
] as const
export type ProjectErrorCode = (typeof PROJECT_ERROR_CODES)[number]

function projectError(
  code: ProjectErrorCode,
  file: string,
  message: string,
  extra: {
    expected?: string
    found?: string
    params?: Record<string, string | number>
    cause?: unknown
  } = {},
): InputError {
  const name = path.basename(file)
  return new InputError(code, message, {
    file: name,
    expected: extra.expected,
    found: extra.found,
    params: { file: name, ...extra.params },
    cause: extra.cause,
  })
}

const q = (file: string) => `"${path.basename(file)}"`

export const projectErrors = {
  notFound: (file: string) =>
    projectError(
      'project.not_found',
      file,
      `The project file ${q(file)} was not found. It may have been moved, renamed or deleted; open it from where it is now.`,
    ),
  notSqlite: (file: string, found: string) =>
    projectError(
      'project.not_sqlite',
      file,
      `${q(file)} is not a SeqLab project (it is not a database file). Choose a .seqlab file made by SeqLab.`,
      { expected: 'a SeqLab project (.seqlab)', found },
    ),
  notSeqlab: (file: string) =>
    projectError(
      'project.not_seqlab',
      file,
      `${q(file)} is a database made by another program, not a SeqLab project. Choose a .seqlab file made by SeqLab.`,
      { expected: 'a SeqLab project (.seqlab)', found: 'an SQLite database of another program' },
    ),
  tooNew: (file: string, fileVersion: number, supported: number, appVersion: string | undefined) =>
    projectError(
      'project.too_new',
      file,
      `${q(file)} was saved by a newer SeqLab (project format version ${fileVersion}; this SeqLab` +
        `${appVersion ? ` ${appVersion}` : ''} reads up to version ${supported}). Install a newer SeqLab to open it. ` +
        `The file was left unchanged.`,
      {
        expected: `project format version ${supported} or older`,
        found: `version ${fileVersion}`,
        params: { version: fileVersion, supported, appVersion: appVersion ?? '' },
      },
    ),
  needsUpgrade: (file: string, fileVersion: number, current: number) =>
    projectError(
      'project.needs_upgrade',
      file,
      `${q(file)} uses an older project format (version ${fileVersion}; this SeqLab uses version ${current}) and was ` +
        `opened read-only, so it cannot be upgraded. Open it once with write access; SeqLab keeps a backup copy first.`,
      { params: { version: fileVersion, current } },
    ),
  /** `summary` is plain words for the message; `found` the technical detail (SQLite's own report). */
  corrupt: (file: string, summary: string, found?: string, cause?: unknown) =>
    projectError(
      'project.corrupt',
      file,
      `${q(file)} is damaged and cannot be opened: ${summary}. Restore it from a backup copy; the file was left unchanged.`,
      { found: found ?? summary, params: { detail: summary }, cause },
    ),
  locked: (file: string, cause?: unknown) =>
    projectError(
      'project.locked',
      file,
      `${q(file)} is open elsewhere (another SeqLab window, the command line or a web session) and is busy right now. ` +
        `Wait for that work to finish or close the project there, then try again.`,
      { cause },
    ),
  readonly: (file: string, why: string, cause?: unknown) =>
    projectError(
      'project.readonly',
      file,
      `${q(file)} cannot be changed: ${why}. Make it writable, or copy the project to a folder you can write to, ` +
        `then open it again.`,
      { params: { reason: why }, cause },
    ),
  noAccess: (file: string, cause?: unknown) =>
    projectError(
      'project.no_access',
      file,
      `SeqLab has no permission to read ${q(file)} or its folder. Ask for access, or copy the project somewhere you can read it.`,
      { cause },
    ),
  exists: (file: string) =>
    projectError(
      'project.exists',
      file,
      `A file named ${q(file)} already exists there. Choose another name or folder; the existing file was not touched.`,
    ),
  folderNotFound: (file: string) =>
    projectError(
      'project.folder_not_found',
      file,
      `The folder for ${q(file)} does not exist. Choose an existing folder.`,
    ),
  diskFull: (file: string, cause?: unknown) =>
    projectError(
      'project.disk_full',
      file,
      `The disk holding ${q(file)} is full, so the change was not saved. Free some space and try again.`,
      { cause },
    ),
  nameInvalid: (file: string) =>
    projectError('project.name_invalid', file, 'A project needs a name of 1 to 120 characters.', {
      expected: '1 to 120 characters',
    }),
}

/** An error raised by SQLite itself; `code` is SQLite's extended result code, e.g. `SQLITE_BUSY`. */
export type SqliteError = InstanceType<typeof Database.SqliteError>

export function isSqliteError(err: unknown): err is SqliteError {
  return err instanceof Database.SqliteError
}

/**
 * SQLite's failures that are about the file or the machine, not about SeqLab's code, as input errors; any
 * other error (a constraint violated, bad SQL: bugs) comes back unchanged.
 */
export function translateSqliteError(err: unknown, file: string): unknown {
  if (!isSqliteError(err)) return err
  const code = err.code
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return projectErrors.locked(file, err)
  if (code.startsWith('SQLITE_READONLY')) return projectErrors.readonly(file, 'it is read-only', err)
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ') {
    return projectErrors.corrupt(file, 'parts of it cannot be read', err.message, err)
  }
  if (code === 'SQLITE_FULL') return projectErrors.diskFull(file, err)
  return err
}

/** Runs `fn`, rethrowing SQLite's file-level failures as the store's input errors. */
export function withSqliteErrors<T>(file: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw translateSqliteError(err, file)
  }
}
