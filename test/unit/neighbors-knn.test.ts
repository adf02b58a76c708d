/**
 * src/core/neighbors/knn.ts against scikit-learn's NearestNeighbors(algorithm='brute') on the fixtures of
 * test/fixtures/imbalance/knn.json (scripts/fixtures/make_imbalance_fixtures.py): distances to 1e-5
 * relative, indices exactly where the distance is not tied. Where it is tied (duplicates, an integer grid),
 * sklearn 1.2 keeps an arbitrary order and may keep any of the tied points at the k-th place; ours must be
 * the tied points with the smallest indices (sklearn's distances are only float32-accurate, so ties are
 * found from exact float64 distances computed here).
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { kNeighbors, type KNeighborsOptions, type Neighbors } from '../../src/core/neighbors/knn'
import { createDotKernel, hasSimd } from '../../src/core/neighbors/simd-dots'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

interface KnnCase {
  X: number[]
  Q?: number[]
  d: number
  k: number
  indices: number[][]
  distances: number[][]
}
const fixture = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/imbalance/knn.json'), 'utf8'),
) as { meta: Record<string, string>; cases: Record<string, KnnCase> }

/** All squared distances of one query, float64, in the plain order (for ties and as a reference). */
function allDistances(X: Float32Array, d: number, q: Float32Array): Float64Array {
  const n = X.length / d
  const out = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    let s = 0
    for (let l = 0; l < d; l++) {
      const e = q[l]! - X[j * d + l]!
      s += e * e
    }
    out[j] = Math.sqrt(s)
  }
  return out
}

const close = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b)) + 1e-6
/** Tied: equal up to the rounding of two float64 summation orders (the fixtures' ties are exact). */
const tied = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-9

describe('kNeighbors against sklearn brute force', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name}: distances, untied indices, tie groups`, () => {
      const X = Float32Array.from(c.X)
      const Q = c.Q === undefined ? undefined : Float32Array.from(c.Q)
      const ours = kNeighbors(X, c.d, Q === undefined ? { k: c.k } : { k: c.k, queries: Q })
      const nq = c.indices.length
      expect(ours.nQueries).toBe(nq)
      let tiedRows = 0
      for (let q = 0; q < nq; q++) {
        const point = Q ? Q.subarray(q * c.d, (q + 1) * c.d) : X.subarray(q * c.d, (q + 1) * c.d)
        const all = allDistances(X, c.d, point)
        if (!Q) all[q] = -1 // self is never a neighbour
        for (let t = 0; t < c.k; t++) {
          const mine = ours.indices[q * c.k + t]!
          const theirs = c.indices[q]![t]!
          const dist = c.distances[q]![t]!
          expect(close(ours.distances[q * c.k + t]!, dist), `${name} q${q} t${t}`).toBe(true)
          expect(close(all[mine]!, dist)).toBe(true)
          // The points tied with sklearn's choice, by exact float64 distances (sklearn's own are float32-accurate).
          const ref = all[theirs]!
          const group: number[] = []
          all.forEach((v, j) => tied(v, ref) && group.push(j))
          if (group.length === 1) {
            expect(mine, `${name} q${q} t${t}`).toBe(theirs)
          } else {
            tiedRows++
            // Ours: the tied points in index order, from the first place this distance takes in our list.
            const row = Array.from(ours.indices.subarray(q * c.k, (q + 1) * c.k))
            const first = row.findIndex((j) => tied(all[j]!, ref))
            expect(mine).toBe(group[t - first])
          }
        }
      }
      if (name === 'grid_ties' || name === 'duplicates') expect(tiedRows).toBeGreaterThan(0)
    })
  }

  it('the fixtures say which sklearn made them', () => {
    expect(fixture.meta.sklearn).toMatch(/^1\./)
  })
})

/** Reference: full sort by (distance, index) of float64 distances. */
function naive(X: Float32Array, d: number, k: number, rows: number[]): { idx: number[][]; dist: number[][] } {
  const idx: number[][] = []
  const dist: number[][] = []
  for (const r of rows) {
    const all = allDistances(X, d, X.subarray(r * d, (r + 1) * d))
    const order = [...all.keys()].filter((j) => j !== r).sort((a, b) => all[a]! - all[b]! || a - b)
    idx.push(order.slice(0, k))
    dist.push(order.slice(0, k).map((j) => all[j]!))
  }
  return { idx, dist }
}

describe('kNeighbors', () => {
  it('agrees with a full sort for many shapes (blocks, tile edges, k up to n − 1)', () => {
    const rng = Rng.seeded(3)
    for (const [n, d, k] of [
      [1, 1, 0],
      [7, 3, 6],
      [70, 1, 5],
      [133, 17, 9],
      [90, 2000, 3],
    ] as const) {
      if (k === 0) continue
      const X = Float32Array.from({ length: n * d }, () => Math.round(rng.normal() * 100) / 100)
      const rows = [...Array(n).keys()].filter((i) => i % 3 !== 1)
      const ours: Neighbors = kNeighbors(X, d, { k, queryRows: rows })
      const ref = naive(X, d, k, rows)
      rows.forEach((_, q) => {
        expect(Array.from(ours.indices.subarray(q * k, (q + 1) * k))).toEqual(ref.idx[q])
        ref.dist[q]!.forEach((v, t) => expect(close(ours.distances[q * k + t]!, v)).toBe(true))
      })
    }
  })

  it('never returns the query row itself, and puts an exact duplicate at distance 0', () => {
    const X = Float32Array.from([0, 0, 1, 1, 0, 0, 5, 5, 0.5, 0.5])
    const nn = kNeighbors(X, 2, { k: 2 })
    expect(Array.from(nn.indices)).toEqual([2, 4, 4, 0, 0, 4, 1, 4, 0, 1])
    expect(nn.distances[0]).toBe(0)
    expect(nn.distances[4]).toBe(0)
    // External queries: nothing excluded.
    const ext = kNeighbors(X, 2, { k: 1, queries: Float32Array.from([0, 0]) })
    expect(ext.indices[0]).toBe(0)
  })

  it('reports progress, honours an abort, and rejects bad input', () => {
    const X = Float32Array.from({ length: 300 * 4 }, (_, i) => Math.sin(i))
    const seen: number[] = []
    kNeighbors(X, 4, { k: 3, onProgress: (done) => seen.push(done) })
    expect(seen.at(-1)).toBe(300)
    const ctl = new AbortController()
    ctl.abort(new Error('stop'))
    expect(() => kNeighbors(X, 4, { k: 3, signal: ctl.signal })).toThrow('stop')
    const code = (f: () => unknown): string | undefined => {
      try {
        f()
      } catch (e) {
        return e instanceof InputError ? e.code : 'other'
      }
      return undefined
    }
    expect(code(() => kNeighbors(X, 4, { k: 300 }))).toBe('neighbors.too_few_points')
    expect(code(() => kNeighbors(X, 4, { k: 0 }))).toBe('neighbors.bad_param')
    expect(code(() => kNeighbors(X, 7, { k: 1 }))).toBe('neighbors.bad_param')
    expect(code(() => kNeighbors(X, 4, { k: 1, queryRows: [300] }))).toBe('neighbors.bad_param')
    const nan = X.slice()
    nan[13] = NaN
    expect(code(() => kNeighbors(nan, 4, { k: 1 }))).toBe('neighbors.bad_value')
  })
})

describe('kNeighbors: the float32 SIMD filter', () => {
  it('runs here (Node has WebAssembly SIMD), so the cases below compare two different searches', () => {
    expect(hasSimd()).toBe(true)
  })

  it('kernel products are within the error bound the filter relies on', () => {
    const rng = Rng.seeded(21)
    for (const d of [1, 5, 64, 1283]) {
      const kernel = createDotKernel(d, 9, 7)!
      expect(kernel.stride % 4).toBe(0)
      const Q = Float32Array.from({ length: 9 * d }, () => rng.normal() * 3)
      const R = Float32Array.from({ length: 7 * d }, () => rng.normal() * 3)
      for (let a = 0; a < 9; a++) kernel.queries.set(Q.subarray(a * d, a * d + d), a * kernel.stride)
      for (let b = 0; b < 7; b++) kernel.references.set(R.subarray(b * d, b * d + d), b * kernel.stride)
      kernel.run(9, 7)
      const gamma = (kernel.sumDepth * 2 ** -24) / (1 - kernel.sumDepth * 2 ** -24)
      for (let a = 0; a < 9; a++) {
        for (let b = 0; b < 7; b++) {
          let exact = 0
          let abs = 0
          for (let l = 0; l < d; l++) {
            exact += Q[a * d + l]! * R[b * d + l]!
            abs += Math.abs(Q[a * d + l]! * R[b * d + l]!)
          }
          const g = kernel.products[a * kernel.rCap + b]!
          expect(Math.abs(g - exact)).toBeLessThanOrEqual(gamma * abs * 1.0001)
          if (d > 1) expect(g).not.toBe(0)
        }
      }
    }
  })

  /** Both searches on the same input: indices and distances must be bit-identical. */
  function same(X: Float32Array, d: number, options: KNeighborsOptions): void {
    const fast = kNeighbors(X, d, options)
    const slow = kNeighbors(X, d, { ...options, kernel: 'scalar' })
    expect(Array.from(fast.indices)).toEqual(Array.from(slow.indices))
    expect(Array.from(fast.distances)).toEqual(Array.from(slow.distances))
  }

  it('gives the scalar search’s neighbours and distances bit for bit', () => {
    const rng = Rng.seeded(22)
    // Several query blocks (512) and reference blocks, d not a multiple of 4.
    const n = 1100
    const a = Float32Array.from({ length: n * 37 }, () => rng.normal())
    same(a, 37, { k: 7 })
    // Ties everywhere: a coarse integer grid with many duplicates.
    const grid = Float32Array.from({ length: 700 * 5 }, () => rng.int(3))
    same(grid, 5, { k: 10 })
    same(grid, 5, { k: 699, queryRows: [0, 1, 2, 350, 699] })
    // A large common offset: the float32 bound is loose, the filter keeps almost everything.
    const offset = Float32Array.from({ length: 300 * 16 }, () => 1000 + rng.normal() * 0.01)
    same(offset, 16, { k: 4 })
    // Long rows (several reference blocks of 128 rows), external queries, duplicates of references.
    const d = 1280
    const R = Float32Array.from({ length: 300 * d }, () => rng.float() * 2 - 1)
    const Q = Float32Array.from({ length: 6 * d }, () => rng.float() * 2 - 1)
    Q.set(R.subarray(17 * d, 18 * d), 0)
    R.set(R.subarray(17 * d, 18 * d), 200 * d)
    same(R, d, { k: 5, queries: Q })
    same(R, d, { k: 5, queryRows: [17, 200, 3] })
    // Subnormal products and norms too large for float32 (the scalar search then runs alone).
    same(
      Float32Array.from({ length: 50 * 3 }, () => rng.normal() * 1e-30),
      3,
      { k: 3 },
    )
    same(
      Float32Array.from({ length: 50 * 3 }, () => rng.normal() * 1e20),
      3,
      { k: 3 },
    )
  })
})
