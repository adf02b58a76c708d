/**
 * A very small WebAssembly assembler for the core's few SIMD kernels (kNN dot products, the finite-value
 * scan, SMOTE's interpolation). JavaScript has no SIMD; WebAssembly's 128-bit SIMD runs in Node, Electron
 * and browsers alike. The kernels are generated as bytes at run time (a few hundred bytes each): no build
 * step, no binary file, and constants such as a row stride become immediates.
 *
 * Only what the kernels use is here: one memory (exported as `mem`), functions of i32 parameters, locals,
 * blocks and loops, i32 arithmetic and the SIMD instructions named in `simd`. Opcodes are those of the
 * WebAssembly 2.0 core specification (SIMD after the 0xfd prefix, LEB128-encoded).
 */

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

export const PAGE_BYTES = 65_536

/** Value types. */
export const I32 = 0x7f
export const F64 = 0x7c
export const V128 = 0x7b

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n = Math.floor(n / 128)
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

/** Signed LEB128 (i32.const immediates). */
export function sleb(n: number): number[] {
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

/** SIMD opcodes (after the 0xfd prefix). */
export const simd = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f64x2Splat: 0x14,
  f32x4ExtractLane: 0x1f,
  i32x4Eq: 0x37,
  and: 0x4e,
  or: 0x50,
  anyTrue: 0x53,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
} as const

/** Instructions as byte arrays, to be concatenated into a function body. */
export const ins = {
  block: (): number[] => [0x02, 0x40],
  loop: (): number[] => [0x03, 0x40],
  end: (): number[] => [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  get: (local: number): number[] => [0x20, ...uleb(local)],
  set: (local: number): number[] => [0x21, ...uleb(local)],
  tee: (local: number): number[] => [0x22, ...uleb(local)],
  i32: (value: number): number[] => [0x41, ...sleb(value)],
  i32Eqz: (): number[] => [0x45],
  i32LtU: (): number[] => [0x49],
  i32Add: (): number[] => [0x6a],
  i32Sub: (): number[] => [0x6b],
  i32Mul: (): number[] => [0x6c],
  i32Shl: (): number[] => [0x74],
  i32Load: (offset = 0): number[] => [0x28, 0x02, ...uleb(offset)],
  f32Load: (offset = 0): number[] => [0x2a, 0x02, ...uleb(offset)],
  f64Load: (offset = 0): number[] => [0x2b, 0x03, ...uleb(offset)],
  i32Store: (offset = 0): number[] => [0x36, 0x02, ...uleb(offset)],
  f32Store: (offset = 0): number[] => [0x38, 0x02, ...uleb(offset)],
  f64Gt: (): number[] => [0x64],
  f32Add: (): number[] => [0x92],
  f64Add: (): number[] => [0xa0],
  f64Sub: (): number[] => [0xa1],
  f64Mul: (): number[] => [0xa2],
  f64PromoteF32: (): number[] => [0xbb],
  /** A SIMD instruction (no immediates). */
  v: (code: number): number[] => [0xfd, ...uleb(code)],
  /** v128.load / v128.store with an immediate byte offset (alignment hint 1: any address). */
  vLoad: (offset = 0): number[] => [0xfd, ...uleb(simd.load), 0x00, ...uleb(offset)],
  vStore: (offset = 0): number[] => [0xfd, ...uleb(simd.store), 0x00, ...uleb(offset)],
  vConst: (bytes: number[]): number[] => [0xfd, ...uleb(simd.const), ...bytes],
  /** i8x16.shuffle of the two vectors on the stack by 16 lane indices (0–15 first, 16–31 second). */
  shuffle: (lanes: number[]): number[] => [0xfd, ...uleb(simd.shuffle), ...lanes],
  extractF32: (lane: number): number[] => [0xfd, ...uleb(simd.f32x4ExtractLane), lane],
}

/** 16 bytes of four little-endian i32 lanes, for v128.const. */
export function i32x4Bytes(value: number): number[] {
  const out: number[] = []
  for (let lane = 0; lane < 4; lane++)
    out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24)
  return out
}

export interface WasmFunction {
  name: string
  params: number[]
  results: number[]
  /** Extra locals after the parameters: [count, type] runs. */
  locals: Array<[number, number]>
  body: number[]
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

/** A module of these functions (exported by name) and one memory of `pages` pages (exported as `mem`). */
export function moduleBytes(functions: WasmFunction[], pages: number): Uint8Array {
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((t) => [t])),
    ...vec(f.results.map((t) => [t])),
  ])
  const codes = functions.map((f) => {
    const code = [...vec(f.locals.map(([count, type]) => [...uleb(count), type])), ...f.body, 0x0b]
    return [...uleb(code.length), ...code]
  })
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(
      7,
      vec([...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('mem'), 0x02, 0]]),
    ),
    ...section(10, vec(codes)),
  ])
}

/** A minimal SIMD module (one f32x4 add); valid only where the runtime has WebAssembly SIMD. */
function probe(): Uint8Array {
  const body = [...ins.vConst(new Array<number>(16).fill(0)), ...ins.vConst(new Array<number>(16).fill(0))]
  body.push(...ins.v(simd.f32x4Add), ...ins.v(simd.anyTrue))
  return moduleBytes([{ name: 'probe', params: [], results: [I32], locals: [], body }], 1)
}

let simdSupport: boolean | undefined
/** True where this runtime runs WebAssembly with fixed-width SIMD (Node ≥ 16, current browsers). */
export function hasSimd(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = wasm !== undefined && wasm.validate(probe())
    } catch {
      simdSupport = false
    }
  }
  return simdSupport
}

export interface WasmInstance {
  /** The module's memory (fixed size: the kernels never grow it, so views stay valid). */
  buffer: ArrayBuffer
  exports: Record<string, unknown>
}

/** Compiles and instantiates synchronously (the modules are tiny), or undefined without SIMD. */
export function instantiate(functions: WasmFunction[], bytes: number): WasmInstance | undefined {
  if (!hasSimd()) return undefined
  const module = new wasm!.Module(moduleBytes(functions, Math.max(1, Math.ceil(bytes / PAGE_BYTES))))
  const instance = new wasm!.Instance(module, {})
  return { buffer: (instance.exports.mem as { buffer: ArrayBuffer }).buffer, exports: instance.exports }
}
