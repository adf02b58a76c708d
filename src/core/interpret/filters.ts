/**
 * First-layer convolution filters as motifs: what sequence pattern does each filter look for (issue 4,
 * item 11). Two ways, the second better:
 *
 * - `filtersToPwms` reads the kernel itself. A first-layer filter's response is linear in the one-hot input,
 *   Σ_p w[p, base_p], so its weights are log-odds-like scores per position and base; the softmax of a column,
 *   exp(w_b / T) / Σ exp(w / T), is the base distribution whose log-probabilities are those scores (up to a
 *   constant per column). Quick and needs no data, but the scale of the weights is arbitrary (weight decay,
 *   the following layers), so the logos' heights are only relative: a flat logo may still be a useful filter.
 * - `activationPwms` reads what the filter responds to in real sequences, as DeepBind (Alipanahi et al. 2015)
 *   and Basset (Kelley et al. 2016) do: every window where the filter's activation exceeds `threshold` × its
 *   maximum over all the sequences is an aligned site, and the sites' bases are counted into a frequency
 *   matrix (PFM). Its heights mean something (bits over the sites found) and it matches JASPAR matrices
 *   better. The app computes the activations with the model (tfjs); this function stays pure on arrays.
 *
 * Layouts are tfjs's: kernel `[width, 4, filters]` row-major (`conv1/kernel`), activations of one sequence
 * `[positions, filters]` row-major (the conv layer's output for one sample). With `padding: 'same'` (the seed
 * CNN) output position i looks at input positions i − ⌊(width − 1)/2⌋ … onwards (TensorFlow pads the extra
 * column at the end); with 'valid' at i … i + width − 1.
 */
import { badOption, toProbabilities, type BaseRows } from './matrix'
import { InputError } from '../../shared/errors'

export interface FilterPwmOptions {
  /** Only 'weights' (the softmax of the kernel's columns); activation-based motifs are `activationPwms`. */
  method?: 'weights'
  /** Softmax temperature: below 1 sharpens, above 1 flattens (default 1). */
  temperature?: number
}

/** Per filter, the softmax-normalised columns of its weights: `[4][width]` probabilities. */
export function filtersToPwms(
  kernel: ArrayLike<number>,
  shape: readonly [number, number, number],
  options: FilterPwmOptions = {},
): BaseRows[] {
  if ((options.method ?? 'weights') !== 'weights') throw badOption('method', "'weights'", options.method)
  const temperature = options.temperature ?? 1
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw badOption('temperature', 'a number above 0', temperature)
  }
  const [width, channels, filters] = checkKernel(kernel, shape)
  const pwms: BaseRows[] = []
  for (let f = 0; f < filters; f++) {
    const pwm: BaseRows = [[], [], [], []]
    for (let p = 0; p < width; p++) {
      const w = [0, 1, 2, 3].map((b) => kernel[(p * channels + b) * filters + f]! / temperature)
      const max = Math.max(...w) // subtracted so exp cannot overflow
      const e = w.map((v) => Math.exp(v - max))
      const sum = e[0]! + e[1]! + e[2]! + e[3]!
      for (let b = 0; b < 4; b++) pwm[b]!.push(e[b]! / sum)
    }
    pwms.push(pwm)
  }
  return pwms
}

export interface ActivationPwmOptions {
  /** Number of filters: the last dimension of each activation array. */
  filters: number
  /** Filter width (kernel size): the length of the sites and of the matrices. */
  width: number
  /** A site is a window whose activation is above this fraction of the filter's maximum (default 0.5). */
  threshold?: number
  /** The conv layer's padding (default 'same', as the seed CNN). */
  padding?: 'same' | 'valid'
  /**
   * Each filter's maximum activation, if computed beforehand (e.g. over more sequences than are passed, in
   * batches); default: the maximum over the activations given.
   */
  maxima?: ArrayLike<number>
}

export interface ActivationMotif {
  /** Bases counted at the sites, `[4][width]`; N and positions beyond the sequence's ends count nothing. */
  counts: BaseRows
  /** The counts as probabilities; uniform where nothing was counted. */
  pwm: BaseRows
  /** Number of sites (windows above the threshold). */
  sites: number
  /** The maximum activation the threshold is relative to; a filter that never fires (≤ 0) has no sites. */
  maxActivation: number
}

/**
 * The DeepBind/Basset motif of each filter from its activations on sequences given as DNA codes (0..3 =
 * A, C, G, T, anything else N). `activations[i]` is sequence i's `[positions, filters]` activations.
 */
export function activationPwms(
  sequences: readonly ArrayLike<number>[],
  activations: readonly ArrayLike<number>[],
  options: ActivationPwmOptions,
): ActivationMotif[] {
  const { filters, width } = options
  const threshold = options.threshold ?? 0.5
  const padding = options.padding ?? 'same'
  checkWholeNumber('filters', filters)
  checkWholeNumber('width', width)
  if (!(threshold >= 0 && threshold < 1))
    throw badOption('threshold', 'a fraction in 0 … 1 (e.g. 0.5)', threshold)
  if (padding !== 'same' && padding !== 'valid') throw badOption('padding', "'same' or 'valid'", padding)
  if (sequences.length !== activations.length) {
    throw new InputError('interpret.bad_activations', 'There must be one activation array per sequence.', {
      expected: `${sequences.length} activation arrays`,
      found: String(activations.length),
    })
  }
  sequences.forEach((seq, i) => checkActivationShape(seq.length, activations[i]!, filters, width, padding, i))
  const maxima = filterMaxima(activations, filters, options.maxima)
  // Output position i reads input positions i + shift … i + shift + width − 1.
  const shift = padding === 'same' ? -Math.floor((width - 1) / 2) : 0
  const counts = maxima.map(
    (): BaseRows => [0, 1, 2, 3].map(() => new Array<number>(width).fill(0)) as BaseRows,
  )
  const sites = new Array<number>(filters).fill(0)
  sequences.forEach((seq, s) => {
    const act = activations[s]!
    const positions = act.length / filters
    for (let i = 0; i < positions; i++) {
      for (let f = 0; f < filters; f++) {
        const max = maxima[f]!
        if (!(max > 0) || !(act[i * filters + f]! > threshold * max)) continue
        sites[f]!++
        const rows = counts[f]!
        for (let j = 0; j < width; j++) {
          const code = seq[i + shift + j] // undefined beyond the ends
          if (code === 0 || code === 1 || code === 2 || code === 3) rows[code]![j]!++
        }
      }
    }
  })
  return counts.map((c, f) => ({
    counts: c,
    pwm: toProbabilities(c),
    sites: sites[f]!,
    maxActivation: maxima[f]!,
  }))
}

function checkKernel(kernel: ArrayLike<number>, shape: readonly number[]): [number, number, number] {
  const [width, channels, filters] = shape
  const ok =
    shape.length === 3 &&
    channels === 4 &&
    [width, filters].every((v) => Number.isInteger(v) && v! >= 1) &&
    kernel.length === width! * 4 * filters!
  if (!ok) {
    throw new InputError(
      'interpret.bad_kernel',
      'The kernel is not a first-layer DNA filter bank [width, 4, filters].',
      {
        expected: '[width, 4, filters] with width × 4 × filters values',
        found: `shape ${JSON.stringify(shape)}, ${kernel.length} values`,
      },
    )
  }
  for (let i = 0; i < kernel.length; i++) {
    if (!Number.isFinite(kernel[i])) {
      throw new InputError('interpret.bad_kernel', 'The kernel holds a value that is not a finite number.', {
        record: i + 1,
        expected: 'finite weights',
        found: String(kernel[i]),
      })
    }
  }
  return [width!, channels, filters!]
}

function checkWholeNumber(option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw badOption(option, 'a whole number ≥ 1', value)
}

function checkActivationShape(
  length: number,
  act: ArrayLike<number>,
  filters: number,
  width: number,
  padding: 'same' | 'valid',
  i: number,
): void {
  const positions = padding === 'same' ? length : Math.max(0, length - width + 1)
  if (act.length !== positions * filters) {
    throw new InputError(
      'interpret.bad_activations',
      `Sequence ${i + 1} has activations of the wrong size.`,
      {
        record: i + 1,
        expected: `${positions} positions × ${filters} filters = ${positions * filters} values (${padding} padding)`,
        found: `${act.length} values`,
      },
    )
  }
}

function filterMaxima(
  activations: readonly ArrayLike<number>[],
  filters: number,
  given?: ArrayLike<number>,
): number[] {
  if (given !== undefined) {
    if (given.length !== filters || !Array.from(given).every(Number.isFinite)) {
      throw badOption('maxima', `${filters} finite numbers, one per filter`, `${given.length} values`)
    }
    return Array.from(given)
  }
  const maxima = new Array<number>(filters).fill(-Infinity)
  for (const act of activations) {
    for (let k = 0; k < act.length; k++) {
      const f = k % filters
      if (act[k]! > maxima[f]!) maxima[f] = act[k]!
    }
  }
  return maxima
}
