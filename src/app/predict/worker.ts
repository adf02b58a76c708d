/**
 * The prediction worker: the entry point of a `worker_thread` that rebuilds an experiment's model and
 * scores rows with it, so the services' event loop never runs model maths (DESIGN.md: jobs never block the
 * UI). Bundled on its own like the training worker: out/cli/predict-worker.cjs, out/main/predict-worker.js.
 *
 * The rows go through the training code's own batch source (`makeSource`: one-hot rows as long as the
 * data set's longest sequence, or k-mer counts) and `predictScores`, so a window scores here exactly as it
 * scored when the experiment evaluated it, on the scale of its threshold. A k-fold experiment's score is the
 * mean of its folds'. Rows are scored a chunk at a time; between chunks the worker
 * reports progress and yields to its event loop, which is where a `cancel` message gets in.
 */
import { parentPort } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { selectBackend } from '../../core/engine/backend'
import { registerWasmConvGradients } from '../../core/engine/wasm-gradients'
import { buildModel } from '../../core/models/build'
import type { Predictor } from '../../core/models/predictor'
import { createPwmPredictor } from '../../core/models/pwm'
import { ModelSpec, type NeuralModelSpec } from '../../core/models/specs'
import { setWeights, unpackWeights } from '../../core/models/weights'
import { predictScores } from '../../core/training/train'
import type { EngineInfo } from '../../shared/contract'
import { toErrorData } from '../../shared/errors'
import { engineCandidates, getEngineInfo } from '../engine'
import type { WorkerData } from '../experiments/protocol'
import { makeSource, sampleShapeOf } from '../experiments/sources'
import type { FromPredictWorker, PredictMessage, ToPredictWorker } from './protocol'

type Post = (message: FromPredictWorker, transfer?: ArrayBuffer[]) => void

/** Rows per progress step (and per chance to cancel). */
const CHUNK = 4096
const BATCH = 1000

async function initEngine(choice: 'auto' | 'wasm' | 'cpu'): Promise<EngineInfo> {
  const info =
    choice === 'auto'
      ? await getEngineInfo()
      : await selectBackend(
          tf,
          engineCandidates().filter((c) => c.name === choice),
        )
  // The same kernels the training worker registers, so a model runs on the same code path.
  if (info.backend === 'wasm') registerWasmConvGradients()
  return info
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

async function runPredict(message: PredictMessage, signal: AbortSignal, post: Post): Promise<void> {
  const { spec } = message
  post({ type: 'engine', engine: await initEngine(spec.engine) })
  const n = message.starts.length
  const sequences = new Array<Uint8Array>(n)
  for (let i = 0; i < n; i++) sequences[i] = message.codes.subarray(message.starts[i]!, message.ends[i]!)
  // The training source reads only alphabet, length and labels of the data.
  const data = {
    alphabet: message.alphabet,
    length: message.length,
    labels: new Float32Array(n),
  } as WorkerData
  const sampleShape = sampleShapeOf(spec.input, message.alphabet, message.length)
  const model = ModelSpec.parse(spec.model)
  const predictors: Predictor[] = []
  const nets: { dispose(): void }[] = []
  if (model.kind === 'pwm') {
    predictors.push(createPwmPredictor(model, { motifs: message.motifs, sampleShape }))
  } else {
    for (const packed of message.weights) {
      const net = buildModel(model as NeuralModelSpec, { inputShape: sampleShape, seed: spec.seed })
      setWeights(net, unpackWeights(packed))
      nets.push(net)
      predictors.push(net as unknown as Predictor)
    }
  }
  const scores = new Float64Array(n)
  try {
    for (let from = 0; from < n; from += CHUNK) {
      await nextTurn()
      if (signal.aborted) {
        post({ type: 'result', cancelled: true, scores: null })
        return
      }
      const to = Math.min(n, from + CHUNK)
      const rows = new Int32Array(to - from)
      for (let i = 0; i < rows.length; i++) rows[i] = from + i
      const source = makeSource(data, sequences, rows, { input: spec.input })
      for (const predictor of predictors) {
        const part = predictScores(predictor as Parameters<typeof predictScores>[0], source, BATCH).scores
        for (let i = 0; i < part.length; i++) scores[from + i]! += part[i]! / predictors.length
      }
      post({ type: 'progress', done: to, total: n })
    }
  } finally {
    for (const net of nets) net.dispose()
  }
  post({ type: 'result', cancelled: false, scores }, [scores.buffer as ArrayBuffer])
}

if (parentPort) {
  const port = parentPort
  const controller = new AbortController()
  const post: Post = (message, transfer) => port.postMessage(message, transfer ?? [])
  port.on('message', (message: ToPredictWorker) => {
    if (message.type === 'cancel') {
      controller.abort()
      return
    }
    runPredict(message, controller.signal, post).catch((err: unknown) => {
      post({ type: 'error', error: toErrorData(err), stack: err instanceof Error ? err.stack : undefined })
    })
  })
}
