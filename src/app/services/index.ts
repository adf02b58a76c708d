/**
 * The services: one implementation of every call of the contract (`src/shared/contract.ts`), shared by
 * the Electron shell, the web bridge and the CLI. `createServices` wires the open projects, file
 * references, the job manager and the event bus, and returns the handler table plus `dispatch`, the
 * validating entry point each transport calls.
 *
 * Transport differences are options, not code paths in the transports: Electron passes `platform` (native
 * dialogs); the web bridge passes `workspaceDir` (the only folder reachable by path).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { FileRegistry, listWorkspace, resolveInWorkspace, type FileMode } from '../files'
import { JobManager } from '../jobs/job-manager'
import { createDispatch, type Dispatch, type Handlers } from './dispatch'
import { EventBus } from './events'
import { OpenProjects, PROJECT_EXTENSION, uniqueProjectFile } from './open-projects'
import { appInfo } from './app-info'
import type { ServiceContext } from './context'
import { datasetHandlers } from '../datasets/handlers'
import { grnHandlers } from '../grn/handlers'
import { experimentHandlers } from '../experiments/handlers'
import { compareHandlers } from '../compare/handlers'
import { reportHandlers } from '../reports/handlers'
import { interpretHandlers } from '../interpret/handlers'
import { predictHandlers } from '../predict/handlers'
import { InputError } from '../../shared/errors'
import type { FileRef } from '../../shared/contract'

export interface FileFilter {
  name: string
  extensions: string[]
}

/** Native dialogs, supplied by Electron's main process; absent on the web. */
export interface PlatformDialogs {
  pickOpen(o: { title?: string; filters?: FileFilter[] }): Promise<string | null>
  pickSave(o: { title?: string; defaultName?: string; filters?: FileFilter[] }): Promise<string | null>
}

export interface ServicesOptions {
  appVersion: string
  /** The recent-projects list lives here. */
  appDataDir: string
  /** Where 'projects.create' without a location puts new projects (the workspace on the web). */
  defaultProjectsDir: string
  transport: 'electron' | 'web'
  /** Web bridge: the only folder reachable by path. */
  workspaceDir?: string
  platform?: PlatformDialogs
  runtime?: { electron?: string }
  /** Called with every error that is a bug rather than the user's mistake (default: console.error). */
  onInternalError?: (name: string, err: unknown) => void
}

export interface Services {
  handlers: Handlers
  dispatch: Dispatch
  events: EventBus
  files: FileRegistry
  jobs: JobManager
  projects: OpenProjects
  options: Readonly<ServicesOptions>
  close(): void
}

export { EventBus } from './events'
export type { BusEvent, EventListener } from './events'

export function createServices(options: ServicesOptions): Services {
  const events = new EventBus()
  const files = new FileRegistry()
  const jobs = new JobManager(events)
  const workspaceDir = options.workspaceDir ? path.resolve(options.workspaceDir) : undefined
  const projects = new OpenProjects({
    appVersion: options.appVersion,
    appDataDir: options.appDataDir,
    workspaceDir,
  })
  const projectsDir = options.transport === 'web' && workspaceDir ? workspaceDir : options.defaultProjectsDir

  const requireWorkspace = (): string => {
    if (!workspaceDir) {
      throw new InputError(
        'files.no_workspace',
        'No workspace folder: start the web bridge with --workspace.',
      )
    }
    return workspaceDir
  }
  const requireDialogs = (): PlatformDialogs => {
    if (!options.platform) {
      throw new InputError('files.no_dialog', 'File dialogs are only available in the desktop app.')
    }
    return options.platform
  }
  const changed = (projectId: string) => {
    events.emit('project.changed', { projectId, summary: projects.summary(projectId) })
  }

  const context: ServiceContext = { options, events, files, jobs, projects, workspaceDir }

  const handlers: Handlers = {
    ...datasetHandlers(context),
    ...grnHandlers(context),
    ...experimentHandlers(context),
    ...compareHandlers(context),
    ...reportHandlers(context),
    ...interpretHandlers(context),
    ...predictHandlers(context),
    'app.info': () => appInfo(options),
    'engine.info': async () => (await import('../engine')).getEngineInfo(),

    'projects.recent': () => projects.listRecent(),
    'projects.create': ({ name, location }) => {
      const file = location
        ? withProjectExtension(files.resolve(location, 'write'))
        : uniqueProjectFile(projectsDir, name)
      return projects.create(file, name)
    },
    'projects.open': (input) =>
      'file' in input
        ? projects.open(files.resolve(input.file, 'read'))
        : projects.openRecent(input.recentId),
    'projects.info': ({ projectId }) => projects.summary(projectId),
    'projects.rename': ({ projectId, name }) => {
      const summary = projects.rename(projectId, name)
      changed(projectId)
      return summary
    },
    'projects.close': ({ projectId }) => {
      cancelProjectJobs(jobs, projectId)
      projects.close(projectId)
      return { ok: true as const }
    },
    'projects.delete': (input) => {
      if ('projectId' in input) cancelProjectJobs(jobs, input.projectId)
      projects.delete(input)
      return { ok: true as const }
    },
    'projects.forgetRecent': ({ recentId }) => {
      projects.forgetRecent(recentId)
      return { ok: true as const }
    },

    'files.pickOpen': async (o) => {
      const picked = await requireDialogs().pickOpen(o)
      return picked === null ? null : files.register(picked, 'read')
    },
    'files.pickSave': async (o) => {
      const picked = await requireDialogs().pickSave(o)
      return picked === null ? null : files.register(picked, 'write')
    },
    'files.listWorkspace': ({ relativePath }) => listWorkspace(requireWorkspace(), relativePath),
    'files.workspaceRef': ({ relativePath, mode }) =>
      workspaceRef(files, requireWorkspace(), relativePath, mode),

    'jobs.list': () => jobs.list(),
    'jobs.cancel': ({ jobId }) => {
      jobs.cancel(jobId)
      return { ok: true as const }
    },
  }

  const dispatch = createDispatch(handlers, {
    onInternalError:
      options.onInternalError ?? ((name, err) => console.error(`[seqlab] ${name} failed:`, err)),
  })

  return {
    handlers,
    dispatch,
    events,
    files,
    jobs,
    projects,
    options,
    close() {
      jobs.cancelAll()
      projects.closeAll()
    },
  }
}

/** A save dialog may return a name without the extension; a project file always has it. */
function withProjectExtension(file: string): string {
  return path.extname(file).toLowerCase() === PROJECT_EXTENSION ? file : file + PROJECT_EXTENSION
}

function workspaceRef(
  files: FileRegistry,
  workspaceDir: string,
  relativePath: string,
  mode: FileMode,
): FileRef {
  const file = resolveInWorkspace(workspaceDir, relativePath, { mustExist: mode === 'read' })
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new InputError('files.is_directory', `"${relativePath}" is a folder, not a file.`, {
      found: relativePath,
    })
  }
  return files.register(file, mode)
}

function cancelProjectJobs(jobs: JobManager, projectId: string): void {
  for (const job of jobs.list()) {
    if (job.projectId === projectId && job.state === 'running') jobs.cancel(job.jobId)
  }
}
