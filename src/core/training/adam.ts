/**
 * Adam with a state that can be stored and restored exactly, for runs that resume after a crash or a cancel.
 *
 * Why not `tf.train.adam`: its state carries the bias-correction powers β^t as float32 variables that are
 * multiplied step by step, while its `setWeights` recomputes them with `pow`; the two differ in the last bits,
 * so a resumed run drifts from an uninterrupted one. Here the state is just (t, m, v): the corrections
 * 1 − β^t are computed from t in float64 at every step, so "2 epochs" and "1 epoch + resume 1" do the same
 * arithmetic. The update is tfjs' (and Keras') formula:
 *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  w ← w − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * with ε = 1e-7 by default (Keras' and tfjs' value; PyTorch uses 1e-8).
 */
import * as tf from '@tensorflow/tfjs-core'
import { z } from 'zod'
import { checkWeightsMatch, type NamedWeight } from '../models/weights'

export const OptimizerSpec = z
  .object({
    name: z.literal('adam').default('adam'),
    lr: z.number().positive().max(10).default(1e-3),
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.999),
    epsilon: z.number().positive().max(1).default(1e-7),
  })
  .strict()
export type OptimizerSpec = z.infer<typeof OptimizerSpec>

/** Serialisable optimizer state: steps taken and the moments of each trainable weight (`name/m`, `name/v`). */
export interface OptimizerState {
  name: 'adam'
  /** Steps (batches) applied so far: t. */
  iterations: number
  /** First moments of every trainable weight in order, then the second moments. */
  moments: NamedWeight[]
}

export interface TrainableVariable {
  /** Stable weight name (`conv1/kernel`). */
  name: string
  variable: tf.Variable
}

export class Adam {
  private iterations: number
  private readonly m: tf.Variable[]
  private readonly v: tf.Variable[]

  constructor(
    private readonly config: OptimizerSpec,
    private readonly variables: readonly TrainableVariable[],
    state?: OptimizerState,
  ) {
    if (state) {
      if (state.name !== 'adam' || !Number.isSafeInteger(state.iterations) || state.iterations < 0) {
        throw new Error('The optimizer state is not an Adam state')
      }
      const expected = [
        ...variables.map((v) => ({ name: `${v.name}/m`, shape: v.variable.shape })),
        ...variables.map((v) => ({ name: `${v.name}/v`, shape: v.variable.shape })),
      ]
      checkWeightsMatch(expected, state.moments)
      this.iterations = state.iterations
      // tidy frees the temporary tensors; variables survive it.
      const vars = tf.tidy(() =>
        state.moments.map((w) => tf.variable(tf.tensor(w.data, w.shape, 'float32'), false)),
      )
      this.m = vars.slice(0, variables.length)
      this.v = vars.slice(variables.length)
    } else {
      this.iterations = 0
      this.m = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v.variable), false)))
      this.v = tf.tidy(() => variables.map((v) => tf.variable(tf.zerosLike(v.variable), false)))
    }
  }

  /** Applies one step; `grads[i]` belongs to `variables[i]` (undefined: no gradient, the weight stays). */
  step(grads: readonly (tf.Tensor | undefined)[]): void {
    this.iterations++
    const { lr, beta1, beta2, epsilon } = this.config
    // Bias corrections in float64 from t, so a restored state continues with exactly the same numbers.
    const correction1 = 1 - beta1 ** this.iterations
    const correction2 = 1 - beta2 ** this.iterations
    tf.tidy(() => {
      this.variables.forEach(({ variable }, i) => {
        const g = grads[i]
        if (!g) return
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, 1 - beta1))
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2))
        this.m[i]!.assign(m)
        this.v[i]!.assign(v)
        const update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), epsilon))
        variable.assign(tf.sub(variable, tf.mul(update, lr)))
      })
    })
  }

  /** A copy of the state (moments as Float32Arrays). */
  getState(): OptimizerState {
    const copy = (name: string, t: tf.Variable): NamedWeight => ({
      name,
      shape: [...t.shape],
      data: Float32Array.from(t.dataSync() as Float32Array),
    })
    return {
      name: 'adam',
      iterations: this.iterations,
      moments: [
        ...this.variables.map((v, i) => copy(`${v.name}/m`, this.m[i]!)),
        ...this.variables.map((v, i) => copy(`${v.name}/v`, this.v[i]!)),
      ],
    }
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v])
  }
}
