/**
 * Bootstrap uncertainty of a metric, and a paired bootstrap test between two models scored on the same
 * samples (Efron & Tibshirani 1993, ch. 13 and 16).
 *
 * - `bootstrapCi`: the percentile interval. Each of `n` resamples draws the samples with replacement, the
 *   metric is computed on it, and the interval is the alpha/2 and 1 − alpha/2 quantiles of those values
 *   (numpy's default linear interpolation). `estimate` is the metric on the data themselves.
 * - `pairedBootstrapTest`: the same resamples for both models (the pairing: one resample, two scores per
 *   sample), the difference A − B on each; the interval of the differences, and a two-sided p-value: the share
 *   of resampled differences on the other side of zero from the observed one (zero counts as the other
 *   side), doubled and capped at 1. With n resamples a p below 2/n cannot be told apart from 0, so p = 0
 *   means "p < 2/n" (the verdict helper words it that way).
 *
 * Stratified by default: positives are drawn from the positives and negatives from the negatives, so every
 * resample keeps the class counts of the data. At 1:200 an unstratified resample of a small test set can lack
 * positives, where AUROC/AUPRC are undefined, and the varying positive rate would widen AUPRC's interval with
 * noise the evaluation never had. With `stratified: false` a resample missing a class is drawn again
 * (documented bias towards resamples with both classes; it is negligible unless positives are very few).
 *
 * 'auroc' and 'auprc' use a sort-once fast path (./ranked); any other metric is a function of the resampled
 * labels and scores. Randomness comes from `Rng.seeded(seed)` only, so the same seed gives the same interval.
 */
import { averagePrecision, rocAuc } from '../metrics'
import { Rng, type Seed } from '../random'
import { RankedScores } from './ranked'
import { alphaOption, badOption, checkLabelledScores, intOption, TOO_FEW, UNDEFINED_METRIC } from './validate'
import { InputError } from '../../shared/errors'

/** A metric of labels and scores; larger is better or not, the statistics do not care. */
export type MetricFunction = (yTrue: Uint8Array, scores: Float64Array) => number
export type Metric = 'auroc' | 'auprc' | MetricFunction

export interface ResampleOptions {
  /** Number of resamples (default 1000). */
  n?: number
  /** The seed of the resampling (required: stored with the comparison so it can be reproduced). */
  seed: Seed
  /** Resample within each class (default true). */
  stratified?: boolean
  signal?: AbortSignal
  /** `(done, total, 'bootstrap')` every 100 resamples and at the end. */
  onProgress?: (done: number, total: number, phase: string) => void
}

export interface BootstrapOptions extends ResampleOptions {
  /** 1 − confidence level of the interval (default 0.05: a 95% interval). */
  alpha?: number
}

export interface BootstrapCi {
  /** The metric on the data as they are. */
  estimate: number
  low: number
  high: number
  /** Standard deviation of the resampled values (the bootstrap standard error). */
  se: number
  n: number
  alpha: number
}

export interface PairedBootstrapResult {
  /** metric(A) − metric(B) on the data as they are. */
  diff: number
  estimateA: number
  estimateB: number
  /** Percentile interval of the resampled differences. */
  low: number
  high: number
  /** Two-sided: twice the share of resampled differences on the other side of zero, at most 1. */
  p: number
  n: number
  alpha: number
}

/** Percentile bootstrap confidence interval of a metric. */
export function bootstrapCi(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  metric: Metric,
  options: BootstrapOptions,
): BootstrapCi {
  const alpha = alphaOption(options.alpha)
  const evaluate = evaluator(yTrue, { scores }, metric)
  const estimate = evaluate.onData()[0]!
  const values = new Float64Array(resampleCount(options))
  forEachResample(yTrue, options, (counts, b) => {
    values[b] = evaluate.onCounts(counts)[0]!
  })
  const [low, high] = percentileInterval(values, alpha)
  return { estimate, low, high, se: sampleSd(values), n: values.length, alpha }
}

/** Paired bootstrap test of metric(A) − metric(B) on the same samples (see the module comment). */
export function pairedBootstrapTest(
  yTrue: ArrayLike<number>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  metric: Metric,
  options: BootstrapOptions,
): PairedBootstrapResult {
  const alpha = alphaOption(options.alpha)
  const evaluate = evaluator(yTrue, { scoresA, scoresB }, metric)
  const [estimateA, estimateB] = evaluate.onData() as [number, number]
  const diff = estimateA - estimateB
  const diffs = new Float64Array(resampleCount(options))
  forEachResample(yTrue, options, (counts, b) => {
    const [a, bb] = evaluate.onCounts(counts) as [number, number]
    diffs[b] = a - bb
  })
  const [low, high] = percentileInterval(diffs, alpha)
  return { diff, estimateA, estimateB, low, high, p: pairedP(diff, diffs), n: diffs.length, alpha }
}

/** Twice the share of resampled differences at or beyond zero on the side opposite the observed one. */
export function pairedP(observed: number, resampled: ArrayLike<number>): number {
  if (observed === 0 || resampled.length === 0) return 1
  let across = 0
  for (let b = 0; b < resampled.length; b++) {
    if (observed > 0 ? resampled[b]! <= 0 : resampled[b]! >= 0) across++
  }
  return Math.min(1, (2 * across) / resampled.length)
}

/**
 * The q-quantile of values sorted increasingly, by linear interpolation between order statistics
 * (numpy's default `method='linear'`, Hyndman & Fan type 7).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

function percentileInterval(values: Float64Array, alpha: number): [number, number] {
  const sorted = Float64Array.from(values).sort()
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)]
}

function sampleSd(values: Float64Array): number {
  if (values.length < 2) return 0
  let mean = 0
  for (const v of values) mean += v
  mean /= values.length
  let ss = 0
  for (const v of values) ss += (v - mean) ** 2
  return Math.sqrt(ss / (values.length - 1))
}

function resampleCount(options: ResampleOptions): number {
  return intOption('n', options.n, 1000, 1, 1_000_000)
}

interface Evaluator {
  /** The metric of each score array on the data as they are. */
  onData(): number[]
  /** The metric of each score array on the samples taken counts[i] times. */
  onCounts(counts: Uint32Array): number[]
}

/** Validates the input and returns the metric both ways; the fast path for 'auroc' and 'auprc'. */
function evaluator(
  yTrue: ArrayLike<number>,
  scores: Record<string, ArrayLike<number>>,
  metric: Metric,
): Evaluator {
  checkLabelledScores(yTrue, scores)
  const arrays = Object.values(scores)
  if (metric === 'auroc' || metric === 'auprc') {
    const ranked = arrays.map((s) => new RankedScores(yTrue, s))
    const direct = metric === 'auroc' ? rocAuc : averagePrecision
    return {
      onData: () => arrays.map((s) => direct(yTrue, s)),
      onCounts: (counts) => ranked.map((r) => r.areas(counts)[metric]),
    }
  }
  if (typeof metric !== 'function') throw badOption('metric', "'auroc', 'auprc' or a function", metric)
  const labels = Uint8Array.from(yTrue)
  const values = arrays.map((s) => Float64Array.from(s))
  const finite = (value: number, where: string): number => {
    if (!Number.isFinite(value)) {
      throw new InputError(UNDEFINED_METRIC, `The metric is not a finite number on ${where}.`, {
        expected: 'a finite number on the data and on every resample',
        found: String(value),
      })
    }
    return value
  }
  return {
    onData: () => values.map((s) => finite(metric(labels, s), 'the data')),
    onCounts: (counts) => {
      let total = 0
      for (const c of counts) total += c
      const y = new Uint8Array(total)
      const picked = values.map(() => new Float64Array(total))
      // Samples in index order, each repeated as often as drawn: the same multiset the fast path counts.
      let k = 0
      for (let i = 0; i < counts.length; i++) {
        for (let c = counts[i]!; c > 0; c--, k++) {
          y[k] = labels[i]!
          for (let m = 0; m < values.length; m++) picked[m]![k] = values[m]![i]!
        }
      }
      return picked.map((s) => finite(metric(y, s), 'a resample'))
    },
  }
}

/**
 * Calls `visit(counts, b)` for each of the n resamples, `counts[i]` being how often sample i was drawn.
 * The counts array is reused between calls.
 */
function forEachResample(
  yTrue: ArrayLike<number>,
  options: ResampleOptions,
  visit: (counts: Uint32Array, b: number) => void,
): void {
  const n = resampleCount(options)
  const stratified = options.stratified ?? true
  if (typeof stratified !== 'boolean') throw badOption('stratified', 'true or false', stratified)
  const rng = Rng.seeded(options.seed).fork('bootstrap')
  const positiveList: number[] = []
  const negativeList: number[] = []
  for (let i = 0; i < yTrue.length; i++) (yTrue[i] === 1 ? positiveList : negativeList).push(i)
  const positives = Uint32Array.from(positiveList)
  const negatives = Uint32Array.from(negativeList)
  const labels = Uint8Array.from(yTrue)
  const counts = new Uint32Array(yTrue.length)
  for (let b = 0; b < n; b++) {
    if (b % 100 === 0) {
      options.signal?.throwIfAborted()
      if (b > 0) options.onProgress?.(b, n, 'bootstrap')
    }
    counts.fill(0)
    if (stratified) {
      drawInto(counts, positives, rng)
      drawInto(counts, negatives, rng)
    } else {
      drawBothClasses(counts, labels, rng)
    }
    visit(counts, b)
  }
  options.onProgress?.(n, n, 'bootstrap')
}

/** Draws `pool.length` indices from `pool` with replacement, counting them. */
function drawInto(counts: Uint32Array, pool: Uint32Array, rng: Rng): void {
  for (let k = 0; k < pool.length; k++) counts[pool[uniformIndex(rng, pool.length)]!]!++
}

const TWO_POW_32 = 0x1_0000_0000

/**
 * The same number as `rng.int(n)` (same rejection of the short last block, same draws), without its argument
 * check on every one of the ~10^7 calls of a bootstrap.
 */
function uniformIndex(rng: Rng, n: number): number {
  const limit = TWO_POW_32 - (TWO_POW_32 % n)
  for (;;) {
    const value = rng.next()
    if (value < limit) return value % n
  }
}

const MAX_REDRAWS = 1000

/** An unstratified resample of all samples, drawn again while it lacks a class. */
function drawBothClasses(counts: Uint32Array, yTrue: Uint8Array, rng: Rng): void {
  const n = yTrue.length
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    counts.fill(0)
    let positives = 0
    for (let k = 0; k < n; k++) {
      const i = uniformIndex(rng, n)
      counts[i]!++
      positives += yTrue[i]!
    }
    if (positives > 0 && positives < n) return
  }
  throw new InputError(TOO_FEW, 'Too few samples of one class for an unstratified bootstrap.', {
    expected: 'resamples that hold both classes (or stratified: true)',
    found: `${MAX_REDRAWS} resamples in a row with one class only`,
  })
}
