/**
 * src/core/metrics against scikit-learn: every array and scalar of the fixtures in test/fixtures/metrics
 * (made by scripts/fixtures/make_metrics_fixtures.py with Debian's sklearn) must agree to 1e-12, relative for
 * values above 1 and absolute below. Where sklearn raises or returns NaN for one class, we throw
 * `metrics.one_class`.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  confusionMatrix,
  logLoss,
  matthewsCorrcoef,
  precisionRecallCurve,
  precisionRecallF1,
  rocAuc,
  rocCurve,
  type Average,
} from '../../src/core/metrics'

const TOLERANCE = 1e-12
const fixtureDir = path.resolve(__dirname, '../fixtures/metrics')

/** One sklearn call: its value, or the exception it raised; plus any warnings. */
interface Outcome<T> {
  value?: T
  error?: { type: string; message: string }
  warnings?: string[]
}
type Vector = (number | null)[]
interface PrfValue {
  precision: number | Vector
  recall: number | Vector
  f1: number | Vector
  support: Vector | null
}
interface LabelledMetrics {
  confusion_matrix: Outcome<number[][]>
  accuracy: Outcome<number>
  mcc: Outcome<number>
  balanced_accuracy: Outcome<number>
  prf: Record<string, Outcome<PrfValue>>
  labels?: number[]
  confusion_matrix_labels?: Outcome<number[][]>
  prf_labels?: Record<string, Outcome<PrfValue>>
}
interface Provenance {
  sklearn_version: string
  numpy_version: string
}
interface CurveCase {
  name: string
  y_true: number[]
  scores: number[]
  sample_weight: number[] | null
  roc_curve: Outcome<{ fpr: Vector; tpr: Vector; thresholds: number[] }>
  roc_curve_all?: Outcome<{ fpr: Vector; tpr: Vector; thresholds: number[] }>
  roc_auc: Outcome<number>
  average_precision: Outcome<number>
  precision_recall_curve?: Outcome<{ precision: number[]; recall: number[]; thresholds: number[] }>
  y_pred: number[]
  labelled: LabelledMetrics
}
interface LabelCase {
  name: string
  y_true: number[]
  y_pred: number[]
  sample_weight: number[] | null
  labelled: LabelledMetrics
}
interface LogLossCase {
  name: string
  y_true: number[]
  probs: number[] | number[][]
  sample_weight: number[] | null
  log_loss: Outcome<number>
  log_loss_without_labels?: Outcome<number>
}

function load<T>(name: string): Provenance & { cases: T[] } {
  return JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8'))
}

const curves = load<CurveCase>('curves.json')
const labelled = load<LabelCase>('labels.json')
const logLosses = load<LogLossCase>('log-loss.json')

function close(actual: number, expected: number | null): boolean {
  if (expected === null) return Number.isNaN(actual)
  return Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected))
}

/** Fails with the first differing position, so a mismatch says where it is. */
function expectCloseArray(actual: ArrayLike<number>, expected: Vector, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    if (!close(actual[i]!, expected[i]!)) {
      expect.fail(`${what}[${i}]: got ${actual[i]}, sklearn ${expected[i]}`)
    }
  }
}

function expectClose(actual: number, expected: number | null | undefined, what: string): void {
  expect(expected, `${what}: sklearn value`).not.toBeUndefined()
  if (!close(actual, expected!)) expect.fail(`${what}: got ${actual}, sklearn ${expected}`)
}

function weightOf(c: { sample_weight: number[] | null }) {
  return c.sample_weight === null ? undefined : c.sample_weight
}

function checkLabelled(c: {
  y_true: number[]
  y_pred: number[]
  sample_weight: number[] | null
  name: string
  labelled: LabelledMetrics
}) {
  const sampleWeight = weightOf(c)
  const m = c.labelled
  const cm = confusionMatrix(c.y_true, c.y_pred, { sampleWeight })
  expectCloseArray(cm.matrix.flat(), m.confusion_matrix.value!.flat(), `${c.name} confusion matrix`)
  expect(cm.matrix.length).toBe(m.confusion_matrix.value!.length)
  expectClose(accuracy(c.y_true, c.y_pred, { sampleWeight }), m.accuracy.value, `${c.name} accuracy`)
  expectClose(matthewsCorrcoef(c.y_true, c.y_pred, { sampleWeight }), m.mcc.value, `${c.name} MCC`)
  expectClose(
    balancedAccuracy(c.y_true, c.y_pred, { sampleWeight }),
    m.balanced_accuracy.value,
    `${c.name} balanced accuracy`,
  )

  const checkPrf = (key: string, expected: Outcome<PrfValue>, labels?: number[]) => {
    const what = `${c.name} prf ${key}${labels ? ` labels ${labels}` : ''}`
    expect(expected.error, what).toBeUndefined()
    const value = expected.value!
    if (key === 'none') {
      const result = precisionRecallF1(c.y_true, c.y_pred, { average: 'macro', labels, sampleWeight })
      expectCloseArray(result.perLabel.precision, value.precision as Vector, `${what} precision`)
      expectCloseArray(result.perLabel.recall, value.recall as Vector, `${what} recall`)
      expectCloseArray(result.perLabel.f1, value.f1 as Vector, `${what} f1`)
      expectCloseArray(result.perLabel.support, value.support!, `${what} support`)
      return
    }
    const average: Average = key === 'binary_pos0' ? 'binary' : (key as Average)
    const posLabel = key === 'binary_pos0' ? 0 : 1
    const result = precisionRecallF1(c.y_true, c.y_pred, { average, posLabel, labels, sampleWeight })
    expectClose(result.precision, value.precision as number, `${what} precision`)
    expectClose(result.recall, value.recall as number, `${what} recall`)
    expectClose(result.f1, value.f1 as number, `${what} f1`)
  }
  const keys = Object.keys(m.prf)
  expect(keys).toEqual(expect.arrayContaining(['none', 'macro', 'weighted', 'micro']))
  for (const key of keys) checkPrf(key, m.prf[key]!)

  if (m.labels !== undefined) {
    const chosen = confusionMatrix(c.y_true, c.y_pred, { labels: m.labels, sampleWeight })
    expect(chosen.labels).toEqual(m.labels)
    expectCloseArray(chosen.matrix.flat(), m.confusion_matrix_labels!.value!.flat(), `${c.name} cm labels`)
    for (const key of Object.keys(m.prf_labels!)) checkPrf(key, m.prf_labels![key]!, m.labels)
  }
}

describe('fixtures', () => {
  it('come from Debian scikit-learn 1.2.1 (first ROC threshold max+1, not +inf)', () => {
    for (const f of [curves, labelled, logLosses]) expect(f.sklearn_version).toBe('1.2.1')
    const docstring = curves.cases.find((c) => c.name === 'docstring')!
    expect(docstring.roc_curve.value!.thresholds[0]).toBe(1.8)
  })
})

describe('rocCurve, rocAuc, precisionRecallCurve, averagePrecision match sklearn', () => {
  const twoClass = curves.cases.filter((c) => c.roc_auc.error === undefined)
  it('covers the intended cases', () => {
    expect(twoClass.map((c) => c.name)).toEqual([
      'docstring',
      'random',
      'ties',
      'weighted',
      'signed',
      'imbalanced',
      'perfect',
      'inverted',
      'constant_scores',
    ])
  })

  for (const c of twoClass) {
    it(`${c.name}`, () => {
      const sampleWeight = weightOf(c)
      const roc = rocCurve(c.y_true, c.scores, { sampleWeight })
      const expected = c.roc_curve.value!
      expectCloseArray(roc.fpr, expected.fpr, `${c.name} fpr`)
      expectCloseArray(roc.tpr, expected.tpr, `${c.name} tpr`)
      expectCloseArray(roc.thresholds, expected.thresholds, `${c.name} thresholds`)
      expectClose(rocAuc(c.y_true, c.scores, { sampleWeight }), c.roc_auc.value, `${c.name} AUC`)
      expectClose(
        averagePrecision(c.y_true, c.scores, { sampleWeight }),
        c.average_precision.value,
        `${c.name} average precision`,
      )
      if (c.roc_curve_all) {
        const all = rocCurve(c.y_true, c.scores, { sampleWeight, dropIntermediate: false })
        const full = c.roc_curve_all.value!
        expectCloseArray(all.fpr, full.fpr, `${c.name} fpr (all points)`)
        expectCloseArray(all.tpr, full.tpr, `${c.name} tpr (all points)`)
        expectCloseArray(all.thresholds, full.thresholds, `${c.name} thresholds (all points)`)
      }
      if (c.precision_recall_curve) {
        const pr = precisionRecallCurve(c.y_true, c.scores, { sampleWeight })
        const full = c.precision_recall_curve.value!
        expectCloseArray(pr.precision, full.precision, `${c.name} precision`)
        expectCloseArray(pr.recall, full.recall, `${c.name} recall`)
        expectCloseArray(pr.thresholds, full.thresholds, `${c.name} PR thresholds`)
      }
    })
  }

  it('the unweighted curves are exact, not merely close (integer counts, one division)', () => {
    const c = curves.cases.find((k) => k.name === 'ties')!
    const roc = rocCurve(c.y_true, c.scores, { dropIntermediate: false })
    expect(Array.from(roc.fpr)).toEqual(c.roc_curve_all!.value!.fpr)
    expect(Array.from(roc.tpr)).toEqual(c.roc_curve_all!.value!.tpr)
  })

  for (const name of ['all_negative', 'all_positive']) {
    it(`${name}: AUC raises in sklearn and throws metrics.one_class here; AP and PR curve as sklearn`, () => {
      const c = curves.cases.find((k) => k.name === name)!
      expect(c.roc_auc.error).toEqual({
        type: 'ValueError',
        message: 'Only one class present in y_true. ROC AUC score is not defined in that case.',
      })
      expect(() => rocAuc(c.y_true, c.scores)).toThrow(expect.objectContaining({ code: 'metrics.one_class' }))
      // sklearn's roc_curve returns NaN rates with a warning; a curve of NaN is of no use, so we throw too.
      expect(c.roc_curve.warnings).toHaveLength(1)
      expect(() => rocCurve(c.y_true, c.scores)).toThrow(
        expect.objectContaining({ code: 'metrics.one_class' }),
      )
      expectClose(averagePrecision(c.y_true, c.scores), c.average_precision.value, `${name} AP`)
      const pr = precisionRecallCurve(c.y_true, c.scores)
      expectCloseArray(pr.precision, c.precision_recall_curve!.value!.precision, `${name} precision`)
      expectCloseArray(pr.recall, c.precision_recall_curve!.value!.recall, `${name} recall`)
    })
  }
})

describe('label metrics match sklearn', () => {
  for (const c of curves.cases) {
    it(`binary, at the median score: ${c.name}`, () => checkLabelled(c))
  }
  for (const c of labelled.cases) {
    it(`${c.name}`, () => checkLabelled(c))
  }
})

describe('logLoss matches sklearn (eps = float64 eps, rows renormalised)', () => {
  for (const c of logLosses.cases) {
    it(`${c.name}`, () => {
      expectClose(logLoss(c.y_true, c.probs, { sampleWeight: weightOf(c) }), c.log_loss.value, c.name)
    })
  }

  it('a single-class set has a loss (sklearn needs labels=[0, 1] for it, and raises without)', () => {
    const c = logLosses.cases.find((k) => k.name === 'binary_one_class')!
    expect(c.log_loss_without_labels!.error!.type).toBe('ValueError')
    expect(logLoss(c.y_true, c.probs)).toBeGreaterThan(0)
  })
})
