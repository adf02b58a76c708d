/**
 * `seqlab bench [--json FILE]` (`npm run bench -- --json FILE`): throughput and memory figures of this
 * machine, written as JSON and printed; never asserted in tests (DESIGN.md, "Tests and measurement").
 *
 * - `train_cnn_samples_per_s`: the seed CNN (3 × conv1d 15×10, dropout 0.5, 101×4) at batch 1000 through
 *   the real training loop (core `train`) in training workers, on the default backend. `threads_1`: one
 *   worker; `threads_2`: two workers training at once, their rates added. On wasm under Node one engine
 *   runs on one thread (tfjs cannot start wasm threads in Node), so "2 threads" is two parallel workers.
 * - `infer_cnn_samples_per_s`: the same model through `predictScores` at batch 1000, one and two workers.
 * - `train_cnn_cpu_samples_per_s`: the pure-JS cpu backend (batch 100: at ~13 samples/s a batch of 1000
 *   would take over a minute; the cost per sample does not depend on the batch there), for the issue's
 *   "wasm ≥ 10× cpu" bar.
 * - `auroc_1e6_seconds`: core `rocAuc` on 10^6 random scores (median of 5).
 * - `grn`: NEPDF and neighbour images per second, CNNC (full and demo size) training images per second and
 *   the demo DeepDRIM's training pairs per second, batch 32, in this thread (src/app/grn/bench.ts).
 * - `import_chromosome_mbp_per_s`: a genome import (101-bp windows labelled by a peaks file) of the real chr22
 *   fragment when ../shared/data is present, else of a generated 1 Mbp chromosome.
 * - `peak_rss_mb`: the process's peak resident memory (workers included: they are threads), before the
 *   resampling runs (their 300 MB inputs and 600 MB outputs would hide the training figure).
 * - `imbalance`: `smote_60000x1280_seconds`, `adasyn_60000x1280_seconds`, `random_over_60000x1280_seconds`
 *   (median of 3 runs, 1 with --quick), their CPU time, peak memory and imbalanced-learn's figures
 *   (./bench-imbalance.ts). Runs last; `--skip-imbalance` leaves it out.
 * Reference figures (../shared/data/README.md, PyTorch 1.13 CPU, scikit-learn 1.2) and ratios come along.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Command } from 'commander'
import { rocAuc } from '../../core/metrics'
import { grnBench } from '../../app/grn/bench'
import { imbalanceBench } from './bench-imbalance'
import { Rng } from '../../core/random'
import type { BenchMessage } from '../../app/experiments/protocol'
import { runInWorker, workerFile } from '../../app/experiments/runner'
import { importDataset } from '../../app/datasets/importers'
import { inputFile } from '../../app/datasets/sources'
import { GenomeImportOptions } from '../../shared/contract-datasets'
import { ProjectStore } from '../../app/store/project-store'
import type { CliContext } from '../context'
import type { JsonOption } from '../output'

const REFERENCE = {
  source: '../shared/data/README.md (this machine, medians)',
  pytorch_train_cnn_samples_per_s: { threads_1: 7970, threads_2: 9490 },
  pytorch_infer_cnn_samples_per_s: { threads_1: 73500, threads_2: 67000 },
  sklearn_auroc_1e6_seconds: 0.24,
  tfjs_cpu_train_cnn_samples_per_s: 13,
}

const SHARED_GENOME = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'genome', '22_20-21M.fa')

interface BenchOptions {
  json?: string
  quick?: boolean
  skipCpu?: boolean
  skipGrn?: boolean
  skipImbalance?: boolean
}

async function workerRate(
  task: 'train' | 'infer',
  engine: BenchMessage['engine'],
  batchSize: number,
  batches: number,
  workers: number,
): Promise<{ rate: number; backend: string }> {
  const file = workerFile()
  const results = await Promise.all(
    Array.from({ length: workers }, () =>
      runInWorker(file, { type: 'bench', engine, task, batchSize, batches }, [], undefined),
    ),
  )
  let rate = 0
  let backend = ''
  for (const r of results) {
    if (r.type !== 'benchResult') throw new Error('unexpected bench answer')
    rate += r.samples / r.seconds
    backend = r.engine.backend
  }
  return { rate, backend }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function aurocSeconds(): number {
  const rng = Rng.seeded(5)
  const n = 1_000_000
  const y = new Uint8Array(n)
  const scores = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    y[i] = rng.chance(0.01) ? 1 : 0
    scores[i] = rng.float() + y[i]! * 0.5
  }
  const times: number[] = []
  for (let r = 0; r < 5; r++) {
    const t = performance.now()
    rocAuc(y, scores)
    times.push((performance.now() - t) / 1000)
  }
  return median(times)
}

/** A generated chromosome (order-0 random DNA) when the shared data folder is absent. */
function generatedGenome(dir: string): string {
  const file = path.join(dir, 'generated.fa')
  const rng = Rng.seeded(11)
  const lines = ['>chrG']
  for (let i = 0; i < 1_000_000 / 60; i++) {
    let line = ''
    for (let j = 0; j < 60; j++) line += 'ACGT'[rng.int(4)]
    lines.push(line)
  }
  fs.writeFileSync(file, lines.join('\n') + '\n')
  return file
}

async function importRate(version: string): Promise<{ mbpPerS: number; genome: string; windows: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-bench-'))
  try {
    const real = fs.existsSync(SHARED_GENOME)
    const genome = real ? SHARED_GENOME : generatedGenome(dir)
    // Peaks every 10 kb: the label rule runs, as in a real import (BED coordinates on the genome's own chromosome).
    const chrom = real ? 'chr22' : 'chrG'
    const offset = real ? 20_000_000 : 0
    const bed = Array.from(
      { length: 99 },
      (_, i) => `${chrom}\t${offset + (i + 1) * 10_000}\t${offset + (i + 1) * 10_000 + 300}`,
    )
    const peaks = path.join(dir, 'peaks.bed')
    fs.writeFileSync(peaks, bed.join('\n') + '\n')
    const bases = fs
      .readFileSync(genome, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('>'))
      .reduce((a, l) => a + l.trim().length, 0)
    const store = ProjectStore.create(path.join(dir, 'bench.seqlab'), { name: 'bench', appVersion: version })
    try {
      const started = performance.now()
      const datasetId = await importDataset(store, 'chromosome', {
        kind: 'genome',
        files: { genome: inputFile(genome), peaks: inputFile(peaks) },
        options: GenomeImportOptions.parse({}),
      })
      const seconds = (performance.now() - started) / 1000
      const windows = store.db
        .prepare('SELECT record_count FROM datasets WHERE id = ?')
        .pluck()
        .get(datasetId) as number
      return {
        mbpPerS: bases / 1e6 / seconds,
        genome: real ? '22_20-21M.fa (real chr22 fragment)' : 'generated 1 Mbp',
        windows,
      }
    } finally {
      store.close()
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function bench(ctx: CliContext, o: BenchOptions): Promise<void> {
  const log = (line: string) => ctx.output.err(line)
  const trainBatches = o.quick ? 3 : 8
  const inferBatches = o.quick ? 5 : 30
  log('timing the seed CNN in one training worker …')
  const train1 = await workerRate('train', 'auto', 1000, trainBatches, 1)
  log(`  train ${train1.rate.toFixed(0)} samples/s (${train1.backend}); now two workers at once …`)
  const train2 = await workerRate('train', 'auto', 1000, trainBatches, 2)
  log(`  train ${train2.rate.toFixed(0)} samples/s with two workers at once (their sum)`)
  const infer1 = await workerRate('infer', 'auto', 1000, inferBatches, 1)
  const infer2 = await workerRate('infer', 'auto', 1000, inferBatches, 2)
  log(`  infer ${infer1.rate.toFixed(0)} / ${infer2.rate.toFixed(0)} samples/s (1 / 2 workers)`)
  let cpu: number | null = null
  if (!o.skipCpu) {
    log('timing the cpu backend (slow) …')
    cpu = (await workerRate('train', 'cpu', 100, 2, 1)).rate
    log(`  cpu backend: ${cpu.toFixed(1)} samples/s`)
  }
  log('AUROC of 10^6 scores, genome import …')
  const auroc = aurocSeconds()
  const imported = await importRate(ctx.version)
  log('gene regulatory networks: NEPDF images, CNNC and DeepDRIM training (batch 32) …')
  const grn = o.skipGrn ? null : await grnBench({ quick: o.quick })
  const ratio = (a: number | null, b: number) => (a === null ? null : Number((a / b).toFixed(3)))
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
  const imbalance = o.skipImbalance ? null : imbalanceBench(o.quick ? 1 : 3, log)
  const result = {
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? '',
      node: process.version,
      date: new Date().toISOString(),
      // Other processes' load skews every figure: it is recorded with them (1, 5, 15 minutes).
      loadavg: os.loadavg().map((l) => Number(l.toFixed(2))),
    },
    backend: train1.backend,
    train_cnn_samples_per_s: {
      threads_1: Math.round(train1.rate),
      threads_2: Math.round(train2.rate),
      note: 'batch 1000, core train() in worker threads; threads_2 = two parallel workers, their rates added (tfjs wasm runs one thread per engine in Node)',
    },
    infer_cnn_samples_per_s: {
      threads_1: Math.round(infer1.rate),
      threads_2: Math.round(infer2.rate),
      note: 'batch 1000, predictScores',
    },
    train_cnn_cpu_samples_per_s: cpu === null ? null : Number(cpu.toFixed(1)),
    wasm_over_cpu_train: cpu === null ? null : Number((train1.rate / cpu).toFixed(1)),
    auroc_1e6_seconds: Number(auroc.toFixed(4)),
    import_chromosome_mbp_per_s: Number(imported.mbpPerS.toFixed(3)),
    import_chromosome: { genome: imported.genome, windows: imported.windows },
    grn,
    peak_rss_mb: peakRssMb,
    imbalance,
    reference: REFERENCE,
    ratios: {
      train_threads_1_vs_pytorch: ratio(train1.rate, REFERENCE.pytorch_train_cnn_samples_per_s.threads_1),
      train_threads_2_vs_pytorch: ratio(train2.rate, REFERENCE.pytorch_train_cnn_samples_per_s.threads_2),
      infer_threads_1_vs_pytorch: ratio(infer1.rate, REFERENCE.pytorch_infer_cnn_samples_per_s.threads_1),
      infer_threads_2_vs_pytorch: ratio(infer2.rate, REFERENCE.pytorch_infer_cnn_samples_per_s.threads_2),
      auroc_time_vs_sklearn: ratio(auroc, REFERENCE.sklearn_auroc_1e6_seconds),
    },
  }
  const text = JSON.stringify(result, null, 2)
  if (o.json) fs.writeFileSync(path.resolve(o.json), text + '\n')
  ctx.output.out(text)
}

export function registerBenchCommand(program: Command, ctx: CliContext): void {
  program
    .command('bench')
    .description('Measure training, inference, AUROC, import and resampling speed and peak memory (JSON)')
    .option('--json <file>', 'also write the figures to FILE')
    .option('--quick', 'fewer batches (a rough figure in less time)')
    .option('--skip-cpu', 'skip the slow cpu-backend measurement')
    .option('--skip-grn', 'skip the gene-regulatory-network measurement (NEPDF images, CNNC, DeepDRIM)')
    .option('--skip-imbalance', 'skip the resampling measurement (SMOTE, ADASYN, random over-sampling)')
    .action((opts: BenchOptions) => ctx.run({ json: false } satisfies JsonOption, () => bench(ctx, opts)))
}
