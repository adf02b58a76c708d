/**
 * Float32 dot products of a block of query rows with a block of reference rows, in WebAssembly SIMD
 * (f32x4), for the candidate filter of the exact kNN (./knn). Plain JavaScript has no SIMD and reaches
 * ~3 GFLOP/s on these products; this kernel reaches several times that on one core, and the exact float64
 * re-check in ./knn keeps every neighbour and distance bit-identical to the scalar search.
 *
 * The module is generated here (a few hundred bytes, no build step, no file) for one row length: the row
 * stride is then a constant, so the 4 query rows and 2 reference rows of the register tile are addressed as
 * immediate offsets from one pointer each. Per 4 features the inner loop does 6 vector loads, 8 multiplies,
 * 8 adds (32 multiply-adds in 8 accumulators).
 *
 * Layout in the module's memory: queries [qCap, stride] at 0, references [rCap, stride] after them, the
 * products [qCap, rCap] (row-major, float32) after those; stride = d rounded up to a multiple of 4 floats,
 * the padding zero (so it adds nothing). `run(qb, rb)` fills products[a, b] for a < qb, b < rb.
 *
 * Summation: each of the 4 lanes sums every 4th product in feature order, then the lanes are added
 * ((l0 + l1) + (l2 + l3)). So a product has at most stride/4 + 3 roundings on its way to the sum, which is
 * what the error bound in ./knn counts (`SUM_DEPTH`).
 */

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
}

const PAGE = 65_536

/**
 * The part of the WebAssembly JS API used here. The core's TypeScript setting has no DOM library (the core
 * runs in Node and workers too), so the global is typed locally; it exists in every runtime SeqLab targets.
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly

/** True where this runtime runs WebAssembly with fixed-width SIMD (Node ≥ 16, current browsers). */
let simdSupport: boolean | undefined
export function hasSimd(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = wasm !== undefined && wasm.validate(moduleBytes(4, 4, 2))
    } catch {
      simdSupport = false
    }
  }
  return simdSupport
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
  const floats = (qCap + rCap) * stride + qCap * rCap
  const pages = Math.ceil((floats * 4) / PAGE)
  const module = new wasm!.Module(moduleBytes(stride, qCap, rCap, pages))
  const instance = new wasm!.Instance(module, {})
  const memory = instance.exports.mem as { buffer: ArrayBuffer }
  const dots = instance.exports.dots as (qb: number, rb: number) => void
  const queries = new Float32Array(memory.buffer, 0, qCap * stride)
  const references = new Float32Array(memory.buffer, qCap * stride * 4, rCap * stride)
  const products = new Float32Array(memory.buffer, (qCap + rCap) * stride * 4, qCap * rCap)
  return {
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

// ---- the module -------------------------------------------------------------------------------------

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n = Math.floor(n / 128)
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

/** Signed LEB128 (for i32.const). */
function sleb(n: number): number[] {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte)
      return out
    }
    out.push(byte | 0x80)
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body]
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()]
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))]
}

// Opcodes used (WebAssembly core 2.0, SIMD proposal numbers after the 0xfd prefix).
const I32 = 0x7f
const V128 = 0x7b
const op = {
  block: 0x02,
  loop: 0x03,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f32Store: 0x38,
  f32Add: 0x92,
}
const simd = (code: number): number[] => [0xfd, ...uleb(code)]
const V128_LOAD = 0x00
const V128_CONST = 0x0c
const F32X4_EXTRACT_LANE = 0x1f
const F32X4_ADD = 0xe4
const F32X4_MUL = 0xe6

/**
 * The module: memory (exported as `mem`, `pages` pages) and `dots(qb, rb)`, for rows of `stride` floats and
 * blocks of qCap × rCap. Locals: 0 qb, 1 rb (params); 2 a, 3 b, 4 pq, 5 pr, 6 end, 7 out (i32);
 * 8 … 15 accumulators acc[i][j] = 8 + 2i + j, 16 y, 17 … 20 x[i] (v128).
 */
function moduleBytes(stride: number, qCap: number, rCap: number, pages = 1): Uint8Array {
  const rowBytes = stride * 4
  const refBase = qCap * rowBytes
  const outBase = (qCap + rCap) * rowBytes
  const [QB, RB, A, B, PQ, PR, END, OUT, Y, X0] = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17]
  const acc = (i: number, j: number) => 8 + TILE_R * i + j
  const get = (l: number) => [op.localGet, ...uleb(l)]
  const set = (l: number) => [op.localSet, ...uleb(l)]
  const i32 = (v: number) => [op.i32Const, ...sleb(v)]
  // v128.load with alignment 2^4 hint 0 (unaligned allowed) and an immediate offset.
  const load = (offset: number) => [...simd(V128_LOAD), 0x00, ...uleb(offset)]
  const body: number[] = []
  const emit = (...parts: number[][]) => parts.forEach((p) => body.push(...p))

  // a = 0; loop over query tiles
  emit(i32(0), set(A), [op.loop, 0x40])
  //   b = 0; loop over reference tiles
  emit(i32(0), set(B), [op.loop, 0x40])
  //     pq = a · rowBytes; pr = refBase + b · rowBytes; end = pq + rowBytes; accumulators = 0
  emit(get(A), i32(rowBytes), [op.i32Mul], set(PQ))
  emit(get(B), i32(rowBytes), [op.i32Mul], i32(refBase), [op.i32Add], set(PR))
  emit(get(PQ), i32(rowBytes), [op.i32Add], set(END))
  for (let i = 0; i < TILE_Q; i++) {
    for (let j = 0; j < TILE_R; j++) emit(simd(V128_CONST), new Array<number>(16).fill(0), set(acc(i, j)))
  }
  //     loop over features, 4 at a time
  emit([op.loop, 0x40])
  for (let i = 0; i < TILE_Q; i++) emit(get(PQ), load(i * rowBytes), set(X0 + i))
  for (let j = 0; j < TILE_R; j++) {
    emit(get(PR), load(j * rowBytes), set(Y))
    for (let i = 0; i < TILE_Q; i++) {
      emit(get(acc(i, j)), get(X0 + i), get(Y), simd(F32X4_MUL), simd(F32X4_ADD), set(acc(i, j)))
    }
  }
  emit(get(PR), i32(16), [op.i32Add], set(PR))
  emit(get(PQ), i32(16), [op.i32Add], [op.localTee, ...uleb(PQ)], get(END), [op.i32LtU], [op.brIf, 0])
  emit([op.end])
  //     products[(a + i) · rCap + b + j] = (l0 + l1) + (l2 + l3)
  emit(get(A), i32(rCap), [op.i32Mul], get(B), [op.i32Add], i32(4), [op.i32Mul], i32(outBase))
  emit([op.i32Add], set(OUT))
  for (let i = 0; i < TILE_Q; i++) {
    for (let j = 0; j < TILE_R; j++) {
      const a = acc(i, j)
      const lane = (k: number) => [...get(a), ...simd(F32X4_EXTRACT_LANE), k]
      emit(get(OUT), lane(0), lane(1), [op.f32Add], lane(2), lane(3), [op.f32Add], [op.f32Add])
      emit([op.f32Store, 0x02, ...uleb((i * rCap + j) * 4)])
    }
  }
  //     b += TILE_R; continue while b < rb
  emit(get(B), i32(TILE_R), [op.i32Add], [op.localTee, ...uleb(B)], get(RB), [op.i32LtU], [op.brIf, 0])
  emit([op.end])
  //   a += TILE_Q; continue while a < qb
  emit(get(A), i32(TILE_Q), [op.i32Add], [op.localTee, ...uleb(A)], get(QB), [op.i32LtU], [op.brIf, 0])
  emit([op.end, op.end])

  const locals = vec([
    [6, I32],
    [13, V128],
  ])
  const code = [...locals, ...body]
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), 0x00]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([
        [...name('dots'), 0x00, 0],
        [...name('mem'), 0x02, 0],
      ]),
    ),
    ...section(10, vec([[...uleb(code.length), ...code]])),
  ]
  return new Uint8Array(bytes)
}
