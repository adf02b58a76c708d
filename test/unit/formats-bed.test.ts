import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readBed, type BedOptions, type IntervalRecord } from '../../src/core/formats/bed'
import { readTextLines } from '../../src/core/formats/bytes'
import { InputError } from '../../src/shared/errors'

const fixtures = path.resolve(__dirname, '../fixtures/formats')

async function* chunked(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size)
}

async function readAll(bytes: Uint8Array, options: BedOptions = {}): Promise<IntervalRecord[]> {
  const records: IntervalRecord[] = []
  for await (const record of readBed(readTextLines(chunked(bytes), options), options)) records.push(record)
  return records
}

const readFixture = (name: string, options: BedOptions = {}) =>
  readAll(fs.readFileSync(path.join(fixtures, name)), { fileName: name, ...options })
const readText = (text: string, options: BedOptions = {}) => readAll(new TextEncoder().encode(text), options)

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('readBed', () => {
  it('reads BED6, skipping browser, track, comment and blank lines, keeping line numbers', async () => {
    expect(await readFixture('sites.bed')).toEqual([
      {
        format: 'bed',
        chrom: 'chr22',
        start: 20000100,
        end: 20000200,
        name: 'site1',
        score: 960,
        strand: '+',
        line: 4,
      },
      {
        format: 'bed',
        chrom: 'chr22',
        start: 20000500,
        end: 20000500,
        name: 'insertion',
        score: 0,
        strand: '.',
        line: 5,
      },
      {
        format: 'bed',
        chrom: 'chr22',
        start: 20001000,
        end: 20001101,
        name: 'site 3 (name with spaces)',
        score: 12.5,
        strand: '-',
        line: 7,
      },
    ])
  })

  it('splits lines without tabs on runs of spaces', async () => {
    const records = await readFixture('spaces.bed3')
    expect(records.map(({ chrom, start, end }) => [chrom, start, end])).toEqual([
      ['chr22', 100, 200],
      ['chr22', 300, 450],
      ['22', 0, 1],
    ])
  })

  it('reads BED12 blocks (UCSC trailing commas included)', async () => {
    const [gene, single] = await readFixture('blocks.bed12')
    expect(gene).toMatchObject({
      chrom: 'chr22',
      start: 1000,
      end: 5000,
      thickStart: 1200,
      thickEnd: 4800,
      itemRgb: '255,0,0',
      blockSizes: [500, 1000, 800],
      blockStarts: [0, 1500, 3200],
    })
    expect(single).toMatchObject({ strand: '-', blockSizes: [10], blockStarts: [0], line: 2 })
  })

  it('detects narrowPeak by its 10 columns and turns -1 into null', async () => {
    const peaks = await readFixture('peaks.narrowPeak')
    expect(peaks).toEqual([
      {
        format: 'narrowPeak',
        chrom: 'chr22',
        start: 20005000,
        end: 20005400,
        name: 'peak_1',
        score: 1000,
        strand: '.',
        signalValue: 25.31,
        pValue: 42.7,
        qValue: 39.1,
        peak: 182,
        line: 2,
      },
      expect.objectContaining({ name: 'peak_2', pValue: null, qValue: null, peak: null, signalValue: 7.5 }),
      expect.objectContaining({ name: 'peak_3', peak: 0, line: 4 }),
    ])
    await expect(readFixture('peaks.narrowPeak', { format: 'narrowPeak' })).resolves.toEqual(peaks)
  })

  it('honours an explicit format', async () => {
    const error = await failure(() => readFixture('sites.bed', { format: 'narrowPeak' }))
    expect(error).toMatchObject({ code: 'bed.bad_columns', line: 4, found: '6' })
    const bed = await failure(() => readFixture('peaks.narrowPeak', { format: 'bed' }))
    expect(bed).toMatchObject({ code: 'bed.bad_columns', line: 2 })
  })

  it('rejects the bad fixtures with the file, the line and what was found', async () => {
    const cases: Array<[string, string, number, string]> = [
      ['bad_start_after_end.bed', 'bed.start_after_end', 2, '500 > 400'],
      ['bad_two_columns.bed', 'bed.bad_columns', 2, '2 columns'],
      ['bad_letters.bed', 'bed.bad_number', 2, "'abc'"],
      ['bad_negative.bed', 'bed.bad_number', 2, "'-5'"],
    ]
    for (const [name, code, line, found] of cases) {
      const error = await failure(() => readFixture(name))
      expect(error).toMatchObject({ code, line, found, file: name })
    }
    const error = await failure(() => readFixture('bad_start_after_end.bed'))
    expect(error.message).toBe('line 2: the start 500 is after the end 400')
  })

  it('rejects layouts BED does not have, bad strands, bad scores and inconsistent blocks', async () => {
    expect(await failure(() => readText('chr1\t1\n'))).toMatchObject({ code: 'bed.bad_columns', line: 1 })
    expect(await failure(() => readText('chr1\t1\t2\ta\t0\t+\t1\n'))).toMatchObject({
      code: 'bed.bad_columns',
    })
    expect(await failure(() => readText('chr1\t1\t2\ta\t0\tplus\n'))).toMatchObject({
      code: 'bed.bad_strand',
      found: "'plus'",
    })
    expect(await failure(() => readText('chr1\t1\t2\ta\t0x10\t+\n'))).toMatchObject({
      code: 'bed.bad_number',
    })
    expect(await failure(() => readText('chr1\t1.5\t2\n'))).toMatchObject({ code: 'bed.bad_number' })
    const blocks = 'chr1\t0\t100\tg\t0\t+\t0\t100\t0\t2\t10,10\t0,80\n'
    expect(await failure(() => readText(blocks))).toMatchObject({ code: 'bed.bad_blocks' })
    const count = 'chr1\t0\t100\tg\t0\t+\t0\t100\t0\t3\t10,90\t0,10\n'
    expect(await failure(() => readText(count))).toMatchObject({
      code: 'bed.bad_blocks',
      found: '2 sizes, 2 starts',
    })
    const summit = 'chr1\t100\t200\tp\t0\t.\t1\t1\t1\t100\n'
    expect(await failure(() => readText(summit))).toMatchObject({ code: 'bed.peak_outside' })
  })

  it('hints at an unmarked header line', async () => {
    const error = await failure(() => readText('chrom\tstart\tend\nchr1\t1\t2\n'))
    expect(error.code).toBe('bed.bad_number')
    expect(error.message).toContain("a header line? start it with '#'")
  })

  it('reads CRLF and byte-order-mark files as the original', async () => {
    const original = fs.readFileSync(path.join(fixtures, 'sites.bed'), 'utf8')
    const expected = await readText(original)
    expect(await readText('\uFEFF' + original.replace(/\n/g, '\r\n'))).toEqual(expected)
  })
})
