/**
 * Multi-class metrics of the protein classifiers against scikit-learn 1.2 (scripts/fixtures/
 * make_multiclass_fixtures.py): macro and weighted precision / recall / F1, the confusion matrix and accuracy
 * of the argmax predictions (core metrics) to 1e-12, and the one-vs-rest macro ROC AUC, macro average
 * precision and log loss of softmax probabilities (`evaluateScores`, what training and the protein demo
 * report) to 1e-12 / 1e-9.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { accuracy, confusionMatrix, precisionRecallF1 } from '../../src/core/metrics'
import { evaluateScores } from '../../src/core/training/train'

interface Case {
  name: string
  k: number
  y: number[]
  probs: number[]
  pred: number[]
  macro: { precision: number; recall: number; f1: number }
  weighted: { precision: number; recall: number; f1: number }
  confusion: number[][]
  accuracy: number
  roc_auc_ovr_macro: number
  average_precision_macro: number
  log_loss: number
}

const { cases } = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../fixtures/metrics/multiclass.json'), 'utf8'),
) as { cases: Case[] }

describe('multi-class metrics against scikit-learn', () => {
  for (const c of cases) {
    it(`${c.name} (${c.y.length} samples, ${c.k} classes)`, () => {
      const labels = Array.from({ length: c.k }, (_, i) => i)
      for (const average of ['macro', 'weighted'] as const) {
        const got = precisionRecallF1(c.y, c.pred, { average, labels })
        expect(got.precision).toBeCloseTo(c[average].precision, 12)
        expect(got.recall).toBeCloseTo(c[average].recall, 12)
        expect(got.f1).toBeCloseTo(c[average].f1, 12)
      }
      expect(confusionMatrix(c.y, c.pred, { labels }).matrix).toEqual(c.confusion)
      expect(accuracy(c.y, c.pred)).toBeCloseTo(c.accuracy, 12)
      // The probabilities as a model returns them: float32, [n, k].
      const scores = Float32Array.from(c.probs)
      const evaluated = evaluateScores(scores, Float32Array.from(c.y), undefined, c.k)
      expect(evaluated.valAuroc!).toBeCloseTo(c.roc_auc_ovr_macro, 12)
      expect(evaluated.valAuprc!).toBeCloseTo(c.average_precision_macro, 12)
      expect(evaluated.valLoss).toBeCloseTo(c.log_loss, 9)
    })
  }
})
