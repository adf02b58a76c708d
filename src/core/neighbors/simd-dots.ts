/**
 * Float32 dot products of a block of query rows with a block of reference rows, in WebAssembly SIMD
 * (f32x4), for the candidate filter of the exact kNN (./knn). Plain JavaScript has no SIMD and reaches
 * ~3 GFLOP/s on these products; this kernel reaches several times that on one core, and the exact float64
 * re-check in ./knn keeps every neighbour and distance bit-identical to the scalar search.
 *
 * The module is generated (../simd/wasm: a few hundred bytes, no build step, no file) for one row length:
 * the row stride is then a constant, so the 4 query rows and 2 reference rows of the register tile are
 * addressed as immediate offsets from one pointer each. Per 4 features the inner loop does 6 vector loads, 8 multiplies,
 * 8 adds (32 multiply-adds in 8 accumulators).
 *
 * Layout in the module's memory: queries [qCap, stride] at 0, references [rCap, stride] after them, the
 * products [qCap, rCap] (row-major, float32) after those; stride = d rounded up to a multiple of 4 floats,
 * the padding zero (so it adds nothing). `run(qb, rb)` fills products[a, b] for a < qb, b < rb.
 *
 * Summation: each of the 4 lanes sums every 4th product in feature order, then the lanes are added
 * ((l0 + l1) + (l2 + l3)). So a product has at most stride/4 + 3 roundings on its way to the sum, which is
 * what the error bound in ./knn counts (`sumDepth`). A 4 × 2 tile ran as fast as 2 × 4, 3 × 4 or 4 × 3
 * here, and unrolling the feature loop made it slower (V8 then spills registers).
 */
import { F64, hasSimd, I32, ins, instantiate, simd, V128, type WasmFunction } from '../simd/wasm'

export { hasSimd }

/** Query rows per register tile (the kernel's rows); blocks are padded to a multiple. */
export const TILE_Q = 4
/** Reference rows per register tile. */
export const TILE_R = 2

export interface DotKernel {
  /** Floats per row in the module's memory: d rounded up to a multiple of 4. */
  readonly stride: number
  readonly qCap: number
  readonly rCap: number
  /** Views of the module's memory (write rows into the first two, read the third). */
  readonly queries: Float32Array
  readonly references: Float32Array
  /** [qCap, rCap] row-major: products[a · rCap + b]. */
  readonly products: Float32Array
  /** Roundings a product can go through on its way into its dot product (for the error bound). */
  readonly sumDepth: number
  run(qb: number, rb: number): void
  /** Per query of the block (filter inputs): ‖q‖², 2γ‖q‖, and the distance beyond which rows are dropped. */
  readonly queryNorm: Float64Array
  readonly queryRoot: Float64Array
  readonly limit: Float64Array
  /** Per reference of the block (filter inputs): ‖r‖² and ‖r‖. */
  readonly refNorm: Float64Array
  readonly refRoot: Float64Array
  /** Filter outputs: per query the number of kept rows, and their block indices at [a · rCap …]. */
  readonly kept: Int32Array
  readonly keptRows: Int32Array
  /**
   * After `run`: for a < qb, keeps the rows b < rb with NOT (estimate − bound > limit[a]), where
   * estimate = ‖q‖² + ‖r‖² − 2·products[a, b] and bound = 2γ‖q‖·‖r‖ + eps·(‖q‖² + ‖r‖²) + tiny, all in
   * float64 in that order (../neighbors/knn explains the bound).
   */
  filter(qb: number, rb: number, eps: number, tiny: number): void
}

/**
 * A kernel for rows of d features, with room for qCap queries and rCap references (both rounded up to the
 * tile), or undefined where WebAssembly SIMD is unavailable (the caller then uses its scalar path).
 */
export function createDotKernel(d: number, qCap: number, rCap: number): DotKernel | undefined {
  if (!hasSimd()) return undefined
  const stride = Math.ceil(d / 4) * 4
  qCap = Math.ceil(qCap / TILE_Q) * TILE_Q
  rCap = Math.ceil(rCap / TILE_R) * TILE_R
  const layout = memoryLayout(stride, qCap, rCap)
  const instance = instantiate([dotsFunction(stride, qCap, rCap), filterFunction(layout, rCap)], layout.end)
  if (instance === undefined) return undefined
  const { buffer } = instance
  const dots = instance.exports.dots as (qb: number, rb: number) => void
  const filter = instance.exports.filter as (qb: number, rb: number, eps: number, tiny: number) => void
  const queries = new Float32Array(buffer, 0, qCap * stride)
  const references = new Float32Array(buffer, qCap * stride * 4, rCap * stride)
  const products = new Float32Array(buffer, layout.products, qCap * rCap)
  return {
    queryNorm: new Float64Array(buffer, layout.queryNorm, qCap),
    queryRoot: new Float64Array(buffer, layout.queryRoot, qCap),
    limit: new Float64Array(buffer, layout.limit, qCap),
    refNorm: new Float64Array(buffer, layout.refNorm, rCap),
    refRoot: new Float64Array(buffer, layout.refRoot, rCap),
    kept: new Int32Array(buffer, layout.kept, qCap),
    keptRows: new Int32Array(buffer, layout.keptRows, qCap * rCap),
    filter(qb: number, rb: number, eps: number, tiny: number): void {
      if (qb < 0 || qb > qCap || rb < 0 || rb > rCap) throw new Error('DotKernel.filter: block too large')
      filter(qb, rb, eps, tiny)
    },
    stride,
    qCap,
    rCap,
    queries,
    references,
    products,
    sumDepth: stride / 4 + 3,
    run(qb: number, rb: number): void {
      if (qb < 0 || qb > qCap || rb < 0 || rb > rCap) throw new Error('DotKernel.run: block too large')
      if (qb === 0 || rb === 0) return
      // Rows past qb / rb within the last tile are computed from whatever they hold and never read.
      dots(Math.ceil(qb / TILE_Q) * TILE_Q, Math.ceil(rb / TILE_R) * TILE_R)
    },
  }
}

/** Byte offsets of the regions of the module's memory. */
interface Layout {
  products: number
  queryNorm: number
  queryRoot: number
  limit: number
  refNorm: number
  refRoot: number
  kept: number
  keptRows: number
  end: number
}

function memoryLayout(stride: number, qCap: number, rCap: number): Layout {
  const products = (qCap + rCap) * stride * 4
  const queryNorm = products + qCap * rCap * 4
  const queryRoot = queryNorm + qCap * 8
  const limit = queryRoot + qCap * 8
  const refNorm = limit + qCap * 8
  const refRoot = refNorm + rCap * 8
  const kept = refRoot + rCap * 8
  const keptRows = kept + qCap * 4
  return {
    products,
    queryNorm,
    queryRoot,
    limit,
    refNorm,
    refRoot,
    kept,
    keptRows,
    end: keptRows + qCap * rCap * 4,
  }
}

/**
 * `filter(qb, rb, eps, tiny)` (see DotKernel.filter), scalar float64: the test is a few operations per
 * pair and rarely passes, so it is the loop around it that costs; here it runs without JavaScript's
 * per-element checks. Locals: 0 qb, 1 rb (i32), 2 eps, 3 tiny (f64); 4 a, 5 b, 6 count, 7 prow, 8 out
 * (i32); 9 qn, 10 qr, 11 top, 12 rn (f64).
 */
function filterFunction(layout: Layout, rCap: number): WasmFunction {
  const [QB, RB, EPS, TINY, A, B, COUNT, PROW, OUT, QN, QR, TOP, RN] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ]
  const { get, set, tee, i32 } = ins
  const body: number[] = []
  const emit = (...parts: number[][]) => parts.forEach((p) => body.push(...p))
  emit(i32(0), set(A))
  emit(ins.block(), ins.loop())
  emit(get(A), get(QB), ins.i32LtU(), ins.i32Eqz(), ins.brIf(1))
  //   qn, qr, top of query a; prow = products row; out = kept rows of a
  emit(get(A), i32(3), ins.i32Shl(), tee(B), ins.f64Load(layout.queryNorm), set(QN))
  emit(get(B), ins.f64Load(layout.queryRoot), set(QR))
  emit(get(B), ins.f64Load(layout.limit), set(TOP))
  emit(get(A), i32(rCap * 4), ins.i32Mul(), tee(PROW), i32(layout.keptRows), ins.i32Add(), set(OUT))
  emit(i32(0), set(COUNT), i32(0), set(B))
  emit(ins.block(), ins.loop())
  emit(get(B), get(RB), ins.i32LtU(), ins.i32Eqz(), ins.brIf(1))
  //     keptRows[out + count] = b; count += !(estimate − bound > top)
  emit(get(OUT), get(COUNT), i32(2), ins.i32Shl(), ins.i32Add(), get(B), ins.i32Store())
  emit(get(B), i32(3), ins.i32Shl(), ins.f64Load(layout.refNorm), set(RN))
  //     estimate = (qn + rn) − 2 · g
  emit(get(QN), get(RN), ins.f64Add())
  emit(
    get(PROW),
    get(B),
    i32(2),
    ins.i32Shl(),
    ins.i32Add(),
    ins.f32Load(layout.products),
    ins.f64PromoteF32(),
  )
  emit(
    get(PROW),
    get(B),
    i32(2),
    ins.i32Shl(),
    ins.i32Add(),
    ins.f32Load(layout.products),
    ins.f64PromoteF32(),
  )
  emit(ins.f64Add(), ins.f64Sub())
  //     bound = (qr · rr + eps · (qn + rn)) + tiny
  emit(get(QR), get(B), i32(3), ins.i32Shl(), ins.f64Load(layout.refRoot), ins.f64Mul())
  emit(get(EPS), get(QN), get(RN), ins.f64Add(), ins.f64Mul(), ins.f64Add(), get(TINY), ins.f64Add())
  emit(ins.f64Sub(), get(TOP), ins.f64Gt(), ins.i32Eqz(), get(COUNT), ins.i32Add(), set(COUNT))
  emit(get(B), i32(1), ins.i32Add(), set(B), ins.br(0))
  emit(ins.end(), ins.end())
  emit(get(A), i32(2), ins.i32Shl(), get(COUNT), ins.i32Store(layout.kept))
  emit(get(A), i32(1), ins.i32Add(), set(A), ins.br(0))
  emit(ins.end(), ins.end())
  return {
    name: 'filter',
    params: [I32, I32, F64, F64],
    results: [],
    locals: [
      [5, I32],
      [4, F64],
    ],
    body,
  }
}

/**
 * `dots(qb, rb)` for rows of `stride` floats and blocks of qCap × rCap. Locals: 0 qb, 1 rb (params);
 * 2 a, 3 b, 4 pq, 5 pr, 6 end, 7 out (i32); 8 … 15 accumulators acc[i][j] = 8 + 2i + j, 16 y,
 * 17 … 20 x[i] (v128).
 */
function dotsFunction(stride: number, qCap: number, rCap: number): WasmFunction {
  const rowBytes = stride * 4
  const refBase = qCap * rowBytes
  const outBase = memoryLayout(stride, qCap, rCap).products
  const [QB, RB, A, B, PQ, PR, END, OUT, Y, X0] = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17]
  const acc = (i: number, j: number) => 8 + TILE_R * i + j
  const { get, set, tee, i32 } = ins
  const body: number[] = []
  const emit = (...parts: number[][]) => parts.forEach((p) => body.push(...p))

  // a = 0; loop over query tiles
  emit(i32(0), set(A), ins.loop())
  //   b = 0; loop over reference tiles
  emit(i32(0), set(B), ins.loop())
  //     pq = a · rowBytes; pr = refBase + b · rowBytes; end = pq + rowBytes; accumulators = 0
  emit(get(A), i32(rowBytes), ins.i32Mul(), set(PQ))
  emit(get(B), i32(rowBytes), ins.i32Mul(), i32(refBase), ins.i32Add(), set(PR))
  emit(get(PQ), i32(rowBytes), ins.i32Add(), set(END))
  for (let i = 0; i < TILE_Q; i++) {
    for (let j = 0; j < TILE_R; j++) emit(ins.vConst(new Array<number>(16).fill(0)), set(acc(i, j)))
  }
  //     loop over features, 4 at a time: x[i] = Q[a + i][l…l+3]; per reference j: acc[i][j] += x[i] · y
  emit(ins.loop())
  for (let i = 0; i < TILE_Q; i++) emit(get(PQ), ins.vLoad(i * rowBytes), set(X0 + i))
  for (let j = 0; j < TILE_R; j++) {
    emit(get(PR), ins.vLoad(j * rowBytes), set(Y))
    for (let i = 0; i < TILE_Q; i++) {
      emit(get(acc(i, j)), get(X0 + i), get(Y), ins.v(simd.f32x4Mul), ins.v(simd.f32x4Add), set(acc(i, j)))
    }
  }
  emit(get(PR), i32(16), ins.i32Add(), set(PR))
  emit(get(PQ), i32(16), ins.i32Add(), tee(PQ), get(END), ins.i32LtU(), ins.brIf(0))
  emit(ins.end())
  //     products[(a + i) · rCap + b + j] = (l0 + l1) + (l2 + l3)
  emit(get(A), i32(rCap), ins.i32Mul(), get(B), ins.i32Add(), i32(4), ins.i32Mul(), i32(outBase))
  emit(ins.i32Add(), set(OUT))
  for (let i = 0; i < TILE_Q; i++) {
    for (let j = 0; j < TILE_R; j++) {
      const lane = (k: number) => [...get(acc(i, j)), ...ins.extractF32(k)]
      emit(get(OUT), lane(0), lane(1), ins.f32Add(), lane(2), lane(3), ins.f32Add(), ins.f32Add())
      emit(ins.f32Store((i * rCap + j) * 4))
    }
  }
  //     b += TILE_R; continue while b < rb
  emit(get(B), i32(TILE_R), ins.i32Add(), tee(B), get(RB), ins.i32LtU(), ins.brIf(0))
  emit(ins.end())
  //   a += TILE_Q; continue while a < qb
  emit(get(A), i32(TILE_Q), ins.i32Add(), tee(A), get(QB), ins.i32LtU(), ins.brIf(0))
  emit(ins.end())
  return {
    name: 'dots',
    params: [I32, I32],
    results: [],
    locals: [
      [6, I32],
      [13, V128],
    ],
    body,
  }
}
