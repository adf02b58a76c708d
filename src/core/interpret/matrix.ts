/**
 * Position matrices as the interpretation functions exchange them: `[4][length]`, rows A, C, G, T, one value
 * per motif position, the layout of JASPAR's count matrices (`BaseRows` of src/core/formats/jaspar.ts). So a
 * matrix learned from a filter, a JASPAR matrix and a logo's input are the same shape, without conversion.
 * A count matrix (PFM) and a probability matrix (PWM, columns summing to 1) both fit; `toProbabilities`
 * turns the first into the second.
 */
import type { BaseRows } from '../formats/jaspar'
import { InputError } from '../../shared/errors'

export type { BaseRows }

export const BAD_MATRIX = 'interpret.bad_matrix'
export const BAD_OPTION = 'interpret.bad_option'

export function badOption(option: string, expected: string, found: unknown): InputError {
  return new InputError(BAD_OPTION, `The option ${option} must be ${expected}.`, {
    expected,
    found: String(found),
    params: { option },
  })
}

/** Four rows of equal length ≥ 1, finite values ≥ 0; returns the length. */
export function checkMatrix(matrix: BaseRows, argument = 'matrix'): number {
  const bad = (found: string) =>
    new InputError(BAD_MATRIX, `${argument} is not a position matrix of four rows A, C, G, T.`, {
      expected: 'four rows of equal length ≥ 1 with finite values ≥ 0',
      found,
      params: { argument },
    })
  if (!Array.isArray(matrix) || matrix.length !== 4)
    throw bad(`${Array.isArray(matrix) ? matrix.length : 0} rows`)
  const length = matrix[0]?.length ?? 0
  if (length === 0) throw bad('no columns')
  for (let b = 0; b < 4; b++) {
    const row = matrix[b]!
    if (row.length !== length) throw bad(`rows of ${matrix.map((r) => r.length).join(', ')} columns`)
    for (let p = 0; p < length; p++) {
      if (!(row[p]! >= 0) || !Number.isFinite(row[p]))
        throw bad(`${row[p]} in row ${'ACGT'[b]}, column ${p + 1}`)
    }
  }
  return length
}

/** Each column divided by its sum (plus a pseudocount shared equally); a column summing to 0 is uniform. */
export function toProbabilities(matrix: BaseRows, pseudocount = 0): BaseRows {
  const length = checkMatrix(matrix)
  const out: BaseRows = [[], [], [], []]
  for (let p = 0; p < length; p++) {
    const total = matrix[0][p]! + matrix[1][p]! + matrix[2][p]! + matrix[3][p]! + pseudocount
    for (let b = 0; b < 4; b++) out[b]!.push(total > 0 ? (matrix[b]![p]! + pseudocount / 4) / total : 0.25)
  }
  return out
}

/** The matrix of the other strand: columns reversed, A↔T and C↔G. */
export function reverseComplementMatrix(matrix: BaseRows): BaseRows {
  return [
    matrix[3].slice().reverse(),
    matrix[2].slice().reverse(),
    matrix[1].slice().reverse(),
    matrix[0].slice().reverse(),
  ]
}
