/**
 * The paired DeLong test (src/core/compare/delong.ts) against the numpy reference of
 * scripts/fixtures/make_compare_fixtures.py (Sun & Xu's fast DeLong, itself checked there against DeLong's
 * O(m·n) definition and sklearn): AUCs, covariance, se, z and p to 1e-10. Then what must hold whatever the
 * data: symmetry, rank invariance, calibrated p-values when the two models are exchangeable.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { delongCovariance, delongTest, midranks, normalSf, twoSidedP } from '../../src/core/compare'
import { rocAuc } from '../../src/core/metrics'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

interface Case {
  name: string
  y_true: number[]
  scores_a: number[]
  scores_b: number[]
  expected: {
    aucA: number
    aucB: number
    diff: number
    covariance: number[][]
    se: number
    z: number
    p: number
    log10p: number
  }
}
const fixture = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/compare/delong.json'), 'utf8'),
) as { cases: Case[]; normal_tails: { z: number; two_sided_p: number }[] }

/** |actual − expected| within tol, relative to |expected| when that is above 1. */
function close(actual: number, expected: number, tol = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)))
}

function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as InputError).code
  }
  throw new Error('expected an InputError')
}

describe('delongTest against the numpy fast DeLong', () => {
  it('has the five reference cases, including ties and 1:100 imbalance', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(['small', 'random', 'tied', 'imbalanced', 'close'])
    const imbalanced = fixture.cases.find((c) => c.name === 'imbalanced')!
    expect(imbalanced.y_true.filter((v) => v === 1)).toHaveLength(50)
    expect(imbalanced.y_true).toHaveLength(5050)
  })

  for (const c of fixture.cases) {
    it(`agrees to 1e-10: ${c.name}`, () => {
      const r = delongTest(c.y_true, c.scores_a, c.scores_b)
      const e = c.expected
      close(r.aucA, e.aucA)
      close(r.aucB, e.aucB)
      close(r.diff, e.diff)
      close(r.se, e.se)
      close(r.z, e.z)
      // p relative to itself: it spans 1e-4 … 0.6 here, and a small p must keep its digits.
      expect(Math.abs(r.p - e.p) / e.p).toBeLessThan(1e-10)
      close(Math.log10(r.p), e.log10p)
      const { covariance } = delongCovariance(c.y_true, [c.scores_a, c.scores_b])
      const scale = Math.max(...e.covariance.flat().map(Math.abs))
      e.covariance.flat().forEach((v, i) => expect(Math.abs(covariance[i]! - v)).toBeLessThan(1e-10 * scale))
      // The AUCs are sklearn's (trapezoid, ties half), as src/core/metrics computes them.
      close(r.aucA, rocAuc(c.y_true, c.scores_a), 1e-12)
      close(r.aucB, rocAuc(c.y_true, c.scores_b), 1e-12)
    })
  }

  it('computes the normal tail as scipy does, to 1e-12 relative up to z = 37', () => {
    for (const { z, two_sided_p } of fixture.normal_tails) {
      expect(Math.abs(twoSidedP(z) - two_sided_p) / two_sided_p).toBeLessThan(1e-12)
      expect(twoSidedP(-z)).toBe(twoSidedP(z))
    }
    expect(normalSf(-1.5) + normalSf(1.5)).toBeCloseTo(1, 15)
    expect(twoSidedP(Infinity)).toBe(0)
  })
})

describe('midranks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    expect(Array.from(midranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2])
    expect(Array.from(midranks([5, 5, 5]))).toEqual([2, 2, 2])
    expect(Array.from(midranks([0.2, -1, 7, 0.2, 0.2]))).toEqual([3, 1, 5, 3, 3])
    expect(Array.from(midranks([]))).toEqual([])
  })
})

describe('delongTest properties', () => {
  const c = fixture.cases.find((k) => k.name === 'random')!

  it('swapping the models flips the sign of diff and z, not p or se', () => {
    const ab = delongTest(c.y_true, c.scores_a, c.scores_b)
    const ba = delongTest(c.y_true, c.scores_b, c.scores_a)
    expect(ba.diff).toBe(-ab.diff)
    close(ba.z, -ab.z, 1e-14)
    close(ba.se, ab.se, 1e-15)
    close(ba.p, ab.p, 1e-15)
  })

  it('depends on ranks only: a monotone transform of one model changes nothing', () => {
    const ab = delongTest(c.y_true, c.scores_a, c.scores_b)
    const transformed = delongTest(
      c.y_true,
      c.scores_a.map((s) => Math.log(s / (1 - s))),
      c.scores_b,
    )
    close(transformed.aucA, ab.aucA, 1e-15)
    close(transformed.z, ab.z, 1e-12)
  })

  it('finds no difference between a model and itself', () => {
    const r = delongTest(c.y_true, c.scores_a, c.scores_a)
    expect(r).toMatchObject({ diff: 0, se: 0, z: 0, p: 1 })
  })

  it('gives z = ±Infinity and p = 0 when the difference has no variance (perfect against constant)', () => {
    const y = [0, 0, 0, 1, 1, 1]
    const r = delongTest(y, [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5])
    expect(r).toMatchObject({ aucA: 1, aucB: 0.5, diff: 0.5, se: 0, z: Infinity, p: 0 })
    expect(delongTest(y, [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0.1, 0.2, 0.3, 0.7, 0.8, 0.9]).z).toBe(-Infinity)
  })

  it('rejects a true null at about the nominal rate (exchangeable models, 400 data sets)', () => {
    const rng = Rng.seeded(2014)
    let rejected = 0
    const trials = 400
    for (let t = 0; t < trials; t++) {
      const n = 120
      const y = Array.from({ length: n }, (_, i) => (i < 40 ? 1 : 0))
      // Same signal, independent noise of the same size: equal true AUCs, correlated estimates.
      const shared = y.map((v) => v * 0.8 + rng.normal())
      const a = shared.map((s) => s + rng.normal(0, 0.7))
      const b = shared.map((s) => s + rng.normal(0, 0.7))
      if (delongTest(y, a, b).p < 0.05) rejected++
    }
    // Binomial(400, 0.05) has sd ≈ 4.4: 20 ± 11 is a 2.5-sd band.
    expect(rejected).toBeGreaterThanOrEqual(9)
    expect(rejected).toBeLessThanOrEqual(31)
  })

  it('detects a real difference of 0.1 in AUROC on 1,000 samples', () => {
    const rng = Rng.seeded(7)
    const y = Array.from({ length: 1000 }, (_, i) => (i % 4 === 0 ? 1 : 0))
    const a = y.map((v) => v * 1.5 + rng.normal())
    const b = y.map((v) => v * 0.7 + rng.normal())
    const r = delongTest(y, a, b)
    expect(r.diff).toBeGreaterThan(0.08)
    expect(r.p).toBeLessThan(1e-6)
  })
})

describe('delongTest input errors', () => {
  it('fails like the metrics on bad labels and scores, and needs two samples of each class', () => {
    expect(codeOf(() => delongTest([0, 1, 2], [1, 2, 3], [1, 2, 3]))).toBe('metrics.bad_input')
    expect(codeOf(() => delongTest([0, 1, 1], [1, 2], [1, 2, 3]))).toBe('metrics.bad_input')
    expect(codeOf(() => delongTest([0, 1, 1], [1, NaN, 3], [1, 2, 3]))).toBe('metrics.bad_input')
    expect(codeOf(() => delongTest([], [], []))).toBe('metrics.bad_input')
    expect(codeOf(() => delongTest([1, 1, 1], [1, 2, 3], [1, 2, 3]))).toBe('metrics.one_class')
    const tooFew = (() => {
      try {
        delongTest([0, 0, 0, 1], [1, 2, 3, 4], [4, 3, 2, 1])
      } catch (e) {
        return e as InputError
      }
    })()
    expect(tooFew?.code).toBe('compare.too_few')
    expect(tooFew?.params).toEqual({ positives: 1, negatives: 3 })
  })
})
