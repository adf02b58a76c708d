/**
 * Experiments end to end through the services and real training workers (out/cli/train-worker.cjs, built
 * first): spec validation, a tiny logistic regression and CNN on planted AP-1 sites, what is stored per epoch,
 * best weights that reload to the same scores, metrics that equal the core's recomputed from the stored
 * predictions (threshold from validation), cancel + resume equal to an uninterrupted run, k-fold mean ± sd,
 * the ablation call, and 'interrupted' marking.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import * as tf from '@tensorflow/tfjs-core'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerWasmConvGradients } from '../../src/core/engine/wasm-gradients'
import { brierScore, logit, PlattScaling, reliabilityCurve } from '../../src/core/calibration'
import {
  applyThreshold,
  averagePrecision,
  chooseThreshold,
  confusionMatrix,
  logLoss,
  rocAuc,
} from '../../src/core/metrics'
import {
  buildModel,
  layersPredictor,
  setWeights,
  unpackWeights,
  type NeuralModelSpec,
} from '../../src/core/models'
import { Rng } from '../../src/core/random'
import { DNA, oneHotBatch } from '../../src/core/sequence'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { applyCalibrator } from '../../src/app/experiments/calibrate'
import {
  bestWeights,
  storedCalibrator,
  storedPredictions,
  thisRunner,
} from '../../src/app/experiments/repository'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import type { CallName, CallInput, CallOutput, JobInfo } from '../../src/shared/contract'
import type { ExperimentDetail } from '../../src/shared/contract-experiments'

const root = path.resolve(__dirname, '../..')
const require = createRequire(import.meta.url)
const LENGTH = 101
const SITE = 'TGACTCA' // the AP-1 site JUND binds

let tmp: string
let services: Services
let projectId: string
let store: ProjectStore
let datasetId: number
let splitId: number
let kfoldId: number

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw Object.assign(new Error(JSON.stringify(result.error)), { data: result.error })
  return result.value as CallOutput<N>
}

async function failure(name: CallName, input: unknown): Promise<{ code?: string; message: string }> {
  const result = await services.dispatch(name, input)
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error as { code?: string; message: string }
}

/** Waits until the job settles; returns its final info. */
function settled(jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = () => {
      const job = services.jobs.get(jobId)
      if (job && ['done', 'failed', 'cancelled'].includes(job.state)) {
        off()
        resolve(job)
      }
    }
    const off = services.events.subscribe(() => check())
    check()
  })
}

/** Waits until the experiment's status is one of `statuses` (the job may settle before the store does). */
async function statusOf(experimentId: number, statuses: string[]): Promise<ExperimentDetail> {
  for (;;) {
    const d = await call('experiments.get', { projectId, experimentId })
    if (statuses.includes(d.status)) return d
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** 600 random windows, a third carrying the AP-1 site at a random place; on three chromosomes. */
function addDataset(s: ProjectStore): number {
  const rng = Rng.seeded(3)
  const staging = new RecordStaging(s)
  for (let i = 0; i < 600; i++) {
    const bases = Array.from({ length: LENGTH }, () => 'ACGT'[rng.int(4)]!)
    const label = i % 3 === 0 ? 1 : 0
    if (label) bases.splice(rng.int(LENGTH - SITE.length), SITE.length, ...SITE)
    staging.add({
      at: { file: 'test', record: i + 1 },
      recordId: `w${i}`,
      sequence: bases.join('').slice(0, LENGTH),
      label,
      weight: null,
      group: null,
      chrom: `chr${(i % 3) + 1}`,
      start: i * LENGTH,
      end: (i + 1) * LENGTH,
    })
  }
  try {
    return staging.commit({
      name: 'planted AP-1',
      alphabet: 'dna',
      labelKind: 'binary',
      labelSet: ['0', '1'],
      seqLength: LENGTH,
      source: { test: true },
    })
  } finally {
    staging.dispose()
  }
}

const tinyCnn = { kind: 'cnn', filters: 4, kernelSize: 8, layers: 1, dropout: 0.25 } as const

function spec(over: Record<string, unknown> = {}) {
  return {
    name: 'tiny',
    datasetId,
    splitId,
    model: { kind: 'logreg' },
    training: { epochs: 2, batchSize: 64 },
    seed: 7,
    ...over,
  }
}

/** A run's stored predictions of a part with their labels. */
function stored(experimentId: number, part: 'val' | 'test'): { y: number[]; scores: Float32Array } {
  const p = storedPredictions(store, experimentId, 0, part)!
  const label = store.db.prepare('SELECT label FROM records WHERE dataset_id = ? AND idx = ?').pluck()
  return { y: Array.from(p.records, (r) => Number(label.get(datasetId, r))), scores: p.scores }
}

async function runToEnd(over: Record<string, unknown>): Promise<ExperimentDetail> {
  const { experimentId } = await call('experiments.create', { projectId, spec: spec(over) as never })
  const { jobId } = await call('experiments.run', { projectId, experimentId })
  await settled(jobId)
  return statusOf(experimentId, ['done', 'failed', 'cancelled'])
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-exp-')))
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep)
  registerWasmConvGradients()
  await tf.setBackend('wasm')
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: tmp,
    transport: 'web',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'experiments' })).projectId
  store = services.projects.get(projectId)
  datasetId = addDataset(store)
  splitId = createSplit(store, datasetId, { method: 'stratified', val: 0.2, test: 0.2, seed: 1 }).splitId
  kfoldId = createSplit(store, datasetId, {
    method: 'kfold',
    k: 3,
    seed: 1,
    stratify: true,
    groupBy: null,
  }).splitId
}, 60_000)

afterAll(() => {
  services?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('experiments.create validates the spec against the project', () => {
  it('rejects unknown data sets, splits of another data set, bad models and impossible combinations', async () => {
    expect((await failure('experiments.create', { projectId, spec: spec({ datasetId: 99 }) })).code).toBe(
      'dataset.not_found',
    )
    expect((await failure('experiments.create', { projectId, spec: spec({ splitId: 99 }) })).code).toBe(
      'split.not_found',
    )
    expect(
      (await failure('experiments.create', { projectId, spec: spec({ model: { kind: 'cnn', filters: 0 } }) }))
        .code,
    ).toBe('model.bad_param')
    expect(
      (await failure('experiments.create', { projectId, spec: spec({ model: { kind: 'svm' } }) })).code,
    ).toBe('call.invalid_argument')
    const kmerCnn = await failure('experiments.create', {
      projectId,
      spec: spec({ model: { kind: 'cnn' }, input: { encoding: 'kmer', k: 3 } }),
    })
    expect(kmerCnn.code).toBe('experiment.bad_spec')
    expect(kmerCnn.message).toContain('input.encoding')
    expect((await failure('experiments.create', { projectId, spec: spec({ fold: 1 }) })).code).toBe(
      'experiment.bad_spec',
    )
    expect(
      (
        await failure('experiments.create', {
          projectId,
          spec: spec({ model: { kind: 'pwm', motifId: 'MA9999.1' } }),
        })
      ).code,
    ).toBe('model.unknown_motif')
    // Nothing was stored by the failures.
    expect(await call('experiments.list', { projectId })).toEqual([])
  })

  it('stores the spec with the seed recipe and the model defaults filled in', async () => {
    const { experimentId } = await call('experiments.create', {
      projectId,
      spec: { name: 'defaults', datasetId, splitId, model: { kind: 'cnn' } },
    })
    const d = await call('experiments.get', { projectId, experimentId })
    expect(d.status).toBe('queued')
    expect(d.spec).toMatchObject({
      weighting: 'balanced',
      calibration: 'platt',
      seed: 42,
      engine: 'auto',
      input: { encoding: 'onehot' },
      training: { epochs: 10, batchSize: 1000, optimizer: { lr: 0.001, beta1: 0.9, beta2: 0.999 } },
      model: { kind: 'cnn', filters: 15, kernelSize: 10, layers: 3, dropout: 0.5, head: 'flatten' },
    })
    await call('experiments.delete', { projectId, experimentId })
  })
})

describe('a run in a training worker', () => {
  it('stores every epoch, the engine and metrics the core recomputes from the stored predictions', async () => {
    const progress: JobInfo[] = []
    const off = services.events.subscribe((e) => {
      if (e.event === 'job.updated') progress.push(e.payload as JobInfo)
    })
    const d = await runToEnd({
      name: 'logreg',
      model: { kind: 'logreg' },
      input: { encoding: 'kmer', k: 4 },
      training: { epochs: 2, batchSize: 64, optimizer: { lr: 0.05 } },
    })
    off()
    expect(d.status).toBe('done')
    expect(d.backend).toBe('wasm')
    expect(d.epochs.map((e) => [e.fold, e.epoch])).toEqual([
      [0, 1],
      [0, 2],
    ])
    expect(progress.some((p) => p.phase.startsWith('epoch 2/2'))).toBe(true)
    const m = d.metrics!
    expect(m.engine?.backend).toBe('wasm')
    // The planted site is easy: a linear model on its 4-mers finds it.
    expect(m.val.auroc!).toBeGreaterThan(0.8)

    const labels = store.db
      .prepare('SELECT label FROM records WHERE dataset_id = ? ORDER BY idx')
      .pluck()
      .all(datasetId) as number[]
    const val = storedPredictions(store, d.experimentId, 0, 'val')!
    const test = storedPredictions(store, d.experimentId, 0, 'test')!
    const yVal = Array.from(val.records, (r) => labels[r]!)
    const yTest = Array.from(test.records, (r) => labels[r]!)
    expect(m.val.auroc).toBeCloseTo(rocAuc(yVal, val.scores), 12)
    expect(m.test.auroc).toBeCloseTo(rocAuc(yTest, test.scores), 12)
    expect(m.test.auprc).toBeCloseTo(averagePrecision(yTest, test.scores), 12)
    // The threshold is chosen on validation and applied unchanged to test.
    const threshold = chooseThreshold(yVal, val.scores, { rule: 'maxF1' }).threshold
    expect(m.val.threshold).toBe(threshold)
    expect(m.test.threshold).toBe(threshold)
    const cm = confusionMatrix(yTest, applyThreshold(test.scores, threshold), { labels: [0, 1] }).matrix
    expect(m.test.confusion).toEqual({ tn: cm[0]![0], fp: cm[0]![1], fn: cm[1]![0], tp: cm[1]![1] })
    // The best epoch's validation AUROC is the one the final evaluation finds.
    expect(d.epochs.find((e) => e.epoch === d.bestEpoch)!.valAuroc).toBeCloseTo(m.val.auroc!, 6)
    expect(d.curves.map((c) => c.part).sort()).toEqual(['test', 'val'])

    const page = await call('experiments.predictions', { projectId, experimentId: d.experimentId, limit: 5 })
    expect(page.total).toBe(test.records.length)
    expect(page.rows[0]).toMatchObject({
      record: test.records[0],
      label: yTest[0],
      predicted: test.scores[0]! >= threshold ? 1 : 0,
    })
  })

  it('keeps best CNN weights that reload to the same scores', async () => {
    const d = await runToEnd({ name: 'cnn', model: tinyCnn })
    expect(d.status).toBe('done')
    const packed = bestWeights(store, d.experimentId)!
    const model = buildModel(d.spec.model as NeuralModelSpec, { inputShape: [LENGTH, 4], seed: 1 })
    setWeights(model, unpackWeights(packed))
    const test = storedPredictions(store, d.experimentId, 0, 'test')!
    const sequences = (
      store.db
        .prepare('SELECT sequence FROM records WHERE dataset_id = ? ORDER BY idx')
        .pluck()
        .all(datasetId) as string[]
    ).map((s) => DNA.toCodes(s))
    const scores = layersPredictor(model).predict(oneHotBatch(sequences, test.records, LENGTH))
    const diff = Math.max(...Array.from(scores, (s, i) => Math.abs(s - test.scores[i]!)))
    expect(diff).toBeLessThan(1e-6)
    model.dispose()
  })

  it('cancel keeps the finished epochs, and resume ends where an uninterrupted run ends', async () => {
    const long = { model: tinyCnn, training: { epochs: 5, batchSize: 64 } }
    const whole = await runToEnd({ name: 'whole', ...long })

    const { experimentId } = await call('experiments.create', {
      projectId,
      spec: spec({ name: 'cut', ...long }) as never,
    })
    const { jobId } = await call('experiments.run', { projectId, experimentId })
    // Cancel as soon as the first epoch is stored.
    for (;;) {
      const epochs = store.db
        .prepare('SELECT count(*) FROM epoch_metrics WHERE experiment_id = ?')
        .pluck()
        .get(experimentId)
      if ((epochs as number) >= 1) break
      await new Promise((r) => setTimeout(r, 10))
    }
    await call('jobs.cancel', { jobId })
    const cancelled = await statusOf(experimentId, ['cancelled'])
    expect(cancelled.epochs.length).toBeGreaterThanOrEqual(1)
    expect(cancelled.epochs.length).toBeLessThan(5)
    expect(cancelled.metrics).toBeNull()

    const resumed = await call('experiments.resume', { projectId, experimentId })
    await settled(resumed.jobId)
    const done = await statusOf(experimentId, ['done', 'failed'])
    expect(done.status).toBe('done')
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5])
    // Same seed, stored weights and optimizer state: the same numbers as the run that was never stopped.
    for (const [a, b] of done.epochs.map((e, i) => [e, whole.epochs[i]!] as const)) {
      expect(a.trainLoss).toBeCloseTo(b.trainLoss, 5)
      expect(a.valAuroc!).toBeCloseTo(b.valAuroc!, 5)
    }
    expect(done.metrics!.test.auroc!).toBeCloseTo(whole.metrics!.test.auroc!, 5)
  })

  it('runs every fold of a k-fold split and reports mean ± sd', async () => {
    const d = await runToEnd({ name: 'kfold', splitId: kfoldId, training: { epochs: 1, batchSize: 64 } })
    expect(d.status).toBe('done')
    expect(d.epochs.map((e) => e.fold)).toEqual([0, 1, 2])
    const m = d.metrics!
    expect(m.folds.map((f) => f.fold)).toEqual([0, 1, 2])
    const aurocs = m.folds.map((f) => f.val.auroc!)
    const mean = aurocs.reduce((a, b) => a + b, 0) / 3
    expect(m.acrossFolds!.valAuroc.mean).toBeCloseTo(mean, 12)
    const sd = Math.sqrt(aurocs.reduce((a, v) => a + (v - mean) ** 2, 0) / 2)
    expect(m.acrossFolds!.valAuroc.sd).toBeCloseTo(sd, 12)
    expect(d.valAurocSd).toBeCloseTo(sd, 12)
  })

  it('scores the motif scan without training; Platt turns its log-odds into probabilities', async () => {
    const pwm = { model: { kind: 'pwm', motifId: 'MA0491.1' } }
    const d = await runToEnd({ name: 'pwm', ...pwm })
    expect(d.status).toBe('done')
    expect(d.epochs).toEqual([])
    // The run's own scores stay log-odds: no log loss, no Brier score.
    expect(d.metrics!.val.logLoss).toBeNull()
    expect(d.metrics!.val.brier).toBeNull()
    expect(d.metrics!.val.auroc!).toBeGreaterThan(0.8)
    const c = d.metrics!.folds[0]!.calibration!
    expect(c).toMatchObject({ method: 'platt', skipped: null, input: 'score' })
    expect(c.platt!.a).toBeLessThan(0)
    expect(c.test.raw).toBeNull()
    // The stored calibrator turns the stored log-odds into the probabilities measured.
    const { y, scores } = stored(d.experimentId, 'test')
    const probs = applyCalibrator(storedCalibrator(store, d.experimentId, 0)!, scores)
    expect(Math.min(...probs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...probs)).toBeLessThanOrEqual(1)
    expect(c.test.calibrated!.brier).toBeCloseTo(brierScore(y, probs), 12)
    expect(c.test.calibrated!.logLoss).toBeCloseTo(logLoss(y, probs), 12)
    expect(rocAuc(y, probs)).toBe(d.metrics!.test.auroc)
    const raw = await runToEnd({ name: 'pwm raw', ...pwm, calibration: 'none' })
    expect(raw.metrics!.folds[0]!.calibration).toMatchObject({
      method: 'none',
      test: { raw: null, calibrated: null },
    })
    expect(storedCalibrator(store, raw.experimentId, 0)).toBeUndefined()
  })

  it('calibrates on validation and measures before and after, the run’s own scores untouched', async () => {
    const d = await runToEnd({
      name: 'calibrated',
      model: { kind: 'logreg' },
      input: { encoding: 'kmer', k: 3 },
      training: { epochs: 2, batchSize: 64, optimizer: { lr: 0.05 } },
    })
    expect(d.spec.calibration).toBe('platt')
    const m = d.metrics!
    const c = m.folds[0]!.calibration!
    expect(c).toMatchObject({ method: 'platt', skipped: null, input: 'logit', steps: null })
    const calibrator = storedCalibrator(store, d.experimentId, 0)!
    expect(calibrator).toEqual({ method: 'platt', input: 'logit', params: c.platt })
    // Fitted on the validation predictions, by the core.
    const val = stored(d.experimentId, 'val')
    expect(new PlattScaling().fit(logit(val.scores), val.y).params).toEqual(c.platt)
    for (const part of ['val', 'test'] as const) {
      const { y, scores } = stored(d.experimentId, part)
      const probs = applyCalibrator(calibrator, scores)
      // Before: the model's own probabilities, as the metrics have them; after: the calibrated ones.
      expect(c[part].raw!.brier).toBeCloseTo(m[part].brier!, 12)
      expect(c[part].raw!.brier).toBeCloseTo(brierScore(y, scores), 12)
      expect(c[part].calibrated!.brier).toBeCloseTo(brierScore(y, probs), 12)
      expect(c[part].calibrated!.quantile).toEqual(
        reliabilityCurve(y, probs, { nBins: 10, strategy: 'quantile' }),
      )
      // Platt keeps the ranking; log loss moves.
      expect(rocAuc(y, probs)).toBe(m[part].auroc)
      expect(averagePrecision(y, probs)).toBe(m[part].auprc)
      expect(c[part].calibrated!.logLoss).not.toBeCloseTo(m[part].logLoss!, 3)
    }
    // Balanced weights on a 1:2 data set: the scores overstate the positives; on validation Platt does better.
    expect(c.val.calibrated!.brier).toBeLessThan(c.val.raw!.brier)
  })

  it('queues the three ablation variants in one call', async () => {
    const { experiments } = await call('experiments.ablation', {
      projectId,
      spec: spec({ name: 'abl', model: tinyCnn, training: { epochs: 1, batchSize: 64 } }) as never,
    })
    expect(experiments.map((e) => e.variant)).toEqual(['full', 'noDropout', 'noWeights'])
    await Promise.all(experiments.map((e) => settled(e.jobId)))
    const details = await Promise.all(experiments.map((e) => statusOf(e.experimentId, ['done', 'failed'])))
    expect(details.map((d) => d.status)).toEqual(['done', 'done', 'done'])
    expect((details[1]!.spec.model as { dropout: number }).dropout).toBe(0)
    expect(details[2]!.spec.weighting).toBe('none')
  })

  it('marks a run a dead process left running as interrupted, on next use of the project', async () => {
    const { experimentId } = await call('experiments.create', {
      projectId,
      spec: spec({ name: 'orphan' }) as never,
    })
    // As if a process on this machine had died mid-run: 'running', owned by a pid that no longer exists.
    const dead = `${thisRunner().split(' ')[0]} 999999999`
    store.db
      .prepare("UPDATE experiments SET status = 'running', runner = ? WHERE id = ?")
      .run(dead, experimentId)
    const other = createServices({
      appVersion: '0.0.0-test',
      appDataDir: path.join(tmp, 'app-data-2'),
      defaultProjectsDir: tmp,
      transport: 'web',
    })
    try {
      const opened = other.projects.open(store.file)
      const list = await other.dispatch('experiments.list', { projectId: opened.projectId })
      if (!list.ok) throw new Error('list failed')
      const listed = list.value as CallOutput<'experiments.list'>
      expect(listed.find((e) => e.experimentId === experimentId)!.status).toBe('interrupted')
      // The other services' own experiments stay as they are.
      expect(listed.filter((e) => e.status === 'interrupted').map((e) => e.experimentId)).toEqual([
        experimentId,
      ])
    } finally {
      other.close()
    }
  })
})
