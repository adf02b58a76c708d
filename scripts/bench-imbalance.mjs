/**
 * Resampling speed on the issue-6 bench shape, standalone: 60,000 × 1,280 float32 features with 1% positives,
 * balanced ('auto'), for RandomOverSampler, SMOTE (k = 5) and ADASYN (k = 5). The same data and timing as
 * `npm run bench` (src/cli/commands/bench-imbalance.ts). Not a test; times are never asserted.
 *
 *   node scripts/bench-imbalance.mjs [--n 60000] [--d 1280] [--samplers ros,smote,adasyn] [--repeat 3]
 *                                    [--reference]
 *
 * `--reference` also times imbalanced-learn on the same shape (scripts/bench-imbalance-imblearn.py with
 * Debian's /usr/bin/python3, one thread), sampler by sampler right after ours, so both figures see the same
 * load on this shared machine; the ratio is then against that figure, else against the stored one.
 *
 * `--hugepages` runs this process with glibc's transparent-huge-page opt-in for large allocations
 * (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, glibc ≥ 2.35), the equivalent of numpy's madvise(MADV_HUGEPAGE) on
 * its arrays. Where THP is "madvise" (as here), numpy gets 2 MB pages and Node 4 KB ones: at 600 MB of
 * output that is ~150,000 page faults, about half of SMOTE's time on this machine. The first runs then
 * pay for assembling huge pages (numpy's too); use --repeat 5 or more.
 *
 * Prints one JSON object: per sampler the median wall and CPU seconds, output rows, and the ratio to
 * imblearn; the peak resident memory of this process (one sampler per run gives its own peak).
 */
import { build } from 'esbuild'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const HUGEPAGES = 'glibc.malloc.hugetlb=1'
if (process.argv.includes('--hugepages') && process.env.GLIBC_TUNABLES !== HUGEPAGES) {
  const child = spawnSync(process.execPath, process.argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: HUGEPAGES },
  })
  process.exit(child.status ?? 1)
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const n = Number(arg('n', '60000'))
const d = Number(arg('d', '1280'))
const repeat = Number(arg('repeat', '3'))
const samplers = arg('samplers', 'ros,smote,adasyn').split(',')
const withReference = process.argv.includes('--reference')

// The module under test is TypeScript: bundle it once to a temporary ESM file.
const dir = mkdtempSync(join(tmpdir(), 'seqlab-bench-imbalance-'))
const outfile = join(dir, 'bench-imbalance.mjs')
await build({
  entryPoints: [join(root, 'src/cli/commands/bench-imbalance.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile,
  logLevel: 'warning',
})
const bench = await import(pathToFileURL(outfile).href)
rmSync(dir, { recursive: true, force: true })
const { RandomOverSampler, SMOTE, ADASYN } = bench

const { X, y } = bench.imbalanceBenchData(n, d)
const makers = {
  ros: () => new RandomOverSampler({ seed: 1 }),
  smote: () => new SMOTE({ seed: 1, kNeighbors: 5 }),
  adasyn: () => new ADASYN({ seed: 1, nNeighbors: 5 }),
}
const stored = {
  ros: bench.IMBLEARN_REFERENCE.random_over_60000x1280_seconds,
  smote: bench.IMBLEARN_REFERENCE.smote_60000x1280_seconds,
  adasyn: bench.IMBLEARN_REFERENCE.adasyn_60000x1280_seconds,
}

function imblearn(name) {
  const out = execFileSync(
    '/usr/bin/python3',
    [
      join(root, 'scripts/bench-imbalance-imblearn.py'),
      '--samplers',
      name,
      '--repeat',
      String(repeat),
      '--n',
      String(n),
      '--d',
      String(d),
    ],
    { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } },
  )
  const parsed = JSON.parse(out.toString())
  return { ...parsed.results[name], peak_rss_mb: parsed.peak_rss_mb }
}

const results = {}
for (const name of samplers) {
  const load = loadavg()[0]
  const t = bench.timeSampler(makers[name], X, y, repeat)
  const ref = withReference ? imblearn(name) : undefined
  const refSeconds = ref?.seconds ?? stored[name]
  console.error(
    `${name}: ${t.seconds.toFixed(3)} s (median of ${repeat}), ${t.cpuSeconds.toFixed(3)} s CPU; ` +
      `imblearn ${refSeconds} s${ref ? ' (now)' : ' (stored)'}; load ${load.toFixed(2)}`,
  )
  results[name] = {
    seconds: Number(t.seconds.toFixed(3)),
    cpuSeconds: Number(t.cpuSeconds.toFixed(3)),
    rows: t.rows,
    imblearn: ref ?? { seconds: stored[name], stored: true },
    ratio: Number((t.seconds / refSeconds).toFixed(2)),
    loadavg1: Number(load.toFixed(2)),
  }
}
console.log(
  JSON.stringify(
    {
      n,
      d,
      positives: Math.ceil((n - 37) / 100),
      node: process.version,
      hugepages: process.env.GLIBC_TUNABLES === HUGEPAGES,
      results,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  ),
)
