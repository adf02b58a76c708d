/**
 * src/core/imbalance/weights: `classWeights` equals scikit-learn's `compute_class_weight` and `sampleWeights`
 * its `compute_sample_weight` on the training records (fixtures in test/fixtures/splits/weights.json, made by
 * scripts/fixtures/make_split_fixtures.py), with zeros outside training; "balanced" gives every class the same
 * total (the seed's groupby('y').sum() check), also with per-sample base weights; and the `weights.*` errors.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import { classWeights, sampleWeights, weightSumsPerClass } from '../../src/core/imbalance/weights'
import { partIndices, stratifiedSplit, TRAIN } from '../../src/core/splits'

interface WeightCase {
  name: string
  labels: (number | string)[]
  spec: 'balanced' | Record<string, number>
  train: number[] | null
  classes: (number | string)[]
  classWeights: number[]
  sampleWeights: number[]
}
const fixture = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/splits/weights.json'), 'utf8'),
) as { cases: WeightCase[] }

function errorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

const everyIndex = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('against scikit-learn', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const labels = c.labels as number[]
      const train = c.train ?? everyIndex(labels.length)
      const weights = classWeights(labels, c.spec, { train })
      // Classes present in training, with sklearn's exact doubles.
      const present = weights.classes.map((cls, j) => [cls, weights.weights[j]!] as const)
      const expected = c.classes.map((cls, j) => [cls, c.classWeights[j]!] as const)
      expect(present.filter(([cls]) => c.classes.includes(cls))).toEqual(expected)
      const perSample = sampleWeights(labels, weights, { train })
      const inTrain = new Set(train)
      perSample.forEach((w, i) => expect(w).toBe(inTrain.has(i) ? Math.fround(c.sampleWeights[i]!) : 0))
    })
  }
})

describe('balanced weights', () => {
  it('give each class the same total on the training part, and nothing elsewhere', () => {
    const labels = Array.from({ length: 2000 }, (_, i) => (i % 250 === 0 ? 1 : 0))
    const { assignments } = stratifiedSplit(labels, { val: 0.1, test: 0.1, seed: 3 })
    const train = partIndices(assignments, TRAIN)
    const weights = sampleWeights(labels, classWeights(labels, 'balanced', { train }), { train })
    const { classes, sums } = weightSumsPerClass(labels, weights)
    expect(classes).toEqual([0, 1])
    expect(sums[0]).toBeCloseTo(train.length / 2, 3)
    expect(sums[1]).toBeCloseTo(train.length / 2, 3)
    assignments.forEach((part, i) => {
      if (part !== TRAIN) expect(weights[i]).toBe(0)
    })
  })

  it('balance the totals of per-sample base weights when they are given', () => {
    const labels = ['a', 'a', 'a', 'b', 'b', 'c']
    const base = [1, 2, 3, 0.5, 0.5, 4]
    const train = everyIndex(6)
    const weights = classWeights(labels, 'balanced', { train, base })
    const perSample = sampleWeights(labels, weights, { train, base })
    const { sums } = weightSumsPerClass(labels, perSample)
    const total = base.reduce((a, b) => a + b, 0)
    for (const s of sums) expect(s).toBeCloseTo(total / 3, 5)
    expect(perSample[1]).toBeCloseTo(2 * (total / (3 * 6)), 6)
  })

  it('leave a class absent from training at weight 0', () => {
    const labels = [0, 0, 1, 2, 2]
    const weights = classWeights(labels, 'balanced', { train: [0, 1, 3, 4] })
    expect(Array.from(weights.weights)).toEqual([1, 0, 1])
    expect(Array.from(weights.trainCounts)).toEqual([2, 0, 2])
  })
})

describe('weights given per class', () => {
  it('apply the given weight, 1 for classes left out', () => {
    const labels = ['bind', 'none', 'weak', 'none']
    const weights = classWeights(labels, { bind: 50 }, { train: everyIndex(4) })
    expect(Array.from(weights.weights)).toEqual([50, 1, 1])
    expect(Array.from(sampleWeights(labels, weights, { train: [0, 1], base: [0.5, 2, 1, 1] }))).toEqual([
      25, 2, 0, 0,
    ])
  })
})

describe('errors', () => {
  const labels = [0, 1, 0, 1]
  const train = [0, 1]
  it.each([
    ['weights.empty_train', () => classWeights(labels, 'balanced', { train: [] })],
    ['weights.bad_indices', () => classWeights(labels, 'balanced', { train: [0, 4] })],
    ['weights.bad_base', () => classWeights(labels, 'balanced', { train, base: [1, 1, 1] })],
    ['weights.bad_base', () => classWeights(labels, 'balanced', { train, base: [1, -1, 1, 1] })],
    ['weights.bad_base', () => classWeights(labels, 'balanced', { train, base: [1, NaN, 1, 1] })],
    ['weights.zero_class_total', () => classWeights(labels, 'balanced', { train, base: [1, 0, 1, 1] })],
    ['weights.unknown_class', () => classWeights(labels, { '2': 3 }, { train })],
    ['weights.bad_weight', () => classWeights(labels, { '1': -3 }, { train })],
    ['weights.bad_weight', () => classWeights(labels, { '1': Infinity }, { train })],
    ['weights.bad_spec', () => classWeights(labels, 'balance' as 'balanced', { train })],
    ['weights.bad_labels', () => classWeights([0, 0.5], 'balanced', { train })],
    [
      'weights.bad_spec',
      () => sampleWeights([0, 2, 0, 2], classWeights(labels, 'balanced', { train }), { train }),
    ],
  ])('%s', (code, fn) => {
    expect(errorOf(fn).code).toBe(code)
  })
})
