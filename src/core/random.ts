/**
 * The seeded random number generator every random step of the core takes (DESIGN.md: "Randomness is explicit";
 * no `Math.random` in core).
 *
 * Why this one: xoshiro128** (Blackman & Vigna) is small (four 32-bit words), fast in plain JS integer
 * arithmetic, and passes the usual statistical batteries; splitting by a label gives independent streams
 * without sharing state. A generator is named by a seed path: `Rng.seeded(42)` is the path `42`, and
 * `fork('split')` is `42 / split`; the four state words are a 128-bit hash of that path. So a forked stream
 * depends only on the seed and the labels, never on how many numbers the parent has drawn: adding a random
 * step elsewhere does not change the split a stored experiment reproduces.
 */
import { InputError } from '../shared/errors'

const TWO_POW_32 = 0x1_0000_0000
const TWO_POW_53 = 2 ** 53

/** A seed as stored with an experiment: a whole number in [0, 2^53) or a non-empty string. */
export type Seed = number | string

export class Rng {
  private s0 = 0
  private s1 = 0
  private s2 = 0
  private s3 = 0
  /** The second value of the last polar-method pair, not yet returned by `normal()`. */
  private spareNormal: number | undefined

  private constructor(readonly path: string) {
    const [a, b, c, d] = hash128(path)
    // Kept as signed 32-bit values throughout, so the engine stores them as small integers (fast).
    this.s0 = a | 0
    this.s1 = b | 0
    this.s2 = c | 0
    this.s3 = d | 0
    // xoshiro must not start from all zeros; a hash this unlucky gets a fixed non-zero word.
    if ((a | b | c | d) === 0) this.s0 = 0x9e3779b9 | 0
  }

  /** A generator for a seed; the same seed always gives the same numbers. */
  static seeded(seed: Seed): Rng {
    return new Rng(seedPath(seed))
  }

  /**
   * A generator started from four given state words (not all zero), to check the algorithm against the
   * published reference outputs; everything else seeds through `seeded`.
   */
  static fromState(words: readonly [number, number, number, number]): Rng {
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) {
      throw new InputError('random.bad_state', 'The state is four whole numbers in 0 … 2^32 − 1', {
        expected: 'four 32-bit words, not all zero',
        found: String(words),
      })
    }
    if (words.every((w) => w === 0)) {
      throw new InputError('random.bad_state', 'The state must not be all zeros', {
        expected: 'four 32-bit words, not all zero',
        found: '0,0,0,0',
      })
    }
    const rng = new Rng(`state:${words.join(',')}`)
    ;[rng.s0, rng.s1, rng.s2, rng.s3] = words.map((w) => w | 0) as [number, number, number, number]
    return rng
  }

  /**
   * An independent stream named `label` under this generator's seed path. It does not advance this
   * generator, and depends only on the seed path and the label: `fork('a')` twice gives the same stream.
   */
  fork(label: string): Rng {
    if (typeof label !== 'string' || label === '') {
      throw new InputError('random.bad_label', 'A forked random stream needs a non-empty label', {
        expected: 'a non-empty string',
        found: String(label),
      })
    }
    // Length-prefixed, so the paths ('a/b', 'c') and ('a', 'b/c') cannot meet.
    return new Rng(`${this.path}/${label.length}:${label}`)
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** A float in [0, 1) with 53 random bits (two draws). */
  float(): number {
    const high = this.next() >>> 5 // 27 bits
    const low = this.next() >>> 6 // 26 bits
    return (high * 67_108_864 + low) / TWO_POW_53
  }

  /** A whole number in [0, n), without modulo bias (rejection of the short last block); 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new InputError('random.bad_bound', `The upper bound of a random integer must be 1 … 2^32`, {
        expected: 'a whole number in 1 … 4294967296',
        found: String(n),
      })
    }
    // Values at or above `limit` would make the low residues more likely than the high ones.
    const limit = TWO_POW_32 - (TWO_POW_32 % n)
    for (;;) {
      const value = this.next()
      if (value < limit) return value % n
    }
  }

  /** True with probability `p` (0 ≤ p ≤ 1). */
  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw new InputError('random.bad_probability', 'A probability must be between 0 and 1', {
        expected: '0 ≤ p ≤ 1',
        found: String(p),
      })
    }
    return this.float() < p
  }

  /** A normally distributed number (Marsaglia's polar method; the pair's second value is kept for later). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isFinite(mean) || !(sd >= 0) || !Number.isFinite(sd)) {
      throw new InputError('random.bad_normal', 'A normal distribution needs a finite mean and an sd ≥ 0', {
        expected: 'finite mean, finite sd ≥ 0',
        found: `mean ${mean}, sd ${sd}`,
      })
    }
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal
      this.spareNormal = undefined
      return mean + sd * spare
    }
    let u: number, v: number, s: number
    do {
      u = 2 * this.float() - 1
      v = 2 * this.float() - 1
      s = u * u + v * v
    } while (s >= 1 || s === 0)
    const factor = Math.sqrt((-2 * Math.log(s)) / s)
    this.spareNormal = v * factor
    return mean + sd * u * factor
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const held = array[i]!
      array[i] = array[j]!
      array[j] = held
    }
    return array
  }

  /** One element of a non-empty array, each equally likely. */
  choice<T>(array: readonly T[]): T {
    if (array.length === 0) {
      throw new InputError('random.empty_choice', 'Cannot choose from an empty list', {
        expected: 'at least one element',
        found: 'none',
      })
    }
    return array[this.int(array.length)]!
  }

  /**
   * An index drawn with probability proportional to `weights[i]` (weights ≥ 0, finite, not all zero; they need
   * not sum to 1). Linear in the number of weights: for many draws from one distribution, use `sampler`.
   */
  weighted(weights: ArrayLike<number>): number {
    const total = checkWeights(weights)
    const target = this.float() * total
    let cumulative = 0
    let last = 0
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!
      if (w === 0) continue
      cumulative += w
      last = i
      if (target < cumulative) return i
    }
    return last // rounding: the target reached the sum
  }
}

/**
 * A reusable draw from fixed weights: cumulative sums once, then a binary search per draw. Same rules for
 * the weights as `Rng.weighted`; draws the same indices as `weighted` would for the same random numbers.
 */
export function sampler(weights: ArrayLike<number>): (rng: Rng) => number {
  const total = checkWeights(weights)
  const cumulative = new Float64Array(weights.length)
  let sum = 0
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i]!
    cumulative[i] = sum
  }
  let last = weights.length - 1
  while (weights[last] === 0) last--
  return (rng) => {
    const target = rng.float() * total
    let lo = 0
    let hi = last
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (target < cumulative[mid]!) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

function checkWeights(weights: ArrayLike<number>): number {
  let total = 0
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!
    if (!(w >= 0) || !Number.isFinite(w)) {
      throw new InputError('random.bad_weights', `Weight ${i + 1} is not a finite number ≥ 0`, {
        expected: 'finite weights ≥ 0',
        found: String(w),
      })
    }
    total += w
  }
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new InputError('random.bad_weights', 'The weights must not all be zero', {
      expected: 'at least one weight > 0 and a finite sum',
      found: weights.length === 0 ? 'no weights' : `sum ${total}`,
    })
  }
  return total
}

function seedPath(seed: Seed): string {
  if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return String(seed)
  if (typeof seed === 'string' && seed !== '') return seed
  throw new InputError('random.bad_seed', 'A seed must be a whole number ≥ 0 or a non-empty text', {
    expected: 'a whole number in 0 … 2^53 − 1, or text',
    found: String(seed),
  })
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** Murmur3's finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** Four 32-bit words from a text: four Murmur-style passes with different starting words, each finalised. */
function hash128(text: string): [number, number, number, number] {
  const starts = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344] // digits of π
  return starts.map((start, lane) => {
    let h = start
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995)
      h ^= h >>> 15
    }
    return fmix32(h ^ Math.imul(text.length + lane, 0x9e3779b9))
  }) as [number, number, number, number]
}
