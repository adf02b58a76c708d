/**
 * Tomek links (Tomek 1976) and SMOTE + Tomek (Batista et al. 2004), as imbalanced-learn 0.10.
 *
 * Two records of different classes form a Tomek link when each is the other's nearest neighbour: one of
 * them is noise or both sit on the class border. Cleaning removes the linked records of the targeted classes
 * (`samplingStrategy` for cleaning: 'auto' = every class but the minority, 'all', 'majority',
 * 'not minority', 'not majority', or a list of classes), which sharpens the border without a random step.
 *
 * Same as imblearn for data without exact duplicates across classes. Nearest neighbours are exact, never
 * the record itself, ties to the smaller index; imblearn takes column 1 of a 2-neighbour query, which is the
 * record itself when sklearn lists its exact duplicate first, so a duplicate pair with different labels is
 * a link here and may not be in imblearn.
 */
import { kNeighbors } from '../neighbors/knn'
import type { Seed } from '../random'
import { checkKeys, checkLabels, checkXy, gatherRows, type Resampled, type Sampler } from './base'
import { SMOTE } from './smote'
import { checkStrategyForm, classCounts, resolveStrategy, type SamplingStrategy } from './strategy'

export interface TomekLinksOptions {
  /** Which classes lose their linked records; default 'auto' (all but the minority). */
  samplingStrategy?: SamplingStrategy
}

/**
 * TomekLinks: removes the records of the targeted classes that are in a Tomek link. Deterministic (no seed).
 * Kept records stay in input order (`sampleIndices`), as imblearn's `sample_indices_`.
 */
export class TomekLinks implements Sampler {
  readonly name = 'TomekLinks'
  readonly appliesTo = 'features' as const
  readonly samplingStrategy: SamplingStrategy

  constructor(options: TomekLinksOptions = {}) {
    checkKeys(this.name, options, ['samplingStrategy'])
    this.samplingStrategy = checkStrategyForm(options.samplingStrategy ?? 'auto', 'clean-sampling')
  }

  /** The Tomek link pairs [i, j] (i < j), whatever the strategy, in order of i. */
  static pairs(X: Float32Array, yIn: Int32Array): [number, number][] {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const nn = kNeighbors(X, d, { k: 1 }).indices
    const out: [number, number][] = []
    for (let i = 0; i < y.length; i++) {
      const j = nn[i]!
      if (i < j && y[i] !== y[j] && nn[j] === i) out.push([i, j])
    }
    return out
  }

  /** 1 for the records this cleaning removes. */
  removed(X: Float32Array, yIn: Int32Array): Uint8Array {
    const y = checkLabels(yIn)
    const targeted = resolveStrategy(this.samplingStrategy, classCounts(y), 'clean-sampling')
    const mask = new Uint8Array(y.length)
    for (const [i, j] of TomekLinks.pairs(X, y)) {
      if (targeted.has(y[i]!)) mask[i] = 1
      if (targeted.has(y[j]!)) mask[j] = 1
    }
    return mask
  }

  fitResample(X: Float32Array, yIn: Int32Array): Resampled {
    const y = checkLabels(yIn)
    const d = checkXy(X, y, true)
    const mask = this.removed(X, y)
    const kept: number[] = []
    mask.forEach((v, i) => v || kept.push(i))
    const sampleIndices = Int32Array.from(kept)
    return {
      X: gatherRows(X, d, sampleIndices),
      y: Int32Array.from(kept, (i) => y[i]!),
      sampleIndices,
      synthetic: new Uint8Array(kept.length),
    }
  }
}

export interface SMOTETomekOptions {
  /** SMOTE's sampling strategy (over-sampling); default 'auto'. */
  samplingStrategy?: SamplingStrategy
  kNeighbors?: number
  seed: Seed
}

/**
 * SMOTETomek: SMOTE, then Tomek-link cleaning of all classes (`TomekLinks({samplingStrategy: 'all'})`), as
 * imblearn's SMOTETomek with its defaults. Over-sampling fills the minority region; the cleaning removes the
 * pairs that straddle the border, synthetic ones included. `sampleIndices` and `synthetic` follow each kept
 * row back to the input (−1 for interpolated rows).
 */
export class SMOTETomek implements Sampler {
  readonly name = 'SMOTETomek'
  readonly appliesTo = 'features' as const
  readonly smote: SMOTE
  readonly tomek: TomekLinks

  constructor(options: SMOTETomekOptions) {
    checkKeys(this.name, options, ['samplingStrategy', 'kNeighbors', 'seed'])
    this.smote = new SMOTE(options)
    this.tomek = new TomekLinks({ samplingStrategy: 'all' })
  }

  fitResample(X: Float32Array, y: Int32Array): Resampled {
    const over = this.smote.fitResample(X, y)
    const clean = this.tomek.fitResample(over.X, over.y)
    return {
      X: clean.X,
      y: clean.y,
      sampleIndices: clean.sampleIndices.map((i) => over.sampleIndices[i]!),
      synthetic:
        clean.sampleIndices.length === 0
          ? new Uint8Array(0)
          : Uint8Array.from(clean.sampleIndices, (i) => over.synthetic[i]!),
    }
  }
}
