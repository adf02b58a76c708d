/**
 * Resampling applies to the TRAINING part only (DESIGN.md: "resample / weight the training split only").
 * Validation and test records must keep the class balance of the real data, or their metrics lie; and a
 * synthetic record made from a test record would leak it into training.
 *
 * `resampleTrainingPart(X, y, assignments, sampler)` takes the whole data set and its split assignments
 * (`TRAIN` 0, `VAL` 1, `TEST` 2, from ../splits), resamples the training records, and returns the new
 * training set only. Validation and test records are neither read by the sampler nor returned: the caller
 * keeps using them by their record indices, untouched.
 *
 * X is either a float32 feature matrix [n, d] (any sampler), or an array of records of any type (raw
 * sequences, one record per row): then only samplers with `appliesTo: 'any'` (random over/under-sampling,
 * which duplicate or drop records by index) are accepted; a SMOTE-family sampler is an
 * `InputError('imbalance.needs_features')`, the rule the UI enforces too.
 *
 * The result's `recordIndices` maps each training row to its record in the whole data set (−1 for an
 * interpolated row), and the class counts before and after are what the experiment stores.
 */
import { InputError } from '../../shared/errors'
import { TRAIN } from '../splits/summary'
import { checkLabels, gatherRows, isIndexSampler, type Sampler } from './base'
import { classCounts, type ClassCounts } from './strategy'

export interface TrainingResample<X> {
  /** The new training rows: a float32 matrix [m, d], or the records. */
  X: X
  y: Int32Array
  /** [m] record index in the whole data set of each row, −1 for an interpolated (synthetic) row. */
  recordIndices: Int32Array
  /** [m] 1 where the row was generated (interpolated or perturbed). */
  synthetic: Uint8Array
  countsBefore: ClassCounts
  countsAfter: ClassCounts
}

export function resampleTrainingPart(
  X: Float32Array,
  y: ArrayLike<number>,
  assignments: ArrayLike<number>,
  sampler: Sampler,
): TrainingResample<Float32Array>
export function resampleTrainingPart<T>(
  X: readonly T[],
  y: ArrayLike<number>,
  assignments: ArrayLike<number>,
  sampler: Sampler,
): TrainingResample<T[]>
export function resampleTrainingPart<T>(
  X: Float32Array | readonly T[],
  yIn: ArrayLike<number>,
  assignments: ArrayLike<number>,
  sampler: Sampler,
): TrainingResample<Float32Array | T[]> {
  const y = checkLabels(yIn)
  const n = y.length
  if (assignments.length !== n) {
    throw new InputError(
      'imbalance.bad_input',
      `There are ${n} labels but ${assignments.length} split assignments.`,
      {
        expected: `${n} assignments`,
        found: String(assignments.length),
      },
    )
  }
  const train: number[] = []
  for (let i = 0; i < n; i++) {
    const part = assignments[i]!
    if (part !== 0 && part !== 1 && part !== 2) {
      throw new InputError(
        'imbalance.bad_input',
        'A split assignment is not TRAIN (0), VAL (1) or TEST (2).',
        {
          record: i + 1,
          expected: '0, 1 or 2',
          found: String(part),
        },
      )
    }
    if (part === TRAIN) train.push(i)
  }
  if (train.length === 0) {
    throw new InputError(
      'imbalance.empty_train',
      'The training part is empty: there is nothing to resample.',
      {
        expected: 'at least one training record',
        found: 'none',
      },
    )
  }
  const trainRows = Int32Array.from(train)
  const yTrain = Int32Array.from(train, (i) => y[i]!)
  const countsBefore = classCounts(yTrain)

  if (!(X instanceof Float32Array)) {
    if (X.length !== n) {
      throw new InputError('imbalance.bad_input', `There are ${n} labels but ${X.length} records.`, {
        expected: `${n} records`,
        found: String(X.length),
      })
    }
    if (!isIndexSampler(sampler)) {
      throw new InputError(
        'imbalance.needs_features',
        `${sampler.name} computes with feature values and cannot resample raw records; use random over- or under-sampling, or numeric features.`,
        { expected: 'a numeric feature matrix', found: 'raw records', params: { sampler: sampler.name } },
      )
    }
    const { sampleIndices, y: yOut } = sampler.resampleIndices(yTrain)
    const recordIndices = sampleIndices.map((j) => trainRows[j]!)
    return {
      X: Array.from(recordIndices, (i) => X[i]!),
      y: yOut,
      recordIndices,
      synthetic: new Uint8Array(yOut.length),
      countsBefore,
      countsAfter: classCounts(yOut),
    }
  }

  if (X.length % n !== 0 || X.length === 0) {
    throw new InputError('imbalance.bad_input', `The features do not fit ${n} labels.`, {
      expected: `n × d values with n = ${n}`,
      found: `${X.length} values`,
    })
  }
  const d = X.length / n
  const out = sampler.fitResample(gatherRows(X, d, trainRows), yTrain)
  return {
    X: out.X,
    y: out.y,
    recordIndices: out.sampleIndices.map((j) => (j < 0 ? -1 : trainRows[j]!)),
    synthetic: out.synthetic,
    countsBefore,
    countsAfter: classCounts(out.y),
  }
}
