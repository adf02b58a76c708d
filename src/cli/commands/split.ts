/**
 * `seqlab split PROJECT --dataset ID --method stratified|chromosome|kfold|tf-folds|leave-one-tf-out …`: makes
 * a split of a data set (the last two for gene pairs: whole TFs per fold)
 * and stores it frozen, as `splits.create` does, then prints its summary (records and positives per part).
 * `--val` and `--test` are fractions for `stratified` and comma-separated chromosomes for `chromosome`.
 */
import * as path from 'node:path'
import type { Command } from 'commander'
import { createSplit } from '../../app/datasets/splits'
import { ProjectStore } from '../../app/store/project-store'
import { SplitMethod, type SplitSummary } from '../../shared/contract-datasets'
import { namingFile, report, type JsonOption } from '../output'
import type { CliContext } from '../context'
import { parseOptions } from './import'

interface SplitOptions extends JsonOption {
  dataset: string
  method: string
  name?: string
  val?: string
  test?: string
  seed?: string
  k?: string
  stratify?: boolean
  groupBy?: string
}

const chromosomes = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
const num = (value: string | undefined) => (value === undefined ? undefined : Number(value))

export function describeSplit(s: SplitSummary): string[] {
  const lines = [
    `Split       ${s.splitId}: ${s.name} (data set ${s.datasetId}, frozen ${s.frozenAt ?? 'no'})`,
  ]
  for (const p of s.parts) {
    lines.push(
      `  ${p.part.padEnd(8)}${String(p.records).padStart(10)} records${p.positives !== null ? `, ${p.positives} positive` : ''}`,
    )
  }
  for (const w of s.warnings ?? []) lines.push(`Warning     ${w.message}`)
  return lines
}

export function registerSplitCommand(program: Command, ctx: CliContext): void {
  program
    .command('split')
    .description(
      'Split a data set (stored frozen): stratified, chromosome hold-out, k-fold, or TF-aware folds of gene pairs',
    )
    .argument('<project>', 'the project file (.seqlab)')
    .requiredOption('--dataset <id>', 'the data set id')
    .requiredOption(
      '--method <method>',
      'stratified, chromosome or kfold; gene pairs: tf-folds or leave-one-tf-out',
    )
    .option('--name <name>', 'the split name (default: from the method)')
    .option('--val <value>', 'stratified: fraction (default 0.1); chromosome: chromosomes, comma-separated')
    .option('--test <value>', 'stratified: fraction (default 0.1); chromosome: chromosomes, comma-separated')
    .option('--seed <n>', 'random seed (stratified, kfold; default 42)')
    .option('--k <n>', 'kfold: number of folds (default 5); tf-folds: (default 3)')
    .option('--no-stratify', 'kfold: do not stratify by label')
    .option('--group-by <what>', 'kfold: keep chromosomes or groups together (chromosome, group)')
    .option('--json', 'print the result as JSON')
    .action((project: string, o: SplitOptions) =>
      ctx.run(o, () => {
        // Gene-pair data sets: TF-aware folds (the CLI spells methods with hyphens, the contract with _).
        const method = o.method.replace(/-/g, '_')
        const raw =
          method === 'tf_folds'
            ? { method, k: num(o.k), seed: num(o.seed) }
            : method === 'leave_one_tf_out'
              ? { method }
              : o.method === 'chromosome'
                ? { method: o.method, val: chromosomes(o.val), test: chromosomes(o.test) }
                : o.method === 'kfold'
                  ? {
                      method: o.method,
                      k: num(o.k),
                      seed: num(o.seed),
                      stratify: o.stratify,
                      groupBy: o.groupBy,
                    }
                  : { method: o.method, val: num(o.val), test: num(o.test), seed: num(o.seed) }
        const split = parseOptions(SplitMethod, raw)
        const store = namingFile(project, () =>
          ProjectStore.open(path.resolve(project), { appVersion: ctx.version }),
        )
        try {
          const { summary } = createSplit(store, Number(o.dataset), split, o.name)
          report(ctx.output, o, summary, describeSplit)
        } finally {
          store.close()
        }
      }),
    )
}
