/**
 * `seqlab demo protein --out DIR [--epochs N] [--seeds N]`: the protein workflow end to end
 * (src/app/experiments/protein-demo.ts): DIR/demo.seqlab with the protein families data set, a random and a
 * homology split (identity < 0.3, its leakage report), the multinomial logistic regression and the seed MLP
 * on each with N seeds; prints a table and writes DIR/summary.json — the TF-binding demo's shape (one entry
 * per model with mean and sd over seeds, and the per-seed values) plus each entry's `split` and `macroF1`,
 * the splits' sizes and leakage report, and `drop` (random minus homology, per model).
 *
 * Default epochs 40 (early stopping on validation loss, patience 5, usually ends it sooner). Measured on the
 * 2-core development machine under a load of 10–17 from other work: see the issue note. `--families`
 * (hidden) shrinks the data set for tests.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { runProteinDemo, type ProteinDemoResult } from '../../app/experiments/protein-demo'
import type { CliContext } from '../context'
import { report, type JsonOption } from '../output'

export const DEFAULT_PROTEIN_EPOCHS = 40

export interface ProteinDemoCliOptions extends JsonOption {
  out: string
  epochs?: number
  seeds: number
  quiet?: boolean
  families?: number
}

const f3 = (v: number | null) => (v === null ? '  –  ' : v.toFixed(3))
const pm = (mean: number | null, sd: number | null) =>
  `${f3(mean)} ± ${sd === null ? '–    ' : sd.toFixed(3)}`

/** The protein demo's table: one line per model and split, then the drop from random to homology. */
export function proteinDemoTable(result: ProteinDemoResult): string[] {
  const { random, homology } = result.splits
  const l = homology.leakage
  return [
    `Protein demo: ${result.records} proteins in ${result.classes.length} classes; ${result.project}`,
    `Random split ${random.train}/${random.val}/${random.test}; homology split ${homology.train}/${homology.val}/` +
      `${homology.test}: ${l.above} held-out at identity ≥ ${l.threshold} to training (${l.checkedSequences} ` +
      `checked, max ${f3(l.maxIdentity)}), ${l.dropped} dropped`,
    `${'model · split'.padEnd(30)} ${'test macro F1'.padEnd(15)} ${'test AUROC'.padEnd(15)} ${'val AUROC'.padEnd(15)} train s`,
    ...result.experiments.map(
      (r) =>
        `${r.name.padEnd(30)} ${pm(r.macroF1, r.macroF1Sd).padEnd(15)} ${pm(r.testAuroc, r.testAurocSd).padEnd(15)} ` +
        `${pm(r.valAuroc, r.valAurocSd).padEnd(15)} ${(r.trainSeconds ?? 0).toFixed(1)}`,
    ),
    ...result.drop.map(
      (d) =>
        `Drop from random to homology split, ${d.model}: macro F1 ${f3(d.macroF1)}, AUROC ${f3(d.testAuroc)}`,
    ),
    `(mean ± sd over seeds; backend ${result.experiments[0]?.backend ?? '–'}; wall ${result.wallSeconds.toFixed(0)} s)`,
  ]
}

/** summary.json: the TF-binding demo's fields per entry, plus split and macro F1. */
export function proteinDemoSummary(result: ProteinDemoResult): unknown {
  return {
    records: result.records,
    classes: result.classes,
    wallSeconds: result.wallSeconds,
    splits: result.splits,
    experiments: result.experiments.map((r) => ({
      name: r.name,
      model: r.model,
      split: r.split,
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
      macroF1: r.macroF1,
      macroF1Sd: r.macroF1Sd,
      accuracy: r.accuracy,
      trainSeconds: r.trainSeconds,
      trainSecondsSd: r.trainSecondsSd,
      seeds: r.seeds,
      perSeed: r.runs,
    })),
    drop: result.drop,
  }
}

export async function proteinDemo(ctx: CliContext, o: ProteinDemoCliOptions): Promise<void> {
  const out = path.resolve(o.out)
  const result = await runProteinDemo({
    outDir: out,
    appVersion: ctx.version,
    epochs: o.epochs ?? DEFAULT_PROTEIN_EPOCHS,
    seeds: o.seeds,
    ...(o.families !== undefined ? { familiesPerClass: o.families } : {}),
    ...(o.quiet || o.json ? {} : { onProgress: (line: string) => ctx.output.err(line) }),
  })
  const summary = proteinDemoSummary(result)
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n')
  report(ctx.output, o, summary, () => [
    ...proteinDemoTable(result),
    `Wrote ${path.join(out, 'summary.json')}`,
  ])
}
