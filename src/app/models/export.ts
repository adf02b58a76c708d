/**
 * An experiment's model as a TensorFlow.js layers model, the format `tf.loadLayersModel` reads as it is:
 * `model.json` (topology, weight manifest, SeqLab's description of the input) and the weights in one
 * binary file beside it, `<name>.weights.bin`, named in the manifest's `paths`. So a scientist (or a
 * colleague in Python with `tensorflowjs`) loads it with `tf.loadLayersModel('file://…/model.json')`
 * (tfjs-node), from a web server, or in a browser with `tf.io.browserFiles([json, bin])`.
 *
 * Why two files rather than a zip: `loadLayersModel` cannot read a zip; these two files load without
 * unpacking anything. The JSON is written last, so a reader never finds a manifest whose weights are
 * missing.
 */
import * as path from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { alphabetByName } from '../../core/sequence/alphabet'
import { writeFileReplacing } from '../output-file'
import type { ProjectStore } from '../store/project-store'
import { loadTrainedModel } from './trained'

export interface ModelExport {
  model: string
  weights: string
  bytes: number
  inputShape: number[]
  encoding: 'onehot' | 'kmer' | 'aac' | 'dpc'
}

/** The JSON tfjs writes for `model.save('file://…')` (tfjs-node's file handler), with our manifest path. */
interface ModelJson {
  modelTopology: unknown
  format?: string
  generatedBy?: string
  convertedBy?: string | null
  trainingConfig?: unknown
  userDefinedMetadata?: Record<string, unknown>
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]
}

/** The layers model's artifacts, as `model.save` hands them to a save handler. */
async function artifactsOf(model: { save: (h: tf.io.IOHandler) => Promise<unknown> }) {
  let saved: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) }
    }),
  )
  if (!saved?.weightSpecs || !saved.weightData) throw new Error('tfjs saved no weights')
  return saved as tf.io.ModelArtifacts & {
    weightSpecs: tf.io.WeightsManifestEntry[]
    weightData: tf.io.WeightData
  }
}

/** `target` may name the JSON with or without `.json`; the weights go beside it. */
export function exportFileNames(target: string): { json: string; weights: string } {
  const json = path.extname(target).toLowerCase() === '.json' ? target : `${target}.json`
  const stem =
    path
      .basename(json)
      .replace(/\.json$/i, '')
      .replace(/\.model$/i, '') || 'model'
  return { json, weights: path.join(path.dirname(json), `${stem}.weights.bin`) }
}

export async function exportTfjsModel(
  store: ProjectStore,
  options: { experimentId: number; fold?: number; target: string; appVersion: string },
): Promise<ModelExport> {
  const trained = await loadTrainedModel(store, options.experimentId, options.fold ?? 0)
  try {
    const { spec } = trained
    trained.model.setUserDefinedMetadata({
      seqlab: {
        experimentId: options.experimentId,
        name: spec.name,
        fold: trained.fold,
        appVersion: options.appVersion,
        // What one sample is: the model cannot say it, and a wrong encoding gives confident nonsense.
        input:
          spec.input.encoding === 'kmer'
            ? {
                encoding: 'kmer',
                k: spec.input.k,
                canonical: spec.input.canonical,
                shape: trained.sampleShape,
                note: spec.input.canonical
                  ? 'counts of every canonical k-mer (the smaller of a k-mer and its reverse complement), in lexicographic order of A < C < G < T'
                  : 'counts of every k-mer in lexicographic order of A < C < G < T',
              }
            : {
                encoding: 'onehot',
                alphabet: trained.alphabet,
                shape: trained.sampleShape,
                channels: alphabetByName(trained.alphabet).letters.split(''),
                note: 'one row per position, one column per letter of `channels`; unknown letters and padding after a shorter sequence are all-zero rows',
              },
        output: 'probability of the positive class (sigmoid)',
        threshold: trained.threshold,
        thresholdNote: 'chosen on validation (max F1); a window is positive when its score ≥ threshold',
      },
    })
    const artifacts = await artifactsOf(trained.model)
    const files = exportFileNames(options.target)
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
    const json: ModelJson = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      weightsManifest: [{ paths: [path.basename(files.weights)], weights: artifacts.weightSpecs }],
    }
    const text = JSON.stringify(json)
    const bytes =
      (await writeFileReplacing(files.weights, weights)) + (await writeFileReplacing(files.json, text))
    return {
      model: path.basename(files.json),
      weights: path.basename(files.weights),
      bytes,
      inputShape: trained.sampleShape,
      encoding: spec.input.encoding,
    }
  } finally {
    trained.model.dispose()
  }
}
