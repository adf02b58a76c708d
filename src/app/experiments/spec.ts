/**
 * Checks an experiment spec against what it names, before anything is stored: the data set (binary labels),
 * the split (of that data set; a fold only on a k-fold split), the model (core's schema, which also fills in
 * the model's defaults) and the combinations that cannot work (a CNN on k-mer counts, the motif scan on
 * protein, k-mers of protein). Each problem is an `InputError` with code `experiment.bad_spec` naming the
 * field, or the core's `model.bad_param`; resampling and class weights by ./resampling (`resampling.*`), which
 * reads the training part of every run from the frozen split.
 *
 * Motif matrices: the shipped JUND MA0491.1 (the TF-binding demo's). More can be added to `availableMotifs`.
 */
import { shippedJund } from '../../core/demo/tf-binding'
import type { MotifCounts } from '../../core/formats/jaspar'
import { parseModelSpec } from '../../core/models/specs'
import { MAX_PROTEIN_K } from '../../core/sequence/protein-features'
import {
  ExperimentSpec,
  FEATURE_RESAMPLERS,
  type ExperimentSpecInput,
} from '../../shared/contract-experiments'
import { InputError } from '../../shared/errors'
import { datasetInfo } from '../datasets/queries'
import { checkGrnSpec } from '../grn/training'
import { storedAssignments } from '../datasets/splits'
import { runParts } from './data'
import { checkResampling, type TrainingPart } from './resampling'
import type { ProjectStore } from '../store/project-store'

export function availableMotifs(): MotifCounts[] {
  return [shippedJund()]
}

function badSpec(field: string, message: string, expected: string, found: unknown): InputError {
  return new InputError('experiment.bad_spec', `Invalid experiment setting '${field}': ${message}`, {
    expected,
    found: typeof found === 'string' ? found : JSON.stringify(found),
    params: { field },
  })
}

/** Parses a spec as the contract does (for callers outside `dispatch`: the CLI, the demo). */
export function parseSpec(input: ExperimentSpecInput | unknown): ExperimentSpec {
  const parsed = ExperimentSpec.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue?.path.map(String).join('.') || 'spec'
    throw badSpec(
      field,
      issue?.message ?? 'invalid value',
      issue?.message ?? 'a valid value',
      issue?.input ?? null,
    )
  }
  return parsed.data
}

/** The spec checked against the project, with the model's defaults filled in. */
export function checkSpec(store: ProjectStore, spec: ExperimentSpec): ExperimentSpec {
  const dataset = datasetInfo(store, spec.datasetId)
  if (dataset.labelKind !== 'binary') {
    throw badSpec(
      'datasetId',
      'experiments train binary classifiers',
      'a data set with binary labels',
      dataset.labelKind,
    )
  }
  const split = store.db
    .prepare('SELECT dataset_id, method, params FROM splits WHERE id = ?')
    .get(spec.splitId) as { dataset_id: number; method: string; params: string } | undefined
  if (!split) {
    throw new InputError('split.not_found', `There is no split ${spec.splitId} in this project`, {
      found: String(spec.splitId),
      params: { splitId: spec.splitId },
    })
  }
  if (split.dataset_id !== spec.datasetId) {
    throw badSpec(
      'splitId',
      `split ${spec.splitId} belongs to another data set`,
      `a split of data set ${spec.datasetId}`,
      `a split of data set ${split.dataset_id}`,
    )
  }
  if (spec.fold !== undefined) {
    // k-fold splits, and the TF-aware folds of gene pairs (their k is stored with the split too).
    const folded = ['kfold', 'tf_folds', 'leave_one_tf_out'].includes(split.method)
    const k = folded ? Number((JSON.parse(split.params) as { k?: number }).k) : 0
    if (!folded) throw badSpec('fold', 'only a k-fold split has folds', 'no fold', spec.fold)
    if (spec.fold >= k) throw badSpec('fold', `the split has folds 0 … ${k - 1}`, `0 … ${k - 1}`, spec.fold)
  }
  const model = parseModelSpec(spec.model)
  checkGrnSpec(store, spec, model)
  if ('numClasses' in model && model.numClasses !== 2) {
    throw badSpec('model.numClasses', 'binary data sets have two classes', '2', model.numClasses)
  }
  const dna = dataset.alphabet !== 'protein'
  const { input } = spec
  if ((input.encoding === 'aac' || input.encoding === 'dpc') && dna) {
    throw badSpec(
      'input.encoding',
      'amino-acid and dipeptide composition are protein features',
      'onehot or kmer',
      input.encoding,
    )
  }
  if (input.encoding === 'kmer' && !dna && input.k > MAX_PROTEIN_K) {
    throw badSpec(
      'input.k',
      `protein k-mers have 20^k columns: k ≤ ${MAX_PROTEIN_K}`,
      `1 … ${MAX_PROTEIN_K}`,
      input.k,
    )
  }
  if (!dna && FEATURE_RESAMPLERS.includes(spec.resampling.method)) {
    throw badSpec(
      'resampling.method',
      'SMOTE-like resampling of protein features is not available yet',
      'none, random_over or random_under',
      spec.resampling.method,
    )
  }
  if (input.encoding !== 'onehot' && (model.kind === 'cnn' || model.kind === 'pwm')) {
    throw badSpec('input.encoding', `a ${model.kind} model reads one-hot windows`, 'onehot', input.encoding)
  }
  if (input.reverseComplementAugment && (!dna || input.encoding !== 'onehot')) {
    throw badSpec('input.reverseComplementAugment', 'augmentation needs one-hot DNA', 'false', true)
  }
  if (model.kind === 'pwm') {
    if (!dna) throw badSpec('model.kind', 'the motif scan reads DNA', 'a DNA data set', dataset.alphabet)
    const ids = availableMotifs().map((m) => m.id)
    if (!ids.includes(model.motifId)) {
      throw new InputError('model.unknown_motif', `No motif matrix with the id ${model.motifId}`, {
        expected: ids.join(', '),
        found: model.motifId,
        params: { param: 'motifId' },
      })
    }
  }
  if (model.kind === 'pwm' && spec.resampling.method !== 'none') {
    throw badSpec(
      'resampling.method',
      'the motif scan trains nothing to resample for',
      'none',
      spec.resampling.method,
    )
  }
  const classWeights = checkResampling(
    spec,
    spec.resampling.method === 'none' ? [] : trainingParts(store, spec, dataset.records),
    dataset.labelSet.length === 2 ? dataset.labelSet : ['0', '1'],
  )
  return {
    ...spec,
    model: model as ExperimentSpec['model'],
    ...(classWeights !== undefined ? { classWeights } : {}),
  }
}

/** The labels of the training part of every run the spec makes (one, or one per fold). */
function trainingParts(store: ProjectStore, spec: ExperimentSpec, records: number): TrainingPart[] {
  const labels = new Float32Array(records)
  const rows = store.db
    .prepare('SELECT idx, label FROM records WHERE dataset_id = ?')
    .raw()
    .iterate(spec.datasetId) as IterableIterator<[number, number | string]>
  for (const [idx, label] of rows) labels[idx] = Number(label)
  const { assignments, folds } = storedAssignments(store, spec.splitId, records)
  let k: number | null = null
  if (folds) {
    k = 0
    for (const part of assignments) k = Math.max(k, part + 1)
  }
  const runs = k === null ? [null] : spec.fold !== undefined ? [spec.fold] : [...Array(k).keys()]
  return runs.map((fold) => ({
    fold: fold ?? 0,
    kfold: k !== null,
    labels: Array.from(runParts({ parts: assignments, folds: k }, fold).train, (i) => labels[i]!),
  }))
}
