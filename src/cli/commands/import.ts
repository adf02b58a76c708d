/**
 * `seqlab import fasta|csv|genome|npy PROJECT FILE…`: imports a data set into a project file, with the same
 * importers, checks and single transaction as the app (a bad record anywhere leaves the project as it was).
 * Options map one to one onto the import options of the contract (`src/shared/contract-datasets.ts`),
 * which validate them. Progress goes to stderr when it is a terminal; the new data set's summary to stdout.
 * Ctrl-C cancels cleanly (nothing is written).
 */
import * as path from 'node:path'
import type { Command } from 'commander'
import type { z } from 'zod'
import { importDataset, type ResolvedImport } from '../../app/datasets/importers'
import { datasetSummary } from '../../app/datasets/queries'
import { inputFile } from '../../app/datasets/sources'
import { ProjectStore } from '../../app/store/project-store'
import {
  CsvImportOptions,
  FastaImportOptions,
  GenomeImportOptions,
  NpyImportOptions,
  type DatasetSummary,
} from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import { namingFile, report, type JsonOption } from '../output'
import type { CliContext } from '../context'

interface CommonOptions extends JsonOption {
  name?: string
  alphabet?: string
  ambiguity?: string
  length?: string
  labels?: string
  negative?: string
  positive?: string
  classes?: string
}

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)

const numberOption = (value: string | undefined) => (value === undefined ? undefined : Number(value))

/** Validates options against the contract's schema; a mistake becomes one clear line. */
export function parseOptions<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined))
  const parsed = schema.safeParse(defined)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.join('.') || 'options'
  throw new InputError('cli.bad_option', `The option ${field} is not valid: ${issue.message}`, {
    expected: issue.message,
    found: JSON.stringify(
      issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], defined),
    ),
    params: { field },
  })
}

function labelSpec(o: CommonOptions): Record<string, unknown> | undefined {
  if (
    o.labels === undefined &&
    o.negative === undefined &&
    o.positive === undefined &&
    o.classes === undefined
  ) {
    return undefined
  }
  const kind = o.labels ?? (o.classes ? 'multiclass' : 'binary')
  if (kind === 'binary') return { kind, negative: o.negative, positive: o.positive }
  if (kind === 'multiclass') return { kind, classes: list(o.classes) }
  return { kind }
}

function sequenceRules(o: CommonOptions): Record<string, unknown> {
  return {
    alphabet: o.alphabet,
    ambiguity: o.ambiguity,
    fixedLength: o.length === undefined ? undefined : o.length === 'same' ? 'same' : Number(o.length),
    labels: labelSpec(o),
  }
}

function withCommon(command: Command, lengthHelp = true): Command {
  command
    .option('--name <name>', 'the data set name (default: the file name)')
    .option('--labels <kind>', 'binary (default), multiclass or numeric')
    .option('--negative <value>', 'binary: the negative label as written (default 0)')
    .option('--positive <value>', 'binary: the positive label as written (default 1)')
    .option('--classes <list>', 'multiclass: the allowed classes, comma-separated (default: those found)')
    .option('--json', 'print the result as JSON')
  if (lengthHelp) {
    command
      .option('--alphabet <name>', 'dna (default) or protein')
      .option('--ambiguity <policy>', 'DNA IUPAC codes: reject (default), asN or keep')
      .option('--length <n|same>', 'every sequence must have this length (or the length of the first)')
  }
  return command
}

function progressPrinter(): ((done: number, total: number, phase: string) => void) | undefined {
  if (!process.stderr.isTTY) return undefined
  let last = 0
  return (done, total, phase) => {
    const now = Date.now()
    if (now - last < 200) return
    last = now
    const pct = total > 0 ? ` ${Math.min(100, Math.floor((100 * done) / total))}%` : ''
    process.stderr.write(
      `\r${phase} ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}${pct}   `,
    )
  }
}

/** Opens the project, imports, prints the summary. */
export async function runImport(
  projectFile: string,
  name: string,
  request: ResolvedImport,
  appVersion: string,
): Promise<DatasetSummary> {
  const store = namingFile(projectFile, () => ProjectStore.open(path.resolve(projectFile), { appVersion }))
  const controller = new AbortController()
  const onInterrupt = () =>
    controller.abort(new InputError('job.cancelled', 'The import was cancelled; nothing was written.'))
  process.once('SIGINT', onInterrupt)
  const progress = progressPrinter()
  try {
    const datasetId = await importDataset(store, name, request, { signal: controller.signal, progress })
    return datasetSummary(store, datasetId)
  } finally {
    if (progress) process.stderr.write('\n')
    process.off('SIGINT', onInterrupt)
    store.close()
  }
}

export function describeDataset(d: DatasetSummary): string[] {
  const lines = [
    `Data set    ${d.datasetId}: ${d.name}`,
    `Records     ${d.records.toLocaleString('en-US')} (${d.alphabet ?? 'no alphabet'}, ${d.labelKind} labels ${JSON.stringify(d.labelSet)})`,
    `Lengths     ${d.seqLength !== null ? `all ${d.seqLength}` : `${d.lengths.min} … ${d.lengths.max} (mean ${d.lengths.mean.toFixed(1)})`}`,
    `Labels      ${d.labelCounts.map((c) => `${c.label}: ${c.count}`).join(', ') || '(numeric)'}`,
  ]
  if (d.weightSums) lines.push(`Weight sums ${d.weightSums.map((w) => `${w.label}: ${w.sum}`).join(', ')}`)
  if (d.chromosomes.length > 0) {
    lines.push(
      `Chromosomes ${d.chromosomes.map((c) => `${c.chrom} (${c.records}${c.positives !== null ? `, ${c.positives} positive` : ''})`).join(', ')}`,
    )
  }
  return lines
}

export function registerImportCommands(program: Command, ctx: CliContext): void {
  const command = program
    .command('import')
    .description('Import a data set into a project (fasta, csv, genome, npy)')
  const defaultName = (file: string) => path.basename(file)

  withCommon(
    command
      .command('fasta')
      .description('Labelled FASTA: the label from the header, or from a CSV/TSV table keyed by id')
      .argument('<project>', 'the project file (.seqlab)')
      .argument('<fasta>', 'the FASTA file (plain or gzip)')
      .option(
        '--label-regex <regex>',
        'a regular expression with one capture group, matched against the header',
      )
      .option('--label-key <key>', 'the label is the value of a key=value token of the header')
      .option('--label-last-field', "the label is the last '|' field of the header")
      .option('--label-table <file>', 'a CSV/TSV of labels keyed by id')
      .option('--id-column <name>', 'label table: the id column', 'id')
      .option('--label-column <name>', 'label table: the label column', 'label')
      .option('--weight-column <name>', 'label table: a weight column')
      .option('--group-column <name>', 'label table: a group column'),
  ).action(
    (project: string, fasta: string, o: CommonOptions & Record<string, string | boolean | undefined>) => {
      return ctx.run(o, async () => {
        const label = o.labelTable
          ? {
              from: 'table',
              idColumn: o.idColumn,
              labelColumn: o.labelColumn,
              weightColumn: o.weightColumn,
              groupColumn: o.groupColumn,
            }
          : o.labelRegex
            ? { from: 'regex', pattern: o.labelRegex }
            : o.labelKey
              ? { from: 'token', key: o.labelKey }
              : o.labelLastField
                ? { from: 'lastField' }
                : undefined
        if (!label) {
          throw new InputError(
            'cli.missing_option',
            'Say where the labels are: --label-regex, --label-key, --label-last-field or --label-table',
            {
              expected: 'one of --label-regex, --label-key, --label-last-field, --label-table',
              found: 'none',
            },
          )
        }
        const options = parseOptions(FastaImportOptions, {
          ...sequenceRules(o),
          label: stripUndefined(label),
        })
        const files = {
          fasta: inputFile(path.resolve(fasta)),
          ...(o.labelTable ? { labels: inputFile(path.resolve(String(o.labelTable))) } : {}),
        }
        report(
          ctx.output,
          o,
          await runImport(
            project,
            o.name ?? defaultName(fasta),
            { kind: 'fasta', files, options },
            ctx.version,
          ),
          describeDataset,
        )
      })
    },
  )

  withCommon(
    command
      .command('csv')
      .description('CSV/TSV with a sequence column and a label column')
      .argument('<project>', 'the project file (.seqlab)')
      .argument('<table>', 'the CSV or TSV file (plain or gzip)')
      .option('--sequence-column <name>', 'the sequence column', 'sequence')
      .option('--label-column <name>', 'the label column', 'label')
      .option('--weight-column <name>', 'a weight column')
      .option('--group-column <name>', 'a group column (clusters, genes) for grouped splits')
      .option('--id-column <name>', 'an id column (ids must be unique)')
      .option('--delimiter <char>', "',', 'tab' or ';' (default: sniffed)"),
  ).action((project: string, table: string, o: CommonOptions & Record<string, string | undefined>) => {
    const options = () =>
      parseOptions(CsvImportOptions, {
        ...sequenceRules(o),
        sequenceColumn: o.sequenceColumn,
        labelColumn: o.labelColumn,
        weightColumn: o.weightColumn,
        groupColumn: o.groupColumn,
        idColumn: o.idColumn,
        delimiter: o.delimiter === 'tab' ? '\t' : o.delimiter,
      })
    return ctx.run(o, async () => {
      const request: ResolvedImport = {
        kind: 'csv',
        files: { table: inputFile(path.resolve(table)) },
        options: options(),
      }
      report(
        ctx.output,
        o,
        await runImport(project, o.name ?? defaultName(table), request, ctx.version),
        describeDataset,
      )
    })
  })

  withCommon(
    command
      .command('genome')
      .description('Genome FASTA + peaks (BED/narrowPeak) cut into labelled windows')
      .argument('<project>', 'the project file (.seqlab)')
      .argument('<genome>', 'the genome FASTA (plain or gzip)')
      .argument('<peaks>', 'the peaks, BED or narrowPeak (plain or gzip)')
      .option('--fai <file>', 'a samtools .fai index of the genome (read by offset)')
      .option('--window <n>', 'window length in bases', '101')
      .option('--stride <n>', 'distance between window starts (default: the window length)')
      .option('--rule <rule>', 'centre (default), overlap or summit')
      .option('--overlap <fraction>', 'overlap rule: the fraction of the window a peak must cover')
      .option('--chromosomes <list>', 'only these chromosomes, comma-separated')
      .option('--keep-n', 'keep windows holding N (default: skip them)')
      .option('--iupac <policy>', 'IUPAC codes in the genome: asN (default) or reject'),
    false,
  ).action(
    (
      project: string,
      genome: string,
      peaks: string,
      o: CommonOptions & Record<string, string | boolean | undefined>,
    ) =>
      ctx.run(o, async () => {
        const options = parseOptions(GenomeImportOptions, {
          length: numberOption(o.window as string | undefined),
          stride: numberOption(o.stride as string | undefined),
          rule: o.rule,
          overlapFraction: numberOption(o.overlap as string | undefined),
          chromosomes: list(o.chromosomes as string | undefined),
          nPolicy: o.keepN ? 'keep' : undefined,
          ambiguity: o.iupac,
        })
        const files = {
          genome: inputFile(path.resolve(genome)),
          peaks: inputFile(path.resolve(peaks)),
          ...(o.fai ? { index: inputFile(path.resolve(String(o.fai))) } : {}),
        }
        report(
          ctx.output,
          o,
          await runImport(
            project,
            o.name ?? defaultName(genome),
            { kind: 'genome', files, options },
            ctx.version,
          ),
          describeDataset,
        )
      }),
  )

  withCommon(
    command
      .command('npy')
      .description(
        'NumPy arrays in the JunD layout: X.npy y.npy [w.npy [ids.npy]], or one .npz with X, y, w, ids',
      )
      .argument('<project>', 'the project file (.seqlab)')
      .argument('<arrays...>', 'X.npy y.npy [w.npy [ids.npy]] or data.npz'),
    false,
  ).action((project: string, arrays: string[], o: CommonOptions) =>
    ctx.run(o, async () => {
      const options = parseOptions(NpyImportOptions, { labels: labelSpec(o) })
      const file = (p: string) => inputFile(path.resolve(p))
      let files: Extract<ResolvedImport, { kind: 'npy' }>['files']
      if (arrays.length === 1) files = { npz: file(arrays[0]!) }
      else if (arrays.length >= 2 && arrays.length <= 4) {
        const [X, y, w, ids] = arrays as [string, string, string?, string?]
        files = { X: file(X), y: file(y), ...(w ? { w: file(w) } : {}), ...(ids ? { ids: file(ids) } : {}) }
      } else {
        throw new InputError('cli.bad_arguments', 'Give X.npy y.npy [w.npy [ids.npy]], or one .npz', {
          expected: '1 to 4 files',
          found: `${arrays.length} files`,
        })
      }
      report(
        ctx.output,
        o,
        await runImport(
          project,
          o.name ?? defaultName(arrays[0]!),
          { kind: 'npy', files, options },
          ctx.version,
        ),
        describeDataset,
      )
    }),
  )
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}
