/**
 * src/core/decomposition/pca: exact PCA against scikit-learn 1.2's PCA(svd_solver='full') fixtures
 * (scripts/fixtures/make_pca_fixtures.py): components with svd_flip's signs, variances, ratios, singular
 * values, means and scores, to 1e-6 relative; plus the eigensolver on a known matrix and the input errors.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { pca, symmetricEigen } from '../../src/core/decomposition'
import { InputError } from '../../src/shared/errors'

interface Case {
  name: string
  n: number
  d: number
  k: number
  X: number[]
  components: number[]
  explained_variance: number[]
  explained_variance_ratio: number[]
  singular_values: number[]
  mean: number[]
  scores: number[]
}

const fixture = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../fixtures/decomposition/pca.json'), 'utf8'),
) as { cases: Case[] }

function expectClose(actual: ArrayLike<number>, expected: number[], what: string, tolerance = 1e-6) {
  expect(actual.length, what).toBe(expected.length)
  const scale = Math.max(1, ...expected.map(Math.abs))
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!), `${what}[${i}]`).toBeLessThanOrEqual(tolerance * scale)
  }
}

describe('PCA against scikit-learn', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.n} × ${c.d}, k = ${c.k})`, () => {
      const r = pca(Float64Array.from(c.X), c.n, c.d, { components: c.k })
      expectClose(r.mean, c.mean, 'mean')
      expectClose(r.explainedVariance, c.explained_variance, 'explained variance')
      expectClose(r.explainedVarianceRatio, c.explained_variance_ratio, 'ratio')
      expectClose(r.singularValues, c.singular_values, 'singular values')
      expectClose(r.components, c.components, 'components')
      expectClose(r.scores, c.scores, 'scores')
    })
  }
})

describe('eigensolver and inputs', () => {
  it('diagonalises a known symmetric matrix', () => {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3.
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2)
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)])
    const dot = vectors[0]! * vectors[1]! + vectors[2]! * vectors[3]!
    expect(Math.abs(dot)).toBeLessThan(1e-12)
  })

  it('float32 input gives the same axes; bad shapes, k and values are InputErrors', () => {
    const c = fixture.cases[0]!
    const r = pca(Float32Array.from(c.X), c.n, c.d)
    expectClose(r.components, c.components, 'float32 components', 1e-5)
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return e instanceof InputError ? e.code : 'other'
      }
      return 'none'
    }
    expect(code(() => pca([1, 2, 3], 2, 2))).toBe('pca.bad_input')
    expect(code(() => pca([1, 2, 3, 4], 2, 2, { components: 3 }))).toBe('pca.bad_input')
    expect(code(() => pca([1, NaN, 3, 4], 2, 2))).toBe('pca.bad_value')
  })
})
