/**
 * Random over- and under-sampling: the samplers that only pick records, so they apply to any data (feature
 * matrices, and raw sequences or one-hot windows through `resampleIndices(y)`), as imblearn's
 * RandomOverSampler / RandomUnderSampler.
 */
import { Rng } from '../random'
import {
  badParam,
  checkKeys,
  checkLabels,
  checkSeed,
  checkXy,
  gatherRows,
  OutputBuilder,
  rowsOf,
  type AppliesTo,
  type IndexResample,
  type IndexSampler,
  type Resampled,
} from './base'
import { checkStrategyForm, classCounts, resolveStrategy, type SamplingStrategy } from './strategy'
import type { Seed } from '../random'

export interface RandomOverSamplerOptions {
  /** See ./strategy; default 'auto' (every class but the majority up to the majority's count). */
  samplingStrategy?: SamplingStrategy
  seed: Seed
  /**
   * Smoothed bootstrap: a number for every resampled class, or a factor per class. Each drawn record is
   * perturbed by N(0, diag(h·σ)²), σ the class's per-feature standard deviation and
   * h = shrinkage · (4 / ((d + 2) · n))^(1 / (d + 4)) (n = all records), exactly imblearn's formula.
   * Needs numeric features (then `appliesTo` is 'features'). Default: none (plain duplication).
   */
  shrinkage?: number | Readonly<Record<number, number>>
}

/**
 * RandomOverSampler: draws records of each resampled class uniformly with replacement and appends them.
 *
 * Why: the simplest over-sampling, the seed methodology's baseline, and the one that works on raw sequences
 * (duplication, no arithmetic on features). Same as imblearn's, including the smoothed bootstrap; only the
 * random stream differs (xoshiro128** per class, forked from the seed by the class label, instead of numpy's
 * RandomState), so counts are equal and the drawn records differ.
 */
export class RandomOverSampler implements IndexSampler {
  readonly name = 'RandomOverSampler'
  readonly samplingStrategy: SamplingStrategy
  readonly seed: Seed
  readonly shrinkage: number | Readonly<Record<number, number>> | undefined

  constructor(options: RandomOverSamplerOptions) {
    checkKeys(this.name, options, ['samplingStrategy', 'seed', 'shrinkage'])
    this.samplingStrategy = checkStrategyForm(options.samplingStrategy ?? 'auto', 'over-sampling')
    this.seed = checkSeed(options.seed)
    const s = options.shrinkage
    if (s !== undefined) {
      const values =
        typeof s === 'number' ? [s] : s !== null && typeof s === 'object' ? Object.values(s) : [NaN]
      for (const v of values) {
        if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
          throw badParam(
            'shrinkage',
            'The shrinkage must be a finite number ≥ 0 (per class or for all).',
            '≥ 0',
            s,
          )
        }
      }
    }
    this.shrinkage = s
  }

  get appliesTo(): AppliesTo {
    return this.shrinkage === undefined ? 'any' : 'features'
  }

  /** Which records to repeat: the input indices 0 … n−1, then the drawn ones class by class. */
  resampleIndices(yIn: ArrayLike<number>): IndexResample {
    const y = checkLabels(yIn)
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    let extra = 0
    for (const add of targets.values()) extra += add
    const sampleIndices = new Int32Array(y.length + extra)
    const yOut = new Int32Array(y.length + extra)
    for (let i = 0; i < y.length; i++) sampleIndices[i] = i
    yOut.set(y)
    let row = y.length
    const rng = Rng.seeded(this.seed).fork('RandomOverSampler')
    for (const [label, add] of targets) {
      const rows = rowsOf(y, label)
      const stream = rng.fork(`class:${label}`)
      for (let j = 0; j < add; j++) {
        sampleIndices[row] = rows[stream.int(rows.length)]!
        yOut[row++] = label
      }
    }
    return { sampleIndices, y: yOut }
  }

  fitResample(X: Float32Array, yIn: Int32Array): Resampled {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, this.shrinkage !== undefined)
    const { sampleIndices, y: yOut } = this.resampleIndices(y)
    const n = y.length
    const out = new OutputBuilder(X, y, d, yOut.length - n)
    if (this.shrinkage === undefined) {
      for (let r = n; r < yOut.length; r++) {
        const src = sampleIndices[r]!
        out.X.set(X.subarray(src * d, src * d + d), out.next(yOut[r]!, src, false) * d)
      }
      return out.result()
    }
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    const factor = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    const noise = Rng.seeded(this.seed).fork('RandomOverSampler/shrinkage')
    let r = n
    for (const [label] of targets) {
      const shrink = typeof this.shrinkage === 'number' ? this.shrinkage : this.shrinkage[label]
      if (shrink === undefined) {
        throw badParam(
          'shrinkage',
          `The shrinkage has no factor for class ${label}, which is resampled.`,
          'a factor per resampled class',
          this.shrinkage,
        )
      }
      const scale = classStd(X, d, rowsOf(y, label)).map((s) => shrink * factor * s)
      const stream = noise.fork(`class:${label}`)
      for (; r < yOut.length && yOut[r] === label; r++) {
        const src = sampleIndices[r]!
        const o = out.next(label, src, true) * d
        for (let l = 0; l < d; l++) out.X[o + l] = X[src * d + l]! + stream.normal() * scale[l]!
      }
    }
    return out.result()
  }
}

/** Per-feature population standard deviation (ddof 0, as numpy's std) of some rows, float64. */
function classStd(X: Float32Array, d: number, rows: Int32Array): Float64Array {
  const mean = new Float64Array(d)
  for (const i of rows) for (let l = 0; l < d; l++) mean[l]! += X[i * d + l]!
  for (let l = 0; l < d; l++) mean[l]! /= rows.length
  const sd = new Float64Array(d)
  for (const i of rows) {
    for (let l = 0; l < d; l++) {
      const e = X[i * d + l]! - mean[l]!
      sd[l]! += e * e
    }
  }
  for (let l = 0; l < d; l++) sd[l] = Math.sqrt(sd[l]! / rows.length)
  return sd
}

export interface RandomUnderSamplerOptions {
  /** See ./strategy; default 'auto' (every class but the minority down to the minority's count). */
  samplingStrategy?: SamplingStrategy
  seed: Seed
  /** Draw with replacement (a bootstrap of the kept class); default false. */
  replacement?: boolean
}

/**
 * RandomUnderSampler: keeps a uniform random subset of each resampled class (without replacement unless
 * `replacement`), all records of the other classes.
 *
 * Why: discarding majority records is the cheapest balance when the majority is huge (276,216 windows of
 * which 1,168 bind) and works on raw sequences. Output layout as imblearn: grouped by class, classes
 * ascending. Differences: within a class the kept records are in input order (imblearn: in draw order), and
 * the random stream is SeqLab's, so which records are kept differs; counts are equal.
 */
export class RandomUnderSampler implements IndexSampler {
  readonly name = 'RandomUnderSampler'
  readonly appliesTo = 'any' as const
  readonly samplingStrategy: SamplingStrategy
  readonly seed: Seed
  readonly replacement: boolean

  constructor(options: RandomUnderSamplerOptions) {
    checkKeys(this.name, options, ['samplingStrategy', 'seed', 'replacement'])
    this.samplingStrategy = checkStrategyForm(options.samplingStrategy ?? 'auto', 'under-sampling')
    this.seed = checkSeed(options.seed)
    if (options.replacement !== undefined && typeof options.replacement !== 'boolean') {
      throw badParam('replacement', 'replacement must be true or false.', 'a boolean', options.replacement)
    }
    this.replacement = options.replacement ?? false
  }

  resampleIndices(yIn: ArrayLike<number>): IndexResample {
    const y = checkLabels(yIn)
    const counts = classCounts(y)
    const targets = resolveStrategy(this.samplingStrategy, counts, 'under-sampling')
    const rng = Rng.seeded(this.seed).fork('RandomUnderSampler')
    const kept: Int32Array[] = []
    for (const label of counts.classes) {
      const rows = rowsOf(y, label)
      const keep = targets.get(label)
      if (keep === undefined) {
        kept.push(rows)
        continue
      }
      const stream = rng.fork(`class:${label}`)
      let chosen: Int32Array
      if (this.replacement) {
        chosen = new Int32Array(keep)
        for (let j = 0; j < keep; j++) chosen[j] = rows[stream.int(rows.length)]!
      } else {
        // Partial Fisher–Yates: the first `keep` places of a uniform random permutation.
        const pool = Int32Array.from(rows)
        for (let j = 0; j < keep; j++) {
          const t = j + stream.int(pool.length - j)
          const held = pool[j]!
          pool[j] = pool[t]!
          pool[t] = held
        }
        chosen = pool.slice(0, keep)
      }
      kept.push(chosen.sort())
    }
    let total = 0
    for (const k of kept) total += k.length
    const sampleIndices = new Int32Array(total)
    let o = 0
    for (const k of kept) {
      sampleIndices.set(k, o)
      o += k.length
    }
    const yOut = new Int32Array(total)
    for (let j = 0; j < total; j++) yOut[j] = y[sampleIndices[j]!]!
    return { sampleIndices, y: yOut }
  }

  fitResample(X: Float32Array, yIn: Int32Array): Resampled {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, false)
    const { sampleIndices, y: yOut } = this.resampleIndices(y)
    return {
      X: gatherRows(X, d, sampleIndices),
      y: yOut,
      sampleIndices,
      synthetic: new Uint8Array(yOut.length),
    }
  }
}
