/**
 * The resampling part of `seqlab bench` (issue 6): RandomOverSampler, SMOTE (k = 5) and ADASYN (k = 5) on
 * 60,000 × 1,280 float32 features with 1% positives, balanced ('auto'), beside imbalanced-learn 0.10's
 * figures on this machine (../shared/data/README.md). `scripts/bench-imbalance.mjs` runs the same shape
 * standalone, and with `--reference` times imbalanced-learn in the same session (the machine is shared:
 * figures taken minutes apart are not comparable).
 *
 * Data: uniform(−1, 1) features; positives (every 100th row) shifted by 0.5 in their first 16 features, so
 * the classes overlap and ADASYN finds positives with negative neighbours.
 *
 * Figures: the median of `runs` wall-clock times per sampler, and the CPU time of the same runs (user +
 * system of this process; the work is single-threaded, and CPU time is steadier when other processes load
 * the machine). The first run of each sampler pays for touching fresh memory pages; it counts, as it does
 * for imblearn's figure.
 *
 * Memory pages: numpy asks for transparent huge pages on its large arrays (madvise); Node cannot, so where
 * THP is "madvise" (Debian, Ubuntu) each 4 KB page of the 600 MB output is a page fault, about half of
 * SMOTE's time on the bench machine. `malloc_hugepages` records whether this process ran with glibc's
 * opt-in (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which gives Node's large arrays the same pages.
 */
import { ADASYN, RandomOverSampler, SMOTE, type Sampler } from '../../core/imbalance'
import { Rng } from '../../core/random'

export { ADASYN, RandomOverSampler, SMOTE }

export const IMBLEARN_REFERENCE = {
  source: '../shared/data/README.md (imbalanced-learn 0.10, this machine, 1 thread)',
  smote_60000x1280_seconds: 0.44,
  adasyn_60000x1280_seconds: 3.0,
  random_over_60000x1280_seconds: 0.13,
}

export interface ImbalanceBench {
  smote_60000x1280_seconds: number
  adasyn_60000x1280_seconds: number
  random_over_60000x1280_seconds: number
  /** The same runs in CPU seconds (user + system), median. */
  cpu_seconds: { smote: number; adasyn: number; random_over: number }
  /** Output rows of each sampler (input 60,000). */
  rows: { smote: number; adasyn: number; random_over: number }
  runs: number
  /** Whether glibc's huge-page opt-in for large allocations was on (see above). */
  malloc_hugepages: boolean
  /** This process's peak resident memory after the resampling runs. */
  peak_rss_mb: number
  reference: typeof IMBLEARN_REFERENCE
  /** Our median time / imblearn's (below 1: faster). */
  ratios: { smote_vs_imblearn: number; adasyn_vs_imblearn: number; random_over_vs_imblearn: number }
  note: string
}

/** The bench data set: X [n, d] row-major float32, y with 1% positives. */
export function imbalanceBenchData(n = 60_000, d = 1280): { X: Float32Array; y: Int32Array } {
  const rng = Rng.seeded('bench-imbalance')
  const X = new Float32Array(n * d)
  const y = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    y[i] = i % 100 === 37 ? 1 : 0
    const shift = y[i] ? 0.5 : 0
    for (let l = 0; l < d; l++) X[i * d + l] = rng.float() * 2 - 1 + (l < 16 ? shift : 0)
  }
  return { X, y }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** Median wall and CPU seconds of `runs` fitResample calls, and the output rows. */
export function timeSampler(
  make: () => Sampler,
  X: Float32Array,
  y: Int32Array,
  runs: number,
): { seconds: number; cpuSeconds: number; rows: number } {
  const wall: number[] = []
  const cpu: number[] = []
  let rows = 0
  for (let r = 0; r < runs; r++) {
    const started = performance.now()
    const usage = process.cpuUsage()
    rows = make().fitResample(X, y).y.length
    const used = process.cpuUsage(usage)
    wall.push((performance.now() - started) / 1000)
    cpu.push((used.user + used.system) / 1e6)
  }
  return { seconds: median(wall), cpuSeconds: median(cpu), rows }
}

export function imbalanceBench(runs: number, log: (line: string) => void): ImbalanceBench {
  log('resampling 60,000 × 1,280 float32 (1% positives): generating the data …')
  const { X, y } = imbalanceBenchData()
  const round = (v: number) => Number(v.toFixed(3))
  const time = (name: string, make: () => Sampler) => {
    const t = timeSampler(make, X, y, runs)
    log(`  ${name}: ${t.seconds.toFixed(3)} s (median of ${runs}), ${t.cpuSeconds.toFixed(3)} s CPU`)
    return t
  }
  const ros = time('RandomOverSampler', () => new RandomOverSampler({ seed: 1 }))
  const smote = time('SMOTE', () => new SMOTE({ seed: 1, kNeighbors: 5 }))
  const adasyn = time('ADASYN', () => new ADASYN({ seed: 1, nNeighbors: 5 }))
  const ref = IMBLEARN_REFERENCE
  return {
    smote_60000x1280_seconds: round(smote.seconds),
    adasyn_60000x1280_seconds: round(adasyn.seconds),
    random_over_60000x1280_seconds: round(ros.seconds),
    cpu_seconds: {
      smote: round(smote.cpuSeconds),
      adasyn: round(adasyn.cpuSeconds),
      random_over: round(ros.cpuSeconds),
    },
    rows: { smote: smote.rows, adasyn: adasyn.rows, random_over: ros.rows },
    runs,
    malloc_hugepages: (process.env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb=1'),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    reference: ref,
    ratios: {
      smote_vs_imblearn: round(smote.seconds / ref.smote_60000x1280_seconds),
      adasyn_vs_imblearn: round(adasyn.seconds / ref.adasyn_60000x1280_seconds),
      random_over_vs_imblearn: round(ros.seconds / ref.random_over_60000x1280_seconds),
    },
    note: 'median wall time of fitResample (input checks, neighbours, a new [m, 1280] output), seed 1, balanced; kNN: float32 WebAssembly SIMD filter + exact float64 re-check',
  }
}
