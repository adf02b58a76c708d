/**
 * Chromosome hold-out: whole chromosomes go to validation or test, the rest to training. Neighbouring windows
 * of one chromosome overlap and share local sequence context, so a random split of windows leaks; a held-out
 * chromosome does not (DESIGN.md: "splits that do not leak").
 *
 * Names are matched through `canonicalChrom` (`22` ↔ `chr22`, `chrM` ↔ `MT`), in the records and in the
 * user's choice alike. Errors: a chosen chromosome absent from the data (`splits.unknown_chromosome`, with
 * the data's chromosomes listed), one chromosome chosen for both parts (`splits.chromosome_in_two_parts`),
 * nothing left for training (`splits.empty_train`).
 */
import { InputError } from '../../shared/errors'
import { canonicalChrom } from '../formats/regions'
import type { Labels } from './labels'
import type { PartsSplit } from './stratified'
import { splitSummary, TEST, TRAIN, VAL, type SplitWarning } from './summary'

export interface ChromosomeHoldoutOptions {
  val: readonly string[]
  test: readonly string[]
  /** Labels of the records, for the summary's positives. */
  labels?: Labels
}

export function chromosomeHoldout(chroms: readonly string[], options: ChromosomeHoldoutOptions): PartsSplit {
  // Canonical name per spelling (few spellings, many records), and the first spelling per chromosome.
  const canonical = new Map<string, string>()
  const present = new Map<string, string>()
  for (const chrom of chroms) {
    if (canonical.has(chrom)) continue
    const key = canonicalChrom(chrom)
    canonical.set(chrom, key)
    if (!present.has(key)) present.set(key, chrom)
  }
  const chosen = new Map<string, { part: number; name: string }>()
  for (const [part, names] of [
    [VAL, options.val],
    [TEST, options.test],
  ] as const) {
    for (const name of names) {
      const key = canonicalChrom(name)
      if (!present.has(key)) {
        throw new InputError('splits.unknown_chromosome', `The data set has no chromosome "${name}".`, {
          expected: `one of ${[...present.values()].join(', ')}`,
          found: name,
          params: { chrom: name },
        })
      }
      const earlier = chosen.get(key)
      if (earlier !== undefined && earlier.part !== part) {
        throw new InputError(
          'splits.chromosome_in_two_parts',
          `Chromosome "${name}" is chosen for both validation and test.`,
          {
            expected: 'each chromosome in at most one part',
            found: `${earlier.name} and ${name}`,
            params: { chrom: name },
          },
        )
      }
      chosen.set(key, { part, name })
    }
  }

  const assignments = new Int8Array(chroms.length)
  let train = 0
  for (let i = 0; i < chroms.length; i++) {
    const part = chosen.get(canonical.get(chroms[i]!)!)?.part ?? TRAIN
    assignments[i] = part
    if (part === TRAIN) train++
  }
  if (train === 0) {
    throw new InputError(
      'splits.empty_train',
      'Every chromosome is held out: nothing is left for training.',
      {
        expected: 'at least one training chromosome',
        found: `${present.size} chromosomes, all held out`,
      },
    )
  }
  const warnings: SplitWarning[] = []
  if (options.val.length === 0 && options.test.length === 0) {
    warnings.push({
      code: 'splits.nothing_held_out',
      message: 'No chromosome is held out: every record is for training.',
    })
  }
  return { assignments, summary: splitSummary(assignments, options.labels, { chroms }), warnings }
}
