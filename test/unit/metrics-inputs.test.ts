/**
 * Every metric turns malformed input into an InputError with code `metrics.bad_input`, naming the argument
 * and, for a bad value, its 1-based position; one class present makes ROC `metrics.one_class`.
 */
import { describe, expect, it } from 'vitest'
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  chooseThreshold,
  confusionMatrix,
  logLoss,
  matthewsCorrcoef,
  precisionRecallCurve,
  precisionRecallF1,
  rocAuc,
  rocCurve,
} from '../../src/core/metrics'
import { InputError } from '../../src/shared/errors'

function thrown(fn: () => unknown): InputError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(InputError)
    return err as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}

const rankingMetrics = {
  rocCurve: (y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) =>
    rocCurve(y, s, { sampleWeight: w }),
  rocAuc: (y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) =>
    rocAuc(y, s, { sampleWeight: w }),
  precisionRecallCurve: (y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) =>
    precisionRecallCurve(y, s, { sampleWeight: w }),
  averagePrecision: (y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) =>
    averagePrecision(y, s, { sampleWeight: w }),
  chooseThreshold: (y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) =>
    chooseThreshold(y, s, { rule: 'maxF1', sampleWeight: w }),
}

const labelMetrics = {
  confusionMatrix: (y: ArrayLike<number>, p: ArrayLike<number>, w?: ArrayLike<number>) =>
    confusionMatrix(y, p, { sampleWeight: w }),
  precisionRecallF1: (y: ArrayLike<number>, p: ArrayLike<number>, w?: ArrayLike<number>) =>
    precisionRecallF1(y, p, { average: 'macro', sampleWeight: w }),
  matthewsCorrcoef: (y: ArrayLike<number>, p: ArrayLike<number>, w?: ArrayLike<number>) =>
    matthewsCorrcoef(y, p, { sampleWeight: w }),
  balancedAccuracy: (y: ArrayLike<number>, p: ArrayLike<number>, w?: ArrayLike<number>) =>
    balancedAccuracy(y, p, { sampleWeight: w }),
  accuracy: (y: ArrayLike<number>, p: ArrayLike<number>, w?: ArrayLike<number>) =>
    accuracy(y, p, { sampleWeight: w }),
  logLoss: (y: ArrayLike<number>, p: ArrayLike<number>, w?: ArrayLike<number>) =>
    logLoss(y, p, { sampleWeight: w }),
}

describe('ranking metrics reject bad input', () => {
  for (const [name, metric] of Object.entries(rankingMetrics)) {
    it(name, () => {
      expect(thrown(() => metric([], [])).code).toBe('metrics.bad_input')

      const mismatch = thrown(() => metric([0, 1, 1], [0.1, 0.2]))
      expect(mismatch).toMatchObject({ code: 'metrics.bad_input', expected: '3 values', found: '2' })
      expect(mismatch.params).toEqual({ argument: 'scores' })

      expect(thrown(() => metric([0, 1, 1], [0.1, NaN, 0.3]))).toMatchObject({
        code: 'metrics.bad_input',
        record: 2,
      })
      expect(thrown(() => metric([0, 1, 1], [0.1, 0.2, Infinity]))).toMatchObject({ record: 3 })
      expect(thrown(() => metric([0, 2, 1], [0.1, 0.2, 0.3]))).toMatchObject({
        code: 'metrics.bad_input',
        record: 2,
        expected: '0 or 1',
        found: '2',
      })
      expect(thrown(() => metric([0, -1, 1], [0.1, 0.2, 0.3])).record).toBe(2)

      expect(thrown(() => metric([0, 1, 1], [0.1, 0.2, 0.3], [1, 1]))).toMatchObject({
        code: 'metrics.bad_input',
      })
      expect(thrown(() => metric([0, 1, 1], [0.1, 0.2, 0.3], [1, -1, 1]))).toMatchObject({ record: 2 })
      expect(thrown(() => metric([0, 1, 1], [0.1, 0.2, 0.3], [1, NaN, 1]))).toMatchObject({ record: 2 })
      expect(thrown(() => metric([0, 1, 1], [0.1, 0.2, 0.3], [0, 0, 0])).found).toBe('all 0')
    })
  }

  it('ROC with one class present: metrics.one_class; precision-recall with no positives follows sklearn', () => {
    const onlyNegatives = thrown(() => rocAuc([0, 0, 0], [0.1, 0.2, 0.3]))
    expect(onlyNegatives.code).toBe('metrics.one_class')
    expect(onlyNegatives.toJSON()).toMatchObject({
      kind: 'input',
      code: 'metrics.one_class',
      params: { present: 0 },
    })
    expect(thrown(() => rocCurve([1, 1], [0.1, 0.2])).params).toEqual({ present: 1 })
    // Both classes in the labels, but every negative weighs 0: one class is all that counts.
    expect(thrown(() => rocAuc([0, 1, 1], [0.1, 0.2, 0.3], { sampleWeight: [0, 1, 1] })).code).toBe(
      'metrics.one_class',
    )
    expect(averagePrecision([0, 0, 0], [0.1, 0.2, 0.3])).toBe(0)
    expect(Array.from(precisionRecallCurve([0, 0, 0], [0.1, 0.2, 0.3]).recall)).toEqual([1, 1, 1, 0])
  })
})

describe('label metrics reject bad input', () => {
  for (const [name, metric] of Object.entries(labelMetrics)) {
    it(name, () => {
      expect(thrown(() => metric([], [])).code).toBe('metrics.bad_input')
      // Predictions 0/1 are valid for every one of them (logLoss reads them as probabilities).
      expect(thrown(() => metric([0, 1, 1], [0, 1])).code).toBe('metrics.bad_input')
      expect(thrown(() => metric([0, 1, 1], [0, 1, 1], [1, 1, -2]))).toMatchObject({ record: 3 })
      expect(thrown(() => metric([0, 1, 1], [0, 1, 1], [0, 0, 0])).code).toBe('metrics.bad_input')
    })
  }

  it('class labels must be integers; binary averages need 0/1', () => {
    expect(thrown(() => accuracy([0, 1.5], [0, 1]))).toMatchObject({
      record: 2,
      params: { argument: 'yTrue' },
    })
    expect(thrown(() => matthewsCorrcoef([0, 1], [0, NaN]))).toMatchObject({ params: { argument: 'yPred' } })
    expect(thrown(() => precisionRecallF1([0, 1, 2], [0, 1, 1]))).toMatchObject({
      record: 3,
      expected: '0 or 1',
    })
    expect(precisionRecallF1([0, 1, 2], [0, 1, 1], { average: 'macro' }).labels).toEqual([0, 1, 2])
    expect(thrown(() => precisionRecallF1([0, 1], [0, 1], { posLabel: 2 as 0 })).params).toEqual({
      argument: 'posLabel',
    })
  })

  it('labels must be a non-empty list of distinct integers, one of them in yTrue', () => {
    expect(thrown(() => confusionMatrix([0, 1], [0, 1], { labels: [] })).code).toBe('metrics.bad_input')
    expect(thrown(() => confusionMatrix([0, 1], [0, 1], { labels: [1, 1] })).expected).toBe('distinct labels')
    expect(thrown(() => confusionMatrix([0, 1], [2, 2], { labels: [2, 3] })).found).toBe('2, 3')
    expect(thrown(() => precisionRecallF1([0, 1], [0, 1], { average: 'macro', labels: [0.5] })).code).toBe(
      'metrics.bad_input',
    )
  })

  it('logLoss needs probabilities in [0, 1] and rows of one width with a column per class', () => {
    expect(thrown(() => logLoss([0, 1], [0.2, 1.2]))).toMatchObject({
      record: 2,
      params: { argument: 'probs' },
    })
    expect(thrown(() => logLoss([0, 1], [-0.1, 0.5])).record).toBe(1)
    expect(thrown(() => logLoss([0, 2], [0.2, 0.5])).record).toBe(2)
    expect(thrown(() => logLoss([0, 1], [[0.2, 0.8], [0.5]])).record).toBe(2)
    expect(thrown(() => logLoss([0, 1], [[1], [1]])).expected).toBe('at least 2 columns')
    expect(
      thrown(() =>
        logLoss(
          [0, 3],
          [
            [0.2, 0.8],
            [0.5, 0.5],
          ],
        ),
      ),
    ).toMatchObject({ record: 2, found: '3' })
    expect(
      thrown(() =>
        logLoss(
          [0, 1],
          [
            [0.2, 0.8],
            [NaN, 0.5],
          ],
        ),
      ).record,
    ).toBe(2)
  })
})

describe('label metrics on small cases worked by hand', () => {
  it('zero_division: precision with nothing predicted and recall with nothing true are 0', () => {
    const result = precisionRecallF1([0, 0, 1], [0, 0, 0])
    expect({ p: result.precision, r: result.recall, f: result.f1 }).toEqual({ p: 0, r: 0, f: 0 })
    const perClass = precisionRecallF1([0, 0, 0], [0, 1, 1], { average: 'macro' }).perLabel
    expect(Array.from(perClass.recall)).toEqual([1 / 3, 0])
    expect(Array.from(perClass.support)).toEqual([3, 0])
  })

  it('weighted samples count as repeated samples', () => {
    const repeated = precisionRecallF1([0, 1, 1, 1, 0, 2], [0, 1, 1, 0, 0, 2], { average: 'weighted' })
    const weighted = precisionRecallF1([0, 1, 1, 0, 2], [0, 1, 0, 0, 2], {
      average: 'weighted',
      sampleWeight: [1, 2, 1, 1, 1],
    })
    expect(weighted.f1).toBeCloseTo(repeated.f1, 15)
    expect(matthewsCorrcoef([0, 1, 1, 0], [0, 1, 0, 0], { sampleWeight: [1, 2, 1, 1] })).toBeCloseTo(
      matthewsCorrcoef([0, 1, 1, 1, 0], [0, 1, 1, 0, 0]),
      15,
    )
  })

  it('MCC of a perfect, an inverted and a constant prediction', () => {
    expect(matthewsCorrcoef([0, 1, 0, 1], [0, 1, 0, 1])).toBe(1)
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1)
    expect(matthewsCorrcoef([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0)
  })
})
