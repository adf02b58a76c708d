/**
 * Experiments in the project store: the `experiments` row (spec, status, headline metrics), one
 * `epoch_metrics` row per finished epoch (per fold), and artefacts (BLOBs): per fold `f<fold>/best` and
 * `f<fold>/last` weights, the optimizer state of the last finished epoch, the run's training set (class counts
 * before and after resampling), the run's result, its ROC/PR points and its validation and test predictions.
 *
 * Every finished epoch is written in ONE transaction (epoch row + weights + optimizer state), so a crash
 * leaves exactly the finished epochs readable and resumable, never an epoch without its state.
 *
 * Blob layouts (little-endian): weights and optimizer state = uint32 byte length of a JSON manifest, the
 * manifest, zero padding to a multiple of 4, then the float32 values; predictions = uint32 n, n int32
 * record indices, n float32 scores. The calibrator (kind 'calibrator') is JSON.
 */
import * as os from 'node:os'
import type { PackedWeights } from '../../core/models/weights'
import type { EpochMetrics } from '../../core/training/train'
import {
  ResamplingSpec,
  type CurvePoints,
  type EpochRow,
  type ExperimentDetail,
  type ExperimentMetrics,
  type ExperimentSpec,
  type ExperimentStatus,
  type ExperimentSummary,
  type RunResult,
  type TrainingBalance,
} from '../../shared/contract-experiments'
import { InputError, type ErrorData } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'
import type { StoredCalibrator } from './calibrate'
import type { Curve } from './evaluate'
import type { PackedOptimizerState, ResumeState } from './protocol'

interface ExperimentRow {
  id: number
  name: string
  dataset_id: number
  split_id: number | null
  spec: string
  seed: number
  backend: string | null
  status: ExperimentStatus
  created_at: string
  started_at: string | null
  finished_at: string | null
  best_epoch: number | null
  metrics: string | null
  error: string | null
  runner: string | null
}

const WEIGHTS_TYPE = 'application/x-seqlab-weights'
const OPTIMIZER_TYPE = 'application/x-seqlab-optimizer'
const PREDICTIONS_TYPE = 'application/x-seqlab-predictions'
const JSON_TYPE = 'application/json'

/** "host pid": which process runs an experiment (see `reconcileInterrupted`). */
export function thisRunner(): string {
  return `${os.hostname()} ${process.pid}`
}

// ---------------------------------------------------------------------------------------------------
// Blobs

function encodeWithManifest(manifest: unknown, data: Float32Array): Buffer {
  const json = Buffer.from(JSON.stringify(manifest), 'utf8')
  const head = 4 + json.length
  const padded = head + ((4 - (head % 4)) % 4)
  const out = Buffer.alloc(padded + data.byteLength)
  out.writeUInt32LE(json.length, 0)
  json.copy(out, 4)
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, padded)
  return out
}

function decodeWithManifest<M>(blob: Buffer): { manifest: M; data: Float32Array } {
  const length = blob.readUInt32LE(0)
  const manifest = JSON.parse(blob.subarray(4, 4 + length).toString('utf8')) as M
  const head = 4 + length
  const padded = head + ((4 - (head % 4)) % 4)
  // A copy into an aligned buffer (the blob's own offset need not be a multiple of 4).
  const bytes = blob.subarray(padded)
  const data = new Float32Array(bytes.length / 4)
  new Uint8Array(data.buffer).set(bytes)
  return { manifest, data }
}

export function encodeWeights(w: PackedWeights): Buffer {
  return encodeWithManifest(w.manifest, w.data)
}

export function decodeWeights(blob: Buffer): PackedWeights {
  const { manifest, data } = decodeWithManifest<PackedWeights['manifest']>(blob)
  return { manifest, data }
}

function encodeOptimizer(s: PackedOptimizerState): Buffer {
  return encodeWithManifest(
    { name: s.name, iterations: s.iterations, moments: s.moments.manifest },
    s.moments.data,
  )
}

function decodeOptimizer(blob: Buffer): PackedOptimizerState {
  const { manifest, data } = decodeWithManifest<{
    name: 'adam'
    iterations: number
    moments: PackedWeights['manifest']
  }>(blob)
  return {
    name: manifest.name,
    iterations: manifest.iterations,
    moments: { manifest: manifest.moments, data },
  }
}

export interface Predictions {
  records: Int32Array
  scores: Float32Array
}

function encodePredictions(p: Predictions): Buffer {
  const n = p.records.length
  const out = Buffer.alloc(4 + 8 * n)
  out.writeUInt32LE(n, 0)
  Buffer.from(p.records.buffer, p.records.byteOffset, 4 * n).copy(out, 4)
  Buffer.from(p.scores.buffer, p.scores.byteOffset, 4 * n).copy(out, 4 + 4 * n)
  return out
}

function decodePredictions(blob: Buffer): Predictions {
  const n = blob.readUInt32LE(0)
  const records = new Int32Array(n)
  const scores = new Float32Array(n)
  new Uint8Array(records.buffer).set(blob.subarray(4, 4 + 4 * n))
  new Uint8Array(scores.buffer).set(blob.subarray(4 + 4 * n, 4 + 8 * n))
  return { records, scores }
}

// ---------------------------------------------------------------------------------------------------
// Rows

function notFound(experimentId: number): InputError {
  return new InputError('experiment.not_found', `There is no experiment ${experimentId} in this project`, {
    found: String(experimentId),
    params: { experimentId },
  })
}

function row(store: ProjectStore, experimentId: number): ExperimentRow {
  const r = store.db.prepare('SELECT * FROM experiments WHERE id = ?').get(experimentId) as
    ExperimentRow | undefined
  if (!r) throw notFound(experimentId)
  return r
}

/**
 * A stored spec, with `resampling: none` when it was stored before resampling existed: it then ran (and
 * resumes) without any. Other fields are as stored (every default was filled in when it was stored).
 */
export function parseStoredSpec(json: string): ExperimentSpec {
  const spec = JSON.parse(json) as ExperimentSpec & { resampling?: ExperimentSpec['resampling'] }
  return spec.resampling ? spec : { ...spec, resampling: ResamplingSpec.parse({}) }
}

export function experimentSpec(store: ProjectStore, experimentId: number): ExperimentSpec {
  return parseStoredSpec(row(store, experimentId).spec)
}

export function experimentStatus(store: ProjectStore, experimentId: number): ExperimentStatus {
  return row(store, experimentId).status
}

export function insertExperiment(store: ProjectStore, spec: ExperimentSpec): number {
  return store.transaction(() => {
    const id = Number(
      store.db
        .prepare(
          `INSERT INTO experiments (name, dataset_id, split_id, spec, seed, status, created_at)
           VALUES (?, ?, ?, ?, ?, 'queued', ?)`,
        )
        .run(
          spec.name,
          spec.datasetId,
          spec.splitId,
          JSON.stringify(spec),
          spec.seed,
          new Date().toISOString(),
        ).lastInsertRowid,
    )
    store.markChanged()
    return id
  })
}

export function setStatus(
  store: ProjectStore,
  experimentId: number,
  status: ExperimentStatus,
  fields: {
    backend?: string
    started?: boolean
    finished?: boolean
    error?: ErrorData | null
    metrics?: ExperimentMetrics
    bestEpoch?: number | null
    runner?: string | null
  } = {},
): void {
  store.transaction(() => {
    const now = new Date().toISOString()
    const sets = ['status = @status']
    const values: Record<string, unknown> = { id: experimentId, status }
    if (fields.backend !== undefined) {
      sets.push('backend = @backend')
      values.backend = fields.backend
    }
    if (fields.started) {
      sets.push('started_at = @now', 'finished_at = NULL')
      values.now = now
    }
    if (fields.finished) {
      sets.push('finished_at = @now')
      values.now = now
    }
    if (fields.error !== undefined) {
      sets.push('error = @error')
      values.error = fields.error === null ? null : JSON.stringify(fields.error)
    }
    if (fields.metrics !== undefined) {
      sets.push('metrics = @metrics')
      values.metrics = JSON.stringify(fields.metrics)
    }
    if (fields.bestEpoch !== undefined) {
      sets.push('best_epoch = @bestEpoch')
      values.bestEpoch = fields.bestEpoch
    }
    if (fields.runner !== undefined) {
      sets.push('runner = @runner')
      values.runner = fields.runner
    }
    store.db.prepare(`UPDATE experiments SET ${sets.join(', ')} WHERE id = @id`).run(values)
    store.markChanged()
  })
}

function putArtefact(
  store: ProjectStore,
  experimentId: number,
  kind: string,
  name: string,
  mediaType: string,
  data: Buffer,
): void {
  store.db
    .prepare(
      `INSERT INTO artefacts (experiment_id, kind, name, media_type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (experiment_id, kind, name)
       DO UPDATE SET media_type = excluded.media_type, data = excluded.data, created_at = excluded.created_at`,
    )
    .run(experimentId, kind, name, mediaType, data, new Date().toISOString())
}

function getArtefact(
  store: ProjectStore,
  experimentId: number,
  kind: string,
  name: string,
): Buffer | undefined {
  return store.db
    .prepare('SELECT data FROM artefacts WHERE experiment_id = ? AND kind = ? AND name = ?')
    .pluck()
    .get(experimentId, kind, name) as Buffer | undefined
}

export interface EpochWrite {
  fold: number
  metrics: EpochMetrics
  bestEpoch: number | null
  bestWeights: PackedWeights | null
  lastWeights: PackedWeights
  optimizerState: PackedOptimizerState
}

/** One finished epoch, with what resuming needs, in one transaction. */
export function writeEpoch(store: ProjectStore, experimentId: number, e: EpochWrite): void {
  const { epoch, seconds, ...metrics } = e.metrics
  store.transaction(() => {
    store.db
      .prepare(
        'INSERT OR REPLACE INTO epoch_metrics (experiment_id, fold, epoch, metrics, seconds) VALUES (?, ?, ?, ?, ?)',
      )
      .run(experimentId, e.fold, epoch, JSON.stringify(metrics), seconds)
    const f = `f${e.fold}`
    putArtefact(store, experimentId, 'weights', `${f}/last`, WEIGHTS_TYPE, encodeWeights(e.lastWeights))
    if (e.bestWeights) {
      putArtefact(store, experimentId, 'weights', `${f}/best`, WEIGHTS_TYPE, encodeWeights(e.bestWeights))
    }
    putArtefact(store, experimentId, 'optimizer', f, OPTIMIZER_TYPE, encodeOptimizer(e.optimizerState))
    store.db.prepare('UPDATE experiments SET best_epoch = ? WHERE id = ?').run(e.bestEpoch, experimentId)
  })
}

/**
 * A run's training set as trained (class counts before and after resampling, weight sums), written when
 * its training starts, beside the run's other artefacts (kind 'balance', name `f<fold>`).
 */
export function writeBalance(store: ProjectStore, experimentId: number, balance: TrainingBalance): void {
  store.transaction(() =>
    putArtefact(
      store,
      experimentId,
      'balance',
      `f${balance.fold}`,
      JSON_TYPE,
      Buffer.from(JSON.stringify(balance)),
    ),
  )
}

export function storedBalance(store: ProjectStore, experimentId: number): TrainingBalance[] {
  const blobs = store.db
    .prepare("SELECT data FROM artefacts WHERE experiment_id = ? AND kind = 'balance'")
    .pluck()
    .all(experimentId) as Buffer[]
  return blobs.map((b) => JSON.parse(b.toString('utf8')) as TrainingBalance).sort((a, b) => a.fold - b.fold)
}

/** A finished run (fold): its result, curves, predictions and calibrator, in one transaction. */
export function writeRun(
  store: ProjectStore,
  experimentId: number,
  result: RunResult,
  curves: { val: Curve | null; test: Curve | null },
  predictions: { val: Predictions; test: Predictions },
  calibrator: StoredCalibrator | null = null,
): void {
  const f = `f${result.fold}`
  store.transaction(() => {
    putArtefact(store, experimentId, 'result', f, JSON_TYPE, Buffer.from(JSON.stringify(result)))
    if (calibrator) {
      putArtefact(store, experimentId, 'calibrator', f, JSON_TYPE, Buffer.from(JSON.stringify(calibrator)))
    }
    for (const part of ['val', 'test'] as const) {
      const curve = curves[part]
      if (curve)
        putArtefact(
          store,
          experimentId,
          'curve',
          `${f}/${part}`,
          JSON_TYPE,
          Buffer.from(JSON.stringify(curve)),
        )
      putArtefact(
        store,
        experimentId,
        'predictions',
        `${f}/${part}`,
        PREDICTIONS_TYPE,
        encodePredictions(predictions[part]),
      )
    }
  })
}

/** Runs (folds) already finished: a resume skips them. */
export function finishedRuns(store: ProjectStore, experimentId: number): RunResult[] {
  const blobs = store.db
    .prepare("SELECT data FROM artefacts WHERE experiment_id = ? AND kind = 'result' ORDER BY name")
    .pluck()
    .all(experimentId) as Buffer[]
  return blobs.map((b) => JSON.parse(b.toString('utf8')) as RunResult).sort((a, b) => a.fold - b.fold)
}

export function epochHistory(store: ProjectStore, experimentId: number, fold: number): EpochMetrics[] {
  const rows = store.db
    .prepare(
      'SELECT epoch, metrics, seconds FROM epoch_metrics WHERE experiment_id = ? AND fold = ? ORDER BY epoch',
    )
    .all(experimentId, fold) as { epoch: number; metrics: string; seconds: number | null }[]
  return rows.map((r) => ({
    epoch: r.epoch,
    ...(JSON.parse(r.metrics) as Omit<EpochMetrics, 'epoch' | 'seconds'>),
    seconds: r.seconds ?? 0,
  }))
}

/** Where a fold continues from; undefined when it has no finished epoch (it starts afresh). */
export function resumeState(
  store: ProjectStore,
  experimentId: number,
  fold: number,
): ResumeState | undefined {
  const history = epochHistory(store, experimentId, fold)
  if (history.length === 0) return undefined
  const f = `f${fold}`
  const last = getArtefact(store, experimentId, 'weights', `${f}/last`)
  const best = getArtefact(store, experimentId, 'weights', `${f}/best`)
  const optimizer = getArtefact(store, experimentId, 'optimizer', f)
  // Written in the same transaction as the epochs: missing means a damaged project, not a user's mistake.
  if (!last || !best || !optimizer)
    throw new Error(`Experiment ${experimentId} fold ${fold}: stored state is missing`)
  return {
    history,
    lastWeights: decodeWeights(last),
    bestWeights: decodeWeights(best),
    optimizerState: decodeOptimizer(optimizer),
  }
}

export function bestWeights(store: ProjectStore, experimentId: number, fold = 0): PackedWeights | undefined {
  const blob = getArtefact(store, experimentId, 'weights', `f${fold}/best`)
  return blob ? decodeWeights(blob) : undefined
}

export function storedPredictions(
  store: ProjectStore,
  experimentId: number,
  fold: number,
  part: 'val' | 'test',
): Predictions | undefined {
  const blob = getArtefact(store, experimentId, 'predictions', `f${fold}/${part}`)
  return blob ? decodePredictions(blob) : undefined
}

/**
 * The calibrator a run fitted on validation and applied (`applyCalibrator` maps new scores of the same
 * model with it); undefined when the run was not calibrated.
 */
export function storedCalibrator(
  store: ProjectStore,
  experimentId: number,
  fold: number,
): StoredCalibrator | undefined {
  const blob = getArtefact(store, experimentId, 'calibrator', `f${fold}`)
  return blob ? (JSON.parse(blob.toString('utf8')) as StoredCalibrator) : undefined
}

/** Forgets a fold's partial epochs and state (a fresh start of a fold that never finished an epoch). */
export function clearFold(store: ProjectStore, experimentId: number, fold: number): void {
  store.transaction(() => {
    store.db.prepare('DELETE FROM epoch_metrics WHERE experiment_id = ? AND fold = ?').run(experimentId, fold)
    store.db
      .prepare('DELETE FROM artefacts WHERE experiment_id = ? AND (name = ? OR name LIKE ?)')
      .run(experimentId, `f${fold}`, `f${fold}/%`)
  })
}

// ---------------------------------------------------------------------------------------------------
// Reading for the UI

function summaryOf(store: ProjectStore, r: ExperimentRow): ExperimentSummary {
  const spec = JSON.parse(r.spec) as ExperimentSpec
  const metrics = r.metrics ? (JSON.parse(r.metrics) as ExperimentMetrics) : null
  const epochsDone = store.db
    .prepare('SELECT count(*) FROM epoch_metrics WHERE experiment_id = ?')
    .pluck()
    .get(r.id) as number
  return {
    experimentId: r.id,
    name: r.name,
    datasetId: r.dataset_id,
    splitId: r.split_id,
    modelKind: String(spec.model.kind),
    seed: r.seed,
    status: r.status,
    backend: r.backend,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    bestEpoch: r.best_epoch,
    epochsDone,
    valAuroc: metrics?.val.auroc ?? null,
    valAuprc: metrics?.val.auprc ?? null,
    testAuroc: metrics?.test.auroc ?? null,
    testAuprc: metrics?.test.auprc ?? null,
    testF1: metrics?.test.f1 ?? null,
    valAurocSd: metrics?.acrossFolds?.valAuroc.sd ?? null,
    testAurocSd: metrics?.acrossFolds?.testAuroc.sd ?? null,
    ...(r.error ? { error: JSON.parse(r.error) as unknown } : {}),
  }
}

export function listExperiments(store: ProjectStore, datasetId?: number): ExperimentSummary[] {
  const rows = (
    datasetId === undefined
      ? store.db.prepare('SELECT * FROM experiments ORDER BY id').all()
      : store.db.prepare('SELECT * FROM experiments WHERE dataset_id = ? ORDER BY id').all(datasetId)
  ) as ExperimentRow[]
  return rows.map((r) => summaryOf(store, r))
}

export function experimentSummary(store: ProjectStore, experimentId: number): ExperimentSummary {
  return summaryOf(store, row(store, experimentId))
}

export function experimentDetail(store: ProjectStore, experimentId: number): ExperimentDetail {
  const r = row(store, experimentId)
  const epochs = (
    store.db
      .prepare(
        'SELECT fold, epoch, metrics, seconds FROM epoch_metrics WHERE experiment_id = ? ORDER BY fold, epoch',
      )
      .all(experimentId) as { fold: number; epoch: number; metrics: string; seconds: number | null }[]
  ).map((e): EpochRow => ({
    fold: e.fold,
    epoch: e.epoch,
    ...(JSON.parse(e.metrics) as Omit<EpochRow, 'fold' | 'epoch' | 'seconds'>),
    seconds: e.seconds ?? 0,
  }))
  const curves = (
    store.db
      .prepare("SELECT name, data FROM artefacts WHERE experiment_id = ? AND kind = 'curve' ORDER BY name")
      .all(experimentId) as { name: string; data: Buffer }[]
  ).map((c): CurvePoints => {
    const [f, part] = c.name.split('/') as [string, 'val' | 'test']
    return { fold: Number(f.slice(1)), part, ...(JSON.parse(c.data.toString('utf8')) as Curve) }
  })
  return {
    ...summaryOf(store, r),
    spec: parseStoredSpec(r.spec) as unknown as Record<string, unknown>,
    epochs,
    metrics: r.metrics ? (JSON.parse(r.metrics) as ExperimentMetrics) : null,
    curves,
    balance: storedBalance(store, experimentId),
  }
}

export function predictionsPage(
  store: ProjectStore,
  experimentId: number,
  options: { part: 'val' | 'test'; fold?: number; offset: number; limit: number },
): {
  total: number
  threshold: number | null
  rows: { record: number; recordId: string | null; label: number; score: number; predicted: number }[]
} {
  const r = row(store, experimentId)
  const fold = options.fold ?? 0
  const p = storedPredictions(store, experimentId, fold, options.part)
  if (!p) {
    throw new InputError(
      'experiment.no_predictions',
      `Experiment ${experimentId} has no stored predictions yet`,
      {
        expected: 'a finished experiment (and fold)',
        found: r.status,
      },
    )
  }
  const result = finishedRuns(store, experimentId).find((x) => x.fold === fold)
  const threshold = result?.val.threshold ?? null
  const end = Math.min(p.records.length, options.offset + options.limit)
  const lookup = store.db.prepare('SELECT record_id, label FROM records WHERE dataset_id = ? AND idx = ?')
  const rows = []
  for (let i = options.offset; i < end; i++) {
    const record = p.records[i]!
    const rec = lookup.get(r.dataset_id, record) as { record_id: string | null; label: number | string }
    const score = p.scores[i]!
    rows.push({
      record,
      recordId: rec.record_id,
      label: Number(rec.label),
      score,
      predicted: threshold !== null && score >= threshold ? 1 : 0,
    })
  }
  return { total: p.records.length, threshold, rows }
}

/** Deletes an experiment and (by cascade) its epochs and artefacts. */
export function deleteExperiment(store: ProjectStore, experimentId: number): void {
  row(store, experimentId)
  store.transaction(() => {
    store.db.prepare('DELETE FROM experiments WHERE id = ?').run(experimentId)
    store.markChanged()
  })
}

/** Is the process named by `runner` ("host pid") alive on this machine? */
function runnerAlive(runner: string): boolean {
  const [host, pidText] = runner.split(' ')
  const pid = Number(pidText)
  // Another machine (a project on a shared drive): its process cannot be asked; treat it as gone.
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Marks experiments a crash left 'running' (or 'queued' by a runner) as 'interrupted': their finished
 * epochs stay readable and `experiments.resume` continues them. An experiment is left alone while this
 * process runs it (`isLive`) or while another live process on this machine does. Returns the ids marked.
 */
export function reconcileInterrupted(
  store: ProjectStore,
  isLive: (experimentId: number) => boolean,
): number[] {
  if (store.readonly) return []
  const rows = store.db
    .prepare(
      "SELECT id, runner FROM experiments WHERE status IN ('running', 'queued') AND runner IS NOT NULL",
    )
    .all() as { id: number; runner: string }[]
  const stale = rows.filter((r) => {
    if (isLive(r.id)) return false
    const own = r.runner === thisRunner()
    return own || !runnerAlive(r.runner)
  })
  if (stale.length === 0) return []
  store.transaction(() => {
    const mark = store.db.prepare("UPDATE experiments SET status = 'interrupted', runner = NULL WHERE id = ?")
    for (const r of stale) mark.run(r.id)
    store.markChanged()
  })
  return stale.map((r) => r.id)
}
