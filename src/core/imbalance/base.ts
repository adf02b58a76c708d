/**
 * What every resampler shares: the one interface, input checks and parameter checks.
 *
 * `sampler.fitResample(X, y)` takes a row-major float32 feature matrix `X` [n, d] (d = X.length / n) and
 * integer class labels `y` [n], and returns the resampled `{ X, y, sampleIndices, synthetic }`:
 * - `sampleIndices[i]`: the input row output row i comes from (its bootstrap source for a smoothed bootstrap),
 *   or −1 for a row interpolated between two records (SMOTE family). imblearn has `sample_indices_` only for
 *   the index-based samplers; here every sampler reports it.
 * - `synthetic[i]`: 1 where row i is not a copy of an input row (interpolated or perturbed), else 0.
 * Over-samplers return the input rows first, in order, then the new rows class by class (as imblearn).
 *
 * `appliesTo`: 'features' for samplers that compute with feature values (SMOTE family, smoothed bootstrap,
 * Tomek links), which are meaningless on one-hot or raw sequences; 'any' for samplers that only pick
 * records (random over/under-sampling), which also work on raw sequences through `resampleIndices(y)`.
 */
import { InputError } from '../../shared/errors'
import type { Seed } from '../random'
import { allFinite } from '../simd/finite'

export type AppliesTo = 'features' | 'any'

export interface Resampled {
  /** [m, d] row-major. */
  X: Float32Array
  /** [m] class labels. */
  y: Int32Array
  /** [m] source row of each output row, −1 for an interpolated row. */
  sampleIndices: Int32Array
  /** [m] 1 for a generated row (interpolated or perturbed), 0 for a copy of an input row. */
  synthetic: Uint8Array
}

export interface Sampler {
  /** The estimator's name, as in imblearn ('SMOTE', 'RandomOverSampler', …). */
  readonly name: string
  readonly appliesTo: AppliesTo
  fitResample(X: Float32Array, y: Int32Array): Resampled
}

/** The result of a sampler that only picks records: which input rows, in output order, and their labels. */
export interface IndexResample {
  sampleIndices: Int32Array
  y: Int32Array
}

/** A sampler that works on any records (raw sequences too) by picking indices. */
export interface IndexSampler extends Sampler {
  resampleIndices(y: Int32Array): IndexResample
}

export function isIndexSampler(s: Sampler): s is IndexSampler {
  return s.appliesTo === 'any' && typeof (s as Partial<IndexSampler>).resampleIndices === 'function'
}

export function badParam(param: string, message: string, expected: string, found: unknown): InputError {
  return new InputError('imbalance.bad_param', message, {
    expected,
    found: typeof found === 'string' ? found : (JSON.stringify(found) ?? String(found)),
    params: { param },
  })
}

/** Options objects must only carry known keys: a misspelt `kNeigbors` is an error, not a silent default. */
export function checkKeys(name: string, options: object, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw badParam('options', `${name} takes an options object.`, 'an object', String(options))
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw badParam(key, `${name} has no parameter "${key}".`, allowed.join(', '), key)
    }
  }
}

export function checkSeed(seed: unknown): Seed {
  if (
    (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) ||
    (typeof seed === 'string' && seed)
  ) {
    return seed as Seed
  }
  throw badParam('seed', 'A seed (a whole number ≥ 0 or a text) is required.', 'a seed', String(seed))
}

export function checkInt(param: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw badParam(
      param,
      `${param} must be a whole number ≥ ${min}.`,
      `a whole number ≥ ${min}`,
      String(value),
    )
  }
  return value
}

/** Checks labels (whole numbers in an Int32Array, or any array of them). */
export function checkLabels(y: ArrayLike<number>): Int32Array {
  const out = y instanceof Int32Array ? y : new Int32Array(y.length)
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!
    if (!Number.isInteger(v)) {
      throw new InputError('imbalance.bad_labels', 'Class labels must be whole numbers.', {
        record: i + 1,
        expected: 'a whole number',
        found: String(v),
      })
    }
    out[i] = v
  }
  return out
}

/**
 * Checks X [n, d] against y and returns d. `finite`: every value must be a finite number (samplers that
 * compute with features; imblearn's SMOTE family refuses NaN too).
 */
export function checkXy(X: Float32Array, y: ArrayLike<number>, finite: boolean): number {
  if (!(X instanceof Float32Array)) {
    throw new InputError('imbalance.bad_input', 'The features must be a float32 matrix.', {
      expected: 'a Float32Array [n, d]',
      found: typeof X,
    })
  }
  const n = y.length
  if (n === 0 || X.length % n !== 0 || X.length === 0) {
    throw new InputError('imbalance.bad_input', `The features do not fit ${n} labels.`, {
      expected: `n × d values with n = ${n}, d ≥ 1`,
      found: `${X.length} values`,
    })
  }
  const d = X.length / n
  if (finite) {
    // Fast scan (WebAssembly SIMD where it runs); locate the culprit only when there is one.
    if (allFinite(X)) return d
    for (let i = 0; i < X.length; i++) {
      if (!Number.isFinite(X[i]!)) {
        throw new InputError(
          'imbalance.bad_value',
          'The features contain a value that is not a finite number.',
          {
            record: Math.floor(i / d) + 1,
            expected: 'finite numbers (impute missing values first)',
            found: String(X[i]),
            params: { column: (i % d) + 1 },
          },
        )
      }
    }
  }
  return d
}

/** Row indices of each class, in input order. */
export function rowsOf(y: Int32Array, label: number): Int32Array {
  let count = 0
  for (let i = 0; i < y.length; i++) if (y[i] === label) count++
  const rows = new Int32Array(count)
  let j = 0
  for (let i = 0; i < y.length; i++) if (y[i] === label) rows[j++] = i
  return rows
}

/** Gathers rows of X [n, d] into a new matrix. */
export function gatherRows(X: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d)
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j]!
    out.set(X.subarray(i * d, i * d + d), j * d)
  }
  return out
}

/** A builder for over-sampled outputs: the input first, then appended blocks. */
export class OutputBuilder {
  readonly X: Float32Array
  readonly y: Int32Array
  readonly sampleIndices: Int32Array
  readonly synthetic: Uint8Array
  private filled: number

  constructor(X: Float32Array, y: Int32Array, d: number, extra: number) {
    const n = y.length
    this.X = new Float32Array((n + extra) * d)
    this.X.set(X)
    this.y = new Int32Array(n + extra)
    this.y.set(y)
    this.sampleIndices = new Int32Array(n + extra)
    for (let i = 0; i < n; i++) this.sampleIndices[i] = i
    this.synthetic = new Uint8Array(n + extra)
    this.filled = n
  }

  /** The next output row: its index. */
  next(label: number, source: number, synthetic: boolean): number {
    const row = this.filled++
    this.y[row] = label
    this.sampleIndices[row] = source
    this.synthetic[row] = synthetic ? 1 : 0
    return row
  }

  result(): Resampled {
    if (this.filled !== this.y.length)
      throw new Error(`OutputBuilder: ${this.filled} of ${this.y.length} rows filled`)
    return { X: this.X, y: this.y, sampleIndices: this.sampleIndices, synthetic: this.synthetic }
  }
}
