/**
 * What a prediction needs from a finished experiment: its stored spec (encoding, model), the window length
 * and alphabet the model reads (from its data set: the longest sequence, as the training worker's one-hot
 * rows were), the best weights of every finished run (one, or one per fold of a k-fold experiment, whose
 * scores are then averaged), the motif matrices of the untrained motif scan, and the threshold chosen on
 * validation. Read on the services' thread; the model itself is rebuilt in the worker.
 */
import type { MotifCounts } from '../../core/formats/jaspar'
import type { PackedWeights } from '../../core/models/weights'
import type { ExperimentMetrics, ExperimentSpec } from '../../shared/contract-experiments'
import type { PredictModel } from '../../shared/contract-predict'
import { InputError } from '../../shared/errors'
import { datasetInfo } from '../datasets/queries'
import { bestWeights, experimentSpec, experimentStatus, finishedRuns } from '../experiments/repository'
import { availableMotifs } from '../experiments/spec'
import type { ProjectStore } from '../store/project-store'

export interface LoadedModel {
  experimentId: number
  name: string
  spec: ExperimentSpec
  alphabet: 'dna' | 'protein'
  length: number
  fixedLength: boolean
  /** Best weights per finished run (empty for the motif scan). */
  weights: PackedWeights[]
  motifs: MotifCounts[]
  threshold: number | null
  classNames: [string, string]
}

interface Row {
  id: number
  name: string
  status: string
  spec: string
  metrics: string | null
  finished_at: string | null
  dataset_id: number
}

function notFinished(experimentId: number, status: string): InputError {
  return new InputError(
    'predict.not_finished',
    `Experiment ${experimentId} has not finished training (${status}), so it cannot predict yet`,
    { expected: 'a finished experiment', found: status, params: { experimentId } },
  )
}

function windowOf(store: ProjectStore, datasetId: number): { length: number; fixedLength: boolean } {
  const info = datasetInfo(store, datasetId)
  if (info.seqLength !== null) return { length: info.seqLength, fixedLength: true }
  const length = store.db
    .prepare('SELECT max(length(sequence)) FROM records WHERE dataset_id = ?')
    .pluck()
    .get(datasetId) as number | null
  return { length: length ?? 0, fixedLength: false }
}

/** The models that read sequences (the gene-pair image models read expression, not sequences). */
const SEQUENCE_MODELS = ['logreg', 'mlp', 'cnn', 'pwm']

function readsSequences(kind: string, alphabet: string | null): boolean {
  return SEQUENCE_MODELS.includes(kind) && (alphabet === 'dna' || alphabet === 'protein')
}

function classNamesOf(labelSet: string[]): [string, string] {
  return labelSet.length === 2 ? [labelSet[0]!, labelSet[1]!] : ['0', '1']
}

/** The threshold of one run, or for k folds the mean of theirs (what the experiment's metrics report). */
function thresholdOf(
  store: ProjectStore,
  experimentId: number,
  metrics: ExperimentMetrics | null,
): number | null {
  const runs = finishedRuns(store, experimentId)
  if (runs.length === 1) return runs[0]!.val.threshold
  return metrics?.val.threshold ?? null
}

/** Everything a prediction job needs, or `predict.not_finished` / `experiment.not_found`. */
export function loadPredictModel(store: ProjectStore, experimentId: number): LoadedModel {
  const spec = experimentSpec(store, experimentId)
  const status = experimentStatus(store, experimentId)
  if (status !== 'done') throw notFinished(experimentId, status)
  const runs = finishedRuns(store, experimentId)
  if (runs.length === 0) throw notFinished(experimentId, status)
  const info = datasetInfo(store, spec.datasetId)
  if (!readsSequences(String(spec.model.kind), info.alphabet)) {
    throw new InputError(
      'predict.not_sequences',
      `Experiment ${experimentId} does not read sequences (${String(spec.model.kind)}), so Predict cannot score sequences with it`,
      {
        expected: 'an experiment on DNA or protein sequences',
        found: String(spec.model.kind),
        params: { experimentId },
      },
    )
  }
  const { length, fixedLength } = windowOf(store, spec.datasetId)
  const pwm = spec.model.kind === 'pwm'
  const weights: PackedWeights[] = []
  if (!pwm) {
    for (const run of runs) {
      const packed = bestWeights(store, experimentId, run.fold)
      // Written with the epochs: a finished run without them is a damaged project, not a user's mistake.
      if (!packed)
        throw new Error(`Experiment ${experimentId} fold ${run.fold}: the best weights are missing`)
      weights.push(packed)
    }
  }
  const metricsText = store.db
    .prepare('SELECT metrics FROM experiments WHERE id = ?')
    .pluck()
    .get(experimentId) as string | null
  const metrics = metricsText ? (JSON.parse(metricsText) as ExperimentMetrics) : null
  return {
    experimentId,
    name: spec.name,
    spec,
    alphabet: info.alphabet === 'protein' ? 'protein' : 'dna',
    length,
    fixedLength,
    weights,
    motifs: pwm ? availableMotifs() : [],
    threshold: thresholdOf(store, experimentId, metrics),
    classNames: classNamesOf(info.labelSet),
  }
}

/** Finished experiments on sequences, newest first, with what their input must look like. */
export function predictModels(store: ProjectStore): PredictModel[] {
  const rows = store.db
    .prepare(
      `SELECT e.id, e.name, e.status, e.spec, e.metrics, e.finished_at, e.dataset_id
         FROM experiments e WHERE e.status = 'done' ORDER BY e.finished_at DESC, e.id DESC`,
    )
    .all() as Row[]
  const windows = new Map<number, { length: number; fixedLength: boolean }>()
  return rows.flatMap((r) => {
    const spec = JSON.parse(r.spec) as ExperimentSpec
    const metrics = r.metrics ? (JSON.parse(r.metrics) as ExperimentMetrics) : null
    const info = datasetInfo(store, r.dataset_id)
    if (!readsSequences(String(spec.model.kind), info.alphabet)) return []
    let window = windows.get(r.dataset_id)
    if (!window) windows.set(r.dataset_id, (window = windowOf(store, r.dataset_id)))
    const model: PredictModel = {
      experimentId: r.id,
      name: r.name,
      modelKind: String(spec.model.kind),
      encoding: spec.input.encoding,
      k: spec.input.encoding === 'kmer' ? spec.input.k : null,
      alphabet: info.alphabet === 'protein' ? 'protein' : 'dna',
      length: window.length,
      fixedLength: window.fixedLength,
      valAuroc: metrics?.val.auroc ?? null,
      valAuprc: metrics?.val.auprc ?? null,
      threshold: thresholdOf(store, r.id, metrics),
      classNames: classNamesOf(info.labelSet),
      folds: metrics?.folds.length ?? 1,
      datasetName: info.name,
      finishedAt: r.finished_at,
    }
    return [model]
  })
}
