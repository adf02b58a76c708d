/**
 * Checks, before anything else runs, that the native database module works in this Electron. The usual failure
 * is a better-sqlite3 binary built for plain Node (what `npm install` compiles) rather than for Electron's
 * Node, whose module ABI differs: loading it throws "was compiled against a different Node.js version using
 * NODE_MODULE_VERSION ...". The user gets one plain message with the fix and the app quits, instead of a
 * stack trace dialog. No Electron import here: the shell shows the message, tests call it in Node.
 */
// better-sqlite3's JavaScript loads anywhere; its native binary is loaded by the first `new Database`.
import Database from 'better-sqlite3'

export interface RuntimeProblem {
  title: string
  message: string
}

export const REBUILD_COMMAND = 'npx @electron/rebuild -f -w better-sqlite3'

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0]!.trim()
}

/** Turns a failure to load better-sqlite3 into the message shown to the user. */
export function describeDatabaseModuleFailure(err: unknown): RuntimeProblem {
  const text = err instanceof Error ? err.message : String(err)
  if (/NODE_MODULE_VERSION/.test(text)) {
    const [, builtFor, needed] = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(text) ?? []
    const detail = builtFor && needed ? ` (module ABI ${builtFor}, this Electron needs ${needed})` : ''
    return {
      title: 'SeqLab cannot start',
      message:
        `SeqLab's database module was built for Node, not for this Electron${detail}: ` +
        `run \`${REBUILD_COMMAND}\` in the SeqLab folder, then start SeqLab again.`,
    }
  }
  return {
    title: 'SeqLab cannot start',
    message:
      `SeqLab's database module (better-sqlite3) could not be loaded: ${firstLine(err)}\n\n` +
      `If you built SeqLab yourself, reinstall its dependencies and run \`${REBUILD_COMMAND}\`.`,
  }
}

/**
 * Loads better-sqlite3 and opens an in-memory database (the native part loads only then).
 * Returns the problem to report, or null when all is well.
 */
export function checkDatabaseModule(load: () => unknown = defaultLoad): RuntimeProblem | null {
  try {
    load()
    return null
  } catch (err) {
    return describeDatabaseModuleFailure(err)
  }
}

function defaultLoad(): void {
  new Database(':memory:').close()
}
