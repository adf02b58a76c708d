/**
 * Properties the fixtures cannot show on their own: the radix sort orders like numpy's reversed stable
 * argsort for every kind of double, AUC equals the Mann-Whitney statistic on a large set, and the curves do
 * not depend on the scores' scale, on sample order, or on how a weight is spelled (zero weight = absent,
 * integer weight = repeated sample).
 */
import { describe, expect, it } from 'vitest'
import { averagePrecision, precisionRecallCurve, rocAuc, rocCurve } from '../../src/core/metrics'
import { descendingOrder } from '../../src/core/metrics/sort'
import { seededFloats as seeded } from '../support/random'

/** numpy's `argsort(kind='mergesort')[::-1]`, written the obvious way. */
function referenceOrder(scores: ArrayLike<number>): number[] {
  const ascending = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[a]! - scores[b]! || a - b,
  )
  return ascending.reverse()
}

/** AUC as the probability that a positive outranks a negative, ties half: Mann-Whitney U / (P·N). */
function mannWhitneyAuc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  const order = Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[a]! - s[b]!)
  let positiveRankSum = 0
  let positives = 0
  for (let start = 0; start < order.length;) {
    let end = start
    while (end + 1 < order.length && s[order[end + 1]!] === s[order[start]!]) end++
    const midRank = (start + end) / 2 + 1 // average 1-based rank of the tied group
    for (let k = start; k <= end; k++) {
      if (y[order[k]!] === 1) {
        positiveRankSum += midRank
        positives++
      }
    }
    start = end + 1
  }
  const negatives = y.length - positives
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

describe('descendingOrder', () => {
  it('orders every kind of double as numpy does, ties by decreasing index, -0 tied with +0', () => {
    const special = [0, -0, 5e-324, -5e-324, 1e308, -1e308, 1, -1, 0.5, -0.5, 2 ** 52 + 1, 3, 3, -3, -3]
    const random = seeded(1)
    const scores = new Float64Array(4000)
    for (let i = 0; i < scores.length; i++) {
      const kind = random()
      if (kind < 0.2) scores[i] = special[Math.floor(random() * special.length)]!
      else if (kind < 0.5)
        scores[i] = Math.round((random() - 0.5) * 20) // many ties, both signs
      else scores[i] = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20)
    }
    expect(Array.from(descendingOrder(scores))).toEqual(referenceOrder(scores))
  })

  it('handles one element and all-equal input', () => {
    expect(Array.from(descendingOrder([7]))).toEqual([0])
    expect(Array.from(descendingOrder([2, 2, 2, 2]))).toEqual([3, 2, 1, 0])
  })
})

describe('curve properties', () => {
  it('AUC equals the Mann-Whitney statistic on 200 000 tied scores at 1:200', () => {
    const random = seeded(99)
    const n = 200_000
    const y = new Uint8Array(n)
    const s = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      y[i] = random() < 0.005 ? 1 : 0
      s[i] = Math.round((random() + 0.4 * y[i]!) * 1000) / 1000
    }
    expect(rocAuc(y, s)).toBeCloseTo(mannWhitneyAuc(y, s), 12)
  })

  it('a strictly increasing transform of the scores changes thresholds only', () => {
    const random = seeded(3)
    const y = Array.from({ length: 500 }, () => (random() < 0.3 ? 1 : 0))
    const s = y.map((label) => Math.round((random() + 0.3 * label) * 50) / 50)
    const logits = s.map((v) => Math.log(v + 0.01) * 3 - 7)
    const a = rocCurve(y, s)
    const b = rocCurve(y, logits)
    expect(b.fpr).toEqual(a.fpr)
    expect(b.tpr).toEqual(a.tpr)
    expect(averagePrecision(y, logits)).toBe(averagePrecision(y, s))
  })

  it('unweighted curves do not depend on sample order', () => {
    const random = seeded(4)
    const y = Array.from({ length: 300 }, () => (random() < 0.4 ? 1 : 0))
    const s = y.map((label) => Math.round((random() + 0.3 * label) * 10) / 10)
    const permutation = Array.from({ length: y.length }, (_, i) => i).sort(() => random() - 0.5)
    const a = precisionRecallCurve(y, s)
    const b = precisionRecallCurve(
      permutation.map((i) => y[i]!),
      permutation.map((i) => s[i]!),
    )
    expect(b).toEqual(a)
  })

  it('weight 0 is the same as leaving the sample out; weight 2 the same as repeating it', () => {
    const random = seeded(8)
    const y = Array.from({ length: 200 }, () => (random() < 0.35 ? 1 : 0))
    const s = y.map((label) => Math.round((random() + 0.3 * label) * 20) / 20)
    const w = y.map(() => Math.floor(random() * 3)) // 0, 1 or 2

    const kept = y.map((_, i) => i).filter((i) => w[i]! > 0)
    const withoutZeros = rocCurve(
      kept.map((i) => y[i]!),
      kept.map((i) => s[i]!),
      { sampleWeight: kept.map((i) => w[i]!) },
    )
    expect(rocCurve(y, s, { sampleWeight: w })).toEqual(withoutZeros)

    const repeated = y.flatMap((_, i) => Array.from({ length: w[i]! }, () => i))
    const yRepeated = repeated.map((i) => y[i]!)
    const sRepeated = repeated.map((i) => s[i]!)
    expect(rocAuc(y, s, { sampleWeight: w })).toBeCloseTo(rocAuc(yRepeated, sRepeated), 14)
    expect(averagePrecision(y, s, { sampleWeight: w })).toBeCloseTo(
      averagePrecision(yRepeated, sRepeated),
      14,
    )
  })

  it('a tie between a positive and a negative is half credit; a constant score gives AUC 0.5', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5)
    expect(rocAuc([0, 1, 0, 1], [0.1, 0.5, 0.5, 0.9])).toBe(0.875)
    expect(rocAuc([0, 1, 1, 0, 1], [3, 3, 3, 3, 3])).toBe(0.5)
  })

  it('takes typed arrays and plain arrays alike', () => {
    const y = [0, 0, 1, 1]
    const s = [0.1, 0.4, 0.35, 0.8]
    expect(rocAuc(Uint8Array.from(y), Float64Array.from(s))).toBe(rocAuc(y, s))
    expect(rocAuc(Int32Array.from(y), Float32Array.from(s))).toBe(0.75)
  })
})
