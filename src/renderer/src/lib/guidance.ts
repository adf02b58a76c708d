/**
 * The plain-language reading of a class balance (UI.md: "1 positive in 235: accuracy is meaningless here;
 * watch AUPRC"). Pure: it returns which message applies and its numbers; the component translates it.
 */
import { oneInN } from './format'

export type SplitPart = 'train' | 'val' | 'test'

export interface PartCounts {
  part: SplitPart
  /** Records per class, in the order of the class names. */
  counts: number[]
  /** Sum of the training weights per class (class weights or per-sample weights), when there are any. */
  weightSums?: number[]
}

/** Below 1 in 20 positives accuracy says next to nothing; below 1 in 4 it flatters. */
export const SEVERE_RATE = 0.05
export const MODERATE_RATE = 0.25

export type BalanceGuidance =
  | { kind: 'empty' }
  | { kind: 'partWithoutMinority'; part: SplitPart }
  | {
      kind: 'severe' | 'moderate' | 'balanced'
      /** The minority class: the positive one of two classes, the rarest of more. */
      minority: number
      /** The majority class, which "always answer this" would pick. */
      majority: number
      rate: number
      oneIn: number
      /** Accuracy of always answering the majority class. */
      majorityAccuracy: number
    }

/** The minority class of a set of counts: the positive class (index 1) of two, else the rarest. */
export function minorityClass(counts: readonly number[]): number {
  if (counts.length === 2) return 1
  let best = 0
  counts.forEach((count, i) => {
    if (count < counts[best]!) best = i
  })
  return best
}

export function balanceGuidance(parts: readonly PartCounts[]): BalanceGuidance {
  const classes = Math.max(0, ...parts.map((p) => p.counts.length))
  const totals = Array.from({ length: classes }, (_, c) =>
    parts.reduce((sum, p) => sum + (p.counts[c] ?? 0), 0),
  )
  const total = totals.reduce((a, b) => a + b, 0)
  if (classes < 2 || total === 0) return { kind: 'empty' }
  const minority = minorityClass(totals)
  // A part without the minority class cannot be evaluated at all: that outranks every other advice.
  const lacking = parts.find((p) => p.counts.reduce((a, b) => a + b, 0) > 0 && !(p.counts[minority]! > 0))
  if (lacking) return { kind: 'partWithoutMinority', part: lacking.part }
  const majority = totals.indexOf(Math.max(...totals))
  const rate = totals[minority]! / total
  return {
    kind: rate < SEVERE_RATE ? 'severe' : rate < MODERATE_RATE ? 'moderate' : 'balanced',
    minority,
    majority,
    rate,
    oneIn: oneInN(totals[minority]!, total) ?? 0,
    majorityAccuracy: totals[majority]! / total,
  }
}

/**
 * How much more one minority record weighs in training than one majority record (e.g. 235 with balanced
 * class weights); null without weights or records.
 */
export function weightFactor(
  part: PartCounts | undefined,
  minority: number,
  majority: number,
): number | null {
  const sums = part?.weightSums
  if (!part || !sums) return null
  const perMinority = sums[minority]! / part.counts[minority]!
  const perMajority = sums[majority]! / part.counts[majority]!
  const factor = perMinority / perMajority
  return Number.isFinite(factor) && factor > 0 ? factor : null
}
