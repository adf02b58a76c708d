/**
 * Exact principal component analysis, as scikit-learn 1.2's `PCA(svd_solver='full')`: the embedding scatter
 * view's projection (issue 7: up to 60,000 proteins × 1,280-dimensional embeddings).
 *
 * Method: the covariance matrix C = Xcᵀ Xc / (n − 1) of the column-centred data, accumulated in float64
 * (upper triangle, four rows at a time), then its full symmetric eigendecomposition by Householder
 * tridiagonalisation and the implicit QL algorithm (EISPACK's tred2/tql2, as JAMA). The eigenvectors of C
 * are the right singular vectors of Xc and its eigenvalues λ = s² / (n − 1), so this is the SVD that sklearn
 * takes, without ever holding an n × d matrix of float64. Exactness: the same subspace and values as a full
 * SVD up to rounding (C squares the condition number, so relative error ~1e-13 on the leading components,
 * not on variances 10^8 times smaller; a 2-D scatter needs the leading ones).
 *
 * Signs follow sklearn's `svd_flip(u, v)` (u-based, the default in 1.2): each component is oriented so that
 * the score of largest magnitude (the largest |U[:, k]| entry) is positive. Costs: n·d²/2 multiply-adds for
 * C (60,000 × 1,280: ~5·10^10, tens of seconds in JS), ~d³ for the eigenproblem, n·d·k for the scores.
 */
import { InputError } from '../../shared/errors'

export interface PcaOptions {
  /** Components to keep (1 … min(n, d)); default 2. */
  components?: number
  /** Cancel between row blocks. */
  signal?: AbortSignal
  onProgress?: (done: number, total: number, phase: string) => void
}

export interface PcaResult {
  /** [k, d] row-major: the principal axes (sklearn `components_`). */
  components: Float64Array
  /** [k]: variance along each axis (`explained_variance_`, ddof 1). */
  explainedVariance: Float64Array
  /** [k]: its share of the total variance (`explained_variance_ratio_`). */
  explainedVarianceRatio: Float64Array
  /** [k]: `singular_values_` = sqrt(explainedVariance · (n − 1)). */
  singularValues: Float64Array
  /** [d]: the column means subtracted (`mean_`). */
  mean: Float64Array
  /** [n, k] row-major: the data projected (`fit_transform`). */
  scores: Float64Array
  n: number
  d: number
  k: number
}

function bad(message: string, expected: string, found: string): InputError {
  return new InputError('pca.bad_input', message, { expected, found })
}

/** PCA of the [n, d] row-major matrix `x` (float32 or float64), as sklearn `PCA(k, svd_solver='full')`. */
export function pca(x: ArrayLike<number>, n: number, d: number, options: PcaOptions = {}): PcaResult {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 2 || d < 1 || x.length !== n * d) {
    throw bad(
      'PCA needs an n × d matrix with at least 2 rows.',
      'n ≥ 2 rows, d ≥ 1 columns, n·d values',
      `${n} × ${d}, ${x.length} values`,
    )
  }
  const k = options.components ?? 2
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, d)) {
    throw bad(
      'The number of components must be from 1 to min(rows, columns).',
      `1 … ${Math.min(n, d)}`,
      String(k),
    )
  }
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) {
    const row = i * d
    for (let j = 0; j < d; j++) {
      const v = x[row + j]!
      if (!Number.isFinite(v)) {
        throw new InputError('pca.bad_value', 'The matrix holds a value that is not a finite number.', {
          record: i + 1,
          expected: 'finite numbers',
          found: String(v),
          params: { column: j + 1 },
        })
      }
      mean[j] = mean[j]! + v
    }
  }
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n

  // Upper triangle of Xcᵀ Xc, four centred rows at a time (one load of C per four multiply-adds).
  const cov = new Float64Array(d * d)
  const r0 = new Float64Array(d)
  const r1 = new Float64Array(d)
  const r2 = new Float64Array(d)
  const r3 = new Float64Array(d)
  const rows = [r0, r1, r2, r3]
  for (let i = 0; i < n; i += 4) {
    if ((i & 1023) === 0) {
      options.signal?.throwIfAborted()
      options.onProgress?.(i, n, 'covariance')
    }
    const m = Math.min(4, n - i)
    for (let r = 0; r < 4; r++) {
      const target = rows[r]!
      if (r < m) for (let j = 0; j < d; j++) target[j] = x[(i + r) * d + j]! - mean[j]!
      else target.fill(0)
    }
    for (let a = 0; a < d; a++) {
      const a0 = r0[a]!
      const a1 = r1[a]!
      const a2 = r2[a]!
      const a3 = r3[a]!
      const base = a * d
      for (let b = a; b < d; b++)
        cov[base + b] = cov[base + b]! + a0 * r0[b]! + a1 * r1[b]! + a2 * r2[b]! + a3 * r3[b]!
    }
  }
  let total = 0
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b]! / (n - 1)
      cov[a * d + b] = v
      cov[b * d + a] = v
    }
    total += cov[a * d + a]!
  }
  options.onProgress?.(n, n, 'covariance')
  const { values, vectors } = symmetricEigen(cov, d)
  // Largest first.
  const order = Array.from({ length: d }, (_, i) => i).sort((p, q) => values[q]! - values[p]!)
  const components = new Float64Array(k * d)
  const explainedVariance = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    const col = order[c]!
    explainedVariance[c] = Math.max(0, values[col]!)
    for (let j = 0; j < d; j++) components[c * d + j] = vectors[j * d + col]!
  }
  const scores = new Float64Array(n * k)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let j = 0; j < d; j++) s += (x[i * d + j]! - mean[j]!) * components[c * d + j]!
      scores[i * k + c] = s
    }
  }
  // svd_flip, u-based: the largest |score| of each component is positive.
  for (let c = 0; c < k; c++) {
    let best = 0
    for (let i = 1; i < n; i++) if (Math.abs(scores[i * k + c]!) > Math.abs(scores[best * k + c]!)) best = i
    if (scores[best * k + c]! < 0) {
      for (let j = 0; j < d; j++) components[c * d + j] = -components[c * d + j]!
      for (let i = 0; i < n; i++) scores[i * k + c] = -scores[i * k + c]!
    }
  }
  return {
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    singularValues: explainedVariance.map((v) => Math.sqrt(v * (n - 1))),
    mean,
    scores,
    n,
    d,
    k,
  }
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, [d, d] row-major) of a symmetric matrix: Householder
 * reduction to tridiagonal form and the implicit QL method (EISPACK tred2 / tql2, via JAMA).
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const V = Float64Array.from(matrix)
  const dd = new Float64Array(n)
  const e = new Float64Array(n)
  const at = (i: number, j: number) => V[i * n + j]!
  const set = (i: number, j: number, v: number) => {
    V[i * n + j] = v
  }
  // tred2
  for (let j = 0; j < n; j++) dd[j] = at(n - 1, j)
  for (let i = n - 1; i > 0; i--) {
    let scale = 0
    let h = 0
    for (let k = 0; k < i; k++) scale += Math.abs(dd[k]!)
    if (scale === 0) {
      e[i] = dd[i - 1]!
      for (let j = 0; j < i; j++) {
        dd[j] = at(i - 1, j)
        set(i, j, 0)
        set(j, i, 0)
      }
    } else {
      for (let k = 0; k < i; k++) {
        dd[k] = dd[k]! / scale
        h += dd[k]! * dd[k]!
      }
      let f = dd[i - 1]!
      let g = Math.sqrt(h)
      if (f > 0) g = -g
      e[i] = scale * g
      h -= f * g
      dd[i - 1] = f - g
      for (let j = 0; j < i; j++) e[j] = 0
      for (let j = 0; j < i; j++) {
        f = dd[j]!
        set(j, i, f)
        g = e[j]! + at(j, j) * f
        for (let k = j + 1; k <= i - 1; k++) {
          g += at(k, j) * dd[k]!
          e[k] = e[k]! + at(k, j) * f
        }
        e[j] = g
      }
      f = 0
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h
        f += e[j]! * dd[j]!
      }
      const hh = f / (h + h)
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * dd[j]!
      for (let j = 0; j < i; j++) {
        f = dd[j]!
        g = e[j]!
        for (let k = j; k <= i - 1; k++) set(k, j, at(k, j) - (f * e[k]! + g * dd[k]!))
        dd[j] = at(i - 1, j)
        set(i, j, 0)
      }
    }
    dd[i] = h
  }
  for (let i = 0; i < n - 1; i++) {
    set(n - 1, i, at(i, i))
    set(i, i, 1)
    const h = dd[i + 1]!
    if (h !== 0) {
      for (let k = 0; k <= i; k++) dd[k] = at(k, i + 1) / h
      for (let j = 0; j <= i; j++) {
        let g = 0
        for (let k = 0; k <= i; k++) g += at(k, i + 1) * at(k, j)
        for (let k = 0; k <= i; k++) set(k, j, at(k, j) - g * dd[k]!)
      }
    }
    for (let k = 0; k <= i; k++) set(k, i + 1, 0)
  }
  for (let j = 0; j < n; j++) {
    dd[j] = at(n - 1, j)
    set(n - 1, j, 0)
  }
  set(n - 1, n - 1, 1)
  e[0] = 0
  // tql2
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!
  e[n - 1] = 0
  let f = 0
  let tst1 = 0
  const eps = Math.pow(2, -52)
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(dd[l]!) + Math.abs(e[l]!))
    let m = l
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break
      m++
    }
    if (m > l) {
      do {
        let g = dd[l]!
        let p = (dd[l + 1]! - g) / (2 * e[l]!)
        let r = Math.hypot(p, 1)
        if (p < 0) r = -r
        dd[l] = e[l]! / (p + r)
        dd[l + 1] = e[l]! * (p + r)
        const dl1 = dd[l + 1]!
        let h = g - dd[l]!
        for (let i = l + 2; i < n; i++) dd[i] = dd[i]! - h
        f += h
        p = dd[m]!
        let c = 1
        let c2 = c
        let c3 = c
        const el1 = e[l + 1]!
        let s = 0
        let s2 = 0
        for (let i = m - 1; i >= l; i--) {
          c3 = c2
          c2 = c
          s2 = s
          g = c * e[i]!
          h = c * p
          r = Math.hypot(p, e[i]!)
          e[i + 1] = s * r
          s = e[i]! / r
          c = p / r
          p = c * dd[i]! - s * g
          dd[i + 1] = h + s * (c * g + s * dd[i]!)
          for (let k = 0; k < n; k++) {
            h = at(k, i + 1)
            set(k, i + 1, s * at(k, i) + c * h)
            set(k, i, c * at(k, i) - s * h)
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1
        e[l] = s * p
        dd[l] = c * p
      } while (Math.abs(e[l]!) > eps * tst1)
    }
    dd[l] = dd[l]! + f
    e[l] = 0
  }
  return { values: dd, vectors: V }
}
