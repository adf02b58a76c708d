/**
 * The comparison calls (src/app/compare/handlers.ts) through the services' dispatch, on experiments whose
 * predictions are written directly (no training: the statistics are what is tested here, and they must
 * agree with the core's own functions on the same scores).
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twoSidedZ } from '../../src/app/compare/handlers'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { evaluateRun } from '../../src/app/experiments/evaluate'
import { insertExperiment, setStatus, writeRun } from '../../src/app/experiments/repository'
import { checkSpec, parseSpec } from '../../src/app/experiments/spec'
import { createServices, type Services } from '../../src/app/services'
import type { ProjectStore } from '../../src/app/store/project-store'
import { bootstrapCi, delongTest } from '../../src/core/compare'
import { averagePrecision, rocAuc } from '../../src/core/metrics'
import { Rng } from '../../src/core/random'
import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'

const N = 900
let tmp: string
let services: Services
let projectId: string
let store: ProjectStore
let datasetId: number
let splitId: number
let labels: number[]
let parts: { val: number[]; test: number[] }

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw Object.assign(new Error(JSON.stringify(result.error)), { data: result.error })
  return result.value as CallOutput<N>
}

async function failure(name: CallName, input: unknown): Promise<string | undefined> {
  const result = await services.dispatch(name, input)
  if (result.ok) throw new Error(`${name} succeeded`)
  return (result.error as { code?: string }).code
}

/**
 * A finished experiment whose score of record i is `score(label, rng)`. `drop` leaves records out of test
 * (an experiment on other records cannot be paired).
 */
function addExperiment(name: string, seed: number, score: (label: number, rng: Rng) => number, drop = 0) {
  const rng = Rng.seeded(seed)
  const scores = labels.map((l) => score(l, rng))
  const experimentId = insertExperiment(
    store,
    checkSpec(store, parseSpec({ name, datasetId, splitId, model: { kind: 'logreg' } })),
  )
  const test = parts.test.slice(drop)
  const pick = (idx: number[]) => ({ y: idx.map((i) => labels[i]!), scores: idx.map((i) => scores[i]!) })
  const evaluated = evaluateRun(pick(parts.val), pick(test), false)
  const run = {
    fold: 0,
    bestEpoch: 1,
    epochs: 1,
    stoppedEarly: false,
    val: evaluated.val.metrics,
    test: evaluated.test.metrics,
    trainSeconds: 0,
    evalSeconds: 0,
  }
  const predictions = (idx: number[]) => ({
    records: Int32Array.from(idx),
    scores: Float32Array.from(idx, (i) => scores[i]!),
  })
  writeRun(
    store,
    experimentId,
    run,
    { val: evaluated.val.curve, test: evaluated.test.curve },
    { val: predictions(parts.val), test: predictions(test) },
  )
  setStatus(store, experimentId, 'done', { finished: true })
  // What the handlers must reproduce: the stored float32 scores of test.
  return { experimentId, test: Float64Array.from(test, (i) => Math.fround(scores[i]!)), val: run.val }
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-compare-')))
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: tmp,
    transport: 'web',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'compare' })).projectId
  store = services.projects.get(projectId)
  const staging = new RecordStaging(store)
  const rng = Rng.seeded(11)
  labels = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? 1 : 0))
  labels.forEach((label, i) =>
    staging.add({
      at: { file: 'test', record: i + 1 },
      recordId: `r${i}`,
      sequence: Array.from({ length: 20 }, () => 'ACGT'[rng.int(4)]!).join(''),
      label,
      weight: null,
      group: null,
      chrom: null,
      start: null,
      end: null,
    }),
  )
  try {
    datasetId = staging.commit({
      name: 'scores',
      alphabet: 'dna',
      labelKind: 'binary',
      labelSet: ['0', '1'],
      seqLength: 20,
      source: { test: true },
    })
  } finally {
    staging.dispose()
  }
  splitId = createSplit(store, datasetId, { method: 'stratified', val: 0.3, test: 0.3, seed: 1 }).splitId
  const part = store.db
    .prepare('SELECT part FROM split_assignments WHERE split_id = ? ORDER BY record_idx')
    .pluck()
    .all(splitId) as (string | number)[]
  parts = { val: [], test: [] }
  part.forEach((p, i) => {
    if (p === 'val' || p === 1) parts.val.push(i)
    if (p === 'test' || p === 2) parts.test.push(i)
  })
})

afterAll(() => {
  services?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

describe('compare.experiments', () => {
  it('gives each experiment the core’s bootstrap CI and tests the others against the best', async () => {
    expect(parts.test.length).toBeGreaterThan(200)
    const strong = addExperiment('strong', 1, (l, rng) => l * 1.5 + rng.normal())
    const weak = addExperiment('weak', 2, (_l, rng) => rng.float())
    const twin = addExperiment('twin', 3, (l, rng) => l * 1.45 + rng.normal())
    const ids = [weak.experimentId, strong.experimentId, twin.experimentId]
    const out = await call('compare.experiments', {
      projectId,
      experimentIds: ids,
      bootstrap: { n: 400, seed: 5 },
    })
    expect(out.part).toBe('test')
    expect(out.resamples).toBe(400)
    const y = parts.test.map((i) => labels[i]!)
    const best = out.bestId === strong.experimentId ? strong : twin
    expect([strong.experimentId, twin.experimentId]).toContain(out.bestId)
    expect(out.experiments.map((e) => e.experimentId)).toEqual(ids)

    const s = out.experiments.find((e) => e.experimentId === strong.experimentId)!
    expect(s.records).toBe(parts.test.length)
    expect(s.positives).toBe(y.filter((l) => l === 1).length)
    expect(s.auroc!.estimate).toBeCloseTo(rocAuc(y, strong.test), 10)
    expect(s.auprc!.estimate).toBeCloseTo(averagePrecision(y, strong.test), 10)
    const core = bootstrapCi(y, strong.test, 'auprc', { n: 400, seed: 5 })
    expect(s.auprc!.low).toBeCloseTo(core.low, 10)
    expect(s.auprc!.high).toBeCloseTo(core.high, 10)
    expect(s.auprc!.low).toBeLessThan(s.auprc!.estimate)
    expect(s.auprc!.high).toBeGreaterThan(s.auprc!.estimate)

    // Random scores against a good model: a real difference, on both metrics.
    const w = out.comparisons.find((c) => c.experimentId === weak.experimentId)!
    expect(w.paired).toBe(true)
    expect(w.auprc!.diff).toBeLessThan(0)
    expect(w.auprcVerdict!.code).toBe('compare.real_difference')
    expect(w.aurocVerdict!.real).toBe(true)
    const delong = delongTest(y, weak.test, best.test)
    expect(w.auroc!.diff).toBeCloseTo(delong.diff, 10)
    expect(w.auroc!.low).toBeCloseTo(delong.diff - twoSidedZ(0.05) * delong.se, 10)
    // Holm over the two comparisons: the adjusted p is never below the raw one.
    expect(w.auprcVerdict!.params.comparisons).toBe(2)
    expect(w.auprcVerdict!.params.p).toBeGreaterThanOrEqual(w.auprcVerdict!.params.pRaw!)

    // Two models of the same strength: no real difference.
    const other = out.comparisons.find((c) => c.experimentId !== weak.experimentId)!
    expect(other.paired).toBe(true)
    expect(other.auprcVerdict!.code).toBe('compare.no_real_difference')
    expect(other.aurocVerdict!.code).toBe('compare.no_real_difference')
    // The best is not compared with itself.
    expect(out.comparisons.map((c) => c.experimentId)).not.toContain(out.bestId)
  })

  it('is reproducible from its seed and differs with another seed', async () => {
    const a = addExperiment('a', 21, (l, rng) => l + rng.normal())
    const input = { projectId, experimentIds: [a.experimentId], part: 'val' as const }
    const one = await call('compare.experiments', { ...input, bootstrap: { n: 200, seed: 1 } })
    const two = await call('compare.experiments', { ...input, bootstrap: { n: 200, seed: 1 } })
    const three = await call('compare.experiments', { ...input, bootstrap: { n: 200, seed: 2 } })
    expect(one.experiments).toEqual(two.experiments)
    expect(three.experiments[0]!.auroc!.low).not.toBe(one.experiments[0]!.auroc!.low)
    expect(one.experiments[0]!.records).toBe(parts.val.length)
    expect(one.comparisons).toEqual([])
  })

  it('does not pair experiments scored on different records, and says why', async () => {
    const full = addExperiment('full', 31, (l, rng) => l * 2 + rng.normal())
    const fewer = addExperiment('fewer', 32, (l, rng) => l + rng.normal(), 10)
    const out = await call('compare.experiments', {
      projectId,
      experimentIds: [full.experimentId, fewer.experimentId],
      bootstrap: { n: 100, seed: 1 },
    })
    const c = out.comparisons.find((x) => x.experimentId === fewer.experimentId)!
    expect(c).toMatchObject({ paired: false, auprcVerdict: null, problem: 'compare.not_paired' })
  })

  it('refuses an experiment without predictions with a code the UI translates', async () => {
    const queued = insertExperiment(
      store,
      checkSpec(store, parseSpec({ name: 'queued', datasetId, splitId, model: { kind: 'logreg' } })),
    )
    expect(await failure('compare.experiments', { projectId, experimentIds: [queued] })).toBe(
      'experiment.no_predictions',
    )
    expect(await failure('compare.experiments', { projectId, experimentIds: [] })).toBe(
      'call.invalid_argument',
    )
  })
})

describe('compare.confusion', () => {
  it('applies one threshold to validation and test, and reports the one chosen on validation', async () => {
    const e = addExperiment('confusion', 41, (l, rng) =>
      Math.min(1, Math.max(0, 0.3 + 0.3 * l + 0.2 * rng.normal())),
    )
    const count = (idx: number[], scores: Float64Array | number[], threshold: number) => {
      const c = { tn: 0, fp: 0, fn: 0, tp: 0 }
      idx.forEach((i, k) => {
        const called = scores[k]! >= threshold
        if (labels[i] === 1) {
          if (called) c.tp++
          else c.fn++
        } else if (called) c.fp++
        else c.tn++
      })
      return c
    }
    const low = await call('compare.confusion', { projectId, experimentId: e.experimentId, threshold: 0.3 })
    const high = await call('compare.confusion', { projectId, experimentId: e.experimentId, threshold: 0.7 })
    expect(low.test).toEqual(count(parts.test, e.test, 0.3))
    expect(high.test).toEqual(count(parts.test, e.test, 0.7))
    expect(high.test.tp + high.test.fp).toBeLessThan(low.test.tp + low.test.fp)
    const total = (c: { tn: number; fp: number; fn: number; tp: number }) => c.tn + c.fp + c.fn + c.tp
    expect(total(low.val)).toBe(parts.val.length)
    expect(total(low.test)).toBe(parts.test.length)
    expect(low.chosen).toBe(e.val.threshold)
  })
})
