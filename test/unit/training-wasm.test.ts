/**
 * CNNs trained by the training loop on the wasm backend (the offline default) with the forward-convolution
 * gradients of src/core/engine/wasm-gradients.ts, on a planted 4-mer in random DNA (one-hot, built per batch):
 * they learn it, leak no tensors, and repeat themselves for the same seed.
 *
 * What the seed CNN can learn from 400 windows (measured while writing this test): it has no pooling, its
 * dense layer has one weight per position and filter, so it learns a motif planted at a fixed place (the
 * centre, as in summit-centred windows) in 3 epochs, but a 4-mer at a random place stays at AUROC ≈ 0.5
 * (also with 4,000 windows for 4 epochs, or 15 epochs on 400). The `globalMax` head (each filter's best match
 * anywhere) learns the wandering 4-mer in 3 epochs.
 */
import * as path from 'node:path'
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs-core'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmConvGradients } from '../../src/core/engine/wasm-gradients'
import { buildModel, getWeights } from '../../src/core/models'
import { Rng } from '../../src/core/random'
import { oneHotBatch } from '../../src/core/sequence/encode'
import { predictScores, train, type BatchSource } from '../../src/core/training'
import { rocAuc } from '../../src/core/metrics'

const require = createRequire(import.meta.url)

beforeAll(async () => {
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep)
  registerWasmConvGradients()
  expect(await tf.setBackend('wasm')).toBe(true)
  await tf.ready()
})

const MOTIF = [3, 3, 0, 2] // TTAG
const LENGTH = 101

function hasMotif(codes: Uint8Array): number {
  for (let p = 0; p + MOTIF.length <= codes.length; p++) {
    if (MOTIF.every((c, k) => codes[p + k] === c)) return p
  }
  return -1
}

/**
 * 400 windows of random DNA, half with the 4-mer planted (at the centre, or anywhere), the rest cleaned of it.
 */
function plantedTask(
  seed: number,
  where: 'centre' | 'anywhere',
): { seqs: Uint8Array[]; labels: Float32Array } {
  const rng = Rng.seeded(seed)
  const seqs: Uint8Array[] = []
  const labels = new Float32Array(400)
  for (let i = 0; i < 400; i++) {
    const codes = Uint8Array.from({ length: LENGTH }, () => rng.int(4))
    labels[i] = i % 2
    const centre = (LENGTH - MOTIF.length) >> 1
    if (labels[i] === 1) codes.set(MOTIF, where === 'centre' ? centre : rng.int(LENGTH - MOTIF.length + 1))
    else for (let p = hasMotif(codes); p >= 0; p = hasMotif(codes)) codes[p + 3] = (codes[p + 3]! + 1) % 4
    seqs.push(codes)
  }
  return { seqs, labels }
}

function source(task: { seqs: Uint8Array[]; labels: Float32Array }, records: number[]): BatchSource {
  return {
    size: records.length,
    sampleShape: [LENGTH, 4],
    batch(indices) {
      const rows = Array.from(indices, (i) => records[i]!)
      return { x: oneHotBatch(task.seqs, rows, LENGTH), y: Float32Array.from(rows, (r) => task.labels[r]!) }
    },
  }
}

function split(task: { seqs: Uint8Array[]; labels: Float32Array }): { train: BatchSource; val: BatchSource } {
  return {
    train: source(
      task,
      Array.from({ length: 300 }, (_, i) => i),
    ),
    val: source(
      task,
      Array.from({ length: 100 }, (_, i) => 300 + i),
    ),
  }
}

const centred = split(plantedTask(21, 'centre'))
const anywhere = split(plantedTask(21, 'anywhere'))

describe('CNNs on wasm', () => {
  it('the seed CNN learns a centred 4-mer within 3 epochs, with a stable tensor count', async () => {
    expect(tf.getBackend()).toBe('wasm')
    const model = buildModel({ kind: 'cnn' }, { inputShape: [LENGTH, 4], seed: 1 })
    const data = centred
    const counts: number[] = []
    const result = await train({
      model,
      data,
      optimizer: { lr: 0.01 },
      epochs: 3,
      batchSize: 16,
      seed: 1,
      onEpoch: () => counts.push(tf.memory().numTensors),
    })
    expect(Math.max(...result.history.map((h) => h.valAuroc!))).toBeGreaterThan(0.9)
    expect(new Set(counts).size).toBe(1)
    // The model holds the best epoch's weights: its AUROC is the best one reported.
    const val = predictScores(model, data.val, 1000)
    expect(rocAuc(val.y, val.scores)).toBe(result.history[result.bestEpoch! - 1]!.valAuroc)
  })

  it('a CNN with the globalMax head learns a 4-mer anywhere in the window within 3 epochs', async () => {
    const model = buildModel(
      { kind: 'cnn', layers: 1, dropout: 0, head: 'globalMax' },
      { inputShape: [LENGTH, 4], seed: 1 },
    )
    expect(model.countParams()).toBe(10 * 4 * 15 + 15 + 15 + 1)
    const result = await train({
      model,
      data: anywhere,
      optimizer: { lr: 0.03 },
      epochs: 3,
      batchSize: 16,
      seed: 1,
    })
    expect(result.history.at(-1)!.valAuroc).toBeGreaterThan(0.9)
  })

  it('repeats itself for the same seed', async () => {
    const run = async () => {
      const model = buildModel({ kind: 'cnn', layers: 2, filters: 4 }, { inputShape: [LENGTH, 4], seed: 3 })
      await train({ model, data: anywhere, epochs: 1, batchSize: 64, seed: 3 })
      return getWeights(model)
    }
    expect(await run()).toEqual(await run())
  })
})
