/**
 * src/core/splits against scikit-learn, from test/fixtures/splits (made by
 * scripts/fixtures/make_split_fixtures.py with Debian's sklearn): GroupKFold, StratifiedKFold (unshuffled) and
 * StratifiedGroupKFold (unshuffled) fold by fold; KFold fold by fold; shuffled StratifiedKFold per-fold class
 * counts; stratified train/test per-class counts; sklearn's errors and warnings as our codes.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import { kFold, partIndices, stratifiedSplit, TEST } from '../../src/core/splits'

const fixtureDir = path.resolve(__dirname, '../fixtures/splits')
const load = <T>(name: string): T => JSON.parse(readFileSync(path.join(fixtureDir, name), 'utf8')) as T

interface FoldCase {
  name: string
  k: number
  labels?: number[]
  groups?: (string | number)[]
  folds?: number[]
  error?: string
  warnings?: string[]
  classCountsPerFold?: number[][]
}
const kfold = load<{
  group: FoldCase[]
  stratified: FoldCase[]
  stratifiedGroup: FoldCase[]
  kfold: { n: number; k: number; folds: number[] }[]
}>('kfold.json')

interface SplitCase {
  name: string
  labels: (number | string)[]
  test: number
  classes: (number | string)[]
  testCounts: number[][]
  deterministic: boolean
}
const stratified = load<{ cases: SplitCase[] }>('stratified.json')

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  return 'no error'
}

describe('GroupKFold', () => {
  for (const c of kfold.group) {
    it(c.name, () => {
      if (c.error !== undefined) {
        expect(codeOf(() => kFold(c.groups!.length, { k: c.k, seed: 0, groupBy: c.groups }))).toBe(
          'splits.too_few_groups',
        )
        return
      }
      const result = kFold(c.groups!.length, { k: c.k, seed: 123, groupBy: c.groups })
      expect(result.method).toBe('group')
      expect(Array.from(result.folds)).toEqual(c.folds)
    })
  }
})

describe('StratifiedKFold', () => {
  for (const c of kfold.stratified) {
    it(c.name, () => {
      const n = c.labels!.length
      if (c.error !== undefined) {
        expect(codeOf(() => kFold(n, { k: c.k, seed: 0, stratifyBy: c.labels }))).toBe(
          'splits.class_too_small',
        )
        return
      }
      const unshuffled = kFold(n, { k: c.k, seed: 0, shuffle: false, stratifyBy: c.labels })
      expect(Array.from(unshuffled.folds)).toEqual(c.folds)
      expect(unshuffled.warnings.map((w) => w.code)).toEqual(c.warnings ? ['splits.small_class'] : [])
      // Shuffled: members differ by seed, the class counts per fold do not.
      const classes = [...new Set(c.labels)].sort((a, b) => a - b)
      for (const seed of [1, 2, 3]) {
        const { folds } = kFold(n, { k: c.k, seed, stratifyBy: c.labels })
        const counts = Array.from({ length: c.k }, (_, f) =>
          classes.map((cls) => c.labels!.filter((y, i) => y === cls && folds[i] === f).length),
        )
        expect(counts).toEqual(c.classCountsPerFold)
      }
    })
  }
})

describe('StratifiedGroupKFold', () => {
  for (const c of kfold.stratifiedGroup) {
    it(c.name, () => {
      const result = kFold(c.labels!.length, {
        k: c.k,
        seed: 0,
        shuffle: false,
        stratifyBy: c.labels,
        groupBy: c.groups,
      })
      expect(result.method).toBe('stratified_group')
      expect(Array.from(result.folds)).toEqual(c.folds)
    })
  }
})

describe('KFold', () => {
  for (const c of kfold.kfold) {
    it(`n=${c.n}, k=${c.k}`, () => {
      expect(Array.from(kFold(c.n, { k: c.k, seed: 0, shuffle: false }).folds)).toEqual(c.folds)
    })
  }
})

describe('stratified train/test split', () => {
  for (const c of stratified.cases) {
    it(`${c.name}: per-class test counts ${c.deterministic ? 'equal' : 'are among'} sklearn's`, () => {
      for (const seed of [0, 1, 2, 3, 4]) {
        const { assignments } = stratifiedSplit(c.labels as number[], { val: 0, test: c.test, seed })
        const test = Array.from(partIndices(assignments, TEST))
        const counts = c.classes.map((cls) => test.filter((i) => c.labels[i] === cls).length)
        if (c.deterministic) expect(counts).toEqual(c.testCounts[0])
        else expect(c.testCounts).toContainEqual(counts)
      }
    })
  }
})
