/**
 * An experiment's trained model, rebuilt in this process: the spec's builder (same seed, same layer and
 * weight names) with the stored best weights of one fold set into it. What the model export, the
 * interpretation and the report read; training and evaluation stay in the worker threads.
 *
 * The sample shape is the one the worker trained on (`sampleShapeOf`): one-hot windows as long as the data
 * set's longest sequence, or the k-mer count vector.
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import { buildModel } from '../../core/models/build'
import { ModelSpec, type NeuralModelSpec } from '../../core/models/specs'
import { setWeights, unpackWeights } from '../../core/models/weights'
import type { ExperimentSpec } from '../../shared/contract-experiments'
import { InputError } from '../../shared/errors'
import { datasetInfo } from '../datasets/queries'
import { getEngineInfo } from '../engine'
import { bestWeights, experimentSpec, finishedRuns } from '../experiments/repository'
import { sampleShapeOf } from '../experiments/sources'
import type { ProjectStore } from '../store/project-store'

export interface TrainedModel {
  model: tfl.LayersModel
  spec: ExperimentSpec
  neural: NeuralModelSpec
  fold: number
  alphabet: 'dna' | 'protein'
  /** The one-hot window length (the data set's longest sequence). */
  length: number
  /** One sample, without the batch. */
  sampleShape: number[]
  /** The fold's threshold, chosen on validation (null before the run finished, or with one class). */
  threshold: number | null
}

/** The spec of an experiment whose model is a TensorFlow.js network (not the motif scan). */
export function neuralSpec(
  store: ProjectStore,
  experimentId: number,
): ExperimentSpec & {
  model: NeuralModelSpec
} {
  const spec = experimentSpec(store, experimentId)
  const model = ModelSpec.parse(spec.model)
  if (model.kind === 'pwm') {
    throw new InputError('model.no_weights', 'The motif scan is not trained: it has no weights to use', {
      expected: 'a logistic regression, MLP or CNN',
      found: 'pwm',
      params: { experimentId },
    })
  }
  // The gene-pair image models (CNNC, DeepDRIM) read images built from expression, not sequences: their
  // input cannot be described from the data set's sequences, so they are not rebuilt here (yet).
  if (model.kind !== 'logreg' && model.kind !== 'mlp' && model.kind !== 'cnn') {
    throw new InputError('model.not_exportable', `A ${model.kind} model cannot be exported yet`, {
      expected: 'a logistic regression, MLP or CNN on sequences',
      found: model.kind,
      params: { kind: model.kind },
    })
  }
  return { ...spec, model }
}

/** Rebuilds the experiment's model with its best weights of `fold` (default 0). */
export async function loadTrainedModel(
  store: ProjectStore,
  experimentId: number,
  fold = 0,
): Promise<TrainedModel> {
  const spec = neuralSpec(store, experimentId)
  const packed = bestWeights(store, experimentId, fold)
  if (!packed) {
    throw new InputError(
      'experiment.no_weights',
      `Experiment ${experimentId} has no trained weights${fold ? ` for fold ${fold}` : ''} yet`,
      { expected: 'an experiment with at least one finished epoch', params: { experimentId, fold } },
    )
  }
  const info = datasetInfo(store, spec.datasetId)
  const alphabet = info.alphabet === 'protein' ? 'protein' : 'dna'
  const length =
    info.seqLength ??
    (store.db
      .prepare('SELECT max(length(sequence)) FROM records WHERE dataset_id = ?')
      .pluck()
      .get(spec.datasetId) as number)
  const sampleShape = sampleShapeOf(spec.input, alphabet, length)
  // The process's TensorFlow.js backend (chosen once; the services may not have asked for it yet).
  await getEngineInfo()
  const model = buildModel(spec.model, { inputShape: sampleShape, seed: spec.seed })
  try {
    setWeights(model, unpackWeights(packed))
  } catch (err) {
    model.dispose()
    throw err
  }
  const run = finishedRuns(store, experimentId).find((r) => r.fold === fold)
  return {
    model,
    spec,
    neural: spec.model,
    fold,
    alphabet,
    length,
    sampleShape,
    threshold: run?.val.threshold ?? null,
  }
}
