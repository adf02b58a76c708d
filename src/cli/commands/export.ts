/**
 * `seqlab export PROJECT --dataset ID --split ID --out FILE.csv`: writes a split data set as
 * `seq,label,split[,weight]` for other tools (e.g. `jund_cnn_reference.py --data FILE.csv`), as
 * `datasets.exportCsv` does. `--fold N` turns a k-fold split into train/val/test (fold N is test).
 */
import * as path from 'node:path'
import type { Command } from 'commander'
import { exportSplitCsv, type ExportResult } from '../../app/datasets/export'
import { ProjectStore } from '../../app/store/project-store'
import { namingFile, report, type JsonOption } from '../output'
import type { CliContext } from '../context'

interface ExportOptions extends JsonOption {
  dataset: string
  split: string
  out: string
  fold?: string
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description('Export a split data set as CSV: seq,label,split[,weight]')
    .argument('<project>', 'the project file (.seqlab)')
    .requiredOption('--dataset <id>', 'the data set id')
    .requiredOption('--split <id>', 'the split id')
    .requiredOption('--out <file>', 'the CSV file to write (replaced if it exists)')
    .option('--fold <n>', 'k-fold split: this fold is test, the next validation, the rest train')
    .option('--json', 'print the result as JSON')
    .action((project: string, o: ExportOptions) =>
      ctx.run(o, async () => {
        const store = namingFile(project, () =>
          ProjectStore.open(path.resolve(project), { readonly: true, appVersion: ctx.version }),
        )
        try {
          const result = await exportSplitCsv(store, {
            datasetId: Number(o.dataset),
            splitId: Number(o.split),
            target: path.resolve(o.out),
            ...(o.fold !== undefined ? { fold: Number(o.fold) } : {}),
          })
          report(ctx.output, o, result, (r: ExportResult) => [
            `Wrote ${r.rows.toLocaleString('en-US')} rows to ${o.out}${r.weights ? ' (with weights)' : ''}`,
          ])
        } finally {
          store.close()
        }
      }),
    )
}
