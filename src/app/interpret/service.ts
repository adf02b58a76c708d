/**
 * "What did the model learn" for a CNN on one-hot DNA (issue 4, view 11): the app's side of the core's
 * interpretation functions (`src/core/interpret`). Here the model runs (TensorFlow.js, in this process):
 * the first convolution's activations on test windows, the scores of every single-base substitution of a
 * window, and the gradient of the score with respect to the window; the core turns them into motifs,
 * logos, similarities to JASPAR and per-base tracks.
 *
 * Work is bounded so it stays an interactive call on the services' thread: at most `MAX_WINDOWS` test
 * windows feed the activation motifs (every positive first, then negatives spread over the part), in
 * batches, in two passes (each filter's maximum first, then its sites), so memory does not grow with the
 * part; one window's mutagenesis is 3 × length + 1 scores.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { readJaspar, readJasparWil, type BaseRows, type MotifCounts } from '../../core/formats/jaspar'
import {
  activationPwms,
  filtersToPwms,
  inSilicoMutagenesis,
  matchToDatabase,
  saliencyFromGradients,
  sequenceLogo,
  toProbabilities,
} from '../../core/interpret'
import { layersPredictor } from '../../core/models/predictor'
import { DNA } from '../../core/sequence/alphabet'
import { oneHotBatch } from '../../core/sequence/encode'
import type { FilterMotif } from '../../shared/contract-interpret'
import { InputError } from '../../shared/errors'
import { experimentSpec, storedPredictions } from '../experiments/repository'
import { loadTrainedModel, type TrainedModel } from '../models/trained'
import type { ProjectStore } from '../store/project-store'
import jaspar2016 from './data/jaspar-2016.json'

/** Test windows read for the activation motifs, at most. */
export const MAX_WINDOWS = 2000
const BATCH = 256

export interface MotifCollection {
  name: string
  motifs: MotifCounts[]
  builtIn: boolean
}

let builtIn: MotifCollection | undefined

/** JASPAR 2016 (635 matrices, GPL-3+ via Debian pscan-chip-data), shipped in ./data. */
export function builtInJaspar(): MotifCollection {
  builtIn ??= {
    name: jaspar2016.name,
    motifs: readJasparWil(jaspar2016.text, { fileName: 'jaspar-2016' }),
    builtIn: true,
  }
  return builtIn
}

/** A JASPAR file the user chose (.jaspar, .wil or the "matrix only" .txt layout). */
export function jasparFromText(text: string, fileName: string): MotifCollection {
  return { name: fileName, motifs: readJaspar(text, { fileName }), builtIn: false }
}

function notCnn(found: string): InputError {
  return new InputError(
    'interpret.not_cnn',
    'What the model learned can be shown for a convolutional network on one-hot DNA only',
    { expected: 'a CNN trained on one-hot DNA windows', found },
  )
}

/** The experiment's CNN, or `interpret.not_cnn` (told from the spec, before any weights are read). */
async function loadCnn(store: ProjectStore, experimentId: number): Promise<TrainedModel> {
  const spec = experimentSpec(store, experimentId)
  if (spec.model.kind !== 'cnn' || spec.input.encoding !== 'onehot') {
    throw notCnn(spec.model.kind !== 'cnn' ? String(spec.model.kind) : `cnn on ${spec.input.encoding}`)
  }
  const trained = await loadTrainedModel(store, experimentId)
  if (trained.alphabet !== 'dna') {
    trained.model.dispose()
    throw notCnn(`cnn on ${trained.alphabet}`)
  }
  return trained
}

function sequencesOf(store: ProjectStore, datasetId: number, records: Iterable<number>): Uint8Array[] {
  const read = store.db.prepare('SELECT sequence FROM records WHERE dataset_id = ? AND idx = ?').pluck()
  return Array.from(records, (r) => DNA.toCodes(String(read.get(datasetId, r))))
}

/** Up to `max` test records: every positive first (the motifs live there), then negatives spread evenly. */
function sampleWindows(
  store: ProjectStore,
  trained: TrainedModel,
  experimentId: number,
  max: number,
): number[] {
  const p = storedPredictions(store, experimentId, trained.fold, 'test')
  if (!p) {
    throw new InputError(
      'experiment.no_predictions',
      `Experiment ${experimentId} has no stored predictions yet`,
      {
        expected: 'a finished experiment',
        params: { experimentId },
      },
    )
  }
  const labelOf = store.db.prepare('SELECT label FROM records WHERE dataset_id = ? AND idx = ?').pluck()
  const positives: number[] = []
  const negatives: number[] = []
  for (const r of p.records)
    (Number(labelOf.get(trained.spec.datasetId, r)) === 1 ? positives : negatives).push(r)
  const chosen = positives.slice(0, max)
  const room = max - chosen.length
  if (room > 0 && negatives.length > 0) {
    const step = Math.max(1, negatives.length / room)
    for (let i = 0; i < room && Math.floor(i * step) < negatives.length; i++)
      chosen.push(negatives[Math.floor(i * step)]!)
  }
  return chosen
}

export interface FiltersResult {
  method: 'activations' | 'weights'
  width: number
  windows: number
  database: { name: string; matrices: number; builtIn: boolean }
  filters: FilterMotif[]
}

/** Every first-layer filter as a motif, its logo and its best matches in `collection`. */
export async function interpretFilters(
  store: ProjectStore,
  experimentId: number,
  options: {
    method: 'activations' | 'weights'
    collection: MotifCollection
    top: number
    maxWindows?: number
  },
): Promise<FiltersResult> {
  const trained = await loadCnn(store, experimentId)
  try {
    const conv = trained.model.getLayer('conv1')
    const kernel = conv.getWeights()[0]!
    const [width, channels, filters] = kernel.shape as [number, number, number]
    let motifs: { pwm: BaseRows; counts: BaseRows | null; sites: number | null }[]
    let windows = 0
    if (options.method === 'weights') {
      motifs = filtersToPwms(kernel.dataSync(), [width, channels, filters]).map((pwm) => ({
        pwm,
        counts: null,
        sites: null,
      }))
    } else {
      const records = sampleWindows(store, trained, experimentId, options.maxWindows ?? MAX_WINDOWS)
      windows = records.length
      motifs = activationMotifs(
        trained,
        conv,
        sequencesOf(store, trained.spec.datasetId, records),
        filters,
        width,
      )
    }
    return {
      method: options.method,
      width,
      windows,
      database: {
        name: options.collection.name,
        matrices: options.collection.motifs.length,
        builtIn: options.collection.builtIn,
      },
      filters: motifs.map((m, index) => {
        const logo = sequenceLogo(m.counts ?? m.pwm, m.sites ? { sites: m.sites } : {})
        // A filter that never fired has no motif to match (its matrix is uniform).
        const dead = m.sites === 0
        return {
          index,
          pwm: m.pwm,
          logo: logo.columns,
          information: logo.totalInformation,
          sites: m.sites,
          matches: dead ? [] : matchToDatabase(m.pwm, options.collection.motifs, { top: options.top }),
        }
      }),
    }
  } finally {
    trained.model.dispose()
  }
}

/** DeepBind/Basset motifs from the conv layer's activations: maxima first, then the sites, batch by batch. */
function activationMotifs(
  trained: TrainedModel,
  conv: tfl.layers.Layer,
  sequences: Uint8Array[],
  filters: number,
  width: number,
) {
  const convModel = tfl.model({ inputs: trained.model.inputs, outputs: conv.output as tfl.SymbolicTensor })
  const length = trained.length
  const indices = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i)
  const activationsOf = (from: number, to: number): Float32Array[] => {
    const n = to - from
    const x = oneHotBatch(sequences, indices(from, to), length)
    const out = tf.tidy(() => (convModel.predict(tf.tensor3d(x, [n, length, 4])) as tf.Tensor).dataSync())
    const per = out.length / n
    return Array.from({ length: n }, (_, i) => (out as Float32Array).subarray(i * per, (i + 1) * per))
  }
  // The sequences as the model saw them: cut or padded to the window length (padding reads as N).
  const windows = sequences.map((s) => {
    const w = new Uint8Array(length).fill(4)
    w.set(s.subarray(0, length))
    return w
  })
  const maxima = new Float64Array(filters).fill(-Infinity)
  for (let from = 0; from < sequences.length; from += BATCH) {
    for (const act of activationsOf(from, Math.min(sequences.length, from + BATCH))) {
      for (let k = 0; k < act.length; k++) if (act[k]! > maxima[k % filters]!) maxima[k % filters] = act[k]!
    }
  }
  const counts = Array.from(
    { length: filters },
    (): BaseRows => [0, 1, 2, 3].map(() => new Array<number>(width).fill(0)) as BaseRows,
  )
  const sites = new Array<number>(filters).fill(0)
  if (sequences.length > 0) {
    const given = Array.from(maxima, (m) => (Number.isFinite(m) ? m : 0))
    for (let from = 0; from < sequences.length; from += BATCH) {
      const to = Math.min(sequences.length, from + BATCH)
      const part = activationPwms(windows.slice(from, to), activationsOf(from, to), {
        filters,
        width,
        maxima: given,
      })
      part.forEach((m, f) => {
        sites[f]! += m.sites
        for (let b = 0; b < 4; b++) for (let p = 0; p < width; p++) counts[f]![b]![p]! += m.counts[b]![p]!
      })
    }
  }
  return counts.map((c, f) => ({ pwm: toProbabilities(c), counts: c, sites: sites[f]! }))
}

export interface WindowRow {
  record: number
  recordId: string | null
  label: number
  score: number
  sequence: string
}

/** The highest-scoring windows of a part, best first. */
export function topWindows(
  store: ProjectStore,
  experimentId: number,
  options: { part: 'val' | 'test'; limit: number; datasetId: number },
): WindowRow[] {
  const p = storedPredictions(store, experimentId, 0, options.part)
  if (!p) {
    throw new InputError(
      'experiment.no_predictions',
      `Experiment ${experimentId} has no stored predictions yet`,
      {
        expected: 'a finished experiment',
        params: { experimentId },
      },
    )
  }
  const order = Array.from(p.records.keys()).sort((a, b) => p.scores[b]! - p.scores[a]! || a - b)
  const read = store.db.prepare(
    'SELECT record_id, label, sequence FROM records WHERE dataset_id = ? AND idx = ?',
  )
  return order.slice(0, options.limit).map((i) => {
    const record = p.records[i]!
    const row = read.get(options.datasetId, record) as {
      record_id: string | null
      label: number | string
      sequence: string
    }
    return {
      record,
      recordId: row.record_id,
      label: Number(row.label),
      score: p.scores[i]!,
      sequence: row.sequence,
    }
  })
}

export interface MutagenesisResult {
  sequence: string
  record: number | null
  recordId: string | null
  label: number | null
  score: number
  deltas: number[][]
  mutagenesis: number[]
  saliency: number[]
}

/** In-silico mutagenesis and gradient × input of one window (a record, or a pasted sequence). */
export async function explainWindow(
  store: ProjectStore,
  experimentId: number,
  window: { record: number } | { sequence: string },
): Promise<MutagenesisResult> {
  const trained = await loadCnn(store, experimentId)
  try {
    const length = trained.length
    let sequence: string
    let record: number | null = null
    let recordId: string | null = null
    let label: number | null = null
    if ('record' in window) {
      const row = store.db
        .prepare('SELECT record_id, label, sequence FROM records WHERE dataset_id = ? AND idx = ?')
        .get(trained.spec.datasetId, window.record) as
        { record_id: string | null; label: number | string; sequence: string } | undefined
      if (!row) {
        throw new InputError('interpret.bad_window', `The data set has no record ${window.record + 1}`, {
          record: window.record + 1,
          expected: 'a record of the data set',
          params: { length },
        })
      }
      ;({ sequence } = row)
      record = window.record
      recordId = row.record_id
      label = Number(row.label)
    } else {
      sequence = window.sequence.replace(/\s+/g, '').toUpperCase()
    }
    const codes = DNA.toCodes(sequence, { strict: true, file: recordId ?? 'sequence' })
    if (codes.length !== length) {
      throw new InputError(
        'interpret.bad_window',
        `The model reads windows of ${length} bases; this sequence has ${codes.length}`,
        { expected: `${length} bases`, found: `${codes.length} bases`, params: { length } },
      )
    }
    const predictor = layersPredictor(trained.model)
    const score = (batch: Uint8Array[]) =>
      predictor.predict(
        oneHotBatch(
          batch,
          batch.map((_, i) => i),
          length,
        ),
      )
    const ism = inSilicoMutagenesis(codes, score, { batchSize: BATCH })
    const gradients = tf.tidy(() => {
      const x = tf.tensor3d(oneHotBatch([codes], [0], length), [1, length, 4])
      const grad = tf.grad((input: tf.Tensor) =>
        tf.sum(trained.model.apply(input, { training: false }) as tf.Tensor),
      )
      return grad(x).dataSync() as Float32Array
    })
    const saliency = saliencyFromGradients(gradients, codes)
    return {
      sequence: DNA.fromCodes(codes),
      record,
      recordId,
      label,
      score: ism.reference,
      deltas: Array.from({ length }, (_, p) => Array.from(ism.deltas.subarray(p * 4, p * 4 + 4))),
      mutagenesis: Array.from(ism.track),
      saliency: Array.from(saliency.track),
    }
  } finally {
    trained.model.dispose()
  }
}
