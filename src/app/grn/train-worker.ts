/**
 * One run of a CNNC or DeepDRIM experiment inside the training worker (src/app/experiments/worker.ts hands
 * a `train` message whose data carry `grn` here). The protocol is the worker's own: `engine`, `batch` per
 * batch, `epoch` per finished epoch with the weights and optimizer state to store, then `result` with the
 * validation and test scores of the best weights. As for sequence models, training goes one epoch per call
 * of core's `train`, each continuing from the previous epoch's weights and optimizer state, which is also
 * how a resumed run continues.
 *
 * Images are made per batch from the matrix (training.ts `PairImages`); the sample weights are the
 * spec's weighting on the training pairs (`balanced` by default: equal total weight per class).
 */
import { classWeights, sampleWeights } from '../../core/imbalance/weights'
import { buildModel } from '../../core/models/build'
import { ModelSpec, type CnncSpec, type DeepdrimSpec } from '../../core/models/specs'
import { packWeights, setWeights, unpackWeights, type NamedWeights } from '../../core/models/weights'
import type { OptimizerState } from '../../core/training/adam'
import { predictScores, train, type EpochMetrics } from '../../core/training/train'
import type { EngineInfo } from '../../shared/contract'
import type { FromWorker, PackedOptimizerState, TrainMessage } from '../experiments/protocol'
import { PairImages, pairSource, type GrnWorkerData } from './training'

type Post = (message: FromWorker, transfer?: ArrayBuffer[]) => void

/** Sample weights of the training pairs, per row of `train` (null: unweighted). */
export function grnTrainingWeights(
  labels: Float32Array,
  train: Int32Array,
  weighting: string,
  custom?: Record<string, number>,
): Float32Array | null {
  if (weighting !== 'balanced' && weighting !== 'custom') return null
  const y = Array.from(train, (i) => labels[i]!)
  const rows = { train: Int32Array.from(y, (_, i) => i) }
  const weights = classWeights(y, weighting === 'custom' ? (custom ?? {}) : 'balanced', rows)
  return sampleWeights(y, weights, rows)
}

export async function runGrnTrain(
  message: TrainMessage,
  signal: AbortSignal,
  post: Post,
  initEngine: (choice: 'auto' | 'wasm' | 'cpu') => Promise<EngineInfo>,
): Promise<void> {
  const { spec, data } = message
  const grn = (data as { grn?: GrnWorkerData }).grn!
  const engine = await initEngine(spec.engine)
  post({ type: 'engine', engine })
  const model = ModelSpec.parse(spec.model) as CnncSpec | DeepdrimSpec
  const images = new PairImages(grn, model)
  const weights = grnTrainingWeights(data.labels, data.train, spec.weighting, spec.classWeights)
  images.prepare(data.train)
  images.prepare(data.val)
  images.prepare(data.test)
  const trainSource = pairSource(images, data.train, data.labels, weights)
  const val = pairSource(images, data.val, data.labels)
  const test = pairSource(images, data.test, data.labels)
  // Validation batches of images are large ([batch, 23, 32, 32] for DeepDRIM): a few hundred at a time.
  const evalBatchSize = Math.max(spec.training.batchSize, 256)
  const net = buildModel(model, { inputShape: images.sampleShape, seed: spec.seed })

  let history: EpochMetrics[] = message.resume ? message.resume.history : []
  let last: NamedWeights | undefined = message.resume && unpackWeights(message.resume.lastWeights)
  let best: NamedWeights | undefined = message.resume && unpackWeights(message.resume.bestWeights)
  let optimizer: OptimizerState | undefined = message.resume && unpackState(message.resume.optimizerState)
  const earlyStopping = spec.training.earlyStopping ?? undefined
  const metric = earlyStopping?.metric ?? 'val_auroc'
  let bestEpoch: number | null = message.resume ? bestOf(history, metric) : null
  let cancelled = false
  let stoppedEarly = false
  const started = performance.now()
  for (let epoch = history.length + 1; epoch <= spec.training.epochs; epoch++) {
    const result = await train({
      model: net,
      data: { train: trainSource, val },
      optimizer: { name: 'adam', ...spec.training.optimizer },
      epochs: epoch,
      batchSize: spec.training.batchSize,
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
    const statePacked: PackedOptimizerState = {
      name: 'adam',
      iterations: optimizer!.iterations,
      moments: packWeights(optimizer!.moments),
    }
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
  bestEpoch ??= bestOf(history, metric)
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

function unpackState(state: PackedOptimizerState): OptimizerState {
  return { name: 'adam', iterations: state.iterations, moments: unpackWeights(state.moments) }
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
