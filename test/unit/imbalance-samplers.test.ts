/**
 * Behaviour of the samplers beyond the imblearn fixtures: seeds (same seed → same output, another → another),
 * the random parts in distribution, the level form, parameter and input errors, `appliesTo`, and
 * `resampleTrainingPart` (training part only, raw records by index).
 */
import { describe, expect, it } from 'vitest'
import {
  ADASYN,
  BorderlineSMOTE,
  RandomOverSampler,
  RandomUnderSampler,
  SMOTE,
  SMOTETomek,
  TomekLinks,
  classCounts,
  pairwiseSum,
  resampleTrainingPart,
  resolveStrategy,
  rintHalfEven,
  type Sampler,
} from '../../src/core/imbalance'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

/** Two overlapping Gaussian blobs, 1:10, d = 3. */
function blobs(nMaj: number, nMin: number, seed = 1): { X: Float32Array; y: Int32Array } {
  const rng = Rng.seeded(seed)
  const d = 3
  const X = new Float32Array((nMaj + nMin) * d)
  const y = new Int32Array(nMaj + nMin)
  for (let i = 0; i < nMaj + nMin; i++) {
    y[i] = i < nMaj ? 0 : 1
    for (let l = 0; l < d; l++) X[i * d + l] = rng.normal() + (y[i] ? 1.2 : 0)
  }
  return { X, y }
}

function code(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof InputError) return `${e.code}${e.params?.param ? `:${e.params.param}` : ''}`
    throw e
  }
  return undefined
}

const { X, y } = blobs(200, 20)
const all: [string, (seed: number) => Sampler][] = [
  ['RandomOverSampler', (seed) => new RandomOverSampler({ seed })],
  ['RandomOverSampler(shrinkage)', (seed) => new RandomOverSampler({ seed, shrinkage: 0.5 })],
  ['RandomUnderSampler', (seed) => new RandomUnderSampler({ seed })],
  ['SMOTE', (seed) => new SMOTE({ seed })],
  ['BorderlineSMOTE-1', (seed) => new BorderlineSMOTE({ seed })],
  ['BorderlineSMOTE-2', (seed) => new BorderlineSMOTE({ seed, kind: 'borderline-2' })],
  ['ADASYN', (seed) => new ADASYN({ seed })],
  ['SMOTETomek', (seed) => new SMOTETomek({ seed })],
]

describe('seeds', () => {
  for (const [name, make] of all) {
    it(`${name}: same seed, same output; another seed, another output`, () => {
      const a = make(1).fitResample(X, y)
      const b = make(1).fitResample(X, y)
      const c = make(2).fitResample(X, y)
      expect(b.X).toEqual(a.X)
      expect(b.y).toEqual(a.y)
      expect(b.sampleIndices).toEqual(a.sampleIndices)
      expect(c.X).not.toEqual(a.X)
    })
  }
})

describe('random parts in distribution', () => {
  it('RandomOverSampler draws every minority record about equally often', () => {
    const out = new RandomOverSampler({ seed: 3, samplingStrategy: { 1: 20_020 } }).fitResample(X, y)
    const hits = new Array<number>(220).fill(0)
    for (let r = 220; r < out.y.length; r++) hits[out.sampleIndices[r]!]! += 1
    const minority = hits.slice(200)
    expect(hits.slice(0, 200).every((h) => h === 0)).toBe(true)
    // 20,000 draws over 20 records: 1,000 each, sd ≈ 31; a chi-square with 19 df stays far below 60.
    const chi2 = minority.reduce((s, h) => s + (h - 1000) ** 2 / 1000, 0)
    expect(chi2).toBeLessThan(60)
    expect(Array.from(out.synthetic).every((v) => v === 0)).toBe(true)
  })

  it('SMOTE steps are uniform on [0, 1): mean ≈ 1/2, quartiles ≈ 1/4', () => {
    // Two minority points only (k = 1): every synthetic point is a + t (b − a), so t is read back exactly.
    const X2 = Float32Array.from([0, 0, 10, 10, 1, 0, 1, 4])
    const y2 = Int32Array.from([0, 0, 1, 1])
    const out = new SMOTE({ seed: 4, kNeighbors: 1, samplingStrategy: { 1: 8002 } }).fitResample(X2, y2)
    const t: number[] = []
    for (let r = 4; r < out.y.length; r++) {
      expect(out.X[r * 2]).toBe(1)
      const v = out.X[r * 2 + 1]! / 4
      t.push(v)
    }
    expect(t.every((v) => v >= 0 && v <= 1)).toBe(true)
    const mean = t.reduce((s, v) => s + v, 0) / t.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02) // sd of the mean ≈ 0.0032
    expect(Math.abs(t.filter((v) => v < 0.25).length / t.length - 0.25)).toBeLessThan(0.03)
  })

  it('the smoothed bootstrap perturbs copies by the class spread (shrinkage 0: exact copies)', () => {
    const zero = new RandomOverSampler({ seed: 1, shrinkage: 0 }).fitResample(X, y)
    for (let r = 220; r < zero.y.length; r++) {
      const s = zero.sampleIndices[r]!
      expect(zero.X.subarray(r * 3, r * 3 + 3)).toEqual(X.subarray(s * 3, s * 3 + 3))
      expect(zero.synthetic[r]).toBe(1)
    }
    const smooth = new RandomOverSampler({ seed: 1, shrinkage: 1 }).fitResample(X, y)
    let moved = 0
    for (let r = 220; r < smooth.y.length; r++) {
      const s = smooth.sampleIndices[r]!
      for (let l = 0; l < 3; l++) moved += Math.abs(smooth.X[r * 3 + l]! - X[s * 3 + l]!)
    }
    // h = (4 / (5 · 220))^(1/7) ≈ 0.45 times the class sd (≈ 1): mean |noise| ≈ 0.8 · 0.45.
    const mean = moved / ((smooth.y.length - 220) * 3)
    expect(mean).toBeGreaterThan(0.2)
    expect(mean).toBeLessThan(0.6)
  })

  it('RandomUnderSampler keeps distinct records of the class, grouped by class, in input order', () => {
    const out = new RandomUnderSampler({ seed: 8 }).fitResample(X, y)
    const kept = Array.from(out.sampleIndices)
    expect(new Set(kept).size).toBe(40)
    expect(kept.slice(0, 20).every((i) => i < 200)).toBe(true)
    expect(kept.slice(20)).toEqual([...Array(20).keys()].map((i) => 200 + i))
    expect(kept.slice(0, 20)).toEqual([...kept.slice(0, 20)].sort((a, b) => a - b))
  })
})

describe('level form {level: "+p%"}', () => {
  it('adds p% of the minority class to the minority class (binary and multi-class)', () => {
    for (const [level, after] of [
      ['+100%', 40],
      ['+200%', 60],
      ['+300%', 80],
    ] as const) {
      const out = new SMOTE({ seed: 1, samplingStrategy: { level } }).fitResample(X, y)
      expect(classCounts(out.y).counts).toEqual([200, after])
    }
    const y3 = Int32Array.from(y, (v, i) => (v === 1 ? 7 : i < 50 ? 3 : 0))
    expect([...resolveStrategy({ level: '+200%' }, classCounts(y3), 'over-sampling')]).toEqual([[7, 40]])
  })

  it('is refused by under-samplers and for unknown levels', () => {
    expect(
      code(() => new RandomUnderSampler({ seed: 1, samplingStrategy: { level: '+100%' } as never })),
    ).toBe('imbalance.bad_param:samplingStrategy')
    expect(code(() => new SMOTE({ seed: 1, samplingStrategy: { level: '+150%' } as never }))).toBe(
      'imbalance.bad_param:samplingStrategy',
    )
  })
})

describe('errors', () => {
  it('parameters are validated and named', () => {
    expect(code(() => new SMOTE({ seed: 1, kNeighbors: 0 }))).toBe('imbalance.bad_param:kNeighbors')
    expect(code(() => new SMOTE({ seed: 1, kNeighbors: 2.5 }))).toBe('imbalance.bad_param:kNeighbors')
    expect(code(() => new SMOTE({} as never))).toBe('imbalance.bad_param:seed')
    expect(code(() => new SMOTE({ seed: 1, kNeigbors: 3 } as never))).toBe('imbalance.bad_param:kNeigbors')
    expect(code(() => new BorderlineSMOTE({ seed: 1, mNeighbors: -1 }))).toBe(
      'imbalance.bad_param:mNeighbors',
    )
    expect(code(() => new BorderlineSMOTE({ seed: 1, kind: 'borderline-3' as never }))).toBe(
      'imbalance.bad_param:kind',
    )
    expect(code(() => new ADASYN({ seed: 1, nNeighbors: 0 }))).toBe('imbalance.bad_param:nNeighbors')
    expect(code(() => new RandomOverSampler({ seed: 1, shrinkage: -1 }))).toBe(
      'imbalance.bad_param:shrinkage',
    )
    expect(code(() => new RandomOverSampler({ seed: 1, samplingStrategy: 'majority' }))).toBe(
      'imbalance.bad_param:samplingStrategy',
    )
    expect(code(() => new TomekLinks({ samplingStrategy: { 0: 3 } as never }))).toBe(
      'imbalance.bad_param:samplingStrategy',
    )
    expect(code(() => new SMOTE({ seed: 1, samplingStrategy: 1.5 }))).toBe(
      'imbalance.bad_param:samplingStrategy',
    )
  })

  it('data errors: one class, too few records for k, NaN, ratio below the current balance', () => {
    expect(code(() => new SMOTE({ seed: 1 }).fitResample(X, new Int32Array(220)))).toBe('imbalance.one_class')
    expect(code(() => new SMOTE({ seed: 1, kNeighbors: 20 }).fitResample(X, y))).toBe(
      'imbalance.too_few_samples:kNeighbors',
    )
    const nan = X.slice()
    nan[5] = NaN
    expect(code(() => new SMOTE({ seed: 1 }).fitResample(nan, y))).toBe('imbalance.bad_value')
    // Random over/under-sampling only pick records: NaN is allowed there, as in imblearn.
    expect(new RandomOverSampler({ seed: 1 }).fitResample(nan, y).y.length).toBe(400)
    expect(code(() => new SMOTE({ seed: 1, samplingStrategy: 0.05 }).fitResample(X, y))).toBe(
      'imbalance.bad_param:samplingStrategy',
    )
    expect(code(() => new SMOTE({ seed: 1, samplingStrategy: { 9: 40 } }).fitResample(X, y))).toBe(
      'imbalance.bad_param:samplingStrategy',
    )
    expect(code(() => new SMOTE({ seed: 1 }).fitResample(X.subarray(1), y))).toBe('imbalance.bad_input')
    // ADASYN on classes that do not touch: no hard record.
    const far = Float32Array.from([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 100, 100.1, 100.2])
    const yFar = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1])
    expect(code(() => new ADASYN({ seed: 1, nNeighbors: 2 }).fitResample(far, yFar))).toBe(
      'imbalance.no_hard_samples',
    )
  })
})

describe('numpy helpers', () => {
  it('rint rounds halves to even; the pairwise sum is not the naive one', () => {
    expect([0.5, 1.5, 2.5, -1.5, 2.4, 2.6, 3.5].map(rintHalfEven)).toEqual([0, 2, 2, -2, 2, 3, 4])
    const a = Float64Array.from({ length: 300 }, (_, i) => (i % 5) / 5 + 1e-3 * (i % 7))
    let naive = 0
    for (const v of a) naive += v
    expect(Math.abs(pairwiseSum(a, 0, a.length) - naive)).toBeLessThan(1e-9)
  })
})

describe('resampleTrainingPart', () => {
  // 220 records: every 5th is validation, every 7th (not 5th) test.
  const assignments = Int8Array.from(y, (_, i) => (i % 5 === 0 ? 1 : i % 7 === 0 ? 2 : 0))
  const trainSet = new Set([...assignments.keys()].filter((i) => assignments[i] === 0))

  it('resamples the training records only and maps rows back to records', () => {
    const out = resampleTrainingPart(X, y, assignments, new SMOTE({ seed: 1 }))
    const nTrain = trainSet.size
    expect(out.countsBefore.counts.reduce((s, v) => s + v, 0)).toBe(nTrain)
    expect(out.countsAfter.counts[0]).toBe(out.countsAfter.counts[1])
    for (let r = 0; r < out.y.length; r++) {
      const rec = out.recordIndices[r]!
      if (out.synthetic[r]) expect(rec).toBe(-1)
      else {
        expect(trainSet.has(rec)).toBe(true)
        expect(out.y[r]).toBe(y[rec])
        expect(out.X.subarray(r * 3, r * 3 + 3)).toEqual(X.subarray(rec * 3, rec * 3 + 3))
      }
    }
    // The synthetic rows are made from training records only: each lies within the training minority's box.
    const minority = [...trainSet].filter((i) => y[i] === 1)
    for (let r = 0; r < out.y.length; r++) {
      if (!out.synthetic[r]) continue
      for (let l = 0; l < 3; l++) {
        const v = minority.map((i) => X[i * 3 + l]!)
        expect(out.X[r * 3 + l]).toBeGreaterThanOrEqual(Math.min(...v) - 1e-6)
        expect(out.X[r * 3 + l]).toBeLessThanOrEqual(Math.max(...v) + 1e-6)
      }
    }
  })

  it('raw records: random over/under-sampling by index; SMOTE family refused', () => {
    const records = Array.from(y, (_, i) => `seq${i}`)
    const over = resampleTrainingPart(records, y, assignments, new RandomOverSampler({ seed: 2 }))
    expect(over.X.length).toBe(over.y.length)
    over.X.forEach((s, r) => {
      expect(s).toBe(`seq${over.recordIndices[r]}`)
      expect(trainSet.has(over.recordIndices[r]!)).toBe(true)
    })
    const under = resampleTrainingPart(records, y, assignments, new RandomUnderSampler({ seed: 2 }))
    expect(under.countsAfter.counts[0]).toBe(under.countsBefore.counts[1])
    expect(code(() => resampleTrainingPart(records, y, assignments, new SMOTE({ seed: 1 })))).toBe(
      'imbalance.needs_features',
    )
    expect(
      code(() =>
        resampleTrainingPart(records, y, assignments, new RandomOverSampler({ seed: 1, shrinkage: 1 })),
      ),
    ).toBe('imbalance.needs_features')
    expect(code(() => resampleTrainingPart(X, y, new Int8Array(220).fill(1), new SMOTE({ seed: 1 })))).toBe(
      'imbalance.empty_train',
    )
  })

  it('appliesTo marks which samplers work on raw sequences', () => {
    expect(new RandomOverSampler({ seed: 1 }).appliesTo).toBe('any')
    expect(new RandomUnderSampler({ seed: 1 }).appliesTo).toBe('any')
    expect(new RandomOverSampler({ seed: 1, shrinkage: 1 }).appliesTo).toBe('features')
    for (const s of [
      new SMOTE({ seed: 1 }),
      new BorderlineSMOTE({ seed: 1 }),
      new ADASYN({ seed: 1 }),
      new TomekLinks(),
      new SMOTETomek({ seed: 1 }),
    ]) {
      expect(s.appliesTo).toBe('features')
    }
  })
})
