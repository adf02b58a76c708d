/**
 * `seqlab report PROJECT --experiment ID | --compare ID,ID,… --out report.html [--lang zh-CN] [--part val]`:
 * the one-page HTML report of an experiment or of a comparison, as the Reports view saves it.
 *
 * `seqlab export-model PROJECT --experiment ID --out model.json [--fold N]`: the experiment's best weights as
 * a TensorFlow.js layers model (model.json + <name>.weights.bin beside it), for `tf.loadLayersModel`.
 */
import * as path from 'node:path'
import type { Command } from 'commander'
import { exportTfjsModel, type ModelExport } from '../../app/models/export'
import { writeFileReplacing } from '../../app/output-file'
import { renderReport } from '../../app/reports/report'
import { ProjectStore } from '../../app/store/project-store'
import { ReportLocale, type ReportSubject } from '../../shared/contract-reports'
import { InputError } from '../../shared/errors'
import type { CliContext } from '../context'
import { namingFile, report, type JsonOption } from '../output'

interface ReportOptions extends JsonOption {
  experiment?: string
  compare?: string
  out: string
  lang: string
  part: string
}

interface ExportModelOptions extends JsonOption {
  experiment: string
  out: string
  fold?: string
}

function badOption(field: string, expected: string, found: string): InputError {
  return new InputError('cli.bad_option', `The option ${field} is not valid: expected ${expected}`, {
    expected,
    found,
    params: { field },
  })
}

function experimentId(text: string, field: string): number {
  const id = Number(text)
  if (!Number.isInteger(id) || id < 1) throw badOption(field, 'an experiment id (a whole number ≥ 1)', text)
  return id
}

/** The subject of the report from `--experiment` or `--compare` (exactly one of them). */
export function reportSubject(o: Pick<ReportOptions, 'experiment' | 'compare' | 'part'>): ReportSubject {
  if ((o.experiment === undefined) === (o.compare === undefined)) {
    throw new InputError('cli.missing_option', 'Give either --experiment ID or --compare ID,ID,…', {
      expected: '--experiment ID or --compare ID,ID,…',
    })
  }
  if (o.experiment !== undefined)
    return { kind: 'experiment', experimentId: experimentId(o.experiment, '--experiment') }
  const ids = o.compare!.split(',').map((s) => experimentId(s.trim(), '--compare'))
  if (ids.length < 2 || ids.length > 20) throw badOption('--compare', '2 to 20 experiment ids', o.compare!)
  if (o.part !== 'val' && o.part !== 'test') throw badOption('--part', 'val or test', o.part)
  return { kind: 'comparison', experimentIds: ids, part: o.part }
}

function openReadonly(project: string, version: string): ProjectStore {
  return namingFile(project, () =>
    ProjectStore.open(path.resolve(project), { readonly: true, appVersion: version }),
  )
}

export function registerReportCommands(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('Write a one-page HTML report of an experiment or of a comparison')
    .argument('<project>', 'the project file (.seqlab)')
    .option('--experiment <id>', 'the experiment to report on')
    .option('--compare <ids>', 'compare these experiments (ids separated by commas)')
    .requiredOption('--out <file>', 'the HTML file to write (replaced if it exists)')
    .option('--lang <locale>', 'the report’s language: en or zh-CN', 'en')
    .option('--part <part>', 'comparison: the part compared, test or val', 'test')
    .option('--json', 'print the result as JSON')
    .action((project: string, o: ReportOptions) =>
      ctx.run(o, async () => {
        const locale = ReportLocale.safeParse(o.lang)
        if (!locale.success) throw badOption('--lang', 'en or zh-CN', o.lang)
        const subject = reportSubject(o)
        const store = openReadonly(project, ctx.version)
        try {
          const { html, title } = renderReport(store, subject, {
            locale: locale.data,
            appVersion: ctx.version,
          })
          const bytes = await writeFileReplacing(path.resolve(o.out), html)
          report(ctx.output, o, { file: o.out, title, bytes }, (r) => [`Wrote “${r.title}” to ${r.file}`])
        } finally {
          store.close()
        }
      }),
    )

  program
    .command('export-model')
    .description('Export an experiment’s model for TensorFlow.js: model.json + <name>.weights.bin')
    .argument('<project>', 'the project file (.seqlab)')
    .requiredOption('--experiment <id>', 'the experiment whose best weights to export')
    .requiredOption('--out <file>', 'the model.json to write; the weights file goes beside it')
    .option('--fold <n>', 'k-fold experiments: the fold whose model to export (default 0)')
    .option('--json', 'print the result as JSON')
    .action((project: string, o: ExportModelOptions) =>
      ctx.run(o, async () => {
        const id = experimentId(o.experiment, '--experiment')
        const fold = o.fold === undefined ? undefined : Number(o.fold)
        if (fold !== undefined && !(Number.isInteger(fold) && fold >= 0))
          throw badOption('--fold', 'a fold number (0, 1, …)', o.fold!)
        const store = openReadonly(project, ctx.version)
        try {
          const result = await exportTfjsModel(store, {
            experimentId: id,
            target: path.resolve(o.out),
            appVersion: ctx.version,
            ...(fold !== undefined ? { fold } : {}),
          })
          report(ctx.output, o, result, (r: ModelExport) => [
            `Wrote ${r.model} and ${r.weights} (${r.bytes.toLocaleString('en-US')} bytes) beside each other.`,
            `Input: ${r.encoding === 'onehot' ? 'one-hot' : 'k-mer counts'} of shape [${r.inputShape.join(', ')}]; load it with tf.loadLayersModel.`,
          ])
        } finally {
          store.close()
        }
      }),
    )
}
