/**
 * `seqlab demo grn --out DIR [--epochs N] [--seeds N]`: CNNC against DeepDRIM on the simulated network
 * (src/app/grn/demo.ts): DIR/demo.seqlab with the expression and pair data sets, 3 TF-aware folds, both
 * models with N seeds; prints a table and writes DIR/summary.json — the TF-binding demo's shape (one entry
 * per model with mean and sd over seeds, and the per-seed values) plus the network scores `epr`,
 * `auprcRatio` and `indirectFpr` with their sds, and whether DeepDRIM's indirect-edge rate is below CNNC's
 * by more than the two sds added (`doneWhen`).
 *
 * Default 15 epochs, 3 seeds: measured 12 min 35 s on the 2-core development machine (wasm, load 4–7 from
 * other work); DeepDRIM's runs take most of it. Hidden flags for tests: `--tfs`, `--genes`, `--cells` shrink
 * the simulator, `--tiny` the models.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { GRN_SIMULATOR } from '../../core/grn/simulator'
import { GRN_DEMO, runGrnDemo, type GrnDemoResult, type GrnDemoRow } from '../../app/grn/demo'
import { JobManager } from '../../app/jobs/job-manager'
import { EventBus } from '../../app/services/events'
import type { CliContext } from '../context'
import { report, type JsonOption } from '../output'
import { progressHooks } from './train'

export const DEFAULT_GRN_EPOCHS = 15

export interface GrnDemoOptions extends JsonOption {
  out: string
  epochs?: number
  seeds: number
  quiet?: boolean
  tfs?: number
  genes?: number
  cells?: number
  tiny?: boolean
}

const f3 = (v: number | null) => (v === null ? '  –  ' : v.toFixed(3))
const pm = (mean: number | null, sd: number | null) =>
  `${f3(mean)} ± ${sd === null ? '–    ' : sd.toFixed(3)}`

export function grnDemoTable(result: GrnDemoResult): string[] {
  const p = result.simulator
  const columns = ['AUROC', 'AUPRC', 'AUPRC ratio', 'EPR', 'indirect FPR']
  const header = `${'model'.padEnd(38)} ${columns.map((c) => c.padEnd(15)).join(' ')} train s`
  const line = (r: GrnDemoRow) =>
    `${r.name.padEnd(38)} ${[
      pm(r.auroc, r.aurocSd),
      pm(r.auprc, r.auprcSd),
      pm(r.auprcRatio, r.auprcRatioSd),
      pm(r.epr, r.eprSd),
      pm(r.indirectFpr, r.indirectFprSd),
    ]
      .map((c) => c.padEnd(15))
      .join(' ')} ${(r.trainSeconds ?? 0).toFixed(0)}`
  const d = result.doneWhen
  return [
    `GRN demo: simulated ${p.tfs} TFs, ${p.genes} genes, ${p.cells} cells (seed ${String(p.seed)}); ` +
      `${result.pairs.total} pairs (${result.pairs.direct} direct, ${result.pairs.indirect} indirect, ` +
      `${result.pairs.unrelated} unrelated); ${GRN_DEMO.folds} TF-aware folds; ${result.project}`,
    header,
    ...result.experiments.map(line),
    `(pooled out-of-fold test predictions; mean ± sd over seeds; backend ${result.experiments[0]?.backend ?? '–'}; ` +
      `wall ${result.wallSeconds.toFixed(0)} s)`,
    d.met === null
      ? 'DeepDRIM vs CNNC indirect FPR: needs 2 seeds or more for the sds'
      : `DeepDRIM's indirect FPR is ${f3(d.difference)} below CNNC's; the two sds add to ${f3(d.sdSum)}: ` +
        (d.met ? 'a real difference' : 'not a clear difference'),
  ]
}

/** summary.json: the TF-binding demo's fields per model, plus the network scores and their sds. */
export function grnDemoSummary(result: GrnDemoResult): unknown {
  return {
    simulator: result.simulator,
    pairs: result.pairs,
    folds: GRN_DEMO.folds,
    wallSeconds: result.wallSeconds,
    experiments: result.experiments.map((r) => ({
      name: r.name,
      model: r.model,
      spec: r.spec,
      backend: r.backend,
      epochs: r.epochs,
      valAuroc: r.valAuroc,
      valAurocSd: r.valAurocSd,
      testAuroc: r.auroc,
      testAurocSd: r.aurocSd,
      testAuprc: r.auprc,
      testAuprcSd: r.auprcSd,
      auprcRatio: r.auprcRatio,
      auprcRatioSd: r.auprcRatioSd,
      epr: r.epr,
      eprSd: r.eprSd,
      indirectFpr: r.indirectFpr,
      indirectFprSd: r.indirectFprSd,
      trainSeconds: r.trainSeconds,
      trainSecondsSd: r.trainSecondsSd,
      seeds: r.seeds,
      perSeed: r.runs.map((run) => ({
        seed: run.seed,
        experimentId: run.experimentId,
        valAuroc: run.valAuroc,
        testAuroc: run.network?.auroc ?? null,
        testAuprc: run.network?.auprc ?? null,
        auprcRatio: run.network?.auprcRatio ?? null,
        epr: run.network?.epr ?? null,
        indirectFpr: run.network?.indirectFpr ?? null,
        trainSeconds: run.trainSeconds,
      })),
    })),
    doneWhen: result.doneWhen,
  }
}

export async function grnDemo(ctx: CliContext, o: GrnDemoOptions): Promise<void> {
  const out = path.resolve(o.out)
  const jobs = new JobManager(new EventBus())
  const simulator = {
    // Fewer TFs cannot hold the 30 TF→TF edges of the default network: at most half the ordered pairs.
    ...(o.tfs !== undefined
      ? { tfs: o.tfs, tfTfEdges: Math.min(GRN_SIMULATOR.tfTfEdges, Math.floor((o.tfs * (o.tfs - 1)) / 2)) }
      : {}),
    ...(o.genes !== undefined ? { genes: o.genes } : {}),
    ...(o.cells !== undefined ? { cells: o.cells } : {}),
  }
  const result = await runGrnDemo({
    outDir: out,
    appVersion: ctx.version,
    epochs: o.epochs ?? DEFAULT_GRN_EPOCHS,
    seeds: o.seeds,
    jobs,
    simulator,
    tiny: o.tiny === true,
    hooks: o.quiet ? undefined : (name) => progressHooks(ctx.output, `[${name}] `),
    onExperimentDone: (r) =>
      ctx.output.err(
        `done: ${r.name}  indirect FPR ${f3(r.indirectFpr)}  (${r.seconds.toFixed(1)} s training)`,
      ),
  })
  const summary = grnDemoSummary(result)
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n')
  report(ctx.output, o, summary, () => [...grnDemoTable(result), `Wrote ${path.join(out, 'summary.json')}`])
}
