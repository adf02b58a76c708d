import { describe, expect, it } from 'vitest'
import {
  auprcRatio,
  earlyPrecision,
  grnScores,
  indirectFpr,
  rankedEdgesTsv,
  topK,
} from '../../src/core/grn/metrics'

describe('BEELINE metrics', () => {
  it('AUPRC ratio is average precision over the positive rate', () => {
    // Positives at ranks 1 and 3: AP = ½·1 + ½·⅔ = 5/6; positive rate ⅓.
    const labels = [1, 0, 1, 0, 0, 0]
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    const { auprc, ratio } = auprcRatio(labels, scores)
    expect(auprc).toBeCloseTo(5 / 6, 12)
    expect(ratio).toBeCloseTo(2.5, 12)
  })

  it('early precision: top-k with k = true edges, over random precision', () => {
    expect(earlyPrecision([1, 0, 1, 0, 0, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4])).toEqual({
      ep: 0.5,
      epr: 1.5,
      k: 2,
    })
    // Ties with the k-th score are all counted (BEELINE keeps every edge ≥ the k-th weight).
    const tied = earlyPrecision([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1])
    expect(tied.ep).toBeCloseTo(2 / 3, 12)
    expect(tied.epr).toBeCloseTo(4 / 3, 12)
    // Zero scores are never predictions.
    expect(earlyPrecision([1, 1, 0, 0], [0.9, 0, 0, 0])).toEqual({ ep: 1, epr: 2, k: 2 })
    expect(Array.from(topK([0.9, 0, 0, 0], 2).selected)).toEqual([0])
  })

  it('indirectFpr is the share of indirect pairs among the top-k, k = direct edges', () => {
    // kinds: 1 direct, 2 indirect, 0 none; two direct edges → top 2 = a direct and an indirect pair.
    expect(indirectFpr([1, 2, 1, 0, 2], [0.9, 0.8, 0.3, 0.2, 0.5])).toBe(0.5)
    expect(indirectFpr([1, 2, 1, 0, 2], [0.9, 0.1, 0.8, 0.2, 0.05])).toBe(0)
    expect(() => indirectFpr([0, 2], [0.5, 0.4])).toThrow(
      expect.objectContaining({ code: 'metrics.one_class' }),
    )
  })

  it('grnScores gathers AUROC, AUPRC, ratios and the indirect rate', () => {
    const labels = [1, 0, 1, 0, 0, 0]
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    const kinds = [1, 2, 1, 2, 0, 0]
    const result = grnScores(labels, scores, kinds)
    expect(result.auroc).toBeCloseTo(7 / 8, 12) // 7 of 8 positive–negative orderings right
    expect(result.epr).toBe(1.5)
    expect(result.indirectFpr).toBe(0.5)
    expect(() => grnScores([1, 0], [0.5, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'metrics.bad_input' }),
    )
  })

  it('writes the ranked edge list as BEELINE rankedEdges rows', () => {
    const rows = rankedEdgesTsv(
      { a: [0, 0, 1], b: [1, 2, 2] },
      [0.2, 0.9, 0.2],
      ['Gata1', 'Klf1', 'Hba\ta1'],
      { labels: [1, 0, 1], kinds: [1, 2, 0] },
    )
    expect(rows).toEqual([
      'Gene1\tGene2\tEdgeWeight\tLabel\tKind',
      'Gata1\tHba a1\t0.9\t0\tindirect',
      'Gata1\tKlf1\t0.2\t1\tdirect',
      'Klf1\tHba a1\t0.2\t1\tnone',
    ])
  })
})
