/**
 * Calibration of a run (src/app/experiments/calibrate.ts), without a worker: fitted on validation only and
 * applied unchanged to test; Platt keeps AUROC, AUPRC and the threshold's partition exactly and changes log
 * loss and the Brier score; the motif scan's log-odds become probabilities; a calibrator that would erase
 * the ranking is not applied; specs without the field run uncalibrated.
 */
import { describe, expect, it } from 'vitest'
import { PlattScaling, logit } from '../../src/core/calibration'
import { applyCalibrator, calibrateRun, RELIABILITY_BINS } from '../../src/app/experiments/calibrate'
import { evaluateRun } from '../../src/app/experiments/evaluate'
import { ExperimentSpec } from '../../src/shared/contract-experiments'
import { seededFloats } from '../support/random'

/** A weighted network's output: ranks well, but says ~0.5 where 1 in 10 is positive. */
function part(n: number, seed: number): { y: Float32Array; scores: Float32Array } {
  const next = seededFloats(seed)
  const y = Float32Array.from({ length: n }, () => (next() < 0.1 ? 1 : 0))
  const scores = Float32Array.from(y, (label) => 1 / (1 + Math.exp(-(1.8 * label + 2 * (next() - 0.5)))))
  return { y, scores }
}

/** The motif scan's log-odds: any real number, higher for sites. */
function logOdds(n: number, seed: number): { y: Float32Array; scores: Float32Array } {
  const next = seededFloats(seed)
  const y = Float32Array.from({ length: n }, () => (next() < 0.2 ? 1 : 0))
  const scores = Float32Array.from(y, (label) => 8 * label + 10 * (next() - 0.5) - 3)
  return { y, scores }
}

const val = part(1500, 11)
const test = part(1500, 12)

describe('calibrateRun', () => {
  const raw = evaluateRun(val, test, true)
  const platt = calibrateRun('platt', true, val, test)
  const calibrated = evaluateRun(
    { y: val.y, scores: platt.calibrated!.val },
    { y: test.y, scores: platt.calibrated!.test },
    true,
  )

  it('Platt: fitted on validation only, on the logits, applied unchanged to test', () => {
    const expected = new PlattScaling().fit(logit(val.scores), val.y).params
    expect(platt.calibration.platt).toEqual(expected)
    expect(platt.calibration).toMatchObject({ method: 'platt', skipped: null, input: 'logit', steps: null })
    expect(Array.from(platt.calibrated!.test)).toEqual(
      Array.from(applyCalibrator(platt.calibrator!, test.scores)),
    )
    // Test labels play no part: other test labels, the same calibrated test scores.
    const flipped = { y: test.y.map((v) => 1 - v), scores: test.scores }
    expect(Array.from(calibrateRun('platt', true, val, flipped).calibrated!.test)).toEqual(
      Array.from(platt.calibrated!.test),
    )
  })

  it('Platt keeps AUROC, AUPRC and the confusion at the validation threshold; log loss and Brier fall', () => {
    for (const p of ['val', 'test'] as const) {
      expect(calibrated[p].metrics.auroc).toBe(raw[p].metrics.auroc)
      expect(calibrated[p].metrics.auprc).toBe(raw[p].metrics.auprc)
      expect(calibrated[p].metrics.confusion).toEqual(raw[p].metrics.confusion)
      expect(calibrated[p].metrics.logLoss!).toBeLessThan(raw[p].metrics.logLoss! - 0.1)
      expect(calibrated[p].metrics.brier!).toBeLessThan(raw[p].metrics.brier! - 0.05)
    }
    // The threshold itself is now a probability: near the rate where F1 peaks, far below the raw one.
    expect(calibrated.val.metrics.threshold!).toBeLessThan(raw.val.metrics.threshold!)
  })

  it('stores the Brier score, log loss and reliability curves before and after, on both parts', () => {
    for (const p of ['val', 'test'] as const) {
      const c = platt.calibration[p]
      expect(c.raw!.brier).toBeCloseTo(raw[p].metrics.brier!, 12)
      expect(c.calibrated!.brier).toBeCloseTo(calibrated[p].metrics.brier!, 12)
      expect(c.calibrated!.logLoss).toBeCloseTo(calibrated[p].metrics.logLoss!, 12)
      for (const curve of [c.raw!.uniform, c.raw!.quantile, c.calibrated!.quantile]) {
        expect(curve.counts.reduce((a, b) => a + b, 0)).toBe(1500)
        expect(curve.predicted.length).toBeLessThanOrEqual(RELIABILITY_BINS)
      }
      // Before: the scores overstate the positives in every populated bin of 0.3 and up; after, they do not.
      const over = c.raw!.uniform.predicted.filter((x, i) => x > 0.3 && c.raw!.uniform.observed[i]! < x - 0.1)
      expect(over.length).toBeGreaterThan(2)
      const mean = (a: number[], w: number[]) => a.reduce((s, v, i) => s + v * w[i]!, 0) / 1500
      expect(
        Math.abs(mean(c.calibrated!.uniform.predicted, c.calibrated!.uniform.counts) - 0.1),
      ).toBeLessThan(0.03)
    }
  })

  it('isotonic: a step function of the scores, its test scores clipped and interpolated', () => {
    const iso = calibrateRun('isotonic', true, val, test)
    expect(iso.calibration).toMatchObject({ method: 'isotonic', skipped: null, input: 'score', platt: null })
    expect(iso.calibration.steps).toBeGreaterThan(1)
    expect(iso.calibrator!.method).toBe('isotonic')
    const order = Array.from(test.scores.keys()).sort((i, j) => test.scores[i]! - test.scores[j]!)
    for (let k = 1; k < order.length; k++)
      expect(iso.calibrated!.test[order[k]!]!).toBeGreaterThanOrEqual(iso.calibrated!.test[order[k - 1]!]!)
    // In-sample on validation, its Brier score is the lowest a monotone map can reach: below Platt's.
    expect(iso.calibration.val.calibrated!.brier).toBeLessThan(platt.calibration.val.calibrated!.brier)
  })

  it('turns the motif scan’s log-odds into probabilities (Platt on the scores themselves)', () => {
    const v = logOdds(800, 21)
    const t = logOdds(800, 22)
    const run = calibrateRun('platt', false, v, t)
    expect(run.calibration).toMatchObject({ input: 'score', skipped: null })
    expect(run.calibration.test.raw).toBeNull()
    expect(run.calibration.test.calibrated!.brier).toBeLessThan(0.1)
    expect(run.calibrator).toMatchObject({ method: 'platt', input: 'score' })
    const before = evaluateRun(v, t, false)
    const after = evaluateRun(
      { y: v.y, scores: run.calibrated!.val },
      { y: t.y, scores: run.calibrated!.test },
      true,
    )
    expect(before.test.metrics.logLoss).toBeNull()
    expect(after.test.metrics.logLoss).not.toBeNull()
    expect(after.test.metrics.auroc).toBe(before.test.metrics.auroc)
    // Without calibration they stay log-odds: no Brier score, no reliability curve.
    const none = calibrateRun('none', false, v, t)
    expect(none.calibration.test).toEqual({ raw: null, calibrated: null })
    expect(none.calibrated).toBeNull()
  })

  it('does not apply a calibrator that would reverse or erase the ranking', () => {
    const reversed = { y: val.y, scores: val.scores.map((s) => 1 - s) }
    for (const method of ['platt', 'isotonic'] as const) {
      const run = calibrateRun(method, true, reversed, test)
      expect(run.calibration.skipped).toBe('uninformative')
      expect(run.calibrator).toBeNull()
      expect(run.calibrated).toBeNull()
      expect(run.calibration.test.calibrated).toBeNull()
      expect(run.calibration.test.raw).not.toBeNull()
    }
    expect(calibrateRun('platt', true, reversed, test).calibration.platt!.a).toBeGreaterThan(0)
  })

  it('none, or a spec stored before calibration existed: the model’s own scores, measured', () => {
    for (const method of ['none', undefined] as const) {
      const run = calibrateRun(method, true, val, test)
      expect(run.calibration.method).toBe('none')
      expect(run.calibrated).toBeNull()
      expect(run.calibrator).toBeNull()
      expect(run.calibration.val.raw!.brier).toBeCloseTo(raw.val.metrics.brier!, 12)
    }
  })
})

describe('the spec', () => {
  it('defaults to Platt; old stored specs without the field read as uncalibrated in the runner', () => {
    const parsed = ExperimentSpec.parse({ name: 'x', datasetId: 1, splitId: 1, model: { kind: 'logreg' } })
    expect(parsed.calibration).toBe('platt')
    expect(ExperimentSpec.safeParse({ ...parsed, calibration: 'beta' }).success).toBe(false)
  })
})
