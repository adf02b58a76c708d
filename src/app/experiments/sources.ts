/**
 * `BatchSource`s (what core's `train` and `predictScores` read) over the compact data a worker receives:
 * one-hot or k-mer rows are built per batch from the stored codes, by record index, so the encoded data
 * set never exists as a whole. The training source reads the training set after resampling: record
 * indices (repeats included) and, for the SMOTE family, generated k-mer rows kept as a small matrix.
 *
 * Reverse-complement augmentation (training only): each row is read on the reverse strand or not by a hash
 * of (seed, epoch, record), not by a generator that advances with every call, so a resumed run flips exactly
 * the rows an uninterrupted one would.
 */
import { alphabetByName } from '../../core/sequence/alphabet'
import { kmerBatch, kmerDimension, oneHotBatch } from '../../core/sequence/encode'
import { proteinFeatureBatch, proteinFeatureDimension } from '../../core/sequence/protein-features'
import type { BatchSource } from '../../core/training/train'
import type { InputSpec } from '../../shared/contract-experiments'
import type { WorkerData } from './protocol'

/** Every sequence as a view into the shared codes buffer (no copies). */
export function sequenceViews(data: Pick<WorkerData, 'codes' | 'offsets'>): Uint8Array[] {
  const n = data.offsets.length - 1
  const out = new Array<Uint8Array>(n)
  for (let i = 0; i < n; i++) out[i] = data.codes.subarray(data.offsets[i]!, data.offsets[i + 1]!)
  return out
}

/**
 * The shape of one sample for an input spec: [length, channels] one-hot, [columns] for features: DNA k-mers
 * (4^k), protein k-mers (20^k), amino-acid (20) or dipeptide composition (400).
 */
export function sampleShapeOf(input: InputSpec, alphabet: WorkerData['alphabet'], length: number): number[] {
  if (input.encoding === 'onehot') return [length, alphabetByName(alphabet).size]
  if (alphabet === 'protein') return [proteinFeatureDimension(input.encoding, { k: input.k })]
  return [kmerDimension(input.k, { canonical: input.canonical })]
}

/** Feature rows (every encoding but one-hot) of the records: [records.length, columns]. */
export function featureRows(
  sequences: readonly Uint8Array[],
  records: ArrayLike<number>,
  input: InputSpec,
  alphabet: WorkerData['alphabet'],
): Float32Array {
  if (alphabet === 'protein' && input.encoding !== 'onehot') {
    return proteinFeatureBatch(sequences, records, input.encoding, { k: input.k })
  }
  return kmerBatch(sequences, records, input.k, { canonical: input.canonical })
}

/** A 32-bit mix of three integers (splitmix-like); its lowest bit picks the strand. */
function mix(a: number, b: number, c: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c + 1, 0x85ebca6b)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d)
  h ^= h >>> 15
  h = Math.imul(h, 0x846ca68b)
  h ^= h >>> 16
  return h >>> 0
}

export interface EpochAwareSource extends BatchSource {
  /** The epoch being trained (augmentation depends on it). */
  epoch: number
}

export interface SourceOptions {
  input: InputSpec
  /** Per row of `rows` (the training set as trained, ./resampling.ts); absent: unweighted. */
  weights?: Float32Array | null
  /**
   * The training set after resampling: a label per row of `rows`, and the generated rows (k-mer columns,
   * [s, d]) that a row `−1 − j` reads. Absent: every row is a record and carries its own label.
   */
  resampled?: { labels: Float32Array; synthetic: Float32Array | null }
  /** Reverse-complement augmentation with this seed (training source only). */
  augmentSeed?: number
}

/** k-mer rows of a batch where some rows are generated: records counted, generated rows copied. */
function mixedKmerBatch(
  sequences: readonly Uint8Array[],
  records: Int32Array,
  synthetic: Float32Array,
  input: InputSpec,
  d: number,
  alphabet: WorkerData['alphabet'],
): Float32Array {
  const real: number[] = []
  for (const r of records) if (r >= 0) real.push(r)
  const counted = featureRows(sequences, real, input, alphabet)
  const x = new Float32Array(records.length * d)
  let next = 0
  for (let b = 0; b < records.length; b++) {
    const r = records[b]!
    const from = r >= 0 ? counted.subarray(next * d, ++next * d) : synthetic.subarray((-1 - r) * d, -r * d)
    x.set(from, b * d)
  }
  return x
}

export function makeSource(
  data: WorkerData,
  sequences: readonly Uint8Array[],
  rows: Int32Array,
  options: SourceOptions,
): EpochAwareSource {
  const { input } = options
  const alphabet = alphabetByName(data.alphabet)
  const sampleShape = sampleShapeOf(input, data.alphabet, data.length)
  const augment =
    options.augmentSeed !== undefined &&
    input.reverseComplementAugment &&
    input.encoding === 'onehot' &&
    data.alphabet === 'dna'
  const weights = options.weights ?? undefined
  const synthetic = options.resampled?.synthetic ?? null
  if (synthetic && input.encoding === 'onehot') throw new Error('Generated rows need feature input')
  const labels = options.resampled?.labels
  const source: EpochAwareSource = {
    size: rows.length,
    sampleShape,
    epoch: 1,
    batch(indices) {
      const records = new Int32Array(indices.length)
      for (let b = 0; b < indices.length; b++) records[b] = rows[indices[b]!]!
      let x: Float32Array
      if (synthetic) {
        x = mixedKmerBatch(sequences, records, synthetic, input, sampleShape[0]!, data.alphabet)
      } else if (input.encoding !== 'onehot') {
        x = featureRows(sequences, records, input, data.alphabet)
      } else {
        const reverseComplement = augment
          ? Array.from(records, (r) => (mix(options.augmentSeed!, source.epoch, r) & 1) === 1)
          : undefined
        x = oneHotBatch(sequences, records, data.length, undefined, { alphabet, reverseComplement })
      }
      const y = new Float32Array(records.length)
      for (let b = 0; b < records.length; b++) {
        y[b] = labels ? labels[indices[b]!]! : data.labels[records[b]!]!
      }
      if (!weights) return { x, y }
      const w = new Float32Array(records.length)
      for (let b = 0; b < records.length; b++) w[b] = weights[indices[b]!]!
      return { x, y, w }
    },
  }
  return source
}
