/**
 * Build of the three Electron bundles (electron-vite 6):
 * - main     src/main/index.ts      → out/main/index.js      CommonJS; npm dependencies stay external
 *                                                             (better-sqlite3 is native, @tensorflow/* load
 *                                                             their .wasm files from their own folders)
 * - preload  src/preload/index.ts   → out/preload/index.cjs  CommonJS and self-contained: a sandboxed preload
 *                                                             can require nothing but 'electron'
 * - renderer src/renderer/index.html → out/renderer/          relative base, so it loads from file:// and from
 *                                                             the web bridge alike
 *
 * It builds without the `electron` package installed (it is optional, and absent wherever its binary could
 * not be downloaded): electron-vite only needs Electron's major version, to choose the Node and Chrome
 * targets, and we give it that from package-lock.json.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'

const root = __dirname

interface PackageFiles {
  version?: string
  packages?: Record<string, { version?: string }>
  optionalDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

function readJson(file: string): PackageFiles | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageFiles) : undefined
}

/** Electron's major version: installed package, else the lock file, else the range in package.json. */
export function electronMajorVersion(projectRoot = root): string {
  const installed = readJson(resolve(projectRoot, 'node_modules/electron/package.json'))?.version
  const locked = readJson(resolve(projectRoot, 'package-lock.json'))?.packages?.['node_modules/electron']
    ?.version
  const pkg = readJson(resolve(projectRoot, 'package.json'))
  const range = pkg?.optionalDependencies?.electron ?? pkg?.devDependencies?.electron
  const major = /(\d+)/.exec(String(installed ?? locked ?? range ?? ''))?.[1]
  if (!major)
    throw new Error('Cannot tell which Electron version to build for: add electron to package.json.')
  return major
}

// electron-vite reads this before it would try (and, without the package, fail) to resolve electron itself.
process.env.ELECTRON_MAJOR_VER ||= electronMajorVersion()

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Every package.json dependency stays a require() resolved from node_modules at run time.
      externalizeDeps: true,
      rollupOptions: {
        // The training and prediction workers are their own entries: a worker_thread starts from a file (src/app/experiments/runner.ts).
        input: {
          index: resolve(root, 'src/main/index.ts'),
          'train-worker': resolve(root, 'src/app/experiments/worker.ts'),
          'predict-worker': resolve(root, 'src/app/predict/worker.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything: the sandbox gives the preload no require() for node_modules.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    base: './',
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
})
