/**
 * Mean ± sd of a metric over repeated runs (seeds, folds), the other form of uncertainty the comparison table
 * shows (UI.md: "every metric in a comparison carries its uncertainty").
 *
 * The sd is the sample standard deviation (n − 1): the runs are a sample of the runs one could have made,
 * and the spread to expect from the next one is what the scientist wants to see. With one run there is no
 * spread to estimate: `sd` is null (never 0, which would read as "perfectly stable").
 */
import { badOption } from './validate'
import { InputError } from '../../shared/errors'

export interface MeanSd {
  mean: number
  /** Sample standard deviation (n − 1); null with fewer than 2 values. */
  sd: number | null
  n: number
}

export interface MetricSummary extends MeanSd {
  min: number
  max: number
}

/** Mean and sample sd of finite numbers (at least one). */
export function meanSd(values: ArrayLike<number>): MeanSd {
  checkValues('values', values)
  const n = values.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += values[i]!
  mean /= n
  if (n < 2) return { mean, sd: null, n }
  // Two-pass: the deviations from the mean, not Σx² − n·mean², which cancels badly for AUCs near 0.9.
  let ss = 0
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2
  return { mean, sd: Math.sqrt(ss / (n - 1)), n }
}

/**
 * Each metric's mean ± sd, min and max over runs, given one record of metrics per run (seed or fold). A
 * metric missing from a run (undefined, e.g. not defined on a fold with one class) is left out of that
 * metric's summary, and its `n` says how many runs it rests on.
 */
export function summariseSeeds(
  perSeedMetrics: readonly Readonly<Record<string, number | undefined>>[],
): Record<string, MetricSummary> {
  if (!Array.isArray(perSeedMetrics) || perSeedMetrics.length === 0) {
    throw badOption(
      'perSeedMetrics',
      'one record of metrics per run (at least one)',
      perSeedMetrics?.length ?? 0,
    )
  }
  const byName = new Map<string, number[]>()
  perSeedMetrics.forEach((run, r) => {
    for (const [name, value] of Object.entries(run)) {
      if (value === undefined) continue
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InputError(
          'metrics.bad_input',
          `Run ${r + 1} has a value of ${name} that is not a finite number.`,
          {
            record: r + 1,
            expected: 'a finite number',
            found: String(value),
            params: { argument: name },
          },
        )
      }
      const list = byName.get(name) ?? []
      list.push(value)
      byName.set(name, list)
    }
  })
  const out: Record<string, MetricSummary> = {}
  for (const [name, values] of byName) {
    out[name] = { ...meanSd(values), min: Math.min(...values), max: Math.max(...values) }
  }
  return out
}

function checkValues(argument: string, values: ArrayLike<number>): void {
  if (values.length === 0) {
    throw new InputError('metrics.bad_input', `${argument} is empty.`, {
      expected: 'at least one value',
      found: 'none',
      params: { argument },
    })
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InputError('metrics.bad_input', `${argument} must be finite numbers.`, {
        record: i + 1,
        expected: 'a finite number',
        found: String(values[i]),
        params: { argument },
      })
    }
  }
}
