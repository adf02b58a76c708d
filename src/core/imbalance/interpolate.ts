/**
 * The SMOTE family's arithmetic: new rows x + t · (z − x) between two rows of a matrix, written into the
 * output. At 60,000 × 1,280 with 1% positives that is 58,800 rows of 1,280 values (300 MB); a JavaScript
 * loop does ~0.15 s of it, a WebAssembly SIMD kernel a third, bit for bit the same.
 *
 * Numbers (as imblearn, where numpy subtracts two float32 arrays and multiplies by float64 steps): the
 * difference z − x in float32, the step and the sum in float64, the result rounded to float32. In
 * JavaScript: `x + t * Math.fround(z - x)` (the float64 difference of two float32 values, rounded to
 * float32, is their float32 difference); in the kernel: f32x4.sub, then f64x2 promote / mul / add and the
 * demotion to float32, all IEEE round-to-nearest, so both give identical bits.
 */
import { hasSimd, I32, ins, instantiate, simd, V128, type WasmFunction } from '../simd/wasm'

/** Largest source matrix copied into the kernel's memory (bytes); larger ones use the JavaScript loop. */
const MAX_SOURCE_BYTES = 64 * 1024 * 1024
/** Output bytes per chunk (the kernel writes a chunk, then one copy moves it into the output). */
const CHUNK_BYTES = 512 * 1024

/**
 * out[(outRow + s) · d …] = a + steps[s] · (b − a) for s < count, where a is row aRows[s] of `aSource` and
 * b row bRows[s] of `bSource` (both [·, d] row-major).
 */
export function interpolateRows(
  out: Float32Array,
  outRow: number,
  d: number,
  aSource: Float32Array,
  aRows: Int32Array,
  bSource: Float32Array,
  bRows: Int32Array,
  steps: Float64Array,
  count: number,
): void {
  if (count === 0) return
  if (aSource === bSource && aSource.length * 4 <= MAX_SOURCE_BYTES && count >= 16 && hasSimd()) {
    if (simdInterpolate(out, outRow, d, aSource, aRows, bRows, steps, count)) return
  }
  for (let s = 0; s < count; s++) {
    interpolateRow(out, (outRow + s) * d, aSource, aRows[s]! * d, bSource, bRows[s]! * d, steps[s]!, d)
  }
}

/** One row in JavaScript: out[o …] = a[ia …] + t · (b[ib …] − a[ia …]) over d values. */
export function interpolateRow(
  out: Float32Array,
  o: number,
  a: Float32Array,
  ia: number,
  b: Float32Array,
  ib: number,
  t: number,
  d: number,
): void {
  for (let l = 0; l < d; l++) {
    const x = a[ia + l]!
    out[o + l] = x + t * Math.fround(b[ib + l]! - x)
  }
}

/**
 * The kernel's memory: the source rows [n, stride] at 0 (stride = d rounded up to 4 floats), then per chunk
 * row s: the byte offsets of its two source rows (2 × i32), its step (f64), and the output rows
 * [chunk, stride]. Returns false if the kernel cannot be made (the caller then loops in JavaScript).
 */
function simdInterpolate(
  out: Float32Array,
  outRow: number,
  d: number,
  source: Float32Array,
  aRows: Int32Array,
  bRows: Int32Array,
  steps: Float64Array,
  count: number,
): boolean {
  const stride = Math.ceil(d / 4) * 4
  const rowBytes = stride * 4
  const n = source.length / d
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes))
  const pairBase = n * rowBytes
  const stepBase = pairBase + chunk * 8
  const outBase = stepBase + chunk * 8
  const instance = instantiate(
    [interpolateFunction(rowBytes, pairBase, stepBase, outBase)],
    outBase + chunk * rowBytes,
  )
  if (instance === undefined) return false
  const { buffer } = instance
  const run = instance.exports.interpolate as (count: number) => void
  const rows = new Float32Array(buffer, 0, n * stride)
  if (stride === d) rows.set(source)
  else for (let i = 0; i < n; i++) rows.set(source.subarray(i * d, i * d + d), i * stride)
  const pairs = new Int32Array(buffer, pairBase, chunk * 2)
  const stepView = new Float64Array(buffer, stepBase, chunk)
  const result = new Float32Array(buffer, outBase, chunk * stride)
  for (let s0 = 0; s0 < count; s0 += chunk) {
    const m = Math.min(chunk, count - s0)
    for (let i = 0; i < m; i++) {
      pairs[2 * i] = aRows[s0 + i]! * rowBytes
      pairs[2 * i + 1] = bRows[s0 + i]! * rowBytes
      stepView[i] = steps[s0 + i]!
    }
    run(m)
    const o = (outRow + s0) * d
    if (stride === d) out.set(result.subarray(0, m * d), o)
    else for (let i = 0; i < m; i++) out.set(result.subarray(i * stride, i * stride + d), o + i * d)
  }
  return true
}

/**
 * `interpolate(count)`: for s < count, output row s = a + t · (b − a) (see the layout above). Locals:
 * 0 count (param); 1 s, 2 pa, 3 pb, 4 po, 5 end (i32); 6 t, 7 x, 8 z, 9 diff, 10 lo (v128).
 */
function interpolateFunction(
  rowBytes: number,
  pairBase: number,
  stepBase: number,
  outBase: number,
): WasmFunction {
  const [COUNT, S, PA, PB, PO, END, T, X, Z, DIFF, LO] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
  const { get, set, tee, i32 } = ins
  const body: number[] = []
  const emit = (...parts: number[][]) => parts.forEach((p) => body.push(...p))
  const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]
  const JOIN = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]
  // x + t · diff for the lanes of `half` (the low or the high pair), as two float32 in the low lanes.
  const half = (high: boolean) => {
    const promote = (local: number) =>
      high
        ? [...get(local), ...get(local), ...ins.shuffle(HIGH), ...ins.v(simd.f64x2PromoteLowF32x4)]
        : [...get(local), ...ins.v(simd.f64x2PromoteLowF32x4)]
    emit(promote(X), get(T), promote(DIFF), ins.v(simd.f64x2Mul), ins.v(simd.f64x2Add))
    emit(ins.v(simd.f32x4DemoteF64x2Zero))
  }
  emit(i32(0), set(S))
  emit(ins.block(), ins.loop())
  emit(get(S), get(COUNT), ins.i32LtU(), ins.i32Eqz(), ins.brIf(1))
  // pa, pb = the two rows' byte offsets; t = the step (splat); po = the output row
  emit(get(S), i32(3), ins.i32Shl(), set(PB))
  emit(get(PB), ins.i32Load(pairBase), set(PA))
  emit(get(PB), ins.f64Load(stepBase), ins.v(simd.f64x2Splat), set(T))
  emit(get(PB), ins.i32Load(pairBase + 4), set(PB))
  emit(
    get(S),
    i32(rowBytes),
    ins.i32Mul(),
    i32(outBase),
    ins.i32Add(),
    tee(PO),
    i32(rowBytes),
    ins.i32Add(),
    set(END),
  )
  emit(ins.loop())
  emit(get(PA), ins.vLoad(), set(X), get(PB), ins.vLoad(), set(Z))
  emit(get(Z), get(X), ins.v(simd.f32x4Sub), set(DIFF))
  half(false)
  emit(set(LO))
  emit(get(PO), get(LO))
  half(true)
  emit(ins.shuffle(JOIN), ins.vStore())
  emit(get(PA), i32(16), ins.i32Add(), set(PA), get(PB), i32(16), ins.i32Add(), set(PB))
  emit(get(PO), i32(16), ins.i32Add(), tee(PO), get(END), ins.i32LtU(), ins.brIf(0))
  emit(ins.end())
  emit(get(S), i32(1), ins.i32Add(), set(S), ins.br(0))
  emit(ins.end(), ins.end())
  return {
    name: 'interpolate',
    params: [I32],
    results: [],
    locals: [
      [5, I32],
      [5, V128],
    ],
    body,
  }
}
