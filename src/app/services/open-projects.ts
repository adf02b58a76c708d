/**
 * The projects this process has open, addressed by an opaque, random `projectId` (valid while open), plus
 * the recent-projects list addressed by an opaque `recentId` (a hash of the path), so the renderer never
 * holds a path it could send back. Opening a file that is already open returns the same projectId.
 *
 * Later services (datasets, splits, experiments) reach a project's store through `get(projectId)`.
 */
import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProjectSummary, RecentProject } from '../../shared/contract'
import { InputError } from '../../shared/errors'
import { isInside } from '../files'
import { RecentProjects } from '../recent'
import { deleteProjectFile, ProjectStore } from '../store/project-store'

export const PROJECT_EXTENSION = '.seqlab'

export interface OpenProjectsOptions {
  appVersion: string
  appDataDir: string
  /**
   * When set (web bridge), only project files under this folder are reachable: recent entries elsewhere
   * are neither listed nor opened.
   */
  workspaceDir?: string
}

interface OpenProject {
  projectId: string
  file: string
  store: ProjectStore
}

/** The opaque id of a recent entry: stable for a path, reveals nothing of it. */
export function recentIdOf(file: string): string {
  return createHash('sha256').update(path.resolve(file)).digest('base64url').slice(0, 22)
}

/** A file-system-friendly base name for a project name; keeps letters of every script. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || 'project'
}

/** `dir/slug.seqlab`, or `dir/slug-2.seqlab`, … whichever does not exist yet. */
export function uniqueProjectFile(dir: string, name: string): string {
  const slug = slugOf(name)
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, `${slug}${n === 1 ? '' : `-${n}`}${PROJECT_EXTENSION}`)
    if (!fs.existsSync(candidate)) return candidate
  }
}

/** The real path of a file, or of its folder joined with its name when it does not exist (yet). */
function canonical(file: string): string {
  const abs = path.resolve(file)
  try {
    return fs.realpathSync.native(abs)
  } catch {
    try {
      return path.join(fs.realpathSync.native(path.dirname(abs)), path.basename(abs))
    } catch {
      return abs
    }
  }
}

export class OpenProjects {
  private readonly byId = new Map<string, OpenProject>()
  private readonly byFile = new Map<string, OpenProject>()
  readonly recent: RecentProjects
  private readonly workspaceReal?: string

  constructor(private readonly options: OpenProjectsOptions) {
    this.recent = new RecentProjects(options.appDataDir)
    if (options.workspaceDir) this.workspaceReal = canonical(options.workspaceDir)
  }

  /** The store of an open project, or InputError 'project.not_open'. */
  get(projectId: string): ProjectStore {
    return this.entry(projectId).store
  }

  fileOf(projectId: string): string {
    return this.entry(projectId).file
  }

  isOpen(projectId: string): boolean {
    return this.byId.has(projectId)
  }

  ids(): string[] {
    return [...this.byId.keys()]
  }

  create(file: string, name: string): ProjectSummary {
    const target = canonical(file)
    this.assertReachable(target)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    const store = ProjectStore.create(target, { name, appVersion: this.options.appVersion })
    return this.track(target, store)
  }

  open(file: string): ProjectSummary {
    const target = canonical(file)
    this.assertReachable(target)
    const already = this.byFile.get(target)
    if (already) {
      this.recent.touch(target, already.store.meta().name)
      return this.summary(already.projectId)
    }
    const store = ProjectStore.open(target, { appVersion: this.options.appVersion })
    return this.track(target, store)
  }

  openRecent(recentId: string): ProjectSummary {
    return this.open(this.recentFile(recentId))
  }

  rename(projectId: string, name: string): ProjectSummary {
    const entry = this.entry(projectId)
    entry.store.rename(name)
    this.recent.rename(entry.file, name)
    return this.summary(projectId)
  }

  close(projectId: string): void {
    const entry = this.entry(projectId)
    this.byId.delete(projectId)
    this.byFile.delete(entry.file)
    entry.store.close()
  }

  /** Closes the project if open, deletes its file (and WAL side files), forgets it in the recent list. */
  delete(target: { projectId: string } | { recentId: string }): void {
    const file = 'projectId' in target ? this.entry(target.projectId).file : this.recentFile(target.recentId)
    const open = this.byFile.get(file)
    if (open) this.close(open.projectId)
    if (fs.existsSync(file)) deleteProjectFile(file)
    this.recent.forget(file)
  }

  forgetRecent(recentId: string): void {
    const entry = this.recent.list().find((r) => recentIdOf(r.file) === recentId)
    if (entry) this.recent.forget(entry.file)
  }

  listRecent(): RecentProject[] {
    return this.recent
      .list()
      .filter((r) => this.reachable(canonical(r.file)))
      .map((r) => ({
        recentId: recentIdOf(r.file),
        name: r.name,
        displayPath: this.displayPath(r.file),
        lastOpenedAt: r.lastOpenedAt,
        exists: fs.existsSync(r.file),
      }))
  }

  summary(projectId: string): ProjectSummary {
    const { store, file } = this.entry(projectId)
    const meta = store.meta()
    return {
      projectId,
      name: meta.name,
      displayPath: this.displayPath(file),
      schemaVersion: store.schemaVersion(),
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
      counts: store.counts(),
    }
  }

  closeAll(): void {
    for (const id of [...this.byId.keys()]) this.close(id)
  }

  private track(file: string, store: ProjectStore): ProjectSummary {
    const projectId = randomBytes(12).toString('base64url')
    const entry = { projectId, file, store }
    this.byId.set(projectId, entry)
    this.byFile.set(file, entry)
    this.recent.touch(file, store.meta().name)
    return this.summary(projectId)
  }

  private entry(projectId: string): OpenProject {
    const entry = this.byId.get(projectId)
    if (!entry) {
      throw new InputError(
        'project.not_open',
        'This project is not open (it may have been closed): open it again.',
        {
          found: projectId,
        },
      )
    }
    return entry
  }

  private recentFile(recentId: string): string {
    const entry = this.recent.list().find((r) => recentIdOf(r.file) === recentId)
    if (!entry || !this.reachable(canonical(entry.file))) {
      throw new InputError('project.unknown_recent', 'This project is no longer in the recent list.', {
        found: recentId,
      })
    }
    return canonical(entry.file)
  }

  private reachable(file: string): boolean {
    return this.workspaceReal === undefined || isInside(this.workspaceReal, file)
  }

  private assertReachable(file: string): void {
    if (!this.reachable(file)) {
      throw new InputError(
        'files.outside_workspace',
        `"${path.basename(file)}" is not inside the workspace folder.`,
        {
          file: path.basename(file),
        },
      )
    }
  }

  /** Inside the workspace, the path relative to it (what the web user knows); elsewhere the full path. */
  private displayPath(file: string): string {
    if (this.workspaceReal !== undefined) {
      const real = canonical(file)
      if (isInside(this.workspaceReal, real))
        return path.relative(this.workspaceReal, real).split(path.sep).join('/')
    }
    return file
  }
}
