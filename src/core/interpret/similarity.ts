/**
 * How alike two motifs are, and which known motifs a learned one resembles (issue 4, item 11: filters
 * matched against JASPAR).
 *
 * The score is Tomtom's Pearson-correlation column comparison (Gupta, Stamatoyannopoulos, Bailey & Noble
 * 2007, Genome Biology 8:R24): the two matrices are slid along each other, on both strands, and each
 * alignment scores the mean, over the aligned columns, of the Pearson correlation between the two columns'
 * four values. 1 means every aligned column has the same shape; 0 no relation. Tomtom turns the score into
 * a p-value against a null of shuffled columns; for ranking the filters of one model against one database,
 * the score itself is enough and is what the UI shows.
 *
 * Correlation is blind to a column's scale, so counts and probabilities compare alike. A column with four
 * equal values (no preference) has no correlation defined: two such columns count as identical (1), one
 * against a non-flat column as unrelated (0). Alignments must overlap by `minOverlap` columns (default
 * min(5, both lengths)): without it a short overlap of one or two strong columns would beat a whole motif.
 * Ties prefer the longer overlap, then the '+' strand, then the smaller |offset|.
 */
import type { MotifCounts } from '../formats/jaspar'
import { badOption, checkMatrix, reverseComplementMatrix, type BaseRows } from './matrix'

export interface SimilarityOptions {
  /** Least number of aligned columns (default min(5, length of either motif)). */
  minOverlap?: number
}

export interface Similarity {
  /** Mean column Pearson correlation of the best alignment, in −1 … 1. */
  score: number
  /** Column of A where B's first column sits (B reverse-complemented on '-'); may be negative. */
  offset: number
  strand: '+' | '-'
  /** Number of aligned columns. */
  overlap: number
}

export interface DatabaseMatch extends Similarity {
  id: string
  name: string
}

/** The best alignment of B to A over offsets and strands (Tomtom's PCC column score). */
export function motifSimilarity(a: BaseRows, b: BaseRows, options: SimilarityOptions = {}): Similarity {
  const lengthA = checkMatrix(a, 'pwmA')
  const lengthB = checkMatrix(b, 'pwmB')
  const minOverlap = overlapOption(options.minOverlap, lengthA, lengthB)
  const colsA = centredColumns(a)
  let best: Similarity | undefined
  for (const strand of ['+', '-'] as const) {
    const colsB = centredColumns(strand === '+' ? b : reverseComplementMatrix(b))
    for (let offset = minOverlap - lengthB; offset <= lengthA - minOverlap; offset++) {
      const from = Math.max(0, offset)
      const to = Math.min(lengthA, offset + lengthB)
      let sum = 0
      for (let i = from; i < to; i++) sum += columnCorrelation(colsA[i]!, colsB[i - offset]!)
      const candidate = { score: sum / (to - from), offset, strand, overlap: to - from }
      if (!best || better(candidate, best)) best = candidate
    }
  }
  return best!
}

/**
 * The `top` (default 5) database motifs most similar to `pwm`, best first; ties in score keep the database's
 * order. A motif shorter than `minOverlap` is compared over its whole length.
 * (The 635 matrices of JASPAR 2016 take ~30 ms per query.)
 */
export function matchToDatabase(
  pwm: BaseRows,
  motifs: readonly MotifCounts[],
  options: SimilarityOptions & { top?: number } = {},
): DatabaseMatch[] {
  const top = options.top ?? 5
  if (!Number.isInteger(top) || top < 1) throw badOption('top', 'a whole number ≥ 1', top)
  const pwmLength = checkMatrix(pwm, 'pwm')
  const scored = motifs.map((m, index) => {
    const length = m.counts[0].length
    const minOverlap =
      options.minOverlap === undefined ? undefined : Math.min(options.minOverlap, length, pwmLength)
    return { index, match: { id: m.id, name: m.name, ...motifSimilarity(pwm, m.counts, { minOverlap }) } }
  })
  scored.sort((x, y) => y.match.score - x.match.score || x.index - y.index)
  return scored.slice(0, top).map((s) => s.match)
}

const FLAT = 1e-12

interface Column {
  /** The four values minus their mean, divided by their norm; all zero for a flat column. */
  unit: [number, number, number, number]
  flat: boolean
}

function centredColumns(matrix: BaseRows): Column[] {
  const length = matrix[0].length
  const out: Column[] = []
  for (let p = 0; p < length; p++) {
    const v = [matrix[0][p]!, matrix[1][p]!, matrix[2][p]!, matrix[3][p]!]
    const mean = (v[0]! + v[1]! + v[2]! + v[3]!) / 4
    const d = v.map((x) => x - mean)
    const norm = Math.hypot(...d)
    // Flat relative to the column's size, so rounding in a normalised column does not look like a preference.
    const flat = norm <= FLAT * Math.max(Math.abs(mean), Number.MIN_VALUE)
    out.push({ unit: (flat ? [0, 0, 0, 0] : d.map((x) => x / norm)) as Column['unit'], flat })
  }
  return out
}

function columnCorrelation(x: Column, y: Column): number {
  if (x.flat || y.flat) return x.flat && y.flat ? 1 : 0
  return x.unit[0] * y.unit[0] + x.unit[1] * y.unit[1] + x.unit[2] * y.unit[2] + x.unit[3] * y.unit[3]
}

function better(c: Similarity, best: Similarity): boolean {
  // Scores within rounding of each other are ties (a column correlation of exactly 1 may come out 1 − 1e-16).
  if (Math.abs(c.score - best.score) > 1e-12) return c.score > best.score
  if (c.overlap !== best.overlap) return c.overlap > best.overlap
  if (c.strand !== best.strand) return c.strand === '+'
  return Math.abs(c.offset) < Math.abs(best.offset)
}

function overlapOption(value: number | undefined, lengthA: number, lengthB: number): number {
  const shorter = Math.min(lengthA, lengthB)
  if (value === undefined) return Math.min(5, shorter)
  if (!Number.isInteger(value) || value < 1 || value > shorter) {
    throw badOption('minOverlap', `a whole number in 1 … ${shorter} (the shorter motif's length)`, value)
  }
  return value
}
