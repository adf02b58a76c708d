/**
 * Long work as jobs: each job runs a function that takes an `AbortSignal` and reports progress
 * `(done, total, phase)` (DESIGN.md, "Conventions"); the manager turns that into 'job.updated' events on
 * the services' event bus, with an ETA from the observed rate, and lets the UI list and cancel jobs.
 *
 * Progress events are throttled (at most one per `throttleMs`, 100 ms by default, i.e. ≤ 10/s) so a tight
 * training loop cannot flood the UI; the latest progress is still sent after the pause, and every change of
 * state (running, done, failed, cancelled) is sent at once. Where the work runs (this thread or a
 * worker_thread) is the job's business: the manager only sees a promise.
 */
import { randomBytes } from 'node:crypto'
import type { JobInfo } from '../../shared/contract'
import { InputError, toErrorData } from '../../shared/errors'
import type { EventBus } from '../services/events'

export interface JobContext {
  /** Aborted when the job is cancelled (or the app shuts down); long work checks it between steps. */
  signal: AbortSignal
  /** Reports progress: `done` of `total` units in `phase` (e.g. 'encoding', 'epoch 7/30'). */
  progress(done: number, total: number, phase: string): void
}

export interface JobSpec<T> {
  kind: string
  title: string
  projectId?: string
  run: (ctx: JobContext) => Promise<T>
}

export interface StartedJob<T> {
  jobId: string
  /** Settles with the job: its value, its error, or an InputError 'job.cancelled'. */
  result: Promise<T>
}

export interface JobManagerOptions {
  /** Minimum interval between two progress events of one job. */
  throttleMs?: number
  /** Finished jobs kept for `list()`; the oldest are dropped beyond this. */
  keepFinished?: number
}

interface RateBaseline {
  phase: string
  total: number
  done: number
  at: number
}

interface Job {
  info: JobInfo
  controller: AbortController
  baseline?: RateBaseline
  lastEmitAt: number
  pendingEmit?: ReturnType<typeof setTimeout>
}

const FINAL_STATES = new Set<JobInfo['state']>(['done', 'failed', 'cancelled'])

export function cancelledError(title: string): InputError {
  return new InputError('job.cancelled', `"${title}" was cancelled.`, { params: { title } })
}

export class JobManager {
  private readonly jobs = new Map<string, Job>()
  private readonly throttleMs: number
  private readonly keepFinished: number

  constructor(
    private readonly bus: EventBus,
    options: JobManagerOptions = {},
  ) {
    this.throttleMs = options.throttleMs ?? 100
    this.keepFinished = options.keepFinished ?? 200
  }

  start<T>(spec: JobSpec<T>): StartedJob<T> {
    const jobId = randomBytes(12).toString('base64url')
    const controller = new AbortController()
    const job: Job = {
      controller,
      lastEmitAt: 0,
      info: {
        jobId,
        kind: spec.kind,
        title: spec.title,
        ...(spec.projectId !== undefined ? { projectId: spec.projectId } : {}),
        state: 'running',
        phase: '',
        done: 0,
        total: 0,
        startedAt: new Date().toISOString(),
      },
    }
    this.jobs.set(jobId, job)
    this.emitNow(job)

    const ctx: JobContext = {
      signal: controller.signal,
      progress: (done, total, phase) => this.onProgress(job, done, total, phase),
    }
    // Run on a later tick so a synchronous throw becomes a failed job, and 'running' is heard first.
    const result = Promise.resolve()
      .then(() => spec.run(ctx))
      .then(
        (value) => {
          if (job.info.state === 'cancelled') throw cancelledError(spec.title)
          this.finish(job, 'done')
          return value
        },
        (err: unknown) => {
          if (job.info.state === 'cancelled') throw cancelledError(spec.title)
          this.finish(job, 'failed', err)
          throw err
        },
      )
    // The caller may never await the result (a fire-and-forget job): its failure is in the job's state.
    result.catch(() => {})
    return { jobId, result }
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }))
  }

  get(jobId: string): JobInfo | undefined {
    const job = this.jobs.get(jobId)
    return job ? { ...job.info } : undefined
  }

  /** Aborts a running job; the job is 'cancelled' at once. Cancelling a finished job changes nothing. */
  cancel(jobId: string): void {
    const job = this.jobs.get(jobId)
    if (!job) throw new InputError('job.not_found', 'There is no such job.', { found: jobId })
    if (FINAL_STATES.has(job.info.state)) return
    this.finish(job, 'cancelled')
    job.controller.abort(cancelledError(job.info.title))
  }

  /** Cancels every running job (the app is closing). */
  cancelAll(): void {
    for (const job of this.jobs.values()) if (!FINAL_STATES.has(job.info.state)) this.cancel(job.info.jobId)
  }

  private onProgress(job: Job, done: number, total: number, phase: string): void {
    if (FINAL_STATES.has(job.info.state)) return
    const now = Date.now()
    const base = job.baseline
    if (!base || base.phase !== phase || base.total !== total || done < base.done) {
      job.baseline = { phase, total, done, at: now }
    }
    job.info.done = done
    job.info.total = total
    job.info.phase = phase
    const eta = this.estimate(job.baseline!, done, total, now)
    if (eta === undefined) delete job.info.etaSeconds
    else job.info.etaSeconds = eta

    if (job.pendingEmit) return // the latest state goes out when the pending timer fires
    const wait = job.lastEmitAt + this.throttleMs - now
    if (wait <= 0) {
      this.emitNow(job)
    } else {
      job.pendingEmit = setTimeout(() => {
        job.pendingEmit = undefined
        if (!FINAL_STATES.has(job.info.state)) this.emitNow(job)
      }, wait)
      job.pendingEmit.unref?.()
    }
  }

  /** Seconds left at the average rate since this phase began; undefined until there is a rate. */
  private estimate(base: RateBaseline, done: number, total: number, now: number): number | undefined {
    const elapsed = (now - base.at) / 1000
    const progressed = done - base.done
    if (elapsed <= 0 || progressed <= 0 || total <= 0) return undefined
    return Math.max(0, (total - done) / (progressed / elapsed))
  }

  private finish(job: Job, state: 'done' | 'failed' | 'cancelled', err?: unknown): void {
    if (job.pendingEmit) clearTimeout(job.pendingEmit)
    job.pendingEmit = undefined
    job.info.state = state
    job.info.finishedAt = new Date().toISOString()
    delete job.info.etaSeconds
    if (state === 'done' && job.info.total > 0) job.info.done = job.info.total
    if (state === 'failed') job.info.error = toErrorData(err)
    this.emitNow(job)
    this.prune()
  }

  private emitNow(job: Job): void {
    job.lastEmitAt = Date.now()
    this.bus.emit('job.updated', { ...job.info })
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => FINAL_STATES.has(j.info.state))
    for (const job of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) {
      this.jobs.delete(job.info.jobId)
    }
  }
}
