/**
 * Throughput of the gene-regulatory-network parts, for `seqlab bench` (never asserted in tests):
 *
 * - `nepdf_images_per_s`: CNNC's 32×32 NEPDF images of the demo's pairs (simulated 400 genes × 2,000
 *   cells), genes binned once and cached as in training (warm: the second pass over the pairs).
 * - `neighbour_images_per_s`: DeepDRIM's 2n + 2 neighbour images (n = 10), neighbour lists found first.
 * - `train_cnnc_images_per_s`: the full CNNC (549,601 weights) through the real training loop (core
 *   `train`), batch 32, images made per batch as in an experiment; `train_cnnc_demo_images_per_s` the
 *   demo's narrowed CNNC; `train_deepdrim_demo_pairs_per_s` the demo's DeepDRIM (one pair = 23 images).
 *
 * Runs in the calling thread on the engine it has set up (the bench command selects the default engine and
 * registers the wasm convolution gradients first).
 */
import { registerWasmConvGradients } from '../../core/engine/wasm-gradients'
import { NEPDF_SIZE, NeighbourImages, NepdfEncoder, simulateGrn, simulatorPairs } from '../../core/grn'
import { buildModel } from '../../core/models/build'
import type { CnncSpec, DeepdrimSpec, NeuralModelSpecInput } from '../../core/models/specs'
import { parseNeuralModelSpec } from '../../core/models/specs'
import { train } from '../../core/training/train'
import { getEngineInfo } from '../engine'
import { DEMO_MODELS } from './demo'
import { PairImages, pairSource } from './training'

export interface GrnBench {
  nepdf_images_per_s: number
  neighbour_images_per_s: number
  train_cnnc_images_per_s: number
  train_cnnc_demo_images_per_s: number
  train_deepdrim_demo_pairs_per_s: number
  pairs: number
}

function rate(count: number, seconds: number): number {
  return seconds > 0 ? Math.round((10 * count) / seconds) / 10 : 0
}

/** Sets up the default engine in this thread (with the wasm convolution gradients), then measures. */
export async function grnBench(options: { quick?: boolean } = {}): Promise<GrnBench & { backend: string }> {
  const engine = await getEngineInfo()
  if (engine.backend === 'wasm') registerWasmConvGradients()
  return { backend: engine.backend, ...(await measure(options)) }
}

async function measure(options: { quick?: boolean }): Promise<GrnBench> {
  const sim = simulateGrn()
  const pairs = simulatorPairs(sim)
  const n = pairs.a.length

  const encoder = new NepdfEncoder(sim.matrix)
  encoder.images(pairs.a, pairs.b)
  let started = performance.now()
  const rounds = options.quick ? 1 : 5
  for (let r = 0; r < rounds; r++) encoder.images(pairs.a, pairs.b)
  const nepdf = rate(rounds * n, (performance.now() - started) / 1000)

  const neighbours = new NeighbourImages(sim.matrix, { n: 10, encoder })
  const some = Math.min(n, options.quick ? 50 : 200)
  neighbours.prepare([...pairs.a.subarray(0, some), ...pairs.b.subarray(0, some)])
  const out = new Float32Array(neighbours.count * NEPDF_SIZE)
  started = performance.now()
  for (let i = 0; i < some; i++) neighbours.images(pairs.a[i]!, pairs.b[i]!, out)
  const neighbourRate = rate(some * neighbours.count, (performance.now() - started) / 1000)

  const worker = {
    nGenes: sim.matrix.nGenes,
    nCells: sim.matrix.nCells,
    indptr: sim.matrix.indptr,
    indices: sim.matrix.indices,
    data: sim.matrix.data,
    a: pairs.a,
    b: pairs.b,
  }
  const labels = Float32Array.from(pairs.label)
  /** Samples per second of training steps after one untimed warm-up batch. */
  const trainRate = async (input: NeuralModelSpecInput, batches: number): Promise<number> => {
    const spec = parseNeuralModelSpec(input) as CnncSpec | DeepdrimSpec
    const images = new PairImages(worker, spec)
    const batchSize = 32
    const rows = Int32Array.from({ length: batchSize * (batches + 1) }, (_, i) => i % n)
    images.prepare(rows)
    const model = buildModel(spec, { inputShape: images.sampleShape, seed: 1 })
    let clock = 0
    let seconds = 0
    await train({
      model,
      data: { train: pairSource(images, rows, labels), val: pairSource(images, rows.subarray(0, 4), labels) },
      epochs: 1,
      batchSize,
      seed: 3,
      onBatch: (p) => {
        if (p.batch === 1) clock = performance.now()
        if (p.batch === p.batches) seconds = (performance.now() - clock) / 1000
      },
    })
    model.dispose()
    return rate(batches * batchSize, seconds)
  }
  const batches = options.quick ? 2 : 8
  return {
    nepdf_images_per_s: nepdf,
    neighbour_images_per_s: neighbourRate,
    train_cnnc_images_per_s: await trainRate({ kind: 'cnnc' }, batches),
    train_cnnc_demo_images_per_s: await trainRate(
      DEMO_MODELS.cnnc as unknown as NeuralModelSpecInput,
      batches,
    ),
    train_deepdrim_demo_pairs_per_s: await trainRate(
      DEMO_MODELS.deepdrim as unknown as NeuralModelSpecInput,
      Math.max(1, batches >> 1),
    ),
    pairs: n,
  }
}
