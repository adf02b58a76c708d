/**
 * Homology speed on ../shared/data/proteins/uniprot20k.fasta.gz (issue 7): SeqLab's greedy clustering at the
 * given thresholds, its homology partition (with an exhaustive leakage check on a sample of held-out
 * sequences), and cd-hit / mmseqs2 on the same sequences in the same run when they are installed.
 * Standalone timing script, not a test; times are never asserted. Reference on this machine for a
 * comparable synthetic 20k set (issue 7): cd-hit -c 0.9: 2.9 s, -c 0.5: 27 s, -c 0.4: 158 s; mmseqs2
 * easy-cluster at 0.3: 30.5 s.
 *
 *   node scripts/bench-homology.mjs [--n 20000] [--cluster 0.9,0.5] [--partition 0.3] [--partition-n 2000]
 *        [--leak-sample 50|all] [--pair-filter auto|words|seeds] [--pattern 11011] [--max-evalue 0.01]
 *        [--word-length K] [--sensitivity S] [--tools cdhit,mmseqs] [--threads 1]
 *
 * Prints one JSON object: seconds per step (wall and this process's CPU), cluster counts, partition sizes,
 * dropped count, and the leakage sample's maximum identity and count ≥ t. Keep single runs short on a shared
 * machine: cluster at 0.5 costs ~O(n²) word hits, so use --n to scale down.
 *
 * Partition at 0.3 (issue 7), first N proteins of uniprot20k, 1 thread, on the 2-core machine shared with
 * other work (load average in brackets; wall times stretch with it, CPU seconds less so):
 * - before the seed filter (2-mer words): 300 proteins 313 s wall / 112 s CPU, every pair aligned [~8].
 * - 2,000 (31 under 50 residues dropped): 37 s wall / 20 s CPU, 12,961 candidate pairs, 1,015 edges, largest
 *   group 44 [3.6–4.5]; without the banded screen 121 s / 62 s, 1,047 edges [9–17]. mmseqs2 easy-cluster
 *   --min-seq-id 0.3 on the same 2,000: 21 s wall [9–17].
 * - 5,000 (before the banded screen): 827 s wall / 234 s CPU, 42,139 candidates, 6,744 edges [6–17];
 *   mmseqs2 51 s wall.
 * - 20,000 (375 under 50 dropped): 2,503 s wall / 1,259 s CPU, 692,935 candidates, 100,787 edges, largest
 *   group 1,186, 32 more dropped by the removal phase [3.4–6.3]; mmseqs2 easy-cluster 0.3 on the same
 *   20,000: 117 s wall, 1 thread (the 30.5 s was another machine state / set): ~10 × faster.
 * - The whole app path with `--verify all` on 2,000 (seqlab split … --method homology --threshold 0.3):
 *   all 394 held-out proteins aligned with all 1,575 training ones, 26 dropped by that check, 0 left at
 *   ≥ 0.3 (max 0.299, median 0.250); 67 min wall / 33 min CPU [3–9], nearly all of it the check.
 * - Exhaustive check of sampled held-out sequences (full alignment against all training ones): 2,000: 4 of
 *   30 at ≥ 0.3 (max 0.350); 5,000: 5 of 20 (max 0.356). Held-out ≤ 120 residues at 2,000: 12 of 46 reach
 *   0.30–0.33 (chance alignments over the shorter length, which no seed finds); > 120: 0 of 20. Hence the
 *   app's verification, which drops them (short ones checked first when only a sample fits).
 */
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gunzipSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const list = (text) => (text === '' || text === 'none' ? [] : text.split(',').map(Number))
const n = Number(arg('n', '20000'))
const clusterThresholds = list(arg('cluster', '0.9,0.5'))
const partitionThresholds = list(arg('partition', '0.3'))
const partitionN = Number(arg('partition-n', '2000'))
// `all`: every held-out sequence against every training one (the exhaustive check; slow: see the header).
const leakSampleArg = arg('leak-sample', '50')
const leakSample = leakSampleArg === 'all' ? Infinity : Number(leakSampleArg)
const pairFilter = arg('pair-filter', 'auto')
const pattern = arg('pattern', undefined)
const maxEvalue = arg('max-evalue', undefined)
const wordLength = arg('word-length', undefined)
const sensitivity = arg('sensitivity', undefined)
const tools = arg('tools', 'cdhit,mmseqs').split(',')
const threads = arg('threads', '1')

const dir = mkdtempSync(join(tmpdir(), 'seqlab-bench-homology-'))
const outfile = join(dir, 'homology.mjs')
await build({
  stdin: {
    contents: `export * from './src/core/homology'; export { PROTEIN } from './src/core/sequence'; export { Rng } from './src/core/random'`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile,
  logLevel: 'warning',
})
const {
  adjustedRandIndex,
  greedyCluster,
  homologyPartition,
  leakageReport,
  PROTEIN,
  readCdhitClusters,
  Rng,
} = await import(pathToFileURL(outfile).href)

const shared = [join(root, '../shared/data'), '/work/shared/data'].find((d) => {
  try {
    readFileSync(join(d, 'proteins/uniprot20k.fasta.gz'))
    return true
  } catch {
    return false
  }
})
const text = gunzipSync(readFileSync(join(shared, 'proteins/uniprot20k.fasta.gz'))).toString()
const records = text
  .split('\n>')
  .slice(0, Math.max(n, partitionN))
  .map((r) => {
    const nl = r.indexOf('\n')
    return { header: r.slice(0, nl).replace(/^>/, ''), seq: r.slice(nl + 1).replace(/\s/g, '') }
  })

function timed(fn) {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const value = fn()
  const used = process.cpuUsage(cpu)
  return { value, wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 }
}
const round = (x) => Math.round(x * 100) / 100
const has = (tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const result = {
  n,
  machineLoad: (await import('node:os')).loadavg().map(round),
  cluster: [],
  partition: [],
  tools: [],
}
const seqs = records.slice(0, n).map((r) => PROTEIN.toCodes(r.seq))
const ours = new Map() // threshold → cluster of each sequence
for (const t of clusterThresholds) {
  const options = { threshold: t, ...(wordLength ? { wordLength: Number(wordLength) } : {}) }
  const run = timed(() => greedyCluster(seqs, options))
  ours.set(t, run.value.clusterOf)
  result.cluster.push({
    threshold: t,
    seconds: round(run.wall),
    cpuSeconds: round(run.cpu),
    clusters: run.value.representatives.length,
    alignments: run.value.alignments,
  })
  console.error(JSON.stringify(result.cluster.at(-1)))
}

const partSeqs = records.slice(0, partitionN).map((r) => PROTEIN.toCodes(r.seq))
for (const t of partitionThresholds) {
  const options = {
    threshold: t,
    seed: 1,
    verify: false,
    pairFilter,
    ...(pattern || maxEvalue
      ? { seeds: { ...(pattern ? { pattern } : {}), ...(maxEvalue ? { maxEvalue: Number(maxEvalue) } : {}) } }
      : {}),
    ...(wordLength ? { wordLength: Number(wordLength) } : {}),
    ...(sensitivity ? { sensitivity: Number(sensitivity) } : {}),
  }
  const run = timed(() => homologyPartition(partSeqs, options))
  const p = run.value
  // Exhaustive check of a random sample of held-out sequences against every training sequence.
  const heldOut = []
  for (let i = 0; i < partSeqs.length; i++)
    if (p.assignments[i] === 1 || p.assignments[i] === 2) heldOut.push(i)
  const sample = new Set(Rng.seeded('bench-leak').shuffle(heldOut).slice(0, leakSample))
  const masked = Int8Array.from(p.assignments, (a, i) => (a === 0 ? 0 : sample.has(i) ? a : -1))
  const leak = timed(() => leakageReport(partSeqs, masked, t))
  result.partition.push({
    threshold: t,
    n: partitionN,
    seconds: round(run.wall),
    cpuSeconds: round(run.cpu),
    edges: p.edges,
    components: p.components,
    largestComponent: p.largestComponent,
    counts: p.counts,
    achieved: Object.fromEntries(Object.entries(p.achieved).map(([k, v]) => [k, round(v * 1000) / 1000])),
    pairFilter,
    dropped: p.dropped.length,
    tooShort: p.tooShort,
    alignments: p.alignments,
    leakSample: leak.value.sequences.length,
    leakAbove: leak.value.above,
    leakMaxIdentity: round(Math.max(0, ...leak.value.bestIdentity) * 1000) / 1000,
    leakSeconds: round(leak.wall),
  })
  console.error(JSON.stringify(result.partition.at(-1)))
}

// The external tools on the same first n sequences.
const fasta = join(dir, 'input.fa')
writeFileSync(
  fasta,
  records
    .slice(0, n)
    .map((r) => `>${r.header}\n${r.seq}\n`)
    .join(''),
)
if (tools.includes('cdhit') && has('cd-hit')) {
  for (const t of clusterThresholds.filter((t) => t >= 0.4)) {
    const word = t >= 0.7 ? 5 : t >= 0.6 ? 4 : t >= 0.5 ? 3 : 2
    const out = join(dir, `cdhit${t}`)
    const run = timed(() =>
      execFileSync(
        'cd-hit',
        ['-i', fasta, '-o', out, '-c', String(t), '-n', String(word), '-d', '0', '-T', threads, '-M', '0'],
        {
          stdio: 'ignore',
        },
      ),
    )
    const members = readCdhitClusters(readFileSync(`${out}.clstr`, 'utf8'))
    const clusters = new Set(members.map((m) => m.cluster)).size
    // Agreement with SeqLab's clustering at the same threshold, on the sequences cd-hit kept (≥ 10 aa).
    const index = new Map(records.slice(0, n).map((r, i) => [r.header.split(/\s/)[0], i]))
    const kept = members.map((m) => [index.get(m.id), m.cluster])
    const ari = ours.has(t)
      ? Math.round(
          adjustedRandIndex(
            kept.map(([i]) => ours.get(t)[i]),
            kept.map(([, c]) => c),
          ) * 1e4,
        ) / 1e4
      : undefined
    result.tools.push({
      tool: 'cd-hit',
      threshold: t,
      seconds: round(run.wall),
      clusters,
      ariWithSeqLab: ari,
    })
    console.error(JSON.stringify(result.tools.at(-1)))
  }
}
if (tools.includes('mmseqs') && has('mmseqs')) {
  for (const t of partitionThresholds) {
    const run = timed(() =>
      execFileSync(
        'mmseqs',
        [
          'easy-cluster',
          fasta,
          join(dir, 'mm'),
          join(dir, 'mmtmp'),
          '--min-seq-id',
          String(t),
          '--threads',
          threads,
          '-v',
          '0',
        ],
        { stdio: 'ignore' },
      ),
    )
    const reps = new Set(
      readFileSync(join(dir, 'mm_cluster.tsv'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    )
    result.tools.push({
      tool: 'mmseqs2 easy-cluster',
      threshold: t,
      n,
      seconds: round(run.wall),
      clusters: reps.size,
      threads: Number(threads),
    })
    console.error(JSON.stringify(result.tools.at(-1)))
  }
}
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify(result, null, 2))
