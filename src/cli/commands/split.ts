/**
 * `seqlab split PROJECT [DATASET] --method stratified|chromosome|kfold|homology|tf-folds|leave-one-tf-out …`:
 * makes a split of a data set (the last two for gene pairs: whole TFs per fold)
 * and stores it frozen, as `splits.create` does, then prints its summary (records and positives per part).
 * `--val` and `--test` are fractions for `stratified` and `homology` and comma-separated chromosomes for
 * `chromosome`. A homology split (`--threshold T`, `--tool builtin|cd-hit|mmseqs`, `--verify auto|all`) also
 * prints its leakage report, which is stored with it. The data set is the second argument or `--dataset`.
 */
import * as path from 'node:path'
import type { Command } from 'commander'
import { createSplit } from '../../app/datasets/splits'
import { ProjectStore } from '../../app/store/project-store'
import { SplitMethod, type SplitSummary } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import { namingFile, report, type JsonOption } from '../output'
import type { CliContext } from '../context'
import { parseOptions } from './import'

interface SplitOptions extends JsonOption {
  dataset?: string
  threshold?: string
  tool?: string
  verify?: string
  quiet?: boolean
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
  if (s.leakage) lines.push(...describeLeakage(s.leakage))
  for (const w of s.warnings ?? []) lines.push(`Warning     ${w.message}`)
  return lines
}

/** The leakage report of a homology split, as printed lines. */
export function describeLeakage(l: NonNullable<SplitSummary['leakage']>): string[] {
  const f = (v: number | null) => (v === null ? '–' : v.toFixed(3))
  const checked =
    l.checked === 'all'
      ? `all ${l.checkedSequences} held-out sequences`
      : `a sample of ${l.checkedSequences} of ${l.heldOut} held-out sequences (all would take long: --verify all)`
  const tool = l.tool === 'builtin' ? 'built-in search' : (l.command ?? l.tool)
  const lines = [
    `Homology    no validation/test sequence at identity ≥ ${l.threshold} to training (groups: ${tool})`,
    `  groups    ${l.groups} (largest ${l.largestGroup}), ${l.edges} pairs ≥ ${l.threshold}, ${l.alignments} alignments, ${l.seconds.toFixed(1)} s`,
    `  checked   ${checked} against every training sequence (full alignment)`,
    `  above     ${l.above} at identity ≥ ${l.threshold} (${l.droppedByVerify} dropped by the check)`,
    `  best identity to training: median ${f(l.medianIdentity)}, max ${f(l.maxIdentity)}`,
  ]
  const bins = l.histogram.counts
    .map((c, b) =>
      c > 0 ? `${l.histogram.edges[b]!.toFixed(2)}–${l.histogram.edges[b + 1]!.toFixed(2)}: ${c}` : '',
    )
    .filter(Boolean)
  if (bins.length > 0) lines.push(`  histogram ${bins.join(', ')}`)
  const shown = l.droppedRecords.slice(0, 10).join(', ')
  lines.push(`  dropped   ${l.dropped}${shown ? `: ${shown}${l.dropped > 10 ? ', …' : ''}` : ''}`)
  return lines
}

export function registerSplitCommand(program: Command, ctx: CliContext): void {
  program
    .command('split')
    .description(
      'Split a data set (stored frozen): stratified, chromosome hold-out, k-fold, or TF-aware folds of gene pairs',
    )
    .argument('<project>', 'the project file (.seqlab)')
    .argument('[dataset]', 'the data set id (or --dataset)')
    .option('--dataset <id>', 'the data set id')
    .requiredOption(
      '--method <method>',
      'stratified, chromosome, kfold or homology; gene pairs: tf-folds or leave-one-tf-out',
    )
    .option('--name <name>', 'the split name (default: from the method)')
    .option('--val <value>', 'stratified: fraction (default 0.1); chromosome: chromosomes, comma-separated')
    .option('--test <value>', 'stratified: fraction (default 0.1); chromosome: chromosomes, comma-separated')
    .option('--seed <n>', 'random seed (stratified, kfold; default 42)')
    .option('--k <n>', 'kfold: number of folds (default 5); tf-folds: (default 3)')
    .option('--no-stratify', 'kfold: do not stratify by label')
    .option('--group-by <what>', 'kfold: keep chromosomes or groups together (chromosome, group)')
    .option(
      '--threshold <t>',
      'homology: identity no held-out sequence may share with training (default 0.3)',
    )
    .option('--tool <tool>', 'homology: builtin, cd-hit (≥ 0.4) or mmseqs, when installed (default builtin)')
    .option(
      '--verify <how>',
      'homology: all (check every held-out sequence) or auto (all if ~1 min; default)',
    )
    .option('--quiet', 'no progress lines')
    .option('--json', 'print the result as JSON')
    .action((project: string, datasetArg: string | undefined, o: SplitOptions) =>
      ctx.run(o, () => {
        const dataset = datasetArg ?? o.dataset
        if (dataset === undefined) {
          throw new InputError('cli.missing_dataset', 'Say which data set to split', {
            expected: 'seqlab split PROJECT DATASET … (or --dataset ID)',
            found: 'no data set id',
          })
        }
        // Gene-pair data sets: TF-aware folds (the CLI spells methods with hyphens, the contract with _).
        const method = o.method.replace(/-/g, '_')
        const raw =
          method === 'tf_folds'
            ? { method, k: num(o.k), seed: num(o.seed) }
            : method === 'leave_one_tf_out'
              ? { method }
              : method === 'homology'
                ? {
                    method,
                    threshold: num(o.threshold),
                    val: num(o.val),
                    test: num(o.test),
                    seed: num(o.seed),
                    tool: o.tool,
                    verify: o.verify,
                  }
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
          let last = 0
          const onProgress = (done: number, total: number, phase: string) => {
            const now = performance.now()
            if (o.quiet || o.json || (now - last < 2000 && done < total)) return
            last = now
            ctx.output.err(`${phase} ${done}/${total}`)
          }
          const { summary } = createSplit(store, Number(dataset), split, o.name, { onProgress })
          report(ctx.output, o, summary, describeSplit)
        } finally {
          store.close()
        }
      }),
    )
}
