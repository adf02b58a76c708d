/**
 * k-fold cross-validation assignments: a 0-based fold per record, with scikit-learn's semantics so that
 * results carry over to what scientists read in papers and tutorials.
 *
 * - neither `stratifyBy` nor `groupBy`: `KFold` — the first n mod k folds get ⌊n/k⌋ + 1 records, the others
 *   ⌊n/k⌋; contiguous blocks, of a seeded permutation when `shuffle` (the default).
 * - `stratifyBy`: `StratifiedKFold` — classes are numbered in order of first appearance, each fold gets the
 *   per-class counts of dealing the records sorted by class round-robin (exactly scikit-learn's counts); with
 *   `shuffle` the members of a class are dealt to their folds in a seeded random order, without it in record
 *   order (then identical to scikit-learn's assignment).
 * - `groupBy` (chromosome, cluster, TF …): `GroupKFold` — groups never span folds; groups, largest first,
 *   each go to the fold with the fewest records so far (first such fold on ties); equal-sized groups in
 *   reverse order of their sorted names, which is the order numpy's sort gives scikit-learn for ≤ 16 groups.
 *   Deterministic: the seed and `shuffle` do not matter, and the assignment equals scikit-learn's.
 * - both: `StratifiedGroupKFold` — groups sorted by how unevenly their records spread over classes
 *   (population sd of the class counts, largest first, stable), each placed in the fold that keeps the
 *   folds' class proportions most even (mean over classes of the sd across folds of fold count / class
 *   count), the fold with fewer records on near-ties (numpy's `isclose`). With `shuffle` the groups are put in
 *   a seeded random order before the stable sort; without it the assignment equals scikit-learn's.
 *
 * Numeric `stratifyBy` (option `numeric`) stratifies by quantile bins of the target.
 *
 * Errors (`InputError`): `splits.bad_k` (k not a whole number, k < 2 or k > n), `splits.too_few_groups`
 * (fewer groups than folds), `splits.class_too_small` (every class has fewer than k members — scikit-learn
 * raises too). As in scikit-learn, a class with fewer than k members while others have enough is allowed and
 * reported as the warning `splits.small_class` (some folds then lack that class); `splits.empty_fold` warns
 * of a fold the stratified-group heuristic left empty.
 */
import { InputError } from '../../shared/errors'
import { Rng, type Seed } from '../random'
import { compareLabels, strataOf, type EncodedClasses, type Labels, type NumericStrata } from './labels'
import { splitSummary, type SplitSummary, type SplitWarning } from './summary'

export interface KFoldOptions {
  k: number
  seed: Seed
  /** Shuffle before dealing folds (KFold, StratifiedKFold, StratifiedGroupKFold). Default true. */
  shuffle?: boolean
  /** Labels to stratify by. */
  stratifyBy?: Labels
  /** `stratifyBy` is a numeric target: stratify by its quantile bins. */
  numeric?: boolean | NumericStrata
  /** Group of each record; a group is never split across folds. */
  groupBy?: readonly (string | number)[]
}

export interface KFoldSplit {
  /** Per record: its test fold, 0 … k − 1. */
  folds: Int32Array
  k: number
  method: 'kfold' | 'stratified' | 'group' | 'stratified_group'
  summary: SplitSummary
  warnings: SplitWarning[]
}

function badInput(argument: string, n: number, found: number): InputError {
  return new InputError('splits.bad_input', `There are ${n} records but ${found} ${argument}.`, {
    expected: `${n} ${argument}`,
    found: String(found),
    params: { argument },
  })
}

export function kFold(n: number, options: KFoldOptions): KFoldSplit {
  const { k } = options
  if (!Number.isInteger(n) || n < 0) throw badInput('records', n, n)
  if (!Number.isInteger(k) || k < 2 || k > n) {
    throw new InputError('splits.bad_k', `Cross-validation needs between 2 and ${n} folds.`, {
      expected: `a whole number from 2 to the number of records (${n})`,
      found: String(k),
      params: { k: String(k), n },
    })
  }
  const shuffle = options.shuffle ?? true
  const rng = Rng.seeded(options.seed).fork('splits.kfold')
  const warnings: SplitWarning[] = []

  let strata: EncodedClasses | undefined
  if (options.stratifyBy !== undefined) {
    if (options.stratifyBy.length !== n) throw badInput('labels', n, options.stratifyBy.length)
    strata = strataOf(options.stratifyBy, options.numeric, 'splits.bad_labels')
    const counts = Array.from(strata.counts)
    if (counts.every((count) => count < k)) {
      throw new InputError('splits.class_too_small', `Every class has fewer members than the ${k} folds.`, {
        expected: `at least one class with ${k} or more members`,
        found: `largest class: ${Math.max(...counts)}`,
        params: { k },
      })
    }
    const smallest = Math.min(...counts)
    if (smallest < k) {
      warnings.push({
        code: 'splits.small_class',
        message: `The least populated class has only ${smallest} members, fewer than the ${k} folds.`,
        params: { members: smallest, k },
      })
    }
  }
  let groups: { codes: Int32Array; count: number } | undefined
  if (options.groupBy !== undefined) {
    if (options.groupBy.length !== n) throw badInput('groups', n, options.groupBy.length)
    groups = encodeGroups(options.groupBy)
    if (groups.count < k) {
      throw new InputError(
        'splits.too_few_groups',
        `There are ${groups.count} groups, fewer than the ${k} folds.`,
        {
          expected: `at least ${k} groups`,
          found: String(groups.count),
          params: { groups: groups.count, k },
        },
      )
    }
  }

  let folds: Int32Array
  let method: KFoldSplit['method']
  if (groups !== undefined && strata !== undefined) {
    method = 'stratified_group'
    folds = stratifiedGroupFolds(strata, groups, k, shuffle ? rng : undefined)
  } else if (groups !== undefined) {
    method = 'group'
    folds = groupFolds(groups, k)
  } else if (strata !== undefined) {
    method = 'stratified'
    folds = stratifiedFolds(options.stratifyBy!, strata, k, shuffle ? rng : undefined)
  } else {
    method = 'kfold'
    folds = plainFolds(n, k, shuffle ? rng : undefined)
  }

  const summary = splitSummary(folds, options.stratifyBy, {
    kind: 'folds',
    k,
    numeric: Boolean(options.numeric),
  })
  for (const part of summary.parts) {
    if (part.count === 0) {
      warnings.push({
        code: 'splits.empty_fold',
        message: `Fold ${part.part + 1} has no records.`,
        params: { fold: part.part + 1 },
      })
    }
  }
  return { folds, k, method, summary, warnings }
}

/** Groups numbered in sorted order of their names (numpy's `np.unique`). */
function encodeGroups(groupBy: readonly (string | number)[]): { codes: Int32Array; count: number } {
  const names = [...new Set(groupBy)].sort(compareLabels)
  const index = new Map(names.map((name, g) => [name, g]))
  return { codes: Int32Array.from(groupBy, (name) => index.get(name)!), count: names.length }
}

function plainFolds(n: number, k: number, rng: Rng | undefined): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i)
  if (rng) rng.shuffle(order)
  const folds = new Int32Array(n)
  const base = Math.floor(n / k)
  let position = 0
  for (let fold = 0; fold < k; fold++) {
    const size = base + (fold < n % k ? 1 : 0)
    for (let j = 0; j < size; j++) folds[order[position++]!] = fold
  }
  return folds
}

function stratifiedFolds(
  labels: Labels,
  strata: EncodedClasses,
  k: number,
  rng: Rng | undefined,
): Int32Array {
  const n = labels.length
  // Classes in order of first appearance, as scikit-learn numbers them for the round-robin allocation.
  const appearance = new Int32Array(strata.classes.length).fill(-1)
  let next = 0
  for (let i = 0; i < n; i++) if (appearance[strata.codes[i]!] === -1) appearance[strata.codes[i]!] = next++
  const countsInAppearance = new Int32Array(next)
  strata.counts.forEach((count, c) => (countsInAppearance[appearance[c]!] = count))

  // Deal the records sorted by class round-robin: position j goes to fold j mod k.
  const folds = new Int32Array(n)
  let start = 0
  const foldsForClass: number[][] = []
  for (let a = 0; a < next; a++) {
    const size = countsInAppearance[a]!
    const allocation = new Int32Array(k)
    for (let j = start; j < start + size; j++) allocation[j % k]! += 1
    start += size
    // Blocks of fold numbers in fold order (scikit-learn's `np.arange(k).repeat(allocation)`).
    const list: number[] = []
    for (let fold = 0; fold < k; fold++) for (let j = 0; j < allocation[fold]!; j++) list.push(fold)
    if (rng) rng.shuffle(list)
    foldsForClass.push(list)
  }
  const used = new Int32Array(next)
  for (let i = 0; i < n; i++) {
    const a = appearance[strata.codes[i]!]!
    folds[i] = foldsForClass[a]![used[a]!++]!
  }
  return folds
}

function groupFolds(groups: { codes: Int32Array; count: number }, k: number): Int32Array {
  const sizes = new Int32Array(groups.count)
  for (const g of groups.codes) sizes[g]! += 1
  // Largest first; equal sizes in reverse group order (a stable ascending argsort, reversed).
  const order = Array.from({ length: groups.count }, (_, g) => g).sort(
    (a, b) => sizes[b]! - sizes[a]! || b - a,
  )
  const foldSize = new Float64Array(k)
  const foldOf = new Int32Array(groups.count)
  for (const g of order) {
    let lightest = 0
    for (let fold = 1; fold < k; fold++) if (foldSize[fold]! < foldSize[lightest]!) lightest = fold
    foldSize[lightest]! += sizes[g]!
    foldOf[g] = lightest
  }
  return Int32Array.from(groups.codes, (g) => foldOf[g]!)
}

/** Population sd, summed left to right as numpy does for short rows. */
function sd(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]!
  const mean = sum / values.length
  let squares = 0
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) * (values[i]! - mean)
  return Math.sqrt(squares / values.length)
}

function isClose(a: number, b: number): boolean {
  // numpy.isclose defaults; never true against infinity for a finite a.
  return Number.isFinite(b) && Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b)
}

function stratifiedGroupFolds(
  strata: EncodedClasses,
  groups: { codes: Int32Array; count: number },
  k: number,
  rng: Rng | undefined,
): Int32Array {
  const classes = strata.classes.length
  const perGroup = Array.from({ length: groups.count }, () => new Float64Array(classes))
  for (let i = 0; i < groups.codes.length; i++) perGroup[groups.codes[i]!]![strata.codes[i]!]! += 1

  let order = Array.from({ length: groups.count }, (_, g) => g)
  if (rng) rng.shuffle(order)
  const spread = perGroup.map(sd)
  order = order.sort((a, b) => spread[b]! - spread[a]!) // Array.prototype.sort is stable

  const perFold = Array.from({ length: k }, () => new Float64Array(classes))
  const foldOf = new Int32Array(groups.count)
  const column = new Float64Array(k)
  for (const g of order) {
    const counts = perGroup[g]!
    let best = -1
    let bestEval = Infinity
    let bestSize = Infinity
    for (let fold = 0; fold < k; fold++) {
      const target = perFold[fold]!
      for (let c = 0; c < classes; c++) target[c]! += counts[c]!
      let evaluation = 0
      for (let c = 0; c < classes; c++) {
        for (let f = 0; f < k; f++) column[f] = perFold[f]![c]! / strata.counts[c]!
        evaluation += sd(column)
      }
      evaluation /= classes
      for (let c = 0; c < classes; c++) target[c]! -= counts[c]!
      let size = 0
      for (let c = 0; c < classes; c++) size += target[c]!
      if (evaluation < bestEval || (isClose(evaluation, bestEval) && size < bestSize)) {
        best = fold
        bestEval = evaluation
        bestSize = size
      }
    }
    for (let c = 0; c < classes; c++) perFold[best]![c]! += counts[c]!
    foldOf[g] = best
  }
  return Int32Array.from(groups.codes, (g) => foldOf[g]!)
}
