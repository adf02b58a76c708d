/**
 * Whether a difference between two models is real, in words the UI can say (UI.md: "the comparison says in
 * words whether a difference is real"). The core returns a code and parameters, never English: the renderer
 * translates `compare.real_difference` / `compare.no_real_difference` with `{p}` (and `{pText}`, `{alpha}`).
 *
 * "Real" means the test rejects "no difference" at level alpha (p < alpha). When several models are each
 * compared with one reference (the seed's ablations against the full model), the chance that at least one
 * comparison looks real by luck grows with their number; Holm's step-down correction (Holm 1979) controls
 * it at alpha for the whole family and is uniformly more powerful than Bonferroni.
 */
import { alphaOption, badOption, checkP } from './validate'

export type VerdictCode = 'compare.real_difference' | 'compare.no_real_difference'

export interface Verdict {
  code: VerdictCode
  real: boolean
  /** Values for the translated sentence; `p` is the p-value decided on (Holm-adjusted when corrected). */
  params: {
    p: number
    /** The p-value as it should be printed: '0.03', '0.004', '< 0.001', '< 0.002' (bootstrap resolution). */
    pText: string
    alpha: number
    /** The p-value before correction, when corrected. */
    pRaw?: number
    /** Number of comparisons corrected for. */
    comparisons?: number
  }
}

export interface VerdictOptions {
  p: number
  /** Significance level (default 0.05). */
  alpha?: number
  /** Number of bootstrap resamples behind p, if it came from a bootstrap: p = 0 then reads "< 2/n". */
  resamples?: number
}

/** p < alpha (default 0.05). */
export function isDifferenceReal({ p, alpha }: { p: number; alpha?: number }): boolean {
  return checkP(p) < alphaOption(alpha)
}

/** The verdict on one comparison. */
export function differenceVerdict(options: VerdictOptions): Verdict {
  const alpha = alphaOption(options.alpha)
  const p = checkP(options.p)
  const real = p < alpha
  return {
    code: real ? 'compare.real_difference' : 'compare.no_real_difference',
    real,
    params: { p, pText: formatP(p, { alpha, resamples: options.resamples }), alpha },
  }
}

/**
 * Verdicts on several comparisons against one reference, deciding on Holm-adjusted p-values (or the raw ones
 * with `correction: 'none'`), in the order given.
 */
export function verdictsAgainstReference(
  pValues: readonly number[],
  options: { alpha?: number; correction?: 'holm' | 'none'; resamples?: number } = {},
): Verdict[] {
  const correction = options.correction ?? 'holm'
  if (correction !== 'holm' && correction !== 'none')
    throw badOption('correction', "'holm' or 'none'", correction)
  const adjusted = correction === 'holm' ? holm(pValues) : pValues.map((p) => checkP(p))
  return adjusted.map((p, i) => {
    const verdict = differenceVerdict({ p, alpha: options.alpha, resamples: options.resamples })
    if (correction === 'holm') {
      verdict.params.pRaw = pValues[i]!
      verdict.params.comparisons = pValues.length
    }
    return verdict
  })
}

/**
 * Holm's step-down adjusted p-values, in the input order: with p sorted increasingly, the k-th (1-based) is
 * max over j ≤ k of min(1, (m − j + 1) · p_(j)). Reject where the adjusted p < alpha.
 */
export function holm(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => checkP(p, `pValues[${i}]`))
  const m = pValues.length
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b)
  const adjusted = new Array<number>(m)
  let running = 0
  order.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[i]!))
    adjusted[i] = running
  })
  return adjusted
}

/**
 * p for reading: two significant digits ('0.031', '0.64'), more where two would round it across alpha (0.0499
 * stays '0.0499', not '0.050'); below 0.001 '< 0.001'; a bootstrap p of 0 is '< 2/n' (its resolution).
 */
export function formatP(p: number, options: { alpha?: number; resamples?: number } = {}): string {
  const { alpha = 0.05, resamples } = options
  if (p === 0 && resamples !== undefined && resamples > 0)
    return `< ${Number((2 / resamples).toPrecision(2))}`
  if (p < 0.001) return '< 0.001'
  for (let digits = 2; digits < 6; digits++) {
    const shown = Number(p.toPrecision(digits))
    if (shown < alpha === p < alpha) return String(shown)
  }
  return String(p)
}
