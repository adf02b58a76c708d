/**
 * Mean ± sd over runs, Holm's correction and the verdict codes the UI translates (src/core/compare/summary.ts,
 * verdict.ts). Expected numbers worked by hand (and with numpy/statsmodels conventions: ddof = 1, Holm's
 * step-down with monotone adjusted p-values).
 */
import { describe, expect, it } from 'vitest'
import {
  differenceVerdict,
  formatP,
  holm,
  isDifferenceReal,
  meanSd,
  summariseSeeds,
  verdictsAgainstReference,
} from '../../src/core/compare'
import { InputError } from '../../src/shared/errors'

function codeOf(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as InputError).code
  }
  throw new Error('expected an InputError')
}

describe('meanSd and summariseSeeds', () => {
  it('uses the sample sd (n − 1), and none for a single run', () => {
    const r = meanSd([1, 2, 3, 4])
    expect(r.mean).toBe(2.5)
    expect(r.sd).toBeCloseTo(Math.sqrt(5 / 3), 15) // np.std([1,2,3,4], ddof=1)
    expect(r.n).toBe(4)
    expect(meanSd(new Float64Array([0.81]))).toEqual({ mean: 0.81, sd: null, n: 1 })
    // No cancellation for values close together far from 0.
    const near = meanSd([1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3])
    expect(near.sd).toBeCloseTo(0.1, 6)
    expect(codeOf(() => meanSd([]))).toBe('metrics.bad_input')
    expect(codeOf(() => meanSd([0.5, NaN]))).toBe('metrics.bad_input')
  })

  it('summarises each metric over the runs that have it', () => {
    const s = summariseSeeds([
      { auroc: 0.8, auprc: 0.2 },
      { auroc: 0.84, auprc: 0.26 },
      { auroc: 0.82, auprc: undefined },
    ])
    expect(Object.keys(s).sort()).toEqual(['auprc', 'auroc'])
    expect(s.auroc!.mean).toBeCloseTo(0.82, 15)
    expect(s.auroc!.sd).toBeCloseTo(0.02, 15)
    expect(s.auroc).toMatchObject({ n: 3, min: 0.8, max: 0.84 })
    expect(s.auprc).toMatchObject({ n: 2, min: 0.2, max: 0.26 })
    expect(s.auprc!.sd).toBeCloseTo(Math.sqrt(0.0018), 15)
    expect(codeOf(() => summariseSeeds([]))).toBe('compare.bad_option')
    expect(codeOf(() => summariseSeeds([{ auroc: 0.8 }, { auroc: Infinity }]))).toBe('metrics.bad_input')
  })
})

describe('holm', () => {
  it('multiplies the k-th smallest p by (m − k + 1) and keeps the adjusted values monotone', () => {
    // sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (monotone)
    const adjusted = holm([0.01, 0.04, 0.03, 0.005])
    ;[0.03, 0.06, 0.06, 0.02].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 15))
    expect(holm([0.5, 0.9])).toEqual([1, 1])
    expect(holm([0.02])).toEqual([0.02])
    expect(holm([])).toEqual([])
    expect(codeOf(() => holm([0.1, 1.2]))).toBe('compare.bad_option')
  })
})

describe('verdicts', () => {
  it('calls a difference real when p < alpha', () => {
    expect(isDifferenceReal({ p: 0.049 })).toBe(true)
    expect(isDifferenceReal({ p: 0.05 })).toBe(false)
    expect(isDifferenceReal({ p: 0.02, alpha: 0.01 })).toBe(false)
    expect(codeOf(() => isDifferenceReal({ p: NaN }))).toBe('compare.bad_option')
    expect(codeOf(() => isDifferenceReal({ p: 0.1, alpha: 0 }))).toBe('compare.bad_option')
  })

  it('returns a code and parameters for the UI to translate', () => {
    expect(differenceVerdict({ p: 0.0123 })).toEqual({
      code: 'compare.real_difference',
      real: true,
      params: { p: 0.0123, pText: '0.012', alpha: 0.05 },
    })
    expect(differenceVerdict({ p: 0.43 })).toMatchObject({
      code: 'compare.no_real_difference',
      real: false,
      params: { pText: '0.43' },
    })
    expect(differenceVerdict({ p: 0, resamples: 1000 }).params.pText).toBe('< 0.002')
  })

  it('corrects several comparisons against one reference with Holm', () => {
    // Three ablations against the full model: 0.03 alone would be "real", not among three.
    const verdicts = verdictsAgainstReference([0.03, 0.001, 0.3])
    expect(verdicts.map((v) => v.real)).toEqual([false, true, false])
    expect(verdicts[0]!.code).toBe('compare.no_real_difference')
    expect(verdicts[0]!.params).toMatchObject({ pRaw: 0.03, comparisons: 3, pText: '0.06' })
    expect(verdicts[0]!.params.p).toBeCloseTo(0.06, 15) // 0.03 × 2 (second smallest of three)
    expect(verdicts[1]!.params.p).toBeCloseTo(0.003, 15) // 0.001 × 3
    expect(verdicts[2]!.params.p).toBeCloseTo(0.3, 15) // 0.3 × 1
    expect(verdictsAgainstReference([0.03, 0.001, 0.3], { correction: 'none' }).map((v) => v.real)).toEqual([
      true,
      true,
      false,
    ])
    expect(codeOf(() => verdictsAgainstReference([0.1], { correction: 'bonferroni' as 'holm' }))).toBe(
      'compare.bad_option',
    )
  })

  it('prints p so that it never reads on the wrong side of alpha', () => {
    expect(formatP(0.0499)).toBe('0.0499')
    expect(formatP(0.05)).toBe('0.05')
    expect(formatP(0.0501)).toBe('0.05')
    expect(formatP(0.00999, { alpha: 0.01 })).toBe('0.00999')
    expect(formatP(0.64)).toBe('0.64')
    expect(formatP(0.0004)).toBe('< 0.001')
    expect(formatP(0, { resamples: 5000 })).toBe('< 0.0004')
  })
})
