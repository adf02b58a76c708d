/**
 * Resampling speed on the issue-6 bench shape: 60,000 × 1,280 float32 features with 1% positives (600),
 * balanced ('auto'), for RandomOverSampler, SMOTE (k = 5) and ADASYN (n = 5). Standalone timing script, not
 * a test; times are never asserted. Reference (imbalanced-learn 0.10 on this machine, from issue 6 / brief):
 * SMOTE 0.44 s, ADASYN 3.0 s, RandomOverSampler 0.13 s.
 *
 *   node scripts/bench-imbalance.mjs [--n 60000] [--d 1280] [--samplers ros,smote,adasyn]
 *
 * Prints one JSON object: wall-clock and CPU seconds of this process per sampler (best of `--repeat`, default
 * 1; CPU time is steadier on a busy machine, and the work is single-threaded), output rows, the reference.
 */
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const n = Number(arg('n', '60000'))
const d = Number(arg('d', '1280'))
const repeat = Number(arg('repeat', '1'))
const samplers = arg('samplers', 'ros,smote,adasyn').split(',')

// The module under test is TypeScript: bundle it once to a temporary ESM file.
const dir = mkdtempSync(join(tmpdir(), 'seqlab-bench-imbalance-'))
const outfile = join(dir, 'imbalance.mjs')
await build({
  entryPoints: [join(root, 'src/core/imbalance/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile,
  logLevel: 'warning',
})
const { RandomOverSampler, SMOTE, ADASYN } = await import(pathToFileURL(outfile).href)
const { Rng } = await import(pathToFileURL(outfile).href).then(async () => {
  const rngFile = join(dir, 'random.mjs')
  await build({
    entryPoints: [join(root, 'src/core/random.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: rngFile,
    logLevel: 'warning',
  })
  return import(pathToFileURL(rngFile).href)
})

// Data: uniform(−1, 1) features; positives shifted by 0.5 in the first 16 features only, so the classes
// overlap (ADASYN needs positives with negative neighbours); 1% positives spread through the rows.
const rng = Rng.seeded('bench-imbalance')
const X = new Float32Array(n * d)
const y = new Int32Array(n)
for (let i = 0; i < n; i++) {
  y[i] = i % 100 === 37 ? 1 : 0
  for (let l = 0; l < d; l++) X[i * d + l] = rng.float() * 2 - 1 + (y[i] && l < 16 ? 0.5 : 0)
}

const makers = {
  ros: () => new RandomOverSampler({ seed: 1 }),
  smote: () => new SMOTE({ seed: 1, kNeighbors: 5 }),
  adasyn: () => new ADASYN({ seed: 1, nNeighbors: 5 }),
}
const reference = { ros: 0.13, smote: 0.44, adasyn: 3.0 }
const results = {}
for (const name of samplers) {
  let best = Infinity
  let bestCpu = Infinity
  let rows = 0
  for (let r = 0; r < repeat; r++) {
    const t = performance.now()
    const cpu = process.cpuUsage()
    const out = makers[name]().fitResample(X, y)
    const used = process.cpuUsage(cpu)
    best = Math.min(best, (performance.now() - t) / 1000)
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6)
    rows = out.y.length
  }
  console.error(`${name}: ${best.toFixed(3)} s wall, ${bestCpu.toFixed(3)} s CPU`)
  results[name] = {
    seconds: Number(best.toFixed(3)),
    cpuSeconds: Number(bestCpu.toFixed(3)),
    rows,
    imblearnSeconds: reference[name],
    cpuRatio: Number((bestCpu / reference[name]).toFixed(2)),
  }
}
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify({ n, d, positives: n / 100, node: process.version, results }, null, 2))
