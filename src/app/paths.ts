/**
 * Where SeqLab keeps its own files on each operating system: the app-data folder (recent projects list,
 * settings) and the default folder for new projects. Plain functions of (platform, env, home) so the CLI,
 * the Electron shell and tests agree, and tests can ask for another OS's answer.
 */
import * as os from 'node:os'
import * as path from 'node:path'

export const APP_DIR_NAME = 'SeqLab'
/** Environment variable that overrides the app-data folder (CLI, tests, portable installs). */
export const APP_DATA_ENV = 'SEQLAB_APP_DATA'

export interface PlatformContext {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  home: string
}

function currentContext(): PlatformContext {
  return { platform: process.platform, env: process.env, home: os.homedir() }
}

/** The OS's conventional per-user application data folder for SeqLab (ignores the override). */
export function osAppDataDir(ctx: PlatformContext = currentContext()): string {
  // Use the platform's own path flavour so a Windows answer is right even when computed elsewhere.
  const p = ctx.platform === 'win32' ? path.win32 : path.posix
  switch (ctx.platform) {
    case 'win32':
      return p.join(ctx.env.APPDATA || p.join(ctx.home, 'AppData', 'Roaming'), APP_DIR_NAME)
    case 'darwin':
      return p.join(ctx.home, 'Library', 'Application Support', APP_DIR_NAME)
    default:
      return p.join(ctx.env.XDG_CONFIG_HOME || p.join(ctx.home, '.config'), APP_DIR_NAME)
  }
}

/** The app-data folder in force: an explicit choice, else `$SEQLAB_APP_DATA`, else the OS default. */
export function resolveAppDataDir(explicit?: string, ctx: PlatformContext = currentContext()): string {
  if (explicit) return path.resolve(explicit)
  const fromEnv = ctx.env[APP_DATA_ENV]
  if (fromEnv) return path.resolve(fromEnv)
  return osAppDataDir(ctx)
}

/** Where new projects go when the user did not choose a location: `~/Documents/SeqLab` (or `~/SeqLab`). */
export function defaultProjectsDir(ctx: PlatformContext = currentContext()): string {
  const p = ctx.platform === 'win32' ? path.win32 : path.posix
  return p.join(ctx.home, 'Documents', APP_DIR_NAME)
}
