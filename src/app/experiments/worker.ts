/**
 * The training worker: the entry point of a `worker_thread` that trains (or scores, for the motif scan) one
 * run of an experiment, so the main event loop never does model maths (DESIGN.md: jobs never block the UI).
 *
 * Bundled on its own: `scripts/build-cli.mjs` → out/cli/train-worker.cjs, electron-vite → out/main/
 * train-worker.js (see `workerFile()` in runner.ts). Each worker has its own TensorFlow.js instance and so
 * chooses its own engine (`getEngineInfo()`, or the backend the spec names) and, on wasm, registers the
 * forward-convolution gradients, without which convolutions cannot train there.
 *
 * Training goes one epoch per call of core's `train`, handing each call the previous one's weights,
 * optimizer state and history: this is exactly how a resumed run continues (core's `train` is built for
 * it, and its batch order and dropout masks depend on seed and epoch only), and it gives the weights and
 * the optimizer state of every finished epoch to post to the main thread, which stores them.
 */
import { parentPort } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { registerWasmConvGradients } from '../../core/engine/wasm-gradients'
import { selectBackend } from '../../core/engine/backend'
import { buildModel } from '../../core/models/build'
import { createPwmPredictor } from '../../core/models/pwm'
import { ModelSpec, type NeuralModelSpec } from '../../core/models/specs'
import { packWeights, setWeights, unpackWeights, type NamedWeights } from '../../core/models/weights'
import { Rng } from '../../core/random'
import type { OptimizerState } from '../../core/training/adam'
import { predictScores, train, type BatchSource, type EpochMetrics } from '../../core/training/train'
import type { EngineInfo } from '../../shared/contract'
import { toErrorData } from '../../shared/errors'
import { engineCandidates, getEngineInfo } from '../engine'
import { runGrnTrain } from '../grn/train-worker'
import type { BenchMessage, FromWorker, PackedOptimizerState, ToWorker, TrainMessage } from './protocol'
import { trainingSet } from './resampling'
import { makeSource, sequenceViews } from './sources'

type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void

async function initEngine(choice: 'auto' | 'wasm' | 'cpu'): Promise<EngineInfo> {
  const info =
    choice === 'auto'
      ? await getEngineInfo()
      : await selectBackend(
          tf,
          engineCandidates().filter((c) => c.name === choice),
        )
  // Without these kernels the wasm backend cannot train a convolution at all.
  if (info.backend === 'wasm') registerWasmConvGradients()
  return info
}

function packState(state: OptimizerState): PackedOptimizerState {
  return { name: 'adam', iterations: state.iterations, moments: packWeights(state.moments) }
}

function unpackState(state: PackedOptimizerState): OptimizerState {
  return { name: 'adam', iterations: state.iterations, moments: unpackWeights(state.moments) }
}

async function runTrain(message: TrainMessage, signal: AbortSignal, post: Post): Promise<void> {
  const { spec, data } = message
  const engine = await initEngine(spec.engine)
  post({ type: 'engine', engine })
  const sequences = sequenceViews(data)
  const val = makeSource(data, sequences, data.val, { input: spec.input })
  const test = makeSource(data, sequences, data.test, { input: spec.input })
  const evalBatchSize = Math.max(spec.training.batchSize, 1000)
  const model = ModelSpec.parse(spec.model)

  if (model.kind === 'pwm') {
    // Nothing to train: the matrix scores validation and test directly.
    const started = performance.now()
    const predictor = createPwmPredictor(model, { motifs: message.motifs, sampleShape: val.sampleShape })
    const valScores = predictScores(predictor, val, evalBatchSize).scores
    const testScores = predictScores(predictor, test, evalBatchSize).scores
    post(
      {
        type: 'result',
        cancelled: false,
        stoppedEarly: false,
        bestEpoch: null,
        epochsDone: 0,
        val: valScores,
        test: testScores,
        probabilities: false,
        trainSeconds: 0,
        evalSeconds: (performance.now() - started) / 1000,
      },
      [valScores.buffer as ArrayBuffer, testScores.buffer as ArrayBuffer],
    )
    return
  }

  // The training set as trained: resampled (training part only) and weighted, seeded by the spec.
  const set = trainingSet({
    sequences,
    labels: data.labels,
    fileWeights: data.fileWeights,
    train: data.train,
    input: spec.input,
    resampling: spec.resampling,
    weighting: spec.weighting,
    classWeights: spec.classWeights,
  })
  post({ type: 'balance', balance: set.balance })
  const trainSource = makeSource(data, sequences, set.rows, {
    input: spec.input,
    weights: set.weights,
    resampled: { labels: set.labels, synthetic: set.synthetic },
    augmentSeed: spec.seed,
  })
  const net = buildModel(model as NeuralModelSpec, { inputShape: trainSource.sampleShape, seed: spec.seed })
  let history: EpochMetrics[] = message.resume ? message.resume.history : []
  let last: NamedWeights | undefined = message.resume && unpackWeights(message.resume.lastWeights)
  let best: NamedWeights | undefined = message.resume && unpackWeights(message.resume.bestWeights)
  let optimizer: OptimizerState | undefined = message.resume && unpackState(message.resume.optimizerState)
  const earlyStopping = spec.training.earlyStopping ?? undefined
  let bestEpoch: number | null = message.resume ? bestOf(history, earlyStopping?.metric ?? 'val_auroc') : null
  let cancelled = false
  let stoppedEarly = false
  const { training } = spec
  const started = performance.now()
  for (let epoch = history.length + 1; epoch <= training.epochs; epoch++) {
    trainSource.epoch = epoch
    const result = await train({
      model: net,
      data: { train: trainSource as BatchSource, val },
      optimizer: { name: 'adam', ...training.optimizer },
      epochs: epoch,
      batchSize: training.batchSize,
      seed: spec.seed,
      earlyStopping,
      evalBatchSize,
      signal,
      onBatch: (p) => post({ type: 'batch', ...p }),
      initialWeights: last,
      initialOptimizerState: optimizer,
      startEpoch: epoch - 1,
      previousHistory: history,
      previousBestWeights: best,
      restoreBest: false,
    })
    if (result.cancelled) {
      cancelled = true
      break
    }
    const improved = result.bestEpoch !== bestEpoch || best === undefined
    history = result.history
    last = result.lastWeights
    best = result.bestWeights
    optimizer = result.optimizerState
    bestEpoch = result.bestEpoch ?? null
    const lastPacked = packWeights(last!)
    const bestPacked = improved && best ? packWeights(best) : null
    const statePacked = packState(optimizer!)
    post(
      {
        type: 'epoch',
        metrics: history[history.length - 1]!,
        bestEpoch,
        bestWeights: bestPacked,
        lastWeights: lastPacked,
        optimizerState: statePacked,
      },
      [
        lastPacked.data.buffer,
        statePacked.moments.data.buffer,
        ...(bestPacked ? [bestPacked.data.buffer] : []),
      ].map((b) => b as ArrayBuffer),
    )
    if (result.stoppedEarly) {
      stoppedEarly = true
      break
    }
  }
  const trainSeconds = (performance.now() - started) / 1000
  if (cancelled || !best) {
    post({
      type: 'result',
      cancelled: true,
      stoppedEarly,
      bestEpoch,
      epochsDone: history.length,
      val: null,
      test: null,
      probabilities: true,
      trainSeconds,
      evalSeconds: 0,
    })
    return
  }
  // A resumed run that had already finished every epoch still knows its best epoch from the history.
  bestEpoch ??= bestOf(history, earlyStopping?.metric ?? 'val_auroc')
  const evalStarted = performance.now()
  setWeights(net, best)
  const valScores = predictScores(net, val, evalBatchSize).scores
  const testScores = predictScores(net, test, evalBatchSize).scores
  post(
    {
      type: 'result',
      cancelled: false,
      stoppedEarly,
      bestEpoch,
      epochsDone: history.length,
      val: valScores,
      test: testScores,
      probabilities: true,
      trainSeconds,
      evalSeconds: (performance.now() - evalStarted) / 1000,
    },
    [valScores.buffer as ArrayBuffer, testScores.buffer as ArrayBuffer],
  )
}

/** The epoch with the best monitored metric (first of equals), as core's training loop picks it. */
function bestOf(history: EpochMetrics[], metric: 'val_auroc' | 'val_auprc' | 'val_loss'): number | null {
  let best: number | null = null
  let bestScore = -Infinity
  for (const m of history) {
    const v = metric === 'val_auroc' ? m.valAuroc : metric === 'val_auprc' ? m.valAuprc : -m.valLoss
    if (v !== null && Number.isFinite(v) && v > bestScore) {
      bestScore = v
      best = m.epoch
    }
  }
  return best ?? history[history.length - 1]?.epoch ?? null
}

/** Random one-hot DNA windows with random labels: enough to time the seed CNN. */
function randomWindows(count: number, length: number, seed: number): BatchSource {
  const rng = Rng.seeded(seed)
  const x = new Float32Array(count * length * 4)
  for (let i = 0; i < count * length; i++) x[i * 4 + rng.int(4)] = 1
  const y = Float32Array.from({ length: count }, () => rng.int(2))
  const size = length * 4
  return {
    size: count,
    sampleShape: [length, 4],
    batch(indices) {
      const xs = new Float32Array(indices.length * size)
      const ys = new Float32Array(indices.length)
      indices.forEach((r, b) => {
        xs.set(x.subarray(r * size, (r + 1) * size), b * size)
        ys[b] = y[r]!
      })
      return { x: xs, y: ys }
    },
  }
}

/**
 * Times the seed CNN (3 × conv1d 15×10, dropout 0.5, 101×4, batch `batchSize`) through the real training
 * loop (core's `train`) or inference path (`predictScores`), after one untimed warm-up batch.
 */
async function runBench(message: BenchMessage, post: Post): Promise<void> {
  const engine = await initEngine(message.engine)
  const net = buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 1 })
  const { batchSize, batches } = message
  const source = randomWindows(batchSize * (batches + 1), 101, 7)
  if (message.task === 'infer') {
    predictScores(net, randomWindows(batchSize, 101, 8), batchSize)
    const started = performance.now()
    predictScores(net, source, batchSize)
    const seconds = (performance.now() - started) / 1000
    post({ type: 'benchResult', samples: source.size, seconds, engine })
    return
  }
  // The clock starts when the warm-up batch ends, so the timed span is the last `batches` steps.
  let clock = 0
  let seconds = 0
  await train({
    model: net,
    data: { train: source, val: randomWindows(10, 101, 9) },
    epochs: 1,
    batchSize,
    seed: 3,
    onBatch: (p) => {
      if (p.batch === 1) clock = performance.now()
      if (p.batch === p.batches) seconds = (performance.now() - clock) / 1000
    },
  })
  post({ type: 'benchResult', samples: batchSize * batches, seconds, engine })
}

if (parentPort) {
  const port = parentPort
  const controller = new AbortController()
  const post: Post = (message, transfer) => port.postMessage(message, transfer ?? [])
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cancel') {
      controller.abort()
      return
    }
    const work =
      message.type === 'train'
        ? message.data.grn
          ? runGrnTrain(message, controller.signal, post, initEngine)
          : runTrain(message, controller.signal, post)
        : runBench(message, post)
    work.catch((err: unknown) => {
      post({ type: 'error', error: toErrorData(err), stack: err instanceof Error ? err.stack : undefined })
    })
  })
}
