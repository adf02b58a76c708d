/**
 * src/core/calibration against scikit-learn 1.2.1 (fixtures in test/fixtures/calibration, made by
 * scripts/fixtures/make_calibration_fixtures.py with Debian's sklearn).
 *
 * - Isotonic regression, Brier score, reliability curve: every number to 1e-12 (relative above 1).
 * - Platt scaling: sklearn stops its BFGS at a gradient norm of 1e-5, short of the optimum; the core goes to
 *   the optimum. So a and b must match the exact optimum (mpmath, 50 digits) to 1e-9, and sklearn's a and b
 *   within sklearn's own distance from that optimum — below 1e-6 from 60 samples on, about 1e-5 on the tiny
 *   sets — plus 1e-9. The largest distances measured are printed.
 * - Where sklearn raises (probabilities above 1), we throw `metrics.bad_input`; where it fits one class
 *   anyway, we throw `calibration.one_class`.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  brierScore,
  IsotonicCalibration,
  PlattScaling,
  reliabilityCurve,
  type ReliabilityStrategy,
} from '../../src/core/calibration'
import { InputError } from '../../src/shared/errors'

const TOLERANCE = 1e-12
const fixtureDir = path.resolve(__dirname, '../fixtures/calibration')

interface Outcome<T> {
  value?: T
  error?: { type: string; message: string }
  warnings?: string[]
}
interface Provenance {
  sklearn_version: string
}
interface PlattCase {
  name: string
  scores: number[]
  y: number[]
  sample_weight: number[] | null
  test_scores: number[]
  sklearn: Outcome<{ a: number; b: number; predictions: number[] }>
  optimum?: { a: number; b: number; predictions: number[] }
  sklearn_from_optimum?: { a: number; b: number }
}
interface IsotonicCase {
  name: string
  scores: number[]
  y: number[]
  sample_weight: number[] | null
  test_scores: number[]
  sklearn: Outcome<{
    x_thresholds: number[]
    y_thresholds: number[]
    x_min: number
    x_max: number
    predictions: number[]
  }>
}
interface BrierCase {
  name: string
  y: number[]
  prob: number[]
  sample_weight: number[] | null
  brier: Outcome<number>
}
interface CurveCase {
  name: string
  y: number[]
  prob: number[]
  n_bins: number
  strategy: ReliabilityStrategy
  curve: Outcome<{ prob_true: number[]; prob_pred: number[]; counts: number[] }>
}

function load<T>(name: string): { provenance: Provenance; cases: T[] } {
  return JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8'))
}

const platt = load<PlattCase>('platt.json')
const isotonic = load<IsotonicCase>('isotonic.json')
const brier = load<BrierCase>('brier.json')
const reliability = load<CurveCase>('reliability.json')

function close(actual: number, expected: number, tolerance = TOLERANCE): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected))
}

function expectCloseArray(
  actual: ArrayLike<number>,
  expected: number[],
  what: string,
  tolerance = TOLERANCE,
) {
  expect(actual.length, `${what}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i]!, expected[i]!, tolerance)) {
      expect.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]}`)
    }
  }
}

function expectClose(actual: number, expected: number, what: string, tolerance = TOLERANCE) {
  if (!close(actual, expected, tolerance)) expect.fail(`${what}: got ${actual}, expected ${expected}`)
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof InputError) return err.code
    throw err
  }
  return undefined
}

const weightOf = (c: { sample_weight: number[] | null }) =>
  c.sample_weight === null ? {} : { sampleWeight: c.sample_weight }

describe('fixtures', () => {
  it('come from Debian scikit-learn 1.2.1', () => {
    for (const f of [platt, isotonic, brier, reliability]) expect(f.provenance.sklearn_version).toBe('1.2.1')
  })
})

describe('PlattScaling matches the optimum of sklearn’s objective, and sklearn within its tolerance', () => {
  const fitted = platt.cases.filter((c) => c.optimum !== undefined)
  it('covers the intended cases', () => {
    expect(fitted.map((c) => c.name)).toEqual([
      'normal',
      'weighted',
      'weighted-zeros',
      'ties',
      'tiny-2',
      'tiny-3',
      'tiny-4-weighted',
      'imbalanced-logits',
      'separable',
      'zero-scores',
      'large-scores',
      'reversed',
    ])
  })

  const measured = { optimum: 0, sklearn: 0, sklearnLarge: 0 }
  for (const c of fitted) {
    it(c.name, () => {
      const model = new PlattScaling().fit(c.scores, c.y, weightOf(c))
      const { a, b } = model.params
      const optimum = c.optimum!
      const sk = c.sklearn.value!
      expectClose(a, optimum.a, `${c.name} a vs optimum`, 1e-9)
      expectClose(b, optimum.b, `${c.name} b vs optimum`, 1e-9)
      expectCloseArray(model.transform(c.test_scores), optimum.predictions, `${c.name} predictions`, 1e-9)
      // sklearn's answer is as far from ours as from the optimum (it stops early), never farther.
      const allowA = c.sklearn_from_optimum!.a + 1e-9
      const allowB = c.sklearn_from_optimum!.b + 1e-9
      expect(Math.abs(a - sk.a), `${c.name} a vs sklearn`).toBeLessThanOrEqual(allowA)
      expect(Math.abs(b - sk.b), `${c.name} b vs sklearn`).toBeLessThanOrEqual(allowB)
      expect(model.iterations).toBeLessThan(30)

      measured.optimum = Math.max(measured.optimum, Math.abs(a - optimum.a), Math.abs(b - optimum.b))
      const d = Math.max(Math.abs(a - sk.a), Math.abs(b - sk.b))
      measured.sklearn = Math.max(measured.sklearn, d)
      if (c.scores.length >= 60) {
        // From 60 samples on, sklearn's early stop costs less than 1e-6.
        expect(d, `${c.name}: sklearn within 1e-6`).toBeLessThan(1e-6)
        measured.sklearnLarge = Math.max(measured.sklearnLarge, d)
      }
    })
  }
  it('reports the distances measured', () => {
    console.log(
      `Platt: max |ours − optimum| ${measured.optimum.toExponential(2)}, max |ours − sklearn| ` +
        `${measured.sklearn.toExponential(2)} (≥ 60 samples: ${measured.sklearnLarge.toExponential(2)})`,
    )
    expect(measured.optimum).toBeLessThan(1e-9)
  })

  it('keeps the order of the scores when a < 0, and turns it round when a > 0 (as sklearn)', () => {
    const reversed = fitted.find((c) => c.name === 'reversed')!
    expect(new PlattScaling().fit(reversed.scores, reversed.y).params.a).toBeGreaterThan(0)
    const normal = fitted.find((c) => c.name === 'normal')!
    const p = new PlattScaling().fit(normal.scores, normal.y).transform(normal.test_scores)
    for (let i = 1; i < p.length; i++) expect(p[i]).toBeGreaterThan(p[i - 1]!)
  })

  it('refuses one class, where sklearn fits a constant', () => {
    const c = platt.cases.find((x) => x.name === 'one-class')!
    expect(c.sklearn.value).toBeDefined()
    expect(codeOf(() => new PlattScaling().fit(c.scores, c.y))).toBe('calibration.one_class')
    // Weights of 0 leave one class, too.
    expect(codeOf(() => new PlattScaling().fit([0, 1, 2], [0, 1, 1], { sampleWeight: [1, 0, 0] }))).toBe(
      'calibration.one_class',
    )
  })
})

describe('IsotonicCalibration matches IsotonicRegression(out_of_bounds="clip")', () => {
  it('covers the intended cases', () => {
    expect(isotonic.cases.map((c) => c.name)).toEqual([
      'random',
      'ties',
      'weighted-ties',
      'near-ties',
      'tiny-2',
      'tiny-3',
      'one-score',
      'monotone',
      'decreasing',
      'imbalanced',
      'imbalanced-weighted',
      'negative-scores',
    ])
  })
  for (const c of isotonic.cases) {
    it(c.name, () => {
      const sk = c.sklearn.value!
      const model = new IsotonicCalibration().fit(c.scores, c.y, weightOf(c))
      const params = model.params
      expectCloseArray(params.x, sk.x_thresholds, `${c.name} x thresholds`)
      expectCloseArray(params.y, sk.y_thresholds, `${c.name} y thresholds`)
      expect(params.xMin).toBe(sk.x_min)
      expect(params.xMax).toBe(sk.x_max)
      expectCloseArray(model.transform(c.test_scores), sk.predictions, `${c.name} predictions`)
      // A stored calibrator predicts the same.
      const restored = IsotonicCalibration.fromParams(JSON.parse(JSON.stringify(params)))
      expect(Array.from(restored.transform(c.test_scores))).toEqual(
        Array.from(model.transform(c.test_scores)),
      )
    })
  }
  it('merges scores closer than 1e-15 into one step, as sklearn', () => {
    const c = isotonic.cases.find((x) => x.name === 'near-ties')!
    expect(c.sklearn.value!.x_thresholds.length).toBeLessThan(new Set(c.scores).size)
  })
})

describe('brierScore matches brier_score_loss', () => {
  for (const c of brier.cases) {
    it(c.name, () => {
      if (c.brier.error) {
        expect(codeOf(() => brierScore(c.y, c.prob, weightOf(c)))).toBe('metrics.bad_input')
        return
      }
      expectClose(brierScore(c.y, c.prob, weightOf(c)), c.brier.value!, c.name)
    })
  }
  it('covers weights, one class and an error', () => {
    expect(brier.cases.some((c) => c.sample_weight !== null)).toBe(true)
    expect(brier.cases.some((c) => c.name === 'one-class' && c.brier.value !== undefined)).toBe(true)
    expect(brier.cases.some((c) => c.brier.error !== undefined)).toBe(true)
  })
})

describe('reliabilityCurve matches calibration_curve', () => {
  for (const c of reliability.cases) {
    it(c.name, () => {
      const run = () => reliabilityCurve(c.y, c.prob, { nBins: c.n_bins, strategy: c.strategy })
      if (c.curve.error) {
        expect(codeOf(run)).toBe('metrics.bad_input')
        return
      }
      const expected = c.curve.value!
      const curve = run()
      expectCloseArray(curve.observed, expected.prob_true, `${c.name} observed`)
      expectCloseArray(curve.predicted, expected.prob_pred, `${c.name} predicted`)
      expect(curve.counts).toEqual(expected.counts)
    })
  }
  it('drops the empty bins that tied quantiles leave', () => {
    const c = reliability.cases.find((x) => x.name === 'ties-quantile-10')!
    expect(c.curve.value!.counts.length).toBeLessThan(10)
  })
  it('rejects a bad number of bins or strategy', () => {
    expect(codeOf(() => reliabilityCurve([0, 1], [0.1, 0.9], { nBins: 0 }))).toBe('calibration.bad_param')
    expect(codeOf(() => reliabilityCurve([0, 1], [0.1, 0.9], { nBins: 2.5 }))).toBe('calibration.bad_param')
    expect(
      codeOf(() => reliabilityCurve([0, 1], [0.1, 0.9], { strategy: 'kmeans' as ReliabilityStrategy })),
    ).toBe('calibration.bad_param')
  })
})
