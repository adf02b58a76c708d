/**
 * The TensorFlow.js engine of this process: which backend runs the models, set up once and remembered.
 *
 * Candidates, best first (DESIGN.md, "Engine"):
 * - `tensorflow`: the native bindings, `@tensorflow/tfjs-node-gpu` then `@tensorflow/tfjs-node`. Optional
 *   packages that are usually absent, so they are loaded with a require that bundlers cannot see (the CLI is
 *   bundled by esbuild, the Electron main process by electron-vite).
 * - `wasm`: `@tensorflow/tfjs-backend-wasm`, the offline default. In Node it reads its `.wasm` binaries from
 *   its own `dist` folder, which we point it at explicitly. Its multi-threaded build cannot run in Node (it
 *   starts its workers from `blob:` URLs, which `worker_threads` refuses, and tfjs itself reports no thread
 *   support under Node), so it runs the single-threaded SIMD build: `threads` is 1. Parallelism comes from
 *   running jobs in worker threads instead.
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, pure JavaScript, always works, slow.
 *
 * Each worker thread has its own TensorFlow.js instance and calls `getEngineInfo()` for itself.
 */
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import type * as WasmBackend from '@tensorflow/tfjs-backend-wasm'
import type { EngineInfo } from '../shared/contract'
import { selectBackend, type BackendCandidate } from '../core/engine/backend'

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm'
const WASM_BINARY = 'tfjs-backend-wasm-simd.wasm'

/**
 * Node's own `require`, reached through a variable so that bundlers leave the optional packages alone and
 * resolution happens at run time from the bundle's location (out/cli, out/main) up to node_modules.
 */
const runtimeRequire: NodeJS.Require =
  typeof require === 'function' ? require : createRequire(import.meta.url)

function requireFirst(names: string[]): void {
  const failures: string[] = []
  for (const name of names) {
    try {
      runtimeRequire(name)
      return
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      failures.push(
        code === 'MODULE_NOT_FOUND' ? `${name} is not installed` : `${name}: ${(err as Error).message}`,
      )
    }
  }
  throw new Error(failures.join('; '))
}

/**
 * The folder holding the wasm backend's `.wasm` files. In a packaged Electron app they are unpacked next to
 * the asar archive (electron-builder's `asarUnpack`), because native code cannot be read from inside it.
 */
export function wasmBinariesDir(resolve: (id: string) => string = runtimeRequire.resolve): string {
  const dir = path.dirname(resolve(WASM_PACKAGE))
  const unpacked = dir.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked')
  return unpacked !== dir && fs.existsSync(unpacked) ? unpacked : dir
}

export function engineCandidates(): BackendCandidate[] {
  let wasm: typeof WasmBackend | undefined
  return [
    { name: 'tensorflow', init: async () => requireFirst(NATIVE_PACKAGES) },
    {
      name: 'wasm',
      init: async () => {
        const dir = wasmBinariesDir()
        // Fail with a plain reason here rather than inside Emscripten, whose abort message is about web servers.
        if (!fs.existsSync(path.join(dir, WASM_BINARY)))
          throw new Error(`${WASM_BINARY} is missing from ${dir}`)
        wasm = runtimeRequire(WASM_PACKAGE) as typeof WasmBackend
        wasm.setWasmPaths(dir + path.sep)
      },
      threads: () => wasm?.getThreadsCount() ?? 1,
    },
    { name: 'cpu', init: async () => void runtimeRequire('@tensorflow/tfjs-backend-cpu') },
  ]
}

let engine: Promise<EngineInfo> | undefined

/** Selects the backend on first use (later calls share the answer); a failed selection is retried next time. */
export function getEngineInfo(): Promise<EngineInfo> {
  engine ??= selectBackend(tf, engineCandidates()).catch((err: unknown) => {
    engine = undefined
    throw err
  })
  return engine
}
