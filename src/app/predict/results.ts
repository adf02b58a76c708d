/**
 * Finished predictions, kept in the services' memory by job id (the last `KEPT` of them, until the app
 * closes: export one to keep it), and how they are read back: the summary, a page of rows in input order or
 * by score, and a scan's score track for the chart (window centres; the highest score of each run of
 * windows when there are more windows than points, so a peak is never averaged away).
 */
import type { PredictRow, PredictSummary, ScanRegion } from '../../shared/contract-predict'
import { InputError } from '../../shared/errors'

interface Common {
  projectId: string
  experimentId: number
  experimentName: string
  threshold: number | null
  classNames: [string, string]
  /** The model's window length. */
  length: number
  scores: Float64Array
  fileName: string | null
}

export interface SequencesResult extends Common {
  kind: 'sequences'
  ids: string[]
  /** Per row: the window's start in its sequence, −1 for a whole sequence. */
  windowStart: Int32Array
  windowed: number
}

export interface ScanResult extends Common {
  kind: 'scan'
  chrom: string
  region: ScanRegion
  stride: number
  /** Genome start of each window, ascending. */
  starts: Int32Array
  skippedWithN: number
}

export type PredictionResult = SequencesResult | ScanResult

const KEPT = 8

export class PredictionResults {
  private readonly byJob = new Map<string, PredictionResult>()
  private readonly orders = new WeakMap<PredictionResult, Int32Array>()

  put(jobId: string, result: PredictionResult): void {
    this.byJob.set(jobId, result)
    while (this.byJob.size > KEPT) this.byJob.delete(this.byJob.keys().next().value!)
  }

  /** The result of a finished job of this project, or `predict.no_result`. */
  get(projectId: string, jobId: string): PredictionResult {
    const result = this.byJob.get(jobId)
    if (!result || result.projectId !== projectId) {
      throw new InputError(
        'predict.no_result',
        'This prediction is not available: it has not finished, or it was made before SeqLab was restarted',
        { expected: 'a finished prediction', found: jobId },
      )
    }
    return result
  }

  /** Row indices by score, highest first (ties in input order); computed once per result. */
  byScore(result: PredictionResult): Int32Array {
    let order = this.orders.get(result)
    if (!order) {
      const scores = result.scores
      order = Int32Array.from({ length: scores.length }, (_, i) => i).sort(
        (a, b) => scores[b]! - scores[a]! || a - b,
      )
      this.orders.set(result, order)
    }
    return order
  }
}

export function callOf(result: PredictionResult, i: number): 0 | 1 | null {
  if (result.threshold === null) return null
  return result.scores[i]! >= result.threshold ? 1 : 0
}

export function rowId(result: PredictionResult, i: number): string {
  if (result.kind === 'sequences') return result.ids[i]!
  const start = result.starts[i]!
  return `${result.chrom}:${start}-${start + result.length}`
}

export function summaryOf(result: PredictionResult): PredictSummary {
  let called = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < result.scores.length; i++) {
    const s = result.scores[i]!
    if (result.threshold !== null && s >= result.threshold) called++
    if (s < min) min = s
    if (s > max) max = s
  }
  const scan = result.kind === 'scan'
  return {
    kind: result.kind,
    experimentId: result.experimentId,
    experimentName: result.experimentName,
    threshold: result.threshold,
    classNames: result.classNames,
    total: result.scores.length,
    called,
    windowed: scan ? 0 : result.windowed,
    region: scan ? result.region : null,
    stride: scan ? result.stride : null,
    length: result.length,
    skippedWithN: scan ? result.skippedWithN : 0,
    fileName: result.fileName,
    minScore: Number.isFinite(min) ? min : null,
    maxScore: Number.isFinite(max) ? max : null,
  }
}

export function rowOf(result: PredictionResult, i: number): PredictRow {
  let start: number | null = null
  let end: number | null = null
  if (result.kind === 'scan') {
    start = result.starts[i]!
    end = start + result.length
  } else if (result.windowStart[i]! >= 0) {
    start = result.windowStart[i]!
    end = start + result.length
  }
  return { index: i, id: rowId(result, i), start, end, score: result.scores[i]!, call: callOf(result, i) }
}

export function rowsPage(
  results: PredictionResults,
  result: PredictionResult,
  options: { offset: number; limit: number; sort: 'input' | 'score'; order: 'asc' | 'desc' },
): { total: number; rows: PredictRow[] } {
  const total = result.scores.length
  const order = options.sort === 'score' ? results.byScore(result) : null
  const rows: PredictRow[] = []
  const end = Math.min(total, options.offset + options.limit)
  for (let k = options.offset; k < end; k++) {
    // Score order is highest first; 'asc' reads it from the other end (input order likewise).
    const position = (options.sort === 'score') === (options.order === 'asc') ? total - 1 - k : k
    rows.push(rowOf(result, order ? order[position]! : position))
  }
  return { total, rows }
}

/** Window centres and scores, at most `maxPoints` (bins keep their highest window). */
export function trackOf(
  result: PredictionResult,
  options: { maxPoints: number; from?: number; to?: number },
): { chrom: string; positions: number[]; scores: number[]; binned: boolean } {
  if (result.kind !== 'scan') {
    throw new InputError('predict.not_a_scan', 'Only a scan of a genome region has a score track', {
      expected: 'a scan of a genome region',
      found: 'scored sequences',
    })
  }
  const half = result.length / 2
  const from = options.from ?? -Infinity
  const to = options.to ?? Infinity
  let first = 0
  while (first < result.starts.length && result.starts[first]! + half < from) first++
  let last = first
  while (last < result.starts.length && result.starts[last]! + half < to) last++
  const count = last - first
  const positions: number[] = []
  const scores: number[] = []
  const binned = count > options.maxPoints
  const per = binned ? Math.ceil(count / options.maxPoints) : 1
  for (let b = first; b < last; b += per) {
    let best = b
    for (let i = b + 1; i < Math.min(last, b + per); i++)
      if (result.scores[i]! > result.scores[best]!) best = i
    positions.push(result.starts[best]! + half)
    scores.push(result.scores[best]!)
  }
  return { chrom: result.chrom, positions, scores, binned }
}
