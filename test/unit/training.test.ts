/**
 * The training loop (src/core/training) on the cpu backend, on a tiny synthetic task: a planted 4-mer in
 * random DNA. Checks the weighted loss against hand computations, learning (logistic regression on 4-mer
 * counts), determinism by seed, resume = uninterrupted, early stopping, cancel, the best epoch's weights,
 * stable tensor counts, and parameter checks.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import type * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { logLoss, rocAuc } from '../../src/core/metrics'
import { buildModel, getWeights, layersPredictor, type NamedWeights } from '../../src/core/models'
import { Rng } from '../../src/core/random'
import { kmerBatch, oneHotBatch } from '../../src/core/sequence/encode'
import {
  binaryCrossEntropy,
  predictScores,
  sparseCategoricalCrossEntropy,
  train,
  weightedLossSum,
  type BatchSource,
  type EpochMetrics,
} from '../../src/core/training'
import { InputError } from '../../src/shared/errors'

beforeAll(async () => {
  await tf.setBackend('cpu')
  await tf.ready()
})

// --- the synthetic task -----------------------------------------------------------------------------

const MOTIF = [3, 3, 0, 2] // TTAG (not its own reverse complement)

function hasMotif(codes: Uint8Array): number {
  for (let p = 0; p + MOTIF.length <= codes.length; p++) {
    if (MOTIF.every((c, k) => codes[p + k] === c)) return p
  }
  return -1
}

/** Random DNA; positives carry the 4-mer at a random place, negatives are cleaned of it. */
function plantedTask(n: number, length: number, seed: number): { seqs: Uint8Array[]; labels: Float32Array } {
  const rng = Rng.seeded(seed)
  const seqs: Uint8Array[] = []
  const labels = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const codes = Uint8Array.from({ length }, () => rng.int(4))
    labels[i] = i % 2
    if (labels[i] === 1) {
      codes.set(MOTIF, rng.int(length - MOTIF.length + 1))
    } else {
      for (let p = hasMotif(codes); p >= 0; p = hasMotif(codes)) codes[p + 3] = (codes[p + 3]! + 1) % 4
    }
    seqs.push(codes)
  }
  return { seqs, labels }
}

interface SourceOptions {
  encode: 'onehot' | 'kmer'
  weights?: Float32Array
  labels?: Float32Array
}

function source(
  task: { seqs: Uint8Array[]; labels: Float32Array },
  records: number[],
  options: SourceOptions,
): BatchSource {
  const length = task.seqs[0]!.length
  const labels = options.labels ?? task.labels
  return {
    size: records.length,
    sampleShape: options.encode === 'onehot' ? [length, 4] : [256],
    batch(indices) {
      const rows = Array.from(indices, (i) => records[i]!)
      const x =
        options.encode === 'onehot' ? oneHotBatch(task.seqs, rows, length) : kmerBatch(task.seqs, rows, 4)
      const y = Float32Array.from(rows, (r) => labels[r]!)
      const w = options.weights ? Float32Array.from(rows, (r) => options.weights![r]!) : undefined
      return w ? { x, y, w } : { x, y }
    },
  }
}

const task = plantedTask(400, 50, 11)
const trainRecords = Array.from({ length: 300 }, (_, i) => i)
const valRecords = Array.from({ length: 100 }, (_, i) => 300 + i)
const kmerData = {
  train: source(task, trainRecords, { encode: 'kmer' }),
  val: source(task, valRecords, { encode: 'kmer' }),
}

/** An MLP with batch norm and dropout on 4-mer counts: exercises seeded dropout and moving statistics. */
function smallMlp(seed = 1): tfl.LayersModel {
  return buildModel({ kind: 'mlp', hidden: [16, 8], dropout: 0.5 }, { inputShape: [256], seed })
}

function maxDiff(a: NamedWeights, b: NamedWeights): number {
  expect(a.map((w) => w.name)).toEqual(b.map((w) => w.name))
  let d = 0
  a.forEach((w, i) => w.data.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i]!.data[j]!)))))
  return d
}

const withoutSeconds = (h: EpochMetrics[]) => h.map(({ seconds: _s, ...m }) => m)

async function rejects(p: Promise<unknown>): Promise<InputError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

// --- tests ------------------------------------------------------------------------------------------

describe('weighted loss', () => {
  it('equals a hand computation', () => {
    const y = [1, 0, 1, 0]
    const p = [0.9, 0.2, 0.3, 1]
    const w = [2, 0.5, 1, 3]
    // The clip bounds as float32 holds them: 1 − 1e-7 rounds to 1 − 1.19e-7.
    const [lo, hi] = [Math.fround(1e-7), Math.fround(1 - 1e-7)]
    const hand = y.map((t, i) => {
      const q = Math.min(Math.max(p[i]!, lo), hi)
      return -(t * Math.log(q) + (1 - t) * Math.log(1 - q))
    })
    const perSample = tf.tidy(() => binaryCrossEntropy(tf.tensor1d(y), tf.tensor2d(p, [4, 1])).arraySync())
    perSample.forEach((v, i) => expect(v).toBeCloseTo(hand[i]!, 5))
    // p = 1 for a negative is clipped: about −log(1.19e-7) ≈ 15.9, not infinity.
    expect(perSample[3]).toBeGreaterThan(15.9)
    expect(perSample[3]).toBeLessThan(16)
    const sum = tf.tidy(() => weightedLossSum(tf.tensor1d(y), tf.tensor1d(p), tf.tensor1d(w)).arraySync())
    expect(sum).toBeCloseTo(
      hand.reduce((s, l, i) => s + l * w[i]!, 0),
      4,
    )

    const k3 = tf.tidy(() =>
      sparseCategoricalCrossEntropy(
        tf.tensor1d([2, 0]),
        tf.tensor2d([0.1, 0.2, 0.7, 0.5, 0.25, 0.25], [2, 3]),
      ).arraySync(),
    )
    expect(k3[0]).toBeCloseTo(-Math.log(0.7), 5)
    expect(k3[1]).toBeCloseTo(-Math.log(0.5), 5)
  })

  it('is what one epoch reports: weighted mean over the training set, measured before the step', async () => {
    const model = buildModel({ kind: 'logreg' }, { inputShape: [256], seed: 3 })
    const weights = Float32Array.from(task.labels, (y, i) => (y === 1 ? 4 : 0.5 + (i % 3)))
    const data = { train: source(task, trainRecords, { encode: 'kmer', weights }), val: kmerData.val }
    // Before training: predictions of the initial model on the training set, by hand.
    const before = predictScores(model, data.train, 64)
    let num = 0
    let den = 0
    before.scores.forEach((p, i) => {
      const y = before.y[i]!
      const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7)
      num += before.w![i]! * -(y * Math.log(q) + (1 - y) * Math.log(1 - q))
      den += before.w![i]!
    })
    const batchLosses: number[] = []
    // One batch holding the whole training set: the epoch's loss is the initial model's.
    const result = await train({
      model,
      data,
      epochs: 1,
      batchSize: 300,
      seed: 1,
      onBatch: (p) => batchLosses.push(p.loss),
    })
    expect(batchLosses).toHaveLength(1)
    expect(batchLosses[0]).toBeCloseTo(num / den, 5)
    expect(result.history[0]!.trainLoss).toBeCloseTo(num / den, 5)
    // Validation metrics are those of the (best = only) epoch's model, via src/core/metrics.
    const val = predictScores(model, data.val, 1000)
    expect(result.history[0]!.valAuroc).toBe(rocAuc(val.y, val.scores))
    expect(result.history[0]!.valLoss).toBe(logLoss(val.y, val.scores))
  })
})

describe('train', () => {
  it('learns the planted 4-mer with logistic regression on 4-mer counts', async () => {
    const model = buildModel({ kind: 'logreg' }, { inputShape: [256], seed: 1 })
    const progress: string[] = []
    const result = await train({
      model,
      data: kmerData,
      optimizer: { lr: 0.05 },
      epochs: 3,
      batchSize: 16,
      seed: 1,
      onBatch: (p) => progress.push(`${p.epoch}:${p.batch}/${p.batches}`),
    })
    expect(progress).toHaveLength(3 * 19)
    expect(progress.slice(0, 2)).toEqual(['1:1/19', '1:2/19'])
    const last = result.history.at(-1)!
    expect(last.valAuroc).toBeGreaterThan(0.9)
    expect(result.history[2]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss)
    // The weight of the TTAG column (3·64 + 3·16 + 0·4 + 2) dominates.
    const kernel = getWeights(model)[0]!.data
    const motifColumn = 3 * 64 + 3 * 16 + 2
    expect(kernel[motifColumn]).toBe(Math.max(...kernel))
  })

  it('gives the same weights and metrics for the same seed, other ones for another', async () => {
    const run = async (seed: number) => {
      const model = smallMlp()
      const r = await train({ model, data: kmerData, epochs: 2, batchSize: 32, seed, restoreBest: false })
      return { weights: getWeights(model), history: withoutSeconds(r.history) }
    }
    const a = await run(5)
    const b = await run(5)
    const c = await run(6)
    expect(b.weights).toEqual(a.weights)
    expect(b.history).toEqual(a.history)
    expect(maxDiff(a.weights, c.weights)).toBeGreaterThan(1e-4)
  })

  it('resumes to the same weights as an uninterrupted run', async () => {
    const options = { data: kmerData, batchSize: 32, seed: 9 }
    const whole = await train({ ...options, model: smallMlp(), epochs: 2 })
    const first = await train({ ...options, model: smallMlp(), epochs: 1 })
    expect(first.optimizerState!.iterations).toBe(10)
    // A fresh model (built with another seed: every weight comes from the stored state).
    const rest = await train({
      ...options,
      model: smallMlp(99),
      epochs: 2,
      startEpoch: 1,
      initialWeights: first.lastWeights,
      initialOptimizerState: structuredClone(first.optimizerState),
      previousHistory: first.history,
      previousBestWeights: first.bestWeights,
    })
    expect(rest.history.map((h) => h.epoch)).toEqual([1, 2])
    // Bit for bit, in fact: Adam's bias corrections come from the step count (adam.ts).
    expect(maxDiff(rest.lastWeights!, whole.lastWeights!)).toBe(0)
    expect(rest.optimizerState!.iterations).toBe(20)
    expect(maxDiff(rest.optimizerState!.moments, whole.optimizerState!.moments)).toBeLessThan(1e-6)
    expect(rest.history[1]!.valAuroc).toBeCloseTo(whole.history[1]!.valAuroc!, 6)
    expect(rest.bestEpoch).toBe(whole.bestEpoch)
  })

  it('stops early after `patience` epochs without improvement and keeps the best epoch', async () => {
    const epochs: number[] = []
    const model = smallMlp()
    // AUROC cannot improve by 1: epoch 1 is the best, epochs 2 and 3 use up the patience.
    const result = await train({
      model,
      data: kmerData,
      epochs: 10,
      batchSize: 64,
      seed: 1,
      earlyStopping: { metric: 'val_auroc', patience: 2, minDelta: 1 },
      bestBy: 'val_loss',
      onEpoch: (m) => epochs.push(m.epoch),
    })
    expect(epochs).toEqual([1, 2, 3])
    expect(result.stoppedEarly).toBe(true)
    expect(result.cancelled).toBe(false)
    // The best weights follow `bestBy` (val_loss here), and the model holds them at the end.
    const losses = result.history.map((h) => h.valLoss)
    expect(result.bestEpoch).toBe(losses.indexOf(Math.min(...losses)) + 1)
    expect(getWeights(model)).toEqual(result.bestWeights)

    const byLoss = await train({
      model: smallMlp(),
      data: kmerData,
      epochs: 10,
      batchSize: 64,
      seed: 1,
      earlyStopping: { metric: 'val_loss', patience: 1, minDelta: 100 },
    })
    expect(byLoss.history).toHaveLength(2)
  })

  it('cancels at the next batch boundary and keeps the finished epochs', async () => {
    const controller = new AbortController()
    const seen: string[] = []
    const options = { data: kmerData, batchSize: 32, seed: 4 }
    const result = await train({
      ...options,
      model: smallMlp(),
      epochs: 5,
      signal: controller.signal,
      onBatch: (p) => {
        seen.push(`${p.epoch}:${p.batch}`)
        if (p.epoch === 2 && p.batch === 3) controller.abort()
      },
    })
    expect(result.cancelled).toBe(true)
    expect(seen.at(-1)).toBe('2:3')
    expect(result.history).toHaveLength(1)
    expect(result.epochsDone).toBe(1)
    // What it kept is exactly a finished 1-epoch run: resumable from there.
    const one = await train({ ...options, model: smallMlp(), epochs: 1 })
    expect(result.lastWeights).toEqual(one.lastWeights)
    expect(result.optimizerState).toEqual(one.optimizerState)

    // Aborted before it starts: nothing done, model untouched.
    const model = smallMlp()
    const initial = getWeights(model)
    const none = await train({ ...options, model, epochs: 2, signal: AbortSignal.abort() })
    expect(none).toMatchObject({ cancelled: true, epochsDone: 0, history: [] })
    expect(getWeights(model)).toEqual(initial)
  })

  it('disposes every tensor: the count is stable across epochs and back to the start after', async () => {
    const model = smallMlp()
    const counts: number[] = []
    const start = tf.memory().numTensors
    await train({
      model,
      data: kmerData,
      epochs: 3,
      batchSize: 50,
      seed: 1,
      onBatch: (p) => p.batch === 2 && counts.push(tf.memory().numTensors),
      onEpoch: () => counts.push(tf.memory().numTensors),
    })
    expect(new Set(counts.filter((_, i) => i % 2 === 0)).size).toBe(1)
    expect(new Set(counts.filter((_, i) => i % 2 === 1)).size).toBe(1)
    expect(tf.memory().numTensors).toBe(start)
  })

  it('trains k-class models (softmax, macro one-vs-rest AUROC)', async () => {
    // Class 2 = the planted 4-mer, classes 0/1 = negatives split by parity of the index.
    const labels = Float32Array.from(task.labels, (y, i) => (y === 1 ? 2 : (i >> 1) % 2))
    const model = buildModel({ kind: 'logreg', numClasses: 3 }, { inputShape: [256], seed: 1 })
    const result = await train({
      model,
      data: {
        train: source(task, trainRecords, { encode: 'kmer', labels }),
        val: source(task, valRecords, { encode: 'kmer', labels }),
      },
      optimizer: { lr: 0.01 },
      epochs: 2,
      batchSize: 16,
      seed: 1,
    })
    const m = result.history[1]!
    // Classes 0 and 1 are indistinguishable (≈ 0.5 each), class 2 is learned (≈ 1): the mean is about 2/3.
    expect(m.valAuroc).toBeGreaterThan(0.6)
    expect(m.valAuroc).toBeLessThan(0.85)
    expect(Number.isFinite(m.valLoss)).toBe(true)
    expect(layersPredictor(model).outputsPerSample).toBe(3)
  })

  it('rejects bad parameters with model.bad_param naming them', async () => {
    const base = { model: smallMlp(), data: kmerData, epochs: 2, batchSize: 8, seed: 1 }
    const param = async (o: object) => (await rejects(train({ ...base, ...o }))).params?.param
    expect(await param({ batchSize: 0 })).toBe('batchSize')
    expect(await param({ epochs: 1.5 })).toBe('epochs')
    expect(await param({ startEpoch: 3 })).toBe('startEpoch')
    expect(await param({ optimizer: { lr: -1 } })).toBe('optimizer.lr')
    expect(await param({ earlyStopping: { patience: 0 } })).toBe('earlyStopping.patience')
    expect(await param({ seed: -2 })).toBe('seed')
    expect(
      await param({ data: { train: kmerData.train, val: source(task, valRecords, { encode: 'onehot' }) } }),
    ).toBe('data.val.sampleShape')
    const e = await rejects(
      train({
        ...base,
        data: {
          train: source(task, trainRecords, { encode: 'kmer', weights: new Float32Array(400).fill(-1) }),
          val: kmerData.val,
        },
      }),
    )
    expect(e.code).toBe('training.bad_weight')
  })
})
