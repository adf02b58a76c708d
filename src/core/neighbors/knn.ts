/**
 * Exact k nearest neighbours (Euclidean) by blocked brute force, for the imbalance samplers (SMOTE's minority
 * neighbours, Borderline-SMOTE's danger test, ADASYN's hardness ratios, Tomek links) on feature matrices up
 * to ~10^5 × 10^3 float32. At 1,280 dimensions a kd-tree or ball tree prunes almost nothing, so this is what
 * scikit-learn's `NearestNeighbors(algorithm='brute')` does too: squared distances through dot products,
 * ‖q‖² + ‖r‖² − 2 q·r, in blocks of queries × references, and a partial selection of the k smallest per
 * query (a max-heap of size k: no sort of the n candidates).
 *
 * Numbers: float32 features, every product and sum in float64 (a float32 product is exact in float64), as
 * scikit-learn upcasts float32 chunks to float64 before its GEMM. The dot kernel keeps 4 queries × 4
 * references in 16 accumulators and walks the features in order, the same order as the norms, so a point
 * and its exact duplicate are at distance exactly 0, and exact ties stay exact ties. Negative squared
 * distances from cancellation are clipped to 0, then the square root is taken (as sklearn).
 *
 * Ties: neighbours are ordered by (distance, index): among equal distances the smaller reference index comes
 * first and wins the last places. scikit-learn 1.2's brute-force search does NOT promise this (its heaps and
 * its final quicksort leave tied neighbours in an arbitrary order, and at the k-th place it may keep any of
 * the tied points); distances agree, and indices agree wherever the distance is not tied.
 *
 * Self: queries that are rows of the reference (`queryRows`, or the default: every row) never have
 * themselves as a neighbour, as sklearn's `kneighbors()` without X, which drops the query's own index. A
 * duplicate of the query is a neighbour at distance 0 (and comes before farther points). External query
 * points (`queries`) are searched against all reference rows.
 *
 * Speed: where WebAssembly SIMD runs (Node, Electron, browsers), the products are first computed in float32
 * by a SIMD kernel (./simd-dots, ~10× the scalar loop) and serve only as a FILTER: a reference row is
 * skipped when its float32 distance minus a rigorous bound on the float32 and float64 rounding errors is
 * still farther than the current k-th neighbour; every other row gets its distance computed exactly as
 * above (float64, in feature order) before it enters the heap. So the result — indices, distances, ties —
 * is bit-identical to the scalar search (`kernel: 'scalar'`, also the fallback without SIMD), and only a
 * few dozen exact distances per query are computed. Why not BLAS through TensorFlow.js: its wasm matMul
 * ran at 2–22 GFLOP/s here (it needs the references transposed, and is asynchronous to set up), the
 * generated kernel at 25–40.
 *
 * Errors are `InputError`s with codes `neighbors.*`. Long searches take an `AbortSignal` and report progress.
 */
import { InputError } from '../../shared/errors'
import { createDotKernel, type DotKernel } from './simd-dots'

export interface KNeighborsOptions {
  /** Number of neighbours per query (≥ 1). */
  k: number
  /** Query points as their own matrix [nQueries, d] (row-major); self is not excluded. */
  queries?: Float32Array
  /**
   * Rows of the reference that are the queries (each excluded from its own neighbours). Default, when
   * neither this nor `queries` is given: every row, as sklearn's `kneighbors()` without X.
   */
  queryRows?: ArrayLike<number>
  signal?: AbortSignal
  /** Called after each block of queries: (done, total, 'neighbors'). */
  onProgress?: (done: number, total: number, phase: string) => void
  /**
   * 'auto' (default): the float32 SIMD filter with exact re-check where WebAssembly SIMD runs, else the
   * scalar search; 'scalar': always the scalar search. Both give the same result (tests compare them).
   */
  kernel?: 'auto' | 'scalar'
}

export interface Neighbors {
  k: number
  nQueries: number
  /** [nQueries, k]: reference row indices, nearest first, ties by smaller index. */
  indices: Int32Array
  /** [nQueries, k]: Euclidean distances, float64. */
  distances: Float64Array
}

/** Queries per block: the block's rows stay in cache while all reference blocks stream past. */
const QUERY_BLOCK = 64
/** Reference floats per block (≈ 256 KB of float32), so a reference block stays in L2. */
const REFERENCE_BLOCK_FLOATS = 65_536
/**
 * SIMD path: at most this many queries per block (their rows are copied into the kernel's memory once per
 * block, and every block streams all references past them); blocks are made equal in size.
 */
const SIMD_QUERY_BLOCK = 1024
/** SIMD path: reference floats per block (≈ 640 KB of float32). */
const SIMD_REFERENCE_BLOCK_FLOATS = 163_840
/**
 * SIMD path only while every squared row norm is below this: then no float32 product or partial sum can
 * overflow (|partial sum| ≤ ‖q‖·‖r‖ < 1e37 < 3.4e38), so the error bound holds.
 */
const SIMD_MAX_NORM2 = 1e37

function badParam(param: string, message: string, expected: string, found: string): InputError {
  return new InputError('neighbors.bad_param', message, { expected, found, params: { param } })
}

/**
 * Checks a row-major float32 matrix of `rows` × `d` and returns the squared norm of each row (float64, summed
 * in feature order, as the dot kernel sums). Non-finite values are an input error.
 */
export function rowNorms(data: Float32Array, d: number, what = 'features'): Float64Array {
  const rows = d === 0 ? 0 : data.length / d
  const norms = new Float64Array(rows)
  // Four rows at once: four independent sums (each still in feature order) instead of one long chain.
  const rows4 = rows - (rows % 4)
  for (let i = 0; i < rows4; i += 4) {
    const o0 = i * d
    const o1 = o0 + d
    const o2 = o1 + d
    const o3 = o2 + d
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0
    for (let l = 0; l < d; l++) {
      const x0 = data[o0 + l]!
      const x1 = data[o1 + l]!
      const x2 = data[o2 + l]!
      const x3 = data[o3 + l]!
      s0 += x0 * x0
      s1 += x1 * x1
      s2 += x2 * x2
      s3 += x3 * x3
    }
    norms[i] = s0
    norms[i + 1] = s1
    norms[i + 2] = s2
    norms[i + 3] = s3
  }
  for (let i = rows4; i < rows; i++) {
    const off = i * d
    let s = 0
    for (let l = 0; l < d; l++) {
      const x = data[off + l]!
      s += x * x
    }
    norms[i] = s
  }
  for (let i = 0; i < rows; i++) {
    const s = norms[i]!
    const off = i * d
    if (!Number.isFinite(s)) {
      let l = 0
      while (l < d && Number.isFinite(data[off + l]!)) l++
      throw new InputError(
        'neighbors.bad_value',
        `The ${what} contain a value that is not a finite number.`,
        {
          record: i + 1,
          expected: 'finite numbers',
          found: String(data[off + l]),
          params: { column: l + 1 },
        },
      )
    }
  }
  return norms
}

/**
 * The k nearest reference rows of each query. `reference` is row-major [n, d] float32.
 *
 * Cost: nQueries × n × d multiply-adds; memory: the k-heaps and one block of dot products.
 */
export function kNeighbors(reference: Float32Array, d: number, options: KNeighborsOptions): Neighbors {
  if (!Number.isInteger(d) || d < 1) {
    throw badParam('d', 'The number of features must be a whole number ≥ 1.', 'd ≥ 1', String(d))
  }
  if (!(reference instanceof Float32Array) || reference.length % d !== 0) {
    throw badParam(
      'reference',
      `The reference matrix must be float32 with a multiple of ${d} values.`,
      `a Float32Array of n × ${d} values`,
      reference instanceof Float32Array ? `${reference.length} values` : typeof reference,
    )
  }
  const n = reference.length / d
  const { k } = options
  if (options.queries !== undefined && options.queryRows !== undefined) {
    throw badParam('queries', 'Give either query points or query rows, not both.', 'one of them', 'both')
  }
  const external = options.queries
  if (external !== undefined && (!(external instanceof Float32Array) || external.length % d !== 0)) {
    throw badParam(
      'queries',
      `The query matrix must be float32 with a multiple of ${d} values.`,
      `a Float32Array of m × ${d} values`,
      external instanceof Float32Array ? `${external.length} values` : typeof external,
    )
  }
  let selfRows: Int32Array | undefined
  if (external === undefined) {
    const rows = options.queryRows
    selfRows = new Int32Array(rows === undefined ? n : rows.length)
    for (let q = 0; q < selfRows.length; q++) {
      const r = rows === undefined ? q : rows[q]!
      if (!Number.isInteger(r) || r < 0 || r >= n) {
        throw badParam('queryRows', 'A query row is not a row of the reference.', `0 … ${n - 1}`, String(r))
      }
      selfRows[q] = r
    }
  }
  const available = selfRows === undefined ? n : n - 1
  if (!Number.isInteger(k) || k < 1) {
    throw badParam('k', 'The number of neighbours must be a whole number ≥ 1.', 'k ≥ 1', String(k))
  }
  if (k > available) {
    throw new InputError(
      'neighbors.too_few_points',
      `${k} neighbours were asked for but only ${available} points can be neighbours.`,
      { expected: `k ≤ ${available}`, found: String(k), params: { param: 'k', k, available } },
    )
  }

  const refNorms = rowNorms(reference, d, 'reference features')
  const nQueries = external === undefined ? selfRows!.length : external.length / d
  const queryData = external ?? reference
  const queryNorms = external === undefined ? undefined : rowNorms(external, d, 'query features')
  const indices = new Int32Array(nQueries * k)
  const heapD = new Float64Array(nQueries * k)
  const heapI = indices // the heaps are built in place, then sorted
  const sizes = new Int32Array(nQueries)
  const search: Search = {
    reference,
    d,
    n,
    k,
    queryData,
    selfRows,
    refNorms,
    queryNorms,
    heapD,
    heapI,
    sizes,
  }

  const kernel = options.kernel === 'scalar' ? undefined : simdKernel(search, nQueries)
  if (kernel !== undefined) filteredSearch(search, nQueries, kernel, options)
  else scalarSearch(search, nQueries, options)

  const distances = new Float64Array(nQueries * k)
  for (let q = 0; q < nQueries; q++) {
    const base = q * k
    sortSmall(heapD, heapI, base, k)
    for (let t = 0; t < k; t++) distances[base + t] = Math.sqrt(heapD[base + t]!)
  }
  return { k, nQueries, indices, distances }
}

/** The state of one search: the inputs, and the k-heaps of every query (max-heaps by (distance, index)). */
interface Search {
  reference: Float32Array
  d: number
  n: number
  k: number
  /** The matrix holding the query rows: `reference` itself for self queries. */
  queryData: Float32Array
  /** For self queries: the reference row of each query (excluded from its neighbours). */
  selfRows: Int32Array | undefined
  refNorms: Float64Array
  queryNorms: Float64Array | undefined
  heapD: Float64Array
  heapI: Int32Array
  sizes: Int32Array
}

/** Row offset in `queryData`, squared norm and excluded self row (−1: none) of query q. */
function queryRow(s: Search, q: number): { offset: number; norm: number; self: number } {
  if (s.selfRows === undefined) return { offset: q * s.d, norm: s.queryNorms![q]!, self: -1 }
  const row = s.selfRows[q]!
  return { offset: row * s.d, norm: s.refNorms[row]!, self: row }
}

/** Offers reference row j at exact squared distance `dist` to the heap of query q. */
function offer(s: Search, q: number, dist: number, j: number): void {
  const { k, heapD, heapI, sizes } = s
  const base = q * k
  const size = sizes[q]!
  if (size < k) {
    heapPush(heapD, heapI, base, size, dist, j)
    sizes[q] = size + 1
  } else if (dist < heapD[base]! || (dist === heapD[base]! && j < heapI[base]!)) {
    heapReplaceTop(heapD, heapI, base, k, dist, j)
  }
}

/** The whole search in float64: every distance through the 4 × 4 dot kernel. */
function scalarSearch(s: Search, nQueries: number, options: KNeighborsOptions): void {
  const { reference, d, n, k, queryData, refNorms, heapD, heapI, sizes } = s

  const refBlock = Math.max(4, Math.floor(REFERENCE_BLOCK_FLOATS / d / 4) * 4)
  const dots = new Float64Array(QUERY_BLOCK * refBlock)
  const qOffsets = new Int32Array(QUERY_BLOCK)
  const qNorm = new Float64Array(QUERY_BLOCK)
  const qSelf = new Int32Array(QUERY_BLOCK)

  for (let q0 = 0; q0 < nQueries; q0 += QUERY_BLOCK) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted')
    const qb = Math.min(QUERY_BLOCK, nQueries - q0)
    for (let a = 0; a < qb; a++) {
      const { offset, norm, self } = queryRow(s, q0 + a)
      qOffsets[a] = offset
      qNorm[a] = norm
      qSelf[a] = self
    }
    for (let r0 = 0; r0 < n; r0 += refBlock) {
      const rb = Math.min(refBlock, n - r0)
      blockDots(queryData, qOffsets, qb, reference, r0, rb, d, dots)
      for (let a = 0; a < qb; a++) {
        const q = q0 + a
        const base = q * k
        const self = qSelf[a]!
        const qn = qNorm[a]!
        const rowOff = a * rb
        let size = sizes[q]!
        for (let b = 0; b < rb; b++) {
          const j = r0 + b
          if (j === self) continue
          let dist = qn + refNorms[j]! - 2 * dots[rowOff + b]!
          if (dist < 0) dist = 0
          if (size < k) {
            heapPush(heapD, heapI, base, size, dist, j)
            size++
          } else if (dist < heapD[base]! || (dist === heapD[base]! && j < heapI[base]!)) {
            heapReplaceTop(heapD, heapI, base, k, dist, j)
          }
        }
        sizes[q] = size
      }
    }
    options.onProgress?.(q0 + qb, nQueries, 'neighbors')
  }
}

/** Unit roundoff of float32 and float64. */
const U32 = 2 ** -24
const U64 = 2 ** -53

/** The last SIMD kernel made (one per row length and block size; a few MB of memory kept for reuse). */
let lastKernel: { key: string; kernel: DotKernel } | undefined

/** A SIMD kernel for this search, or undefined (no SIMD, or norms too large for the float32 bound). */
function simdKernel(s: Search, nQueries: number): DotKernel | undefined {
  let maxNorm = 0
  for (const v of s.refNorms) if (v > maxNorm) maxNorm = v
  if (s.queryNorms !== undefined) for (const v of s.queryNorms) if (v > maxNorm) maxNorm = v
  if (!(maxNorm < SIMD_MAX_NORM2)) return undefined
  const qCap = Math.ceil(nQueries / Math.ceil(nQueries / SIMD_QUERY_BLOCK))
  const stride = Math.ceil(s.d / 4) * 4
  const rCap = Math.min(s.n, Math.max(2, Math.floor(SIMD_REFERENCE_BLOCK_FLOATS / stride)))
  const key = `${s.d}/${qCap}/${rCap}`
  if (lastKernel?.key !== key) {
    const kernel = createDotKernel(s.d, qCap, rCap)
    if (kernel === undefined) return undefined
    lastKernel = { key, kernel }
  }
  return lastKernel.kernel
}

/**
 * The search with float32 SIMD products as a filter. For query q and reference r, with g the kernel's
 * float32 product and D = ‖q‖² + ‖r‖² − 2 q·r computed exactly as in the scalar search:
 *   |g − q·r| ≤ γ Σ|q_l r_l| ≤ γ ‖q‖ ‖r‖, γ = m·u32 / (1 − m·u32), m = the kernel's summation depth
 * (each product rounded once, then at most stride/4 + 2 additions; no overflow below SIMD_MAX_NORM2, and
 * underflow adds at most d · 2^−150, covered by TINY), and the float64 side (norms, exact product, the sums
 * forming D and its float32 estimate) errs by less than (d + 8) · 2^−50 · (‖q‖² + ‖r‖²). A row whose
 * estimate minus both bounds is still beyond the current k-th distance (or, in the first reference block,
 * beyond the block's k-th smallest estimate plus bounds) cannot enter the heap; every other row is offered
 * with its exact D. So the heaps end exactly as in the scalar search.
 */
function filteredSearch(s: Search, nQueries: number, kernel: DotKernel, options: KNeighborsOptions): void {
  const { reference, d, n, k, queryData, refNorms, heapD } = s
  const { stride, qCap, rCap, queries, references, products, kept, keptRows } = kernel
  const m = kernel.sumDepth
  const gamma = ((m * U32) / (1 - m * U32)) * 1.001
  const eps64 = (d + 8) * 4 * U64 * 1.001
  const TINY = 1e-30
  const refRoot = new Float64Array(n)
  for (let j = 0; j < n; j++) refRoot[j] = Math.sqrt(refNorms[j]!)
  const qOffset = new Int32Array(qCap)
  const qNorm = kernel.queryNorm
  const qRoot2g = kernel.queryRoot
  const qSelf = new Int32Array(qCap)
  const best = new Float64Array(k)

  for (let q0 = 0; q0 < nQueries; q0 += qCap) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted')
    const qb = Math.min(qCap, nQueries - q0)
    for (let a = 0; a < qb; a++) {
      const { offset, norm, self } = queryRow(s, q0 + a)
      qOffset[a] = offset
      qNorm[a] = norm
      qRoot2g[a] = 2 * gamma * Math.sqrt(norm)
      qSelf[a] = self
      queries.set(queryData.subarray(offset, offset + d), a * stride)
    }
    for (let r0 = 0; r0 < n; r0 += rCap) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted')
      const rb = Math.min(rCap, n - r0)
      for (let b = 0; b < rb; b++) {
        const off = (r0 + b) * d
        references.set(reference.subarray(off, off + d), b * stride)
      }
      kernel.refNorm.set(refNorms.subarray(r0, r0 + rb))
      kernel.refRoot.set(refRoot.subarray(r0, r0 + rb))
      kernel.run(qb, rb)
      // Each query's limit: its k-th distance so far; in the first block, where the heap is still empty,
      // the k-th smallest upper bound (estimate + bound) of the block's rows (at least k rows are as near).
      for (let a = 0; a < qb; a++) {
        const q = q0 + a
        let limit = s.sizes[q] === k ? heapD[q * k]! : Infinity
        if (r0 === 0 && rb > k) {
          const self = qSelf[a]!
          const qn = qNorm[a]!
          const qr = qRoot2g[a]!
          const row = a * rCap
          best.fill(Infinity)
          for (let b = 0; b < rb; b++) {
            if (b === self) continue
            const rn = refNorms[b]!
            const upper = qn + rn - 2 * products[row + b]! + (qr * refRoot[b]! + eps64 * (qn + rn) + TINY)
            if (upper < best[k - 1]!) {
              let t = k - 1
              while (t > 0 && best[t - 1]! > upper) {
                best[t] = best[t - 1]!
                t--
              }
              best[t] = upper
            }
          }
          limit = Math.min(limit, best[k - 1]!)
        }
        kernel.limit[a] = limit
      }
      // The rows that pass the float32 test at the limit get their exact distance (tested again against
      // the k-th distance of the moment, which only shrinks).
      kernel.filter(qb, rb, eps64, TINY)
      for (let a = 0; a < qb; a++) {
        const q = q0 + a
        const base = q * k
        const self = qSelf[a]!
        const qn = qNorm[a]!
        const qr = qRoot2g[a]!
        const qo = qOffset[a]!
        const row = a * rCap
        const limit = kernel.limit[a]!
        const count = kept[a]!
        for (let c = 0; c < count; c++) {
          const b = keptRows[row + c]!
          const j = r0 + b
          if (j === self) continue
          const rn = refNorms[j]!
          const top = s.sizes[q] === k ? Math.min(heapD[base]!, limit) : limit
          if (top !== Infinity) {
            const estimate = qn + rn - 2 * products[row + b]!
            const bound = qr * refRoot[j]! + eps64 * (qn + rn) + TINY
            if (estimate - bound > top) continue
          }
          let dist = qn + rn - 2 * exactDot(queryData, qo, reference, j * d, d)
          if (dist < 0) dist = 0
          offer(s, q, dist, j)
        }
      }
    }
    options.onProgress?.(q0 + qb, nQueries, 'neighbors')
  }
}

/** Σ_l Q[qo + l] · R[ro + l] in float64, in feature order: the same value as the 4 × 4 kernel's. */
function exactDot(Q: Float32Array, qo: number, R: Float32Array, ro: number, d: number): number {
  let sum = 0
  for (let l = 0; l < d; l++) sum += Q[qo + l]! * R[ro + l]!
  return sum
}

/**
 * dots[a, b] = Σ_l Q[qOffsets[a] + l] · R[(r0 + b)·d + l] for a < qb, b < rb, in float64, summed in l order.
 * A 4 × 4 register tile: 8 loads for 16 multiply-adds per feature.
 */
function blockDots(
  Q: Float32Array,
  qOffsets: Int32Array,
  qb: number,
  R: Float32Array,
  r0: number,
  rb: number,
  d: number,
  dots: Float64Array,
): void {
  const qb4 = qb - (qb % 4)
  const rb4 = rb - (rb % 4)
  for (let a = 0; a < qb4; a += 4) {
    const a0 = qOffsets[a]!
    const a1 = qOffsets[a + 1]!
    const a2 = qOffsets[a + 2]!
    const a3 = qOffsets[a + 3]!
    for (let b = 0; b < rb4; b += 4) {
      const b0 = (r0 + b) * d
      const b1 = b0 + d
      const b2 = b1 + d
      const b3 = b2 + d
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0,
        s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0
      for (let l = 0; l < d; l++) {
        const x0 = Q[a0 + l]!
        const x1 = Q[a1 + l]!
        const x2 = Q[a2 + l]!
        const x3 = Q[a3 + l]!
        const y0 = R[b0 + l]!
        const y1 = R[b1 + l]!
        const y2 = R[b2 + l]!
        const y3 = R[b3 + l]!
        s00 += x0 * y0
        s01 += x0 * y1
        s02 += x0 * y2
        s03 += x0 * y3
        s10 += x1 * y0
        s11 += x1 * y1
        s12 += x1 * y2
        s13 += x1 * y3
        s20 += x2 * y0
        s21 += x2 * y1
        s22 += x2 * y2
        s23 += x2 * y3
        s30 += x3 * y0
        s31 += x3 * y1
        s32 += x3 * y2
        s33 += x3 * y3
      }
      let o = a * rb + b
      dots[o] = s00
      dots[o + 1] = s01
      dots[o + 2] = s02
      dots[o + 3] = s03
      o += rb
      dots[o] = s10
      dots[o + 1] = s11
      dots[o + 2] = s12
      dots[o + 3] = s13
      o += rb
      dots[o] = s20
      dots[o + 1] = s21
      dots[o + 2] = s22
      dots[o + 3] = s23
      o += rb
      dots[o] = s30
      dots[o + 1] = s31
      dots[o + 2] = s32
      dots[o + 3] = s33
    }
    for (let b = rb4; b < rb; b++) {
      const b0 = (r0 + b) * d
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0
      for (let l = 0; l < d; l++) {
        const y = R[b0 + l]!
        s0 += Q[a0 + l]! * y
        s1 += Q[a1 + l]! * y
        s2 += Q[a2 + l]! * y
        s3 += Q[a3 + l]! * y
      }
      dots[a * rb + b] = s0
      dots[(a + 1) * rb + b] = s1
      dots[(a + 2) * rb + b] = s2
      dots[(a + 3) * rb + b] = s3
    }
  }
  for (let a = qb4; a < qb; a++) {
    const a0 = qOffsets[a]!
    for (let b = 0; b < rb; b++) {
      const b0 = (r0 + b) * d
      let s = 0
      for (let l = 0; l < d; l++) s += Q[a0 + l]! * R[b0 + l]!
      dots[a * rb + b] = s
    }
  }
}

/** (d, i) is "larger" than (e, j) in the neighbour order: farther, or as far with a larger index. */
function after(d: number, i: number, e: number, j: number): boolean {
  return d > e || (d === e && i > j)
}

/** Max-heap (by distance, then index) of `size` items at `base`; adds one. */
function heapPush(hd: Float64Array, hi: Int32Array, base: number, size: number, d: number, i: number): void {
  let pos = size
  while (pos > 0) {
    const parent = (pos - 1) >> 1
    const pd = hd[base + parent]!
    const pi = hi[base + parent]!
    if (!after(d, i, pd, pi)) break
    hd[base + pos] = pd
    hi[base + pos] = pi
    pos = parent
  }
  hd[base + pos] = d
  hi[base + pos] = i
}

/** Replaces the top (the farthest kept neighbour) of a full heap of `size` items and sifts down. */
function heapReplaceTop(
  hd: Float64Array,
  hi: Int32Array,
  base: number,
  size: number,
  d: number,
  i: number,
): void {
  let pos = 0
  for (;;) {
    const left = 2 * pos + 1
    if (left >= size) break
    let child = left
    const right = left + 1
    if (right < size && after(hd[base + right]!, hi[base + right]!, hd[base + left]!, hi[base + left]!)) {
      child = right
    }
    const cd = hd[base + child]!
    const ci = hi[base + child]!
    if (!after(cd, ci, d, i)) break
    hd[base + pos] = cd
    hi[base + pos] = ci
    pos = child
  }
  hd[base + pos] = d
  hi[base + pos] = i
}

/** Insertion sort of the k kept neighbours (k is small) by (distance, index). */
function sortSmall(hd: Float64Array, hi: Int32Array, base: number, k: number): void {
  for (let t = 1; t < k; t++) {
    const d = hd[base + t]!
    const i = hi[base + t]!
    let u = t - 1
    while (u >= 0 && after(hd[base + u]!, hi[base + u]!, d, i)) {
      hd[base + u + 1] = hd[base + u]!
      hi[base + u + 1] = hi[base + u]!
      u--
    }
    hd[base + u + 1] = d
    hi[base + u + 1] = i
  }
}
