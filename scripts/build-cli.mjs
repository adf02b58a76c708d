/**
 * Bundles the CLI (src/cli/index.ts) into out/cli/seqlab.cjs with esbuild: one CommonJS file for Node 20,
 * the app version from package.json baked in. Native and optional packages stay external and are resolved
 * from node_modules at run time: better-sqlite3 (native), TensorFlow.js (large, loaded lazily; the native
 * backends are optional), and ws's optional accelerators. Runs in `npm run prepare`, so `npx seqlab` works
 * right after `npm ci`; it takes well under a second.
 */
import { build } from 'esbuild'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const outfile = join(root, 'out', 'cli', 'seqlab.cjs')

const started = Date.now()
const result = await build({
  // Modules written for ESM may read import.meta.url; give them the bundle's own URL.
  banner: { js: "const __seqlabImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  absWorkingDir: root,
  // The training worker is its own bundle: a worker_thread starts from a file (see src/app/experiments/runner.ts).
  entryPoints: [
    { in: join(root, 'src', 'cli', 'index.ts'), out: 'seqlab' },
    { in: join(root, 'src', 'app', 'experiments', 'worker.ts'), out: 'train-worker' },
    { in: join(root, 'src', 'app', 'predict', 'worker.ts'), out: 'predict-worker' },
  ],
  outdir: dirname(outfile),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['better-sqlite3', '@tensorflow/*', 'bufferutil', 'utf-8-validate', 'electron'],
  define: { __SEQLAB_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__seqlabImportMetaUrl' },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
}).catch(() => process.exit(1)) // esbuild has already printed the errors
if (result.errors.length > 0) process.exit(1)
if (!process.env.npm_lifecycle_event || process.env.npm_lifecycle_event !== 'prepare') {
  console.log(`CLI bundled into out/cli/seqlab.cjs (+ train-worker.cjs, predict-worker.cjs) in ${Date.now() - started} ms`)
}
