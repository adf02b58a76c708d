// The .npy reader and the JunD layout validator against numpy's own files and values
// (test/fixtures/npy, made by scripts/fixtures/make_npy_fixtures.py).
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  iterateNpyBatches,
  readNpyHeader,
  readNpyRows,
  validateJundArrays,
  type NpyData,
} from '../../src/core/formats/npy'
import { type RandomAccessSource } from '../../src/core/formats/bytes'
import { InputError } from '../../src/shared/errors'

const dir = path.join(__dirname, '..', 'fixtures', 'npy')

interface ExpectedArray {
  descr: string
  shape: number[]
  fortran_order: boolean
  version: [number, number]
  values?: (number | string)[]
}
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
  arrays: Record<string, ExpectedArray>
  errors: Record<string, string>
  jund: { codes: string[]; not_one_hot: { row: number; position: number } }
}

/** A buffer as a random-access source that records every read, as a file would be read. */
function bytesSource(bytes: Uint8Array): RandomAccessSource & { reads: [number, number][] } {
  const reads: [number, number][] = []
  return {
    size: bytes.length,
    reads,
    read: async (offset, length) => {
      reads.push([offset, length])
      return bytes.slice(offset, offset + length)
    },
  }
}
const fixture = (name: string) => bytesSource(new Uint8Array(fs.readFileSync(path.join(dir, name))))

/** Typed array values in the JSON fixture's terms: 64-bit integers as strings, non-finite floats by name. */
function plain(data: NpyData): (number | string)[] {
  return Array.from(data as ArrayLike<number | bigint | string>, (v) => {
    if (typeof v === 'bigint') return v.toString()
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'
    return v
  })
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(InputError)
  return err as InputError
}

/** An npy v1.0 file with the header literal written verbatim. */
function npyWithHeader(literal: string, data = new Uint8Array(0)): Uint8Array {
  const header = new TextEncoder().encode(literal + '\n')
  const out = new Uint8Array(10 + header.length + data.length)
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8])
  out.set(header, 10)
  out.set(data, 10 + header.length)
  return out
}

/** X rows as base letters, N for an all-zero position. */
function codesOf(data: NpyData, rows: number, length: number): string[] {
  const values = data as Float32Array | Uint8Array
  return Array.from({ length: rows }, (_, r) => {
    let s = ''
    for (let p = 0; p < length; p++) {
      const at = (r * length + p) * 4
      const hot = [0, 1, 2, 3].find((b) => values[at + b] === 1)
      s += hot === undefined ? 'N' : 'ACGT'[hot]
    }
    return s
  })
}

describe('readNpyHeader and readNpyRows', () => {
  const withValues = Object.entries(expected.arrays).filter(([, a]) => a.values)

  it.each(withValues)('%s reads as numpy wrote it', async (name, want) => {
    const source = fixture(name)
    const header = await readNpyHeader(source, { fileName: path.basename(name) })
    expect(header.dtype.descr).toBe(want.descr)
    expect(header.shape).toEqual(want.shape)
    expect(header.fortranOrder).toBe(want.fortran_order)
    expect(header.version).toEqual(want.version)
    // numpy pads the header so the data starts on a 64-byte boundary.
    expect(header.dataOffset % 64).toBe(0)
    const rows = await readNpyRows(source, { header, startRow: 0, rowCount: header.rows })
    expect(plain(rows.data)).toEqual(want.values)
    expect(rows.shape).toEqual(want.shape)
  })

  it('covers every supported dtype, both byte orders and all three header versions', () => {
    const descrs = new Set(withValues.map(([, a]) => a.descr))
    for (const d of ['|u1', '|b1', '<f4', '<f8', '<i4', '<i8', '>f4', '>f8', '>i4', '>i8', '<U13', '|S5']) {
      expect(descrs).toContain(d)
    }
    expect(new Set(withValues.map(([, a]) => a.version.join('.')))).toEqual(new Set(['1.0', '2.0', '3.0']))
  })

  it('reads a block of rows with one read of exactly its bytes', async () => {
    const source = fixture('jund/X_f4.npy')
    const header = await readNpyHeader(source)
    source.reads.length = 0
    const block = await readNpyRows(source, { header, startRow: 10, rowCount: 3 })
    const rowBytes = 101 * 4 * 4
    expect(source.reads).toEqual([[header.dataOffset + 10 * rowBytes, 3 * rowBytes]])
    expect(block.shape).toEqual([3, 101, 4])
    expect(block.data).toBeInstanceOf(Float32Array)
    expect(codesOf(block.data, 3, 101)).toEqual(expected.jund.codes.slice(10, 13))
  })

  it('streams batches that together are the whole array, in order', async () => {
    const source = fixture('jund/X_u1.npy')
    const sizes: number[] = []
    const starts: number[] = []
    const codes: string[] = []
    for await (const batch of iterateNpyBatches(source, 7)) {
      sizes.push(batch.shape[0]!)
      starts.push(batch.startRow)
      codes.push(...codesOf(batch.data, batch.shape[0]!, 101))
    }
    expect(sizes).toEqual([7, 7, 7, 7, 7, 7, 7, 1])
    expect(starts).toEqual([0, 7, 14, 21, 28, 35, 42, 49])
    expect(codes).toEqual(expected.jund.codes)
  })

  it('stops streaming when aborted', async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const run = async () => {
      for await (const batch of iterateNpyBatches(fixture('jund/X_u1.npy'), 10, {
        signal: controller.signal,
      })) {
        seen.push(batch.startRow)
        if (batch.startRow === 10) controller.abort()
      }
    }
    await expect(run()).rejects.toThrow()
    expect(seen).toEqual([0, 10])
  })

  it('rejects rows outside the array as a programming error, not an input error', async () => {
    const source = fixture('dtypes/u1.npy')
    await expect(readNpyRows(source, { startRow: 4, rowCount: 2 })).rejects.toBeInstanceOf(RangeError)
  })

  it('reads a 0-d array as one row of one element', async () => {
    const rows = await readNpyRows(fixture('dtypes/scalar.npy'), { startRow: 0, rowCount: 1 })
    expect(rows.shape).toEqual([])
    expect(Array.from(rows.data as Float64Array)).toEqual([3.5])
  })
})

describe('bad .npy files', () => {
  const npyErrors = Object.entries(expected.errors).filter(([name]) => name.endsWith('.npy'))

  it.each(npyErrors)('%s fails with %s, naming the file', async (name, code) => {
    const source = fixture(name)
    const file = path.basename(name)
    const err = await rejection(
      readNpyHeader(source, { fileName: file }).then((header) =>
        readNpyRows(source, { header, startRow: 0, rowCount: 1 }),
      ),
    )
    expect(err.code).toBe(code)
    expect(err.file).toBe(file)
    expect(err.message).toContain(file)
  })

  it('says how many bytes a truncated file has and needs', async () => {
    const err = await rejection(readNpyHeader(fixture('bad/truncated.npy'), { fileName: 'X.npy' }))
    // (10, 4) float32 after a 128-byte header is 288 bytes; the fixture lost 7.
    expect(err.expected).toBe('288 bytes')
    expect(err.found).toBe('281 bytes')
  })

  it('reads the header of a Fortran-order matrix but refuses its rows, with the shape', async () => {
    const source = fixture('bad/fortran.npy')
    const header = await readNpyHeader(source, { fileName: 'm.npy' })
    expect(header.fortranOrder).toBe(true)
    const err = await rejection(readNpyRows(source, { header, startRow: 0, rowCount: 1 }))
    expect(err.code).toBe('npy.fortran_order')
    expect(err.found).toContain('(2, 3)')
  })

  it('explains object arrays (pickles) instead of loading them', async () => {
    const err = await rejection(readNpyHeader(fixture('bad/object.npy'), { fileName: 'ids.npy' }))
    expect(err.found).toBe('|O')
    expect(err.message).toMatch(/pickle/)
  })

  it.each([
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", 'shape as a bare integer'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3.5), }", 'a float in the shape'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x", 'text after the dict'],
    ["{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 'a repeated key'],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", 'fortran_order not a bool'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", 'an unknown key'],
    ["{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}", 'an escape in a string'],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", 'an unclosed dict'],
    ["['descr', '<f4']", 'not a dict'],
  ])('rejects the header %s (%s)', async (literal) => {
    const err = await rejection(readNpyHeader(bytesSource(npyWithHeader(literal, new Uint8Array(64)))))
    expect(err.code).toBe('npy.bad_header')
  })

  it('accepts the literal forms numpy and Python allow', async () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer)
    const source = bytesSource(npyWithHeader('{"shape":(2,3),"fortran_order":False,"descr":"<f4"}   ', data))
    const rows = await readNpyRows(source, { startRow: 1, rowCount: 1 })
    expect(rows.shape).toEqual([1, 3])
    expect(Array.from(rows.data as Float32Array)).toEqual([4, 5, 6])
  })
})

describe('validateJundArrays', () => {
  const input = (name: string) => ({ file: path.basename(name), source: fixture(name) })

  it.each(['jund/X_u1.npy', 'jund/X_f4.npy'])('accepts the JunD layout with X from %s', async (x) => {
    const layout = await validateJundArrays({
      X: input(x),
      y: input('jund/y.npy'),
      w: input('jund/w.npy'),
      ids: input('jund/ids.npy'),
    })
    expect(layout.rows).toBe(50)
    expect(layout.length).toBe(101)
    expect(layout.headers.y.shape).toEqual([50, 1])
    expect(layout.checkedRows).toHaveLength(50)
  })

  it('samples rows evenly from the first to the last', async () => {
    const layout = await validateJundArrays(
      { X: input('jund/X_u1.npy'), y: input('jund/y.npy') },
      { sampleRows: 5 },
    )
    expect(layout.checkedRows).toEqual([0, 12, 25, 37, 49])
  })

  it('names both files and both shapes when the rows differ', async () => {
    const err = await rejection(validateJundArrays({ X: input('jund/X_u1.npy'), y: input('jund/y_49.npy') }))
    expect(err.code).toBe('npy.shape_mismatch')
    expect(err.message).toContain('y_49.npy has 49 rows but X_u1.npy has 50')
    expect(err.message).toContain('(49, 1)')
    expect(err.message).toContain('(50, 101, 4)')
    expect(err.file).toBe('y_49.npy')
  })

  it('rejects weights with two columns and labels given as X', async () => {
    const w2 = await rejection(
      validateJundArrays({ X: input('jund/X_u1.npy'), y: input('jund/y.npy'), w: input('jund/w_2d.npy') }),
    )
    expect(w2.code).toBe('npy.bad_shape')
    expect(w2.found).toBe('(50, 2)')
    const swapped = await rejection(validateJundArrays({ X: input('jund/y.npy'), y: input('jund/y.npy') }))
    expect(swapped.code).toBe('npy.bad_shape')
  })

  it('finds the row that is not one-hot', async () => {
    const err = await rejection(
      validateJundArrays({ X: input('jund/X_not_one_hot.npy'), y: input('jund/y.npy') }),
    )
    const { row, position } = expected.jund.not_one_hot
    expect(err.code).toBe('npy.not_one_hot')
    expect(err.record).toBe(row + 1)
    expect(err.params).toEqual({ position: position + 1 })
    expect(err.found).toBe('[1, 1, 0, 0]')
  })

  it('passes a bad row the sample does not reach (it is a sample, by design)', async () => {
    // Row 17 is not among rows 0, 49 of a 2-row sample.
    const layout = await validateJundArrays(
      { X: input('jund/X_not_one_hot.npy'), y: input('jund/y.npy') },
      { sampleRows: 2 },
    )
    expect(layout.checkedRows).toEqual([0, 49])
  })
})
