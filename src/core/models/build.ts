/**
 * Builders of the neural models (logistic regression, MLP, the seed CNN, and the NEPDF image models CNNC and
 * DeepDRIM of gene regulatory networks) as TensorFlow.js layers models.
 *
 * Why builders and not saved topologies: a stored experiment keeps its spec and its weights; rebuilding from
 * the spec with the same seed gives the same layers with the same (stable) weight names, so `setWeights`
 * can restore it on any backend.
 *
 * Every layer has an explicit name (`conv1`, `dropout1`, `dense2`, `output`...), so weight names
 * (`conv1/kernel`) do not depend on how many models the process built before. Every initialiser takes a seed
 * forked from the build seed by the layer's name, so the initial weights depend on the seed only.
 * Dropout layers are left unseeded here: the training loop seeds their masks per batch (`train.ts`).
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { Rng, type Seed } from '../random'
import {
  badParam,
  parseNeuralModelSpec,
  type CnncSpec,
  type DeepdrimSpec,
  type CnnSpec,
  type LogregSpec,
  type MlpSpec,
  type NeuralModelSpec,
  type NeuralModelSpecInput,
} from './specs'

export interface BuildOptions {
  /** Shape of one sample, without the batch: [length, 4] for one-hot DNA, [256] for 4-mer counts. */
  inputShape: readonly number[]
  /** Seed of the initial weights. */
  seed: Seed
}

type SymbolicTensor = tfl.SymbolicTensor

/** Builds the model a spec describes; an invalid spec, shape or seed throws `model.bad_param`. */
export function buildModel(
  spec: NeuralModelSpecInput | NeuralModelSpec,
  options: BuildOptions,
): tfl.LayersModel {
  const parsed = parseNeuralModelSpec(spec)
  const inputShape = checkInputShape(options.inputShape)
  const seeds = layerSeeds(options.seed)
  switch (parsed.kind) {
    case 'logreg':
      return buildLogreg(parsed, inputShape, seeds)
    case 'mlp':
      return buildMlp(parsed, inputShape, seeds)
    case 'cnn':
      return buildCnn(parsed, inputShape, seeds)
    case 'cnnc':
      return buildCnnc(parsed, inputShape, seeds)
    case 'deepdrim':
      return buildDeepdrim(parsed, inputShape, seeds)
  }
}

function checkInputShape(shape: readonly number[]): number[] {
  if (
    !Array.isArray(shape) ||
    shape.length < 1 ||
    shape.length > 4 ||
    !shape.every((d) => Number.isInteger(d) && d >= 1 && d <= 1e7)
  ) {
    throw badParam('inputShape', '1 to 4 whole numbers ≥ 1, e.g. [101, 4]', shape)
  }
  return [...shape]
}

/** A seed per layer name, forked from the build seed (tfjs initialisers take a number). */
function layerSeeds(seed: Seed): (layer: string) => number {
  let root: Rng
  try {
    root = Rng.seeded(seed)
  } catch {
    throw badParam('seed', 'a whole number ≥ 0 or a non-empty text', seed)
  }
  return (layer) => root.fork(`init:${layer}`).next()
}

function glorot(
  seeds: (layer: string) => number,
  layer: string,
): ReturnType<typeof tfl.initializers.glorotUniform> {
  return tfl.initializers.glorotUniform({ seed: seeds(layer) })
}

function l2(lambda: number): ReturnType<typeof tfl.regularizers.l2> | undefined {
  return lambda > 0 ? tfl.regularizers.l2({ l2: lambda }) : undefined
}

/** One sigmoid unit for two classes, a softmax over k units for k > 2. */
function outputLayer(
  h: SymbolicTensor,
  spec: { numClasses: number; l2: number },
  seeds: (layer: string) => number,
): SymbolicTensor {
  const binary = spec.numClasses === 2
  return tfl.layers
    .dense({
      name: 'output',
      units: binary ? 1 : spec.numClasses,
      activation: binary ? 'sigmoid' : 'softmax',
      kernelInitializer: glorot(seeds, 'output'),
      kernelRegularizer: l2(spec.l2),
    })
    .apply(h) as SymbolicTensor
}

function flattened(input: SymbolicTensor, rank: number): SymbolicTensor {
  return rank > 1 ? (tfl.layers.flatten({ name: 'flatten' }).apply(input) as SymbolicTensor) : input
}

function buildLogreg(
  spec: LogregSpec,
  inputShape: number[],
  seeds: (layer: string) => number,
): tfl.LayersModel {
  const input = tfl.input({ shape: inputShape, name: 'x' })
  const output = outputLayer(flattened(input, inputShape.length), spec, seeds)
  return tfl.model({ inputs: input, outputs: output, name: 'logreg' })
}

function buildMlp(spec: MlpSpec, inputShape: number[], seeds: (layer: string) => number): tfl.LayersModel {
  const input = tfl.input({ shape: inputShape, name: 'x' })
  let h = flattened(input, inputShape.length)
  spec.hidden.forEach((units, i) => {
    const n = i + 1
    h = tfl.layers
      .dense({
        name: `dense${n}`,
        units,
        // With batch norm the activation comes after the norm, and the norm's β stands in for the bias.
        activation: spec.batchNorm ? 'linear' : 'relu',
        useBias: !spec.batchNorm,
        kernelInitializer: glorot(seeds, `dense${n}`),
        kernelRegularizer: l2(spec.l2),
      })
      .apply(h) as SymbolicTensor
    if (spec.batchNorm) {
      h = tfl.layers.batchNormalization({ name: `bn${n}` }).apply(h) as SymbolicTensor
      h = tfl.layers.activation({ name: `relu${n}`, activation: 'relu' }).apply(h) as SymbolicTensor
    }
    if (spec.dropout > 0) {
      h = tfl.layers.dropout({ name: `dropout${n}`, rate: spec.dropout }).apply(h) as SymbolicTensor
    }
  })
  return tfl.model({ inputs: input, outputs: outputLayer(h, spec, seeds), name: 'mlp' })
}

function buildCnn(spec: CnnSpec, inputShape: number[], seeds: (layer: string) => number): tfl.LayersModel {
  if (inputShape.length !== 2) {
    throw badParam('inputShape', '[length, channels] for a 1-D CNN, e.g. [101, 4]', inputShape)
  }
  const input = tfl.input({ shape: inputShape, name: 'x' })
  let h: SymbolicTensor = input
  for (let n = 1; n <= spec.layers; n++) {
    h = tfl.layers
      .conv1d({
        name: `conv${n}`,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: glorot(seeds, `conv${n}`),
        kernelRegularizer: l2(spec.l2),
      })
      .apply(h) as SymbolicTensor
    if (spec.dropout > 0) {
      h = tfl.layers.dropout({ name: `dropout${n}`, rate: spec.dropout }).apply(h) as SymbolicTensor
    }
  }
  h = (
    spec.head === 'globalMax'
      ? tfl.layers.globalMaxPooling1d({ name: 'globalMax' })
      : tfl.layers.flatten({ name: 'flatten' })
  ).apply(h) as SymbolicTensor
  return tfl.model({ inputs: input, outputs: outputLayer(h, spec, seeds), name: 'cnn' })
}

// ---------------------------------------------------------------------------------------------------------
// NEPDF image models (gene regulatory networks)

/** Side of a NEPDF image (core/grn/nepdf.ts). */
const IMAGE = 32

/** The side of a square image after `blocks` conv blocks ('same', 'valid', max-pool 2). */
export function sideAfterBlocks(side: number, blocks: number): number {
  let s = side
  for (let i = 0; i < blocks; i++) s = Math.floor((s - 2) / 2)
  return s
}

/**
 * Conv blocks of CNNC: per block, conv 3×3 'same' → ReLU → conv 3×3 'valid' → ReLU → max-pool 2×2 →
 * dropout; then flatten. `prefix` names the layers (`conv1a`, `conv1b`, `pool1`, …) so two branches differ.
 */
function convBlocks(
  h: SymbolicTensor,
  filters: readonly number[],
  spec: { convDropout: number; l2: number },
  seeds: (layer: string) => number,
  prefix: string,
): SymbolicTensor {
  filters.forEach((f, i) => {
    const n = i + 1
    for (const [suffix, padding] of [
      ['a', 'same'],
      ['b', 'valid'],
    ] as const) {
      const name = `${prefix}conv${n}${suffix}`
      h = tfl.layers
        .conv2d({
          name,
          filters: f,
          kernelSize: 3,
          padding,
          activation: 'relu',
          kernelInitializer: glorot(seeds, name),
          kernelRegularizer: l2(spec.l2),
        })
        .apply(h) as SymbolicTensor
    }
    h = tfl.layers.maxPooling2d({ name: `${prefix}pool${n}`, poolSize: 2 }).apply(h) as SymbolicTensor
    if (spec.convDropout > 0) {
      h = tfl.layers
        .dropout({ name: `${prefix}convDropout${n}`, rate: spec.convDropout })
        .apply(h) as SymbolicTensor
    }
  })
  return tfl.layers.flatten({ name: `${prefix}flatten` }).apply(h) as SymbolicTensor
}

/** Dense → ReLU → dropout for each size, named `dense1`, `dropout1`, … */
function denseStack(
  h: SymbolicTensor,
  units: readonly number[],
  spec: { dropout: number; l2: number },
  seeds: (layer: string) => number,
): SymbolicTensor {
  units.forEach((u, i) => {
    const n = i + 1
    h = tfl.layers
      .dense({
        name: `dense${n}`,
        units: u,
        activation: 'relu',
        kernelInitializer: glorot(seeds, `dense${n}`),
        kernelRegularizer: l2(spec.l2),
      })
      .apply(h) as SymbolicTensor
    if (spec.dropout > 0) {
      h = tfl.layers.dropout({ name: `dropout${n}`, rate: spec.dropout }).apply(h) as SymbolicTensor
    }
  })
  return h
}

function checkBlocks(param: string, blocks: number): void {
  if (sideAfterBlocks(IMAGE, blocks) < 1) {
    throw badParam(param, `at most 3 conv blocks for a ${IMAGE}×${IMAGE} image`, blocks)
  }
}

function buildCnnc(spec: CnncSpec, inputShape: number[], seeds: (layer: string) => number): tfl.LayersModel {
  if (inputShape.join(',') !== `${IMAGE},${IMAGE},1`) {
    throw badParam('inputShape', `[${IMAGE}, ${IMAGE}, 1] (one NEPDF image)`, inputShape)
  }
  checkBlocks('filters', spec.filters.length)
  const input = tfl.input({ shape: inputShape, name: 'x' })
  let h = convBlocks(input, spec.filters, spec, seeds, '')
  h = denseStack(h, spec.dense, spec, seeds)
  return tfl.model({ inputs: input, outputs: outputLayer(h, spec, seeds), name: 'cnnc' })
}

/**
 * Picks images out of DeepDRIM's input [batch, m, 32, 32]: `primary` gives image 0 as [batch, 32, 32, 1];
 * `neighbours` gives images 1 … m − 1 folded into the batch, [batch · (m − 1), 32, 32, 1], so that one CNN
 * (one set of weights) reads every neighbour image; `all` folds all m images (the primary one first).
 */
class NepdfImages extends tfl.layers.Layer {
  static readonly className = 'SeqLabNepdfImages'
  private readonly which: 'primary' | 'neighbours' | 'all'

  constructor(config: { name: string; which: 'primary' | 'neighbours' | 'all' }) {
    super({ name: config.name })
    this.which = config.which
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape
    return [null, shape[2]!, shape[3]!, 1]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs
    return tf.tidy(() => {
      const [batch, m, height, width] = x.shape as number[]
      if (this.which === 'primary') {
        return tf.reshape(tf.slice(x, [0, 0, 0, 0], [batch!, 1, height!, width!]), [
          batch!,
          height!,
          width!,
          1,
        ])
      }
      if (this.which === 'all') return tf.reshape(x, [batch! * m!, height!, width!, 1])
      const rest = tf.slice(x, [0, 1, 0, 0], [batch!, m! - 1, height!, width!])
      return tf.reshape(rest, [batch! * (m! - 1), height!, width!, 1])
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), which: this.which }
  }
}

/** Unfolds the neighbour branch's features [batch · k, f] back to one row per pair, [batch, k · f]. */
class UnfoldNeighbours extends tfl.layers.Layer {
  static readonly className = 'SeqLabUnfoldNeighbours'
  private readonly images: number

  constructor(config: { name: string; images: number }) {
    super({ name: config.name })
    this.images = config.images
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape
    return [null, this.images * shape[1]!]
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs
    const [rows, features] = x.shape as number[]
    return tf.reshape(x, [rows! / this.images, this.images * features!])
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), images: this.images }
  }
}

tf.serialization.registerClass(NepdfImages)
tf.serialization.registerClass(UnfoldNeighbours)

function buildDeepdrim(
  spec: DeepdrimSpec,
  inputShape: number[],
  seeds: (layer: string) => number,
): tfl.LayersModel {
  const images = 2 * spec.neighbours + 3
  if (inputShape.join(',') !== `${images},${IMAGE},${IMAGE}`) {
    throw badParam(
      'inputShape',
      `[${images}, ${IMAGE}, ${IMAGE}]: the primary image and 2n + 2 = ${images - 1} neighbour images (n = ${spec.neighbours})`,
      inputShape,
    )
  }
  checkBlocks('primaryFilters', spec.primaryFilters.length)
  checkBlocks('neighbourFilters', spec.neighbourFilters.length)
  const input = tfl.input({ shape: inputShape, name: 'x' })
  const shared = spec.primaryBranch === 'shared'
  const primary = shared
    ? undefined
    : convBlocks(
        new NepdfImages({ name: 'primaryImage', which: 'primary' }).apply(input) as SymbolicTensor,
        spec.primaryFilters,
        spec,
        seeds,
        'p_',
      )
  const neighbourImages = new NepdfImages({
    name: 'neighbourImages',
    which: shared ? 'all' : 'neighbours',
  }).apply(input) as SymbolicTensor
  let neighbour = convBlocks(neighbourImages, spec.neighbourFilters, spec, seeds, 'n_')
  if (spec.neighbourUnits > 0) {
    neighbour = tfl.layers
      .dense({
        name: 'n_dense',
        units: spec.neighbourUnits,
        activation: 'relu',
        kernelInitializer: glorot(seeds, 'n_dense'),
        kernelRegularizer: l2(spec.l2),
      })
      .apply(neighbour) as SymbolicTensor
  }
  const unfolded = new UnfoldNeighbours({
    name: 'neighbourFeatures',
    images: shared ? images : images - 1,
  }).apply(neighbour) as SymbolicTensor
  let h = primary
    ? (tfl.layers.concatenate({ name: 'concat' }).apply([primary, unfolded]) as SymbolicTensor)
    : unfolded
  h = denseStack(h, spec.dense, spec, seeds)
  return tfl.model({ inputs: input, outputs: outputLayer(h, spec, seeds), name: 'deepdrim' })
}
