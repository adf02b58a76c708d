/**
 * The wasm convolution gradients (src/core/engine/wasm-gradients.ts) against the pure-JS cpu backend, the
 * reference: for conv1d and conv2d of several shapes, paddings and strides, the gradients of
 * sum(conv(x, w) · r) with respect to x and w must agree; a small tf.layers conv1d model must train on wasm
 * exactly as on cpu; and the compositions must leave no tensors or backend data behind.
 */
import * as path from 'node:path'
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  conv2DBackpropFilterWasm,
  conv2DBackpropInputWasm,
  registerWasmConvGradients,
} from '../../src/core/engine/wasm-gradients'

const require = createRequire(import.meta.url)

/** Deterministic values in [-1, 1) (a small LCG), so failures reproduce. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out[i] = s / 2 ** 31 - 1
  }
  return out
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1)

/** Largest absolute difference, relative to the reference's scale (sums of thousands of products). */
function relDiff(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  let diff = 0
  let scale = 1
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!))
    scale = Math.max(scale, Math.abs(expected[i]!))
  }
  return diff / scale
}

interface Case {
  name: string
  x: number[] // [n, w, cin] for conv1d, [n, h, w, cin] for conv2d
  w: number[] // [k, cin, cout] or [fh, fw, cin, cout]
  stride: number | [number, number]
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]]
}

const cases: Case[] = [
  {
    name: 'conv1d 101×4 → 15, width 10, same, batch 7',
    x: [7, 101, 4],
    w: [10, 4, 15],
    stride: 1,
    pad: 'same',
  },
  {
    name: 'conv1d 101×4 → 15, width 10, valid, batch 1',
    x: [1, 101, 4],
    w: [10, 4, 15],
    stride: 1,
    pad: 'valid',
  },
  { name: 'conv1d width 9 (odd), same, stride 3', x: [2, 101, 4], w: [9, 4, 5], stride: 3, pad: 'same' },
  {
    name: 'conv2d 3×3 same 32×32×1 → 32, batch 1',
    x: [1, 32, 32, 1],
    w: [3, 3, 1, 32],
    stride: 1,
    pad: 'same',
  },
  {
    name: 'conv2d 3×3 valid 32×32×1 → 32, batch 7',
    x: [7, 32, 32, 1],
    w: [3, 3, 1, 32],
    stride: 1,
    pad: 'valid',
  },
  {
    name: 'conv2d 4×4 (even) same, 3 → 6 channels',
    x: [2, 11, 10, 3],
    w: [4, 4, 3, 6],
    stride: 1,
    pad: 'same',
  },
  { name: 'conv2d 1×1', x: [3, 5, 6, 4], w: [1, 1, 4, 7], stride: 1, pad: 'valid' },
  { name: 'conv2d 3×3 same, stride 2', x: [2, 9, 8, 2], w: [3, 3, 2, 4], stride: 2, pad: 'same' },
  {
    name: 'conv2d 3×3 valid, stride 2 (last row unused)',
    x: [2, 10, 9, 2],
    w: [3, 3, 2, 3],
    stride: 2,
    pad: 'valid',
  },
  {
    name: 'conv2d 2×4 valid, strides [3, 2]',
    x: [1, 11, 9, 2],
    w: [2, 4, 2, 3],
    stride: [3, 2],
    pad: 'valid',
  },
  {
    name: 'conv2d 2×5 explicit padding',
    x: [2, 7, 8, 2],
    w: [2, 5, 2, 3],
    stride: 1,
    pad: [
      [0, 0],
      [1, 0],
      [2, 3],
      [0, 0],
    ],
  },
  {
    name: 'conv2d 3×3 explicit padding wider than the filter',
    x: [1, 6, 5, 1],
    w: [3, 3, 1, 2],
    stride: 1,
    pad: [
      [0, 0],
      [4, 1],
      [0, 5],
      [0, 0],
    ],
  },
]

/** Gradients of sum(conv(x, w) · r) w.r.t. x and w on one backend, as plain arrays. */
async function convGrads(backend: string, c: Case): Promise<{ dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend)
  const [dx, dw] = tf.tidy(() => {
    const x = tf.tensor(values(size(c.x), 1), c.x)
    const w = tf.tensor(values(size(c.w), 2), c.w)
    const conv = (xi: tf.Tensor, wi: tf.Tensor): tf.Tensor =>
      c.x.length === 3
        ? tf.conv1d(xi as tf.Tensor3D, wi as tf.Tensor3D, c.stride as number, c.pad as 'same' | 'valid')
        : tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, c.stride, c.pad)
    const outShape = tf.tidy(() => conv(x, w).shape)
    const r = tf.tensor(values(size(outShape), 3), outShape)
    return tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(conv(xi, wi), r)))([x, w])
  }) as [tf.Tensor, tf.Tensor]
  const out = { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array }
  tf.dispose([dx, dw])
  return out
}

/** The backend's own count of live data buffers (catches intermediates the engine never saw). */
const backendData = (): number => tf.engine().backend.numDataIds()

beforeAll(async () => {
  // The .wasm binaries sit next to the package's Node entry point (dist/tf-backend-wasm.node.js).
  setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep)
  registerWasmConvGradients()
  expect(await tf.setBackend('wasm')).toBe(true)
})

describe('wasm convolution gradients', () => {
  it('replaces the wasm kernels, and registering again changes nothing', () => {
    registerWasmConvGradients()
    registerWasmConvGradients()
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterWasm)
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputWasm)
    expect(
      tf.getKernelsForBackend('wasm').filter((k) => k.kernelName === 'Conv2DBackpropInput'),
    ).toHaveLength(1)
  })

  for (const c of cases) {
    it(`matches the cpu backend: ${c.name}`, async () => {
      const wasm = await convGrads('wasm', c)
      const cpu = await convGrads('cpu', c)
      expect(relDiff(wasm.dw, cpu.dw)).toBeLessThan(1e-4)
      expect(relDiff(wasm.dx, cpu.dx)).toBeLessThan(1e-4)
      // Not trivially equal: the gradients carry signal.
      expect(cpu.dw.some((v) => Math.abs(v) > 1e-3)).toBe(true)
      expect(cpu.dx.some((v) => Math.abs(v) > 1e-3)).toBe(true)
    })
  }

  it('leaks neither tensors nor backend data', async () => {
    await tf.setBackend('wasm')
    const c = cases.find((k) => k.name.includes('stride 2 (last row'))!
    await convGrads('wasm', c) // warm-up: lazily created engine state is not a leak
    const tensors = tf.memory().numTensors
    const data = backendData()
    await convGrads('wasm', c)
    await convGrads('wasm', cases[0]!)
    await convGrads('wasm', cases[cases.length - 1]!)
    expect(tf.memory().numTensors).toBe(tensors)
    expect(backendData()).toBe(data)
  })

  it('rejects NCHW clearly instead of computing nonsense', async () => {
    await tf.setBackend('wasm')
    const dy = tf.zeros([1, 2, 4, 4])
    const x = tf.zeros([1, 3, 4, 4])
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 2] }
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs)).toThrow(/NHWC/)
    tf.dispose([dy, x])
  })
})

describe('a tf.layers conv1d model on wasm', () => {
  const n = 16
  const length = 20
  const xs = values(n * length * 4, 11)
  // A learnable target: whether the first channel's mean exceeds the second's.
  const ys = Float32Array.from({ length: n }, (_, i) => {
    let d = 0
    for (let p = 0; p < length; p++) d += xs[(i * length + p) * 4]! - xs[(i * length + p) * 4 + 1]!
    return d > 0 ? 1 : 0
  })

  function build(): tfl.LayersModel {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv1d({
          inputShape: [length, 4],
          filters: 6,
          kernelSize: 5,
          padding: 'same',
          activation: 'relu',
        }),
        tfl.layers.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'valid', activation: 'relu' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    })
    model.compile({ optimizer: tf.train.sgd(0.5), loss: 'binaryCrossentropy' })
    return model
  }

  /** Trains `steps` full-batch steps from the given weights; returns the losses and the final weights. */
  async function train(backend: string, init: Float32Array[], steps: number) {
    await tf.setBackend(backend)
    const model = build()
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(init[i]!, w.shape)))
    const x = tf.tensor3d(xs, [n, length, 4])
    const y = tf.tensor2d(ys, [n, 1])
    const losses: number[] = []
    for (let s = 0; s < steps; s++) losses.push((await model.trainOnBatch(x, y)) as number)
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array)
    tf.dispose([x, y])
    model.dispose()
    return { losses, weights }
  }

  it('takes the same step as on cpu, and its loss decreases', async () => {
    await tf.setBackend('cpu')
    const seed = build()
    const init = seed.getWeights().map((w) => w.dataSync() as Float32Array)
    seed.dispose()

    const wasmOne = await train('wasm', init, 1)
    const cpuOne = await train('cpu', init, 1)
    expect(wasmOne.weights).toHaveLength(6)
    wasmOne.weights.forEach((w, i) => {
      expect(relDiff(w, cpuOne.weights[i]!)).toBeLessThan(1e-4)
      expect(relDiff(w, init[i]!)).toBeGreaterThan(1e-4) // every weight, convolution kernels included, moved
    })

    const wasmMany = await train('wasm', init, 25)
    expect(wasmMany.losses.every(Number.isFinite)).toBe(true)
    expect(wasmMany.losses[wasmMany.losses.length - 1]!).toBeLessThan(wasmMany.losses[0]! * 0.8)
  })
})
