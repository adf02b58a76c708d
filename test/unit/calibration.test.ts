/**
 * src/core/calibration beyond the sklearn fixtures: what the estimators promise (Platt keeps the order of the
 * scores, so AUROC; isotonic output never decreases with the score; a stored calibrator predicts the same),
 * and how they fail: the user's mistakes by code, a programmer's (transform before fit) as a plain Error.
 */
import { describe, expect, it } from 'vitest'
import {
  brierScore,
  createCalibrator,
  IsotonicCalibration,
  logit,
  PlattScaling,
  reliabilityCurve,
} from '../../src/core/calibration'
import { rocAuc } from '../../src/core/metrics'
import { InputError } from '../../src/shared/errors'
import { seededFloats } from '../support/random'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof InputError) return err.code
    throw err
  }
  return undefined
}

/** A weighted model's probabilities: right order, but far too high for a 5% positive rate. */
function overconfident(n: number, seed: number): { y: number[]; p: number[] } {
  const next = seededFloats(seed)
  const y = Array.from({ length: n }, () => (next() < 0.05 ? 1 : 0))
  const p = y.map((label) => 1 / (1 + Math.exp(-(2 * label + 3 * (next() - 0.5) + 1.5))))
  return { y, p }
}

describe('Platt scaling on logits', () => {
  const val = overconfident(2000, 1)
  const test = overconfident(2000, 2)
  const model = new PlattScaling().fit(logit(val.p), val.y)
  const calibrated = model.transform(logit(test.p))

  it('keeps AUROC exactly (a monotone map) and lowers the Brier score of overstated scores', () => {
    expect(model.params.a).toBeLessThan(0)
    expect(rocAuc(test.y, calibrated)).toBe(rocAuc(test.y, test.p))
    expect(brierScore(test.y, calibrated)).toBeLessThan(brierScore(test.y, test.p) / 2)
  })

  it('brings the mean probability to the positive rate', () => {
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length
    const rate = mean(test.y)
    expect(mean(test.p)).toBeGreaterThan(3 * rate)
    expect(Math.abs(mean(calibrated) - rate)).toBeLessThan(0.02)
  })

  it('returns the network’s own probabilities from calibrated logits (a ≈ −1, b ≈ 0)', () => {
    const next = seededFloats(3)
    const p = Array.from({ length: 10_000 }, () => 0.02 + 0.96 * next())
    const y = p.map((pi) => (next() < pi ? 1 : 0))
    const { a, b } = new PlattScaling().fit(logit(p), y).params
    expect(a).toBeCloseTo(-1, 1)
    expect(b).toBeCloseTo(0, 1)
  })

  it('is rebuilt from its parameters', () => {
    const restored = PlattScaling.fromParams(model.params)
    expect(Array.from(restored.transform([-3, 0, 2]))).toEqual(Array.from(model.transform([-3, 0, 2])))
    expect(codeOf(() => PlattScaling.fromParams({ a: Number.NaN, b: 0 }))).toBe('calibration.bad_param')
    expect(codeOf(() => new PlattScaling({ maxIterations: 0 }))).toBe('calibration.bad_param')
  })
})

describe('isotonic calibration', () => {
  it('never decreases with the score, and stays within [0, 1]', () => {
    const { y, p } = overconfident(1500, 4)
    const model = new IsotonicCalibration().fit(p, y)
    const grid = Array.from({ length: 201 }, (_, i) => i / 200)
    const out = model.transform(grid)
    for (let i = 1; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]!)
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...out)).toBeLessThanOrEqual(1)
  })

  it('rejects stored parameters that are not a fitted step function', () => {
    expect(codeOf(() => IsotonicCalibration.fromParams({ x: [0, 1], y: [0.5], xMin: 0, xMax: 1 }))).toBe(
      'calibration.bad_param',
    )
    expect(codeOf(() => IsotonicCalibration.fromParams({ x: [1, 0], y: [0, 1], xMin: 1, xMax: 0 }))).toBe(
      'calibration.bad_param',
    )
    expect(codeOf(() => IsotonicCalibration.fromParams({ x: [0, 1], y: [0.7, 0.2], xMin: 0, xMax: 1 }))).toBe(
      'calibration.bad_param',
    )
  })
})

describe('inputs', () => {
  for (const method of ['platt', 'isotonic'] as const) {
    it(`${method}: malformed input is metrics.bad_input, one class calibration.one_class`, () => {
      const fit = (s: number[], y: number[], w?: number[]) =>
        codeOf(() => createCalibrator(method).fit(s, y, w ? { sampleWeight: w } : {}))
      expect(fit([], [])).toBe('metrics.bad_input')
      expect(fit([0.1, 0.2], [0, 1, 1])).toBe('metrics.bad_input')
      expect(fit([0.1, Number.NaN], [0, 1])).toBe('metrics.bad_input')
      expect(fit([0.1, 0.2], [0, 2])).toBe('metrics.bad_input')
      expect(fit([0.1, 0.2], [0, 1], [1, -1])).toBe('metrics.bad_input')
      expect(fit([0.1, 0.2], [1, 1])).toBe('calibration.one_class')
      expect(fit([0.1, 0.2], [0, 1])).toBeUndefined()
      expect(
        codeOf(() => createCalibrator(method).fit([0, 1], [0, 1]).transform([Number.POSITIVE_INFINITY])),
      ).toBe('metrics.bad_input')
    })
    it(`${method}: transform before fit is a programmer's error`, () => {
      const model = createCalibrator(method)
      expect(() => model.transform([0.5])).toThrow(/fit\(\) first/)
      expect(() => model.transform([0.5])).not.toThrow(InputError)
    })
  }

  it('Brier score and reliability curve take probabilities only', () => {
    expect(codeOf(() => brierScore([0, 1], [-0.1, 0.5]))).toBe('metrics.bad_input')
    expect(codeOf(() => reliabilityCurve([0, 1], [0.5, 1.01]))).toBe('metrics.bad_input')
    expect(codeOf(() => brierScore([0, 1], [0.5]))).toBe('metrics.bad_input')
  })

  it('logit keeps the order of every float32 probability, saturated ones included', () => {
    const z = logit([0, 2 ** -149, 1e-30, 0.5, 1 - 2 ** -24, 1])
    expect(z[0]).toBeCloseTo(-103.97, 2)
    expect(z[3]).toBe(0)
    expect(z[5]).toBeCloseTo(17.33, 2)
    for (let i = 1; i < z.length; i++) expect(z[i]).toBeGreaterThan(z[i - 1]!)
    expect(z.every(Number.isFinite)).toBe(true)
  })
})
