/**
 * DeepDRIM's neighbour images (Chen et al., "DeepDRIM: a deep neural network to reconstruct cell-type-
 * specific gene regulatory network using single-cell RNA-seq data", Brief. Bioinform. 2021), built as
 * DeepDRIM's own `generate_input_realdata.py` builds them (`get_top_cov_pairs` with `top_num = 10`,
 * `add_self_image = True`, `get_abs = False`): for a pair (a, b) the second branch sees 2n + 2 NEPDF images,
 * in this order:
 *
 *     (a, a), (b, b),                          the self images
 *     (a, j1) … (a, jn)                        j = the n genes of highest covariance with a, highest first
 *     (k1, b) … (kn, b)                        k = the n genes of highest covariance with b, highest first
 *
 * The primary image (a, b) is separate (`NepdfEncoder.image`). Images of near neighbours of a and b let the
 * network tell a direct edge a→b from an indirect a→c→b, where the pair image alone looks alike.
 *
 * Differences from DeepDRIM's code, on purpose:
 * - A gene is never its own neighbour. DeepDRIM ranks the full covariance row, diagonal included, so its
 *   top-1 for a is usually a itself (its variance), duplicating the self image; here the diagonal is skipped
 *   and the n neighbours are n other genes. The partner may still be a neighbour (b among a's), as there.
 * - Covariance is taken on log10(x + 0.01), the values the images show, by default; DeepDRIM's code takes
 *   `np.cov` of the matrix as loaded (`covarianceOf: 'stored'` does that). The scale (ddof) does not change
 *   the ranking.
 * - Ties (equal covariance) rank the lower gene number first; numpy's unstable argsort leaves them in any
 *   order.
 *
 * Cost: the covariance row of a gene is one pass over the matrix's non-zeros (the log transform is shifted
 * by +2 so zeros stay zero: covariance does not change under a shift), shared by blocks of 16 genes
 * (`prepare`), and only each gene's top-n is kept; top-n is a partial selection (a sorted buffer of n),
 * never a sort of all genes.
 */
import { InputError } from '../../shared/errors'
import { toGeneMajor, type ExpressionMatrix } from '../formats/expression'
import { CNNC_PSEUDOCOUNT, NEPDF_SIZE, NepdfEncoder } from './nepdf'

export interface NeighbourOptions {
  /** Neighbours per gene (DeepDRIM: 10). */
  n?: number
  /** `log10`: covariance of log10(x + 0.01) (default); `stored`: of the matrix's values, as DeepDRIM's code. */
  covarianceOf?: 'log10' | 'stored'
  /** An encoder of the same matrix, to share its cached bins with the primary images. */
  encoder?: NepdfEncoder
}

export class NeighbourImages {
  readonly n: number
  /** Images per pair: 2n + 2. */
  readonly count: number
  readonly encoder: NepdfEncoder
  private readonly matrix: ExpressionMatrix
  /** Per non-zero, the shifted value whose covariance is taken (zeros are 0). */
  private readonly shifted: Float64Array
  private readonly sums: Float64Array
  private readonly topCache = new Map<number, Int32Array>()

  constructor(matrix: ExpressionMatrix, options: NeighbourOptions = {}) {
    this.matrix = toGeneMajor(matrix)
    this.n = options.n ?? 10
    if (!Number.isInteger(this.n) || this.n < 1 || this.n > matrix.nGenes - 1) {
      throw new InputError(
        'grn.bad_neighbours',
        `Neighbour images need 1 … ${matrix.nGenes - 1} neighbours per gene`,
        {
          expected: `a whole number in 1 … ${matrix.nGenes - 1} (DeepDRIM uses 10)`,
          found: String(options.n),
        },
      )
    }
    this.count = 2 * this.n + 2
    this.encoder = options.encoder ?? new NepdfEncoder(this.matrix)
    const { data, indptr } = this.matrix
    const log = (options.covarianceOf ?? 'log10') === 'log10'
    const shift = -Math.log10(CNNC_PSEUDOCOUNT) // log10(0 + 0.01) + 2 = 0
    this.shifted = new Float64Array(data.length)
    for (let k = 0; k < data.length; k++)
      this.shifted[k] = log ? Math.log10(data[k]! + CNNC_PSEUDOCOUNT) + shift : data[k]!
    this.sums = new Float64Array(matrix.nGenes)
    for (let g = 0; g < matrix.nGenes; g++) {
      let sum = 0
      for (let k = indptr[g]!; k < indptr[g + 1]!; k++) sum += this.shifted[k]!
      this.sums[g] = sum
    }
  }

  /** Sample covariance (ddof 1, as np.cov) of `gene` with every gene. */
  covarianceRow(gene: number): Float64Array {
    return this.covarianceRows([gene])[0]!
  }

  /**
   * Covariance rows of several genes in one pass over the matrix: the genes' values are interleaved per cell
   * (cell-major block), so each non-zero of the matrix is read once per block of up to 16 genes, not per gene.
   */
  covarianceRows(genes: ArrayLike<number>): Float64Array[] {
    const { nGenes, nCells, indptr, indices } = this.matrix
    const rows: Float64Array[] = []
    for (let start = 0; start < genes.length; start += BLOCK) {
      const block = Array.from({ length: Math.min(BLOCK, genes.length - start) }, (_, q) => genes[start + q]!)
      const width = block.length
      for (const gene of block) this.checkGene(gene)
      const dense = new Float64Array(nCells * width)
      block.forEach((gene, q) => {
        for (let k = indptr[gene]!; k < indptr[gene + 1]!; k++)
          dense[indices[k]! * width + q] = this.shifted[k]!
      })
      const blockRows = block.map(() => new Float64Array(nGenes))
      const dots = new Float64Array(width)
      const denominator = Math.max(nCells - 1, 1)
      for (let j = 0; j < nGenes; j++) {
        dots.fill(0)
        for (let k = indptr[j]!; k < indptr[j + 1]!; k++) {
          const base = indices[k]! * width
          const v = this.shifted[k]!
          for (let q = 0; q < width; q++) dots[q]! += dense[base + q]! * v
        }
        // Σ (x − x̄)(y − ȳ) = Σ xy − N x̄ ȳ; the shifted values keep zeros at zero.
        const meanJ = this.sums[j]! / nCells
        for (let q = 0; q < width; q++) {
          blockRows[q]![j] = (dots[q]! - nCells * (this.sums[block[q]!]! / nCells) * meanJ) / denominator
        }
      }
      rows.push(...blockRows)
    }
    return rows
  }

  /** The n genes of highest covariance with `gene` (itself excluded), highest first; cached. */
  topCovariates(gene: number): Int32Array {
    const cached = this.topCache.get(gene)
    if (cached) return cached
    this.prepare([gene])
    return this.topCache.get(gene)!
  }

  /** Finds the neighbours of many genes at once (blocks of 16): call it with a batch's genes first. */
  prepare(genes: ArrayLike<number>): void {
    const missing = [...new Set(Array.from(genes))].filter((g) => !this.topCache.has(g))
    const rows = this.covarianceRows(missing)
    missing.forEach((gene, i) => this.topCache.set(gene, topN(rows[i]!, this.n, gene)))
  }

  /** The 2n + 2 (first, second) gene pairs of the neighbour images of (a, b), in DeepDRIM's order. */
  neighbourPairs(a: number, b: number): Int32Array {
    const pairs = new Int32Array(this.count * 2)
    pairs.set([a, a, b, b])
    const topA = this.topCovariates(a)
    const topB = this.topCovariates(b)
    for (let i = 0; i < this.n; i++) {
      pairs[4 + 2 * i] = a
      pairs[5 + 2 * i] = topA[i]!
      pairs[4 + 2 * (this.n + i)] = topB[i]!
      pairs[5 + 2 * (this.n + i)] = b
    }
    return pairs
  }

  /** The neighbour images of (a, b): [2n + 2, 32, 32], written to `out` at `offset` or a new array. */
  images(a: number, b: number, out?: Float32Array, offset = 0): Float32Array {
    const target = out ?? new Float32Array(this.count * NEPDF_SIZE)
    const pairs = this.neighbourPairs(a, b)
    for (let i = 0; i < this.count; i++)
      this.encoder.image(pairs[2 * i]!, pairs[2 * i + 1]!, target, offset + i * NEPDF_SIZE)
    return target
  }

  private checkGene(gene: number): void {
    const { nGenes } = this.matrix
    if (!Number.isInteger(gene) || gene < 0 || gene >= nGenes) {
      throw new InputError('grn.bad_gene', `Gene number ${gene} is outside 0 … ${nGenes - 1}`, {
        expected: `a gene number in 0 … ${nGenes - 1}`,
        found: String(gene),
      })
    }
  }
}

/** Genes whose covariance rows share one pass over the matrix. */
const BLOCK = 16

/**
 * Indices of the n largest values, largest first (ties: lower index first), skipping `exclude`: a sorted
 * buffer of n, so each value costs one comparison against the current n-th unless it enters.
 */
export function topN(values: Float64Array, n: number, exclude = -1): Int32Array {
  const best = new Int32Array(n).fill(-1)
  const bestValues = new Float64Array(n).fill(-Infinity)
  let filled = 0
  for (let j = 0; j < values.length; j++) {
    if (j === exclude) continue
    const v = values[j]!
    // Scanning j upwards, an equal value never displaces an earlier index: strictly greater only.
    if (filled === n && !(v > bestValues[n - 1]!)) continue
    let slot = filled < n ? filled++ : n - 1
    while (slot > 0 && v > bestValues[slot - 1]!) {
      bestValues[slot] = bestValues[slot - 1]!
      best[slot] = best[slot - 1]!
      slot--
    }
    bestValues[slot] = v
    best[slot] = j
  }
  return filled === n ? best : best.slice(0, filled)
}
