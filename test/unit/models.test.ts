/**
 * Model specs and builders (src/core/models) on the cpu backend: output shapes and exact parameter counts of
 * each builder (the seed CNN counted by hand), seeded initial weights, invalid parameters as InputError
 * `model.bad_param`, weights round trips, and the motif-scan predictor against `bestMatchScore`.
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { bestMatchScore, toLogOdds, type MotifCounts } from '../../src/core/formats/jaspar'
import {
  buildModel,
  CnnSpec,
  createPwmPredictor,
  getWeights,
  layersPredictor,
  MlpSpec,
  ModelSpec,
  packWeights,
  parseModelSpec,
  setWeights,
  UNSCORABLE,
  unpackWeights,
} from '../../src/core/models'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

beforeAll(async () => {
  await tf.setBackend('cpu')
  await tf.ready()
})

function inputError(f: () => unknown): InputError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

function randomFloats(n: number, seed: number): Float32Array {
  const rng = Rng.seeded(seed)
  return Float32Array.from({ length: n }, () => rng.float() * 2 - 1)
}

describe('specs', () => {
  it('fill in the seed recipes', () => {
    expect(parseModelSpec({ kind: 'cnn' })).toEqual({
      kind: 'cnn',
      filters: 15,
      kernelSize: 10,
      layers: 3,
      dropout: 0.5,
      head: 'flatten',
      l2: 0,
      numClasses: 2,
    })
    expect(MlpSpec.parse({ kind: 'mlp' })).toMatchObject({
      hidden: [200, 200, 200],
      batchNorm: true,
      dropout: 0.3,
    })
    expect(parseModelSpec({ kind: 'logreg' })).toEqual({ kind: 'logreg', l2: 0, numClasses: 2 })
    expect(parseModelSpec({ kind: 'pwm', motifId: 'MA0491.1' })).toEqual({
      kind: 'pwm',
      motifId: 'MA0491.1',
      pseudocount: 0.8,
      bothStrands: true,
    })
  })

  it('survive JSON', () => {
    const spec = CnnSpec.parse({ kind: 'cnn', dropout: 0 })
    expect(ModelSpec.parse(JSON.parse(JSON.stringify(spec)))).toEqual(spec)
  })

  it.each([
    [{ kind: 'cnn', filters: 0 }, 'filters'],
    [{ kind: 'cnn', kernelSize: 2.5 }, 'kernelSize'],
    [{ kind: 'cnn', dropout: 1 }, 'dropout'],
    [{ kind: 'cnn', depth: 3 }, 'spec'],
    [{ kind: 'cnn', head: 'avg' }, 'head'],
    [{ kind: 'mlp', hidden: [] }, 'hidden'],
    [{ kind: 'mlp', hidden: [200, -1] }, 'hidden.1'],
    [{ kind: 'logreg', l2: -0.1 }, 'l2'],
    [{ kind: 'logreg', numClasses: 1 }, 'numClasses'],
    [{ kind: 'forest' }, 'kind'],
  ])('reject %j naming %s', (spec, param) => {
    const err = inputError(() => buildModel(spec as never, { inputShape: [101, 4], seed: 1 }))
    expect(err.code).toBe('model.bad_param')
    expect(err.params?.param).toBe(param)
    expect(err.message).toContain(param)
  })

  it('reject bad shapes and seeds', () => {
    expect(inputError(() => buildModel({ kind: 'cnn' }, { inputShape: [404], seed: 1 })).params?.param).toBe(
      'inputShape',
    )
    expect(inputError(() => buildModel({ kind: 'mlp' }, { inputShape: [0], seed: 1 })).params?.param).toBe(
      'inputShape',
    )
    expect(
      inputError(() => buildModel({ kind: 'logreg' }, { inputShape: [4], seed: -1 })).params?.param,
    ).toBe('seed')
  })
})

describe('builders', () => {
  it('build the seed CNN with the parameter count computed by hand', () => {
    const model = buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 1 })
    const conv1 = 10 * 4 * 15 + 15
    const conv23 = 10 * 15 * 15 + 15
    const dense = 101 * 15 + 1
    expect(model.countParams()).toBe(conv1 + 2 * conv23 + dense)
    expect(model.countParams()).toBe(6661)
    expect(model.outputs[0]!.shape).toEqual([null, 1])
    expect(model.layers.map((l) => l.name)).toEqual([
      'x',
      'conv1',
      'dropout1',
      'conv2',
      'dropout2',
      'conv3',
      'dropout3',
      'flatten',
      'output',
    ])
    // Dropout 0 (the "no dropout" ablation) removes the layers, not the parameters.
    const noDropout = buildModel({ kind: 'cnn', dropout: 0 }, { inputShape: [101, 4], seed: 1 })
    expect(noDropout.layers.some((l) => l.getClassName() === 'Dropout')).toBe(false)
    expect(noDropout.countParams()).toBe(6661)
    // Configurable width, depth and filters.
    const small = buildModel(
      { kind: 'cnn', filters: 8, kernelSize: 5, layers: 2 },
      { inputShape: [50, 4], seed: 1 },
    )
    expect(small.countParams()).toBe(5 * 4 * 8 + 8 + (5 * 8 * 8 + 8) + (50 * 8 + 1))
  })

  it('build logistic regression on one-hot or k-mer counts', () => {
    const onehot = buildModel({ kind: 'logreg' }, { inputShape: [101, 4], seed: 1 })
    expect(onehot.countParams()).toBe(404 + 1)
    const kmers = buildModel({ kind: 'logreg' }, { inputShape: [256], seed: 1 })
    expect(kmers.countParams()).toBe(257)
    expect(kmers.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense'])
    const x = randomFloats(3 * 256, 5)
    const p = layersPredictor(kmers).predict(x)
    expect(p.length).toBe(3)
    // A single dense sigmoid unit, by hand.
    const [w, b] = getWeights(kmers)
    for (let i = 0; i < 3; i++) {
      let z = b!.data[0]!
      for (let j = 0; j < 256; j++) z += x[i * 256 + j]! * w!.data[j]!
      expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-z)), 5)
    }
  })

  it('build the 3×200 MLP with batch norm, ReLU and dropout', () => {
    const model = buildModel({ kind: 'mlp' }, { inputShape: [1280], seed: 1 })
    // Dense without bias (the norm's β replaces it); BN: γ, β, moving mean, moving variance.
    const hidden = 1280 * 200 + 4 * 200 + 2 * (200 * 200 + 4 * 200)
    expect(model.countParams()).toBe(hidden + 200 + 1)
    expect(model.layers.map((l) => l.getClassName()).slice(1, 5)).toEqual([
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dropout',
    ])
    const plain = buildModel(
      { kind: 'mlp', hidden: [8], batchNorm: false, dropout: 0 },
      { inputShape: [3, 4], seed: 1 },
    )
    expect(plain.countParams()).toBe(12 * 8 + 8 + 8 + 1)
  })

  it('build k-class models with a softmax output', () => {
    const model = buildModel({ kind: 'cnn', numClasses: 3 }, { inputShape: [20, 4], seed: 1 })
    expect(model.outputs[0]!.shape).toEqual([null, 3])
    const p = layersPredictor(model).predict(randomFloats(2 * 80, 2))
    expect(p.length).toBe(6)
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 5)
    expect(p[3]! + p[4]! + p[5]!).toBeCloseTo(1, 5)
  })

  it('initialise from the seed only', () => {
    const a = getWeights(buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 7 }))
    const b = getWeights(buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 7 }))
    const c = getWeights(buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 8 }))
    expect(a.map((w) => w.name)).toEqual([
      'conv1/kernel',
      'conv1/bias',
      'conv2/kernel',
      'conv2/bias',
      'conv3/kernel',
      'conv3/bias',
      'output/kernel',
      'output/bias',
    ])
    expect(b).toEqual(a)
    expect(c[0]!.data).not.toEqual(a[0]!.data)
    // Each layer draws its own stream: conv2 and conv3 have the same shape but different values.
    expect(a[2]!.data).not.toEqual(a[4]!.data)
  })
})

describe('weights', () => {
  it('round-trip exactly, also through one packed blob, with batch norm statistics', () => {
    const spec = { kind: 'mlp' as const, hidden: [6, 5] }
    const source = buildModel(spec, { inputShape: [7], seed: 1 })
    // Give every weight (moving statistics included) distinctive values.
    const values = getWeights(source).map((w, i) => ({
      ...w,
      data: randomFloats(w.data.length, 100 + i).map(Math.abs),
    }))
    setWeights(source, values)
    expect(getWeights(source)).toEqual(values)

    const target = buildModel(spec, { inputShape: [7], seed: 2 })
    const packed = packWeights(getWeights(source))
    expect(packed.data.length).toBe(source.countParams())
    // As stored: the manifest as JSON, the values as one blob.
    const stored = { manifest: JSON.parse(JSON.stringify(packed.manifest)), data: packed.data.slice() }
    setWeights(target, unpackWeights(stored))
    expect(getWeights(target)).toEqual(values)
    const x = randomFloats(4 * 7, 3)
    expect(layersPredictor(target).predict(x)).toEqual(layersPredictor(source).predict(x))
  })

  it('are copies, unaffected by later changes to the model', () => {
    const model = buildModel({ kind: 'logreg' }, { inputShape: [3], seed: 1 })
    const before = getWeights(model)
    const kept = Float32Array.from(before[0]!.data)
    setWeights(
      model,
      before.map((w) => ({ ...w, data: new Float32Array(w.data.length).fill(9) })),
    )
    expect(before[0]!.data).toEqual(kept)
  })

  it('refuse weights of another model', () => {
    const model = buildModel({ kind: 'cnn' }, { inputShape: [101, 4], seed: 1 })
    const other = getWeights(buildModel({ kind: 'cnn', filters: 16 }, { inputShape: [101, 4], seed: 1 }))
    expect(inputError(() => setWeights(model, other)).code).toBe('model.weights_mismatch')
    const fewer = getWeights(model).slice(1)
    expect(inputError(() => setWeights(model, fewer)).code).toBe('model.weights_mismatch')
    const packed = packWeights(getWeights(model))
    expect(inputError(() => unpackWeights({ ...packed, data: packed.data.subarray(1) })).code).toBe(
      'model.weights_mismatch',
    )
  })
})

describe('motif-scan predictor', () => {
  // JUND, MA0491.1 from JASPAR 2016 (/work/shared/data/motifs/jaspar_2016.wil).
  const jund: MotifCounts = {
    id: 'MA0491.1',
    name: 'JUND',
    counts: [
      [12389, 15163, 0, 0, 38710, 0, 0, 1547, 38710, 0, 5786],
      [759, 4824, 0, 0, 0, 22857, 0, 37163, 0, 5136, 14956],
      [13640, 18723, 0, 38710, 0, 14078, 0, 0, 0, 2301, 12429],
      [11922, 0, 38710, 0, 0, 1775, 38710, 0, 0, 31273, 5539],
    ],
  }
  const other: MotifCounts = { id: 'X1', name: 'X', counts: [[1], [1], [1], [1]] }
  const length = 40

  function oneHot(windows: Uint8Array[]): Float32Array {
    const x = new Float32Array(windows.length * length * 4)
    windows.forEach((codes, i) => codes.forEach((c, p) => c < 4 && (x[(i * length + p) * 4 + c] = 1)))
    return x
  }

  it('scores each window as bestMatchScore over both strands', () => {
    const rng = Rng.seeded(3)
    const windows = Array.from({ length: 20 }, () => Uint8Array.from({ length }, () => rng.int(4)))
    // Plant a JUND site (TGAGTCA) in one window, Ns in another, and a window of Ns only.
    windows[0]!.set([0, 3, 2, 0, 2, 3, 1, 0, 3, 2, 2], 5)
    windows[1]![10] = 4
    windows[1]![25] = 4
    windows[2]!.fill(4)
    const predictor = createPwmPredictor(
      { kind: 'pwm', motifId: 'MA0491.1' },
      { motifs: [other, jund], sampleShape: [length, 4] },
    )
    const scores = predictor.predict(oneHot(windows))
    const logOdds = toLogOdds(jund.counts, { pseudocount: 0.8 })
    windows.forEach((codes, i) => {
      const expected = bestMatchScore(logOdds, codes)
      expect(scores[i]).toBe(Number.isFinite(expected) ? Math.fround(expected) : UNSCORABLE)
    })
    expect(scores[2]).toBe(UNSCORABLE)
    expect(scores[0]).toBe(Math.max(...scores))

    const forwardOnly = createPwmPredictor(
      { kind: 'pwm', motifId: 'MA0491.1', bothStrands: false, pseudocount: 0.1 },
      { motifs: [jund], sampleShape: [length, 4] },
    )
    const lo = toLogOdds(jund.counts, { pseudocount: 0.1 })
    expect(forwardOnly.predict(oneHot([windows[3]!]))[0]).toBe(
      Math.fround(bestMatchScore(lo, windows[3]!, { bothStrands: false })),
    )
  })

  it('refuses an unknown motif and windows that are not one-hot DNA', () => {
    const unknown = inputError(() =>
      createPwmPredictor({ kind: 'pwm', motifId: 'MA9999.1' }, { motifs: [jund], sampleShape: [40, 4] }),
    )
    expect(unknown.code).toBe('model.unknown_motif')
    expect(unknown.expected).toBe('MA0491.1')
    const shape = inputError(() =>
      createPwmPredictor({ kind: 'pwm', motifId: 'MA0491.1' }, { motifs: [jund], sampleShape: [40, 20] }),
    )
    expect(shape.params?.param).toBe('inputShape')
    const pseudo = inputError(() =>
      createPwmPredictor(
        { kind: 'pwm', motifId: 'MA0491.1', pseudocount: -1 },
        { motifs: [jund], sampleShape: [40, 4] },
      ),
    )
    expect(pseudo.params?.param).toBe('pseudocount')
  })
})
