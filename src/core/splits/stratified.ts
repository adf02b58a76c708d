/**
 * Stratified random train / validation / test split, seeded: each class is shuffled and cut, so every part
 * keeps the class proportions of the whole (what scikit-learn's `train_test_split(stratify=y)` does, extended
 * to three parts).
 *
 * Sizes: test = ⌈test·n⌉ and val = ⌈val·n⌉ records (scikit-learn rounds the test size up the same way; a
 * tolerance of 1e-9·n keeps 0.1 × 30 at 3, not 4), train the rest. Per class, each part gets ⌊ideal⌋ or
 * ⌈ideal⌉ records, ideal = class size × part size / n: proportions hold to within one record per class and
 * part, and the part sizes are exact. The extra records go first to the classes with the largest fractional
 * part (ties broken by the seed), train first, then val, then test: with `val: 0` the per-class counts are
 * scikit-learn's `_approximate_mode` (asserted against its fixtures). When that greedy order cannot place
 * every record within the bounds, augmenting paths (a small max-flow over classes × parts) complete it;
 * such a completion always exists (controlled rounding of a two-way table).
 *
 * Numeric targets (`numeric: true` or `{ bins }`) are stratified by quantile bins of the target (10 by
 * default; see `quantileBins`), so each part spans the target's range.
 *
 * Unlike scikit-learn, a class with a single member is not an error: it lands in one part, and a warning
 * (`splits.class_missing`) names every class absent from a requested part.
 */
import { InputError } from '../../shared/errors'
import { Rng, type Seed } from '../random'
import { strataOf, type Labels, type NumericStrata } from './labels'
import { PART_NAMES, splitSummary, TEST, TRAIN, VAL, type SplitSummary, type SplitWarning } from './summary'

export interface StratifiedSplitOptions {
  /** Fraction of records for validation, in [0, 1). */
  val: number
  /** Fraction of records for test, in [0, 1); val + test < 1. */
  test: number
  seed: Seed
  /** The labels are a numeric target: stratify by its quantile bins. */
  numeric?: boolean | NumericStrata
}

export interface PartsSplit {
  /** Per record: `TRAIN` 0, `VAL` 1 or `TEST` 2. */
  assignments: Int8Array
  summary: SplitSummary
  warnings: SplitWarning[]
}

/** Fractions as the user typed them: finite, in [0, 1), summing below 1. */
export function checkFractions(val: number, test: number): void {
  for (const [name, value] of [
    ['val', val],
    ['test', test],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
      throw new InputError('splits.bad_fraction', `The ${name} fraction must be at least 0 and below 1.`, {
        expected: '0 ≤ fraction < 1',
        found: String(value),
        params: { part: name },
      })
    }
  }
  if (val + test >= 1) {
    throw new InputError(
      'splits.fractions_sum',
      'The validation and test fractions leave nothing to train on.',
      {
        expected: 'val + test < 1',
        found: `${val} + ${test} = ${val + test}`,
      },
    )
  }
}

/** ⌈fraction·n⌉ without float noise pushing an exact product up by one. */
function partSize(fraction: number, n: number): number {
  return Math.ceil(fraction * n - 1e-9 * n)
}

/**
 * Per class and part, how many records: `[class][part]`, rows summing to the class sizes, columns to
 * `totals`, each entry the floor or ceiling of its ideal (see the module comment).
 */
export function apportion(classCounts: ArrayLike<number>, totals: readonly number[], rng: Rng): Int32Array[] {
  const classes = classCounts.length
  const parts = totals.length
  const n = totals.reduce((a, b) => a + b, 0)
  const result: Int32Array[] = []
  const fraction: Float64Array[] = []
  const rowLeft = new Int32Array(classes)
  const columnLeft = Int32Array.from(totals)
  for (let c = 0; c < classes; c++) {
    const row = new Int32Array(parts)
    const frac = new Float64Array(parts)
    let placed = 0
    for (let p = 0; p < parts; p++) {
      // Written as scikit-learn's _approximate_mode writes it, so the same floors and remainders come out.
      const ideal = (classCounts[c]! / n) * totals[p]!
      row[p] = Math.floor(ideal)
      frac[p] = ideal - row[p]!
      placed += row[p]!
      columnLeft[p]! -= row[p]!
    }
    rowLeft[c] = classCounts[c]! - placed
    result.push(row)
    fraction.push(frac)
  }
  // `bumped[c][p]`: class c got its one extra record in part p.
  const bumped = Array.from({ length: classes }, () => new Uint8Array(parts))
  const give = (c: number, p: number, sign: 1 | -1) => {
    result[c]![p]! += sign
    bumped[c]![p] = sign === 1 ? 1 : 0
  }

  // Greedy: per part in order, the largest remainders first; a random order before the stable sort breaks ties.
  for (let p = 0; p < parts; p++) {
    const order = rng.shuffle(Array.from({ length: classes }, (_, c) => c))
    order.sort((a, b) => fraction[b]![p]! - fraction[a]![p]!)
    for (const c of order) {
      if (columnLeft[p]! <= 0) break
      if (rowLeft[c]! > 0 && fraction[c]![p]! > 0) {
        give(c, p, 1)
        rowLeft[c]! -= 1
        columnLeft[p]! -= 1
      }
    }
  }

  // Completion: from a class still owing records, find a path class → part ← class → part … ending at a part
  // with room, moving one extra record along it (breadth-first, so paths stay short).
  for (let start = 0; start < classes; start++) {
    while (rowLeft[start]! > 0) {
      const cameFromClass = new Int32Array(parts).fill(-1)
      const cameFromPart = new Int32Array(classes).fill(-1)
      const seenClass = new Uint8Array(classes)
      seenClass[start] = 1
      let queue = [start]
      let end = -1
      while (queue.length > 0 && end < 0) {
        const next: number[] = []
        for (const c of queue) {
          for (let p = 0; p < parts && end < 0; p++) {
            if (bumped[c]![p] || !(fraction[c]![p]! > 0) || cameFromClass[p] !== -1) continue
            cameFromClass[p] = c
            if (columnLeft[p]! > 0) {
              end = p
              break
            }
            for (let other = 0; other < classes; other++) {
              if (!seenClass[other] && bumped[other]![p]) {
                seenClass[other] = 1
                cameFromPart[other] = p
                next.push(other)
              }
            }
          }
          if (end >= 0) break
        }
        queue = next
      }
      if (end < 0) throw new Error('apportion: no completion found (this contradicts controlled rounding)')
      columnLeft[end]! -= 1
      rowLeft[start]! -= 1
      for (let p = end; ;) {
        const c = cameFromClass[p]!
        give(c, p, 1)
        if (c === start) break
        p = cameFromPart[c]!
        give(c, p, -1)
      }
    }
  }
  return result
}

/** Stratified, seeded train / val / test assignments with their summary. */
export function stratifiedSplit(labels: Labels, options: StratifiedSplitOptions): PartsSplit {
  const { val, test } = options
  checkFractions(val, test)
  const rng = Rng.seeded(options.seed).fork('splits.stratified')
  const strata = strataOf(labels, options.numeric, 'splits.bad_labels')
  const n = labels.length
  const nTest = partSize(test, n)
  const nVal = partSize(val, n)
  const nTrain = n - nTest - nVal
  if (nTrain < 1) {
    throw new InputError('splits.empty_train', 'With these fractions no record is left for training.', {
      expected: 'at least one training record',
      found: `${n} records: ${nVal} validation, ${nTest} test`,
    })
  }
  const perClass = apportion(strata.counts, [nTrain, nVal, nTest], rng.fork('apportion'))

  // Members of each class in record order, then shuffled and cut train | val | test.
  const members: number[][] = Array.from({ length: strata.classes.length }, () => [])
  for (let i = 0; i < n; i++) members[strata.codes[i]!]!.push(i)
  const assignments = new Int8Array(n)
  const shuffler = rng.fork('members')
  members.forEach((records, c) => {
    shuffler.shuffle(records)
    const [inTrain, inVal] = [perClass[c]![TRAIN]!, perClass[c]![VAL]!]
    records.forEach((record, j) => {
      assignments[record] = j < inTrain ? TRAIN : j < inTrain + inVal ? VAL : TEST
    })
  })

  const warnings: SplitWarning[] = []
  const requested = [nTrain, nVal, nTest]
  strata.classes.forEach((label, c) => {
    for (const part of [TRAIN, VAL, TEST]) {
      if (requested[part]! > 0 && perClass[c]![part] === 0) {
        warnings.push({
          code: 'splits.class_missing',
          message: `No record of ${options.numeric ? 'target bin' : 'class'} ${label} is in the ${PART_NAMES[part]} part.`,
          params: { label: String(label), part: PART_NAMES[part]! },
        })
      }
    }
  })
  return {
    assignments,
    summary: splitSummary(assignments, labels, { numeric: Boolean(options.numeric) }),
    warnings,
  }
}
