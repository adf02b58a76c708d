/**
 * `samplingStrategy`: which classes a sampler resamples and to how many records, with imbalanced-learn 0.10's
 * semantics (`imblearn.utils.check_sampling_strategy`), plus SeqLab's level form.
 *
 * Classes are the distinct labels of `y`, sorted; "majority" / "minority" is the first class (in that order)
 * with the most / fewest records, as Python's `max(dict, key=…)` picks it.
 *
 * | strategy        | over-sampling: records to ADD      | under-sampling: records to KEEP  | cleaning: classes |
 * |-----------------|------------------------------------|----------------------------------|-------------------|
 * | 'auto'          | = 'not majority'                   | = 'not minority'                 | 'not minority'    |
 * | 'minority'      | minority: n_maj − n_min            | error                            | error             |
 * | 'majority'      | error                              | majority: n_min                  | majority          |
 * | 'not minority'  | others: n_maj − n_c                | others: n_min                    | others            |
 * | 'not majority'  | others: n_maj − n_c                | others: n_min                    | others            |
 * | 'all'           | every class: n_maj − n_c           | every class: n_min               | all               |
 * | ratio r ∈ (0,1] | binary only; int(n_maj·r − n_c) > 0| binary only; int(n_min / r) ≤ n_c| error             |
 * | { class: n }    | n ≥ n_c; adds n − n_c              | n ≤ n_c; keeps n                 | error             |
 * | [classes]       | error                              | error                            | those classes     |
 * | { level: '+p%' }| minority: adds p% of n_min         | error                            | error             |
 *
 * The level form is SeqLab's "+100% / +200% / +300% of the minority class" (the seed methodology's levels):
 * imblearn can only say it as the dict `{minority: n_min + n_min·p/100}`, and that is exactly what it becomes.
 *
 * Difference from imblearn 0.10.0: its over-samplers' parameter check refuses 'minority' (a bug fixed in
 * 0.10.1) although `check_sampling_strategy` defines it; here 'minority' works as defined. A count above the
 * majority's is allowed (imblearn only warns). Errors are `InputError('imbalance.bad_param')` with
 * `params.param = 'samplingStrategy'`, or `imbalance.one_class` when `y` has a single class.
 */
import { InputError } from '../../shared/errors'

export type SamplingKind = 'over-sampling' | 'under-sampling' | 'clean-sampling'
export type StrategyName = 'auto' | 'minority' | 'majority' | 'not minority' | 'not majority' | 'all'
export type Level = '+100%' | '+200%' | '+300%'
export const LEVELS: readonly Level[] = ['+100%', '+200%', '+300%']

export type SamplingStrategy =
  StrategyName | number | Readonly<Record<number, number>> | readonly number[] | { readonly level: Level }

/** Class counts of `y`: distinct labels ascending, and their counts. */
export interface ClassCounts {
  classes: number[]
  counts: number[]
}

export function classCounts(y: ArrayLike<number>): ClassCounts {
  const map = new Map<number, number>()
  for (let i = 0; i < y.length; i++) map.set(y[i]!, (map.get(y[i]!) ?? 0) + 1)
  const classes = [...map.keys()].sort((a, b) => a - b)
  return { classes, counts: classes.map((c) => map.get(c)!) }
}

const NAMES: readonly string[] = ['auto', 'minority', 'majority', 'not minority', 'not majority', 'all']

function bad(message: string, expected: string, found: string): InputError {
  return new InputError('imbalance.bad_param', message, {
    expected,
    found,
    params: { param: 'samplingStrategy' },
  })
}

function show(strategy: unknown): string {
  try {
    return typeof strategy === 'string' ? `'${strategy}'` : JSON.stringify(strategy)
  } catch {
    return String(strategy)
  }
}

/** Checks the form of a strategy (not yet against data), for the samplers' constructors. */
export function checkStrategyForm(strategy: unknown, kind: SamplingKind): SamplingStrategy {
  const expected =
    kind === 'clean-sampling'
      ? "'auto', 'majority', 'not minority', 'not majority', 'all' or a list of classes"
      : kind === 'over-sampling'
        ? "'auto', 'minority', 'not minority', 'not majority', 'all', a ratio in (0, 1], { class: count } or { level: '+100%' | '+200%' | '+300%' }"
        : "'auto', 'majority', 'not minority', 'not majority', 'all', a ratio in (0, 1] or { class: count }"
  if (typeof strategy === 'string') {
    if (!NAMES.includes(strategy))
      throw bad(`Unknown sampling strategy ${show(strategy)}.`, expected, strategy)
    if (strategy === 'majority' && kind === 'over-sampling') {
      throw bad("'majority' cannot be used with an over-sampler.", expected, strategy)
    }
    if (strategy === 'minority' && kind !== 'over-sampling') {
      throw bad("'minority' cannot be used with an under-sampler or a cleaning method.", expected, strategy)
    }
    return strategy as StrategyName
  }
  if (typeof strategy === 'number') {
    if (kind === 'clean-sampling') throw bad('Cleaning methods take no ratio.', expected, String(strategy))
    if (!(strategy > 0 && strategy <= 1)) {
      throw bad('A sampling ratio must be in (0, 1].', 'a ratio in (0, 1]', String(strategy))
    }
    return strategy
  }
  if (Array.isArray(strategy)) {
    if (kind !== 'clean-sampling')
      throw bad('Only cleaning methods take a list of classes.', expected, show(strategy))
    for (const c of strategy) {
      if (!Number.isInteger(c))
        throw bad('A class in the list is not a whole number.', 'class labels', show(c))
    }
    return strategy as number[]
  }
  if (strategy !== null && typeof strategy === 'object') {
    const entries = Object.entries(strategy)
    if ('level' in strategy) {
      const level = (strategy as { level: unknown }).level
      if (kind !== 'over-sampling')
        throw bad('A level applies to over-samplers only.', expected, show(strategy))
      if (entries.length !== 1 || !LEVELS.includes(level as Level)) {
        throw bad(`Unknown level ${show(level)}.`, "{ level: '+100%' | '+200%' | '+300%' }", show(strategy))
      }
      return { level: level as Level }
    }
    if (kind === 'clean-sampling') {
      throw bad('Cleaning methods take a list of classes, not counts.', expected, show(strategy))
    }
    for (const [key, n] of entries) {
      if (!/^-?\d+$/.test(key)) throw bad(`"${key}" is not a class label.`, 'whole-number class labels', key)
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        throw bad(`The count for class ${key} must be a whole number ≥ 0.`, 'a count ≥ 0', String(n))
      }
    }
    return strategy as Record<number, number>
  }
  throw bad(`Unknown sampling strategy ${show(strategy)}.`, expected, show(strategy))
}

/**
 * The per-class targets of `strategy` on labels with these counts: a map class → records to add
 * (over-sampling), records to keep (under-sampling), or n_min for each targeted class (cleaning), classes
 * ascending, as imblearn's `sampling_strategy_`.
 */
export function resolveStrategy(strategy: unknown, y: ClassCounts, kind: SamplingKind): Map<number, number> {
  const form = checkStrategyForm(strategy, kind)
  const { classes, counts } = y
  if (classes.length <= 1) {
    throw new InputError(
      'imbalance.one_class',
      `Resampling needs at least 2 classes; found ${classes.length}.`,
      {
        expected: 'at least 2 classes',
        found: String(classes.length),
      },
    )
  }
  let iMaj = 0
  let iMin = 0
  for (let c = 1; c < classes.length; c++) {
    if (counts[c]! > counts[iMaj]!) iMaj = c
    if (counts[c]! < counts[iMin]!) iMin = c
  }
  const nMaj = counts[iMaj]!
  const nMin = counts[iMin]!
  const out = new Map<number, number>()
  const countOf = (label: number): number => {
    const c = classes.indexOf(label)
    if (c < 0) {
      throw bad(`There is no class ${label} in the labels.`, `one of ${classes.join(', ')}`, String(label))
    }
    return counts[c]!
  }

  if (typeof form === 'string') {
    const name = form === 'auto' ? (kind === 'over-sampling' ? 'not majority' : 'not minority') : form
    classes.forEach((label, c) => {
      const chosen =
        name === 'all' ||
        (name === 'minority' && c === iMin) ||
        (name === 'majority' && c === iMaj) ||
        (name === 'not minority' && c !== iMin) ||
        (name === 'not majority' && c !== iMaj)
      if (chosen) out.set(label, kind === 'over-sampling' ? nMaj - counts[c]! : nMin)
    })
    return out
  }
  if (typeof form === 'number') {
    if (classes.length !== 2) {
      throw bad(
        'A ratio applies to two classes only; for more, give counts per class.',
        '2 classes',
        String(classes.length),
      )
    }
    classes.forEach((label, c) => {
      if (kind === 'over-sampling' && c !== iMaj) {
        const add = Math.trunc(nMaj * form - counts[c]!)
        if (add <= 0) {
          throw bad(
            `The ratio ${form} would remove records of the minority class; increase it.`,
            `a ratio > ${counts[c]! / nMaj}`,
            String(form),
          )
        }
        out.set(label, add)
      } else if (kind === 'under-sampling' && c !== iMin) {
        const keep = Math.trunc(nMin / form)
        if (keep > counts[c]!) {
          throw bad(
            `The ratio ${form} would add records to class ${label}; increase it.`,
            `a ratio ≥ ${nMin / counts[c]!}`,
            String(form),
          )
        }
        out.set(label, keep)
      }
    })
    return out
  }
  if (Array.isArray(form)) {
    for (const label of [...new Set(form as number[])].sort((a, b) => a - b)) {
      countOf(label)
      out.set(label, nMin)
    }
    return out
  }
  const asked: [number, number][] =
    'level' in form
      ? [
          [
            classes[iMin]!,
            nMin + (nMin * Number.parseInt((form as { level: Level }).level.slice(1), 10)) / 100,
          ],
        ]
      : Object.entries(form as Record<number, number>).map(([k, n]) => [Number(k), n])
  asked.sort((a, b) => a[0] - b[0])
  for (const [label, n] of asked) {
    const have = countOf(label)
    if (kind === 'over-sampling') {
      if (n < have) {
        throw bad(
          `Over-sampling cannot shrink class ${label}: it has ${have} records and ${n} were asked for.`,
          `a count ≥ ${have}`,
          String(n),
        )
      }
      out.set(label, n - have)
    } else {
      if (n > have) {
        throw bad(
          `Under-sampling cannot grow class ${label}: it has ${have} records and ${n} were asked for.`,
          `a count ≤ ${have}`,
          String(n),
        )
      }
      out.set(label, n)
    }
  }
  return out
}
