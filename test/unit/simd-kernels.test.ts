/**
 * The WebAssembly SIMD kernels outside the kNN (src/core/simd/finite.ts, src/core/imbalance/interpolate.ts)
 * against their plain JavaScript definitions: the same answers, bit for bit. The kNN's kernel is tested in
 * neighbors-knn.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { interpolateRow, interpolateRows } from '../../src/core/imbalance/interpolate'
import { Rng } from '../../src/core/random'
import { allFinite, allFiniteScalar } from '../../src/core/simd/finite'
import { hasSimd } from '../../src/core/simd/wasm'

describe('allFinite', () => {
  it('runs the SIMD scan here, and finds NaN and ±Infinity anywhere, also in a partial last chunk', () => {
    expect(hasSimd()).toBe(true)
    const rng = Rng.seeded(31)
    // 3 chunks of 65,536 and a tail that is not a multiple of 16.
    const x = Float32Array.from({ length: 3 * 65_536 + 1_001 }, () => (rng.float() - 0.5) * 1e30)
    x[7] = 3.4028234663852886e38 // the largest finite float32
    x[8] = -1e-45 // subnormal
    expect(allFinite(x)).toBe(true)
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of [0, 5, 65_535, 65_536, 2 * 65_536 + 17, x.length - 1]) {
        const kept = x[at]!
        x[at] = bad
        expect([bad, at, allFinite(x)]).toEqual([bad, at, false])
        expect(allFiniteScalar(x)).toBe(false)
        x[at] = kept
      }
    }
    expect(allFinite(x)).toBe(true)
    expect(allFinite(new Float32Array(0))).toBe(true)
    expect(allFinite(Float32Array.from([1, NaN]))).toBe(false)
  })

  it('reads a subarray only within its bounds', () => {
    const x = new Float32Array(70_000).fill(1)
    x[0] = NaN
    x[69_999] = Infinity
    expect(allFinite(x.subarray(1, 69_999))).toBe(true)
    expect(allFinite(x.subarray(0, 69_999))).toBe(false)
  })
})

describe('interpolateRows', () => {
  /** The definition, row by row in JavaScript. */
  function reference(
    d: number,
    a: Float32Array,
    aRows: Int32Array,
    b: Float32Array,
    bRows: Int32Array,
    steps: Float64Array,
    count: number,
  ): Float32Array {
    const out = new Float32Array((count + 3) * d)
    for (let s = 0; s < count; s++) {
      interpolateRow(out, (3 + s) * d, a, aRows[s]! * d, b, bRows[s]! * d, steps[s]!, d)
    }
    return out
  }

  it('gives the JavaScript loop’s float32 bits, for any row length and chunking', () => {
    const rng = Rng.seeded(32)
    for (const [n, d, count] of [
      [40, 1280, 300], // several 512 KB chunks
      [25, 37, 1000], // rows padded to a multiple of 4
      [9, 3, 20],
      [600, 1, 17],
    ] as const) {
      // Values of mixed magnitude, so the float64 step and the rounding to float32 matter.
      const X = Float32Array.from({ length: n * d }, () => rng.normal() * 10 ** rng.int(6))
      const aRows = Int32Array.from({ length: count }, () => rng.int(n))
      const bRows = Int32Array.from({ length: count }, () => rng.int(n))
      const steps = Float64Array.from({ length: count }, () => rng.float())
      steps[0] = 0
      const want = reference(d, X, aRows, X, bRows, steps, count)
      const got = new Float32Array((count + 3) * d)
      interpolateRows(got, 3, d, X, aRows, X, bRows, steps, count)
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true)
      // The first step is 0: the row itself.
      expect(Array.from(got.subarray(3 * d, 4 * d))).toEqual(
        Array.from(X.subarray(aRows[0]! * d, aRows[0]! * d + d)),
      )
    }
  })

  it('takes the other end from a second matrix (Borderline-SMOTE 2)', () => {
    const rng = Rng.seeded(33)
    const d = 6
    const A = Float32Array.from({ length: 10 * d }, () => rng.normal())
    const B = Float32Array.from({ length: 30 * d }, () => rng.normal())
    const aRows = Int32Array.from({ length: 50 }, () => rng.int(10))
    const bRows = Int32Array.from({ length: 50 }, () => rng.int(30))
    const steps = Float64Array.from({ length: 50 }, () => rng.float() * 0.5)
    const got = new Float32Array(53 * d)
    interpolateRows(got, 3, d, A, aRows, B, bRows, steps, 50)
    expect(Array.from(got)).toEqual(Array.from(reference(d, A, aRows, B, bRows, steps, 50)))
  })
})
