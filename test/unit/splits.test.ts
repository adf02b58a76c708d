/**
 * src/core/splits properties and errors: stratified three-part splits keep every class within one record of
 * its proportional share with exact part sizes (random class layouts, which also reach the max-flow
 * completion), seeds reproduce, numeric targets are binned; chromosome hold-out matches aliases and refuses
 * unknown or doubly chosen chromosomes; k-fold sizes, groups never split, and each `splits.*` error; the
 * summary's counts, positives and per-chromosome rows.
 */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import { Rng } from '../../src/core/random'
import {
  apportion,
  chromosomeHoldout,
  kFold,
  partIndices,
  quantileBins,
  splitSummary,
  stratifiedSplit,
  TEST,
  TRAIN,
  VAL,
} from '../../src/core/splits'

function errorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

function countsPerPart(
  assignments: Int8Array,
  labels: ArrayLike<number | string>,
  cls: number | string,
): number[] {
  const counts = [0, 0, 0]
  for (let i = 0; i < assignments.length; i++) if (labels[i] === cls) counts[assignments[i]!]! += 1
  return counts
}

describe('apportion (per-class part sizes)', () => {
  it('keeps rows, columns and floor/ceil bounds on random class layouts', () => {
    const rng = Rng.seeded(3).fork('apportion')
    for (let trial = 0; trial < 3000; trial++) {
      const classes = 1 + rng.int(8)
      const counts = Array.from({ length: classes }, () => 1 + rng.int(12))
      const n = counts.reduce((a, b) => a + b, 0)
      const nTest = Math.ceil(rng.float() * 0.4 * n)
      const nVal = Math.ceil(rng.float() * 0.4 * n)
      if (n - nTest - nVal < 1) continue
      const totals = [n - nTest - nVal, nVal, nTest]
      const result = apportion(counts, totals, rng)
      result.forEach((row, c) => {
        expect(row.reduce((a, b) => a + b, 0)).toBe(counts[c])
        row.forEach((value, p) => {
          const ideal = (counts[c]! * totals[p]!) / n
          expect(value).toBeGreaterThanOrEqual(Math.floor(ideal + 1e-9))
          expect(value).toBeLessThanOrEqual(Math.ceil(ideal - 1e-9))
        })
      })
      totals.forEach((total, p) => expect(result.reduce((a, row) => a + row[p]!, 0)).toBe(total))
    }
  })
})

describe('stratifiedSplit', () => {
  const rng = Rng.seeded(4).fork('labels')
  const labels = Array.from({ length: 1003 }, () => (rng.float() < 0.05 ? 1 : 0))

  it('gives exact part sizes and per-class shares within one record', () => {
    const { assignments, summary, warnings } = stratifiedSplit(labels, { val: 0.1, test: 0.2, seed: 42 })
    expect(summary.parts.map((p) => p.count)).toEqual([1003 - 101 - 201, 101, 201])
    const n = labels.length
    for (const cls of [0, 1]) {
      const size = labels.filter((y) => y === cls).length
      countsPerPart(assignments, labels, cls).forEach((count, part) => {
        expect(Math.abs(count - (size * summary.parts[part]!.count) / n)).toBeLessThan(1)
      })
    }
    expect(summary.labelKind).toBe('binary')
    expect(summary.parts[TEST]!.positives).toBe(countsPerPart(assignments, labels, 1)[TEST])
    expect(warnings).toEqual([])
  })

  it('is reproduced by its seed and changed by another', () => {
    const a = stratifiedSplit(labels, { val: 0.1, test: 0.2, seed: 42 }).assignments
    const b = stratifiedSplit(labels, { val: 0.1, test: 0.2, seed: 42 }).assignments
    const c = stratifiedSplit(labels, { val: 0.1, test: 0.2, seed: 43 }).assignments
    expect(Array.from(b)).toEqual(Array.from(a))
    expect(Array.from(c)).not.toEqual(Array.from(a))
  })

  it('stratifies named multi-class labels, and warns of a class missing from a part', () => {
    const names = [
      ...Array(40).fill('kinase'),
      ...Array(25).fill('protease'),
      ...Array(9).fill('receptor'),
      'toxin',
    ]
    const { assignments, summary, warnings } = stratifiedSplit(names, { val: 0.2, test: 0.2, seed: 'run-1' })
    expect(summary.labelKind).toBe('classes')
    expect(countsPerPart(assignments, names, 'kinase')).toEqual([24, 8, 8])
    expect(countsPerPart(assignments, names, 'protease')).toEqual([15, 5, 5])
    expect(
      summary.parts[VAL]!.classCounts!.receptor! + summary.parts[TEST]!.classCounts!.receptor!,
    ).toBeGreaterThan(2)
    // The single toxin lands in one part; the other two are named in warnings.
    expect(warnings.map((w) => w.code)).toEqual(['splits.class_missing', 'splits.class_missing'])
    expect(warnings.every((w) => w.params!.label === 'toxin')).toBe(true)
  })

  it('stratifies a numeric target by quantile bins, so every part spans its range', () => {
    const r = Rng.seeded(5).fork('numeric')
    // A long-tailed target: most near 0, a few large.
    const target = Array.from({ length: 500 }, () => Math.exp(3 * r.normal()))
    const { assignments, summary } = stratifiedSplit(target, {
      val: 0.2,
      test: 0.2,
      seed: 1,
      numeric: { bins: 5 },
    })
    expect(summary.labelKind).toBe('numeric')
    const bins = quantileBins(target, 5, 'x')
    for (let b = 0; b < 5; b++) {
      const inBin = Array.from(assignments).filter((_, i) => bins[i] === b)
      expect(inBin.filter((p) => p === TEST).length).toBe(20)
      expect(inBin.filter((p) => p === VAL).length).toBe(20)
    }
    expect(summary.parts.every((p) => Number.isFinite(p.mean))).toBe(true)
  })

  it('rejects fractions out of range, summing to 1 or more, or leaving no training record', () => {
    expect(errorOf(() => stratifiedSplit(labels, { val: -0.1, test: 0.2, seed: 1 })).code).toBe(
      'splits.bad_fraction',
    )
    expect(errorOf(() => stratifiedSplit(labels, { val: 0.1, test: 1, seed: 1 })).code).toBe(
      'splits.bad_fraction',
    )
    expect(errorOf(() => stratifiedSplit(labels, { val: NaN, test: 0.1, seed: 1 })).code).toBe(
      'splits.bad_fraction',
    )
    expect(errorOf(() => stratifiedSplit(labels, { val: 0.5, test: 0.5, seed: 1 })).code).toBe(
      'splits.fractions_sum',
    )
    expect(errorOf(() => stratifiedSplit([0, 1], { val: 0.4, test: 0.4, seed: 1 })).code).toBe(
      'splits.empty_train',
    )
  })

  it('rejects non-integer or missing class labels, pointing at the record', () => {
    const error = errorOf(() => stratifiedSplit([0, 1, 0.5], { val: 0, test: 0.3, seed: 1 }))
    expect(error.code).toBe('splits.bad_labels')
    expect(error.record).toBe(3)
    expect(errorOf(() => stratifiedSplit([0, NaN], { val: 0, test: 0.5, seed: 1 })).record).toBe(2)
    expect(
      errorOf(() => stratifiedSplit([0, 1, 2, 3], { val: 0, test: 0.5, seed: 1, numeric: { bins: 1 } })).code,
    ).toBe('splits.bad_labels')
  })

  it('sizes parts without float noise: 10% of 30 is 3', () => {
    const { summary } = stratifiedSplit(new Array(30).fill(0), { val: 0.1, test: 0.1, seed: 1 })
    expect(summary.parts.map((p) => p.count)).toEqual([24, 3, 3])
  })
})

describe('chromosomeHoldout', () => {
  const chroms = ['chr1', 'chr1', '2', 'chr2', 'chrX', 'X', 'chrM', '22']
  const labels = [1, 0, 1, 1, 0, 0, 1, 0]

  it('holds out whole chromosomes, matching aliases both ways', () => {
    const { assignments, summary } = chromosomeHoldout(chroms, { val: ['chr22', 'MT'], test: ['x'], labels })
    expect(Array.from(assignments)).toEqual([TRAIN, TRAIN, TRAIN, TRAIN, TEST, TEST, VAL, VAL])
    expect(summary.parts.map((p) => [p.count, p.positives])).toEqual([
      [4, 3],
      [2, 1],
      [2, 0],
    ])
    // Per chromosome: aliases counted together, under the first spelling seen.
    expect(summary.chromosomes!.map((c) => [c.chrom, c.name, c.count, c.positives])).toEqual([
      ['chr1', 'train', 2, 1],
      ['2', 'train', 2, 2],
      ['chrX', 'test', 2, 0],
      ['chrM', 'val', 1, 1],
      ['22', 'val', 1, 0],
    ])
  })

  it('names an unknown chromosome and lists the known ones', () => {
    const error = errorOf(() => chromosomeHoldout(chroms, { val: ['chr3'], test: [] }))
    expect(error.code).toBe('splits.unknown_chromosome')
    expect(error.found).toBe('chr3')
    expect(error.expected).toContain('chr1')
  })

  it('refuses a chromosome in both parts and a split with nothing left to train on', () => {
    expect(errorOf(() => chromosomeHoldout(chroms, { val: ['chr2'], test: ['2'] })).code).toBe(
      'splits.chromosome_in_two_parts',
    )
    expect(errorOf(() => chromosomeHoldout(['1', '2'], { val: ['chr1'], test: ['chr2'] })).code).toBe(
      'splits.empty_train',
    )
  })

  it('warns when nothing is held out', () => {
    expect(chromosomeHoldout(chroms, { val: [], test: [] }).warnings.map((w) => w.code)).toEqual([
      'splits.nothing_held_out',
    ])
  })
})

describe('kFold', () => {
  it('plain: balanced sizes, every record once, seeded shuffle', () => {
    const a = kFold(23, { k: 5, seed: 9 })
    expect(a.method).toBe('kfold')
    expect(a.summary.parts.map((p) => p.count)).toEqual([5, 5, 5, 4, 4])
    expect(Array.from(kFold(23, { k: 5, seed: 9 }).folds)).toEqual(Array.from(a.folds))
    expect(Array.from(kFold(23, { k: 5, seed: 10 }).folds)).not.toEqual(Array.from(a.folds))
  })

  it('stratified: per-fold positives differ by at most one and the summary reports them', () => {
    const r = Rng.seeded(6).fork('y')
    const y = Array.from({ length: 400 }, () => (r.float() < 0.03 ? 1 : 0))
    const { folds, summary } = kFold(400, { k: 5, seed: 1, stratifyBy: y })
    const positives = summary.parts.map((p) => p.positives!)
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1)
    expect(positives.reduce((a, b) => a + b, 0)).toBe(y.filter((v) => v === 1).length)
    expect(positives[2]).toBe(Array.from(partIndices(folds, 2)).filter((i) => y[i] === 1).length)
  })

  it('grouped, with and without stratification: no group spans two folds', () => {
    const r = Rng.seeded(7).fork('groups')
    const groups = Array.from({ length: 300 }, () => `cluster${r.int(40)}`)
    const y = Array.from({ length: 300 }, () => (r.float() < 0.2 ? 1 : 0))
    for (const stratifyBy of [undefined, y]) {
      for (const shuffle of [true, false]) {
        const { folds, warnings } = kFold(300, { k: 4, seed: 2, groupBy: groups, stratifyBy, shuffle })
        const foldOfGroup = new Map<string, number>()
        groups.forEach((g, i) => {
          expect(foldOfGroup.get(g) ?? folds[i]).toBe(folds[i])
          foldOfGroup.set(g, folds[i]!)
        })
        expect(new Set(folds).size).toBe(4)
        expect(warnings).toEqual([])
      }
    }
  })

  it('stratified-grouped with shuffle depends on the seed, and keeps positives spread', () => {
    const r = Rng.seeded(8).fork('sgkf')
    const groups = Array.from({ length: 600 }, () => r.int(60))
    const y = Array.from({ length: 600 }, () => (r.float() < 0.1 ? 1 : 0))
    const a = kFold(600, { k: 3, seed: 1, groupBy: groups, stratifyBy: y })
    const b = kFold(600, { k: 3, seed: 2, groupBy: groups, stratifyBy: y })
    expect(Array.from(a.folds)).not.toEqual(Array.from(b.folds))
    const total = y.filter((v) => v === 1).length
    for (const part of a.summary.parts)
      expect(Math.abs(part.positives! - total / 3)).toBeLessThan(total * 0.15)
  })

  it('rejects bad k, too few groups, classes all smaller than k, and mismatched lengths', () => {
    expect(errorOf(() => kFold(10, { k: 1, seed: 0 })).code).toBe('splits.bad_k')
    expect(errorOf(() => kFold(10, { k: 11, seed: 0 })).code).toBe('splits.bad_k')
    expect(errorOf(() => kFold(10, { k: 2.5, seed: 0 })).code).toBe('splits.bad_k')
    expect(errorOf(() => kFold(4, { k: 3, seed: 0, groupBy: ['a', 'b', 'a', 'b'] })).code).toBe(
      'splits.too_few_groups',
    )
    expect(errorOf(() => kFold(4, { k: 3, seed: 0, stratifyBy: [0, 0, 1, 1] })).code).toBe(
      'splits.class_too_small',
    )
    expect(errorOf(() => kFold(4, { k: 2, seed: 0, stratifyBy: [0, 1, 1] })).code).toBe('splits.bad_input')
    expect(errorOf(() => kFold(4, { k: 2, seed: -1 })).code).toBe('random.bad_seed')
  })

  it('warns, as scikit-learn does, when one class is smaller than k', () => {
    const { warnings } = kFold(12, { k: 3, seed: 0, stratifyBy: [...new Array(10).fill(0), 1, 1] })
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'splits.small_class', params: { members: 2, k: 3 } }),
    ])
  })
})

describe('splitSummary', () => {
  it('counts, positives and rates per part, skipping unassigned records', () => {
    const summary = splitSummary(Int8Array.from([0, 0, 1, 2, -1, 0]), [1, 0, 1, 0, 1, 0])
    expect(summary.parts).toEqual([
      {
        part: 0,
        name: 'train',
        count: 3,
        positives: 1,
        positiveRate: 1 / 3,
        classCounts: { '0': 2, '1': 1 },
      },
      { part: 1, name: 'val', count: 1, positives: 1, positiveRate: 1, classCounts: { '0': 0, '1': 1 } },
      { part: 2, name: 'test', count: 1, positives: 0, positiveRate: 0, classCounts: { '0': 1, '1': 0 } },
    ])
  })

  it('summarises folds and rejects parts that do not exist', () => {
    const summary = splitSummary(Int32Array.from([0, 1, 2, 1]), undefined, { kind: 'folds' })
    expect(summary.labelKind).toBe('none')
    expect(summary.parts.map((p) => [p.name, p.count])).toEqual([
      ['fold 1', 1],
      ['fold 2', 2],
      ['fold 3', 1],
    ])
    expect(errorOf(() => splitSummary(Int8Array.from([0, 3]))).record).toBe(2)
    expect(errorOf(() => splitSummary(Int8Array.from([0, 1]), [1])).code).toBe('splits.bad_input')
  })
})
