/**
 * The list of recently opened projects, kept in `recent-projects.json` in the app's data folder.
 *
 * It is a convenience, never a reason to fail: a missing or damaged file reads as an empty list, malformed
 * entries are dropped, and writes go to a temporary file renamed over the old one, so a crash mid-write
 * leaves either the old list or the new one. Entries are keyed by absolute path (case-insensitively where
 * the file system usually is), newest first, capped.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

export interface RecentEntry {
  /** Absolute path of the project file. */
  file: string
  name: string
  /** ISO 8601 UTC. */
  lastOpenedAt: string
}

export const RECENT_FILE_NAME = 'recent-projects.json'
const DEFAULT_MAX = 20

export class RecentProjects {
  readonly storeFile: string
  private readonly max: number

  constructor(appDataDir: string, opts: { max?: number } = {}) {
    this.storeFile = path.join(path.resolve(appDataDir), RECENT_FILE_NAME)
    this.max = Math.max(1, Math.floor(opts.max ?? DEFAULT_MAX))
  }

  /** Newest first. */
  list(): RecentEntry[] {
    return this.read().slice(0, this.max)
  }

  /** Puts the project at the top (adding it, or moving it up and updating its name). */
  touch(file: string, name: string): void {
    const absolute = path.resolve(file)
    const entry: RecentEntry = { file: absolute, name, lastOpenedAt: new Date().toISOString() }
    this.write([entry, ...this.read().filter((e) => !samePath(e.file, absolute))])
  }

  /** Updates the name shown for a project without moving it (after a rename). No-op if it is not listed. */
  rename(file: string, name: string): void {
    const absolute = path.resolve(file)
    const entries = this.read()
    const entry = entries.find((e) => samePath(e.file, absolute))
    if (!entry || entry.name === name) return
    entry.name = name
    this.write(entries)
  }

  forget(file: string): void {
    const absolute = path.resolve(file)
    const entries = this.read()
    const kept = entries.filter((e) => !samePath(e.file, absolute))
    if (kept.length !== entries.length) this.write(kept)
  }

  private read(): RecentEntry[] {
    let parsed: unknown
    try {
      parsed = JSON.parse(fs.readFileSync(this.storeFile, 'utf8'))
    } catch {
      // Missing, unreadable or not JSON: the list starts empty and the next write replaces the file.
      return []
    }
    const raw = Array.isArray(parsed)
      ? parsed
      : isRecord(parsed) && Array.isArray(parsed.projects)
        ? parsed.projects
        : []
    const entries: RecentEntry[] = []
    for (const item of raw as unknown[]) {
      const entry = toEntry(item)
      if (entry && !entries.some((e) => samePath(e.file, entry.file))) entries.push(entry)
    }
    return entries
  }

  private write(entries: RecentEntry[]): void {
    fs.mkdirSync(path.dirname(this.storeFile), { recursive: true })
    const temporary = `${this.storeFile}.${process.pid}.${Date.now()}.tmp`
    const body = JSON.stringify({ version: 1, projects: entries.slice(0, this.max) }, null, 2) + '\n'
    try {
      fs.writeFileSync(temporary, body, 'utf8')
      fs.renameSync(temporary, this.storeFile)
    } catch (err) {
      fs.rmSync(temporary, { force: true })
      throw err
    }
  }
}

function toEntry(item: unknown): RecentEntry | undefined {
  if (!isRecord(item)) return undefined
  const { file, name, lastOpenedAt } = item
  if (typeof file !== 'string' || !path.isAbsolute(file)) return undefined
  if (typeof name !== 'string' || typeof lastOpenedAt !== 'string') return undefined
  return { file, name, lastOpenedAt }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Windows and macOS file systems are case-insensitive by default; Linux ones are not. */
function samePath(a: string, b: string): boolean {
  const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin'
  return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b
}
