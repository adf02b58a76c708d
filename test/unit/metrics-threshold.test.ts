/**
 * chooseThreshold picks on validation the operating point its rule asks for (checked by hand and against a
 * brute force over every candidate threshold), and applyThreshold reproduces that point exactly.
 */
import { describe, expect, it } from 'vitest'
import { applyThreshold, chooseThreshold, precisionRecallF1 } from '../../src/core/metrics'
import { seededFloats as seeded } from '../support/random'

describe('chooseThreshold', () => {
  const yTrue = [1, 1, 0, 1, 0, 0]
  const scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.1]

  it('maxF1 picks the score with the highest F1 (6/7 at 0.6 here)', () => {
    const chosen = chooseThreshold(yTrue, scores, { rule: 'maxF1' })
    expect(chosen).toEqual({ threshold: 0.6, precision: 0.75, recall: 1, f1: 6 / 7 })
  })

  it('targetRecall picks the highest threshold that reaches the recall', () => {
    expect(chooseThreshold(yTrue, scores, { rule: { targetRecall: 0.5 } }).threshold).toBe(0.8)
    expect(chooseThreshold(yTrue, scores, { rule: { targetRecall: 2 / 3 } }).threshold).toBe(0.8)
    expect(chooseThreshold(yTrue, scores, { rule: { targetRecall: 0.7 } }).threshold).toBe(0.6)
    expect(chooseThreshold(yTrue, scores, { rule: { targetRecall: 1 } })).toEqual({
      threshold: 0.6,
      precision: 0.75,
      recall: 1,
      f1: 6 / 7,
    })
  })

  it('among equal F1 it keeps the highest threshold', () => {
    // F1 is 2/3 both at 0.9 (TP 1, FP 0) and at 0.1 (TP 2, FP 2).
    const chosen = chooseThreshold([1, 0, 0, 1], [0.9, 0.5, 0.3, 0.1], { rule: 'maxF1' })
    expect(chosen.threshold).toBe(0.9)
    expect(chosen.f1).toBe(2 / 3)
  })

  it('weights move the choice: a heavy negative at 0.7 makes 0.8 the best cut', () => {
    const weights = [1, 1, 10, 1, 1, 1]
    const chosen = chooseThreshold(yTrue, scores, { rule: 'maxF1', sampleWeight: weights })
    expect(chosen.threshold).toBe(0.8)
    expect(chosen.recall).toBe(2 / 3)
  })

  it('agrees with a brute force over every distinct score, with ties and weights', () => {
    const random = seeded(17)
    for (let trial = 0; trial < 20; trial++) {
      const n = 60 + Math.floor(random() * 60)
      const y = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0))
      // Two decimals: many tied scores.
      const s = y.map((label) => Math.round((random() + 0.4 * label) * 100) / 100)
      const w = y.map(() => Math.round(random() * 30) / 10)
      if (!y.some((label, i) => label === 1 && w[i]! > 0)) continue

      const chosen = chooseThreshold(y, s, { rule: 'maxF1', sampleWeight: w })
      let bestF1 = -1
      let bestThreshold = NaN
      // Descending, so a strictly better F1 is needed to move to a lower threshold.
      for (const t of [...new Set(s)].sort((a, b) => b - a)) {
        const { f1 } = precisionRecallF1(y, applyThreshold(s, t), { sampleWeight: w })
        if (f1 > bestF1 + 1e-12) {
          bestF1 = f1
          bestThreshold = t
        }
      }
      expect(chosen.threshold).toBe(bestThreshold)
      expect(chosen.f1).toBeCloseTo(bestF1, 12)

      const target = 0.25 + 0.7 * random()
      const byRecall = chooseThreshold(y, s, { rule: { targetRecall: target }, sampleWeight: w })
      const reaching = [...new Set(s)].filter(
        (t) => precisionRecallF1(y, applyThreshold(s, t), { sampleWeight: w }).recall >= target,
      )
      expect(byRecall.threshold).toBe(Math.max(...reaching))
    }
  })

  it('applyThreshold on the same validation data reproduces the reported precision and recall', () => {
    const random = seeded(5)
    const y = Array.from({ length: 500 }, () => (random() < 0.1 ? 1 : 0))
    const s = y.map((label) => random() + 0.5 * label)
    const chosen = chooseThreshold(y, s, { rule: 'maxF1' })
    const applied = precisionRecallF1(y, applyThreshold(s, chosen.threshold))
    expect(applied.precision).toBeCloseTo(chosen.precision, 14)
    expect(applied.recall).toBeCloseTo(chosen.recall, 14)
    expect(applied.f1).toBeCloseTo(chosen.f1, 14)
  })

  it('applyThreshold counts a score equal to the threshold as positive', () => {
    expect(Array.from(applyThreshold([0.2, 0.5, 0.7, -1], 0.5))).toEqual([0, 1, 1, 0])
  })

  it('rejects a target recall outside (0, 1] and a validation set without positives', () => {
    for (const targetRecall of [0, -0.1, 1.5, NaN]) {
      expect(() => chooseThreshold(yTrue, scores, { rule: { targetRecall } })).toThrow(
        expect.objectContaining({ code: 'metrics.bad_input' }),
      )
    }
    expect(() => chooseThreshold([0, 0, 0], [0.1, 0.5, 0.9], { rule: 'maxF1' })).toThrow(
      expect.objectContaining({ code: 'metrics.one_class' }),
    )
    // Positives that all weigh 0 are no positives either.
    expect(() =>
      chooseThreshold([0, 1, 0], [0.1, 0.5, 0.9], { rule: 'maxF1', sampleWeight: [1, 0, 1] }),
    ).toThrow(expect.objectContaining({ code: 'metrics.one_class' }))
  })
})
