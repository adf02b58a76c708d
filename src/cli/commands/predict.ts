/**
 * `seqlab predict PROJECT --experiment ID (--fasta FILE | --genome FILE --region CHR:START-END --stride N)
 * --out FILE [--format csv|bedgraph]`: scores new sequences, or every window of a genome region, with a
 * finished experiment's model, as Predict in the app does (the same service, the model in a worker thread),
 * and writes the scores with the call at the threshold chosen on validation.
 *
 * The region is written as samtools and genome browsers write it: 1-based and inclusive (`chr22:1-1000` is
 * the first thousand bases), or a chromosome name alone for all of it; the files use 0-based BED
 * coordinates. Progress goes to stderr, the summary to stdout (`--json`: one JSON document). Ctrl-C cancels.
 */
import * as path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { inputFile } from '../../app/datasets/sources'
import { EventBus } from '../../app/services/events'
import { JobManager } from '../../app/jobs/job-manager'
import { bedGraphNeedsScan, formatScore, writePrediction } from '../../app/predict/export'
import { checkScan, genomeLayout, type GenomeFiles } from '../../app/predict/genome'
import { loadPredictModel } from '../../app/predict/model'
import { PredictService } from '../../app/predict/service'
import { ProjectStore } from '../../app/store/project-store'
import { parseRegionName } from '../../core/formats/regions'
import type { JobInfo } from '../../shared/contract'
import type { PredictSummary, ScanRegion } from '../../shared/contract-predict'
import { InputError } from '../../shared/errors'
import type { CliContext } from '../context'
import { namingFile, report, type JsonOption } from '../output'

interface PredictOptions extends JsonOption {
  experiment: number
  fasta?: string
  genome?: string
  index?: string
  region?: string
  stride?: number
  windows?: number
  out: string
  format?: 'csv' | 'bedgraph'
}

/** The CLI's own name for the project a job belongs to (results are kept per project). */
const CLI_PROJECT = 'cli'
/** Seconds between two progress lines on stderr. */
const PROGRESS_EVERY = 2

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1')
  return Number(value)
}

function formatOption(value: string): 'csv' | 'bedgraph' {
  const lower = value.toLowerCase()
  if (lower !== 'csv' && lower !== 'bedgraph') throw new InvalidArgumentError('expected csv or bedgraph')
  return lower
}

function badOption(field: string, message: string, expected: string, found: string): InputError {
  return new InputError('cli.bad_option', message, { expected, found, params: { field } })
}

/** `chr:start-end` (1-based, inclusive) → 0-based half-open; a bare name is a whole chromosome. */
export function parseRegionOption(
  text: string,
  chromosomeSpan: (chrom: string) => { start: number; end: number } | undefined,
): ScanRegion {
  const region = parseRegionName(text)
  if (region) return region
  if (/^[^:\s]+$/.test(text)) {
    const span = chromosomeSpan(text)
    if (span) return { chrom: text, ...span }
  }
  throw badOption(
    '--region',
    `The region '${text}' is not CHR:START-END (1-based, inclusive) or a chromosome of the genome`,
    'CHR:START-END, e.g. chr22:20000001-20100000, or a chromosome name',
    text,
  )
}

/** csv, unless --format says otherwise or the file is named .bedgraph / .bg. */
function formatOf(o: PredictOptions): 'csv' | 'bedgraph' {
  if (o.format) return o.format
  return /\.(bedgraph|bg)$/i.test(o.out) ? 'bedgraph' : 'csv'
}

function describe(s: PredictSummary, out: string): string[] {
  const at =
    s.threshold === null
      ? 'no threshold (validation held one class)'
      : `threshold ${formatScore(s.threshold)} (chosen on validation)`
  const what =
    s.kind === 'scan'
      ? `${s.total.toLocaleString('en-US')} windows of ${s.region!.chrom}:${(s.region!.start + 1).toLocaleString('en-US')}-` +
        `${s.region!.end.toLocaleString('en-US')} (stride ${s.stride}, ${s.skippedWithN.toLocaleString('en-US')} with N skipped)`
      : `${s.total.toLocaleString('en-US')} ${s.windowed > 0 ? 'sequences and windows' : 'sequences'}`
  return [
    `Scored ${what} with "${s.experimentName}"`,
    `${s.called.toLocaleString('en-US')} called ${s.classNames[1]} at ${at}`,
    `Wrote ${out}`,
  ]
}

async function predict(ctx: CliContext, project: string, o: PredictOptions): Promise<void> {
  if ((o.fasta === undefined) === (o.genome === undefined)) {
    throw new InputError('cli.missing_option', 'Give either --fasta FILE, or --genome FILE with --region.', {
      expected: '--fasta FILE | --genome FILE --region CHR:START-END [--stride N]',
    })
  }
  if (o.genome !== undefined && o.region === undefined) {
    throw new InputError('cli.missing_option', 'A scan needs --region CHR:START-END.', {
      expected: '--genome FILE --region CHR:START-END [--stride N]',
    })
  }
  if (o.fasta !== undefined && formatOf(o) === 'bedgraph') throw bedGraphNeedsScan()
  const store = namingFile(project, () =>
    ProjectStore.open(path.resolve(project), { readonly: true, appVersion: ctx.version }),
  )
  const jobs = new JobManager(new EventBus())
  const service = new PredictService(jobs)
  let jobId: string | undefined
  const cancel = () => {
    if (jobId) jobs.cancel(jobId)
  }
  process.once('SIGINT', cancel)
  process.once('SIGTERM', cancel)
  try {
    const model = loadPredictModel(store, o.experiment)
    let started
    if (o.fasta !== undefined) {
      started = service.startSequences(CLI_PROJECT, model, {
        file: inputFile(path.resolve(o.fasta), path.basename(o.fasta)),
        windows: o.windows ? { stride: o.windows } : null,
      })
    } else {
      const files: GenomeFiles = {
        genome: inputFile(path.resolve(o.genome!), path.basename(o.genome!)),
        ...(o.index ? { index: inputFile(path.resolve(o.index), path.basename(o.index)) } : {}),
      }
      if (model.alphabet !== 'dna') {
        throw new InputError('predict.scan_needs_dna', 'Only a model of DNA can scan a genome', {
          expected: 'an experiment on DNA',
          found: model.alphabet,
        })
      }
      const layout = await genomeLayout(files)
      const region = parseRegionOption(o.region!, (chrom) => {
        const record = layout.records.find((r) => r.name === chrom || r.record === chrom)
        return record && { start: record.start, end: record.end }
      })
      const stride = o.stride ?? model.length
      checkScan(layout, region, model.length, stride, files.genome.name)
      started = service.startScan(CLI_PROJECT, model, { files, layout, region, stride })
    }
    jobId = started.jobId
    let last = Date.now()
    const timer = setInterval(() => {
      const job: JobInfo | undefined = jobs.get(started.jobId)
      if (!job || job.state !== 'running' || job.total <= 0) return
      const now = Date.now()
      if (now - last < PROGRESS_EVERY * 1000) return
      last = now
      const eta = job.etaSeconds !== undefined ? ` (about ${Math.ceil(job.etaSeconds)} s left)` : ''
      ctx.output.err(
        `${job.phase} ${job.done.toLocaleString('en-US')}/${job.total.toLocaleString('en-US')}${eta}`,
      )
    }, 250)
    timer.unref()
    let summary: PredictSummary
    try {
      summary = await started.result
    } finally {
      clearInterval(timer)
    }
    const written = await writePrediction(
      service.results.get(CLI_PROJECT, started.jobId),
      path.resolve(o.out),
      formatOf(o),
    )
    report(ctx.output, o, { ...summary, out: o.out, format: formatOf(o), rows: written.rows }, (s) =>
      describe(s, o.out),
    )
  } finally {
    process.off('SIGINT', cancel)
    process.off('SIGTERM', cancel)
    store.close()
  }
}

export function registerPredictCommand(program: Command, ctx: CliContext): void {
  program
    .command('predict')
    .description(
      "Score sequences (FASTA) or every window of a genome region with a finished experiment's model",
    )
    .argument('<project>', 'the project file (.seqlab)')
    .requiredOption('--experiment <id>', 'the finished experiment whose model scores', wholeNumber)
    .option('--fasta <file>', 'sequences to score (FASTA, plain or gzip)')
    .option('--windows <stride>', 'score longer sequences window by window, STRIDE bases apart', wholeNumber)
    .option('--genome <file>', 'a genome FASTA to scan (with --region)')
    .option('--index <file>', "the genome's .fai index (found beside the genome when not given)")
    .option('--region <region>', 'CHR:START-END, 1-based and inclusive, or a whole chromosome')
    .option('--stride <n>', 'bases between window starts (default: the window length)', wholeNumber)
    .requiredOption('--out <file>', 'the file to write (replaced if it exists)')
    .option('--format <format>', 'csv or bedgraph (default: from the file name, else csv)', formatOption)
    .option('--json', 'print the summary as JSON')
    .action((project: string, opts: PredictOptions) => ctx.run(opts, () => predict(ctx, project, opts)))
}
