/**
 * Class and sample weights for imbalanced data (the seed's 1,168 binding windows among 276,216), computed on
 * the training part only, so nothing about validation or test labels leaks into training.
 *
 * - `classWeights(labels, 'balanced', { train })` is scikit-learn's `compute_class_weight('balanced')` on the
 *   training records: w_c = n_train / (n_classes × n_c), n_classes = classes present in training. Then every
 *   class carries the same total weight, n_train / n_classes (the seed's `groupby('y').sum()` check). With a
 *   `base` (per-sample weights from the file), "balanced" balances the totals of those weights instead:
 *   w_c = Σ base / (n_classes × Σ_c base), so that base × class weight again sums to the same total per class.
 *   A `Record<label, number>` gives weights by hand (as scikit-learn's dict); classes it leaves out weigh 1.
 * - `sampleWeights(labels, classWeights, { train, base })` → a `Float32Array` with one weight per record of
 *   the **whole** data set (class weight × base weight), and **0 outside the training part**. Full length
 *   because the training loop gathers weights by the same record indices as the one-hot rows; zeros because a
 *   weight that reached validation by mistake then shows (a zero loss) instead of silently reweighting it.
 * - `weightSumsPerClass(labels, weights)` → total weight per class (the check above).
 *
 * Training indices may repeat (a bootstrap): a repeated record counts that many times in the class sizes, as
 * in scikit-learn's `compute_sample_weight(indices=…)`. Errors are `InputError`s with codes `weights.*`.
 */
import { InputError } from '../../shared/errors'
import { encodeClasses, type Label, type Labels } from '../splits/labels'

export type ClassWeightSpec = 'balanced' | Readonly<Record<string, number>>

export interface ClassWeights {
  /** Classes of the whole data set, sorted (as `np.unique`). */
  classes: Label[]
  /** Weight of each class; 0 for a class absent from training with "balanced". */
  weights: Float64Array
  /** Training records per class (repeats counted). */
  trainCounts: Int32Array
}

export interface TrainPart {
  /** Record indices of the training part (e.g. `partIndices(assignments, TRAIN)`). */
  train: ArrayLike<number>
  /** Per-sample weights from the file, one per record of the whole data set. */
  base?: ArrayLike<number>
}

function checkTrain(train: ArrayLike<number>, n: number): void {
  if (train.length === 0) {
    throw new InputError('weights.empty_train', 'The training part is empty: there is nothing to weight.', {
      expected: 'at least one training record',
      found: 'none',
    })
  }
  for (let j = 0; j < train.length; j++) {
    const i = train[j]!
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new InputError('weights.bad_indices', 'A training index is not a record of the data set.', {
        record: j + 1,
        expected: `0 … ${n - 1}`,
        found: String(i),
      })
    }
  }
}

function checkBase(base: ArrayLike<number>, n: number): void {
  if (base.length !== n) {
    throw new InputError(
      'weights.bad_base',
      `There are ${n} records but ${base.length} per-sample weights.`,
      {
        expected: `${n} weights`,
        found: String(base.length),
      },
    )
  }
  for (let i = 0; i < n; i++) {
    const w = base[i]!
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new InputError('weights.bad_base', 'A per-sample weight must be a finite number ≥ 0.', {
        record: i + 1,
        expected: 'a finite number ≥ 0',
        found: String(w),
      })
    }
  }
}

/** Class weights from the training records, "balanced" or given per class. */
export function classWeights(labels: Labels, spec: ClassWeightSpec, part: TrainPart): ClassWeights {
  const n = labels.length
  const { classes, codes } = encodeClasses(labels, 'weights.bad_labels')
  checkTrain(part.train, n)
  if (part.base !== undefined) checkBase(part.base, n)

  const trainCounts = new Int32Array(classes.length)
  const trainTotals = new Float64Array(classes.length)
  for (let j = 0; j < part.train.length; j++) {
    const i = part.train[j]!
    trainCounts[codes[i]!]! += 1
    trainTotals[codes[i]!]! += part.base === undefined ? 1 : part.base[i]!
  }
  const weights = new Float64Array(classes.length)

  if (spec === 'balanced') {
    let present = 0
    let total = 0
    for (let c = 0; c < classes.length; c++) {
      if (trainCounts[c]! > 0) present++
      total += trainTotals[c]!
    }
    for (let c = 0; c < classes.length; c++) {
      if (trainCounts[c] === 0) continue
      if (trainTotals[c] === 0) {
        throw new InputError(
          'weights.zero_class_total',
          `The training records of class ${classes[c]} all have weight 0: the class cannot be balanced.`,
          {
            expected: 'a positive total weight per class',
            found: '0',
            params: { label: String(classes[c]) },
          },
        )
      }
      // Counts: the expression of scikit-learn's compute_class_weight, for identical doubles.
      weights[c] =
        part.base === undefined
          ? part.train.length / (present * trainCounts[c]!)
          : total / (present * trainTotals[c]!)
    }
    return { classes, weights, trainCounts }
  }

  if (spec === null || typeof spec !== 'object') {
    throw new InputError('weights.bad_spec', 'Class weights are "balanced" or a weight per class.', {
      expected: '"balanced" or { label: weight }',
      found: String(spec),
    })
  }
  const byName = new Map(classes.map((label, c) => [String(label), c]))
  weights.fill(1)
  for (const [label, weight] of Object.entries(spec)) {
    const c = byName.get(label)
    if (c === undefined) {
      throw new InputError('weights.unknown_class', `There is no class "${label}" in the labels.`, {
        expected: `one of ${classes.join(', ')}`,
        found: label,
        params: { label },
      })
    }
    if (typeof weight !== 'number' || !(weight >= 0) || !Number.isFinite(weight)) {
      throw new InputError(
        'weights.bad_weight',
        `The weight of class "${label}" must be a finite number ≥ 0.`,
        {
          expected: 'a finite number ≥ 0',
          found: String(weight),
          params: { label },
        },
      )
    }
    weights[c] = weight
  }
  return { classes, weights, trainCounts }
}

/** One weight per record: class weight × base weight on the training part, 0 elsewhere. */
export function sampleWeights(labels: Labels, weights: ClassWeights, part: TrainPart): Float32Array {
  const n = labels.length
  const { classes, codes } = encodeClasses(labels, 'weights.bad_labels')
  if (classes.length !== weights.classes.length || classes.some((c, j) => c !== weights.classes[j])) {
    throw new InputError('weights.bad_spec', 'These class weights were computed for other labels.', {
      expected: classes.join(', '),
      found: weights.classes.join(', '),
    })
  }
  checkTrain(part.train, n)
  if (part.base !== undefined) checkBase(part.base, n)
  const out = new Float32Array(n)
  for (let j = 0; j < part.train.length; j++) {
    const i = part.train[j]!
    const w = weights.weights[codes[i]!]!
    out[i] = part.base === undefined ? w : w * part.base[i]!
  }
  return out
}

/** Total weight per class (float64 sums), classes sorted. */
export function weightSumsPerClass(
  labels: Labels,
  weights: ArrayLike<number>,
): { classes: Label[]; sums: Float64Array } {
  const { classes, codes } = encodeClasses(labels, 'weights.bad_labels')
  if (weights.length !== labels.length) {
    throw new InputError(
      'weights.bad_base',
      `There are ${labels.length} labels but ${weights.length} weights.`,
      {
        expected: `${labels.length} weights`,
        found: String(weights.length),
      },
    )
  }
  const sums = new Float64Array(classes.length)
  for (let i = 0; i < codes.length; i++) sums[codes[i]!]! += weights[i]!
  return { classes, sums }
}
