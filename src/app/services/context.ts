/**
 * What a group of handlers (data sets, experiments, …) receives from `createServices`: the shared
 * registries, so each workflow's handlers live in their own module without reaching into another's.
 */
import type { CallName } from '../../shared/contract'
import type { FileRegistry } from '../files'
import type { JobManager } from '../jobs/job-manager'
import type { Handlers } from './dispatch'
import type { EventBus } from './events'
import type { OpenProjects } from './open-projects'
import type { ServicesOptions } from './index'

export interface ServiceContext {
  options: Readonly<ServicesOptions>
  events: EventBus
  files: FileRegistry
  jobs: JobManager
  projects: OpenProjects
  /** The web bridge's workspace (absolute), when there is one. */
  workspaceDir?: string
}

/** The handlers of the calls named by `Group` (e.g. `keyof typeof datasetCalls`). */
export type HandlerGroup<Group extends CallName> = Pick<Handlers, Group>
