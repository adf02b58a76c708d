/**
 * A sequence logo, ready to draw (Schneider & Stephens 1990): per position, the information content in bits
 * and the height of each letter, p(b) × information, stacked from the smallest at the bottom to the largest
 * on top as WebLogo does. The UI only draws the rectangles.
 *
 * Information is the relative entropy of the column against the background, Σ p log2(p / q); with the
 * uniform DNA background that is 2 − H (2 bits for a single base, 0 for no preference). With `sites` (the
 * number of sequences behind a count matrix, e.g. an activation motif's sites) the small-sample correction
 * (4 − 1) / (2 ln 2 · sites) is subtracted (Schneider et al. 1986), so a motif from a handful of sites does
 * not look stronger than it is; information never goes below 0.
 */
import { badOption, checkMatrix, toProbabilities, type BaseRows } from './matrix'

const LETTERS = ['A', 'C', 'G', 'T'] as const

export interface LogoOptions {
  /** Background probabilities of A, C, G, T (default uniform); each above 0, summing to 1. */
  background?: readonly [number, number, number, number]
  /** Number of sequences the matrix was counted from, for the small-sample correction (default none). */
  sites?: number
}

export interface LogoLetter {
  letter: (typeof LETTERS)[number]
  probability: number
  /** Bits: probability × the column's information. */
  height: number
}

export interface LogoColumn {
  /** Bits. */
  information: number
  /** Increasing height: draw in this order from the bottom. */
  letters: LogoLetter[]
}

export interface SequenceLogo {
  columns: LogoColumn[]
  /** Sum of the columns' information, bits. */
  totalInformation: number
  /** The largest information a column can have (2 bits on a uniform background): the y axis' top. */
  maxInformation: number
}

/** Information and letter heights of a count or probability matrix `[4][length]` (rows A, C, G, T). */
export function sequenceLogo(matrix: BaseRows, options: LogoOptions = {}): SequenceLogo {
  checkMatrix(matrix)
  const background = options.background ?? [0.25, 0.25, 0.25, 0.25]
  const sum = background.reduce((a, b) => a + b, 0)
  if (background.length !== 4 || !background.every((q) => q > 0) || Math.abs(sum - 1) > 1e-6) {
    throw badOption('background', 'four probabilities above 0 summing to 1', background.join(', '))
  }
  const { sites } = options
  if (sites !== undefined && !(Number.isInteger(sites) && sites >= 1))
    throw badOption('sites', 'a whole number ≥ 1', sites)
  const correction = sites === undefined ? 0 : 3 / (2 * Math.LN2 * sites)
  const probabilities = toProbabilities(matrix)
  const columns: LogoColumn[] = []
  for (let p = 0; p < probabilities[0].length; p++) {
    let information = 0
    for (let b = 0; b < 4; b++) {
      const pb = probabilities[b]![p]!
      if (pb > 0) information += pb * Math.log2(pb / background[b]!)
    }
    information = Math.max(0, information - correction)
    const letters = LETTERS.map((letter, b) => {
      const probability = probabilities[b]![p]!
      return { letter, probability, height: probability * information }
    }).sort((x, y) => x.height - y.height)
    columns.push({ information, letters })
  }
  return {
    columns,
    totalInformation: columns.reduce((a, c) => a + c.information, 0),
    maxInformation: Math.log2(1 / Math.min(...background)),
  }
}
