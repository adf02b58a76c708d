/**
 * Prediction jobs: read what to score (sequences, or the windows of a genome region), score it with the
 * experiment's model in a worker thread, and keep the result (results.ts). Each job takes one of the
 * training slots (`defaultSlots`: one model at a time per core), so a prediction waits while both cores
 * train, and reports progress `(done, total, phase)`: 'queued', 'reading' (a file's records or a region's
 * bases), 'windows', 'scoring' (rows scored, with the ETA the job manager computes); cancel stops the
 * reading at once and the worker at its next chunk.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { PredictSummary, ScanRegion } from '../../shared/contract-predict'
import { InputError, type ErrorData } from '../../shared/errors'
import type { InputFile } from '../datasets/sources'
import { defaultSlots, type Slots } from '../experiments/runner'
import { cancelledError, type JobContext, type JobManager, type StartedJob } from '../jobs/job-manager'
import { regionWindows, type GenomeFiles, type GenomeLayout } from './genome'
import { readSequenceFile, type ScoreItems } from './inputs'
import type { LoadedModel } from './model'
import type { FromPredictWorker, PredictMessage, ToPredictWorker } from './protocol'
import { PredictionResults, summaryOf, type PredictionResult } from './results'

export const PREDICT_WORKER_ENV = 'SEQLAB_PREDICT_WORKER'
const WORKER_NAMES = ['predict-worker.cjs', 'predict-worker.js']

/**
 * The bundled worker: beside the running bundle (out/cli/predict-worker.cjs, out/main/predict-worker.js),
 * or, from sources (tests), the CLI build's out/cli/predict-worker.cjs found by walking up.
 * `$SEQLAB_PREDICT_WORKER` overrides both.
 */
export function predictWorkerFile(): string {
  const fromEnv = process.env[PREDICT_WORKER_ENV]
  if (fromEnv) return path.resolve(fromEnv)
  const here = typeof __dirname === 'string' ? __dirname : process.cwd()
  for (let dir = here; ; dir = path.dirname(dir)) {
    for (const name of WORKER_NAMES) {
      const candidate = path.join(dir, name)
      if (fs.existsSync(candidate)) return candidate
    }
    const built = path.join(dir, 'out', 'cli', 'predict-worker.cjs')
    if (fs.existsSync(built)) return built
    if (path.dirname(dir) === dir) break
  }
  throw new Error(
    'The prediction worker (predict-worker.cjs) is missing: build the CLI with `npm run build:cli`',
  )
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

/** Scores in a fresh worker; null when cancelled. */
function scoreInWorker(
  file: string,
  message: PredictMessage,
  signal: AbortSignal,
  onProgress: (done: number, total: number) => void,
): Promise<Float64Array | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { execArgv: [] })
    let settled = false
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      fn()
      void worker.terminate()
    }
    const onAbort = () => worker.postMessage({ type: 'cancel' } satisfies ToPredictWorker)
    worker.on('message', (m: FromPredictWorker) => {
      if (m.type === 'progress') onProgress(m.done, m.total)
      else if (m.type === 'result') finish(() => resolve(m.cancelled ? null : m.scores))
      else if (m.type === 'error') finish(() => reject(errorFromData(m.error, m.stack)))
    })
    worker.on('error', (err) => finish(() => reject(err)))
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`The prediction worker stopped unexpectedly (exit code ${code})`))),
    )
    const transfer = [message.codes.buffer, message.starts.buffer, message.ends.buffer] as ArrayBuffer[]
    worker.postMessage(message, transfer)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
}

export interface PredictServiceOptions {
  workerFile?: string
  slots?: Slots
}

export type SequencesInput =
  { items: ScoreItems; fileName?: string } | { file: InputFile; windows: { stride: number } | null }

export interface ScanInput {
  files: GenomeFiles
  layout: GenomeLayout
  region: ScanRegion
  stride: number
}

export class PredictService {
  readonly results = new PredictionResults()
  private readonly slots: Slots
  private readonly workerOverride?: string

  constructor(
    private readonly jobs: JobManager,
    options: PredictServiceOptions = {},
  ) {
    this.slots = options.slots ?? defaultSlots
    this.workerOverride = options.workerFile
  }

  /** Scores sequences (already read and checked, or a FASTA file read in the job). */
  startSequences(projectId: string, model: LoadedModel, input: SequencesInput): StartedJob<PredictSummary> {
    const fileName = 'file' in input ? input.file.name : (input.fileName ?? null)
    return this.startJob('predict.sequences', `Predict with ${model.name}`, projectId, async (ctx) => {
      let items: ScoreItems
      if ('items' in input) {
        items = input.items
      } else {
        items = await readSequenceFile(input.file, {
          model,
          windows: input.windows,
          signal: ctx.signal,
          onRecord: (records) => {
            if (records % 1000 === 0) ctx.progress(records, 0, 'reading')
          },
        })
      }
      const scores = await this.score(model, items.codes, items.starts, items.ends, ctx)
      const result: PredictionResult = {
        kind: 'sequences',
        projectId,
        experimentId: model.experimentId,
        experimentName: model.name,
        threshold: model.threshold,
        classNames: model.classNames,
        length: model.length,
        scores,
        fileName,
        ids: items.ids,
        windowStart: items.windowStart,
        windowed: items.windowed,
      }
      return result
    })
  }

  /** Scores every window of a genome region. */
  startScan(projectId: string, model: LoadedModel, input: ScanInput): StartedJob<PredictSummary> {
    const { region } = input
    const where = `${region.chrom}:${(region.start + 1).toLocaleString('en-US')}-${region.end.toLocaleString('en-US')}`
    return this.startJob('predict.scan', `Scan ${where} with ${model.name}`, projectId, async (ctx) => {
      const windows = await regionWindows(input.files, input.layout, region, {
        length: model.length,
        stride: input.stride,
        signal: ctx.signal,
        onProgress: (done, total, phase) => ctx.progress(done, total, phase),
      })
      const n = windows.starts.length
      const starts = new Int32Array(n)
      const ends = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        starts[i] = windows.starts[i]! - region.start
        ends[i] = starts[i]! + model.length
      }
      const scores = n === 0 ? new Float64Array(0) : await this.score(model, windows.codes, starts, ends, ctx)
      const result: PredictionResult = {
        kind: 'scan',
        projectId,
        experimentId: model.experimentId,
        experimentName: model.name,
        threshold: model.threshold,
        classNames: model.classNames,
        length: model.length,
        scores,
        fileName: input.files.genome.name,
        chrom: region.chrom,
        region,
        stride: input.stride,
        starts: windows.starts,
        skippedWithN: windows.skippedWithN,
      }
      return result
    })
  }

  /**
   * A job that waits for a slot, does `work` and files its result under the job's id before the job is
   * done (the job runs from the next tick on, when its id is known), so `predict.result` finds it as soon
   * as the UI hears the job finished.
   */
  private startJob(
    kind: string,
    title: string,
    projectId: string,
    work: (ctx: JobContext) => Promise<PredictionResult>,
  ): StartedJob<PredictSummary> {
    let jobId = ''
    const started = this.jobs.start({
      kind,
      title,
      projectId,
      run: async (ctx) => {
        ctx.progress(0, 0, 'queued')
        const release = await this.slots.acquire(ctx.signal)
        try {
          const result = await work(ctx)
          ctx.signal.throwIfAborted()
          this.results.put(jobId, result)
          return summaryOf(result)
        } finally {
          release()
        }
      },
    })
    jobId = started.jobId
    return started
  }

  private async score(
    model: LoadedModel,
    codes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    ctx: JobContext,
  ): Promise<Float64Array> {
    ctx.signal.throwIfAborted()
    const total = starts.length
    ctx.progress(0, total, 'scoring')
    const message: PredictMessage = {
      type: 'predict',
      spec: model.spec,
      alphabet: model.alphabet,
      length: model.length,
      weights: model.weights,
      motifs: model.motifs,
      codes,
      starts,
      ends,
    }
    const scores = await scoreInWorker(
      this.workerOverride ?? predictWorkerFile(),
      message,
      ctx.signal,
      (done) => ctx.progress(done, total, 'scoring'),
    )
    if (!scores) throw cancelledError(`Predict with ${model.name}`)
    return scores
  }
}
