/**
 * Input checks shared by every metric: the user's mistakes become one `InputError` with a stable code, the
 * argument's name and the 1-based record (array position) where the first bad value sits.
 *
 * Codes: `metrics.bad_input` for anything malformed (empty, lengths differ, NaN/infinite scores, labels that
 * are not 0/1 or not integers, negative weights), `metrics.one_class` when a metric is undefined because only
 * one class is present (ROC AUC, as scikit-learn's "Only one class present in y_true").
 *
 * Each check is one pass without allocation, so validating 10^6 scores costs about as much as reading them.
 */
import { InputError } from '../../shared/errors'

export const BAD_INPUT = 'metrics.bad_input'
export const ONE_CLASS = 'metrics.one_class'

export function badInput(
  message: string,
  init: { argument?: string; record?: number; expected?: string; found?: string } = {},
): InputError {
  const { argument, ...rest } = init
  return new InputError(BAD_INPUT, message, {
    ...rest,
    params: argument === undefined ? undefined : { argument },
  })
}

export function oneClass(present: number): InputError {
  return new InputError(
    ONE_CLASS,
    `Only one class present in the true labels (${present}): the metric is not defined.`,
    { expected: 'both classes 0 and 1', found: `only ${present}`, params: { present } },
  )
}

export function checkNotEmpty(argument: string, values: ArrayLike<unknown>): void {
  if (values.length === 0) {
    throw badInput(`${argument} is empty.`, { argument, expected: 'at least one value', found: 'none' })
  }
}

export function checkSameLength(
  argument: string,
  values: ArrayLike<unknown>,
  reference: string,
  n: number,
): void {
  if (values.length !== n) {
    throw badInput(`${argument} has ${values.length} values but ${reference} has ${n}.`, {
      argument,
      expected: `${n} values`,
      found: `${values.length}`,
    })
  }
}

/** Binary functions take labels 0 (negative) and 1 (positive), nothing else. */
export function checkBinaryLabels(argument: string, labels: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]
    if (v !== 0 && v !== 1) {
      throw badInput(`${argument} must hold only 0 and 1.`, {
        argument,
        record: i + 1,
        expected: '0 or 1',
        found: String(v),
      })
    }
  }
}

/** Class labels of multi-class metrics: integers (class codes), as scikit-learn rejects continuous targets. */
export function checkClassLabels(argument: string, labels: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!
    if (!Number.isInteger(v)) {
      throw badInput(`${argument} must hold integer class labels.`, {
        argument,
        record: i + 1,
        expected: 'an integer',
        found: String(v),
      })
    }
  }
}

/** Scores may be any finite number (probabilities, logits, decision values); sklearn rejects NaN and ±inf. */
export function checkFinite(argument: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    // `v - v` is NaN exactly for NaN and ±Infinity, in one comparison.
    if (v - v !== 0) {
      throw badInput(`${argument} must be finite numbers.`, {
        argument,
        record: i + 1,
        expected: 'a finite number',
        found: String(v),
      })
    }
  }
}

/**
 * Sample weights: same length as the labels, finite and non-negative, not all zero (a weighted mean over
 * nothing is undefined). Returns the weights, or undefined when there are none.
 */
export function checkSampleWeight(
  weights: ArrayLike<number> | undefined,
  n: number,
): ArrayLike<number> | undefined {
  if (weights === undefined) return undefined
  checkSameLength('sampleWeight', weights, 'the labels', n)
  let total = 0
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!
    if (!(w >= 0) || w === Infinity) {
      throw badInput('sampleWeight must be finite and non-negative.', {
        argument: 'sampleWeight',
        record: i + 1,
        expected: 'a finite number ≥ 0',
        found: String(w),
      })
    }
    total += w
  }
  if (total === 0) {
    throw badInput('sampleWeight sums to zero.', {
      argument: 'sampleWeight',
      expected: 'some weight above 0',
      found: 'all 0',
    })
  }
  return weights
}
