/**
 * Bootstrap intervals and the paired bootstrap test (src/core/compare/bootstrap.ts): the sort-once fast path
 * equals the metric on the materialised resamples, stratification keeps the class counts, the interval covers
 * a known true AUROC about 95% of the time, its width matches DeLong's standard error, and the paired test
 * agrees with DeLong where both apply.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bootstrapCi,
  delongTest,
  normalSf,
  pairedBootstrapTest,
  pairedP,
  quantileSorted,
  RankedScores,
} from '../../src/core/compare'
import { averagePrecision, rocAuc } from '../../src/core/metrics'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

interface Case {
  name: string
  y_true: number[]
  scores_a: number[]
  scores_b: number[]
  expected: { p: number; diff: number }
}
const cases = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/compare/delong.json'), 'utf8')) as {
    cases: Case[]
  }
).cases
const byName = (name: string) => cases.find((c) => c.name === name)!

function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as InputError).code
  }
  throw new Error('expected an InputError')
}

/** Binormal data: negatives N(0, 1), positives N(shift, 1); true AUROC Φ(shift/√2). */
function binormal(rng: Rng, positives: number, negatives: number, shift: number) {
  const y = [...Array<number>(positives).fill(1), ...Array<number>(negatives).fill(0)]
  return { y, scores: y.map((v) => rng.normal(v * shift, 1)) }
}

describe('RankedScores (the fast path)', () => {
  it('equals rocAuc and averagePrecision on the samples repeated as counted, ties included', () => {
    const c = byName('tied')
    const ranked = new RankedScores(c.y_true, c.scores_b)
    const rng = Rng.seeded(1)
    for (let t = 0; t < 20; t++) {
      const counts = c.y_true.map(() => rng.int(4)) // some samples not drawn at all
      const y: number[] = []
      const s: number[] = []
      counts.forEach((k, i) => {
        for (let j = 0; j < k; j++) {
          y.push(c.y_true[i]!)
          s.push(c.scores_b[i]!)
        }
      })
      const { auroc, auprc } = ranked.areas(counts)
      expect(Math.abs(auroc - rocAuc(y, s))).toBeLessThan(1e-12)
      expect(Math.abs(auprc - averagePrecision(y, s))).toBeLessThan(1e-12)
    }
    expect(ranked.areas(c.y_true.map((v) => v)).auroc).toBeNaN() // positives only
  })
})

describe('bootstrapCi', () => {
  const c = byName('random')

  it('gives the same interval on the fast path as through a metric function, for AUROC and AUPRC', () => {
    for (const stratified of [true, false]) {
      const fast = bootstrapCi(c.y_true, c.scores_a, 'auroc', { n: 200, seed: 5, stratified })
      const slow = bootstrapCi(c.y_true, c.scores_a, (y, s) => rocAuc(y, s), { n: 200, seed: 5, stratified })
      expect(fast.estimate).toBe(rocAuc(c.y_true, c.scores_a))
      expect(Math.abs(fast.low - slow.low)).toBeLessThan(1e-12)
      expect(Math.abs(fast.high - slow.high)).toBeLessThan(1e-12)
      expect(Math.abs(fast.se - slow.se)).toBeLessThan(1e-12)
      const fastPr = bootstrapCi(c.y_true, c.scores_a, 'auprc', { n: 200, seed: 5, stratified })
      const slowPr = bootstrapCi(c.y_true, c.scores_a, averagePrecision, { n: 200, seed: 5, stratified })
      expect(Math.abs(fastPr.low - slowPr.low)).toBeLessThan(1e-12)
      expect(Math.abs(fastPr.high - slowPr.high)).toBeLessThan(1e-12)
    }
  })

  it('is reproducible from its seed and brackets the estimate', () => {
    const a = bootstrapCi(c.y_true, c.scores_a, 'auroc', { n: 300, seed: 42 })
    expect(bootstrapCi(c.y_true, c.scores_a, 'auroc', { n: 300, seed: 42 })).toEqual(a)
    const other = bootstrapCi(c.y_true, c.scores_a, 'auroc', { n: 300, seed: 43 })
    expect(other.low).not.toBe(a.low)
    expect(a).toMatchObject({ n: 300, alpha: 0.05 })
    expect(a.low).toBeLessThan(a.estimate)
    expect(a.high).toBeGreaterThan(a.estimate)
    // A 50% interval lies inside the 95% one of the same resamples.
    const narrow = bootstrapCi(c.y_true, c.scores_a, 'auroc', { n: 300, seed: 42, alpha: 0.5 })
    expect(narrow.low).toBeGreaterThan(a.low)
    expect(narrow.high).toBeLessThan(a.high)
  })

  it('keeps the class counts in every stratified resample, and never loses a class unstratified', () => {
    const positives = c.y_true.filter((v) => v === 1).length
    const countPositives = (y: Uint8Array) => y.reduce((a, b) => a + b, 0)
    const stratified = bootstrapCi(c.y_true, c.scores_a, countPositives, { n: 100, seed: 1 })
    expect([stratified.low, stratified.high, stratified.se]).toEqual([positives, positives, 0])
    const free = bootstrapCi(c.y_true, c.scores_a, countPositives, { n: 100, seed: 1, stratified: false })
    expect(free.high - free.low).toBeGreaterThan(10)
    // 1 positive among 30: a third of plain resamples would lack it; they are drawn again.
    const y = Array.from({ length: 30 }, (_, i) => (i === 0 ? 1 : 0))
    const s = y.map((_, i) => i / 30)
    const rare = bootstrapCi(y, s, (yy) => (yy.includes(1) ? 1 : 0), { n: 200, seed: 3, stratified: false })
    expect(rare.low).toBe(1)
  })

  it('covers a known true AUROC about 95% of the time (binormal, 150 data sets)', () => {
    const shift = 1
    const truth = 1 - normalSf(shift / Math.SQRT2) // Φ(1/√2) ≈ 0.760
    const rng = Rng.seeded(1993)
    let covered = 0
    const trials = 150
    for (let t = 0; t < trials; t++) {
      const { y, scores } = binormal(rng, 40, 120, shift)
      const ci = bootstrapCi(y, scores, 'auroc', { n: 400, seed: t })
      if (ci.low <= truth && truth <= ci.high) covered++
    }
    // Binomial(150, 0.95) has sd ≈ 2.7; percentile intervals at n = 160 run a little short of 95%.
    expect(covered / trials).toBeGreaterThan(0.86)
    expect(covered / trials).toBeLessThanOrEqual(0.99)
  })

  it('has a standard error close to DeLong’s', () => {
    const { y, scores } = binormal(Rng.seeded(11), 200, 1800, 1.2)
    const boot = bootstrapCi(y, scores, 'auroc', { n: 1000, seed: 11 })
    // DeLong's variance of one AUC: the test of the model against a constant score has se = se(AUC).
    const delong = delongTest(
      y,
      scores,
      y.map(() => 0),
    )
    expect(boot.se / delong.se).toBeGreaterThan(0.9)
    expect(boot.se / delong.se).toBeLessThan(1.1)
    expect(boot.high - boot.low).toBeGreaterThan(2 * 1.6 * delong.se)
    expect(boot.high - boot.low).toBeLessThan(2 * 2.3 * delong.se)
  })

  it('checks its options and reports progress, and stops when aborted', () => {
    const { y_true: y, scores_a: s } = c
    expect(codeOf(() => bootstrapCi(y, s, 'auroc', { n: 0, seed: 1 }))).toBe('compare.bad_option')
    expect(codeOf(() => bootstrapCi(y, s, 'auroc', { n: 2.5, seed: 1 }))).toBe('compare.bad_option')
    expect(codeOf(() => bootstrapCi(y, s, 'auroc', { alpha: 1, seed: 1 }))).toBe('compare.bad_option')
    expect(codeOf(() => bootstrapCi(y, s, 'accuracy' as 'auroc', { seed: 1 }))).toBe('compare.bad_option')
    expect(codeOf(() => bootstrapCi(y, s, 'auroc', { seed: -1 }))).toBe('random.bad_seed')
    expect(codeOf(() => bootstrapCi(y, s.slice(1), 'auroc', { seed: 1 }))).toBe('metrics.bad_input')
    expect(codeOf(() => bootstrapCi([1, 1], [0.1, 0.2], 'auroc', { seed: 1 }))).toBe('metrics.one_class')
    // A metric undefined on some resamples (NaN when the scores sum above the data's) is refused.
    const total = s.reduce((a, b) => a + b, 0)
    const sometimesNaN = (_: Uint8Array, ss: Float64Array) =>
      ss.reduce((a, b) => a + b, 0) > total ? NaN : 1
    expect(codeOf(() => bootstrapCi(y, s, sometimesNaN, { n: 50, seed: 1 }))).toBe('compare.undefined_metric')
    const progress: number[] = []
    bootstrapCi(y, s, 'auroc', { n: 250, seed: 1, onProgress: (done, total) => progress.push(done, total) })
    expect(progress).toEqual([100, 250, 200, 250, 250, 250])
    const controller = new AbortController()
    controller.abort()
    expect(() => bootstrapCi(y, s, 'auroc', { seed: 1, signal: controller.signal })).toThrow(/abort/i)
  })
})

describe('pairedBootstrapTest', () => {
  it('agrees with DeLong on AUROC where the difference is clear and where it is not', () => {
    for (const name of ['random', 'close', 'imbalanced']) {
      const c = byName(name)
      const r = pairedBootstrapTest(c.y_true, c.scores_a, c.scores_b, 'auroc', { n: 2000, seed: 9 })
      expect(Math.abs(r.diff - c.expected.diff)).toBeLessThan(1e-12)
      expect(r.estimateA - r.estimateB).toBe(r.diff)
      expect(r.low).toBeLessThan(r.diff)
      expect(r.high).toBeGreaterThan(r.diff)
      // Same verdict at 0.05, and p within sampling noise of DeLong's.
      expect(r.p < 0.05).toBe(c.expected.p < 0.05)
      expect(Math.abs(r.p - c.expected.p)).toBeLessThan(0.06)
      // The interval excludes zero exactly when the test says "real" (up to resolution).
      if (c.expected.p < 0.01) expect(r.low > 0 || r.high < 0).toBe(true)
    }
  })

  it('finds nothing between a model and itself, on AUPRC too', () => {
    const c = byName('random')
    const r = pairedBootstrapTest(c.y_true, c.scores_a, c.scores_a, 'auprc', { n: 100, seed: 1 })
    expect(r).toMatchObject({ diff: 0, low: 0, high: 0, p: 1, n: 100 })
  })

  it('pairs the resamples: one changed sample moves every resampled difference one way', () => {
    // B is A with one positive moved from the bottom to the top: every resample holding it sees A < B.
    const y = Array.from({ length: 200 }, (_, i) => (i < 50 ? 1 : 0))
    const rng = Rng.seeded(3)
    const a = y.map((v) => v + rng.normal(0, 1))
    const worst = a.indexOf(Math.min(...a.slice(0, 50)))
    const b = a.slice()
    b[worst] = 100
    const r = pairedBootstrapTest(y, a, b, 'auroc', { n: 500, seed: 3 })
    expect(r.diff).toBeLessThan(0)
    expect(r.high).toBeLessThanOrEqual(0)
    // p counts resamples with a difference ≥ 0: only those that never drew the moved positive (≈ e^-1).
    expect(r.p).toBeGreaterThan(0.5)
    expect(r.p).toBeLessThan(0.95)
  })
})

describe('pairedP and quantileSorted', () => {
  it('doubles the share on the far side of zero, zero counting as far', () => {
    expect(pairedP(0.1, [0.2, 0.1, 0, -0.1])).toBe(1)
    expect(pairedP(0.1, [0.2, 0.1, 0.3, -0.1, 0.2, 0.1, 0.4, 0.1, 0.1, 0.2])).toBeCloseTo(0.2, 15)
    expect(pairedP(-0.1, [-0.2, -0.1, 0.05, -0.1])).toBe(0.5)
    expect(pairedP(0, [1, 2])).toBe(1)
    expect(pairedP(0.3, [0.1, 0.2, 0.3])).toBe(0)
  })

  it('interpolates linearly between order statistics as numpy.quantile', () => {
    const sorted = [1, 2, 3, 4]
    expect(quantileSorted(sorted, 0.25)).toBe(1.75) // np.quantile([1,2,3,4], 0.25)
    expect(quantileSorted(sorted, 0.975)).toBeCloseTo(3.925, 15)
    expect(quantileSorted(sorted, 0)).toBe(1)
    expect(quantileSorted(sorted, 1)).toBe(4)
    expect(quantileSorted([7], 0.5)).toBe(7)
  })
})
