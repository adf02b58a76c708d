/**
 * Predict through the services and real prediction workers (out/cli/predict-worker.cjs, built first):
 * the scores of a finished experiment's test windows, pasted back in, equal the test predictions the
 * experiment stored (logistic regression on k-mers, a one-epoch CNN, the motif scan): the weights, the
 * encoding and the window length are reloaded right; calls at the validation threshold; bad records fail
 * naming the record; longer sequences window by window; a FASTA file; a genome scan with N skipped, its
 * track and its CSV and bedGraph; cancel.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { storedPredictions } from '../../src/app/experiments/repository'
import { bedGraphInterval, formatScore } from '../../src/app/predict/export'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import { Rng } from '../../src/core/random'
import type { CallInput, CallName, CallOutput, JobInfo } from '../../src/shared/contract'
import type { ExperimentDetail } from '../../src/shared/contract-experiments'

const root = path.resolve(__dirname, '../..')
const LENGTH = 60
const SITE = 'TGACTCA'

let tmp: string
let services: Services
let projectId: string
let store: ProjectStore
let datasetId: number
let splitId: number
const experiments: Record<'logreg' | 'cnn' | 'pwm', ExperimentDetail> = {} as never

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw Object.assign(new Error(JSON.stringify(result.error)), { data: result.error })
  return result.value as CallOutput<N>
}

async function failure(name: CallName, input: unknown): Promise<Record<string, unknown>> {
  const result = await services.dispatch(name, input)
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error as unknown as Record<string, unknown>
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

async function done(jobId: string): Promise<JobInfo> {
  const job = await settled(jobId)
  if (job.state !== 'done') throw new Error(`job ${job.state}: ${JSON.stringify(job.error)}`)
  return job
}

function randomBases(rng: Rng, n: number): string[] {
  return Array.from({ length: n }, () => 'ACGT'[rng.int(4)]!)
}

/** 450 windows of 60 bp, a third with the AP-1 site planted; a stratified split. */
function addDataset(s: ProjectStore): number {
  const rng = Rng.seeded(5)
  const staging = new RecordStaging(s)
  for (let i = 0; i < 450; i++) {
    const bases = randomBases(rng, LENGTH)
    const label = i % 3 === 0 ? 1 : 0
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
      name: 'planted',
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

async function train(name: string, over: Record<string, unknown>): Promise<ExperimentDetail> {
  const { experimentId } = await call('experiments.create', {
    projectId,
    spec: { name, datasetId, splitId, seed: 3, ...over } as never,
  })
  const { jobId } = await call('experiments.run', { projectId, experimentId })
  await settled(jobId)
  for (;;) {
    const d = await call('experiments.get', { projectId, experimentId })
    if (d.status === 'done') return d
    if (d.status === 'failed' || d.status === 'cancelled') throw new Error(`${name}: ${d.status}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The stored test predictions of an experiment, with each record's id and sequence. */
function storedTest(experimentId: number): { id: string; sequence: string; score: number }[] {
  const p = storedPredictions(store, experimentId, 0, 'test')!
  const lookup = store.db.prepare('SELECT record_id, sequence FROM records WHERE dataset_id = ? AND idx = ?')
  return Array.from(p.records, (record, i) => {
    const r = lookup.get(datasetId, record) as { record_id: string; sequence: string }
    return { id: r.record_id, sequence: r.sequence, score: p.scores[i]! }
  })
}

async function allRows(jobId: string) {
  return (await call('predict.rows', { projectId, jobId, limit: 10_000 })).rows
}

/** A genome FASTA: chrA of 3,000 bases with the site planted every 500 and 200 N at 2,000; chrB 700. */
function writeGenome(file: string): string {
  const rng = Rng.seeded(11)
  const a = randomBases(rng, 3000)
  for (let at = 200; at < 3000; at += 500) a.splice(at, SITE.length, ...SITE)
  a.splice(2000, 200, ...'N'.repeat(200))
  const b = randomBases(rng, 700)
  const wrap = (s: string) => s.match(/.{1,60}/g)!.join('\n')
  const chrA = a.join('').slice(0, 3000)
  fs.writeFileSync(file, `>chrA test\n${wrap(chrA)}\n>chrB\n${wrap(b.join(''))}\n`)
  return chrA
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-predict-')))
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: tmp,
    transport: 'web',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'predict' })).projectId
  store = services.projects.get(projectId)
  datasetId = addDataset(store)
  splitId = createSplit(store, datasetId, { method: 'stratified', val: 0.2, test: 0.2, seed: 1 }).splitId
  experiments.logreg = await train('logreg', {
    model: { kind: 'logreg' },
    input: { encoding: 'kmer', k: 4 },
    training: { epochs: 3, batchSize: 32, optimizer: { lr: 0.05 } },
  })
  experiments.cnn = await train('cnn', {
    model: { kind: 'cnn', filters: 4, kernelSize: 8, layers: 1, dropout: 0.25 },
    training: { epochs: 1, batchSize: 64 },
  })
  experiments.pwm = await train('pwm', { model: { kind: 'pwm', motifId: 'MA0491.1' } })
}, 180_000)

afterAll(() => {
  services?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('predict.models', () => {
  it('lists the finished experiments with the window they read and the validation threshold', async () => {
    const { experimentId: queued } = await call('experiments.create', {
      projectId,
      spec: { name: 'never run', datasetId, splitId, model: { kind: 'logreg' } } as never,
    })
    const models = await call('predict.models', { projectId })
    expect(models.map((m) => m.name).sort()).toEqual(['cnn', 'logreg', 'pwm'])
    const logreg = models.find((m) => m.name === 'logreg')!
    expect(logreg).toMatchObject({
      modelKind: 'logreg',
      encoding: 'kmer',
      k: 4,
      alphabet: 'dna',
      length: LENGTH,
      fixedLength: true,
      classNames: ['unbound', 'bound'],
      folds: 1,
      datasetName: 'planted',
      threshold: experiments.logreg.metrics!.val.threshold,
      valAuroc: experiments.logreg.metrics!.val.auroc,
    })
    const notDone = await failure('predict.sequences', {
      projectId,
      experimentId: queued,
      source: { text: 'A'.repeat(LENGTH) },
    })
    expect(notDone).toMatchObject({ code: 'predict.not_finished', found: 'queued' })
    await call('experiments.delete', { projectId, experimentId: queued })
  })
})

describe('predict.sequences', () => {
  for (const kind of ['logreg', 'cnn', 'pwm'] as const) {
    it(`${kind}: the test windows pasted back score as the experiment stored them, called at its threshold`, async () => {
      const e = experiments[kind]
      const test = storedTest(e.experimentId)
      const text = test.map((r) => `>${r.id}\n${r.sequence.toLowerCase()}`).join('\n')
      const { jobId, records } = await call('predict.sequences', {
        projectId,
        experimentId: e.experimentId,
        source: { text },
      })
      expect(records).toBe(test.length)
      await done(jobId)
      const rows = await allRows(jobId)
      expect(rows.map((r) => r.id)).toEqual(test.map((r) => r.id))
      const threshold = e.metrics!.val.threshold!
      rows.forEach((row, i) => {
        expect(row.score).toBeCloseTo(test[i]!.score, 9)
        expect(row.call).toBe(row.score >= threshold ? 1 : 0)
        expect(row.start).toBeNull()
      })
      const summary = await call('predict.result', { projectId, jobId })
      expect(summary).toMatchObject({
        kind: 'sequences',
        experimentId: e.experimentId,
        threshold,
        total: test.length,
        called: rows.filter((r) => r.call === 1).length,
        classNames: ['unbound', 'bound'],
      })
      // The called positives agree with the experiment's own test confusion matrix.
      const c = e.metrics!.test.confusion!
      expect(summary.called).toBe(c.tp + c.fp)
    })
  }

  it('sorts by score, highest first, and pages', async () => {
    const test = storedTest(experiments.logreg.experimentId).slice(0, 30)
    const { jobId } = await call('predict.sequences', {
      projectId,
      experimentId: experiments.logreg.experimentId,
      source: { text: test.map((r) => r.sequence).join('\n') },
    })
    await done(jobId)
    const byScore = await call('predict.rows', { projectId, jobId, sort: 'score', order: 'desc', limit: 30 })
    const scores = byScore.rows.map((r) => r.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    expect(byScore.rows[0]!.id).toMatch(/^seq\d+$/)
    const lowest = await call('predict.rows', { projectId, jobId, sort: 'score', order: 'asc', limit: 1 })
    expect(lowest.rows[0]!.score).toBe(Math.min(...scores))
    const page = await call('predict.rows', { projectId, jobId, offset: 10, limit: 5 })
    expect(page.rows.map((r) => r.index)).toEqual([10, 11, 12, 13, 14])
    expect(page.total).toBe(30)
  })

  it('names the record and what was expected when a record is wrong', async () => {
    const good = 'ACGT'.repeat(15)
    const experimentId = experiments.cnn.experimentId
    const letter = await failure('predict.sequences', {
      projectId,
      experimentId,
      source: { text: `>a\n${good}\n>b\n${good.slice(0, 30)}J${good.slice(31)}\n` },
    })
    expect(letter).toMatchObject({
      code: 'predict.bad_letter',
      record: 2,
      line: 3,
      found: "'J'",
      params: { id: 'b', position: 31, letter: 'J' },
    })
    expect(letter.message).toContain('record 2 (b)')

    const short = await failure('predict.sequences', {
      projectId,
      experimentId,
      source: { text: `${good}\n\n${good.slice(5)}\n` },
    })
    expect(short).toMatchObject({
      code: 'predict.wrong_length',
      record: 2,
      line: 3,
      expected: `${LENGTH} letters`,
      found: `${LENGTH - 5} letters`,
      params: { id: 'seq2', length: LENGTH, found: LENGTH - 5 },
    })
    const long = await failure('predict.sequences', {
      projectId,
      experimentId,
      source: { text: `>long\n${good}${good}` },
    })
    expect(long).toMatchObject({ code: 'predict.wrong_length', params: { found: 2 * LENGTH } })
    expect(long.message).toContain('window by window')
    expect(
      await failure('predict.sequences', { projectId, experimentId, source: { text: '>empty\n>x\nACGT' } }),
    ).toMatchObject({ code: 'predict.empty_sequence', record: 1, params: { id: 'empty' } })
    expect(
      await failure('predict.sequences', { projectId, experimentId, source: { text: ' \n\n' } }),
    ).toMatchObject({ code: 'predict.no_sequences' })
  })

  it('scores a longer sequence window by window, each window as if pasted alone', async () => {
    const rng = Rng.seeded(2)
    const long = randomBases(rng, 170).join('')
    const experimentId = experiments.cnn.experimentId
    const { jobId } = await call('predict.sequences', {
      projectId,
      experimentId,
      source: { text: `>exact\n${long.slice(0, LENGTH)}\n>long\n${long}` },
      windows: { stride: 50 },
    })
    await done(jobId)
    const rows = await allRows(jobId)
    expect(rows.map((r) => r.id)).toEqual(['exact', 'long:0-60', 'long:50-110', 'long:100-160'])
    expect(rows.map((r) => [r.start, r.end])).toEqual([
      [null, null],
      [0, 60],
      [50, 110],
      [100, 160],
    ])
    expect((await call('predict.result', { projectId, jobId })).windowed).toBe(1)

    const alone = await call('predict.sequences', {
      projectId,
      experimentId,
      source: { text: [0, 50, 100].map((s) => long.slice(s, s + LENGTH)).join('\n') },
    })
    await done(alone.jobId)
    const single = await allRows(alone.jobId)
    expect(rows.slice(1).map((r) => r.score)).toEqual(single.map((r) => r.score))
    expect(rows[0]!.score).toBe(rows[1]!.score)
  })

  it('reads a FASTA file in the job; a bad record fails the job naming the file and record', async () => {
    const test = storedTest(experiments.logreg.experimentId).slice(0, 12)
    const file = path.join(tmp, 'new.fa')
    fs.writeFileSync(file, test.map((r) => `>${r.id} some description\n${r.sequence}\n`).join(''))
    const ref = services.files.register(file, 'read')
    const { jobId, records } = await call('predict.sequences', {
      projectId,
      experimentId: experiments.logreg.experimentId,
      source: { file: ref },
    })
    expect(records).toBeNull()
    await done(jobId)
    const rows = await allRows(jobId)
    expect(rows.map((r) => r.id)).toEqual(test.map((r) => r.id))
    rows.forEach((row, i) => expect(row.score).toBeCloseTo(test[i]!.score, 9))
    expect((await call('predict.result', { projectId, jobId })).fileName).toBe('new.fa')

    const bad = path.join(tmp, 'bad.fa')
    fs.writeFileSync(bad, `>ok\n${test[0]!.sequence}\n>short\nACGT\n`)
    const failed = await call('predict.sequences', {
      projectId,
      experimentId: experiments.logreg.experimentId,
      source: { file: services.files.register(bad, 'read') },
    })
    const job = await settled(failed.jobId)
    expect(job.state).toBe('failed')
    expect(job.error).toMatchObject({ code: 'predict.wrong_length', file: 'bad.fa', record: 2, line: 3 })
    expect(await failure('predict.result', { projectId, jobId: failed.jobId })).toMatchObject({
      code: 'predict.no_result',
    })
  })
})

describe('predict.scan', () => {
  let genome: { id: string; name: string }
  let chrA: string

  beforeAll(() => {
    const file = path.join(tmp, 'genome.fa')
    chrA = writeGenome(file)
    genome = services.files.register(file, 'read')
  })

  it('lists the chromosomes, indexing the FASTA once when it has no .fai', async () => {
    expect(await call('predict.genome', { genome })).toEqual({
      indexed: true,
      chromosomes: [
        { name: 'chrA', start: 0, end: 3000 },
        { name: 'chrB', start: 0, end: 700 },
      ],
    })
  })

  it('scores every window of a region, skips windows with N, and each equals the window pasted alone', async () => {
    const experimentId = experiments.cnn.experimentId
    const region = { chrom: 'chrA', start: 100, end: 2500 }
    const { jobId, windows } = await call('predict.scan', {
      projectId,
      experimentId,
      genome,
      region,
      stride: 20,
    })
    expect(windows).toBe(Math.floor((2400 - LENGTH) / 20) + 1)
    await done(jobId)
    const summary = await call('predict.result', { projectId, jobId })
    const rows = await allRows(jobId)
    // Windows overlapping the N run at 2,000–2,200 are skipped.
    const withN = rows.filter((r) => r.start! < 2200 && r.end! > 2000)
    expect(withN).toEqual([])
    expect(summary).toMatchObject({ kind: 'scan', region, stride: 20, length: LENGTH, fileName: 'genome.fa' })
    expect(summary.skippedWithN).toBeGreaterThan(0)
    expect(summary.total + summary.skippedWithN).toBe(windows)
    expect(rows[0]).toMatchObject({ id: 'chrA:100-160', start: 100, end: 160 })

    const pasted = rows.slice(0, 40).map((r) => chrA.slice(r.start!, r.end!))
    const alone = await call('predict.sequences', {
      projectId,
      experimentId,
      source: { text: pasted.join('\n') },
    })
    await done(alone.jobId)
    expect((await allRows(alone.jobId)).map((r) => r.score)).toEqual(rows.slice(0, 40).map((r) => r.score))

    const track = await call('predict.track', { projectId, jobId })
    expect(track.binned).toBe(false)
    expect(track.positions).toEqual(rows.map((r) => r.start! + LENGTH / 2))
    const binned = await call('predict.track', { projectId, jobId, maxPoints: 10 })
    expect(binned.binned).toBe(true)
    expect(binned.positions.length).toBeLessThanOrEqual(10)
    expect(Math.max(...binned.scores)).toBe(Math.max(...rows.map((r) => r.score)))
    const zoomed = await call('predict.track', { projectId, jobId, from: 1000, to: 1200 })
    expect(zoomed.positions.every((p) => p >= 1000 && p < 1200)).toBe(true)
    expect(zoomed.positions).toHaveLength(10)
  })

  it('exports CSV and a bedGraph whose intervals tile the region', async () => {
    const e = experiments.logreg
    const region = { chrom: 'chrA', start: 0, end: 400 }
    const { jobId } = await call('predict.scan', {
      projectId,
      experimentId: e.experimentId,
      genome,
      region,
      stride: 20,
    })
    await done(jobId)
    const rows = await allRows(jobId)
    const csvFile = path.join(tmp, 'scan.csv')
    const csv = await call('predict.export', {
      projectId,
      jobId,
      format: 'csv',
      target: services.files.register(csvFile, 'write'),
    })
    expect(csv).toEqual({ rows: rows.length, file: 'scan.csv' })
    const lines = fs.readFileSync(csvFile, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('id,chrom,start,end,score,call')
    expect(lines).toHaveLength(rows.length + 1)
    const [id, chrom, start, end, score, called] = lines[1]!.split(',')
    expect([id, chrom, start, end]).toEqual(['chrA:0-60', 'chrA', '0', '60'])
    expect(Number(score)).toBeCloseTo(rows[0]!.score, 8)
    expect(called).toBe(rows[0]!.call === 1 ? 'bound' : 'unbound')

    const bgFile = path.join(tmp, 'scan.bedGraph')
    await call('predict.export', {
      projectId,
      jobId,
      format: 'bedgraph',
      target: services.files.register(bgFile, 'write'),
    })
    const bg = fs.readFileSync(bgFile, 'utf8').trimEnd().split('\n')
    expect(bg[0]).toMatch(
      /^track type=bedGraph name="logreg" description=".*threshold .* chosen on validation"$/,
    )
    const intervals = bg.slice(1).map((l) => l.split('\t'))
    expect(intervals).toHaveLength(rows.length)
    expect(intervals[0]).toEqual(['chrA', '20', '40', formatScore(rows[0]!.score)])
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]![1]).toBe(intervals[i - 1]![2])
    expect(bedGraphInterval(100, 60, 80)).toEqual([100, 160])

    const sequences = await call('predict.sequences', {
      projectId,
      experimentId: e.experimentId,
      source: { text: 'A'.repeat(LENGTH) },
    })
    await done(sequences.jobId)
    expect(
      await failure('predict.export', {
        projectId,
        jobId: sequences.jobId,
        format: 'bedgraph',
        target: services.files.register(path.join(tmp, 'x.bedGraph'), 'write'),
      }),
    ).toMatchObject({ code: 'predict.bedgraph_needs_scan' })
    expect(await failure('predict.track', { projectId, jobId: sequences.jobId })).toMatchObject({
      code: 'predict.not_a_scan',
    })
    const missingFolder = services.files.register(path.join(tmp, 'no', 'such', 'x.csv'), 'write')
    expect(
      await failure('predict.export', { projectId, jobId, format: 'csv', target: missingFolder }),
    ).toMatchObject({ code: 'predict.export_failed', file: 'x.csv' })
  })

  it('refuses regions the genome does not have', async () => {
    const experimentId = experiments.cnn.experimentId
    const scan = (region: { chrom: string; start: number; end: number }, stride = 10) =>
      failure('predict.scan', { projectId, experimentId, genome, region, stride })
    expect(await scan({ chrom: 'chrZ', start: 0, end: 100 })).toMatchObject({
      code: 'predict.unknown_chromosome',
      file: 'genome.fa',
    })
    expect(await scan({ chrom: 'chrB', start: 0, end: 800 })).toMatchObject({
      code: 'predict.region_outside',
      expected: 'a region inside chrB:0-700',
    })
    expect(await scan({ chrom: 'chrB', start: 0, end: 50 })).toMatchObject({
      code: 'predict.region_too_short',
      params: { length: LENGTH },
    })
    expect(await scan({ chrom: 'chrB', start: 10, end: 10 })).toMatchObject({ code: 'predict.bad_region' })
  })

  it('a cancelled scan stops, and leaves no result', async () => {
    const big = path.join(tmp, 'big.fa')
    const rng = Rng.seeded(4)
    fs.writeFileSync(
      big,
      `>chrBig\n${randomBases(rng, 400_000)
        .join('')
        .match(/.{1,80}/g)!
        .join('\n')}\n`,
    )
    const ref = services.files.register(big, 'read')
    const { jobId, windows } = await call('predict.scan', {
      projectId,
      experimentId: experiments.cnn.experimentId,
      genome: ref,
      region: { chrom: 'chrBig', start: 0, end: 400_000 },
      stride: 1,
    })
    expect(windows).toBe(400_000 - LENGTH + 1)
    await new Promise<void>((resolve) => {
      const off = services.events.subscribe((e) => {
        if (e.event !== 'job.updated') return
        const job = e.payload as JobInfo
        if (job.jobId === jobId && job.phase === 'scoring' && job.done > 0) {
          off()
          resolve()
        }
      })
    })
    await call('jobs.cancel', { jobId })
    const job = await settled(jobId)
    expect(job.state).toBe('cancelled')
    expect(await failure('predict.result', { projectId, jobId })).toMatchObject({ code: 'predict.no_result' })
    // The slot is free again: the next prediction runs.
    const next = await call('predict.sequences', {
      projectId,
      experimentId: experiments.cnn.experimentId,
      source: { text: 'C'.repeat(LENGTH) },
    })
    await done(next.jobId)
  }, 60_000)
})
