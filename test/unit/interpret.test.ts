/**
 * "What the model learned" through the services (issue 4, view 11), on the TF-binding demo's windows (every
 * positive, a share of the negatives, chromosome hold-out) and a CNN whose weights are set by hand, stored
 * as a finished run would store them: filter 0 holds JUND MA0491.1 as pwm-like weights, ln(4 p), so its
 * response is the log-odds of a JUND site; the output reads filter 0 only.
 * - `interpret.filters` gives one logo per first-layer filter; by the kernel's weights filter 0 IS JUND and
 *   matches MA0491.1 first; from its activations on the test windows it still finds AP-1, MA0491.1 among
 *   the top three; a JASPAR file of the user's replaces the shipped collection;
 * - `interpret.windows` lists the best-scoring test windows, and `interpret.mutagenesis` of a positive puts
 *   the largest in-silico mutagenesis drop and the largest saliency inside its JUND site;
 * - models it cannot read, windows of the wrong length and bad letters are input errors;
 * - the shipped collection is JASPAR 2016 as the shared data folder has it.
 */
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { aggregateRuns, evaluateRun } from '../../src/app/experiments/evaluate'
import {
  insertExperiment,
  setStatus,
  storedPredictions,
  writeEpoch,
  writeRun,
} from '../../src/app/experiments/repository'
import { checkSpec, parseSpec } from '../../src/app/experiments/spec'
import { getEngineInfo } from '../../src/app/engine'
import jaspar2016 from '../../src/app/interpret/data/jaspar-2016.json'
import { builtInJaspar } from '../../src/app/interpret/service'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import { shippedJund, tfBindingDemo } from '../../src/core/demo/tf-binding'
import { bestMatch, toLogOdds } from '../../src/core/formats/jaspar'
import { toProbabilities } from '../../src/core/interpret'
import { buildModel, getWeights, layersPredictor, packWeights } from '../../src/core/models'
import { DNA, oneHotBatch } from '../../src/core/sequence'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'

const LENGTH = 101
const WIDTH = 11
const FILTERS = 6
const AP1 = /JUN|FOS|JDP2|BATF|ATF|NFE2|MAF|BACH/i

let tmp: string
let services: Services
let projectId: string
let store: ProjectStore
let datasetId: number
let splitId: number
let cnnId: number

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw Object.assign(new Error(JSON.stringify(result.error)), { data: result.error })
  return result.value as CallOutput<N>
}

async function failure(name: CallName, input: unknown): Promise<{ code?: string; params?: unknown }> {
  const result = await services.dispatch(name, input)
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error as { code?: string }
}

/** Every positive of the demo and every 25th negative, on their pseudo-chromosomes. */
function storeDemoWindows(s: ProjectStore): number {
  const staging = new RecordStaging(s)
  let negatives = 0
  for (const r of tfBindingDemo()) {
    if (r.label === 0 && negatives++ % 25 !== 0) continue
    staging.add({
      at: { file: 'demo', record: staging.records + 1 },
      recordId: r.id,
      sequence: r.sequence,
      label: r.label,
      weight: null,
      group: null,
      chrom: r.chrom,
      start: r.start,
      end: r.end,
    })
  }
  try {
    return staging.commit({
      name: 'JUND demo windows',
      alphabet: 'dna',
      labelKind: 'binary',
      labelSet: ['0', '1'],
      seqLength: LENGTH,
      source: { test: true },
    })
  } finally {
    staging.dispose()
  }
}

/** A CNN as a finished run stores it, with hand-set weights: filter 0 = JUND, the output reads filter 0. */
async function storePlantedCnn(): Promise<number> {
  const spec = checkSpec(
    store,
    parseSpec({
      name: 'planted JUND CNN',
      datasetId,
      splitId,
      model: { kind: 'cnn', filters: FILTERS, kernelSize: WIDTH, layers: 1, dropout: 0 },
      training: { epochs: 1 },
      seed: 3,
    }),
  )
  const experimentId = insertExperiment(store, spec)
  const model = buildModel(spec.model as never, { inputShape: [LENGTH, 4], seed: spec.seed })
  const probabilities = toProbabilities(shippedJund().counts, 0.8)
  const weights = getWeights(model).map((w) => {
    const data = w.data.slice()
    if (w.name === 'conv1/kernel') {
      // [width, 4, filters]: filter 0 holds ln(4 p), the log-odds against a uniform background.
      for (let p = 0; p < WIDTH; p++)
        for (let b = 0; b < 4; b++) data[(p * 4 + b) * FILTERS] = Math.log(4 * probabilities[b]![p]!)
    } else if (w.name === 'conv1/bias') {
      data.fill(0)
    } else if (w.name === 'output/kernel') {
      // Flattened [positions, filters]: the score sums filter 0 over the window.
      data.fill(0)
      for (let p = 0; p < LENGTH; p++) data[p * FILTERS] = 0.25
    } else if (w.name === 'output/bias') {
      data.fill(-3)
    }
    return { ...w, data }
  })
  const packed = packWeights(weights)
  writeEpoch(store, experimentId, {
    fold: 0,
    metrics: { epoch: 1, trainLoss: 0.5, valLoss: 0.5, valAuroc: 0.9, valAuprc: 0.5, seconds: 1 },
    bestEpoch: 1,
    bestWeights: packed,
    lastWeights: packed,
    optimizerState: { name: 'adam', iterations: 0, moments: packWeights([]) },
  })
  // Validation and test scores of these weights, evaluated and stored as the runner does.
  const planted = buildModel(spec.model as never, { inputShape: [LENGTH, 4], seed: spec.seed })
  planted.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)))
  const predictor = layersPredictor(planted)
  const rows = store.db
    .prepare('SELECT idx, sequence, label FROM records WHERE dataset_id = ? ORDER BY idx')
    .all(datasetId) as { idx: number; sequence: string; label: number }[]
  const part = (chrom: string) => {
    const chosen = rows.filter(
      (r) =>
        (store.db
          .prepare('SELECT chrom FROM records WHERE dataset_id = ? AND idx = ?')
          .pluck()
          .get(datasetId, r.idx) as string) === chrom,
    )
    const codes = chosen.map((r) => DNA.toCodes(r.sequence))
    return {
      records: Int32Array.from(chosen, (r) => r.idx),
      y: Float32Array.from(chosen, (r) => r.label),
      scores: predictor.predict(
        oneHotBatch(
          codes,
          codes.map((_, i) => i),
          LENGTH,
        ),
      ),
    }
  }
  const val = part('chrD')
  const test = part('chrE')
  planted.dispose()
  model.dispose()
  const evaluated = evaluateRun(val, test, true)
  const run = {
    fold: 0,
    bestEpoch: 1,
    epochs: 1,
    stoppedEarly: false,
    val: evaluated.val.metrics,
    test: evaluated.test.metrics,
    trainSeconds: 1,
    evalSeconds: 0,
  }
  writeRun(
    store,
    experimentId,
    run,
    { val: evaluated.val.curve, test: evaluated.test.curve },
    {
      val: { records: val.records, scores: val.scores },
      test: { records: test.records, scores: test.scores },
    },
  )
  const metrics = aggregateRuns([run], { engine: null, loadSeconds: 0, totalSeconds: 1 }, false)
  setStatus(store, experimentId, 'done', { finished: true, metrics, bestEpoch: 1 })
  return experimentId
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-interpret-')))
  await getEngineInfo()
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: tmp,
    transport: 'web',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'interpret' })).projectId
  store = services.projects.get(projectId)
  datasetId = storeDemoWindows(store)
  splitId = createSplit(store, datasetId, { method: 'chromosome', val: ['chrD'], test: ['chrE'] }).splitId
  cnnId = await storePlantedCnn()
}, 60_000)

afterAll(() => {
  services?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

describe('interpret.filters: first-layer filters as logos, matched against JASPAR', () => {
  it('reads the planted pwm-like weights back as JUND MA0491.1, one logo per filter', async () => {
    const r = await call('interpret.filters', { projectId, experimentId: cnnId, method: 'weights' })
    expect(r).toMatchObject({
      method: 'weights',
      width: WIDTH,
      windows: 0,
      database: { name: 'JASPAR 2016', matrices: 635, builtIn: true },
    })
    expect(r.filters).toHaveLength(FILTERS)
    expect(r.filters.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5])
    const jund = r.filters[0]!
    expect(jund.matches).toHaveLength(3)
    expect(jund.matches[0]).toMatchObject({
      id: 'MA0491.1',
      name: 'JUND',
      offset: 0,
      strand: '+',
      overlap: WIDTH,
    })
    expect(jund.matches[0]!.score).toBeGreaterThan(0.999)
    // The softmax of ln(4 p) is p: the logo is JUND's, 2 bits at its invariant T G A · T · A core.
    expect(jund.logo).toHaveLength(WIDTH)
    expect(jund.logo[3]!.letters.at(-1)).toMatchObject({ letter: 'G' })
    expect(jund.logo[3]!.information).toBeGreaterThan(1.9)
    expect(jund.information).toBeGreaterThan(10)
    for (const column of jund.logo) {
      expect(column.letters.map((l) => l.height)).toEqual(
        [...column.letters.map((l) => l.height)].sort((a, b) => a - b),
      )
    }
    // The untouched random filters carry far less information than the planted one.
    expect(Math.max(...r.filters.slice(1).map((f) => f.information))).toBeLessThan(jund.information / 2)
  })

  it('finds JUND from where filter 0 fires on the test windows (DeepBind/Basset)', async () => {
    const r = await call('interpret.filters', { projectId, experimentId: cnnId, top: 10 })
    expect(r.method).toBe('activations')
    expect(r.filters).toHaveLength(FILTERS)
    const testRecords = storedPredictions(store, cnnId, 0, 'test')!.records.length
    expect(r.windows).toBe(Math.min(testRecords, 2000))
    const jund = r.filters[0]!
    expect(jund.sites).toBeGreaterThan(40)
    // The sites' flanks differ from JASPAR's, so a close AP-1 relative may come first (JUN, JUNB, JDP2).
    expect(jund.matches.slice(0, 3).every((m) => AP1.test(m.name))).toBe(true)
    expect(jund.matches.map((m) => m.id)).toContain('MA0491.1')
    expect(jund.information).toBeGreaterThan(8)
  })

  it('matches against a JASPAR file the user chose instead', async () => {
    const file = path.join(tmp, 'mine.jaspar')
    const jund = shippedJund().counts
    const row = (b: number) => `${'ACGT'[b]}  [ ${jund[b]!.join(' ')} ]`
    fs.writeFileSync(
      file,
      `>MY0001.1 MyJund\n${[0, 1, 2, 3].map(row).join('\n')}\n>MY0002.1 PolyA\nA [ 9 9 9 9 9 ]\nC [ 0 0 0 0 0 ]\nG [ 0 0 0 0 0 ]\nT [ 0 0 0 0 0 ]\n`,
    )
    const motifs = services.files.register(file, 'read')
    const r = await call('interpret.filters', {
      projectId,
      experimentId: cnnId,
      method: 'weights',
      motifs,
      top: 1,
    })
    expect(r.database).toEqual({ name: 'mine.jaspar', matrices: 2, builtIn: false })
    expect(r.filters[0]!.matches).toEqual([expect.objectContaining({ id: 'MY0001.1', name: 'MyJund' })])
    fs.writeFileSync(file, 'not a motif\n')
    expect((await failure('interpret.filters', { projectId, experimentId: cnnId, motifs })).code).toBe(
      'jaspar.bad_format',
    )
  })
})

describe('interpret.windows and interpret.mutagenesis: one window explained', () => {
  it('puts the largest mutagenesis drop and saliency of a bound window inside its JUND site', async () => {
    const { windows } = await call('interpret.windows', { projectId, experimentId: cnnId, limit: 5 })
    expect(windows).toHaveLength(5)
    expect(windows.map((w) => w.score)).toEqual([...windows.map((w) => w.score)].sort((a, b) => b - a))
    const top = windows[0]!
    expect(top).toMatchObject({ label: 1 })
    expect(top.sequence).toHaveLength(LENGTH)

    const r = await call('interpret.mutagenesis', {
      projectId,
      experimentId: cnnId,
      window: { record: top.record },
    })
    expect(r).toMatchObject({ record: top.record, recordId: top.recordId, label: 1, sequence: top.sequence })
    expect(r.score).toBeCloseTo(top.score, 5)
    expect(r.deltas).toHaveLength(LENGTH)
    r.deltas.forEach((row, p) => {
      expect(row).toHaveLength(4)
      expect(row['ACGT'.indexOf(top.sequence[p]!)]).toBe(0)
    })
    expect(r.mutagenesis).toHaveLength(LENGTH)
    expect(r.saliency).toHaveLength(LENGTH)
    // Its JUND sites (the demo plants one or two): every 11-mer whose log-odds is near the best one's.
    const logOdds = toLogOdds(shippedJund().counts)
    const codes = DNA.toCodes(top.sequence)
    const best = bestMatch(logOdds, codes)!.score
    const sites: number[] = []
    for (let at = 0; at + WIDTH <= LENGTH; at++) {
      const one = bestMatch(logOdds, codes.subarray(at, at + WIDTH))!
      if (one.score > best - 6) sites.push(at)
    }
    const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs))
    const inSite = (p: number) => sites.some((at) => p >= at && p < at + WIDTH)
    expect(inSite(argmax(r.mutagenesis)), `ISM peak ${argmax(r.mutagenesis)}, sites ${sites}`).toBe(true)
    expect(inSite(argmax(r.saliency)), `saliency peak ${argmax(r.saliency)}, sites ${sites}`).toBe(true)

    // The same window pasted (lower case, broken over lines) gives the same answer.
    const pasted = await call('interpret.mutagenesis', {
      projectId,
      experimentId: cnnId,
      window: { sequence: `${top.sequence.slice(0, 50).toLowerCase()}\n${top.sequence.slice(50)}` },
    })
    expect(pasted).toMatchObject({ record: null, label: null, sequence: top.sequence })
    expect(pasted.mutagenesis).toEqual(r.mutagenesis)
  })

  it('refuses windows of the wrong length or with letters that are not DNA', async () => {
    const short = await failure('interpret.mutagenesis', {
      projectId,
      experimentId: cnnId,
      window: { sequence: 'ACGT' },
    })
    expect(short).toMatchObject({ code: 'interpret.bad_window', params: { length: LENGTH } })
    expect(
      (
        await failure('interpret.mutagenesis', {
          projectId,
          experimentId: cnnId,
          window: { sequence: 'J'.repeat(LENGTH) },
        })
      ).code,
    ).toBe('sequence.bad_letter')
    expect(
      (
        await failure('interpret.mutagenesis', {
          projectId,
          experimentId: cnnId,
          window: { record: 10_000_000 },
        })
      ).code,
    ).toBe('interpret.bad_window')
  })

  it('says which models it cannot look into', async () => {
    const logreg = insertExperiment(
      store,
      checkSpec(
        store,
        parseSpec({ name: 'lr', datasetId, splitId, model: { kind: 'logreg' }, input: { encoding: 'kmer' } }),
      ),
    )
    expect((await failure('interpret.filters', { projectId, experimentId: logreg })).code).toBe(
      'interpret.not_cnn',
    )
    expect(
      (await failure('interpret.mutagenesis', { projectId, experimentId: logreg, window: { record: 0 } }))
        .code,
    ).toBe('interpret.not_cnn')
    const untrained = insertExperiment(
      store,
      checkSpec(store, parseSpec({ name: 'cnn', datasetId, splitId, model: { kind: 'cnn' } })),
    )
    expect((await failure('interpret.filters', { projectId, experimentId: untrained })).code).toBe(
      'experiment.no_weights',
    )
  })
})

describe('the shipped JASPAR collection', () => {
  it('is JASPAR 2016 from the shared data folder, 635 matrices, with its licence', () => {
    const shared = [path.resolve(__dirname, '../../../shared/data'), '/work/shared/data'].find((d) =>
      fs.existsSync(d),
    )
    const wil = shared && path.join(shared, 'motifs/jaspar_2016.wil')
    if (wil && fs.existsSync(wil)) {
      expect(jaspar2016.sourceSha256).toBe(createHash('sha256').update(fs.readFileSync(wil)).digest('hex'))
      expect(jaspar2016.text).toBe(fs.readFileSync(wil, 'utf8'))
    }
    expect(createHash('sha256').update(jaspar2016.text).digest('hex')).toBe(jaspar2016.sourceSha256)
    expect(jaspar2016.licence).toContain('GPL-3+')
    const collection = builtInJaspar()
    expect(collection.motifs).toHaveLength(635)
    expect(collection.motifs.find((m) => m.id === 'MA0491.1')?.counts).toEqual(shippedJund().counts)
  })
})
