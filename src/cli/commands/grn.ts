/**
 * Gene-regulatory-network commands, over the same importers and single transaction as the app:
 *
 *     seqlab import expression PROJECT FILE|DIR [--orientation genes-x-cells|cells-x-genes] [--log1p auto|yes|no]
 *     seqlab import pairs PROJECT --expression ID FILE [--format pairs|edges] [--negatives RATIO] [--seed S] [--tfs FILE]
 *     seqlab edges PROJECT --experiment ID --out FILE.tsv
 *
 * FILE of `import expression` is a CSV/TSV table (plain or gzip), an AnnData `.h5ad` / 10x `.h5` file, or
 * a 10x folder (matrix.mtx + features.tsv/genes.tsv + barcodes.tsv). FILE of `import pairs` is CNNC's pair
 * file (`geneA geneB label`) or a TF→target edge list; `--format` says which, else it is recognised from the
 * first line (two columns: edges; a third column 0/1/2: pairs); negatives are drawn for edge lists only.
 * Splits (`seqlab split --method tf-folds`), training (`seqlab train --model cnnc|deepdrim`) and the demo
 * (`seqlab demo grn`) live with the other commands.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Command } from 'commander'
import { importExpression, tenXFolder, type ExpressionInput } from '../../app/grn/import-expression'
import { importPairs, type PairsInput } from '../../app/grn/import-pairs'
import { exportRankedEdges } from '../../app/grn/results'
import { expressionSummary, pairSetSummary } from '../../app/grn/store'
import { inputFile } from '../../app/datasets/sources'
import { ProjectStore } from '../../app/store/project-store'
import {
  ExpressionImportOptions,
  PairsImportOptions,
  type ExpressionSummary,
  type PairSetSummary,
} from '../../shared/contract-grn'
import { InputError } from '../../shared/errors'
import type { CliContext } from '../context'
import { namingFile, report, type JsonOption } from '../output'
import { parseOptions } from './import'

const ORIENTATIONS: Record<string, string> = {
  auto: 'auto',
  'genes-x-cells': 'genes_in_rows',
  'cells-x-genes': 'cells_in_rows',
}
const LOG1P: Record<string, string> = { auto: 'auto', yes: 'log1p_cp10k', no: 'none' }

function choice(map: Record<string, string>, value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined
  const mapped = map[value]
  if (mapped === undefined) {
    throw new InputError('cli.bad_option', `The option ${option} is not valid: ${value}`, {
      expected: Object.keys(map).join(', '),
      found: value,
      params: { field: option },
    })
  }
  return mapped
}

/** Opens the project, runs `body` with Ctrl-C as a clean cancel, closes the project. */
async function withProject<T>(
  projectFile: string,
  version: string,
  body: (store: ProjectStore, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const store = namingFile(projectFile, () =>
    ProjectStore.open(path.resolve(projectFile), { appVersion: version }),
  )
  const controller = new AbortController()
  const onInterrupt = () =>
    controller.abort(new InputError('job.cancelled', 'The import was cancelled; nothing was written.'))
  process.once('SIGINT', onInterrupt)
  try {
    return await body(store, controller.signal)
  } finally {
    process.off('SIGINT', onInterrupt)
    store.close()
  }
}

/** A table, an HDF5 file or a 10x folder, by what the path is. */
export function expressionInput(file: string): ExpressionInput {
  const absolute = path.resolve(file)
  let stat: fs.Stats
  try {
    stat = fs.statSync(absolute)
  } catch (err) {
    throw new InputError('dataset.file_not_found', `${path.basename(file)} cannot be read`, {
      file: path.basename(file),
      expected: 'a readable file or 10x folder',
      found: (err as NodeJS.ErrnoException).code ?? String(err),
    })
  }
  if (stat.isDirectory()) return tenXFolder(absolute, (f) => fs.existsSync(f))
  if (/\.(h5ad|h5|hdf5)$/i.test(absolute)) return { h5: inputFile(absolute) }
  return { table: inputFile(absolute) }
}

export function describeExpression(s: ExpressionSummary): string[] {
  return [
    `Data set    ${s.datasetId}: ${s.name} (expression)`,
    `Matrix      ${s.genes.toLocaleString('en-US')} genes × ${s.cells.toLocaleString('en-US')} cells, ` +
      `${s.nonZeros.toLocaleString('en-US')} non-zeros (${(100 * s.density).toFixed(1)}%)`,
    `Values      ${s.integerValued ? 'whole counts' : 'not whole numbers'}, max ${s.maxValue}; stored ${s.normalization}`,
    `Genes       ${s.geneSample.join(', ')}${s.genes > s.geneSample.length ? ', …' : ''}`,
    `Cells       ${s.cellSample.join(', ')}${s.cells > s.cellSample.length ? ', …' : ''}`,
  ]
}

export function describePairs(s: PairSetSummary): string[] {
  const lines = [
    `Data set    ${s.datasetId}: ${s.name} (gene pairs of data set ${s.expressionId})`,
    `Pairs       ${s.pairs.toLocaleString('en-US')}, ${s.positives.toLocaleString('en-US')} with an edge ` +
      `(${(100 * s.positiveRate).toFixed(1)}%), ${s.labelKind} labels`,
    `TFs         ${s.tfs.length} (${s.tfs
      .slice(0, 8)
      .map((t) => `${t.tf} ${t.positives}/${t.pairs}`)
      .join(', ')}${s.tfs.length > 8 ? ', …' : ''})`,
    `Genes       ${s.genes.toLocaleString('en-US')} distinct`,
  ]
  if (s.kinds) lines.push(`Kinds       ${s.kinds.map((k) => `${k.kind} ${k.count}`).join(', ')}`)
  return lines
}

/** `pairs` when the first line that is not a header has a third column 0, 1 or 2; else `edges`. */
function sniffPairsFormat(file: string): 'pairs' | 'edges' {
  const head = fs.readFileSync(file).subarray(0, 4096)
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pairs' // gzip: say --format to read an edge list
  const lines = head
    .toString('utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
  for (const line of lines.slice(0, 2)) {
    const words = line.trim().split(/[\s,]+/)
    if (words.length >= 3 && /^[012]$/.test(words[2]!)) return 'pairs'
  }
  return 'edges'
}

export function registerGrnCommands(program: Command, ctx: CliContext): void {
  const imports = program.commands.find((c) => c.name() === 'import')
  if (!imports) throw new Error('register the import command first')

  imports
    .command('expression')
    .description('Single-cell expression: CSV/TSV table, 10x folder (matrix.mtx …), .h5ad or 10x .h5')
    .argument('<project>', 'the project file (.seqlab)')
    .argument('<file>', 'the table (plain or gzip), HDF5 file, or 10x folder')
    .option('--name <name>', 'the data set name (default: the file name)')
    .option('--orientation <o>', 'auto (default: from the names), genes-x-cells or cells-x-genes')
    .option('--log1p <when>', 'store ln(1 + counts per 10,000): auto (whole counts only; default), yes or no')
    .option('--delimiter <char>', "tables: ',', 'tab' or ';' (default: sniffed)")
    .option('--json', 'print the result as JSON')
    .action((project: string, file: string, o: JsonOption & Record<string, string | undefined>) =>
      ctx.run(o, async () => {
        const options = parseOptions(ExpressionImportOptions, {
          orientation: choice(ORIENTATIONS, o.orientation, '--orientation'),
          normalization: choice(LOG1P, o.log1p, '--log1p'),
          delimiter: o.delimiter === 'tab' ? '\t' : o.delimiter,
        })
        const files = expressionInput(file)
        const summary = await withProject(project, ctx.version, async (store, signal) =>
          expressionSummary(
            store,
            await importExpression(store, o.name ?? path.basename(file), files, options, { signal }),
          ),
        )
        report(ctx.output, o, summary, describeExpression)
      }),
    )

  imports
    .command('pairs')
    .description(
      'Labelled gene pairs (CNNC: geneA geneB label) or a TF→target edge list, against an expression data set',
    )
    .argument('<project>', 'the project file (.seqlab)')
    .argument('<file>', 'the pair file or edge list (plain or gzip)')
    .requiredOption('--expression <id>', 'the expression data set whose genes the pairs name')
    .option('--format <f>', 'pairs or edges (default: recognised from the first line)')
    .option('--negatives <ratio>', 'edge lists: negatives per positive, per TF (default 1)')
    .option('--seed <n>', 'edge lists: seed of the negatives (default 42)')
    .option('--tfs <file>', 'a TF list (one gene per line; default: the first genes of the pairs)')
    .option('--name <name>', 'the data set name (default: the file name)')
    .option('--json', 'print the result as JSON')
    .action((project: string, file: string, o: JsonOption & Record<string, string | undefined>) =>
      ctx.run(o, async () => {
        const options = parseOptions(PairsImportOptions, {
          expressionId: o.expression === undefined ? undefined : Number(o.expression),
          negatives: {
            ...(o.negatives !== undefined ? { ratio: Number(o.negatives) } : {}),
            ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}),
          },
        })
        const absolute = path.resolve(file)
        const format = o.format ?? (fs.existsSync(absolute) ? sniffPairsFormat(absolute) : 'pairs')
        if (format !== 'pairs' && format !== 'edges') choice({ pairs: '', edges: '' }, format, '--format')
        const tfs = o.tfs ? { tfs: inputFile(path.resolve(o.tfs)) } : {}
        const files: PairsInput =
          format === 'edges' ? { edges: inputFile(absolute), ...tfs } : { pairs: inputFile(absolute), ...tfs }
        const summary = await withProject(project, ctx.version, async (store, signal) =>
          pairSetSummary(
            store,
            await importPairs(store, o.name ?? path.basename(file), files, options, { signal }),
          ),
        )
        report(ctx.output, o, summary, describePairs)
      }),
    )

  program
    .command('edges')
    .description('Write the ranked edge list of a CNNC / DeepDRIM experiment (TSV: Gene1 Gene2 EdgeWeight …)')
    .argument('<project>', 'the project file (.seqlab)')
    .requiredOption('--experiment <id>', 'the experiment id')
    .requiredOption('--out <file>', 'the TSV file to write (replaced if it exists)')
    .option('--json', 'print the result as JSON')
    .action((project: string, o: JsonOption & { experiment: string; out: string }) =>
      ctx.run(o, () => {
        const store = namingFile(project, () =>
          ProjectStore.open(path.resolve(project), { readonly: true, appVersion: ctx.version }),
        )
        try {
          const result = exportRankedEdges(store, Number(o.experiment), path.resolve(o.out))
          report(ctx.output, o, result, (r) => [
            `Wrote ${r.rows.toLocaleString('en-US')} ranked edges to ${o.out}`,
          ])
        } finally {
          store.close()
        }
      }),
    )
}
