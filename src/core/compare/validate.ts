/**
 * Checks shared by the comparison statistics. Labels and scores are the same input as the metrics', so they
 * fail with the metrics' codes (`metrics.bad_input`, `metrics.one_class`, translated once); what is specific
 * to comparing fails with `compare.bad_option` (a parameter out of range) or `compare.too_few` (a class too
 * small for the statistic) or `compare.undefined_metric` (a metric function gave NaN or ±Infinity).
 */
import { InputError } from '../../shared/errors'
import { checkBinaryLabels, checkFinite, checkNotEmpty, checkSameLength, oneClass } from '../metrics/validate'

export const BAD_OPTION = 'compare.bad_option'
export const TOO_FEW = 'compare.too_few'
export const UNDEFINED_METRIC = 'compare.undefined_metric'

export function badOption(option: string, expected: string, found: unknown): InputError {
  return new InputError(BAD_OPTION, `The option ${option} must be ${expected}.`, {
    expected,
    found: String(found),
    params: { option },
  })
}

/** Labels 0/1 with both classes present, and one or more score arrays of the same length, all finite. */
export function checkLabelledScores(
  yTrue: ArrayLike<number>,
  scores: Record<string, ArrayLike<number>>,
): { positives: number; negatives: number } {
  checkNotEmpty('yTrue', yTrue)
  checkBinaryLabels('yTrue', yTrue)
  for (const [name, values] of Object.entries(scores)) {
    checkSameLength(name, values, 'yTrue', yTrue.length)
    checkFinite(name, values)
  }
  let positives = 0
  for (let i = 0; i < yTrue.length; i++) positives += yTrue[i]!
  const negatives = yTrue.length - positives
  if (positives === 0) throw oneClass(0)
  if (negatives === 0) throw oneClass(1)
  return { positives, negatives }
}

/** A whole number in [min, max], or the default when undefined. */
export function intOption(
  option: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  const v = value ?? fallback
  if (!Number.isInteger(v) || v < min || v > max)
    throw badOption(option, `a whole number in ${min} … ${max}`, v)
  return v
}

/** A significance level (or other probability) strictly between 0 and 1. */
export function alphaOption(value: number | undefined, fallback = 0.05): number {
  const v = value ?? fallback
  if (!(v > 0 && v < 1)) throw badOption('alpha', 'a number between 0 and 1 (e.g. 0.05)', v)
  return v
}

/** A p-value: a number in [0, 1]. */
export function checkP(p: number, argument = 'p'): number {
  if (!(p >= 0 && p <= 1)) throw badOption(argument, 'a p-value between 0 and 1', p)
  return p
}
