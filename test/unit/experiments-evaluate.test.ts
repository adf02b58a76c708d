/**
 * The final evaluation of a run (src/app/experiments/evaluate.ts): the threshold comes from validation and
 * is applied unchanged to test (even where another threshold would flatter test), curves are cut to at most
 * 1,000 points with both ends kept, and k-fold summaries use the sample sd.
 */
import { describe, expect, it } from 'vitest'
import { aggregateRuns, downsample, evaluateRun, meanSd } from '../../src/app/experiments/evaluate'
import { chooseThreshold, rocAuc } from '../../src/core/metrics'
import { Rng } from '../../src/core/random'

describe('evaluateRun', () => {
  it('chooses the threshold on validation and applies it to test', () => {
    const val = { y: [0, 0, 0, 1, 1, 1], scores: [0.1, 0.2, 0.3, 0.6, 0.7, 0.8] }
    // On test the best threshold would be 0.35; validation's (0.6) is applied and misses two positives.
    const test = { y: [0, 0, 1, 1, 1, 1], scores: [0.1, 0.2, 0.4, 0.45, 0.7, 0.9] }
    const r = evaluateRun(val, test, true)
    expect(r.val.metrics.threshold).toBe(0.6)
    expect(r.test.metrics.threshold).toBe(0.6)
    expect(chooseThreshold(test.y, test.scores, { rule: 'maxF1' }).threshold).not.toBe(0.6)
    expect(r.test.metrics.confusion).toEqual({ tn: 2, fp: 0, fn: 2, tp: 2 })
    expect(r.test.metrics.recall).toBe(0.5)
    expect(r.test.metrics.precision).toBe(1)
    expect(r.val.metrics.f1).toBe(1)
    expect(r.test.metrics.auroc).toBe(rocAuc(test.y, test.scores))
  })

  it('gives null where a part holds one class, and no log loss for scores that are not probabilities', () => {
    const r = evaluateRun({ y: [0, 1], scores: [-3, 5] }, { y: [0, 0], scores: [-1, 2] }, false)
    expect(r.test.metrics.auroc).toBeNull()
    expect(r.test.curve).toBeNull()
    expect(r.val.metrics.logLoss).toBeNull()
    expect(r.test.metrics.confusion).toEqual({ tn: 2, fp: 0, fn: 0, tp: 0 })
  })

  it('keeps at most 1,000 curve points, the first and the last among them', () => {
    const rng = Rng.seeded(1)
    const n = 20_000
    const y = Array.from({ length: n }, () => (rng.chance(0.3) ? 1 : 0))
    const scores = y.map((v) => rng.float() + v * 0.3)
    const { val } = evaluateRun({ y, scores }, { y, scores }, false)
    const { fpr, tpr } = val.curve!.roc
    expect(fpr).toHaveLength(1000)
    expect([fpr[0], tpr[0], fpr[999], tpr[999]]).toEqual([0, 0, 1, 1])
    expect(val.curve!.pr.recall[0]).toBe(1)
    expect(val.curve!.pr.recall[999]).toBe(0)
    for (let i = 1; i < 1000; i++) expect(fpr[i]!).toBeGreaterThanOrEqual(fpr[i - 1]!)
    expect(downsample([[1, 2, 3]])).toEqual([[1, 2, 3]])
  })
})

describe('across folds', () => {
  it('reports the mean and the sample sd (n − 1) of each fold', () => {
    expect(meanSd([0.7, 0.8, 0.9])).toEqual({ mean: expect.closeTo(0.8, 12), sd: expect.closeTo(0.1, 12) })
    expect(meanSd([0.7, null])).toEqual({ mean: 0.7, sd: null })
    const base = evaluateRun({ y: [0, 1], scores: [0, 1] }, { y: [0, 1], scores: [0, 1] }, true).val.metrics
    const part = (auroc: number) => ({ ...base, auroc })
    const runs = [0.6, 0.8].map((a, fold) => ({
      fold,
      bestEpoch: 1,
      epochs: 1,
      stoppedEarly: false,
      val: part(a),
      test: part(a + 0.1),
      trainSeconds: 1,
      evalSeconds: 0.5,
    }))
    const m = aggregateRuns(runs, { engine: null, loadSeconds: 0, totalSeconds: 3 }, true)
    expect(m.val.auroc).toBeCloseTo(0.7, 12)
    expect(m.acrossFolds!.valAuroc.sd).toBeCloseTo(Math.SQRT2 * 0.1, 12)
    expect(m.acrossFolds!.testAuroc.mean).toBeCloseTo(0.8, 12)
    expect(m.timings.trainSeconds).toBe(2)
    expect(m.val.confusion).toEqual({ tn: 2, fp: 0, fn: 0, tp: 2 })
  })
})
