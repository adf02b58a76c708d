/**
 * `seqlab demo tf-binding --out DIR [--epochs N] [--seeds N]`: the TF-binding workflow end to end on the
 * project's own deterministic demo data (src/app/experiments/demo.ts): DIR/demo.seqlab with the data set,
 * a chromosome hold-out split, the seed's three-model ablation, the 4-mer logistic regression and the motif
 * scan; prints a comparison table (mean ± sd over seeds) and writes DIR/summary.json.
 *
 * Default epochs: 10, the seed recipe's. Measured on the 2-core development machine (two trainings at a
 * time, wasm): the whole default demo (9 CNN runs, 3 logistic regressions, the motif scan) took 17 min 55 s
 * with other work loading the machine (load average 4–5), 25 min under a load of 6–8; a CNN epoch on the
 * 36,000 training windows takes 15–30 s beside a second one. `--epochs` / `--seeds` shorten it;
 * `--windows` (hidden) shrinks the data for tests.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InvalidArgumentError, Option, type Command } from 'commander'
import { runTfBindingDemo, type DemoResult, type DemoRow } from '../../app/experiments/demo'
import { JobManager } from '../../app/jobs/job-manager'
import { EventBus } from '../../app/services/events'
import { InputError } from '../../shared/errors'
import type { CliContext } from '../context'
import { report, type JsonOption } from '../output'
import { DEFAULT_GRN_EPOCHS, grnDemo } from './demo-grn'
import { DEFAULT_PROTEIN_EPOCHS, proteinDemo } from './demo-protein'
import { progressHooks } from './train'

export const DEFAULT_DEMO_EPOCHS = 10
export const DEFAULT_DEMO_SEEDS = 3

interface DemoOptions extends JsonOption {
  out: string
  /** Default per demo: 10 (tf-binding), DEFAULT_GRN_EPOCHS (grn). */
  epochs?: number
  seeds: number
  windows?: number
  quiet?: boolean
  /** grn, hidden (tests): simulator size and tiny models. */
  tfs?: number
  genes?: number
  cells?: number
  tiny?: boolean
  /** protein, hidden (tests): families per class. */
  families?: number
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1')
  return Number(value)
}

const f3 = (v: number | null) => (v === null ? '  –  ' : v.toFixed(3))
const pm = (mean: number | null, sd: number | null) =>
  `${f3(mean)} ± ${sd === null ? '–    ' : sd.toFixed(3)}`

export function demoTable(result: DemoResult): string[] {
  const header = `${'model'.padEnd(30)} ${'val AUROC'.padEnd(15)} ${'val AUPRC'.padEnd(15)} ${'test AUROC'.padEnd(15)} ${'test AUPRC'.padEnd(15)} train s`
  const line = (r: DemoRow) =>
    `${r.name.padEnd(30)} ${pm(r.valAuroc, r.valAurocSd).padEnd(15)} ${pm(r.valAuprc, r.valAuprcSd).padEnd(15)} ` +
    `${pm(r.testAuroc, r.testAurocSd).padEnd(15)} ${pm(r.testAuprc, r.testAuprcSd).padEnd(15)} ${(r.trainSeconds ?? 0).toFixed(1)}`
  return [
    `TF-binding demo: ${result.windows} windows, chromosome hold-out (val chrD, test chrE); ${result.project}`,
    header,
    ...result.experiments.map(line),
    `(mean ± sd over seeds; backend ${result.experiments[0]?.backend ?? '–'}; wall ${result.wallSeconds.toFixed(0)} s)`,
  ]
}

/** summary.json: the fields per model, plus the sds and the per-seed values. */
export function demoSummary(result: DemoResult): unknown {
  return {
    windows: result.windows,
    wallSeconds: result.wallSeconds,
    experiments: result.experiments.map((r) => ({
      name: r.name,
      model: r.model,
      backend: r.backend,
      epochs: r.epochs,
      valAuroc: r.valAuroc,
      valAurocSd: r.valAurocSd,
      valAuprc: r.valAuprc,
      valAuprcSd: r.valAuprcSd,
      testAuroc: r.testAuroc,
      testAurocSd: r.testAurocSd,
      testAuprc: r.testAuprc,
      testAuprcSd: r.testAuprcSd,
      trainSeconds: r.trainSeconds,
      trainSecondsSd: r.trainSecondsSd,
      seeds: r.seeds,
      perSeed: r.runs,
    })),
  }
}

async function demo(ctx: CliContext, which: string, o: DemoOptions): Promise<void> {
  if (which === 'grn') return grnDemo(ctx, o)
  if (which === 'protein') return proteinDemo(ctx, o)
  if (which !== 'tf-binding') {
    throw new InputError('demo.unknown', `There is no demo called "${which}".`, {
      expected: 'tf-binding, grn or protein',
      found: which,
    })
  }
  const out = path.resolve(o.out)
  const jobs = new JobManager(new EventBus())
  const result = await runTfBindingDemo({
    outDir: out,
    appVersion: ctx.version,
    epochs: o.epochs ?? DEFAULT_DEMO_EPOCHS,
    seeds: o.seeds,
    ...(o.windows !== undefined ? { windows: o.windows } : {}),
    jobs,
    hooks: o.quiet ? undefined : (name) => progressHooks(ctx.output, `[${name}] `),
    onExperimentDone: (r) =>
      ctx.output.err(`done: ${r.name}  val AUROC ${f3(r.valAuroc)}  (${r.seconds.toFixed(1)} s training)`),
  })
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(demoSummary(result), null, 2) + '\n')
  report(ctx.output, o, demoSummary(result), () => [
    ...demoTable(result),
    `Wrote ${path.join(out, 'summary.json')}`,
  ])
}

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('Run a demo workflow end to end in a new project (tf-binding, grn, protein)')
    .argument(
      '<name>',
      'the demo: tf-binding, grn (gene regulatory network: CNNC vs DeepDRIM) or protein (random vs homology split)',
    )
    .requiredOption('--out <dir>', 'folder for demo.seqlab and summary.json')
    .option(
      '--epochs <n>',
      `epochs per neural model (default: tf-binding ${DEFAULT_DEMO_EPOCHS}, grn ${DEFAULT_GRN_EPOCHS}, protein ${DEFAULT_PROTEIN_EPOCHS})`,
      positiveInt,
    )
    .option('--seeds <n>', 'seeds per neural model', positiveInt, DEFAULT_DEMO_SEEDS)
    .addOption(new Option('--windows <n>', 'use fewer windows (tests)').argParser(positiveInt).hideHelp())
    .addOption(new Option('--tfs <n>', 'grn: simulated TFs (tests)').argParser(positiveInt).hideHelp())
    .addOption(new Option('--genes <n>', 'grn: simulated genes (tests)').argParser(positiveInt).hideHelp())
    .addOption(new Option('--cells <n>', 'grn: simulated cells (tests)').argParser(positiveInt).hideHelp())
    .addOption(new Option('--tiny', 'grn: tiny models (tests)').hideHelp())
    .addOption(
      new Option('--families <n>', 'protein: families per class (tests)').argParser(positiveInt).hideHelp(),
    )
    .option('--quiet', 'no per-epoch progress lines')
    .option('--json', 'print the summary as JSON')
    .action((name: string, opts: DemoOptions) => ctx.run(opts, () => demo(ctx, name, opts)))
}
