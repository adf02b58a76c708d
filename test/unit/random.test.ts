import { describe, expect, it } from 'vitest'
import { Rng, sampler } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

function codeOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  throw new Error('expected an InputError')
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < observed.length; i++) sum += (observed[i]! - expected[i]!) ** 2 / expected[i]!
  return sum
}

// Upper 0.1% points of chi-square (R: qchisq(0.999, df)); with fixed seeds the statistics are fixed numbers,
// so these bounds only say the generator is not grossly non-uniform.
const CHI2_999 = { 3: 16.27, 9: 27.88, 15: 37.7 }

describe('Rng (xoshiro128**)', () => {
  it('gives the published reference outputs from state 1, 2, 3, 4', () => {
    const rng = Rng.fromState([1, 2, 3, 4])
    expect(Array.from({ length: 6 }, () => rng.next())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ])
    expect(codeOf(() => Rng.fromState([0, 0, 0, 0]))).toBe('random.bad_state')
  })

  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number | string) => {
      const rng = Rng.seeded(seed)
      return Array.from({ length: 8 }, () => rng.next())
    }
    expect(draw(42)).toEqual(draw(42))
    expect(draw(42)).not.toEqual(draw(43))
    expect(draw('experiment-1')).toEqual(draw('experiment-1'))
    expect(draw(0)).not.toEqual(draw(2 ** 53 - 1))
    for (const value of draw(42)) expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true)
  })

  it('forks streams named by label, independent of how much the parent has drawn', () => {
    const a = Rng.seeded(42)
    const b = Rng.seeded(42)
    for (let i = 0; i < 100; i++) b.next()
    const first = (rng: Rng) => Array.from({ length: 5 }, () => rng.next())
    expect(first(a.fork('split'))).toEqual(first(b.fork('split')))
    expect(first(a.fork('split'))).not.toEqual(first(a.fork('weights')))
    expect(first(a.fork('a').fork('b/c'))).not.toEqual(first(a.fork('a/b').fork('c')))
    // Forking does not advance the parent.
    const c = Rng.seeded(42)
    c.fork('x')
    expect(first(c)).toEqual(first(Rng.seeded(42)))
    expect(codeOf(() => a.fork(''))).toBe('random.bad_label')
  })

  it('forked streams are uncorrelated', () => {
    const x = Rng.seeded(1).fork('x')
    const y = Rng.seeded(1).fork('y')
    const n = 20_000
    let sxy = 0
    let sx = 0
    let sy = 0
    let sxx = 0
    let syy = 0
    for (let i = 0; i < n; i++) {
      const u = x.float()
      const v = y.float()
      sx += u
      sy += v
      sxy += u * v
      sxx += u * u
      syy += v * v
    }
    const r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy))
    expect(Math.abs(r)).toBeLessThan(0.03) // 4 standard errors at n = 20,000
  })

  it('float() lies in [0, 1) with a uniform spread (chi-square over 16 bins)', () => {
    const rng = Rng.seeded(2024)
    const bins = new Array<number>(16).fill(0)
    const n = 160_000
    let outside = 0
    for (let i = 0; i < n; i++) {
      const u = rng.float()
      if (!(u >= 0 && u < 1)) outside += 1
      else bins[Math.floor(u * 16)]! += 1
    }
    expect(outside).toBe(0)
    expect(chiSquare(bins, new Array(16).fill(n / 16))).toBeLessThan(CHI2_999[15])
  })

  it('int(n) is uniform over [0, n) (chi-square) and has no modulo bias for a large n', () => {
    const rng = Rng.seeded(5)
    const counts = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) counts[rng.int(10)]! += 1
    expect(chiSquare(counts, new Array(10).fill(10_000))).toBeLessThan(CHI2_999[9])
    // n = 3·2^30: plain `next() % n` would put half of all draws below 2^30 instead of a third.
    const n = 3 * 2 ** 30
    let low = 0
    let outside = 0
    for (let i = 0; i < 30_000; i++) {
      const value = rng.int(n)
      if (!(Number.isInteger(value) && value >= 0 && value < n)) outside += 1
      if (value < 2 ** 30) low += 1
    }
    expect(outside).toBe(0)
    expect(low / 30_000).toBeGreaterThan(0.32)
    expect(low / 30_000).toBeLessThan(0.35)
    expect(rng.int(1)).toBe(0)
    expect(codeOf(() => rng.int(0))).toBe('random.bad_bound')
    expect(codeOf(() => rng.int(2.5))).toBe('random.bad_bound')
    expect(codeOf(() => rng.int(2 ** 32 + 1))).toBe('random.bad_bound')
  })

  it('normal() has mean 0 and sd 1, and about 95.4% within two sd', () => {
    const rng = Rng.seeded(11)
    const n = 100_000
    let sum = 0
    let squares = 0
    let within = 0
    for (let i = 0; i < n; i++) {
      const z = rng.normal()
      sum += z
      squares += z * z
      if (Math.abs(z) < 2) within += 1
    }
    const mean = sum / n
    expect(Math.abs(mean)).toBeLessThan(0.015)
    expect(Math.abs(Math.sqrt(squares / n - mean * mean) - 1)).toBeLessThan(0.015)
    expect(within / n).toBeCloseTo(0.9545, 2)
    expect(Rng.seeded(3).normal(10, 0)).toBe(10)
    expect(codeOf(() => rng.normal(0, -1))).toBe('random.bad_normal')
  })

  it('shuffle() permutes in place, deterministically, each position equally likely', () => {
    const a = Rng.seeded(9).shuffle([...Array(50).keys()])
    expect(a).toEqual(Rng.seeded(9).shuffle([...Array(50).keys()]))
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(50).keys()])
    expect(a).not.toEqual([...Array(50).keys()])
    // Where element 0 of [0, 1, 2, 3] ends up: uniform over 4 positions.
    const rng = Rng.seeded(10)
    const positions = [0, 0, 0, 0]
    for (let i = 0; i < 40_000; i++) positions[rng.shuffle([0, 1, 2, 3]).indexOf(0)]! += 1
    expect(chiSquare(positions, [10_000, 10_000, 10_000, 10_000])).toBeLessThan(CHI2_999[3])
    expect(rng.shuffle([])).toEqual([])
  })

  it('choice() picks an element and rejects an empty list', () => {
    const rng = Rng.seeded(1)
    const seen = new Set(Array.from({ length: 200 }, () => rng.choice(['a', 'b', 'c'])))
    expect(seen).toEqual(new Set(['a', 'b', 'c']))
    expect(codeOf(() => rng.choice([]))).toBe('random.empty_choice')
  })

  it('weighted() draws in proportion to the weights (chi-square), never a zero weight', () => {
    const weights = [1, 0, 2, 7]
    const rng = Rng.seeded(77)
    const counts = [0, 0, 0, 0]
    const n = 50_000
    for (let i = 0; i < n; i++) counts[rng.weighted(weights)]! += 1
    expect(counts[1]).toBe(0)
    const expected = [n * 0.1, n * 0.2, n * 0.7]
    expect(chiSquare([counts[0]!, counts[2]!, counts[3]!], expected)).toBeLessThan(16.27)
    expect(rng.weighted([0, 0, 5])).toBe(2)
    expect(codeOf(() => rng.weighted([]))).toBe('random.bad_weights')
    expect(codeOf(() => rng.weighted([0, 0]))).toBe('random.bad_weights')
    expect(codeOf(() => rng.weighted([1, -1]))).toBe('random.bad_weights')
    expect(codeOf(() => rng.weighted([1, Number.NaN]))).toBe('random.bad_weights')
  })

  it('sampler() draws the same indices as weighted() from the same stream', () => {
    const weights = [0.3, 0, 0.1, 0.25, 0.35, 0]
    const draw = sampler(weights)
    const a = Rng.seeded(3)
    const b = Rng.seeded(3)
    const fromSampler = Array.from({ length: 5_000 }, () => draw(a))
    expect(fromSampler).toEqual(Array.from({ length: 5_000 }, () => b.weighted(weights)))
    expect(new Set(fromSampler)).toEqual(new Set([0, 2, 3, 4]))
  })

  it('chance(p) is true with probability p', () => {
    const rng = Rng.seeded(8)
    let hits = 0
    for (let i = 0; i < 100_000; i++) if (rng.chance(0.02)) hits += 1
    expect(hits).toBeGreaterThan(1_850)
    expect(hits).toBeLessThan(2_150)
    expect(rng.chance(0)).toBe(false)
    expect(rng.chance(1)).toBe(true)
    expect(codeOf(() => rng.chance(1.5))).toBe('random.bad_probability')
  })

  it('rejects seeds that cannot be stored exactly', () => {
    for (const seed of [-1, 1.5, 2 ** 53, Number.NaN, ''])
      expect(codeOf(() => Rng.seeded(seed))).toBe('random.bad_seed')
  })
})
