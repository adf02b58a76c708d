/**
 * The API contract: every call the renderer (or any other client) can make, and every event it can
 * receive, each with a zod schema. The services implement it (`src/app/services`); the Electron IPC
 * (`src/main`, `src/preload`) and the web bridge (`src/server`) both validate every argument against it.
 *
 * The renderer imports only *types* from here (`import type`), so zod is not bundled into the UI.
 * To add a call: add its schemas to `calls`, implement it in the services' handler table (the type
 * checker then insists), and call it from the renderer through `api.call('name', input)`.
 */
import { z } from 'zod'
import type { ErrorData } from './errors'
import { datasetCalls } from './contract-datasets'
import { grnCalls } from './contract-grn'
import { experimentCalls } from './contract-experiments'
import { compareCalls } from './contract-compare'
import { reportCalls } from './contract-reports'
import { interpretCalls } from './contract-interpret'
import { predictCalls } from './contract-predict'

// ---------------------------------------------------------------------------------------------------
// Shared shapes

/**
 * An opaque reference to a file the user chose: a path picked in a native dialog (Electron), an upload
 * or a path under the workspace (web bridge). Only the process that issued it can resolve it.
 */
export const FileRef = z.object({
  id: z.string().min(1).max(200),
  /** The base name, for display. */
  name: z.string(),
})
export type FileRef = z.infer<typeof FileRef>

/** An open project, as the renderer addresses it (opaque id, valid while the project is open). */
export const ProjectId = z.string().min(1).max(200)

export const ProjectName = z
  .string()
  .trim()
  .min(1, 'A project needs a name.')
  .max(120, 'A project name has at most 120 characters.')

export const ProjectSummary = z.object({
  projectId: ProjectId,
  name: z.string(),
  /** The project file's path, for display only: the renderer cannot pass it back. */
  displayPath: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  counts: z.object({
    datasets: z.number().int(),
    splits: z.number().int(),
    experiments: z.number().int(),
  }),
})
export type ProjectSummary = z.infer<typeof ProjectSummary>

export const RecentProject = z.object({
  /** Opaque id of the recent entry (the renderer never sees a path it could send back). */
  recentId: z.string(),
  name: z.string(),
  displayPath: z.string(),
  lastOpenedAt: z.string(),
  /** False when the file has been moved or deleted since. */
  exists: z.boolean(),
})
export type RecentProject = z.infer<typeof RecentProject>

export const EngineInfo = z.object({
  /** The TensorFlow.js backend in use: 'tensorflow' (native), 'wasm' (the offline default) or 'cpu'. */
  backend: z.enum(['tensorflow', 'wasm', 'cpu']),
  /** Every backend that was tried, in order, and why the better ones were not used. */
  tried: z.array(z.object({ backend: z.string(), ok: z.boolean(), reason: z.string().optional() })),
  tfjsVersion: z.string(),
  /** Threads the wasm backend may use (1 when SIMD threads are unavailable). */
  threads: z.number().int(),
})
export type EngineInfo = z.infer<typeof EngineInfo>

export const AppInfo = z.object({
  version: z.string(),
  transport: z.enum(['electron', 'web']),
  runtime: z.object({
    node: z.string(),
    electron: z.string().optional(),
    sqlite: z.string(),
    platform: z.string(),
  }),
  /** What the client may offer: native dialogs in Electron, uploads and workspace paths on the web. */
  capabilities: z.object({
    nativeDialogs: z.boolean(),
    upload: z.boolean(),
    workspace: z.boolean(),
  }),
})
export type AppInfo = z.infer<typeof AppInfo>

export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled'])
export type JobState = z.infer<typeof JobState>

export const JobInfo = z.object({
  jobId: z.string(),
  kind: z.string(),
  title: z.string(),
  projectId: ProjectId.optional(),
  state: JobState,
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Estimated seconds left, when progress allows an estimate. */
  etaSeconds: z.number().optional(),
  error: z.unknown().optional(),
})
export type JobInfo = z.infer<typeof JobInfo>

export const WorkspaceEntry = z.object({
  name: z.string(),
  /** Path relative to the workspace, with '/' separators. */
  relativePath: z.string(),
  kind: z.enum(['file', 'directory']),
  size: z.number().int().optional(),
})
export type WorkspaceEntry = z.infer<typeof WorkspaceEntry>

const FileFilter = z.object({ name: z.string(), extensions: z.array(z.string()) })

// ---------------------------------------------------------------------------------------------------
// Calls

const empty = z.object({}).strict()
const ok = z.object({ ok: z.literal(true) })

const baseCalls = {
  'app.info': { input: empty, output: AppInfo },
  'engine.info': { input: empty, output: EngineInfo },

  'projects.recent': { input: empty, output: z.array(RecentProject) },
  /** Creates a project. Without `location` it goes to the default projects folder under a unique name. */
  'projects.create': {
    input: z.object({ name: ProjectName, location: FileRef.optional() }).strict(),
    output: ProjectSummary,
  },
  'projects.open': {
    input: z.union([
      z.object({ file: FileRef }).strict(),
      z.object({ recentId: z.string().min(1) }).strict(),
    ]),
    output: ProjectSummary,
  },
  'projects.info': { input: z.object({ projectId: ProjectId }).strict(), output: ProjectSummary },
  'projects.rename': {
    input: z.object({ projectId: ProjectId, name: ProjectName }).strict(),
    output: ProjectSummary,
  },
  'projects.close': { input: z.object({ projectId: ProjectId }).strict(), output: ok },
  /** Deletes the project file (and its WAL side files) and removes it from the recent list. */
  'projects.delete': {
    input: z.union([
      z.object({ projectId: ProjectId }).strict(),
      z.object({ recentId: z.string().min(1) }).strict(),
    ]),
    output: ok,
  },
  'projects.forgetRecent': { input: z.object({ recentId: z.string().min(1) }).strict(), output: ok },

  /** Native open dialog (Electron only). `null` when the user cancelled. */
  'files.pickOpen': {
    input: z
      .object({ title: z.string().optional(), filters: z.array(FileFilter).optional() })
      .strict(),
    output: FileRef.nullable(),
  },
  /** Native save dialog (Electron only). `null` when the user cancelled. */
  'files.pickSave': {
    input: z
      .object({
        title: z.string().optional(),
        defaultName: z.string().optional(),
        filters: z.array(FileFilter).optional(),
      })
      .strict(),
    output: FileRef.nullable(),
  },
  /** Lists a folder under the workspace (web bridge started with `--workspace`). */
  'files.listWorkspace': {
    input: z.object({ relativePath: z.string().max(4096).default('') }).strict(),
    output: z.array(WorkspaceEntry),
  },
  /** Turns a path under the workspace into a file reference; paths outside it are refused. */
  'files.workspaceRef': {
    input: z
      .object({ relativePath: z.string().min(1).max(4096), mode: z.enum(['read', 'write']) })
      .strict(),
    output: FileRef,
  },

  'jobs.list': { input: empty, output: z.array(JobInfo) },
  'jobs.cancel': { input: z.object({ jobId: z.string() }).strict(), output: ok },
} as const

/** Every call: the base ones above, plus each workflow's group, kept in its own module. */
export const calls = {
  ...baseCalls,
  ...datasetCalls,
  ...grnCalls,
  ...experimentCalls,
  ...compareCalls,
  ...reportCalls,
  ...interpretCalls,
  ...predictCalls,
} as const

export type Calls = typeof calls
export type CallName = keyof Calls
/** What a caller passes (defaults not yet applied). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
/** What a handler receives (validated, defaults applied). */
export type CallParsedInput<N extends CallName> = z.output<Calls[N]['input']>
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>

// ---------------------------------------------------------------------------------------------------
// Events (server → client)

export const events = {
  'job.updated': JobInfo,
  'project.changed': z.object({ projectId: ProjectId, summary: ProjectSummary }),
} as const

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

// ---------------------------------------------------------------------------------------------------
// The envelope every transport uses for a call's result.

export type CallResult<N extends CallName> =
  | { ok: true; value: CallOutput<N> }
  | { ok: false; error: ErrorData }

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name)
}

/** The client side, the same in Electron (preload) and in the browser (web bridge client). */
export interface SeqLabApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void
  /** Streaming upload into the workspace (web bridge only); absent in Electron. */
  upload?: (file: Blob & { name: string }, onProgress?: (sent: number, total: number) => void) => Promise<FileRef>
}
