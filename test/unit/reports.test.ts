/**
 * Exports of issue 4, view 9, through the services and the CLI, on a tiny CNN and a 4-mer logistic
 * regression trained in real workers on planted AP-1 sites:
 * - `models.export` writes a TensorFlow.js layers model that tfjs loads back (an io handler reading the two
 *   files) and that scores every test window as the stored test predictions did, to 1e-5;
 * - `reports.render` gives one self-contained page whose numbers are the stored metrics (read back from the
 *   parsed HTML), in English and in 简体中文, for an experiment and for a comparison (the CIs and verdicts of
 *   `compare.experiments`); `reports.save` writes it; names are escaped;
 * - `seqlab report` and `seqlab export-model` do the same from the command line;
 * - the report's words exist in both languages with the same placeholders.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { parse, type HTMLElement } from 'node-html-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { getEngineInfo } from '../../src/app/engine'
import { storedPredictions } from '../../src/app/experiments/repository'
import { reportFormat } from '../../src/app/reports/format'
import { reportMessages } from '../../src/app/reports/strings'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import { Rng } from '../../src/core/random'
import { DNA, kmerBatch, oneHotBatch } from '../../src/core/sequence'
import type { CallInput, CallName, CallOutput, JobInfo } from '../../src/shared/contract'
import type { ExperimentDetail } from '../../src/shared/contract-experiments'

const root = path.resolve(__dirname, '../..')
const LENGTH = 80
const SITE = 'TGACTCA'

let tmp: string
let services: Services
let projectId: string
let store: ProjectStore
let datasetId: number
let cnn: ExperimentDetail
let logreg: ExperimentDetail

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw Object.assign(new Error(JSON.stringify(result.error)), { data: result.error })
  return result.value as CallOutput<N>
}

async function failure(name: CallName, input: unknown): Promise<{ code?: string; message: string }> {
  const result = await services.dispatch(name, input)
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error as { code?: string; message: string }
}

function settled(jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = () => {
      const job = services.jobs.get(jobId)
      if (job && ['done', 'failed', 'cancelled'].includes(job.state)) {
        off()
        resolve(job)
      }
    }
    const off = services.events.subscribe(() => check())
    check()
  })
}

async function train(name: string, over: Record<string, unknown>): Promise<ExperimentDetail> {
  const { experimentId } = await call('experiments.create', {
    projectId,
    spec: {
      name,
      datasetId,
      splitId: splitIdOf(),
      training: { epochs: 2, batchSize: 32 },
      seed: 5,
      ...over,
    } as never,
  })
  const { jobId } = await call('experiments.run', { projectId, experimentId })
  const job = await settled(jobId)
  expect(job.state, JSON.stringify(job.error)).toBe('done')
  for (;;) {
    const d = await call('experiments.get', { projectId, experimentId })
    if (d.status === 'done') return d
    await new Promise((r) => setTimeout(r, 20))
  }
}

let splitId = 0
const splitIdOf = () => splitId

function addDataset(s: ProjectStore): number {
  const rng = Rng.seeded(21)
  const staging = new RecordStaging(s)
  for (let i = 0; i < 500; i++) {
    const bases = Array.from({ length: LENGTH }, () => 'ACGT'[rng.int(4)]!)
    const label = i % 4 === 0 ? 1 : 0
    if (label) bases.splice(rng.int(LENGTH - SITE.length), SITE.length, ...SITE)
    staging.add({
      at: { file: 'test', record: i + 1 },
      recordId: `w${i}`,
      sequence: bases.join('').slice(0, LENGTH),
      label,
      weight: null,
      group: null,
      chrom: null,
      start: null,
      end: null,
    })
  }
  try {
    return staging.commit({
      name: 'planted <AP-1>',
      alphabet: 'dna',
      labelKind: 'binary',
      labelSet: ['unbound', 'bound'],
      seqLength: LENGTH,
      source: { test: true },
    })
  } finally {
    staging.dispose()
  }
}

/** A file reference the services will write, as a save dialog would hand it over. */
function target(name: string) {
  return services.files.register(path.join(tmp, name), 'write')
}

/** tfjs' io handler over the two files on disk (what tfjs-node's file:// handler does). */
function fileHandler(modelJson: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(modelJson, 'utf8')) as {
        modelTopology: object
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
        userDefinedMetadata?: { [key: string]: object }
        format?: string
      }
      const buffers = json.weightsManifest.flatMap((group) =>
        group.paths.map((p) => fs.readFileSync(path.join(path.dirname(modelJson), p))),
      )
      const bytes = Buffer.concat(buffers)
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
        userDefinedMetadata: json.userDefinedMetadata,
      }
    },
  }
}

function testSequences(experimentId: number): {
  records: Int32Array
  scores: Float32Array
  codes: Uint8Array[]
} {
  const p = storedPredictions(store, experimentId, 0, 'test')!
  const read = store.db.prepare('SELECT sequence FROM records WHERE dataset_id = ? AND idx = ?').pluck()
  return { ...p, codes: Array.from(p.records, (r) => DNA.toCodes(String(read.get(datasetId, r)))) }
}

const text = (root: HTMLElement, selector: string) => root.querySelector(selector)?.text.trim() ?? ''

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-reports-')))
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  await getEngineInfo()
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: tmp,
    transport: 'web',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'reports & models' })).projectId
  store = services.projects.get(projectId)
  datasetId = addDataset(store)
  splitId = createSplit(store, datasetId, { method: 'stratified', val: 0.2, test: 0.2, seed: 2 }).splitId
  cnn = await train('tiny CNN <b>', {
    model: { kind: 'cnn', filters: 4, kernelSize: 7, layers: 1, dropout: 0.1 },
    training: { epochs: 2, batchSize: 32, optimizer: { lr: 0.01 } },
  })
  logreg = await train('4-mer LR', {
    model: { kind: 'logreg' },
    input: { encoding: 'kmer', k: 4 },
    training: { epochs: 2, batchSize: 32, optimizer: { lr: 0.05 } },
  })
}, 120_000)

afterAll(() => {
  services?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

describe('models.export: a TensorFlow.js layers model', () => {
  it('writes model.json and its weights, which tfjs reloads and which score the test part as stored', async () => {
    const out = await call('models.export', {
      projectId,
      experimentId: cnn.experimentId,
      target: target('jund'),
    })
    expect(out).toMatchObject({
      model: 'jund.json',
      weights: 'jund.weights.bin',
      inputShape: [LENGTH, 4],
      encoding: 'onehot',
    })
    const json = JSON.parse(fs.readFileSync(path.join(tmp, 'jund.json'), 'utf8'))
    expect(json.format).toBe('layers-model')
    expect(json.weightsManifest[0].paths).toEqual(['jund.weights.bin'])
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([
      'conv1/kernel',
      'conv1/bias',
      'output/kernel',
      'output/bias',
    ])
    expect(json.userDefinedMetadata.seqlab).toMatchObject({
      experimentId: cnn.experimentId,
      input: { encoding: 'onehot', alphabet: 'dna', shape: [LENGTH, 4], channels: ['A', 'C', 'G', 'T'] },
      threshold: cnn.metrics!.val.threshold,
    })
    expect(out.bytes).toBe(
      fs.statSync(path.join(tmp, 'jund.json')).size + fs.statSync(path.join(tmp, 'jund.weights.bin')).size,
    )

    const model = await tfl.loadLayersModel(fileHandler(path.join(tmp, 'jund.json')))
    const { codes, scores } = testSequences(cnn.experimentId)
    const x = oneHotBatch(
      codes,
      codes.map((_, i) => i),
      LENGTH,
    )
    const predicted = tf.tidy(() =>
      (model.predict(tf.tensor3d(x, [codes.length, LENGTH, 4])) as tf.Tensor).dataSync(),
    )
    expect(predicted.length).toBe(scores.length)
    let worst = 0
    predicted.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - scores[i]!))))
    expect(worst).toBeLessThan(1e-5)
    model.dispose()
  })

  it('exports a k-mer logistic regression whose metadata says how to encode its input', async () => {
    const out = await call('models.export', {
      projectId,
      experimentId: logreg.experimentId,
      target: target('lr.model.json'),
    })
    expect(out).toMatchObject({
      model: 'lr.model.json',
      weights: 'lr.weights.bin',
      inputShape: [256],
      encoding: 'kmer',
    })
    const model = await tfl.loadLayersModel(fileHandler(path.join(tmp, 'lr.model.json')))
    const { codes, scores } = testSequences(logreg.experimentId)
    const x = kmerBatch(
      codes,
      codes.map((_, i) => i),
      4,
    )
    const predicted = tf.tidy(() =>
      (model.predict(tf.tensor2d(x, [codes.length, 256])) as tf.Tensor).dataSync(),
    )
    predicted.forEach((p, i) => expect(Math.abs(p - scores[i]!)).toBeLessThan(1e-5))
    const meta = JSON.parse(fs.readFileSync(path.join(tmp, 'lr.model.json'), 'utf8')).userDefinedMetadata
      .seqlab
    expect(meta.input).toMatchObject({ encoding: 'kmer', k: 4, canonical: false, shape: [256] })
    model.dispose()
  })

  it('refuses models without weights, and folders it cannot write to, as input errors', async () => {
    const { experimentId } = await call('experiments.create', {
      projectId,
      spec: {
        name: 'scan',
        datasetId,
        splitId,
        model: { kind: 'pwm', motifId: 'MA0491.1' },
        weighting: 'none',
      },
    })
    expect(
      (await failure('models.export', { projectId, experimentId, target: target('scan.json') })).code,
    ).toBe('model.no_weights')
    const queued = await call('experiments.create', {
      projectId,
      spec: { name: 'untrained', datasetId, splitId, model: { kind: 'logreg' } },
    })
    expect(
      (
        await failure('models.export', {
          projectId,
          experimentId: queued.experimentId,
          target: target('u.json'),
        })
      ).code,
    ).toBe('experiment.no_weights')
    expect(
      (
        await failure('models.export', {
          projectId,
          experimentId: cnn.experimentId,
          target: target('no-such-folder/m.json'),
        })
      ).code,
    ).toBe('files.write_failed')
    await call('experiments.delete', { projectId, experimentId })
    await call('experiments.delete', { projectId, experimentId: queued.experimentId })
  })
})

describe('reports.render: one self-contained HTML page', () => {
  it('reports an experiment with the metrics it stored, its charts, and nothing to load', async () => {
    const { html, title, fileName } = await call('reports.render', {
      projectId,
      subject: { kind: 'experiment', experimentId: cnn.experimentId },
      locale: 'en',
    })
    expect(title).toBe('Experiment report: tiny CNN <b>')
    expect(fileName).toBe('report tiny CNN -b.html')
    const doc = parse(html)
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('en')
    expect(text(doc, 'title')).toBe(title)
    expect(text(doc, 'h1')).toBe(title)
    // Names are escaped: the experiment's "<b>" is text, not an element.
    expect(doc.querySelectorAll('h1 b')).toHaveLength(0)
    expect(html).toContain('tiny CNN &#60;b&#62;')
    // Self-contained: no script, nothing fetched, a policy that forbids fetching.
    expect(doc.querySelectorAll('script, link, img, iframe, object')).toHaveLength(0)
    // (The charts' clip paths point inside the page: url(#…).)
    expect(html).not.toMatch(/\b(src|href)\s*=|url\((?!#)/i)
    expect(
      doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
    ).toContain("default-src 'none'")

    const f = reportFormat('en')
    const m = cnn.metrics!
    const metric = (key: string) => text(doc, `[data-metric="${key}"]`)
    expect(metric('test.auprc')).toBe(f.metric(m.test.auprc))
    expect(metric('test.auroc')).toBe(f.metric(m.test.auroc))
    expect(metric('val.auprc')).toBe(f.metric(m.val.auprc))
    expect(metric('test.f1')).toBe(f.metric(m.test.f1))
    expect(metric('test.mcc')).toBe(f.metric(m.test.mcc))
    expect(metric('test.threshold')).toBe(f.metric(m.val.threshold))
    expect(metric('test.random')).toBe(f.metric(m.test.positives / m.test.records))
    // The confusion matrices at the validation threshold, cell by cell.
    for (const part of ['val', 'test'] as const) {
      const c = m[part].confusion!
      for (const cell of ['tn', 'fp', 'fn', 'tp'] as const) {
        expect(metric(`${part}.${cell}`)).toMatch(new RegExp(`^${c[cell]} \\(`))
      }
    }
    expect(text(doc, '[data-headline]')).toBe(
      `Test AUPRC ${f.metric(m.test.auprc)} (random guessing gives ${f.metric(m.test.positives / m.test.records)}) · ROC-AUC ${f.metric(m.test.auroc)}`,
    )
    // The spec in words, the data and the split's counts, the engine.
    const body = doc.querySelector('main')!.text
    expect(body).toContain('Convolutional network: 1 convolution layer(s) of 4 filters, 7 bases wide')
    expect(body).toContain('One-hot DNA windows of 80 letters')
    expect(body).toContain('2 epoch(s), batch 32, Adam (learning rate 0.01')
    expect(body).toContain(`Data set “planted <AP-1>”: 500 records, 125 positive (25.0%)`)
    expect(body).toContain('WebAssembly, TensorFlow.js 4.22.0, 1 thread(s)')
    const split = doc.querySelector('[data-table="split"]')!.querySelectorAll('tbody tr')
    expect(split.map((r) => r.querySelectorAll('td')[0]!.text)).toEqual(['Training', 'Validation', 'Test'])
    expect(split[2]!.querySelectorAll('td')[1]!.text).toBe(String(m.test.records))
    // Charts as inline SVG: loss, ranking metrics, ROC, PR.
    for (const name of ['loss', 'ranking', 'roc', 'pr']) {
      expect(doc.querySelector(`[data-chart="${name}"] svg`), name).not.toBeNull()
    }
    expect(text(doc, '[data-chart="roc"]')).toContain('False positive rate')
  })

  it('writes the same report in 简体中文', async () => {
    const { html, title } = await call('reports.render', {
      projectId,
      subject: { kind: 'experiment', experimentId: cnn.experimentId },
      locale: 'zh-CN',
    })
    const doc = parse(html)
    expect(doc.querySelector('html')?.getAttribute('lang')).toBe('zh-CN')
    expect(title).toBe('实验报告：tiny CNN <b>')
    const headings = doc.querySelectorAll('h2').map((h) => h.text)
    expect(headings).toEqual([
      '训练了什么',
      '数据与划分',
      '训练曲线',
      'ROC 曲线与精确率–召回率曲线',
      '在验证集所选阈值下的混淆矩阵',
      '指标',
    ])
    expect(text(doc, '[data-metric="test.auprc"]')).toBe(
      reportFormat('zh-CN').metric(cnn.metrics!.test.auprc),
    )
    expect(text(doc, '[data-chart="roc"]')).toContain('假阳性率')
  })

  it('reports a comparison with the CIs and verdicts of compare.experiments', async () => {
    const ids = [cnn.experimentId, logreg.experimentId]
    const { html, title } = await call('reports.render', {
      projectId,
      subject: { kind: 'comparison', experimentIds: ids },
    })
    expect(title).toBe('Comparison of 2 experiments')
    const doc = parse(html)
    const compared = await call('compare.experiments', { projectId, experimentIds: ids })
    const f = reportFormat('en')
    for (const e of compared.experiments) {
      const cell = doc.querySelector(`[data-metric="${e.experimentId}.auprc"]`)!
      expect(cell.text).toContain(f.metric(e.auprc!.estimate))
      expect(cell.text).toContain(`${f.metric(e.auprc!.low)} to ${f.metric(e.auprc!.high)}`)
      expect(text(doc, `[data-metric="${e.experimentId}.auroc"]`)).toContain(f.metric(e.auroc!.estimate))
    }
    const other = compared.comparisons[0]!
    expect(text(doc, `[data-verdict="${compared.bestId}"]`)).toBe('Best')
    expect(text(doc, `[data-verdict="${other.experimentId}"]`)).toBe(
      other.auprcVerdict!.real ? 'Real difference' : 'Could be chance',
    )
    expect(text(doc, `[data-metric="${other.experimentId}.difference"]`)).toContain(
      f.delta(other.auprc!.diff),
    )
    const verdicts = doc.querySelectorAll('[data-verdicts] li').map((li) => li.text)
    expect(verdicts).toHaveLength(2)
    expect(verdicts[0]).toMatch(/AUPRC [−+]?\d\.\d{3}, .*paired bootstrap\)\.$/)
    expect(verdicts[1]).toMatch(/ROC-AUC .*DeLong test\)\.$/)
    expect(doc.querySelector('[data-chart="roc"] svg')).not.toBeNull()
    expect(doc.querySelectorAll('[data-table="comparison"] tbody tr')).toHaveLength(2)
  })

  it('saves the page to the chosen file, and refuses unfinished experiments', async () => {
    const saved = await call('reports.save', {
      projectId,
      subject: { kind: 'experiment', experimentId: logreg.experimentId },
      locale: 'en',
      target: target('lr report.html'),
    })
    expect(saved.file).toBe('lr report.html')
    const written = fs.readFileSync(path.join(tmp, 'lr report.html'), 'utf8')
    expect(saved.bytes).toBe(Buffer.byteLength(written))
    expect(parse(written).querySelector('h1')!.text).toBe('Experiment report: 4-mer LR')
    const { experimentId } = await call('experiments.create', {
      projectId,
      spec: { name: 'queued', datasetId, splitId, model: { kind: 'logreg' } },
    })
    expect(
      (await failure('reports.render', { projectId, subject: { kind: 'experiment', experimentId } })).code,
    ).toBe('experiment.no_predictions')
    await call('experiments.delete', { projectId, experimentId })
  })
})

describe('the command line', () => {
  const bin = path.join(root, 'bin', 'seqlab.cjs')
  async function seqlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
        cwd: tmp,
        env: { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'cli-app-data'), NODE_OPTIONS: '' },
      })
      return { code: 0, stdout, stderr }
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string }
      return {
        code: typeof e.code === 'number' ? e.code : -1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      }
    }
  }

  it('seqlab report and seqlab export-model write what the services write', async () => {
    const project = services.projects.summary(projectId).displayPath
    const one = await seqlab([
      'report',
      project,
      '--experiment',
      String(cnn.experimentId),
      '--out',
      'r.html',
      '--lang',
      'zh-CN',
      '--json',
    ])
    expect(one.code, one.stderr).toBe(0)
    expect(JSON.parse(one.stdout)).toMatchObject({ file: 'r.html', title: '实验报告：tiny CNN <b>' })
    expect(
      parse(fs.readFileSync(path.join(tmp, 'r.html'), 'utf8'))
        .querySelector('html')!
        .getAttribute('lang'),
    ).toBe('zh-CN')
    const both = await seqlab([
      'report',
      project,
      '--compare',
      `${cnn.experimentId},${logreg.experimentId}`,
      '--out',
      'c.html',
    ])
    expect(both.code, both.stderr).toBe(0)
    expect(both.stdout).toContain('Wrote “Comparison of 2 experiments” to c.html')

    const exported = await seqlab([
      'export-model',
      project,
      '--experiment',
      String(cnn.experimentId),
      '--out',
      'cli-model.json',
    ])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout).toContain('Wrote cli-model.json and cli-model.weights.bin')
    expect(fs.readFileSync(path.join(tmp, 'cli-model.weights.bin'))).toEqual(
      fs.readFileSync(path.join(tmp, 'jund.weights.bin')),
    )

    const wrong = await seqlab(['report', project, '--out', 'x.html'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('Give either --experiment ID or --compare ID,ID,…')
    const lang = await seqlab(['report', project, '--experiment', '1', '--out', 'x.html', '--lang', 'fr'])
    expect(lang.code).toBe(2)
    expect(lang.stderr).toContain('--lang')
  })
})

describe('the report’s words', () => {
  type Tree = { [key: string]: string | Tree }
  const flatten = (tree: Tree, prefix = ''): [string, string][] =>
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'string' ? [[prefix + k, v] as [string, string]] : flatten(v, `${prefix}${k}.`),
    )
  const en = new Map(flatten(reportMessages.en as unknown as Tree))
  const zh = new Map(flatten(reportMessages['zh-CN'] as unknown as Tree))
  const placeholders = (s: string) =>
    [...s.matchAll(/\{(\w+)\}/g)]
      .map((m) => m[1])
      .sort()
      .join()

  it('exist in English and 简体中文 with the same keys and placeholders, and the Chinese is Chinese', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort())
    expect([...en].filter(([k, v]) => placeholders(v) !== placeholders(zh.get(k)!)).map(([k]) => k)).toEqual(
      [],
    )
    // Names of metrics, products and the DNA alphabet stay as they are.
    const names = /^(metrics\.(auprc|auroc|f1|mcc)|table\.(f1|mcc)|input\.dna|backend\.wasm|charts\.curveArea)$/
    expect([...zh].filter(([k, v]) => !names.test(k) && !/\p{Script=Han}/u.test(v)).map(([k]) => k)).toEqual(
      [],
    )
    expect([...en, ...zh].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([])
  })
})
