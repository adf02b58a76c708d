/**
 * Builders of the neural models (logistic regression, MLP, the seed CNN) as TensorFlow.js layers models.
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
import * as tfl from '@tensorflow/tfjs-layers'
import { Rng, type Seed } from '../random'
import {
  badParam,
  parseNeuralModelSpec,
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
