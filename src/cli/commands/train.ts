/**
 * `seqlab train PROJECT`: creates an experiment from a JSON spec (`--spec`, the same shape the app and the
 * cluster runner take) or from flags, and trains it in a worker thread; or, with `--resume ID`, continues
 * an interrupted or cancelled experiment from its last finished epoch. Resampling of the training part and
 * class weights: `--resample METHOD [--level +100% | --ratio R] [--k-neighbors K] [--m-neighbors M]
 * [--resample-seed S]` and `--class-weight LABEL=W` (repeatable), or the spec's `resampling` and
 * `classWeights` (the k-mer length keeps `--k`). Progress (epoch, loss, validation
 * AUROC) goes to stderr, the final metrics to stdout (`--json`: one JSON document). Ctrl-C cancels: the
 * finished epochs stay in the project and `--resume` continues them.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { ExperimentRunner, type RunHooks } from '../../app/experiments/runner'
import { experimentDetail, insertExperiment } from '../../app/experiments/repository'
import { checkSpec, parseSpec } from '../../app/experiments/spec'
import { JobManager } from '../../app/jobs/job-manager'
import { EventBus } from '../../app/services/events'
import { ProjectStore } from '../../app/store/project-store'
import type { ExperimentDetail, PartMetrics } from '../../shared/contract-experiments'
import { InputError } from '../../shared/errors'
import type { CliContext } from '../context'
import { namingFile, report, type JsonOption, type Output } from '../output'

interface TrainOptions extends JsonOption {
  spec?: string
  resume?: number
  name?: string
  dataset?: number
  split?: number
  fold?: number
  model?: string
  encoding?: 'onehot' | 'kmer' | 'aac' | 'dpc'
  k?: number
  dropout?: number
  motif?: string
  neighbours?: number
  weighting?: 'none' | 'balanced' | 'file' | 'custom'
  classWeight?: Record<string, number>
  resample?: string
  level?: number
  ratio?: number
  kNeighbors?: number
  mNeighbors?: number
  shrinkage?: number
  resampleSeed?: number
  epochs?: number
  batchSize?: number
  lr?: number
  patience?: number
  seed?: number
  engine?: 'auto' | 'wasm' | 'cpu'
  rcAugment?: boolean
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number')
  return Number(value)
}

function positiveNumber(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0')
  return n
}

/** `+100%`, `100%` or `1.0`: new minority records as a multiple of the minority count. */
function level(value: string): number {
  const percent = /^\+?(\d+(?:\.\d+)?)%$/.exec(value.trim())
  const n = percent ? Number(percent[1]) / 100 : Number(value)
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected +100%, +200%, … or a number > 0')
  return n
}

/** `LABEL=W`, repeatable: collected into one object. */
function classWeight(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const m = /^(.+)=([^=]+)$/.exec(value)
  const w = m ? Number(m[2]) : NaN
  if (!m || !Number.isFinite(w) || w <= 0) throw new InvalidArgumentError('expected LABEL=WEIGHT, weight > 0')
  return { ...previous, [m[1]!.trim()]: w }
}

function readSpecFile(file: string): unknown {
  const abs = path.resolve(file)
  let text: string
  try {
    text = fs.readFileSync(abs, 'utf8')
  } catch {
    throw new InputError('files.not_found', 'The spec file cannot be read.', { file })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw new InputError('experiment.bad_spec_file', 'The spec file is not valid JSON.', {
      file,
      expected: 'a JSON experiment spec',
      found: (err as Error).message,
    })
  }
}

/** The spec from `--spec` (flags given as well override it) or from flags alone. */
export function specFromOptions(o: TrainOptions): unknown {
  const base = (o.spec ? readSpecFile(o.spec) : {}) as Record<string, unknown>
  if (!o.spec && (o.dataset === undefined || o.split === undefined || o.model === undefined)) {
    throw new InputError('cli.missing_option', 'Give --spec FILE, or --dataset, --split and --model.', {
      expected: '--spec FILE | --dataset ID --split ID --model cnn|logreg|mlp|pwm|cnnc|deepdrim',
    })
  }
  const model = { ...((base.model as Record<string, unknown> | undefined) ?? {}) }
  if (o.model !== undefined) {
    for (const key of Object.keys(model)) delete model[key]
    model.kind = o.model
    if (o.model === 'pwm') model.motifId = o.motif ?? 'MA0491.1'
  }
  if (o.dropout !== undefined) model.dropout = o.dropout
  if (o.motif !== undefined) model.motifId = o.motif
  if (o.neighbours !== undefined) model.neighbours = o.neighbours
  const input = { ...((base.input as Record<string, unknown> | undefined) ?? {}) }
  if (o.encoding !== undefined) input.encoding = o.encoding
  if (o.k !== undefined) input.k = o.k
  if (o.rcAugment) input.reverseComplementAugment = true
  const training = { ...((base.training as Record<string, unknown> | undefined) ?? {}) }
  if (o.epochs !== undefined) training.epochs = o.epochs
  if (o.batchSize !== undefined) training.batchSize = o.batchSize
  if (o.lr !== undefined) training.optimizer = { ...((training.optimizer as object) ?? {}), lr: o.lr }
  if (o.patience !== undefined) training.earlyStopping = { metric: 'val_auroc', patience: o.patience }
  const resampling = { ...((base.resampling as Record<string, unknown> | undefined) ?? {}) }
  if (o.resample !== undefined) resampling.method = o.resample
  // The amount is a level or a ratio: the one given as a flag replaces either from the file.
  if (o.level !== undefined) {
    delete resampling.ratio
    resampling.level = o.level
  }
  if (o.ratio !== undefined) {
    delete resampling.level
    resampling.ratio = o.ratio
  }
  if (o.kNeighbors !== undefined) resampling.k = o.kNeighbors
  if (o.mNeighbors !== undefined) resampling.m = o.mNeighbors
  if (o.shrinkage !== undefined) resampling.shrinkage = o.shrinkage
  if (o.resampleSeed !== undefined) resampling.seed = o.resampleSeed
  const spec: Record<string, unknown> = { ...base, model, input, training }
  if (Object.keys(resampling).length > 0) spec.resampling = resampling
  if (o.classWeight !== undefined) {
    spec.classWeights = o.classWeight
    if (o.weighting === undefined) spec.weighting = 'custom'
  }
  const set = (key: string, value: unknown) => {
    if (value !== undefined) spec[key] = value
  }
  set('datasetId', o.dataset)
  set('splitId', o.split)
  set('fold', o.fold)
  set('weighting', o.weighting)
  set('seed', o.seed)
  set('engine', o.engine)
  set('name', o.name)
  spec.name ??= `${String(model.kind)} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`
  return spec
}

const fmt = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined ? '–' : v.toFixed(digits)

function partLine(label: string, m: PartMetrics): string {
  const c = m.confusion
  return (
    `${label.padEnd(6)} AUROC ${fmt(m.auroc)}  AUPRC ${fmt(m.auprc)}  F1 ${fmt(m.f1)}  MCC ${fmt(m.mcc)}  ` +
    `precision ${fmt(m.precision)}  recall ${fmt(m.recall)}` +
    (c ? `  TP ${c.tp} FP ${c.fp} FN ${c.fn} TN ${c.tn}` : '')
  )
}

/** The training set of each run: counts per class before → after resampling, and the weight sums. */
function balanceLines(d: ExperimentDetail): string[] {
  return d.balance.map((b) => {
    const classes = b.classes.map((c, i) => {
      const made = b.synthetic[i] ? `, ${b.synthetic[i]} generated` : ''
      return `class ${c} ${b.before[i]} → ${b.after[i]}${made}`
    })
    const sums = b.weightSums.map((w) => (Number.isInteger(w) ? String(w) : w.toFixed(1))).join(' / ')
    return (
      `${d.balance.length > 1 ? `fold ${b.fold} ` : ''}training set (${b.method}, weights ${b.weighting}): ` +
      `${classes.join('; ')}; weight sums ${sums}`
    )
  })
}

function describe(d: ExperimentDetail): string[] {
  const m = d.metrics
  const lines = [`Experiment ${d.experimentId} "${d.name}": ${d.status} (backend ${d.backend ?? '–'})`]
  lines.push(...balanceLines(d))
  if (m) {
    lines.push(
      partLine('val', m.val),
      partLine('test', m.test),
      `threshold ${fmt(m.val.threshold)} (max F1 on validation)  best epoch ${m.bestEpoch ?? '–'}  ` +
        `train ${m.timings.trainSeconds.toFixed(1)} s`,
    )
    if (m.acrossFolds) {
      const a = m.acrossFolds
      lines.push(
        `across ${m.folds.length} folds: val AUROC ${fmt(a.valAuroc.mean)} ± ${fmt(a.valAuroc.sd)}  ` +
          `test AUROC ${fmt(a.testAuroc.mean)} ± ${fmt(a.testAuroc.sd)}`,
      )
    }
  }
  return lines
}

/** Progress lines on stderr: one per finished epoch. */
export function progressHooks(output: Output, prefix = ''): RunHooks {
  return {
    onEngine: (e) => output.err(`${prefix}engine: ${e.backend} (tfjs ${e.tfjsVersion})`),
    onEpoch: ({ fold, folds, epochs, metrics: m }) =>
      output.err(
        `${prefix}${folds > 1 ? `fold ${fold} ` : ''}epoch ${m.epoch}/${epochs}  loss ${m.trainLoss.toFixed(4)}  ` +
          `val loss ${m.valLoss.toFixed(4)}  val AUROC ${fmt(m.valAuroc)}  (${m.seconds.toFixed(1)} s)`,
      ),
  }
}

async function train(ctx: CliContext, file: string, o: TrainOptions): Promise<void> {
  const store = namingFile(file, () => ProjectStore.open(path.resolve(file), { appVersion: ctx.version }))
  const jobs = new JobManager(new EventBus())
  const runner = new ExperimentRunner(jobs)
  let jobId: string | undefined
  const cancel = () => {
    if (jobId) jobs.cancel(jobId)
  }
  process.once('SIGINT', cancel)
  process.once('SIGTERM', cancel)
  try {
    runner.reconcile(store)
    let experimentId: number
    if (o.resume !== undefined) {
      experimentId = o.resume
    } else {
      const spec = checkSpec(store, parseSpec(specFromOptions(o)))
      experimentId = insertExperiment(store, spec)
    }
    const started = runner.start(store, experimentId, {
      resume: o.resume !== undefined,
      hooks: progressHooks(ctx.output),
    })
    jobId = started.jobId
    await started.result
    report(ctx.output, o, experimentDetail(store, experimentId), (d) => describe(d))
  } finally {
    process.off('SIGINT', cancel)
    process.off('SIGTERM', cancel)
    store.close()
  }
}

export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('Train an experiment (from a JSON spec or flags) in a worker thread, or resume one')
    .argument('<project>', 'the project file (.seqlab)')
    .option('--spec <file>', 'experiment spec (JSON); flags given as well override its fields')
    .option('--resume <id>', 'continue experiment ID from its last finished epoch', wholeNumber)
    .option('--name <name>', 'experiment name')
    .option('--dataset <id>', 'data set id', wholeNumber)
    .option('--split <id>', 'split id', wholeNumber)
    .option('--fold <n>', 'k-fold splits: run only this test fold', wholeNumber)
    .option('--model <kind>', 'cnn, logreg, mlp or pwm; gene pairs: cnnc or deepdrim')
    .option('--neighbours <n>', 'deepdrim: neighbour genes per gene (2n + 2 images; default 10)', wholeNumber)
    .option('--encoding <kind>', 'onehot or kmer; protein also aac or dpc')
    .option('--k <k>', 'k-mer length', wholeNumber)
    .option('--dropout <rate>', 'dropout rate (cnn, mlp)', positiveNumber)
    .option('--motif <id>', 'JASPAR matrix of the pwm model (default MA0491.1)')
    .option('--weighting <how>', 'none, balanced, file or custom (default: balanced, none when resampling)')
    .option(
      '--class-weight <label=w>',
      'weight of one class (repeatable; sets --weighting custom)',
      classWeight,
    )
    .option(
      '--resample <method>',
      'resample the training part: random_over, random_under, smote, borderline1, borderline2, adasyn, smote_tomek, tomek',
    )
    .option('--level <x>', 'new minority records: +100% (= 1.0), +200%, …', level)
    .option('--ratio <r>', 'minority ÷ majority after resampling, in (0, 1]', positiveNumber)
    .option('--k-neighbors <k>', 'neighbours of SMOTE / Borderline-SMOTE / ADASYN (default 5)', wholeNumber)
    .option('--m-neighbors <m>', 'Borderline-SMOTE: neighbours of the danger test (default 10)', wholeNumber)
    .option('--shrinkage <s>', 'random_over: smoothed bootstrap (k-mer input only)', positiveNumber)
    .option('--resample-seed <n>', 'seed of the resampling (default 42)', wholeNumber)
    .option('--epochs <n>', 'epochs', wholeNumber)
    .option('--batch-size <n>', 'batch size', wholeNumber)
    .option('--lr <rate>', 'Adam learning rate', positiveNumber)
    .option('--patience <n>', 'early stopping on validation AUROC after N epochs without gain', wholeNumber)
    .option('--seed <n>', 'seed', wholeNumber)
    .option('--engine <name>', 'auto, wasm or cpu')
    .option('--rc-augment', 'train on random strands (reverse-complement augmentation)')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: TrainOptions) => ctx.run(opts, () => train(ctx, file, opts)))
}
