/**
 * The NEPDF image models of gene regulatory networks (src/core/models: CNNC and DeepDRIM): defaults are the
 * papers' sizes (CNNC's parameter count equals its Keras model's, 549,601), output shapes, a parameter count
 * worked out by hand, DeepDRIM's neighbour CNN really shared (one set of weights whatever n, the same
 * features for the same image in any slot), invalid parameters as `model.bad_param`, and the gradients of a
 * tiny DeepDRIM on the wasm backend (with the project's conv gradients) equal to the cpu backend's to 1e-4.
 */
import * as path from 'node:path'
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import * as tfl from '@tensorflow/tfjs-layers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerWasmConvGradients } from '../../src/core/engine/wasm-gradients'
import { buildModel, getWeights, parseModelSpec, setWeights } from '../../src/core/models'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

const require = createRequire(import.meta.url)

beforeAll(async () => {
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep)
  registerWasmConvGradients()
  await tf.setBackend('cpu')
})

afterAll(async () => {
  await tf.setBackend('cpu')
})

function floats(n: number, seed: number): Float32Array {
  const rng = Rng.seeded(seed)
  return Float32Array.from({ length: n }, () => rng.float())
}

function badParam(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).code).toBe('model.bad_param')
    return String((e as InputError).params?.param)
  }
  throw new Error('expected model.bad_param')
}

const TINY_DEEPDRIM = {
  kind: 'deepdrim' as const,
  neighbours: 1,
  primaryFilters: [2],
  neighbourFilters: [2],
  neighbourUnits: 3,
  dense: [4, 3],
  convDropout: 0,
  dropout: 0,
}

describe('CNNC', () => {
  it('defaults to CNNC: conv 32-32 / 64-64 / 128-128, dense 512, dropout 0.25 and 0.5', () => {
    expect(parseModelSpec({ kind: 'cnnc' })).toEqual({
      kind: 'cnnc',
      filters: [32, 64, 128],
      dense: [512],
      convDropout: 0.25,
      dropout: 0.5,
      l2: 0,
      numClasses: 2,
    })
    const model = buildModel({ kind: 'cnnc' }, { inputShape: [32, 32, 1], seed: 1 })
    // Keras' CNNC (train_with_labels_three_foldx.py) with one sigmoid unit has exactly this many.
    expect(model.countParams()).toBe(549_601)
    expect(model.layers.map((l) => l.name)).toContain('convDropout3')
  })

  it('has the parameter count worked out by hand, and one score per image', () => {
    const model = buildModel({ kind: 'cnnc', filters: [2], dense: [3] }, { inputShape: [32, 32, 1], seed: 1 })
    // conv1a 3·3·1·2 + 2, conv1b 3·3·2·2 + 2; 32 → 30 → pool 15: 15·15·2 = 450; dense 450·3 + 3; output 3 + 1.
    expect(model.countParams()).toBe(20 + 38 + 1353 + 4)
    const out = model.predict(tf.tensor(floats(3 * 1024, 1), [3, 32, 32, 1])) as tf.Tensor
    expect(out.shape).toEqual([3, 1])
    const three = buildModel({ kind: 'cnnc', numClasses: 3 }, { inputShape: [32, 32, 1], seed: 1 })
    expect(three.outputs[0]!.shape).toEqual([null, 3])
  })

  it('refuses four conv blocks, other image shapes and bad rates', () => {
    expect(badParam(() => parseModelSpec({ kind: 'cnnc', filters: [1, 2, 3, 4] }))).toBe('filters')
    expect(badParam(() => buildModel({ kind: 'cnnc' }, { inputShape: [32, 32], seed: 1 }))).toBe('inputShape')
    expect(badParam(() => parseModelSpec({ kind: 'cnnc', dropout: 1 }))).toBe('dropout')
    expect(badParam(() => parseModelSpec({ kind: 'deepdrim', neighbours: 0 }))).toBe('neighbours')
  })
})

describe('DeepDRIM', () => {
  it('defaults to 10 neighbours, two CNC-sized branches and dense 512 → 128', () => {
    expect(parseModelSpec({ kind: 'deepdrim' })).toMatchObject({
      neighbours: 10,
      primaryFilters: [32, 64, 128],
      neighbourFilters: [32, 64, 128],
      dense: [512, 128],
    })
  })

  it('reads [2n + 3, 32, 32] and gives one score per pair', () => {
    const model = buildModel({ ...TINY_DEEPDRIM, neighbours: 2 }, { inputShape: [7, 32, 32], seed: 3 })
    const out = model.predict(tf.tensor(floats(4 * 7 * 1024, 2), [4, 7, 32, 32])) as tf.Tensor
    expect(out.shape).toEqual([4, 1])
    expect(
      badParam(() => buildModel({ ...TINY_DEEPDRIM, neighbours: 2 }, { inputShape: [5, 32, 32], seed: 1 })),
    ).toBe('inputShape')
  })

  it('shares ONE neighbour CNN across the 2n + 2 images', () => {
    const weightsOf = (n: number) =>
      buildModel({ ...TINY_DEEPDRIM, neighbours: n }, { inputShape: [2 * n + 3, 32, 32], seed: 5 })
        .weights.filter((w) => w.originalName.startsWith('n_'))
        .map((w) => `${w.originalName} ${w.shape.join('×')}`)
    // The same neighbour weights for 4 and for 12 neighbour images: nothing is per image.
    expect(weightsOf(1)).toEqual(weightsOf(5))
    expect(weightsOf(1)).toEqual([
      'n_conv1a/kernel 3×3×1×2',
      'n_conv1a/bias 2',
      'n_conv1b/kernel 3×3×2×2',
      'n_conv1b/bias 2',
      'n_dense/kernel 450×3',
      'n_dense/bias 3',
    ])

    // The same image in two slots gives the same features; the primary branch has weights of its own.
    const n = 2
    const model = buildModel({ ...TINY_DEEPDRIM, neighbours: n }, { inputShape: [7, 32, 32], seed: 5 })
    const features = tfl.model({ inputs: model.inputs, outputs: model.getLayer('neighbourFeatures').output })
    const x = floats(7 * 1024, 9)
    x.copyWithin(4 * 1024, 2 * 1024, 3 * 1024) // neighbour slot 3 := neighbour slot 1 (image 2 := image 4)
    const f = (features.predict(tf.tensor(x, [1, 7, 32, 32])) as tf.Tensor).dataSync()
    expect(f.length).toBe(6 * 3)
    const slot = (i: number) => Array.from(f.slice(i * 3, (i + 1) * 3))
    expect(slot(3)).toEqual(slot(1))
    expect(slot(0)).not.toEqual(slot(1))
    const primary = model.weights.filter((w) => w.originalName.startsWith('p_conv1a/kernel'))
    const shared = model.weights.filter((w) => w.originalName.startsWith('n_conv1a/kernel'))
    expect(primary).toHaveLength(1)
    expect(Array.from(primary[0]!.read().dataSync())).not.toEqual(Array.from(shared[0]!.read().dataSync()))
  })

  it('can read the primary image with the shared CNN too (primaryBranch: shared)', () => {
    const model = buildModel(
      { ...TINY_DEEPDRIM, neighbours: 2, primaryBranch: 'shared' },
      { inputShape: [7, 32, 32], seed: 5 },
    )
    expect(model.weights.some((w) => w.originalName.startsWith('p_'))).toBe(false)
    const features = tfl.model({ inputs: model.inputs, outputs: model.getLayer('neighbourFeatures').output })
    const x = floats(7 * 1024, 4)
    x.copyWithin(3 * 1024, 0, 1024) // slot 3 := the primary image
    const f = (features.predict(tf.tensor(x, [1, 7, 32, 32])) as tf.Tensor).dataSync()
    expect(f.length).toBe(7 * 3)
    expect(Array.from(f.slice(9, 12))).toEqual(Array.from(f.slice(0, 3)))
  })

  it('has the same gradients on wasm as on cpu (to 1e-4)', async () => {
    const spec = { ...TINY_DEEPDRIM, neighbours: 1 }
    const x = floats(3 * 5 * 1024, 11)
    const y = Float32Array.from([1, 0, 1])
    const gradients = async (backend: string, weights?: ReturnType<typeof getWeights>) => {
      await tf.setBackend(backend)
      const model = buildModel(spec, { inputShape: [5, 32, 32], seed: 7 })
      if (weights) setWeights(model, weights)
      const xs = tf.tensor(x, [3, 5, 32, 32])
      const ys = tf.tensor(y, [3, 1])
      const variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
      const { grads } = tf.variableGrads(() => {
        const p = tf.clipByValue(model.apply(xs, { training: false }) as tf.Tensor, 1e-6, 1 - 1e-6)
        const logLik = tf.add(tf.mul(ys, tf.log(p)), tf.mul(tf.sub(1, ys), tf.log(tf.sub(1, p))))
        return tf.neg(tf.mean(logLik)) as tf.Scalar
      }, variables)
      const out = variables.map((v) => grads[v.name]!.dataSync().slice() as Float32Array)
      return { out, weights: getWeights(model) }
    }
    const cpu = await gradients('cpu')
    const wasm = await gradients('wasm', cpu.weights)
    await tf.setBackend('cpu')
    // p_ and n_ conv kernels and biases, n_dense, dense1, dense2, output: 16 trainable weights.
    expect(cpu.out).toHaveLength(16)
    let checked = 0
    cpu.out.forEach((a, i) => {
      const b = wasm.out[i]!
      let scale = 1e-3
      for (const v of a) scale = Math.max(scale, Math.abs(v))
      let worst = 0
      for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!) / scale)
      expect(worst).toBeLessThan(1e-4)
      checked += a.length
    })
    expect(checked).toBeGreaterThan(1000)
  })
})
