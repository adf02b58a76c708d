/**
 * 'app.info': the version, transport, runtime versions and what the client may offer (native dialogs in
 * Electron, uploads and workspace paths on the web), so the UI shows only what works where it runs.
 */
import Database from 'better-sqlite3'
import type { AppInfo } from '../../shared/contract'

let sqliteVersionCache: string | undefined

/** The SQLite library's version as better-sqlite3 was built with it (asked once). */
export function sqliteVersion(): string {
  if (sqliteVersionCache === undefined) {
    const db = new Database(':memory:')
    try {
      sqliteVersionCache = (db.prepare('select sqlite_version() as v').get() as { v: string }).v
    } finally {
      db.close()
    }
  }
  return sqliteVersionCache
}

export interface AppInfoOptions {
  appVersion: string
  transport: 'electron' | 'web'
  workspaceDir?: string
  platform?: unknown
  runtime?: { electron?: string }
}

export function appInfo(o: AppInfoOptions): AppInfo {
  return {
    version: o.appVersion,
    transport: o.transport,
    runtime: {
      node: process.versions.node,
      ...(o.runtime?.electron ? { electron: o.runtime.electron } : {}),
      sqlite: sqliteVersion(),
      platform: process.platform,
    },
    capabilities: {
      nativeDialogs: !!o.platform,
      upload: o.transport === 'web',
      workspace: !!o.workspaceDir,
    },
  }
}
