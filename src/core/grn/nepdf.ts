/**
 * NEPDF images (normalised empirical probability density functions) of gene pairs, exactly as CNNC builds
 * them (Yuan & Bar-Joseph, "Deep learning for inferring gene relationships from single-cell expression
 * data", PNAS 2019; `get_xy_label_data_cnn_combine_from_database.py`):
 *
 *     x_a = log10(expression_a + 0.01), x_b likewise        (per gene, over all cells)
 *     H   = numpy.histogram2d(x_a, x_b, bins=32)[0].T       (each gene's own [min, max] range)
 *     img = (log10(H / N + 1e-4) + 4) / 4
 *
 * with one deliberate change: N is the number of cells of the matrix at hand, where CNNC's script hard-codes
 * 43,261 (the cells of its mouse atlas; DeepDRIM's code already uses `len(x_tf)`).
 *
 * numpy's edge semantics, reproduced exactly: a gene's 33 edges are `linspace(min, max, 33)` (edge k =
 * k · step + min, the last set to max); a value goes to bin `searchsorted(edges, x, 'right') − 1`, and a value
 * equal to the last edge goes to the last bin (the last bin is closed); a gene with min = max gets the range
 * [min − 0.5, max + 0.5]. After the transpose, row r of the image is gene b's bin r and column c gene a's
 * bin c: `image[r * 32 + c]`, shape [32, 32] row-major.
 *
 * Speed: numpy's histogram2d re-derives edges and searches them for every pair. Here each gene's bin per
 * cell is found once (a `Uint8Array` per gene, cached), so a pair is one pass over the cells incrementing
 * `counts[bin_b * 32 + bin_a]` (numpy's bincount formulation), then a 1,024-entry lookup of the normalised
 * value of each count, precomputed for 0 … N. Memory: one byte per cell per gene that has been used.
 */
import { InputError } from '../../shared/errors'
import { toGeneMajor, type ExpressionMatrix } from '../formats/expression'

/** Bins per axis, as CNNC. */
export const NEPDF_BINS = 32
/** Values per image: 32 × 32. */
export const NEPDF_SIZE = NEPDF_BINS * NEPDF_BINS
/** CNNC's pseudocount inside log10(x + 0.01). */
export const CNNC_PSEUDOCOUNT = 0.01

/** CNNC's per-value transform: log10(x + 0.01); zeros become −2. */
export function cnncLog(value: number): number {
  return Math.log10(value + CNNC_PSEUDOCOUNT)
}

/**
 * numpy's `linspace(lo, hi, bins + 1)` edges of one gene's values, with histogram's widening of an empty range.
 */
export function histogramEdges(min: number, max: number, bins = NEPDF_BINS): Float64Array {
  let lo = min
  let hi = max
  if (lo === hi) {
    lo -= 0.5
    hi += 0.5
  }
  const edges = new Float64Array(bins + 1)
  const step = (hi - lo) / bins
  for (let k = 0; k < bins; k++) edges[k] = k * step + lo
  edges[bins] = hi
  return edges
}

/**
 * Bin of each value as numpy's histogramdd assigns it: searchsorted(edges, x, 'right') − 1, the last edge
 * included in the last bin. Every value lies within [edges[0], edges[bins]] (the edges come from the values).
 */
export function binIndices(values: Float64Array, edges: Float64Array, out?: Uint8Array): Uint8Array {
  const bins = edges.length - 1
  const result = out ?? new Uint8Array(values.length)
  const last = edges[bins]!
  const lo = edges[0]!
  const width = (last - lo) / bins
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!
    if (x === last) {
      result[i] = bins - 1
      continue
    }
    // A guess from the arithmetic, then corrected against the actual edges (rounding can put it one off).
    let b = Math.floor((x - lo) / width)
    if (b < 0) b = 0
    else if (b > bins - 1) b = bins - 1
    while (b > 0 && x < edges[b]!) b--
    while (b < bins - 1 && x >= edges[b + 1]!) b++
    result[i] = b
  }
  return result
}

export interface NepdfOptions {
  /** Cells per image's normaliser N; defaults to the matrix's number of cells (CNNC: 43,261). */
  normalizer?: number
}

/**
 * Builds NEPDF images of gene pairs of one matrix. Bins are computed per gene on first use and kept, so a TF
 * paired with hundreds of targets is binned once.
 */
export class NepdfEncoder {
  readonly nGenes: number
  readonly nCells: number
  private readonly matrix: ExpressionMatrix
  private readonly binCache: (Uint8Array | undefined)[]
  private readonly valueOfCount: Float32Array
  private readonly counts = new Int32Array(NEPDF_SIZE)
  private readonly scratch: Float64Array

  constructor(matrix: ExpressionMatrix, options: NepdfOptions = {}) {
    this.matrix = toGeneMajor(matrix)
    this.nGenes = matrix.nGenes
    this.nCells = matrix.nCells
    if (this.nCells === 0) {
      throw new InputError('grn.no_cells', 'The expression matrix has no cells', {
        expected: 'at least one cell',
        found: '0 cells',
      })
    }
    this.binCache = new Array(this.nGenes)
    this.scratch = new Float64Array(this.nCells)
    const n = options.normalizer ?? this.nCells
    // A count can be at most the number of cells; every possible count's value is computed once.
    this.valueOfCount = new Float32Array(this.nCells + 1)
    for (let c = 0; c <= this.nCells; c++) this.valueOfCount[c] = (Math.log10(c / n + 1e-4) + 4) / 4
  }

  /** log10(x + 0.01) of one gene over all cells (zeros included), in float64 as numpy computes it. */
  logValues(gene: number, out?: Float64Array): Float64Array {
    this.checkGene(gene)
    const values = out ?? new Float64Array(this.nCells)
    values.fill(Math.log10(CNNC_PSEUDOCOUNT))
    const { indptr, indices, data } = this.matrix
    for (let k = indptr[gene]!; k < indptr[gene + 1]!; k++) values[indices[k]!] = cnncLog(data[k]!)
    return values
  }

  /** The gene's histogram bin (0 … 31) in every cell, computed once and cached. */
  bins(gene: number): Uint8Array {
    const cached = this.binCache[gene]
    if (cached) return cached
    const values = this.logValues(gene, this.scratch)
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!
      if (x < min) min = x
      if (x > max) max = x
    }
    const bins = binIndices(values, histogramEdges(min, max))
    this.binCache[gene] = bins
    return bins
  }

  /** The raw counts H.T of the pair (row = b's bin, column = a's bin), as numpy's histogram2d(...)[0].T. */
  counts2d(a: number, b: number, out?: Int32Array): Int32Array {
    const binsA = this.bins(a)
    const binsB = this.bins(b)
    const counts = out ?? new Int32Array(NEPDF_SIZE)
    counts.fill(0)
    for (let c = 0; c < binsA.length; c++) counts[(binsB[c]! << 5) | binsA[c]!]!++
    return counts
  }

  /**
   * The NEPDF image of (a, b), [32, 32] row-major, written to `out` at `offset` (a batch buffer) or to a new
   * array.
   */
  image(a: number, b: number, out?: Float32Array, offset = 0): Float32Array {
    const target = out ?? new Float32Array(NEPDF_SIZE)
    const counts = this.counts2d(a, b, this.counts)
    const table = this.valueOfCount
    for (let i = 0; i < NEPDF_SIZE; i++) target[offset + i] = table[counts[i]!]!
    return target
  }

  /** Images of many pairs, [n, 32, 32] in one buffer; `signal` and `onProgress` every 1,000 pairs. */
  images(
    a: ArrayLike<number>,
    b: ArrayLike<number>,
    options: {
      out?: Float32Array
      signal?: AbortSignal
      onProgress?: (done: number, total: number, phase: string) => void
    } = {},
  ): Float32Array {
    if (a.length !== b.length) throw new Error(`images: ${a.length} first genes but ${b.length} second genes`)
    const out = options.out ?? new Float32Array(a.length * NEPDF_SIZE)
    for (let p = 0; p < a.length; p++) {
      if (p % 1000 === 0 && p > 0) {
        options.signal?.throwIfAborted()
        options.onProgress?.(p, a.length, 'nepdf')
      }
      this.image(a[p]!, b[p]!, out, p * NEPDF_SIZE)
    }
    options.onProgress?.(a.length, a.length, 'nepdf')
    return out
  }

  private checkGene(gene: number): void {
    if (!Number.isInteger(gene) || gene < 0 || gene >= this.nGenes) {
      throw new InputError('grn.bad_gene', `Gene number ${gene} is outside 0 … ${this.nGenes - 1}`, {
        expected: `a gene number in 0 … ${this.nGenes - 1}`,
        found: String(gene),
      })
    }
  }
}
