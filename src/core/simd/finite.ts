/**
 * Whether every value of a float32 array is finite (no NaN, no ±Infinity): the input check of the samplers,
 * which read every feature of a 60,000 × 1,280 matrix before doing anything. A JavaScript loop over 77 M
 * values takes ~0.1 s here (element by element, the JIT does not vectorise); copying the array through a
 * WebAssembly SIMD scan in L2-sized chunks takes about a third of that.
 *
 * The test is on the bits: a float32 is NaN or infinite exactly when its 8 exponent bits are all ones.
 */
import { hasSimd, I32, i32x4Bytes, ins, instantiate, simd, V128, type WasmFunction } from './wasm'

/** Floats per chunk (256 KB: stays in L2 between the copy and the scan). */
const CHUNK = 65_536
const EXPONENT = 0x7f800000
/** The scan's loop handles 4 vectors (64 bytes) per turn; chunks are padded with zeros to a multiple. */
const UNROLL = 4

interface Scanner {
  view: Float32Array
  scan: (bytes: number) => number
}
/** Made on first use; null where WebAssembly SIMD is unavailable. */
let scanner: Scanner | null | undefined

function makeScanner(): Scanner | null {
  if (!hasSimd()) return null
  const instance = instantiate([scanFunction()], CHUNK * 4)
  if (instance === undefined) return null
  return {
    view: new Float32Array(instance.buffer, 0, CHUNK),
    scan: instance.exports.scan as (bytes: number) => number,
  }
}

/** True when no value of `x` is NaN or infinite. */
export function allFinite(x: Float32Array): boolean {
  if (scanner === undefined) scanner = makeScanner()
  if (scanner === null || x.length < 1024) return allFiniteScalar(x)
  const { view, scan }: Scanner = scanner
  for (let off = 0; off < x.length; off += CHUNK) {
    const len = Math.min(CHUNK, x.length - off)
    view.set(x.subarray(off, off + len))
    const padded = Math.ceil(len / (4 * UNROLL)) * 4 * UNROLL
    if (padded > len) view.fill(0, len, padded)
    if (scan(padded * 4) !== 0) return false
  }
  return true
}

/** The same test in plain JavaScript (small arrays, or no WebAssembly SIMD): x · 0 is NaN exactly then. */
export function allFiniteScalar(x: Float32Array): boolean {
  const len = x.length
  const len4 = len - (len % 4)
  let p0 = 0,
    p1 = 0,
    p2 = 0,
    p3 = 0
  for (let i = 0; i < len4; i += 4) {
    p0 += x[i]! * 0
    p1 += x[i + 1]! * 0
    p2 += x[i + 2]! * 0
    p3 += x[i + 3]! * 0
  }
  for (let i = len4; i < len; i++) p0 += x[i]! * 0
  return p0 + p1 + p2 + p3 === 0
}

/**
 * `scan(bytes)`: 1 if any float32 in memory [0, bytes) has all exponent bits set, else 0; bytes a multiple
 * of 16 · UNROLL. Locals: 0 bytes (param), 1 p (i32), 2 acc, 3 mask (v128).
 */
function scanFunction(): WasmFunction {
  const [BYTES, P, ACC, MASK] = [0, 1, 2, 3]
  const { get, set, i32 } = ins
  const body: number[] = []
  const emit = (...parts: number[][]) => parts.forEach((p) => body.push(...p))
  emit(ins.vConst(i32x4Bytes(EXPONENT)), set(MASK))
  emit(ins.vConst(i32x4Bytes(0)), set(ACC))
  emit(i32(0), set(P))
  emit(ins.block(), ins.loop())
  emit(get(P), get(BYTES), ins.i32LtU(), ins.i32Eqz(), ins.brIf(1))
  for (let u = 0; u < UNROLL; u++) {
    // acc |= ((v & mask) == mask)
    emit(get(ACC), get(P), ins.vLoad(16 * u), get(MASK), ins.v(simd.and), get(MASK), ins.v(simd.i32x4Eq))
    emit(ins.v(simd.or), set(ACC))
  }
  emit(get(P), i32(16 * UNROLL), ins.i32Add(), set(P), ins.br(0))
  emit(ins.end(), ins.end())
  emit(get(ACC), ins.v(simd.anyTrue))
  return {
    name: 'scan',
    params: [I32],
    results: [I32],
    locals: [
      [1, I32],
      [2, V128],
    ],
    body,
  }
}
