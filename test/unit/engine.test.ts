import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { getEngineInfo, wasmBinariesDir } from '../../src/app/engine'
import { NoBackendError, selectBackend, type TfBackendControl } from '../../src/core/engine/backend'

/** A stand-in for TensorFlow.js that knows only the backends it is told were registered. */
function fakeTf(registered: Record<string, boolean>): TfBackendControl & { active: string } {
  const fake = {
    active: 'none',
    version_core: '9.9.9',
    async setBackend(name: string) {
      if (!(name in registered)) throw new Error(`Backend name '${name}' not found in registry`)
      if (registered[name]) fake.active = name
      return registered[name]!
    },
    async ready() {},
    getBackend: () => fake.active,
  }
  return fake
}

describe('selectBackend (core)', () => {
  it('passes over a candidate whose loader throws, records why, and takes the next', async () => {
    const tfFake = fakeTf({ wasm: true, cpu: true })
    const info = await selectBackend(tfFake, [
      {
        name: 'tensorflow',
        init: async () => Promise.reject(new Error('@tensorflow/tfjs-node is not installed')),
      },
      { name: 'wasm', init: async () => {}, threads: () => 4 },
      { name: 'cpu', init: async () => {} },
    ])
    expect(info).toEqual({
      backend: 'wasm',
      tried: [
        { backend: 'tensorflow', ok: false, reason: '@tensorflow/tfjs-node is not installed' },
        { backend: 'wasm', ok: true },
      ],
      tfjsVersion: '9.9.9',
      threads: 4,
    })
    expect(tfFake.active).toBe('wasm')
  })

  it('treats setBackend resolving to false as a failure (tfjs does not throw on a failed init)', async () => {
    const info = await selectBackend(fakeTf({ wasm: false, cpu: true }), [
      { name: 'wasm', init: async () => {} },
      { name: 'cpu', init: async () => {} },
    ])
    expect(info.backend).toBe('cpu')
    expect(info.threads).toBe(1)
    expect(info.tried[0]).toEqual({
      backend: 'wasm',
      ok: false,
      reason: expect.stringContaining('failed to initialise'),
    })
  })

  it('throws with every reason when nothing works', async () => {
    const attempt = selectBackend(fakeTf({}), [
      { name: 'wasm', init: async () => {} },
      { name: 'cpu', init: async () => Promise.reject(new Error('no cpu today')) },
    ])
    await expect(attempt).rejects.toBeInstanceOf(NoBackendError)
    await expect(attempt).rejects.toThrow(/wasm: Backend name 'wasm' not found.*cpu: no cpu today/)
  })
})

describe('getEngineInfo (app, real TensorFlow.js)', () => {
  it('runs on wasm here, having tried the native backend first and said why it was not used', async () => {
    const info = await getEngineInfo()
    expect(info.backend).toBe('wasm')
    expect(info.tried[0]).toEqual({
      backend: 'tensorflow',
      ok: false,
      reason: expect.stringMatching(
        /@tensorflow\/tfjs-node-gpu is not installed; @tensorflow\/tfjs-node is not installed/,
      ),
    })
    expect(info.tried.at(-1)).toEqual({ backend: 'wasm', ok: true })
    expect(info.tfjsVersion).toBe(tf.version_core)
    expect(info.threads).toBe(1)
    expect(tf.getBackend()).toBe('wasm')
    expect(await getEngineInfo()).toBe(info)
  })

  it('computes a matrix product on wasm equal to the cpu backend', async () => {
    await getEngineInfo()
    const a = [
      [1.5, -2, 0.25],
      [3, 0.5, -1],
    ]
    const b = [
      [2, 1],
      [-0.5, 4],
      [1, -3],
    ]
    const product = (): number[][] => {
      const result = tf.tidy(() => tf.matMul(tf.tensor2d(a), tf.tensor2d(b))) as tf.Tensor2D
      const values = result.arraySync()
      result.dispose()
      return values
    }
    const onWasm = product()
    await import('@tensorflow/tfjs-backend-cpu')
    await tf.setBackend('cpu')
    const onCpu = product()
    await tf.setBackend('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(onCpu).toEqual([
      [4.25, -7.25],
      [4.75, 8],
    ])
    onWasm.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(onCpu[i]![j]!, 5)))
  })

  it('reads the wasm binaries from an unpacked asar folder when there is one', () => {
    const dir = wasmBinariesDir()
    expect(dir).toMatch(/tfjs-backend-wasm[\\/]dist$/)
    const packed = '/opt/SeqLab/resources/app.asar/node_modules/@tensorflow/tfjs-backend-wasm/dist/x.js'
    // No such folder exists here, so the packed path is kept.
    expect(wasmBinariesDir(() => packed)).toBe(
      '/opt/SeqLab/resources/app.asar/node_modules/@tensorflow/tfjs-backend-wasm/dist',
    )
  })
})
