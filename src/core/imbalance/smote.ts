/**
 * The SMOTE family: SMOTE, Borderline-SMOTE (1 and 2) and ADASYN, as imbalanced-learn 0.10 defines them.
 * Each synthetic record lies on the segment between a record of the class and one of its k nearest
 * neighbours: x_new = x + t · (x_nn − x), t uniform in [0, 1) (difference taken in float32, the sum in float64,
 * stored as float32, as imblearn). Features only (`appliesTo: 'features'`): interpolating one-hot or raw
 * sequences is meaningless, so the UI offers these samplers for k-mer counts, embeddings and histograms only.
 *
 * Neighbours are exact (../neighbors/knn), a record is never its own neighbour, ties go to the smaller
 * index. imblearn queries k + 1 neighbours and drops the first column, assuming it is the record itself; with
 * an exact duplicate sklearn may list the twin first, so imblearn then keeps the record itself as a
 * "neighbour" and drops the twin. Both are at distance 0 with the same coordinates, so the segments and the
 * label counts are the same unless a duplicate carries another class's label.
 *
 * Random draws come from the seed (xoshiro128**, one stream per class), not numpy's RandomState: which
 * records and steps are drawn differs from imblearn, the distributions do not.
 */
import { InputError } from '../../shared/errors'
import { kNeighbors } from '../neighbors/knn'
import { interpolateRows } from './interpolate'
import { Rng, type Seed } from '../random'
import {
  badParam,
  checkInt,
  checkKeys,
  checkLabels,
  checkSeed,
  checkXy,
  gatherRows,
  rowsOf,
  type Resampled,
  type Sampler,
} from './base'
import { checkStrategyForm, classCounts, resolveStrategy, type SamplingStrategy } from './strategy'

/**
 * New rows of one class, appended after the input in class order. `fill` writes its `count` rows straight
 * into the output matrix from row `row` on: no per-class buffer, no second copy (at 60,000 × 1,280 the
 * synthetic block alone is 300 MB).
 */
interface Block {
  label: number
  count: number
  fill: (out: Float32Array, row: number) => void
}

/**
 * The output: one preallocated matrix, the input rows copied in one `set`, then each class's new rows
 * written in place. Everything random was drawn by the class's own stream, so the order of filling does
 * not change the result.
 */
function assemble(X: Float32Array, y: Int32Array, d: number, blocks: Block[]): Resampled {
  const n = y.length
  let total = n
  for (const b of blocks) total += b.count
  const Xo = new Float32Array(total * d)
  Xo.set(X)
  const yo = new Int32Array(total)
  yo.set(y)
  const sampleIndices = new Int32Array(total)
  for (let i = 0; i < n; i++) sampleIndices[i] = i
  sampleIndices.fill(-1, n)
  const synthetic = new Uint8Array(total)
  let row = n
  for (const b of blocks) {
    b.fill(Xo, row)
    yo.fill(b.label, row, row + b.count)
    synthetic.fill(1, row, row + b.count)
    row += b.count
  }
  return { X: Xo, y: yo, sampleIndices, synthetic }
}

function tooFew(param: string, label: number, have: number, k: number): InputError {
  return new InputError(
    'imbalance.too_few_samples',
    `${param} = ${k} needs at least ${k + 1} records of class ${label}; it has ${have}.`,
    { expected: `${param} ≤ ${have - 1}`, found: String(k), params: { param, label, count: have } },
  )
}

/** The k nearest neighbours of `queries` (local rows of Xc, or all rows) within the class matrix Xc. */
function classNeighbours(
  Xc: Float32Array,
  d: number,
  k: number,
  label: number,
  param: string,
  queryRows?: ArrayLike<number>,
): Int32Array {
  const have = Xc.length / d
  if (k > have - 1) throw tooFew(param, label, have, k)
  return kNeighbors(Xc, d, queryRows === undefined ? { k } : { k, queryRows }).indices
}

/**
 * Fills `out` (count rows) with SMOTE samples: a (base, neighbour) pair drawn uniformly from the
 * nBase × k pairs, then x = base + step · t · (neighbour − base), t uniform in [0, 1); imblearn's `_make_samples`.
 */
function makeSamples(
  out: Float32Array,
  count: number,
  d: number,
  base: Float32Array,
  baseRows: ArrayLike<number>,
  neighbours: Int32Array,
  k: number,
  nnData: Float32Array,
  step: number,
  rng: Rng,
  offset = 0,
): void {
  const pairs = baseRows.length * k
  const aRows = new Int32Array(count)
  const bRows = new Int32Array(count)
  const steps = new Float64Array(count)
  for (let s = 0; s < count; s++) {
    const pick = rng.int(pairs)
    aRows[s] = baseRows[Math.floor(pick / k)]!
    bRows[s] = neighbours[pick]!
    steps[s] = step * rng.float()
  }
  interpolateRows(out, offset, d, base, aRows, nnData, bRows, steps, count)
}

function allRows(n: number): Int32Array {
  const rows = new Int32Array(n)
  for (let i = 0; i < n; i++) rows[i] = i
  return rows
}

export interface SMOTEOptions {
  /** See ./strategy; default 'auto'. */
  samplingStrategy?: SamplingStrategy
  /** Neighbours within the class to interpolate towards; default 5. */
  kNeighbors?: number
  seed: Seed
}

/**
 * SMOTE (Chawla et al. 2002): for each resampled class, new records on segments between a record of the
 * class and one of its k nearest neighbours in the class.
 *
 * Why: duplicates (random over-sampling) make a classifier memorise the few positives; interpolation spreads
 * them over the region they span. Same as imblearn's SMOTE (counts, neighbour sets, sampling of pairs and
 * steps); only the random stream differs.
 */
export class SMOTE implements Sampler {
  readonly name: string = 'SMOTE'
  readonly appliesTo = 'features' as const
  readonly samplingStrategy: SamplingStrategy
  readonly kNeighbors: number
  readonly seed: Seed

  constructor(options: SMOTEOptions) {
    checkKeys('SMOTE', options, ['samplingStrategy', 'kNeighbors', 'seed'])
    this.samplingStrategy = checkStrategyForm(options.samplingStrategy ?? 'auto', 'over-sampling')
    this.kNeighbors = checkInt('kNeighbors', options.kNeighbors ?? 5, 1)
    this.seed = checkSeed(options.seed)
  }

  fitResample(X: Float32Array, yIn: Int32Array): Resampled {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    const rng = Rng.seeded(this.seed).fork('SMOTE')
    const k = this.kNeighbors
    const blocks: Block[] = []
    for (const [label, add] of targets) {
      if (add === 0) continue
      const Xc = gatherRows(X, d, rowsOf(y, label))
      const nn = classNeighbours(Xc, d, k, label, 'kNeighbors')
      const stream = rng.fork(`class:${label}`)
      const baseRows = allRows(Xc.length / d)
      blocks.push({
        label,
        count: add,
        fill: (out, row) => makeSamples(out, add, d, Xc, baseRows, nn, k, Xc, 1, stream, row),
      })
    }
    return assemble(X, y, d, blocks)
  }
}

export type BorderlineKind = 'borderline-1' | 'borderline-2'

export interface BorderlineSMOTEOptions {
  samplingStrategy?: SamplingStrategy
  /** Neighbours to interpolate towards; default 5. */
  kNeighbors?: number
  /** Neighbours (among all records) that decide whether a record is in danger; default 10. */
  mNeighbors?: number
  kind?: BorderlineKind
  seed: Seed
}

/**
 * Borderline-SMOTE (Han et al. 2005): SMOTE from the records near the class border only. A record of the
 * class is in DANGER when at least half, but not all, of its m nearest neighbours (all records) belong to
 * other classes: m/2 ≤ m' < m. Records with m' = m are taken as noise, those with m' < m/2 as safe; neither
 * seeds new records. A class without danger records gets none (as imblearn).
 *
 * - 'borderline-1': segments from a danger record to one of its k nearest neighbours in its class.
 * - 'borderline-2': a share f ~ Beta(10, 10) of the new records as in borderline-1; the rest with step
 *   t ∈ [0, 0.5) towards one of the danger record's k nearest records of the other classes.
 *
 * Same as imblearn 0.10 for the DANGER set, the neighbour sets and borderline-1 (counts exact). Borderline-2
 * differs on purpose: imblearn 0.10 indexes the other classes' records with the class-neighbour indices (so
 * its "neighbours" there are arbitrary records; fixed in later imblearn), and its two parts,
 * int(f·(n+1)) + int((1−f)·n), add up to n or n − 1; here the other-class part uses true nearest neighbours
 * and the parts add up to exactly n.
 */
export class BorderlineSMOTE implements Sampler {
  readonly name = 'BorderlineSMOTE'
  readonly appliesTo = 'features' as const
  readonly samplingStrategy: SamplingStrategy
  readonly kNeighbors: number
  readonly mNeighbors: number
  readonly kind: BorderlineKind
  readonly seed: Seed

  constructor(options: BorderlineSMOTEOptions) {
    checkKeys(this.name, options, ['samplingStrategy', 'kNeighbors', 'mNeighbors', 'kind', 'seed'])
    this.samplingStrategy = checkStrategyForm(options.samplingStrategy ?? 'auto', 'over-sampling')
    this.kNeighbors = checkInt('kNeighbors', options.kNeighbors ?? 5, 1)
    this.mNeighbors = checkInt('mNeighbors', options.mNeighbors ?? 10, 1)
    const kind = options.kind ?? 'borderline-1'
    if (kind !== 'borderline-1' && kind !== 'borderline-2') {
      throw badParam(
        'kind',
        `Unknown Borderline-SMOTE kind "${String(kind)}".`,
        "'borderline-1' or 'borderline-2'",
        kind,
      )
    }
    this.kind = kind
    this.seed = checkSeed(options.seed)
  }

  /**
   * The DANGER mask of each resampled class (per record of the class, in input order): 1 where
   * m/2 ≤ (neighbours of other classes among the m nearest) < m.
   */
  dangerSets(X: Float32Array, yIn: Int32Array): Map<number, Uint8Array> {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    const out = new Map<number, Uint8Array>()
    for (const [label] of targets) out.set(label, this.danger(X, y, d, label))
    return out
  }

  private danger(X: Float32Array, y: Int32Array, d: number, label: number): Uint8Array {
    const m = this.mNeighbors
    if (m > y.length - 1) throw tooFew('mNeighbors', label, y.length, m)
    const rows = rowsOf(y, label)
    const nn = kNeighbors(X, d, { k: m, queryRows: rows }).indices
    const mask = new Uint8Array(rows.length)
    for (let q = 0; q < rows.length; q++) {
      let other = 0
      for (let t = 0; t < m; t++) if (y[nn[q * m + t]!] !== label) other++
      mask[q] = 2 * other >= m && other < m ? 1 : 0
    }
    return mask
  }

  fitResample(X: Float32Array, yIn: Int32Array): Resampled {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    const rng = Rng.seeded(this.seed).fork(`BorderlineSMOTE/${this.kind}`)
    const k = this.kNeighbors
    const blocks: Block[] = []
    for (const [label, add] of targets) {
      if (add === 0) continue
      const mask = this.danger(X, y, d, label)
      const danger: number[] = []
      mask.forEach((v, q) => v && danger.push(q))
      if (danger.length === 0) continue
      const rows = rowsOf(y, label)
      const Xc = gatherRows(X, d, rows)
      const nn = classNeighbours(Xc, d, k, label, 'kNeighbors', danger)
      const stream = rng.fork(`class:${label}`)
      if (this.kind === 'borderline-1') {
        blocks.push({
          label,
          count: add,
          fill: (out, row) => makeSamples(out, add, d, Xc, danger, nn, k, Xc, 1, stream, row),
        })
      } else {
        const f = beta10(stream)
        const first = Math.min(add, Math.trunc(f * (add + 1)))
        const others: number[] = []
        y.forEach((v, i) => v !== label && others.push(i))
        const Xo = gatherRows(X, d, others)
        if (k > others.length) throw tooFew('kNeighbors', label, others.length + 1, k)
        const nnOther = kNeighbors(Xo, d, { k, queries: gatherRows(Xc, d, danger) }).indices
        blocks.push({
          label,
          count: add,
          fill: (out, row) => {
            makeSamples(out, first, d, Xc, danger, nn, k, Xc, 1, stream, row)
            makeSamples(out, add - first, d, Xc, danger, nnOther, k, Xo, 0.5, stream, row + first)
          },
        })
      }
    }
    return assemble(X, y, d, blocks)
  }
}

/** Beta(10, 10): the 10th smallest of 19 uniforms (an order statistic, exact). */
function beta10(rng: Rng): number {
  const u = Array.from({ length: 19 }, () => rng.float())
  u.sort((a, b) => a - b)
  return u[9]!
}

export interface ADASYNOptions {
  samplingStrategy?: SamplingStrategy
  /** Neighbours for the hardness ratio (among all records) and for interpolation (in the class); default 5. */
  nNeighbors?: number
  seed: Seed
}

export interface AdasynAllocation {
  /** Per record of the class (input order): r_i = (other-class neighbours / k), normalised to sum 1. */
  ratio: Float64Array
  /** Per record of the class: g_i = rint(r_i · n_to_add) (half to even), the new records it seeds. */
  counts: Int32Array
}

/**
 * ADASYN (He et al. 2008): SMOTE that generates more records around the class's hard records. With m_i the
 * number of its k nearest neighbours (all records) from other classes, record i seeds
 * g_i = rint(n · r_i) new records, r_i = (m_i / k) / Σ_j (m_j / k); each towards one of its k nearest
 * neighbours in the class, step uniform in [0, 1).
 *
 * Same as imblearn 0.10: the ratios are computed with the same float64 operations (numpy's pairwise sum
 * included) and rounded half to even as `np.rint`, so the g_i and hence the class counts after resampling
 * are exactly imblearn's (they may differ from the strategy's target by rounding, as imblearn's do). A class
 * whose records have no other-class neighbour at all is an error (`imbalance.no_hard_samples`; imblearn's
 * RuntimeError), as is an allocation that rounds to nothing (`imbalance.nothing_generated`).
 */
export class ADASYN implements Sampler {
  readonly name = 'ADASYN'
  readonly appliesTo = 'features' as const
  readonly samplingStrategy: SamplingStrategy
  readonly nNeighbors: number
  readonly seed: Seed

  constructor(options: ADASYNOptions) {
    checkKeys(this.name, options, ['samplingStrategy', 'nNeighbors', 'seed'])
    this.samplingStrategy = checkStrategyForm(options.samplingStrategy ?? 'auto', 'over-sampling')
    this.nNeighbors = checkInt('nNeighbors', options.nNeighbors ?? 5, 1)
    this.seed = checkSeed(options.seed)
  }

  /** The deterministic part: r_i and g_i for each resampled class (classes with nothing to add left out). */
  allocation(X: Float32Array, yIn: Int32Array): Map<number, AdasynAllocation> {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    const out = new Map<number, AdasynAllocation>()
    for (const [label, add] of targets) if (add > 0) out.set(label, this.allocate(X, y, d, label, add))
    return out
  }

  private allocate(X: Float32Array, y: Int32Array, d: number, label: number, add: number): AdasynAllocation {
    const k = this.nNeighbors
    if (k > y.length - 1) throw tooFew('nNeighbors', label, y.length, k)
    const rows = rowsOf(y, label)
    const nn = kNeighbors(X, d, { k, queryRows: rows }).indices
    const ratio = new Float64Array(rows.length)
    for (let q = 0; q < rows.length; q++) {
      let other = 0
      for (let t = 0; t < k; t++) if (y[nn[q * k + t]!] !== label) other++
      ratio[q] = other / k
    }
    const sum = pairwiseSum(ratio, 0, ratio.length)
    if (sum === 0) {
      throw new InputError(
        'imbalance.no_hard_samples',
        `No record of class ${label} has a neighbour of another class: ADASYN cannot weigh them (use SMOTE).`,
        { expected: 'records near other classes', found: 'none', params: { label } },
      )
    }
    const counts = new Int32Array(rows.length)
    for (let q = 0; q < rows.length; q++) {
      ratio[q] = ratio[q]! / sum
      counts[q] = rintHalfEven(ratio[q]! * add)
    }
    return { ratio, counts }
  }

  fitResample(X: Float32Array, yIn: Int32Array): Resampled {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const targets = resolveStrategy(this.samplingStrategy, classCounts(y), 'over-sampling')
    const rng = Rng.seeded(this.seed).fork('ADASYN')
    const k = this.nNeighbors
    const blocks: Block[] = []
    for (const [label, add] of targets) {
      if (add === 0) continue
      const { counts } = this.allocate(X, y, d, label, add)
      let total = 0
      for (const g of counts) total += g
      if (total === 0) {
        throw new InputError('imbalance.nothing_generated', `ADASYN would add no record to class ${label}.`, {
          expected: 'at least one new record',
          found: '0',
          params: { label, param: 'samplingStrategy' },
        })
      }
      const Xc = gatherRows(X, d, rowsOf(y, label))
      const nn = classNeighbours(Xc, d, k, label, 'nNeighbors')
      const stream = rng.fork(`class:${label}`)
      const fill = (out: Float32Array, row: number): void => {
        const aRows = new Int32Array(total)
        const bRows = new Int32Array(total)
        const steps = new Float64Array(total)
        let s = 0
        for (let q = 0; q < counts.length; q++) {
          for (let g = 0; g < counts[q]!; g++, s++) {
            aRows[s] = q
            bRows[s] = nn[q * k + stream.int(k)]!
            steps[s] = stream.float()
          }
        }
        interpolateRows(out, row, d, Xc, aRows, Xc, bRows, steps, total)
      }
      blocks.push({ label, count: total, fill })
    }
    return assemble(X, y, d, blocks)
  }
}

/** numpy's pairwise summation of a contiguous float64 array (np.sum), for bit-identical sums. */
export function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0
    for (let i = 0; i < n; i++) res += a[start + i]!
    return res
  }
  if (n <= 128) {
    const r = Array.from(a.subarray(start, start + 8))
    let i = 8
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!))
    for (; i < n; i++) res += a[start + i]!
    return res
  }
  let n2 = Math.floor(n / 2)
  n2 -= n2 % 8
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2)
}

/** np.rint: the nearest whole number, halves to even. */
export function rintHalfEven(x: number): number {
  const f = Math.floor(x)
  const diff = x - f
  if (diff > 0.5) return f + 1
  if (diff < 0.5) return f
  return f % 2 === 0 ? f : f + 1
}
