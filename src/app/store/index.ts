/** The project store's public face: the store, its schema migrations and its error codes. */
export {
  CURRENT_SCHEMA_VERSION,
  DEFAULT_BUSY_TIMEOUT_MS,
  ProjectStore,
  SEQLAB_APPLICATION_ID,
  deleteProjectFile,
  nextTimestamp,
  type CreateOptions,
  type OpenOptions,
  type ProjectCounts,
  type ProjectMeta,
} from './project-store'
export { migrations, latestVersion, type Migration } from './migrations'
export { migrate, writeBackup, type MigrationOutcome } from './migrate'
export { PROJECT_ERROR_CODES, translateSqliteError, withSqliteErrors, type ProjectErrorCode } from './errors'
