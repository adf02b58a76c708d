/**
 * The training loop of every neural model, engine-agnostic (whatever tfjs backend the caller activated); the
 * app runs it in a worker thread.
 *
 * Why a custom loop and not `model.fit`: progress after every batch, cancel between batches, sample weights
 * in the loss exactly as documented (`loss.ts`), per-batch dropout seeds (reproducible runs), and an
 * optimizer state that can be stored and resumed (`adam.ts`). `fit`'s own bookkeeping also costs about as
 * much as the maths on the wasm backend (issue 5), which this loop does not pay.
 *
 * Data come through a `BatchSource`: the loop asks for batches by sample indices, shuffled each epoch, and
 * the source builds them on the fly (one-hot, k-mers...), so the whole encoded data set never sits in memory.
 *
 * Reproducibility: epoch e's order comes from `seed / epoch:e` and its dropout masks from `seed / dropout:e`
 * (src/core/random.ts forks), so they depend on the seed and the epoch only; with the weights and the
 * optimizer state of epoch e − 1 a resumed run does exactly what an uninterrupted one does.
 *
 * Epochs are numbered from 1; `startEpoch` is the number of epochs already finished (0 for a fresh run).
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { z } from 'zod'
import { InputError } from '../../shared/errors'
import { averagePrecision, logLoss, ONE_CLASS, rocAuc } from '../metrics'
import { layersPredictor, modelShapes, sizeOf, type Predictor } from '../models/predictor'
import { badParam, badParamFromZod } from '../models/specs'
import { getWeights, setWeights, type NamedWeights } from '../models/weights'
import { Rng, type Seed } from '../random'
import { Adam, OptimizerSpec, type OptimizerState, type TrainableVariable } from './adam'
import { weightedLossSum } from './loss'

/** Samples built on demand from their indices. */
export interface BatchSource {
  /** Number of samples; valid indices are 0 … size − 1. */
  size: number
  /** Shape of one sample, e.g. [101, 4]. */
  sampleShape: number[]
  /**
   * The samples at `indices`: x laid out [batch, ...sampleShape], y one label per sample (0/1, or the class
   * index for k classes), w an optional weight per sample (class weights: training split only).
   */
  batch(indices: Int32Array): { x: Float32Array; y: Float32Array; w?: Float32Array }
}

export const METRICS = ['val_auroc', 'val_auprc', 'val_loss'] as const
export type MonitoredMetric = (typeof METRICS)[number]

export const EarlyStoppingSpec = z
  .object({
    metric: z.enum(METRICS).default('val_auroc'),
    /** Epochs without improvement before stopping (Keras' `patience`). */
    patience: z.number().int().min(1).max(1000).default(3),
    /** Smallest change that counts as an improvement. */
    minDelta: z.number().min(0).max(1e6).default(0),
  })
  .strict()
export type EarlyStoppingSpec = z.infer<typeof EarlyStoppingSpec>

/** The JSON part of a training run, as the experiment spec embeds it. Defaults: the JunD seed recipe. */
export const TrainingSpec = z
  .object({
    optimizer: OptimizerSpec.default({ name: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
    epochs: z.number().int().min(1).max(10_000).default(10),
    batchSize: z.number().int().min(1).max(1_000_000).default(1000),
    earlyStopping: EarlyStoppingSpec.optional(),
  })
  .strict()
export type TrainingSpecInput = z.input<typeof TrainingSpec>

export interface BatchProgress {
  epoch: number
  /** 1-based batch number within the epoch. */
  batch: number
  batches: number
  /** Weighted mean loss of this batch, Σ w·loss / Σ w (measured before the step). */
  loss: number
}

export interface EpochMetrics {
  /** 1-based. */
  epoch: number
  /** Weighted mean training loss over the epoch (dropout on, weights changing as it goes). */
  trainLoss: number
  /** Validation log loss (src/core/metrics `logLoss`). */
  valLoss: number
  /** Null when the validation set holds one class only. */
  valAuroc: number | null
  valAuprc: number | null
  /** Wall time of the epoch, validation included. */
  seconds: number
}

export interface TrainOptions {
  model: tfl.LayersModel
  data: { train: BatchSource; val: BatchSource }
  optimizer?: z.input<typeof OptimizerSpec>
  /** The last epoch to reach (total, counting epochs finished before `startEpoch`). */
  epochs: number
  batchSize: number
  seed: Seed
  earlyStopping?: z.input<typeof EarlyStoppingSpec>
  /** Metric that picks the best epoch (default: the early-stopping metric, else val_auroc). */
  bestBy?: MonitoredMetric
  /** Batch size of validation predictions (default max(batchSize, 1000)). */
  evalBatchSize?: number
  signal?: AbortSignal
  onBatch?(p: BatchProgress): void
  onEpoch?(m: EpochMetrics): void
  /** Weights to start from (a resumed run: `lastWeights` of the interrupted one). */
  initialWeights?: NamedWeights
  initialOptimizerState?: OptimizerState
  /** Epochs already finished (0 = a fresh run). */
  startEpoch?: number
  /** The finished epochs of the interrupted run, so early stopping and the best epoch carry on. */
  previousHistory?: EpochMetrics[]
  /** The best weights of the interrupted run (with `previousHistory`). */
  previousBestWeights?: NamedWeights
  /** Leave the model holding the best weights at the end (default true). */
  restoreBest?: boolean
}

export interface TrainResult {
  /** True when the signal aborted the run; the epochs are those finished before. */
  cancelled: boolean
  /** True when early stopping ended the run. */
  stoppedEarly: boolean
  /** Every finished epoch, `previousHistory` included. */
  history: EpochMetrics[]
  /** Epoch of the best weights (undefined when no epoch has finished). */
  bestEpoch?: number
  bestWeights?: NamedWeights
  /** Epochs finished: the `startEpoch` of a resumed run. */
  epochsDone: number
  /** Weights at the end of the last finished epoch, to resume from. */
  lastWeights?: NamedWeights
  /** Optimizer state at the end of the last finished epoch, to resume from. */
  optimizerState?: OptimizerState
}

interface Checked {
  optimizer: OptimizerSpec
  earlyStopping?: EarlyStoppingSpec
  bestBy: MonitoredMetric
  startEpoch: number
  evalBatchSize: number
}

function checkOptions(o: TrainOptions): Checked {
  const spec = TrainingSpec.safeParse({
    optimizer: o.optimizer ?? {},
    epochs: o.epochs,
    batchSize: o.batchSize,
    earlyStopping: o.earlyStopping,
  })
  if (!spec.success) throw badParamFromZod(spec.error)
  const startEpoch = o.startEpoch ?? 0
  if (!Number.isInteger(startEpoch) || startEpoch < 0 || startEpoch > o.epochs) {
    throw badParam('startEpoch', `a whole number from 0 to epochs (${o.epochs})`, startEpoch)
  }
  const evalBatchSize = o.evalBatchSize ?? Math.max(o.batchSize, 1000)
  if (!Number.isInteger(evalBatchSize) || evalBatchSize < 1) {
    throw badParam('evalBatchSize', 'a whole number ≥ 1', evalBatchSize)
  }
  if (o.bestBy !== undefined && !METRICS.includes(o.bestBy)) {
    throw badParam('bestBy', METRICS.join(', '), o.bestBy)
  }
  const { sampleShape } = modelShapes(o.model)
  for (const [name, source] of [
    ['train', o.data.train],
    ['val', o.data.val],
  ] as const) {
    if (!Number.isInteger(source.size) || source.size < 1) {
      throw badParam(`data.${name}`, 'at least one sample', source.size)
    }
    if (source.sampleShape.join(',') !== sampleShape.join(',')) {
      throw badParam(
        `data.${name}.sampleShape`,
        `[${sampleShape.join(', ')}] (the model's input)`,
        source.sampleShape,
      )
    }
  }
  if (o.previousHistory && o.previousHistory.length !== startEpoch) {
    throw badParam('previousHistory', `${startEpoch} epochs (startEpoch)`, o.previousHistory.length)
  }
  try {
    Rng.seeded(o.seed)
  } catch {
    throw badParam('seed', 'a whole number ≥ 0 or a non-empty text', o.seed)
  }
  return {
    optimizer: spec.data.optimizer,
    earlyStopping: spec.data.earlyStopping,
    bestBy: o.bestBy ?? spec.data.earlyStopping?.metric ?? 'val_auroc',
    startEpoch,
    evalBatchSize,
  }
}

/** The value of the monitored metric, oriented so that larger is better (null: undefined this epoch). */
function score(m: EpochMetrics, metric: MonitoredMetric): number | null {
  const v = metric === 'val_auroc' ? m.valAuroc : metric === 'val_auprc' ? m.valAuprc : -m.valLoss
  return v === null || !Number.isFinite(v) ? null : v
}

/** Tracks the best epoch and the epochs since an improvement of at least `minDelta` (Keras' rule). */
class Monitor {
  best: number | null = null
  bestEpoch: number | undefined
  wait = 0

  constructor(
    private readonly metric: MonitoredMetric,
    private readonly minDelta: number,
  ) {}

  /** Records an epoch; true when it is the new best. */
  update(m: EpochMetrics): boolean {
    const s = score(m, this.metric)
    if (s !== null && (this.best === null || s > this.best + this.minDelta)) {
      this.best = s
      this.bestEpoch = m.epoch
      this.wait = 0
      return true
    }
    this.wait++
    return false
  }
}

/** Dropout layers, whose mask seed the loop sets before every batch (tfjs keeps it in the layer's `seed`). */
interface SeedableLayer {
  seed?: number
}

function dropoutLayers(model: tfl.LayersModel): SeedableLayer[] {
  return model.layers
    .filter((l) =>
      ['Dropout', 'SpatialDropout1D', 'GaussianDropout', 'AlphaDropout'].includes(l.getClassName()),
    )
    .map((l) => l as unknown as SeedableLayer)
}

/** Lets the event loop run (an abort message, a progress post) between batches. */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown }
  return new Promise((resolve) => (g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0)))
}

/** A fresh permutation of 0 … n − 1 (Fisher–Yates with the seeded generator). */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const held = order[i]!
    order[i] = order[j]!
    order[j] = held
  }
  return order
}

function checkBatch(
  b: { x: Float32Array; y: Float32Array; w?: Float32Array },
  count: number,
  sampleSize: number,
): void {
  if (b.x.length !== count * sampleSize || b.y.length !== count || (b.w && b.w.length !== count)) {
    throw new Error(
      `BatchSource returned x ${b.x.length}, y ${b.y.length}, w ${b.w?.length} values for ${count} samples ` +
        `of size ${sampleSize}`,
    )
  }
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const checked = checkOptions(options)
  const { model, data, signal } = options
  const { sampleShape } = modelShapes(model)
  const sampleSize = sizeOf(sampleShape)
  const root = Rng.seeded(options.seed)

  if (options.initialWeights) setWeights(model, options.initialWeights)
  const variables: TrainableVariable[] = model.trainableWeights.map((w) => ({
    name: w.originalName,
    variable: w.read() as tf.Variable,
  }))
  const adam = new Adam(checked.optimizer, variables, options.initialOptimizerState)
  const dropouts = dropoutLayers(model)

  const history: EpochMetrics[] = [...(options.previousHistory ?? [])]
  // Best epoch and patience follow the monitored metric; the best weights follow `bestBy`.
  const stopper = checked.earlyStopping
    ? new Monitor(checked.earlyStopping.metric, checked.earlyStopping.minDelta)
    : undefined
  const bestTracker = new Monitor(checked.bestBy, 0)
  for (const m of history) {
    stopper?.update(m)
    bestTracker.update(m)
  }
  let bestWeights = options.previousBestWeights
  let lastWeights: NamedWeights | undefined
  let optimizerState: OptimizerState | undefined
  let cancelled = false
  let stoppedEarly = false

  try {
    for (let epoch = checked.startEpoch + 1; epoch <= options.epochs; epoch++) {
      const started = performance.now()
      const order = shuffledIndices(data.train.size, root.fork(`epoch:${epoch}`))
      const dropoutRng = root.fork(`dropout:${epoch}`)
      const batchSize = options.batchSize
      const batches = Math.ceil(order.length / batchSize)
      let lossSum = 0
      let weightSum = 0
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) {
          cancelled = true
          break
        }
        const indices = order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize))
        const batch = data.train.batch(indices)
        checkBatch(batch, indices.length, sampleSize)
        for (const layer of dropouts) layer.seed = dropoutRng.next()
        const batchLossSum = trainStep(model, adam, variables, batch, indices.length, sampleShape)
        const batchWeight = batch.w ? sumOf(batch.w) : indices.length
        lossSum += batchLossSum
        weightSum += batchWeight
        options.onBatch?.({ epoch, batch: b + 1, batches, loss: batchLossSum / batchWeight })
        await yieldToEventLoop()
      }
      if (cancelled || signal?.aborted) {
        cancelled = true
        break
      }
      const metrics = validate(model, data.val, checked.evalBatchSize)
      const epochMetrics: EpochMetrics = {
        epoch,
        trainLoss: lossSum / weightSum,
        ...metrics,
        seconds: (performance.now() - started) / 1000,
      }
      lastWeights = getWeights(model)
      optimizerState = adam.getState()
      history.push(epochMetrics)
      if (bestTracker.update(epochMetrics)) bestWeights = lastWeights
      const stop =
        stopper !== undefined &&
        stopper.update(epochMetrics) === false &&
        stopper.wait >= checked.earlyStopping!.patience
      options.onEpoch?.(epochMetrics)
      if (stop) {
        stoppedEarly = true
        break
      }
    }
  } finally {
    adam.dispose()
    for (const layer of dropouts) layer.seed = undefined
  }

  // No epoch ever had the metric (one class in validation): the last weights are the best we know.
  let bestEpoch = bestTracker.bestEpoch
  if (bestEpoch === undefined && history.length > 0) {
    bestEpoch = history[history.length - 1]!.epoch
    bestWeights = lastWeights ?? bestWeights
  }
  if ((options.restoreBest ?? true) && bestWeights) setWeights(model, bestWeights)
  return {
    cancelled,
    stoppedEarly,
    history,
    bestEpoch,
    bestWeights,
    epochsDone: history.length,
    lastWeights: lastWeights ?? options.initialWeights,
    optimizerState: optimizerState ?? options.initialOptimizerState,
  }
}

/** One optimizer step; returns the batch's Σ w·loss (before the step). */
function trainStep(
  model: tfl.LayersModel,
  adam: Adam,
  variables: TrainableVariable[],
  batch: { x: Float32Array; y: Float32Array; w?: Float32Array },
  count: number,
  sampleShape: number[],
): number {
  let lossSum: tf.Scalar | undefined
  const xs = tf.tensor(batch.x, [count, ...sampleShape], 'float32')
  const ys = tf.tensor1d(batch.y, 'float32')
  const ws = batch.w ? tf.tensor1d(batch.w, 'float32') : undefined
  try {
    const { value, grads } = tf.variableGrads(
      () => {
        const probs = model.apply(xs, { training: true }) as tf.Tensor
        lossSum = tf.keep(weightedLossSum(ys, probs, ws))
        // Regularisation penalties (L2 on kernels) join the objective, not the reported loss.
        const penalties = model.calculateLosses()
        return penalties.reduce((total: tf.Scalar, r) => tf.add(total, r), tf.div(lossSum, count))
      },
      variables.map((v) => v.variable),
    )
    adam.step(variables.map((v) => grads[v.variable.name]))
    tf.dispose(grads)
    value.dispose()
    return lossSum!.dataSync()[0]!
  } finally {
    tf.dispose([xs, ys, ...(ws ? [ws] : []), ...(lossSum ? [lossSum] : [])])
  }
}

function sumOf(values: Float32Array): number {
  let s = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new InputError('training.bad_weight', `Sample weight ${v} is not a finite number ≥ 0`, {
        expected: 'weights ≥ 0',
        found: String(v),
      })
    }
    s += v
  }
  return s
}

export interface Scores {
  /** [n] for binary models, [n, k] for k classes. */
  scores: Float32Array
  /** The labels the source gave, in index order. */
  y: Float32Array
  /** The weights the source gave, if any. */
  w?: Float32Array
}

/** Scores every sample of `source` in index order, `batchSize` at a time (inference mode). */
export function predictScores(
  model: tfl.LayersModel | Predictor,
  source: BatchSource,
  batchSize: number,
): Scores {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw badParam('batchSize', 'a whole number ≥ 1', batchSize)
  const predictor = 'predict' in model && 'outputsPerSample' in model ? model : layersPredictor(model)
  const k = predictor.outputsPerSample
  const sampleSize = sizeOf(predictor.sampleShape)
  const n = source.size
  const scores = new Float32Array(n * k)
  const y = new Float32Array(n)
  let w: Float32Array | undefined
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start)
    const indices = new Int32Array(count)
    for (let i = 0; i < count; i++) indices[i] = start + i
    const batch = source.batch(indices)
    checkBatch(batch, count, sampleSize)
    scores.set(predictor.predict(batch.x), start * k)
    y.set(batch.y, start)
    if (batch.w) {
      w ??= new Float32Array(n)
      w.set(batch.w, start)
    }
  }
  return w ? { scores, y, w } : { scores, y }
}

/** Validation loss, AUROC and AUPRC (macro one-vs-rest over the classes present for k classes). */
function validate(
  model: tfl.LayersModel,
  source: BatchSource,
  batchSize: number,
): Pick<EpochMetrics, 'valLoss' | 'valAuroc' | 'valAuprc'> {
  const { scores, y, w } = predictScores(model, source, batchSize)
  return evaluateScores(scores, y, w, modelShapes(model).outputs)
}

/**
 * Log loss, AUROC and AUPRC of probabilities; for k > 1 outputs per sample, AUROC and AUPRC are the
 * unweighted mean over classes of one-vs-rest values (classes with one side missing are left out).
 */
export function evaluateScores(
  scores: Float32Array,
  y: Float32Array,
  w: Float32Array | undefined,
  outputsPerSample: number,
): { valLoss: number; valAuroc: number | null; valAuprc: number | null } {
  const sampleWeight = w
  if (outputsPerSample === 1) {
    return {
      valLoss: logLoss(y, scores, { sampleWeight }),
      valAuroc: orNull(() => rocAuc(y, scores, { sampleWeight })),
      valAuprc: orNull(() => averagePrecision(y, scores, { sampleWeight })),
    }
  }
  const k = outputsPerSample
  const n = y.length
  const rows = Array.from({ length: n }, (_, i) => scores.subarray(i * k, (i + 1) * k))
  const aurocs: number[] = []
  const auprcs: number[] = []
  for (let c = 0; c < k; c++) {
    const yc = new Float32Array(n)
    const sc = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      yc[i] = y[i] === c ? 1 : 0
      sc[i] = scores[i * k + c]!
    }
    const auroc = orNull(() => rocAuc(yc, sc, { sampleWeight }))
    if (auroc !== null) {
      aurocs.push(auroc)
      auprcs.push(averagePrecision(yc, sc, { sampleWeight }))
    }
  }
  const mean = (a: number[]): number | null => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : null)
  return { valLoss: logLoss(y, rows, { sampleWeight }), valAuroc: mean(aurocs), valAuprc: mean(auprcs) }
}

function orNull(f: () => number): number | null {
  try {
    return f()
  } catch (err) {
    if (err instanceof InputError && err.code === ONE_CLASS) return null
    throw err
  }
}
