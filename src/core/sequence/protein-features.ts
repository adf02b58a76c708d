/**
 * Fixed-length features of protein sequences (codes of `PROTEIN`: 20 amino acids, X = 20), the classic
 * inputs of protein classifiers before embeddings:
 *
 * - `aac`: amino-acid composition, the frequency of each of the 20 amino acids (20 columns, A C D … Y);
 * - `dpc`: dipeptide composition, the frequency of each of the 400 ordered pairs of neighbours (AA, AC, …);
 * - `kmer`: the k-mer spectrum, counts of every k-mer over the 20 letters (20^k columns, k ≤ 3 here: 8,000
 *   columns), as raw counts or frequencies.
 *
 * Frequencies divide by the number of residues (or words) counted, so a protein's length does not change
 * its composition. Words holding X (B Z J U O * are read as X) are not counted; a sequence with nothing to
 * count gives a row of zeros. DNA k-mer spectra are `kmerCounts` in ./encode (4^k, canonical option).
 */
import { InputError } from '../../shared/errors'
import { PROTEIN } from './alphabet'

export const PROTEIN_FEATURES = ['aac', 'dpc', 'kmer'] as const
export type ProteinFeature = (typeof PROTEIN_FEATURES)[number]

/** Largest protein k-mer length (20^3 = 8,000 columns). */
export const MAX_PROTEIN_K = 3

const LETTERS = PROTEIN.size

function badFeature(param: string, expected: string, found: unknown): InputError {
  return new InputError('sequence.bad_parameter', `The encoding parameter "${param}" is not valid.`, {
    expected,
    found: typeof found === 'string' ? found : JSON.stringify(found),
    params: { name: param },
  })
}

export interface ProteinFeatureOptions {
  /** k of the `kmer` feature (1 … 3). */
  k?: number
  /** `kmer` only: `counts` (default) or `frequency`; `aac` and `dpc` are always frequencies. */
  normalise?: 'counts' | 'frequency'
}

/** Columns of a feature: 20, 400 or 20^k. */
export function proteinFeatureDimension(
  feature: ProteinFeature,
  options: ProteinFeatureOptions = {},
): number {
  return Math.pow(LETTERS, wordLength(feature, options))
}

/** Column names: `A` …, `AA` …, or the k-mers. */
export function proteinFeatureNames(feature: ProteinFeature, options: ProteinFeatureOptions = {}): string[] {
  const k = wordLength(feature, options)
  return Array.from({ length: Math.pow(LETTERS, k) }, (_, index) => {
    let name = ''
    for (let j = k - 1; j >= 0; j--)
      name += PROTEIN.letters[Math.floor(index / Math.pow(LETTERS, j)) % LETTERS]
    return name
  })
}

function wordLength(feature: ProteinFeature, options: ProteinFeatureOptions): number {
  if (feature === 'aac') return 1
  if (feature === 'dpc') return 2
  if (feature !== 'kmer') throw badFeature('encoding', PROTEIN_FEATURES.join(', '), feature)
  const k = options.k ?? 2
  if (!Number.isInteger(k) || k < 1 || k > MAX_PROTEIN_K) {
    throw badFeature('k', `a whole number from 1 to ${MAX_PROTEIN_K} for protein k-mers`, k)
  }
  return k
}

/** One sequence's feature row into `target` at `offset` (zero there already). */
function featureInto(
  codes: Uint8Array,
  k: number,
  frequency: boolean,
  target: Float32Array,
  offset: number,
): void {
  const modulus = Math.pow(LETTERS, k - 1)
  let word = 0
  let run = 0
  let counted = 0
  for (let p = 0; p < codes.length; p++) {
    const code = codes[p]!
    if (code >= LETTERS) {
      run = 0
      continue
    }
    word = (k === 1 || run === 0 ? 0 : run >= k - 1 ? word % modulus : word) * LETTERS + code
    run++
    if (run >= k) {
      target[offset + word] = target[offset + word]! + 1
      counted++
    }
  }
  if (frequency && counted > 0) {
    const width = Math.pow(LETTERS, k)
    for (let c = 0; c < width; c++) target[offset + c] = target[offset + c]! / counted
  }
}

/** The feature row of one protein (codes). */
export function proteinFeatures(
  codes: Uint8Array,
  feature: ProteinFeature,
  options: ProteinFeatureOptions = {},
): Float32Array {
  const k = wordLength(feature, options)
  const out = new Float32Array(Math.pow(LETTERS, k))
  featureInto(codes, k, feature !== 'kmer' || options.normalise === 'frequency', out, 0)
  return out
}

/** Feature rows of the records `indices`: `[indices.length, proteinFeatureDimension(feature)]`. */
export function proteinFeatureBatch(
  sequences: readonly Uint8Array[],
  indices: ArrayLike<number>,
  feature: ProteinFeature,
  options: ProteinFeatureOptions = {},
): Float32Array {
  const k = wordLength(feature, options)
  if (
    options.normalise !== undefined &&
    options.normalise !== 'counts' &&
    options.normalise !== 'frequency'
  ) {
    throw badFeature('normalise', "'counts' or 'frequency'", options.normalise)
  }
  const width = Math.pow(LETTERS, k)
  const out = new Float32Array(indices.length * width)
  const frequency = feature !== 'kmer' || options.normalise === 'frequency'
  for (let b = 0; b < indices.length; b++) {
    const codes = sequences[indices[b]!]
    if (codes === undefined)
      throw badFeature('indices', `record indices below ${sequences.length}`, indices[b])
    featureInto(codes, k, frequency, out, b * width)
  }
  return out
}
