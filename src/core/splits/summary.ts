/**
 * What a split is: one small integer per record, and the summary a scientist checks before training (how many
 * records and positives went where, per part and per chromosome).
 *
 * Assignments are an `Int8Array` of part codes, `TRAIN` 0, `VAL` 1, `TEST` 2 (the names are `PART_NAMES`),
 * or for cross-validation an `Int32Array` of 0-based fold numbers. A negative value means "in no part"
 * (a record left out) and is skipped by every function here. This is the form the store freezes with the
 * data set.
 */
import { InputError } from '../../shared/errors'
import { canonicalChrom } from '../formats/regions'
import { encodeClasses, type Labels } from './labels'

export const TRAIN = 0
export const VAL = 1
export const TEST = 2
export const PART_NAMES = ['train', 'val', 'test'] as const
export type PartName = (typeof PART_NAMES)[number]

/** Something the scientist should know about a split that is still usable (scikit-learn would warn). */
export interface SplitWarning {
  code: string
  message: string
  params?: Record<string, string | number>
}

export interface PartSummary {
  /** Part code (0 train, 1 val, 2 test) or fold number. */
  part: number
  /** `train` / `val` / `test`, or `fold 1` … `fold k` (1-based for people). */
  name: string
  count: number
  /** Binary 0/1 labels: records labelled 1, and their share of the part (NaN for an empty part). */
  positives?: number
  positiveRate?: number
  /** Class labels (binary included): records per class, keyed by the label as text, classes sorted. */
  classCounts?: Record<string, number>
  /** Numeric targets: mean of the part (NaN for an empty part). */
  mean?: number
}

export interface ChromosomeSummary {
  /** The chromosome as first spelled in the data (aliases `chr22` / `22` are counted together). */
  chrom: string
  part: number
  name: string
  count: number
  positives?: number
  positiveRate?: number
}

export interface SplitSummary {
  /** `binary` when the labels are only 0 and 1; `none` when no labels were given. */
  labelKind: 'binary' | 'classes' | 'numeric' | 'none'
  parts: PartSummary[]
  /** Per chromosome and part, when chromosomes were given; chromosomes in order of first appearance. */
  chromosomes?: ChromosomeSummary[]
}

export interface SummaryOptions {
  /** Chromosome of each record, for the per-chromosome rows. */
  chroms?: readonly string[]
  /** `parts` (train/val/test, the default) or `folds` (fold numbers; `k` folds, default max + 1). */
  kind?: 'parts' | 'folds'
  k?: number
  /** The labels are a numeric target: summarise by mean instead of classes. */
  numeric?: boolean
}

/** The record indices of one part (or fold), ascending. */
export function partIndices(assignments: ArrayLike<number>, part: number): Int32Array {
  let count = 0
  for (let i = 0; i < assignments.length; i++) if (assignments[i] === part) count++
  const out = new Int32Array(count)
  let j = 0
  for (let i = 0; i < assignments.length; i++) if (assignments[i] === part) out[j++] = i
  return out
}

function checkLength(argument: string, values: ArrayLike<unknown>, n: number): void {
  if (values.length !== n) {
    throw new InputError('splits.bad_input', `There are ${n} assignments but ${values.length} ${argument}.`, {
      expected: `${n} ${argument}`,
      found: String(values.length),
      params: { argument },
    })
  }
}

/** Counts, positives and positive rate (or class counts, or mean) per part, and per chromosome. */
export function splitSummary(
  assignments: ArrayLike<number>,
  labels?: Labels,
  options: SummaryOptions = {},
): SplitSummary {
  const n = assignments.length
  const kind = options.kind ?? 'parts'
  let partCount: number = PART_NAMES.length
  if (kind === 'folds') {
    let max = -1
    for (let i = 0; i < n; i++) max = Math.max(max, assignments[i]!)
    partCount = options.k ?? max + 1
  }
  const nameOf = (part: number) => (kind === 'parts' ? PART_NAMES[part]! : `fold ${part + 1}`)

  let labelKind: SplitSummary['labelKind'] = 'none'
  let classCodes: Int32Array | undefined
  let classes: string[] = []
  let numericLabels: ArrayLike<number> | undefined
  if (labels !== undefined) {
    checkLength('labels', labels, n)
    if (options.numeric) {
      labelKind = 'numeric'
      numericLabels = labels as ArrayLike<number>
    } else {
      const encoded = encodeClasses(labels, 'splits.bad_labels')
      classCodes = encoded.codes
      classes = encoded.classes.map(String)
      const isBinary = encoded.classes.every((c) => c === 0 || c === 1)
      labelKind = isBinary ? 'binary' : 'classes'
    }
  }
  const positiveClass = labelKind === 'binary' ? classes.indexOf('1') : -1

  // One accumulator per (chromosome, part); the part rows are the same accumulators without chromosome.
  interface Tally {
    count: number
    positives: number
    sum: number
    perClass: Int32Array
  }
  const newTally = (): Tally => ({ count: 0, positives: 0, sum: 0, perClass: new Int32Array(classes.length) })
  const parts = Array.from({ length: partCount }, newTally)
  const byChrom = new Map<string, { chrom: string; tallies: Map<number, Tally> }>()
  if (options.chroms !== undefined) checkLength('chromosomes', options.chroms, n)
  // A data set names few chromosomes over many records: canonicalise each name once.
  const canonicalNames = new Map<string, string>()

  for (let i = 0; i < n; i++) {
    const part = assignments[i]!
    if (part < 0) continue
    if (!Number.isInteger(part) || part >= partCount) {
      throw new InputError('splits.bad_input', `Record ${i + 1} is assigned to a part that does not exist.`, {
        record: i + 1,
        expected:
          kind === 'parts' ? '0 (train), 1 (val), 2 (test) or −1' : `a fold from 0 to ${partCount - 1}`,
        found: String(part),
      })
    }
    const tallies = [parts[part]!]
    if (options.chroms !== undefined) {
      const chrom = options.chroms[i]!
      let key = canonicalNames.get(chrom)
      if (key === undefined) canonicalNames.set(chrom, (key = canonicalChrom(chrom)))
      let entry = byChrom.get(key)
      if (entry === undefined) byChrom.set(key, (entry = { chrom, tallies: new Map() }))
      let tally = entry.tallies.get(part)
      if (tally === undefined) entry.tallies.set(part, (tally = newTally()))
      tallies.push(tally)
    }
    for (const tally of tallies) {
      tally.count += 1
      if (classCodes !== undefined) {
        tally.perClass[classCodes[i]!]! += 1
        if (classCodes[i] === positiveClass) tally.positives += 1
      } else if (numericLabels !== undefined) {
        tally.sum += numericLabels[i]!
      }
    }
  }

  const describe = (tally: Tally) => {
    const out: Omit<PartSummary, 'part' | 'name' | 'count'> = {}
    if (labelKind === 'binary') {
      out.positives = tally.positives
      out.positiveRate = tally.positives / tally.count
    }
    if (labelKind === 'binary' || labelKind === 'classes') {
      out.classCounts = Object.fromEntries(classes.map((c, j) => [c, tally.perClass[j]!]))
    }
    if (labelKind === 'numeric') out.mean = tally.sum / tally.count
    return out
  }

  const summary: SplitSummary = {
    labelKind,
    parts: parts.map((tally, part) => ({ part, name: nameOf(part), count: tally.count, ...describe(tally) })),
  }
  if (options.chroms !== undefined) {
    summary.chromosomes = []
    for (const { chrom, tallies } of byChrom.values()) {
      for (const [part, tally] of [...tallies].sort((a, b) => a[0] - b[0])) {
        const { positives, positiveRate } = describe(tally)
        const row: ChromosomeSummary = { chrom, part, name: nameOf(part), count: tally.count }
        if (positives !== undefined) Object.assign(row, { positives, positiveRate })
        summary.chromosomes.push(row)
      }
    }
  }
  return summary
}
