/**
 * Labels as splits and weights see them: classes (binary 0/1, integer codes or names) or numbers to be
 * binned by quantile. Shared by ./stratified, ./kfold, ./summary and ../imbalance/weights, so that "a class"
 * means the same thing everywhere.
 *
 * Classes are the distinct labels sorted as numpy's `np.unique` sorts them (numbers ascending, names by code
 * unit), which is also the order scikit-learn reports classes in.
 */
import { InputError } from '../../shared/errors'

export type Label = number | string
/** One label per record: class codes / 0-1 / numeric targets, or class names. */
export type Labels = ArrayLike<number> | readonly string[]

export interface EncodedClasses {
  /** The distinct labels, sorted. */
  classes: Label[]
  /** Per record: index into `classes`. */
  codes: Int32Array
  /** Per class: number of records. */
  counts: Int32Array
}

/** How a numeric target is turned into strata: quantile bins (see `quantileBins`). */
export interface NumericStrata {
  /** Number of quantile bins; default 10. */
  bins?: number
}

export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const x = String(a)
  const y = String(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/**
 * Checks labels and encodes them as classes. `errorCode` is the caller's (`splits.bad_labels`,
 * `weights.bad_labels`). Numbers must be finite integers: a non-integer label means a numeric target, which
 * must be binned first (`numeric` option of the splits), as scikit-learn refuses to stratify continuous targets.
 */
export function encodeClasses(labels: Labels, errorCode: string, argument = 'labels'): EncodedClasses {
  const n = labels.length
  const index = new Map<Label, number>()
  const distinct: Label[] = []
  for (let i = 0; i < n; i++) {
    const label = labels[i]!
    if (typeof label === 'number') {
      if (!Number.isFinite(label) || !Number.isInteger(label)) {
        throw new InputError(errorCode, `The ${argument} must be classes: whole numbers or names.`, {
          record: i + 1,
          expected: 'a whole number or a name (numeric targets are binned with the numeric option)',
          found: String(label),
          params: { argument },
        })
      }
    } else if (typeof label !== 'string') {
      throw new InputError(errorCode, `The ${argument} must be classes: whole numbers or names.`, {
        record: i + 1,
        expected: 'a whole number or a name',
        found: String(label),
        params: { argument },
      })
    }
    if (!index.has(label)) {
      index.set(label, -1)
      distinct.push(label)
    }
  }
  if (distinct.some((l) => typeof l === 'number') && distinct.some((l) => typeof l === 'string')) {
    throw new InputError(errorCode, `The ${argument} mix numbers and names.`, {
      expected: 'all numbers or all names',
      found: 'both',
      params: { argument },
    })
  }
  distinct.sort(compareLabels)
  distinct.forEach((label, c) => index.set(label, c))
  const codes = new Int32Array(n)
  const counts = new Int32Array(distinct.length)
  for (let i = 0; i < n; i++) {
    const c = index.get(labels[i]!)!
    codes[i] = c
    counts[c]! += 1
  }
  return { classes: distinct, codes, counts }
}

/**
 * Quantile bins of a numeric target, as classes 0 … bins − 1: edges at the values of rank ⌊q·n/bins⌋ of the
 * sorted targets, a value's bin is the number of edges ≤ it. Equal values always share a bin, so heavily
 * tied targets give fewer (non-empty) bins than asked for.
 */
export function quantileBins(values: ArrayLike<number>, bins: number, errorCode: string): Int32Array {
  if (!Number.isInteger(bins) || bins < 2) {
    throw new InputError(errorCode, 'The number of quantile bins must be a whole number ≥ 2.', {
      expected: 'a whole number ≥ 2',
      found: String(bins),
      params: { argument: 'bins' },
    })
  }
  const n = values.length
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InputError(errorCode, 'A numeric target must be a finite number.', {
        record: i + 1,
        expected: 'a finite number',
        found: String(v),
        params: { argument: 'labels' },
      })
    }
  }
  const sorted = Float64Array.from(values).sort()
  const edges: number[] = []
  for (let q = 1; q < bins; q++) {
    const edge = sorted[Math.floor((q * n) / bins)]
    if (edge !== undefined && edge !== edges[edges.length - 1]) edges.push(edge)
  }
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    // Number of edges ≤ v: binary search for the first edge > v.
    let lo = 0
    let hi = edges.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (edges[mid]! <= v) lo = mid + 1
      else hi = mid
    }
    out[i] = lo
  }
  return out
}

/** Strata for a split: the classes of class labels, or the quantile bins of a numeric target. */
export function strataOf(
  labels: Labels,
  numeric: boolean | NumericStrata | undefined,
  errorCode: string,
): EncodedClasses {
  if (!numeric) return encodeClasses(labels, errorCode)
  const bins = numeric === true ? 10 : (numeric.bins ?? 10)
  return encodeClasses(quantileBins(labels as ArrayLike<number>, bins, errorCode), errorCode)
}
