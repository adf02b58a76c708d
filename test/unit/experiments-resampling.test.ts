/**
 * Resampling inside experiments (issue 6). The training set a worker trains on (`trainingSet`): only
 * training records are resampled, the same seed gives the same set, the counts are the core samplers' own,
 * SMOTE's generated rows are exactly the core's, and the weights are computed after resampling. The checks
 * at `experiments.create` (`resampling.*`): one-hot input refuses the SMOTE family, k above the minority,
 * a ratio below the present one, a one-class training part. Then through the services with real training
 * workers: the stored counts before/after, validation and test unchanged, old stored specs still run.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADASYN,
  classCounts,
  RandomOverSampler,
  RandomUnderSampler,
  SMOTE,
  SMOTETomek,
} from '../../src/core/imbalance'
import { Rng } from '../../src/core/random'
import { DNA, kmerBatch } from '../../src/core/sequence'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { storedPredictions } from '../../src/app/experiments/repository'
import { checkResampling, trainingSet, type TrainingSetInput } from '../../src/app/experiments/resampling'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import type { CallInput, CallName, CallOutput, JobInfo } from '../../src/shared/contract'
import {
  ExperimentSpec,
  type ExperimentDetail,
  type ResamplingSpec,
} from '../../src/shared/contract-experiments'
import { InputError } from '../../src/shared/errors'

const root = path.resolve(__dirname, '../..')
const SITE = 'TGACTCA'

/** n windows of `length` bases, every `every`-th one positive with the AP-1 site planted. */
function windows(n: number, length: number, every: number, seed: number) {
  const rng = Rng.seeded(seed)
  const texts: string[] = []
  const labels = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    const bases = Array.from({ length }, () => 'ACGT'[rng.int(4)]!)
    if (i % every === 0) {
      labels[i] = 1
      bases.splice(rng.int(length - SITE.length), SITE.length, ...SITE)
    }
    texts.push(bases.join('').slice(0, length))
  }
  return { texts, labels, sequences: texts.map((t) => DNA.toCodes(t)) }
}

// ---------------------------------------------------------------------------------------------------
// The training set a worker trains on

describe('trainingSet: resampling the training part only', () => {
  const data = windows(300, 50, 5, 11)
  // Train: records 0 … 179; validation 180 … 239; test 240 … 299.
  const train = Int32Array.from({ length: 180 }, (_, i) => i)
  const outside = new Set(Array.from({ length: 120 }, (_, i) => 180 + i))
  const yTrain = Int32Array.from(train, (i) => data.labels[i]!)
  const input = { encoding: 'kmer', k: 3, canonical: false, reverseComplementAugment: false } as const
  const set = (resampling: Partial<ResamplingSpec>, extra: Partial<TrainingSetInput> = {}) =>
    trainingSet({
      sequences: data.sequences,
      labels: data.labels,
      fileWeights: null,
      train,
      input,
      resampling: { method: 'none', k: 5, m: 10, seed: 1, ...resampling },
      weighting: 'none',
      ...extra,
    })

  it('without resampling, the rows are the training records and the counts do not change', () => {
    const s = set({})
    expect(Array.from(s.rows)).toEqual(Array.from(train))
    expect(s.synthetic).toBeNull()
    expect(s.balance).toMatchObject({
      classes: [0, 1],
      before: [144, 36],
      after: [144, 36],
      synthetic: [0, 0],
    })
    expect(s.balance.weightSums).toEqual([144, 36])
  })

  it('random oversampling repeats training records by index, as the core sampler draws them', () => {
    const s = set({ method: 'random_over', level: 2, seed: 7 })
    expect(s.synthetic).toBeNull()
    // Only training records, never a validation or test one.
    expect(Array.from(s.rows).every((r) => r >= 0 && r < 180 && !outside.has(r))).toBe(true)
    expect(s.balance.before).toEqual([144, 36])
    expect(s.balance.after).toEqual([144, 36 + 72])
    const core = new RandomOverSampler({ samplingStrategy: { 1: 108 }, seed: 7 }).resampleIndices(yTrain)
    expect(Array.from(s.rows)).toEqual(Array.from(core.sampleIndices, (j) => train[j]!))
    for (let i = 0; i < s.rows.length; i++) expect(s.labels[i]).toBe(data.labels[s.rows[i]!])
    // Same seed: the same set; another seed: other records repeated.
    expect(Array.from(set({ method: 'random_over', level: 2, seed: 7 }).rows)).toEqual(Array.from(s.rows))
    expect(Array.from(set({ method: 'random_over', level: 2, seed: 8 }).rows)).not.toEqual(Array.from(s.rows))
  })

  it('random undersampling keeps a ratio of the majority, from the training records only', () => {
    const s = set({ method: 'random_under', ratio: 0.5, seed: 3 })
    expect(s.balance.after).toEqual([72, 36])
    const core = new RandomUnderSampler({ samplingStrategy: 0.5, seed: 3 }).resampleIndices(yTrain)
    expect(Array.from(s.rows)).toEqual(Array.from(core.sampleIndices, (j) => train[j]!))
    expect(new Set(s.rows).size).toBe(108)
  })

  it('SMOTE +100% interpolates k-mer rows of the training part: exactly the core sampler’s rows', () => {
    const s = set({ method: 'smote', level: 1, k: 4, seed: 5 })
    expect(s.balance).toMatchObject({
      method: 'smote',
      before: [144, 36],
      after: [144, 72],
      synthetic: [0, 36],
    })
    const X = kmerBatch(data.sequences, train, 3)
    const core = new SMOTE({ samplingStrategy: { level: '+100%' }, kNeighbors: 4, seed: 5 }).fitResample(
      X,
      yTrain,
    )
    expect(Array.from(classCounts(core.y).counts)).toEqual(s.balance.after)
    // The input rows first (the training records), then the generated ones, read from the matrix.
    expect(Array.from(s.rows.subarray(0, 180))).toEqual(Array.from(train))
    expect(Array.from(s.rows.subarray(180))).toEqual(Array.from({ length: 36 }, (_, j) => -1 - j))
    expect(Array.from(s.synthetic!)).toEqual(Array.from(core.X.subarray(180 * 64)))
    expect(Array.from(s.labels.subarray(180))).toEqual(Array(36).fill(1))
    // The same seed draws the same rows; another seed other ones.
    expect(Array.from(set({ method: 'smote', level: 1, k: 4, seed: 5 }).synthetic!)).toEqual(
      Array.from(s.synthetic!),
    )
    expect(Array.from(set({ method: 'smote', level: 1, k: 4, seed: 6 }).synthetic!)).not.toEqual(
      Array.from(s.synthetic!),
    )
  })

  it('a ratio, ADASYN and SMOTE + Tomek give the core samplers’ counts', () => {
    const X = kmerBatch(data.sequences, train, 3)
    expect(set({ method: 'smote', ratio: 0.5, seed: 2 }).balance.after).toEqual([144, 72])
    const adasyn = set({ method: 'adasyn', k: 5, seed: 2 })
    expect(adasyn.balance.after).toEqual(
      classCounts(new ADASYN({ nNeighbors: 5, seed: 2 }).fitResample(X, yTrain).y).counts,
    )
    const st = set({ method: 'smote_tomek', k: 5, seed: 2 })
    const core = new SMOTETomek({ kNeighbors: 5, seed: 2 }).fitResample(X, yTrain)
    expect(st.balance.after).toEqual(classCounts(core.y).counts)
    expect(st.balance.synthetic[1]).toBe(core.synthetic.reduce((a, v) => a + v, 0))
  })

  it('balanced weights are computed after resampling; custom ones per class', () => {
    const balanced = set({ method: 'smote', level: 1, seed: 5 }, { weighting: 'balanced' })
    // 216 rows, 2 classes: each class weighs 108 in total.
    expect(balanced.balance.weightSums[0]).toBeCloseTo(108, 3)
    expect(balanced.balance.weightSums[1]).toBeCloseTo(108, 3)
    const custom = set({}, { weighting: 'custom', classWeights: { '1': 4 } })
    expect(custom.balance.weightSums).toEqual([144, 144])
    const file = set(
      { method: 'random_over', seed: 1 },
      { weighting: 'file', fileWeights: new Float32Array(300).fill(2) },
    )
    expect(file.balance.weightSums).toEqual([288, 288])
  })
})

// ---------------------------------------------------------------------------------------------------
// Checks at experiments.create

describe('checkResampling: mistakes are InputErrors that say what to change', () => {
  const kmer = { encoding: 'kmer', k: 4, canonical: false, reverseComplementAugment: false } as const
  const onehot = { ...kmer, encoding: 'onehot' } as const
  const labels = [...Array(90).fill(0), ...Array(10).fill(1)]
  const part = [{ fold: 0, kfold: false, labels }]
  const code = (
    resampling: Partial<ResamplingSpec>,
    over: {
      input?: typeof kmer | typeof onehot
      parts?: typeof part
      weighting?: string
      classWeights?: Record<string, number>
    } = {},
  ): string | undefined => {
    try {
      checkResampling(
        {
          input: over.input ?? kmer,
          resampling: { method: 'none', k: 5, m: 10, seed: 1, ...resampling },
          weighting: (over.weighting ?? 'none') as 'none',
          ...(over.classWeights ? { classWeights: over.classWeights } : {}),
        },
        over.parts ?? part,
        ['unbound', 'bound'],
      )
      return undefined
    } catch (err) {
      if (err instanceof InputError) return err.code
      throw err
    }
  }

  it('refuses the SMOTE family and the smoothed bootstrap on one-hot input, in plain words', () => {
    for (const method of ['smote', 'borderline1', 'borderline2', 'adasyn', 'smote_tomek', 'tomek'] as const) {
      expect(code({ method }, { input: onehot })).toBe('resampling.needs_numbers')
    }
    expect(code({ method: 'random_over', shrinkage: 1 }, { input: onehot })).toBe('resampling.needs_numbers')
    expect(code({ method: 'random_over' }, { input: onehot })).toBeUndefined()
    expect(code({ method: 'random_under' }, { input: onehot })).toBeUndefined()
    expect(() =>
      checkResampling(
        { input: onehot, resampling: { method: 'smote', k: 5, m: 10, seed: 1 }, weighting: 'none' },
        part,
        ['0', '1'],
      ),
    ).toThrow(/halfway between an A and a G is no base/)
  })

  it('k larger than the minority class, a ratio below the present one, a one-class training part', () => {
    expect(code({ method: 'smote', k: 9 })).toBeUndefined()
    expect(code({ method: 'smote', k: 10 })).toBe('resampling.too_few_neighbours')
    expect(code({ method: 'adasyn', k: 10 })).toBe('resampling.too_few_neighbours')
    expect(code({ method: 'borderline1', m: 100 })).toBe('resampling.too_few_neighbours')
    expect(code({ method: 'smote', ratio: 0.1 })).toBe('resampling.ratio_too_low')
    expect(code({ method: 'smote', ratio: 0.2 })).toBeUndefined()
    expect(code({ method: 'random_under', ratio: 0.05 })).toBe('resampling.ratio_too_low')
    expect(
      code({ method: 'random_over' }, { parts: [{ fold: 2, kfold: true, labels: Array(50).fill(0) }] }),
    ).toBe('resampling.one_class')
    expect(code({ method: 'smote', level: 1, ratio: 0.5 })).toBe('resampling.level_and_ratio')
    expect(code({ method: 'random_under', level: 1 })).toBe('resampling.amount_not_used')
    expect(code({ method: 'tomek', ratio: 0.5 })).toBe('resampling.amount_not_used')
    expect(code({ method: 'smote', shrinkage: 1 })).toBe('resampling.amount_not_used')
  })

  it('custom class weights: by value or name, and only with weighting custom', () => {
    const spec = (classWeights: Record<string, number>) =>
      checkResampling(
        {
          input: kmer,
          resampling: { method: 'none', k: 5, m: 10, seed: 1 },
          weighting: 'custom',
          classWeights,
        },
        part,
        ['unbound', 'bound'],
      )
    expect(spec({ bound: 9 })).toEqual({ '1': 9 })
    expect(spec({ '0': 0.5, '1': 9 })).toEqual({ '0': 0.5, '1': 9 })
    expect(code({}, { weighting: 'custom', classWeights: { maybe: 2 } })).toBe('weights.unknown_class')
    expect(code({}, { weighting: 'custom' })).toBe('resampling.class_weights_missing')
    expect(code({}, { weighting: 'balanced', classWeights: { '1': 2 } })).toBe(
      'resampling.class_weights_unused',
    )
  })

  it('the spec: no resampling by default; weighting none when resampling, custom with class weights', () => {
    const base = { name: 'x', datasetId: 1, splitId: 1, model: { kind: 'logreg' } }
    const plain = ExperimentSpec.parse(base)
    expect(plain.resampling).toEqual({ method: 'none', k: 5, m: 10, seed: 42 })
    expect(plain.weighting).toBe('balanced')
    expect(ExperimentSpec.parse({ ...base, resampling: { method: 'smote', level: 1 } }).weighting).toBe(
      'none',
    )
    expect(ExperimentSpec.parse({ ...base, classWeights: { '1': 3 } }).weighting).toBe('custom')
    expect(
      ExperimentSpec.parse({ ...base, weighting: 'balanced', resampling: { method: 'smote' } }).weighting,
    ).toBe('balanced')
    expect(ExperimentSpec.safeParse({ ...base, resampling: { method: 'smote', ratio: 1.5 } }).success).toBe(
      false,
    )
    expect(ExperimentSpec.safeParse({ ...base, resampling: { method: 'magic' } }).success).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------------
// Through the services, with real training workers

let tmp: string
let services: Services
let projectId: string
let store: ProjectStore
let datasetId: number
let splitId: number
let kfoldId: number

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw Object.assign(new Error(JSON.stringify(result.error)), { data: result.error })
  return result.value as CallOutput<N>
}

async function failure(input: unknown): Promise<{ code?: string; message: string }> {
  const result = await services.dispatch('experiments.create', input)
  if (result.ok) throw new Error('experiments.create succeeded')
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

async function finished(experimentId: number): Promise<ExperimentDetail> {
  for (;;) {
    const d = await call('experiments.get', { projectId, experimentId })
    if (['done', 'failed', 'cancelled'].includes(d.status)) return d
    await new Promise((r) => setTimeout(r, 20))
  }
}

function spec(over: Record<string, unknown> = {}) {
  return {
    name: 'resampled',
    datasetId,
    splitId,
    input: { encoding: 'kmer', k: 3 },
    model: { kind: 'logreg' },
    training: { epochs: 1, batchSize: 32, optimizer: { lr: 0.05 } },
    seed: 3,
    ...over,
  }
}

async function run(over: Record<string, unknown>): Promise<ExperimentDetail> {
  const { experimentId } = await call('experiments.create', { projectId, spec: spec(over) as never })
  const { jobId } = await call('experiments.run', { projectId, experimentId })
  await settled(jobId)
  return finished(experimentId)
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-resampling-')))
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: tmp,
    transport: 'web',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'resampling' })).projectId
  store = services.projects.get(projectId)
  const data = windows(250, 60, 5, 4)
  const staging = new RecordStaging(store)
  data.texts.forEach((sequence, i) =>
    staging.add({
      at: { file: 'test', record: i + 1 },
      recordId: `w${i}`,
      sequence,
      label: data.labels[i]!,
      weight: null,
      group: null,
      chrom: null,
      start: null,
      end: null,
    }),
  )
  datasetId = staging.commit({
    name: 'planted',
    alphabet: 'dna',
    labelKind: 'binary',
    labelSet: ['0', '1'],
    seqLength: 60,
    source: { test: true },
  })
  staging.dispose()
  splitId = createSplit(store, datasetId, { method: 'stratified', val: 0.2, test: 0.2, seed: 1 }).splitId
  kfoldId = createSplit(store, datasetId, {
    method: 'kfold',
    k: 3,
    seed: 1,
    stratify: true,
    groupBy: null,
  }).splitId
}, 60_000)

afterAll(() => {
  services?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('experiments with resampling, through the services', () => {
  it('refuses the SMOTE family with one-hot input and k above the minority, storing nothing', async () => {
    const onehot = await failure({
      projectId,
      spec: spec({ input: { encoding: 'onehot' }, resampling: { method: 'smote', level: 1 } }),
    })
    expect(onehot.code).toBe('resampling.needs_numbers')
    // 150 training records, 30 positive: k = 30 needs 31.
    expect((await failure({ projectId, spec: spec({ resampling: { method: 'smote', k: 30 } }) })).code).toBe(
      'resampling.too_few_neighbours',
    )
    expect(
      (await failure({ projectId, spec: spec({ resampling: { method: 'random_over', ratio: 0.2 } }) })).code,
    ).toBe('resampling.ratio_too_low')
    expect(await call('experiments.list', { projectId })).toEqual([])
  })

  it('SMOTE +100%: stores the counts before and after; validation and test are those of a plain run', async () => {
    const plain = await run({ name: 'plain' })
    const smote = await run({ name: 'smote', resampling: { method: 'smote', level: 1, k: 5, seed: 9 } })
    expect(smote.status).toBe('done')
    expect(smote.spec).toMatchObject({
      weighting: 'none',
      resampling: { method: 'smote', level: 1, k: 5, seed: 9 },
    })
    expect(plain.balance).toEqual([
      {
        fold: 0,
        method: 'none',
        weighting: 'balanced',
        classes: [0, 1],
        before: [120, 30],
        after: [120, 30],
        synthetic: [0, 0],
        weightSums: [expect.closeTo(75, 3), expect.closeTo(75, 3)],
      },
    ])
    expect(smote.balance).toEqual([
      {
        fold: 0,
        method: 'smote',
        weighting: 'none',
        classes: [0, 1],
        before: [120, 30],
        after: [120, 60],
        synthetic: [0, 30],
        weightSums: [120, 60],
      },
    ])
    // Validation and test: the same records, the same sizes and positives, in both runs.
    for (const part of ['val', 'test'] as const) {
      const a = storedPredictions(store, plain.experimentId, 0, part)!
      const b = storedPredictions(store, smote.experimentId, 0, part)!
      expect(Array.from(b.records)).toEqual(Array.from(a.records))
      expect(smote.metrics![part].records).toBe(plain.metrics![part].records)
      expect(smote.metrics![part].positives).toBe(plain.metrics![part].positives)
    }
    expect(smote.metrics!.val.records).toBe(50)
    // The report says how the training part was resampled, with the counts, in both languages.
    for (const [locale, expected] of [
      [
        'en',
        'SMOTE +100%, training part only (seed 9); training records per class before → after: 0: 120 → 120, 1: 30 → 60',
      ],
      [
        'zh-CN',
        'SMOTE 合成采样 +100%，只用于训练集（种子 9）；训练记录数（每类，前 → 后）：0: 120 → 120, 1: 30 → 60',
      ],
    ] as const) {
      const { html } = await call('reports.render', {
        projectId,
        subject: { kind: 'experiment', experimentId: smote.experimentId },
        locale,
      })
      expect(html).toContain(expected)
    }
    const custom = await run({ name: 'custom', weighting: 'custom', classWeights: { '1': 4 } })
    expect(custom.balance[0]!.weightSums).toEqual([120, 120])
    const { html } = await call('reports.render', {
      projectId,
      subject: { kind: 'experiment', experimentId: custom.experimentId },
      locale: 'en',
    })
    expect(html).toContain('Set per class: 1: 4 (training part only)')
  })

  it('random oversampling on each fold of a k-fold split, and the same seed gives the same set', async () => {
    const a = await run({ name: 'ros', splitId: kfoldId, resampling: { method: 'random_over', seed: 4 } })
    expect(a.status).toBe('done')
    expect(a.balance.map((b) => b.fold)).toEqual([0, 1, 2])
    for (const b of a.balance) {
      expect(b.after[0]).toBe(b.before[0])
      expect(b.after[1]).toBe(b.before[0])
      expect(b.synthetic).toEqual([0, 0])
    }
    const again = await run({
      name: 'ros again',
      splitId: kfoldId,
      resampling: { method: 'random_over', seed: 4 },
    })
    expect(again.balance).toEqual(a.balance)
    expect(again.epochs.map((e) => e.trainLoss)).toEqual(a.epochs.map((e) => e.trainLoss))
  })

  it('an experiment stored before resampling existed still parses and runs with none', async () => {
    const { experimentId } = await call('experiments.create', {
      projectId,
      spec: spec({ name: 'old' }) as never,
    })
    const stored = JSON.parse(
      store.db.prepare('SELECT spec FROM experiments WHERE id = ?').pluck().get(experimentId) as string,
    ) as Record<string, unknown>
    delete stored.resampling
    delete stored.classWeights
    store.db.prepare('UPDATE experiments SET spec = ? WHERE id = ?').run(JSON.stringify(stored), experimentId)
    const { jobId } = await call('experiments.run', { projectId, experimentId })
    await settled(jobId)
    const d = await finished(experimentId)
    expect(d.status).toBe('done')
    expect(d.spec).toMatchObject({ weighting: 'balanced', resampling: { method: 'none' } })
    expect(d.balance[0]!.after).toEqual(d.balance[0]!.before)
  })
})
