/**
 * One interface for every model that scores samples: the trained TensorFlow.js models and the motif scan.
 *
 * Why: evaluation, prediction export and the comparison table should not care whether a score came from a
 * CNN or from a JASPAR matrix. A predictor takes a batch laid out [batch, ...sampleShape] as one
 * Float32Array (what a `BatchSource` gives) and returns the scores: one per sample for binary models
 * (probability of class 1, or a log-odds for the motif scan), `outputsPerSample` per sample ([batch, k]) for
 * k-class models.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { badParam } from './specs'

export interface Predictor {
  /** Shape of one sample, without the batch. */
  readonly sampleShape: readonly number[]
  /** Scores per sample: 1 (binary), k (k classes). */
  readonly outputsPerSample: number
  /** Scores of a batch [batch, ...sampleShape] → [batch, outputsPerSample]. */
  predict(x: Float32Array): Float32Array
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** The number of samples in `x`; `model.bad_param` if it is not whole. */
export function batchCount(x: ArrayLike<number>, sampleShape: readonly number[]): number {
  const size = sizeOf(sampleShape)
  if (x.length % size !== 0) {
    throw badParam(
      'x',
      `a multiple of ${size} values (samples of shape [${sampleShape.join(', ')}])`,
      x.length,
    )
  }
  return x.length / size
}

/** Sample shape and outputs per sample of a single-input, single-output layers model. */
export function modelShapes(model: tfl.LayersModel): { sampleShape: number[]; outputs: number } {
  const input = model.inputs[0]
  const output = model.outputs[0]
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || !input || !output) {
    throw new Error('SeqLab models have one input and one output')
  }
  const sampleShape = input.shape.slice(1) as number[]
  const outShape = output.shape.slice(1) as number[]
  if (sampleShape.some((d) => d == null) || outShape.length !== 1 || outShape[0] == null) {
    throw new Error(`Unsupported model shapes: input ${input.shape}, output ${output.shape}`)
  }
  return { sampleShape, outputs: outShape[0] }
}

/** A predictor over a layers model, in inference mode (dropout off, batch norm on its moving statistics). */
export function layersPredictor(model: tfl.LayersModel): Predictor {
  const { sampleShape, outputs } = modelShapes(model)
  return {
    sampleShape,
    outputsPerSample: outputs,
    predict(x: Float32Array): Float32Array {
      const n = batchCount(x, sampleShape)
      if (n === 0) return new Float32Array(0)
      const out = tf.tidy(() => {
        const input = tf.tensor(x, [n, ...sampleShape], 'float32')
        return model.apply(input, { training: false }) as tf.Tensor
      })
      try {
        // A copy, independent of the backend's storage.
        return Float32Array.from(out.dataSync() as Float32Array)
      } finally {
        out.dispose()
      }
    },
  }
}
