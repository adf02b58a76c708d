/**
 * Runs experiments as jobs: each run (one per fold) trains in its own `worker_thread` (worker.ts), so the
 * main event loop only moves messages and writes the store. At most `min(2, cores)` runs train at once in
 * this process (the rest wait as 'queued'): on wasm one run uses one core, so two at once use both.
 *
 * Per run: the data set and its frozen split are read from the store (data.ts) and moved to the worker as
 * transferable buffers; the worker resamples and weights the training part (resampling.ts), posts the class
 * counts before and after (stored at once, `writeBalance`), then a progress message
 * per batch (→ the job's progress, → `job.updated`) and one per finished epoch, which is written at once in
 * its own transaction (metrics + best weights + last weights + optimizer state). At the end the worker
 * posts the validation and test scores of the best weights, and the metrics are computed here with the
 * threshold chosen on validation (evaluate.ts).
 *
 * Status: queued → running → done | failed | cancelled (the job's signal → the worker stops at the next
 * batch; finished epochs are kept). A process that dies mid-run leaves 'running', which
 * `reconcile` turns into 'interrupted' when the project is next used; `resume` continues any cancelled,
 * interrupted or failed experiment from its last finished epoch with the stored optimizer state.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { EpochMetrics } from '../../core/training/train'
import type { EngineInfo } from '../../shared/contract'
import type { ExperimentSpec, ExperimentSummary, RunResult } from '../../shared/contract-experiments'
import { InputError, type ErrorData } from '../../shared/errors'
import { cancelledError, type JobContext, type JobManager, type StartedJob } from '../jobs/job-manager'
import { pooledNetworkMetrics } from '../grn/results'
import { copyGrnWorkerData } from '../grn/training'
import type { ProjectStore } from '../store/project-store'
import { checkParts, loadExperimentData, runParts, type ExperimentData } from './data'
import { calibrateRun } from './calibrate'
import { aggregateRuns, evaluateRun } from './evaluate'
import type { FromWorker, ToWorker, TrainMessage, WorkerData } from './protocol'
import {
  clearFold,
  experimentSpec,
  experimentStatus,
  experimentSummary,
  finishedRuns,
  reconcileInterrupted,
  resumeState,
  setStatus,
  thisRunner,
  writeBalance,
  writeEpoch,
  writeRun,
} from './repository'
import { availableMotifs } from './spec'

export const WORKER_FILE_ENV = 'SEQLAB_TRAIN_WORKER'
const WORKER_NAMES = ['train-worker.cjs', 'train-worker.js']

/**
 * The bundled worker: beside the running bundle (out/cli/train-worker.cjs, out/main/train-worker.js), or,
 * from sources (tests), the CLI build's out/cli/train-worker.cjs found by walking up. `$SEQLAB_TRAIN_WORKER`
 * overrides both.
 */
export function workerFile(): string {
  const fromEnv = process.env[WORKER_FILE_ENV]
  if (fromEnv) return path.resolve(fromEnv)
  const here = typeof __dirname === 'string' ? __dirname : process.cwd()
  for (let dir = here; ; dir = path.dirname(dir)) {
    for (const name of WORKER_NAMES) {
      const candidate = path.join(dir, name)
      if (fs.existsSync(candidate)) return candidate
    }
    const built = path.join(dir, 'out', 'cli', 'train-worker.cjs')
    if (fs.existsSync(built)) return built
    if (path.dirname(dir) === dir) break
  }
  throw new Error('The training worker (train-worker.cjs) is missing: build the CLI with `npm run build:cli`')
}

/** A counting semaphore: at most `limit` holders; waiters leave when their signal aborts. */
export class Slots {
  private used = 0
  private readonly waiting: (() => void)[] = []

  constructor(readonly limit: number) {}

  acquire(signal: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort)
        this.used++
        let released = false
        resolve(() => {
          if (released) return
          released = true
          this.used--
          this.waiting.shift()?.()
        })
      }
      const onAbort = () => {
        const i = this.waiting.indexOf(grant)
        if (i >= 0) this.waiting.splice(i, 1)
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
      }
      if (signal.aborted) return onAbort()
      if (this.used < this.limit) return grant()
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiting.push(grant)
    })
  }
}

/** Training runs at once in this process: one per core, at most two (DESIGN.md, issue 3). */
export const defaultSlots = new Slots(
  Math.max(
    1,
    Math.min(2, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length),
  ),
)

export interface RunHooks {
  onEngine?(engine: EngineInfo): void
  onEpoch?(e: { fold: number; folds: number; epochs: number; metrics: EpochMetrics }): void
  /** After the experiment's final status is stored (done, failed or cancelled). */
  onFinished?(): void
}

export interface RunnerOptions {
  workerFile?: string
  slots?: Slots
}

function errorFromData(data: ErrorData, stack?: string): Error {
  if (data.kind === 'input') {
    const { kind: _kind, code, message, ...init } = data
    return new InputError(code, message, init)
  }
  const err = new Error(data.message)
  if (stack) err.stack = stack
  return err
}

type ResultMessage = Extract<FromWorker, { type: 'result' }>

export class ExperimentRunner {
  private readonly live = new Map<ProjectStore, Set<number>>()
  private readonly slots: Slots
  private readonly workerOverride?: string

  constructor(
    private readonly jobs: JobManager,
    options: RunnerOptions = {},
  ) {
    this.slots = options.slots ?? defaultSlots
    this.workerOverride = options.workerFile
  }

  isLive(store: ProjectStore, experimentId: number): boolean {
    return this.live.get(store)?.has(experimentId) ?? false
  }

  /** Marks experiments a crash left running as 'interrupted' (those this process runs excepted). */
  reconcile(store: ProjectStore): number[] {
    return reconcileInterrupted(store, (id) => this.isLive(store, id))
  }

  /** Starts (`resume: false`, a queued experiment) or resumes an experiment as a job. */
  start(
    store: ProjectStore,
    experimentId: number,
    options: { resume: boolean; projectId?: string; hooks?: RunHooks },
  ): StartedJob<ExperimentSummary> {
    const spec = experimentSpec(store, experimentId)
    if (this.isLive(store, experimentId)) {
      throw new InputError('experiment.running', `Experiment ${experimentId} is already running`, {
        params: { experimentId },
      })
    }
    this.reconcile(store)
    const status = experimentStatus(store, experimentId)
    if (!options.resume && status !== 'queued') {
      throw new InputError(
        'experiment.already_run',
        `Experiment ${experimentId} has already run (${status}): resume it, or create a new one`,
        { expected: 'a queued experiment', found: status, params: { experimentId } },
      )
    }
    if (options.resume && !['cancelled', 'interrupted', 'failed'].includes(status)) {
      throw new InputError(
        'experiment.not_resumable',
        `Experiment ${experimentId} is ${status}: only a cancelled, interrupted or failed one can resume`,
        { expected: 'cancelled, interrupted or failed', found: status, params: { experimentId } },
      )
    }
    let set = this.live.get(store)
    if (!set) this.live.set(store, (set = new Set()))
    set.add(experimentId)
    setStatus(store, experimentId, 'queued', { runner: thisRunner(), error: null })
    return this.jobs.start({
      kind: 'experiment.train',
      title: `${options.resume ? 'Resume' : 'Train'} ${spec.name}`,
      ...(options.projectId !== undefined ? { projectId: options.projectId } : {}),
      run: (ctx) =>
        this.execute(store, experimentId, spec, options.resume, ctx, options.hooks ?? {}).finally(() => {
          set.delete(experimentId)
          if (set.size === 0) this.live.delete(store)
        }),
    })
  }

  private async execute(
    store: ProjectStore,
    experimentId: number,
    spec: ExperimentSpec,
    resume: boolean,
    ctx: JobContext,
    hooks: RunHooks,
  ): Promise<ExperimentSummary> {
    const started = performance.now()
    let release: (() => void) | undefined
    try {
      ctx.progress(0, 0, 'queued')
      release = await this.slots.acquire(ctx.signal)
      setStatus(store, experimentId, 'running', { started: true })
      const loadStarted = performance.now()
      const data = loadExperimentData(store, spec.datasetId, spec.splitId)
      const loadSeconds = (performance.now() - loadStarted) / 1000
      const folds: (number | null)[] =
        data.folds === null
          ? [null]
          : spec.fold !== undefined
            ? [spec.fold]
            : Array.from({ length: data.folds }, (_, f) => f)
      const runs: RunResult[] = resume ? finishedRuns(store, experimentId) : []
      const used: { engine?: EngineInfo } = {}
      for (const [n, fold] of folds.entries()) {
        const f = fold ?? 0
        if (runs.some((r) => r.fold === f)) continue
        if (!resume) clearFold(store, experimentId, f)
        const outcome = await this.runFold(store, experimentId, spec, data, fold, ctx, {
          ...hooks,
          onEngine: (info) => {
            used.engine = info
            setStatus(store, experimentId, 'running', { backend: info.backend })
            hooks.onEngine?.(info)
          },
          onEpoch: (e) => hooks.onEpoch?.({ ...e, fold: f, folds: folds.length }),
          label: folds.length > 1 ? `fold ${n + 1}/${folds.length} · ` : '',
        })
        if (outcome === 'cancelled') {
          setStatus(store, experimentId, 'cancelled', { finished: true, runner: null })
          hooks.onFinished?.()
          throw cancelledError(spec.name)
        }
        runs.push(outcome)
      }
      const metrics = aggregateRuns(
        runs,
        {
          engine: used.engine
            ? {
                backend: used.engine.backend,
                tfjsVersion: used.engine.tfjsVersion,
                threads: used.engine.threads,
              }
            : null,
          loadSeconds,
          totalSeconds: (performance.now() - started) / 1000,
        },
        data.folds !== null && spec.fold === undefined,
      )
      if (data.grn) metrics.network = pooledNetworkMetrics(store, experimentId, data.labels, data.grn.kinds)
      setStatus(store, experimentId, 'done', {
        finished: true,
        metrics,
        bestEpoch: metrics.bestEpoch,
        runner: null,
        error: null,
      })
      hooks.onFinished?.()
      return experimentSummary(store, experimentId)
    } catch (err) {
      // A project closed meanwhile cannot be written: its next use marks the experiment interrupted.
      if (store.isOpen && experimentStatus(store, experimentId) !== 'cancelled') {
        const cancelled = ctx.signal.aborted
        setStatus(store, experimentId, cancelled ? 'cancelled' : 'failed', {
          finished: true,
          runner: null,
          ...(cancelled ? {} : { error: errorData(err) }),
        })
        hooks.onFinished?.()
      }
      throw err
    } finally {
      release?.()
    }
  }

  /** One run (fold) in a worker; 'cancelled', or its stored result. */
  private async runFold(
    store: ProjectStore,
    experimentId: number,
    spec: ExperimentSpec,
    data: ExperimentData,
    fold: number | null,
    ctx: JobContext,
    hooks: RunHooks & { label: string },
  ): Promise<RunResult | 'cancelled'> {
    const f = fold ?? 0
    const parts = runParts(data, fold)
    checkParts(data.labels, parts, fold === null ? 'the split' : `fold ${f}`)
    // Sample weights are computed in the worker, after resampling; it needs the file's own ones only.
    const fileWeights = spec.weighting === 'file' && data.fileWeights ? data.fileWeights.slice() : null
    const state = resumeState(store, experimentId, f)
    // Copies: the buffers move to the worker, and the next fold needs the data again.
    const workerData: WorkerData = {
      alphabet: data.alphabet,
      length: data.length,
      codes: data.codes.slice(),
      offsets: data.offsets.slice(),
      labels: data.labels.slice(),
      fileWeights,
      train: parts.train.slice(),
      val: parts.val.slice(),
      test: parts.test.slice(),
    }
    const message: TrainMessage = {
      type: 'train',
      spec,
      data: workerData,
      motifs: spec.model.kind === 'pwm' ? availableMotifs() : [],
      ...(state ? { resume: state } : {}),
    }
    const transfer = [
      workerData.codes.buffer,
      workerData.offsets.buffer,
      workerData.labels.buffer,
      workerData.train.buffer,
      workerData.val.buffer,
      workerData.test.buffer,
      ...(fileWeights ? [fileWeights.buffer] : []),
    ] as ArrayBuffer[]
    if (data.grn) {
      // Gene pairs: the matrix and the pairs' genes; the worker makes the images.
      const grn = copyGrnWorkerData(data.grn.worker)
      workerData.grn = grn.data
      transfer.push(...grn.transfer)
    }
    const epochs = spec.training.epochs
    const result = await this.inWorker(message, transfer, ctx.signal, (m) => {
      if (m.type === 'engine') hooks.onEngine?.(m.engine)
      else if (m.type === 'balance') writeBalance(store, experimentId, { fold: f, ...m.balance })
      else if (m.type === 'batch') {
        ctx.progress(
          (m.epoch - 1) * m.batches + m.batch,
          epochs * m.batches,
          `${hooks.label}epoch ${m.epoch}/${epochs}`,
        )
      } else if (m.type === 'epoch') {
        writeEpoch(store, experimentId, { fold: f, ...m })
        hooks.onEpoch?.({ fold: f, folds: 1, epochs, metrics: m.metrics })
      }
    })
    if (result.cancelled || !result.val || !result.test) return 'cancelled'
    const y = (indices: Int32Array) => Float32Array.from(indices, (i) => data.labels[i]!)
    const evaluated = evaluateRun(
      { y: y(parts.val), scores: result.val },
      { y: y(parts.test), scores: result.test },
      result.probabilities,
    )
    // Fitted on validation, applied to test; measured beside the model's own scores, which stay the run's.
    // (A stored spec the contract no longer parses may lack the field: it runs uncalibrated.)
    const calibrated = calibrateRun(
      spec.calibration as ExperimentSpec['calibration'] | undefined,
      result.probabilities,
      { y: y(parts.val), scores: result.val },
      { y: y(parts.test), scores: result.test },
    )
    const run: RunResult = {
      fold: f,
      bestEpoch: result.bestEpoch,
      epochs: result.epochsDone,
      stoppedEarly: result.stoppedEarly,
      val: evaluated.val.metrics,
      test: evaluated.test.metrics,
      trainSeconds: (state?.history.reduce((a, e) => a + e.seconds, 0) ?? 0) + result.trainSeconds,
      evalSeconds: result.evalSeconds,
      calibration: calibrated.calibration,
    }
    writeRun(
      store,
      experimentId,
      run,
      { val: evaluated.val.curve, test: evaluated.test.curve },
      {
        val: { records: parts.val, scores: result.val },
        test: { records: parts.test, scores: result.test },
      },
      calibrated.calibrator,
    )
    return run
  }

  /** Starts a worker, sends `message`, relays its messages; resolves with its result. */
  private inWorker(
    message: ToWorker,
    transfer: ArrayBuffer[],
    signal: AbortSignal,
    onMessage: (m: FromWorker) => void,
  ): Promise<ResultMessage> {
    return runInWorker(
      this.workerOverride ?? workerFile(),
      message,
      transfer,
      signal,
      onMessage,
    ) as Promise<ResultMessage>
  }
}

function errorData(err: unknown): ErrorData {
  if (err instanceof InputError) return err.toJSON()
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) }
}

/**
 * Runs one message in a fresh worker: relays every message to `onMessage`, resolves with the final one
 * (`result` or `benchResult`), rejects with the worker's error (an InputError stays one), and rejects if
 * the worker dies without an answer. Aborting `signal` asks the worker to stop at its next batch.
 */
export function runInWorker(
  file: string,
  message: ToWorker,
  transfer: ArrayBuffer[],
  signal: AbortSignal | undefined,
  onMessage: (m: FromWorker) => void = () => {},
): Promise<Extract<FromWorker, { type: 'result' | 'benchResult' }>> {
  return new Promise((resolve, reject) => {
    // No inherited flags: a test runner's loaders or inspector options do not belong in the worker.
    const worker = new Worker(file, { execArgv: [] })
    let settled = false
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      fn()
      void worker.terminate()
    }
    const onAbort = () => worker.postMessage({ type: 'cancel' } satisfies ToWorker)
    worker.on('message', (m: FromWorker) => {
      if (settled) return
      try {
        if (m.type === 'result' || m.type === 'benchResult') return finish(() => resolve(m))
        if (m.type === 'error') return finish(() => reject(errorFromData(m.error, m.stack)))
        onMessage(m)
      } catch (err) {
        finish(() => reject(err))
      }
    })
    worker.on('error', (err) => finish(() => reject(err)))
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`The training worker stopped unexpectedly (exit code ${code})`))),
    )
    worker.postMessage(message, transfer)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
  })
}
