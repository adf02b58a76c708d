/**
 * The one-page HTML report (issue 4, view 9) of one experiment or of a comparison, from what the project
 * stores: the spec in words, the data set and the split's counts, the engine, the per-epoch curves, ROC and
 * PR, the confusion matrices at the threshold chosen on validation, validation and test metrics; for a
 * comparison the table with bootstrap CIs (and mean ± sd over folds or seeds) and the paired tests'
 * verdicts from src/app/compare, the same numbers the Results view shows.
 *
 * Self-contained by construction: inline CSS, charts as inline SVG (./charts.ts), no script, no external
 * reference, and a Content-Security-Policy that forbids loading anything, so it opens offline anywhere and
 * can be mailed or printed. Every name a user chose is escaped. Numbers the tests (and anyone) can read
 * back carry `data-metric="part.metric"`.
 */
import { kmerDimension } from '../../core/sequence/encode'
import type { ExperimentDetail, ExperimentSpec, PartMetrics } from '../../shared/contract-experiments'
import type { ReportLocale, ReportSubject } from '../../shared/contract-reports'
import type { SplitSummary } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import { compareExperiments } from '../compare/handlers'
import { datasetSummary } from '../datasets/queries'
import { getSplit } from '../datasets/splits'
import { meanSd } from '../experiments/evaluate'
import { experimentDetail, listExperiments } from '../experiments/repository'
import type { ProjectStore } from '../store/project-store'
import { curvesSvg, epochsSvg, experimentColor, type CurveLine } from './charts'
import { escapeHtml as esc, reportFormat, type ReportFormat } from './format'
import { reportTranslator, type Translate } from './strings'

export interface ReportOptions {
  locale: ReportLocale
  appVersion: string
  /** When the report is made (tests pin it). */
  now?: Date
}

export interface Report {
  html: string
  title: string
  /** A file name to offer in the save dialog. */
  fileName: string
}

/** The same bootstrap the Results view asks for (the contract's defaults of `compare.experiments`). */
const BOOTSTRAP = { n: 1000, seed: 42, alpha: 0.05 }

interface Ctx {
  t: Translate
  f: ReportFormat
  store: ProjectStore
  options: ReportOptions
  /** Every experiment of the project in creation order: fixes each one's colour. */
  orderedIds: number[]
}

export function renderReport(store: ProjectStore, subject: ReportSubject, options: ReportOptions): Report {
  const ctx: Ctx = {
    t: reportTranslator(options.locale),
    f: reportFormat(options.locale),
    store,
    options,
    orderedIds: listExperiments(store).map((e) => e.experimentId),
  }
  return subject.kind === 'experiment'
    ? experimentReport(ctx, subject.experimentId)
    : comparisonReport(ctx, subject.experimentIds, subject.part)
}

function finished(store: ProjectStore, experimentId: number): ExperimentDetail {
  const d = experimentDetail(store, experimentId)
  if (d.status !== 'done' || !d.metrics) {
    throw new InputError('experiment.no_predictions', `Experiment ${experimentId} has no results yet`, {
      expected: 'a finished experiment',
      found: d.status,
      params: { experimentId },
    })
  }
  return d
}

// ---------------------------------------------------------------------------------------------------
// The spec in words

type Model = Record<string, unknown> & { kind: string }

function modelInWords(ctx: Ctx, model: Model): string {
  const { t, f } = ctx
  const num = (v: unknown) => (typeof v === 'number' ? f.count(v) : String(v))
  const l2 = typeof model.l2 === 'number' && model.l2 > 0 ? t('model.l2', { l2: String(model.l2) }) : ''
  switch (model.kind) {
    case 'cnn':
      return (
        t('model.cnn', {
          layers: num(model.layers),
          filters: num(model.filters),
          width: num(model.kernelSize),
          dropout: String(model.dropout),
          head: t(model.head === 'globalMax' ? 'model.headGlobalMax' : 'model.headFlatten'),
        }) + l2
      )
    case 'mlp':
      return (
        t('model.mlp', {
          hidden: (model.hidden as number[]).map((u) => f.count(u)).join('–'),
          norm: model.batchNorm ? t('model.batchNorm') : '',
          dropout: String(model.dropout),
        }) + l2
      )
    case 'logreg':
      return t('model.logreg') + l2
    case 'pwm':
      return t('model.pwm', {
        motif: String(model.motifId),
        strands: model.bothStrands === false ? '' : t('model.bothStrands'),
      })
    case 'cnnc':
      return t('model.cnnc', { filters: list(model.filters), dense: list(model.dense) }) + l2
    case 'deepdrim':
      return (
        t('model.deepdrim', {
          neighbours: num(model.neighbours),
          filters: list(model.primaryFilters),
          dense: list(model.dense),
        }) + l2
      )
    default:
      return model.kind
  }
}

/** Layer sizes as "32–64–128". */
function list(sizes: unknown): string {
  return Array.isArray(sizes) ? sizes.join('–') : String(sizes)
}

function inputInWords(ctx: Ctx, spec: ExperimentSpec, alphabet: string | null, length: string): string {
  const { t, f } = ctx
  const input = spec.input
  // The gene-pair models read images of joint expression, not sequences.
  if (spec.model.kind === 'cnnc') return t('input.nepdf')
  if (spec.model.kind === 'deepdrim') return t('input.nepdfNeighbours')
  if (input.encoding === 'kmer') {
    return t('input.kmer', {
      k: input.k,
      canonical: input.canonical ? t('input.canonical') : '',
      columns: f.count(kmerDimension(input.k, { canonical: input.canonical })),
    })
  }
  return (
    t('input.onehot', { alphabet: t(alphabet === 'protein' ? 'input.protein' : 'input.dna'), length }) +
    (input.reverseComplementAugment ? t('input.augment') : '')
  )
}

function trainingInWords(ctx: Ctx, d: ExperimentDetail, spec: ExperimentSpec): string {
  const { t, f } = ctx
  if (spec.model.kind === 'pwm') return t('training.none')
  const tr = spec.training
  let text = t('training.summary', {
    epochs: f.count(d.metrics?.folds[0]?.epochs ?? tr.epochs),
    batch: f.count(tr.batchSize),
    lr: String(tr.optimizer.lr),
    beta1: String(tr.optimizer.beta1),
    beta2: String(tr.optimizer.beta2),
  })
  if (d.bestEpoch !== null) text += t('training.best', { epoch: d.bestEpoch })
  if (tr.earlyStopping) {
    const metric = { val_auroc: 'valAuroc', val_auprc: 'valAuprc', val_loss: 'valLoss' }[
      tr.earlyStopping.metric
    ]
    text += t('training.early', { metric: t(`charts.${metric}`), patience: tr.earlyStopping.patience })
  }
  return text
}

// ---------------------------------------------------------------------------------------------------
// HTML pieces

function page(locale: ReportLocale, title: string, version: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="SeqLab ${esc(version)}">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1f2225; line-height: 1.5;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 28px 48px; }
h1 { font-size: 24px; line-height: 1.3; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #e6e7e8; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p { margin: 6px 0; }
.meta, .note { color: #5b5e62; font-size: 13px; }
.headline { font-size: 17px; font-weight: 600; margin: 14px 0 4px; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 18px; margin: 8px 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { border-bottom: 1px solid #e6e7e8; padding: 5px 10px; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f6f7f8; vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.name { overflow-wrap: anywhere; min-width: 160px; }
.table-wrap { overflow-x: auto; }
table.wide { font-size: 13px; }
table.wide th, table.wide td { padding: 5px 8px; }
.sub { display: block; font-size: 12px; color: #5b5e62; font-weight: normal; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 18px; }
figure { margin: 0; min-width: 0; }
figcaption { font-weight: 600; font-size: 14px; margin-bottom: 4px; }
figure svg { display: block; width: 100%; max-width: 460px; height: auto; }
.confusion { display: flex; flex-wrap: wrap; gap: 24px; }
.confusion table td.cell { text-align: center; min-width: 110px; }
.verdict-real { color: #a04000; font-weight: 600; }
ul.verdicts { padding-left: 20px; }
ul.verdicts li { margin-bottom: 4px; }
@media print { main { padding: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`

function facts(rows: [string, string][]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`
}

function figure(caption: string, svg: string, name: string): string {
  return `<figure data-chart="${name}"><figcaption>${esc(caption)}</figcaption>${svg}</figure>`
}

function partName(ctx: Ctx, part: string): string {
  return /^\d+$/.test(part) ? ctx.t('parts.fold', { n: Number(part) + 1 }) : ctx.t(`parts.${part}`)
}

function splitFacts(ctx: Ctx, split: SplitSummary, spec: ExperimentSpec): string {
  const { t, f } = ctx
  const k = split.parts.length
  const method = t(`methods.${split.method}`, { k })
  const lines = [t('data.split', { name: split.name, method })]
  if (split.method === 'kfold') {
    lines.push(
      spec.fold !== undefined
        ? t('data.fold', { fold: spec.fold + 1, next: ((spec.fold + 1) % k) + 1 })
        : t('data.allFolds', { k }),
    )
  }
  const rows = split.parts
    .map(
      (p) =>
        `<tr><td>${esc(partName(ctx, p.part))}</td><td class="num">${f.count(p.records)}</td>` +
        `<td class="num">${f.count(p.positives)}</td>` +
        `<td class="num">${f.percent(p.positives !== null && p.records > 0 ? p.positives / p.records : null)}</td></tr>`,
    )
    .join('')
  return (
    lines.map((l) => `<p>${esc(l)}</p>`).join('') +
    `<table data-table="split"><thead><tr><th>${esc(t('data.part'))}</th><th class="num">${esc(t('data.records'))}</th>` +
    `<th class="num">${esc(t('data.positives'))}</th><th class="num">${esc(t('data.rate'))}</th></tr></thead><tbody>${rows}</tbody></table>`
  )
}

function datasetFacts(
  ctx: Ctx,
  datasetId: number,
): { html: string; length: string; labels: string[]; alphabet: string | null } {
  const { t, f } = ctx
  const ds = datasetSummary(ctx.store, datasetId)
  const positives = ds.labelCounts.find((c) => Number(c.label) === 1)?.count ?? 0
  const length =
    ds.lengths.min === ds.lengths.max
      ? f.count(ds.lengths.max)
      : `${f.count(ds.lengths.min)}–${f.count(ds.lengths.max)}`
  const lines = [
    t('data.dataset', {
      name: ds.name,
      records: f.count(ds.records),
      positives: f.count(positives),
      rate: f.percent(ds.records > 0 ? positives / ds.records : null),
    }),
    ...(ds.alphabet === null || ds.lengths.max === 0
      ? []
      : [
          ds.lengths.min === ds.lengths.max
            ? t('data.length', { length: f.count(ds.lengths.max) })
            : t('data.lengths', { min: f.count(ds.lengths.min), max: f.count(ds.lengths.max) }),
        ]),
  ]
  return {
    html: lines.map((l) => `<p>${esc(l)}</p>`).join(''),
    length,
    labels: ds.labelSet.length === 2 ? ds.labelSet : ['0', '1'],
    alphabet: ds.alphabet,
  }
}

function engineInWords(ctx: Ctx, d: ExperimentDetail): string {
  const e = d.metrics?.engine
  if (!e) return '—'
  const known = ['tensorflow', 'wasm', 'cpu'].includes(e.backend)
  return ctx.t('engine', {
    backend: known ? ctx.t(`backend.${e.backend}`) : e.backend,
    version: e.tfjsVersion,
    threads: e.threads,
  })
}

/** The resampling of the training part, with the counts per class before and after (the first run's). */
function resamplingInWords(ctx: Ctx, d: ExperimentDetail, spec: ExperimentSpec): string {
  const { t, f } = ctx
  // Experiments stored before resampling existed have no `resampling` and no stored training set.
  const r = spec.resampling as ExperimentSpec['resampling'] | undefined
  if (!r || r.method === 'none') return t('resampling.none')
  const amount =
    r.level !== undefined
      ? ` +${Math.round(r.level * 100)}%`
      : r.ratio !== undefined
        ? t('resampling.ratio', { ratio: r.ratio })
        : r.method === 'tomek'
          ? ''
          : t('resampling.balance')
  const b = (d.balance as ExperimentDetail['balance'] | undefined)?.[0]
  const counts = b
    ? t('resampling.counts', {
        counts: b.classes.map((c, i) => `${c}: ${f.count(b.before[i])} → ${f.count(b.after[i])}`).join(', '),
      })
    : ''
  return (
    t('resampling.summary', { method: t(`resampling.methods.${r.method}`), amount, seed: r.seed }) + counts
  )
}

function setupFacts(ctx: Ctx, d: ExperimentDetail, alphabet: string | null, length: string): string {
  const { t, f } = ctx
  const spec = d.spec as unknown as ExperimentSpec
  const m = d.metrics
  return facts([
    [t('setup.model'), modelInWords(ctx, spec.model as Model)],
    [t('setup.input'), inputInWords(ctx, spec, alphabet, length)],
    [t('setup.training'), trainingInWords(ctx, d, spec)],
    [
      t('setup.weighting'),
      spec.model.kind === 'pwm'
        ? t('weighting.none')
        : t(`weighting.${spec.weighting}`, {
            weights: Object.entries(spec.classWeights ?? {})
              .map(([label, w]) => `${label}: ${w}`)
              .join(', '),
          }),
    ],
    [t('setup.resampling'), resamplingInWords(ctx, d, spec)],
    [t('setup.seed'), String(spec.seed)],
    [t('setup.engine'), engineInWords(ctx, d)],
    [
      t('setup.time'),
      m
        ? t('time', { train: f.seconds(m.timings.trainSeconds), eval: f.seconds(m.timings.evalSeconds) })
        : '—',
    ],
  ])
}

function rate(m: PartMetrics | undefined): number | null {
  return m && m.records > 0 ? m.positives / m.records : null
}

// ---------------------------------------------------------------------------------------------------
// One experiment

const METRIC_ROWS = [
  'auprc',
  'random',
  'auroc',
  'logLoss',
  'threshold',
  'precision',
  'recall',
  'f1',
  'mcc',
  'balancedAccuracy',
] as const

function metricsTable(ctx: Ctx, d: ExperimentDetail): string {
  const { t, f } = ctx
  const m = d.metrics!
  const folds = m.acrossFolds
  const value = (part: PartMetrics, key: (typeof METRIC_ROWS)[number]) =>
    key === 'random' ? f.metric(rate(part)) : f.metric(part[key] as number | null)
  const acrossFolds: Partial<
    Record<(typeof METRIC_ROWS)[number], { mean: number | null; sd: number | null }>
  > = folds ? { auprc: folds.testAuprc, auroc: folds.testAuroc, f1: folds.testF1, mcc: folds.testMcc } : {}
  const head =
    `<tr><th>${esc(t('metrics.metric'))}</th><th class="num">${esc(t('parts.val'))}</th><th class="num">${esc(t('parts.test'))}</th>` +
    (folds ? `<th class="num">${esc(t('metrics.acrossFolds'))}</th>` : '') +
    '</tr>'
  const rows = METRIC_ROWS.map((key) => {
    const across = acrossFolds[key]
    return (
      `<tr><td>${esc(t(`metrics.${key}`))}</td>` +
      `<td class="num" data-metric="val.${key}">${value(m.val, key)}</td>` +
      `<td class="num" data-metric="test.${key}">${value(m.test, key)}</td>` +
      (folds ? `<td class="num">${across ? f.meanSd(across.mean, across.sd) : ''}</td>` : '') +
      '</tr>'
    )
  }).join('')
  return `<table data-table="metrics"><thead>${head}</thead><tbody>${rows}</tbody></table><p class="note">${esc(t('metrics.note'))}</p>`
}

function confusionTables(ctx: Ctx, d: ExperimentDetail, labels: string[]): string {
  const { t, f } = ctx
  const m = d.metrics!
  if (m.val.threshold === null) return `<p>${esc(t('confusion.none'))}</p>`
  const [negative, positive] = labels as [string, string]
  const one = (part: 'val' | 'test', metrics: PartMetrics) => {
    const c = metrics.confusion
    if (!c) return ''
    const rows: [string, number, number][] = [
      [negative, c.tn, c.fp],
      [positive, c.fn, c.tp],
    ]
    const shade = (count: number, total: number) => {
      const share = total > 0 ? count / total : 0
      // From near white to the app's dark class blue; white text on the dark end.
      const mixTo = (a: number, b: number) => Math.round(a + (b - a) * share)
      const bg = `rgb(${mixTo(244, 27)}, ${mixTo(245, 42)}, ${mixTo(247, 107)})`
      return `background:${bg};color:${share > 0.45 ? '#fff' : '#1f2225'}`
    }
    const body = rows
      .map(([name, a, b]) => {
        const total = a + b
        const cell = (count: number, key: string) =>
          `<td class="cell" data-metric="${part}.${key}" style="${shade(count, total)}">${esc(
            t('confusion.cell', {
              count: f.count(count),
              percent: f.percent(total > 0 ? count / total : null),
            }),
          )}</td>`
        return `<tr><th>${esc(name)}</th>${cell(a, name === negative ? 'tn' : 'fn')}${cell(b, name === negative ? 'fp' : 'tp')}</tr>`
      })
      .join('')
    return (
      `<div><h3>${esc(t(`parts.${part}`))}</h3>` +
      `<p class="note">${esc(t('confusion.caption', { part: t(`parts.${part}`), positive, threshold: f.metric(m.val.threshold) }))}</p>` +
      `<table data-table="confusion-${part}"><thead><tr><th>${esc(t('confusion.actual'))} \\ ${esc(t('confusion.predicted'))}</th>` +
      `<th>${esc(negative)}</th><th>${esc(positive)}</th></tr></thead><tbody>${body}</tbody></table></div>`
    )
  }
  return `<div class="confusion">${one('val', m.val)}${one('test', m.test)}</div>`
}

function trainingCharts(ctx: Ctx, d: ExperimentDetail, color: string): string {
  const { t } = ctx
  const epochs = d.epochs.filter((e) => e.fold === (d.metrics?.folds[0]?.fold ?? 0))
  if (epochs.length === 0) return ''
  const best = d.metrics?.folds[0]?.bestEpoch ?? d.bestEpoch
  const loss = epochsSvg(
    [
      { name: t('charts.trainLoss'), points: epochs.map((e) => [e.epoch, e.trainLoss]), color, dashed: true },
      { name: t('charts.valLoss'), points: epochs.map((e) => [e.epoch, e.valLoss]), color },
    ],
    t('charts.lossAxis'),
    t,
    best,
    false,
  )
  const ranking = epochsSvg(
    [
      { name: t('charts.valAuprc'), points: epochs.map((e) => [e.epoch, e.valAuprc]), color: '#0072B2' },
      { name: t('charts.valAuroc'), points: epochs.map((e) => [e.epoch, e.valAuroc]), color: '#E69F00' },
    ],
    t('charts.metricAxis'),
    t,
    best,
    true,
  )
  return (
    `<h2>${esc(t('sections.training'))}</h2><p class="note">${esc(t('charts.trainingNote'))}</p>` +
    `<div class="charts">${figure(t('charts.loss'), loss, 'loss')}${figure(t('charts.ranking'), ranking, 'ranking')}</div>`
  )
}

function curveCharts(ctx: Ctx, d: ExperimentDetail, color: string): string {
  const { t, f } = ctx
  const fold = d.metrics?.folds[0]?.fold ?? 0
  const curves = d.curves.filter((c) => c.fold === fold)
  if (curves.length === 0) return ''
  const m = d.metrics!
  const run = d.metrics?.folds.find((r) => r.fold === fold)
  const order: ('val' | 'test')[] = ['val', 'test']
  const lines = (kind: 'roc' | 'pr'): CurveLine[] =>
    order.flatMap((part) => {
      const c = curves.find((x) => x.part === part)
      if (!c) return []
      const area = kind === 'roc' ? run?.[part].auroc : run?.[part].auprc
      return [
        {
          name: t('charts.curveArea', {
            name: t(`parts.${part}`),
            area: `${kind === 'roc' ? 'AUROC' : 'AUPRC'} ${f.metric(area)}`,
          }),
          x: kind === 'roc' ? c.roc.fpr : c.pr.recall,
          y: kind === 'roc' ? c.roc.tpr : c.pr.precision,
          color,
          dashed: part === 'val',
        },
      ]
    })
  const k = m.folds.length
  return (
    `<h2>${esc(t('sections.curves'))}</h2>` +
    (m.acrossFolds ? `<p class="note">${esc(t('charts.foldNote', { fold: fold + 1, k }))}</p>` : '') +
    `<div class="charts">${figure(t('charts.roc'), curvesSvg('roc', lines('roc'), t, f), 'roc')}` +
    `${figure(t('charts.pr'), curvesSvg('pr', lines('pr'), t, f, rate(run?.test) ?? 0), 'pr')}</div>`
  )
}

function experimentReport(ctx: Ctx, experimentId: number): Report {
  const { t, f, options } = ctx
  const d = finished(ctx.store, experimentId)
  const spec = d.spec as unknown as ExperimentSpec
  const m = d.metrics!
  const data = datasetFacts(ctx, d.datasetId)
  const split = d.splitId !== null ? getSplit(ctx.store, d.splitId) : null
  const color = experimentColor(experimentId, ctx.orderedIds)
  const title = t('title.experiment', { name: d.name })
  const headline = m.acrossFolds
    ? t('headlineFolds', {
        auprc: f.meanSd(m.acrossFolds.testAuprc.mean, m.acrossFolds.testAuprc.sd),
        k: m.folds.length,
        random: f.metric(rate(m.test)),
        auroc: f.meanSd(m.acrossFolds.testAuroc.mean, m.acrossFolds.testAuroc.sd),
      })
    : t('headline', {
        auprc: f.metric(m.test.auprc),
        random: f.metric(rate(m.test)),
        auroc: f.metric(m.test.auroc),
      })
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(made(ctx))}</p>`,
    `<p class="headline" data-headline>${esc(headline)}</p>`,
    `<p class="note">${esc(t('honesty'))}</p>`,
    `<h2>${esc(t('sections.setup'))}</h2>`,
    setupFacts(ctx, d, data.alphabet, data.length),
    `<h2>${esc(t('sections.data'))}</h2>`,
    data.html,
    split ? splitFacts(ctx, split, spec) : '',
    trainingCharts(ctx, d, color),
    curveCharts(ctx, d, color),
    `<h2>${esc(t('sections.confusion'))}</h2>`,
    confusionTables(ctx, d, data.labels),
    `<h2>${esc(t('sections.metrics'))}</h2>`,
    metricsTable(ctx, d),
  ].join('\n')
  return {
    html: page(options.locale, title, options.appVersion, body),
    title,
    fileName: fileNameOf(`report ${d.name}`),
  }
}

function made(ctx: Ctx): string {
  return ctx.t('made', {
    project: ctx.store.meta().name,
    date: ctx.f.date(ctx.options.now ?? new Date()),
    version: ctx.options.appVersion,
  })
}

// ---------------------------------------------------------------------------------------------------
// A comparison

/** Finished experiments that differ only in seed and name, as groups of two or more (as Results shows). */
function seedGroups(details: ExperimentDetail[]) {
  const byKey = new Map<string, ExperimentDetail[]>()
  for (const d of details) {
    const { name: _name, seed: _seed, ...rest } = d.spec
    const key = JSON.stringify(rest)
    byKey.set(key, [...(byKey.get(key) ?? []), d])
  }
  return [...byKey.values()]
    .filter((members) => members.length > 1)
    .map((members) => ({
      name: members[0]!.name.replace(/\s*·\s*seed \d+$/, ''),
      n: members.length,
      auprc: meanSd(members.map((m) => m.metrics?.test.auprc ?? null)),
      auroc: meanSd(members.map((m) => m.metrics?.test.auroc ?? null)),
    }))
}

function comparisonReport(ctx: Ctx, experimentIds: number[], part: 'val' | 'test'): Report {
  const { t, f, options } = ctx
  const ids = [...new Set(experimentIds)]
  const details = ids.map((id) => finished(ctx.store, id))
  const result = compareExperiments(ctx.store, ids, { part, ...BOOTSTRAP })
  const byId = new Map(details.map((d) => [d.experimentId, d]))
  const nameOf = (id: number) => byId.get(id)?.name ?? String(id)
  const title = t('title.comparison', { n: ids.length })
  const partText = t(`partsInline.${part}`)

  const rows = details
    .map((d) => {
      const id = d.experimentId
      const ci = result.experiments.find((e) => e.experimentId === id)
      const c = result.comparisons.find((x) => x.experimentId === id)
      const m = d.metrics![part]
      const folds = d.metrics!.acrossFolds
      const sd = (s: { mean: number | null; sd: number | null } | undefined) =>
        folds && s?.sd != null
          ? `<span class="sub">${esc(t('table.sd', { sd: f.metric(s.sd), k: d.metrics!.folds.length }))}</span>`
          : ''
      const metricCell = (
        key: 'auprc' | 'auroc',
        interval: { estimate: number; low: number; high: number } | null | undefined,
        spread: { mean: number | null; sd: number | null } | undefined,
      ) =>
        `<td class="num" data-metric="${id}.${key}">${f.metric(interval?.estimate ?? m[key])}` +
        (interval
          ? `<span class="sub">${esc(t('table.ci', { low: f.metric(interval.low), high: f.metric(interval.high) }))}</span>`
          : '') +
        `${sd(spread)}</td>`
      const spreads = folds
        ? part === 'test'
          ? { auprc: folds.testAuprc, auroc: folds.testAuroc }
          : { auprc: folds.valAuprc, auroc: folds.valAuroc }
        : { auprc: undefined, auroc: undefined }
      let difference = '—'
      let verdict = esc(t('table.notTested'))
      if (id === result.bestId) {
        difference = f.delta(0)
        verdict = `<strong>${esc(t('table.best'))}</strong>`
      } else if (c?.auprc && c.auprcVerdict) {
        difference =
          f.delta(c.auprc.diff) +
          (c.auprc.low !== null && c.auprc.high !== null
            ? `<span class="sub">${esc(t('table.ci', { low: f.delta(c.auprc.low), high: f.delta(c.auprc.high) }))}</span>`
            : '')
        verdict = c.auprcVerdict.real
          ? `<span class="verdict-real">${esc(t('table.real'))}</span>`
          : esc(t('table.notReal'))
      }
      return (
        `<tr data-experiment="${id}"><td class="name"><span class="dot" style="background:${experimentColor(id, ctx.orderedIds)}"></span>${esc(d.name)}</td>` +
        metricCell('auprc', ci?.auprc, spreads.auprc) +
        metricCell('auroc', ci?.auroc, spreads.auroc) +
        `<td class="num">${f.metric(rate(m))}</td>` +
        `<td class="num">${f.metric(m.f1)}</td><td class="num">${f.metric(m.mcc)}</td>` +
        `<td class="num" data-metric="${id}.difference">${difference}</td><td data-verdict="${id}">${verdict}</td></tr>`
      )
    })
    .join('')
  const head = ['experiment', 'auprc', 'auroc', 'random', 'f1', 'mcc', 'difference', 'verdict']
    .map(
      (k) => `<th${['experiment', 'verdict'].includes(k) ? '' : ' class="num"'}>${esc(t(`table.${k}`))}</th>`,
    )
    .join('')
  const table = `<div class="table-wrap"><table class="wide" data-table="comparison"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`

  const sentence = (c: (typeof result.comparisons)[number], metric: 'auprc' | 'auroc') => {
    const diff = c[metric]
    const v = metric === 'auprc' ? c.auprcVerdict : c.aurocVerdict
    if (!diff || !v || result.bestId === null) return ''
    return t(v.real ? 'verdict.real' : 'verdict.notReal', {
      name: nameOf(c.experimentId),
      best: nameOf(result.bestId),
      metric: metric === 'auprc' ? 'AUPRC' : 'ROC-AUC',
      diff: f.delta(diff.diff),
      p: v.params.pText.startsWith('<') ? `p ${v.params.pText}` : `p = ${v.params.pText}`,
      test: t(diff.method === 'delong' ? 'verdict.delong' : 'verdict.bootstrap'),
    })
  }
  const verdictItems = result.comparisons
    .flatMap((c) =>
      c.paired
        ? [sentence(c, 'auprc'), sentence(c, 'auroc')].filter(Boolean)
        : [t('verdict.notPaired', { name: nameOf(c.experimentId) })],
    )
    .map((s) => `<li>${esc(s)}</li>`)
    .join('')
  const tested = result.comparisons.filter((c) => c.paired).length
  const groups = seedGroups(details)
  const curveLines = (kind: 'roc' | 'pr'): CurveLine[] =>
    details.flatMap((d) => {
      const fold = d.metrics!.folds[0]?.fold ?? 0
      const c = d.curves.find((x) => x.part === part && x.fold === fold)
      if (!c) return []
      const run = d.metrics!.folds.find((r) => r.fold === fold)
      const area = kind === 'roc' ? run?.[part].auroc : run?.[part].auprc
      return [
        {
          name: t('charts.curveArea', {
            name: d.name,
            area: `${kind === 'roc' ? 'AUROC' : 'AUPRC'} ${f.metric(area)}`,
          }),
          x: kind === 'roc' ? c.roc.fpr : c.pr.recall,
          y: kind === 'roc' ? c.roc.tpr : c.pr.precision,
          color: experimentColor(d.experimentId, ctx.orderedIds),
        },
      ]
    })
  const firstRate = rate(details[0]!.metrics!.folds[0]?.[part]) ?? 0
  const experiments = details
    .map((d) => {
      const data = datasetFacts(ctx, d.datasetId)
      const split = d.splitId !== null ? getSplit(ctx.store, d.splitId) : null
      return (
        `<h3><span class="dot" style="background:${experimentColor(d.experimentId, ctx.orderedIds)}"></span>${esc(d.name)}</h3>` +
        setupFacts(ctx, d, data.alphabet, data.length) +
        data.html +
        (split
          ? `<p>${esc(t('data.split', { name: split.name, method: t(`methods.${split.method}`, { k: split.parts.length }) }))}</p>`
          : '')
      )
    })
    .join('\n')

  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="meta">${esc(made(ctx))}</p>`,
    `<p class="note">${esc(t('honesty'))}</p>`,
    new Set(details.map((d) => d.splitId)).size > 1
      ? `<p><strong>${esc(t('verdict.differentSplits'))}</strong></p>`
      : '',
    `<h2>${esc(t('sections.comparison', { part: partText }))}</h2>`,
    table,
    `<p class="note">${esc(t('metrics.note'))}</p>`,
    verdictItems
      ? `<h2>${esc(t('sections.verdicts'))}</h2><ul class="verdicts" data-verdicts>${verdictItems}</ul>` +
        `<p class="note">${esc(t('verdict.note', { n: f.count(BOOTSTRAP.n) }))}${tested > 1 ? ' ' + esc(t('verdict.holm')) : ''}</p>`
      : '',
    groups.length
      ? `<h2>${esc(t('sections.seeds'))}</h2><ul>${groups
          .map(
            (g) =>
              `<li>${esc(t('seeds', { name: g.name, n: g.n, auprc: f.meanSd(g.auprc.mean, g.auprc.sd), auroc: f.meanSd(g.auroc.mean, g.auroc.sd) }))}</li>`,
          )
          .join('')}</ul>`
      : '',
    `<h2>${esc(t('sections.curves'))}</h2>`,
    `<div class="charts">${figure(t('charts.rocPart', { part: partText }), curvesSvg('roc', curveLines('roc'), t, f), 'roc')}` +
      `${figure(t('charts.prPart', { part: partText }), curvesSvg('pr', curveLines('pr'), t, f, firstRate), 'pr')}</div>`,
    `<h2>${esc(t('sections.experiments'))}</h2>`,
    experiments,
  ].join('\n')
  return {
    html: page(options.locale, title, options.appVersion, body),
    title,
    fileName: fileNameOf(`comparison ${details.map((d) => d.name).join(' vs ')}`),
  }
}

/** A file name every system accepts (as the renderer's safeFileName), with the .html extension. */
export function fileNameOf(base: string): string {
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 100)
  return `${cleaned || 'seqlab report'}.html`
}
