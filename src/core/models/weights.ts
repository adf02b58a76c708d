/**
 * Model weights as plain arrays, to store in the project file and to hand between threads.
 *
 * Why not tfjs' own save handlers: they write files or browser storage; the project keeps weights as
 * Float32Array blobs in SQLite, and worker threads post them as transferable buffers. A model's weights are
 * listed in `model.weights` order (trainable ones first, then statistics such as batch norm's moving mean),
 * each with its stable name (`conv1/kernel`) and shape, so a rebuilt model can check it gets the right ones.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { InputError } from '../../shared/errors'

export interface NamedWeight {
  /** Stable name, `layer/weight` (e.g. `conv1/kernel`, `bn1/moving_mean`). */
  name: string
  shape: number[]
  data: Float32Array
}

export type NamedWeights = NamedWeight[]

/** A copy of every weight of the model (trainable and not), in `model.weights` order. */
export function getWeights(model: tfl.LayersModel): NamedWeights {
  return model.weights.map((w) => ({
    name: w.originalName,
    // Weights have fully known shapes (only activations have a null batch dimension).
    shape: [...(w.shape as number[])],
    // A copy: the cpu backend hands out its own storage, which later updates overwrite.
    data: Float32Array.from(w.read().dataSync() as Float32Array),
  }))
}

/**
 * Sets every weight of the model; names, shapes and sizes must match one for one, else
 * `model.weights_mismatch` (weights of another model or spec).
 */
export function setWeights(model: tfl.LayersModel, weights: readonly NamedWeight[]): void {
  checkWeightsMatch(
    model.weights.map((w) => ({ name: w.originalName, shape: w.shape as number[] })),
    weights,
  )
  const tensors = weights.map((w) => tf.tensor(w.data, w.shape, 'float32'))
  try {
    model.setWeights(tensors)
  } finally {
    // The variables now hold their own reference to the data.
    tf.dispose(tensors)
  }
}

/** Throws `model.weights_mismatch` unless `given` has exactly the names and shapes of `expected`. */
export function checkWeightsMatch(
  expected: readonly { name: string; shape: readonly number[] }[],
  given: readonly NamedWeight[],
): void {
  const fail = (message: string, want: string, found: string): never => {
    throw new InputError('model.weights_mismatch', `The stored weights do not fit this model: ${message}`, {
      expected: want,
      found,
    })
  }
  if (given.length !== expected.length) {
    fail('different number of weights', String(expected.length), String(given.length))
  }
  expected.forEach((e, i) => {
    const g = given[i]!
    if (g.name !== e.name) fail(`weight ${i + 1} has another name`, e.name, g.name)
    if (g.shape.length !== e.shape.length || g.shape.some((d, k) => d !== e.shape[k])) {
      fail(`weight ${e.name} has another shape`, JSON.stringify(e.shape), JSON.stringify(g.shape))
    }
    const size = e.shape.reduce((a, b) => a * b, 1)
    if (g.data.length !== size)
      fail(`weight ${e.name} has the wrong size`, String(size), String(g.data.length))
  })
}

/** Weights as one blob plus a JSON-able manifest, for one SQLite column (or one transferable buffer). */
export interface PackedWeights {
  manifest: { name: string; shape: number[] }[]
  data: Float32Array
}

export function packWeights(weights: readonly NamedWeight[]): PackedWeights {
  const total = weights.reduce((n, w) => n + w.data.length, 0)
  const data = new Float32Array(total)
  let offset = 0
  for (const w of weights) {
    data.set(w.data, offset)
    offset += w.data.length
  }
  return { manifest: weights.map((w) => ({ name: w.name, shape: [...w.shape] })), data }
}

/** The inverse of `packWeights`; the arrays are copies, independent of `packed.data`. */
export function unpackWeights(packed: PackedWeights): NamedWeights {
  let offset = 0
  const out = packed.manifest.map((m) => {
    const size = m.shape.reduce((a, b) => a * b, 1)
    if (offset + size > packed.data.length) {
      throw new InputError('model.weights_mismatch', 'The stored weights are shorter than their manifest', {
        expected: `at least ${offset + size} values`,
        found: String(packed.data.length),
      })
    }
    const data = packed.data.slice(offset, offset + size)
    offset += size
    return { name: m.name, shape: [...m.shape], data }
  })
  if (offset !== packed.data.length) {
    throw new InputError('model.weights_mismatch', 'The stored weights are longer than their manifest', {
      expected: `${offset} values`,
      found: String(packed.data.length),
    })
  }
  return out
}
