/**
 * Cross-entropy of predicted probabilities, as scikit-learn 1.2.1's `log_loss` with its default `eps="auto"`:
 * every probability is clipped to [ε, 1 − ε] with ε = 2^-52 (float64 machine epsilon), each row is then
 * divided by its sum, and the loss is the (weighted) mean of −log p(true class).
 *
 * Why clip: a confident wrong prediction (p = 0 for the true class) would make the loss infinite and hide every
 * other sample; clipped, it costs −log ε ≈ 36.04. The renormalisation is sklearn's (1.5+ warns about rows that
 * do not sum to 1 instead; the values here are those of 1.2.1).
 *
 * Two shapes of `probs`:
 * - binary: one probability per sample, of class 1; `yTrue` is 0/1. This equals sklearn with
 *   `labels=[0, 1]`, so a set holding one class has a loss too (sklearn without `labels` raises).
 * - multi-class: one row per sample, `probs[i][c]` for class c = 0..k−1 (layout [n, k]); `yTrue[i]` is the
 *   class index. This equals sklearn with `labels=range(k)`.
 */
import { CompensatedSum } from './sum'
import { badInput, checkBinaryLabels, checkNotEmpty, checkSameLength, checkSampleWeight } from './validate'

/** float64 machine epsilon, sklearn's `np.finfo(np.float64).eps`. */
export const LOG_LOSS_EPS = Number.EPSILON

export interface LogLossOptions {
  sampleWeight?: ArrayLike<number>
}

/** Probabilities of class 1 (binary), or rows [n, k] of class probabilities (multi-class). */
export type Probabilities = ArrayLike<number> | readonly ArrayLike<number>[]

export function logLoss(
  yTrue: ArrayLike<number>,
  probs: Probabilities,
  options: LogLossOptions = {},
): number {
  checkNotEmpty('yTrue', yTrue)
  checkSameLength('probs', probs, 'yTrue', yTrue.length)
  const weights = checkSampleWeight(options.sampleWeight, yTrue.length)
  const losses = isRows(probs) ? multiClassLosses(yTrue, probs) : binaryLosses(yTrue, probs)

  const total = new CompensatedSum()
  let totalWeight = 0
  for (let i = 0; i < losses.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!
    total.add(losses[i]! * w)
    totalWeight += w
  }
  return total.value / totalWeight
}

function isRows(probs: Probabilities): probs is readonly ArrayLike<number>[] {
  return typeof probs[0] !== 'number'
}

function clip(p: number): number {
  return Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS)
}

function binaryLosses(yTrue: ArrayLike<number>, probs: ArrayLike<number>): Float64Array {
  checkBinaryLabels('yTrue', yTrue)
  const losses = new Float64Array(yTrue.length)
  for (let i = 0; i < yTrue.length; i++) {
    const positive = clip(checkProbability(probs[i], i, 'probs'))
    const negative = 1 - positive
    // sklearn builds the row [1 − p, p] after clipping and divides by its sum, which can differ from 1 by
    // one rounding; doing the same keeps the last bits equal.
    const rowSum = negative + positive
    losses[i] = -Math.log((yTrue[i] === 1 ? positive : negative) / rowSum)
  }
  return losses
}

function multiClassLosses(yTrue: ArrayLike<number>, rows: readonly ArrayLike<number>[]): Float64Array {
  const classes = rows[0]!.length
  if (classes < 2) {
    throw badInput('probs needs a column per class, at least two.', {
      argument: 'probs',
      record: 1,
      expected: 'at least 2 columns',
      found: `${classes}`,
    })
  }
  const losses = new Float64Array(yTrue.length)
  for (let i = 0; i < yTrue.length; i++) {
    const row = rows[i]!
    if (row.length !== classes) {
      throw badInput('probs rows must all have one column per class.', {
        argument: 'probs',
        record: i + 1,
        expected: `${classes} columns`,
        found: `${row.length}`,
      })
    }
    const label = yTrue[i]!
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw badInput('yTrue must hold class indices 0..k−1, one per column of probs.', {
        argument: 'yTrue',
        record: i + 1,
        expected: `an integer in 0..${classes - 1}`,
        found: String(label),
      })
    }
    let rowSum = 0
    for (let c = 0; c < classes; c++) rowSum += clip(checkProbability(row[c], i, 'probs'))
    losses[i] = -Math.log(clip(row[label]!) / rowSum)
  }
  return losses
}

/** A probability in [0, 1]; scores outside it (logits, decision values) are a caller's mistake. */
function checkProbability(p: number | undefined, i: number, argument: string): number {
  if (p === undefined || !(p >= 0 && p <= 1)) {
    throw badInput(`${argument} must be probabilities between 0 and 1.`, {
      argument,
      record: i + 1,
      expected: 'a number in [0, 1]',
      found: String(p),
    })
  }
  return p
}
