/**
 * Handlers of the comparison calls (`src/shared/contract-compare.ts`): the core's statistics
 * (`src/core/compare`) on the predictions the experiments stored.
 *
 * Runs on the services' thread: at the sizes of a scientist's test split (tens of thousands of windows)
 * 1,000 resamples take a few seconds at most (the core sorts once and counts per resample).
 */
import {
  bootstrapCi,
  delongTest,
  normalSf,
  pairedBootstrapTest,
  verdictsAgainstReference,
  type Verdict,
} from '../../core/compare'
import type {
  compareCalls,
  Confusion,
  ExperimentCis,
  MetricCi,
  PairComparison,
  PairedDifference,
} from '../../shared/contract-compare'
import { InputError } from '../../shared/errors'
import { experimentStatus, finishedRuns, storedPredictions } from '../experiments/repository'
import type { HandlerGroup, ServiceContext } from '../services/context'
import type { ProjectStore } from '../store/project-store'

type Part = 'val' | 'test'

/** One experiment's scores of a part, in record order (folds pooled), with their labels. */
export interface PartScores {
  records: Int32Array
  labels: Uint8Array
  scores: Float64Array
}

/** The stored predictions of `part` (every fold's, pooled and sorted by record) with the records' labels. */
export function partScores(store: ProjectStore, experimentId: number, part: Part): PartScores {
  const status = experimentStatus(store, experimentId)
  const folds = finishedRuns(store, experimentId).map((r) => r.fold)
  const pieces = folds
    .map((f) => storedPredictions(store, experimentId, f, part))
    .filter((p) => p !== undefined)
  if (status !== 'done' || pieces.length === 0) {
    throw new InputError(
      'experiment.no_predictions',
      `Experiment ${experimentId} has no stored predictions yet`,
      {
        expected: 'a finished experiment',
        found: status,
        params: { experimentId },
      },
    )
  }
  const n = pieces.reduce((a, p) => a + p.records.length, 0)
  const pairs: [number, number][] = []
  for (const p of pieces) for (let i = 0; i < p.records.length; i++) pairs.push([p.records[i]!, p.scores[i]!])
  pairs.sort((a, b) => a[0] - b[0])
  const datasetId = store.db
    .prepare('SELECT dataset_id FROM experiments WHERE id = ?')
    .pluck()
    .get(experimentId)
  const labelOf = new Map<number, number>()
  const rows = store.db
    .prepare('SELECT idx, label FROM records WHERE dataset_id = ?')
    .raw()
    .iterate(datasetId) as Iterable<[number, number | string]>
  for (const [idx, label] of rows) labelOf.set(idx, Number(label))
  const out: PartScores = {
    records: new Int32Array(n),
    labels: new Uint8Array(n),
    scores: new Float64Array(n),
  }
  pairs.forEach(([record, score], i) => {
    out.records[i] = record
    out.labels[i] = labelOf.get(record) === 1 ? 1 : 0
    out.scores[i] = score
  })
  return out
}

const sameRecords = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((r, i) => r === b[i])

function countPositives(labels: Uint8Array): number {
  let positives = 0
  for (const l of labels) positives += l
  return positives
}

/** z with P(|Z| > z) = alpha, by bisection on the core's normal tail (alpha 0.05 → 1.95996…). */
export function twoSidedZ(alpha: number): number {
  let lo = 0
  let hi = 40
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (2 * normalSf(mid) > alpha) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** The experiments' intervals and each one against the best (the highest AUPRC) on one part. */
export function compareExperiments(
  store: ProjectStore,
  experimentIds: number[],
  options: { part: Part; n: number; seed: number; alpha: number },
): { bestId: number | null; experiments: ExperimentCis[]; comparisons: PairComparison[] } {
  const ids = [...new Set(experimentIds)]
  const scores = new Map(ids.map((id) => [id, partScores(store, id, options.part)]))
  const resample = { n: options.n, seed: options.seed, alpha: options.alpha }
  const ci = (s: PartScores, metric: 'auroc' | 'auprc'): MetricCi | null => {
    const positives = countPositives(s.labels)
    if (positives === 0 || positives === s.labels.length) return null
    const r = bootstrapCi(s.labels, s.scores, metric, resample)
    return { estimate: r.estimate, low: r.low, high: r.high, se: r.se }
  }
  const experiments: ExperimentCis[] = ids.map((id) => {
    const s = scores.get(id)!
    return {
      experimentId: id,
      records: s.labels.length,
      positives: countPositives(s.labels),
      auroc: ci(s, 'auroc'),
      auprc: ci(s, 'auprc'),
    }
  })
  let best: ExperimentCis | undefined
  for (const e of experiments) if ((e.auprc?.estimate ?? -1) > (best?.auprc?.estimate ?? -1)) best = e
  if (!best?.auprc) return { bestId: best?.experimentId ?? null, experiments, comparisons: [] }

  const ref = scores.get(best.experimentId)!
  const z = twoSidedZ(options.alpha)
  const others = experiments.filter((e) => e.experimentId !== best.experimentId)
  const tested: { id: number; auroc: PairedDifference; auprc: PairedDifference }[] = []
  const comparisons: PairComparison[] = []
  for (const e of others) {
    const s = scores.get(e.experimentId)!
    if (!sameRecords(s.records, ref.records) || e.auprc === null) {
      comparisons.push({
        experimentId: e.experimentId,
        paired: false,
        auroc: null,
        auprc: null,
        aurocVerdict: null,
        auprcVerdict: null,
        problem: 'compare.not_paired',
      })
      continue
    }
    // This experiment minus the best: ≤ 0 on AUPRC by the choice of the best.
    const d = delongTest(ref.labels, s.scores, ref.scores)
    const b = pairedBootstrapTest(ref.labels, s.scores, ref.scores, 'auprc', resample)
    tested.push({
      id: e.experimentId,
      auroc: {
        diff: d.diff,
        low: Number.isFinite(d.se) ? d.diff - z * d.se : null,
        high: Number.isFinite(d.se) ? d.diff + z * d.se : null,
        p: d.p,
        method: 'delong',
      },
      auprc: { diff: b.diff, low: b.low, high: b.high, p: b.p, method: 'paired_bootstrap' },
    })
  }
  // Holm over the experiments compared with the best: the more ablations, the likelier one looks real by luck.
  const verdicts = (ps: number[], resamples?: number): Verdict[] =>
    ps.length === 0 ? [] : verdictsAgainstReference(ps, { alpha: options.alpha, resamples })
  const aurocVerdicts = verdicts(tested.map((t) => t.auroc.p))
  const auprcVerdicts = verdicts(
    tested.map((t) => t.auprc.p),
    options.n,
  )
  tested.forEach((t, i) =>
    comparisons.push({
      experimentId: t.id,
      paired: true,
      auroc: t.auroc,
      auprc: t.auprc,
      aurocVerdict: aurocVerdicts[i]!,
      auprcVerdict: auprcVerdicts[i]!,
    }),
  )
  comparisons.sort((a, b) => ids.indexOf(a.experimentId) - ids.indexOf(b.experimentId))
  return { bestId: best.experimentId, experiments, comparisons }
}

function confusionAt(s: PartScores, threshold: number): Confusion {
  const c = { tn: 0, fp: 0, fn: 0, tp: 0 }
  for (let i = 0; i < s.labels.length; i++) {
    const called = s.scores[i]! >= threshold
    if (s.labels[i] === 1) {
      if (called) c.tp++
      else c.fn++
    } else if (called) c.fp++
    else c.tn++
  }
  return c
}

export function compareHandlers(ctx: ServiceContext): HandlerGroup<keyof typeof compareCalls> {
  return {
    'compare.experiments': ({ projectId, experimentIds, part, bootstrap, alpha }) => {
      const store = ctx.projects.get(projectId)
      const result = compareExperiments(store, experimentIds, {
        part,
        n: bootstrap.n,
        seed: bootstrap.seed,
        alpha,
      })
      return { part, resamples: bootstrap.n, seed: bootstrap.seed, alpha, ...result }
    },
    'compare.confusion': ({ projectId, experimentId, threshold }) => {
      const store = ctx.projects.get(projectId)
      const val = partScores(store, experimentId, 'val')
      const test = partScores(store, experimentId, 'test')
      const runs = finishedRuns(store, experimentId)
      return {
        threshold,
        chosen: runs.length === 1 ? runs[0]!.val.threshold : null,
        val: confusionAt(val, threshold),
        test: confusionAt(test, threshold),
      }
    },
  }
}
