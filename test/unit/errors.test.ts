import { describe, expect, it } from 'vitest'
import { formatInputError, InputError, toErrorData } from '../../src/shared/errors'

describe('formatInputError', () => {
  it('puts the file and line in front of a message that does not name them', () => {
    const e = new InputError('fasta.bad_letter', "'J' is not a DNA letter", {
      file: 'reads.fa',
      line: 1204,
      expected: 'A, C, G, T or N',
      found: 'J',
    })
    expect(formatInputError(e.toJSON())).toBe(
      "reads.fa, line 1,204: 'J' is not a DNA letter (expected A, C, G, T or N, found J)",
    )
  })

  it('does not repeat a file or line the message already names', () => {
    const e = new InputError('bed.start_after_end', 'line 1: the start 500 is after the end 100', {
      file: 'peaks.bed',
      line: 1,
    })
    expect(formatInputError(e.toJSON())).toBe('peaks.bed: line 1: the start 500 is after the end 100')
    const named = new InputError('dataset.file_not_found', 'x.bed cannot be read', { file: 'x.bed' })
    expect(formatInputError(named.toJSON())).toBe('x.bed cannot be read')
    const grouped = new InputError('npy.not_one_hot', 'record 12,000 is not one-hot', { record: 12000 })
    expect(formatInputError(grouped.toJSON())).toBe('record 12,000 is not one-hot')
  })

  it('keeps bugs out of input errors', () => {
    expect(toErrorData(new TypeError('x is undefined'))).toEqual({
      kind: 'internal',
      message: 'x is undefined',
    })
    expect(toErrorData(new InputError('a.b', 'm'))).toMatchObject({ kind: 'input', code: 'a.b' })
  })
})
