import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readTextLines } from '../../src/core/formats/bytes'
import {
  readDelimited,
  rowAsRecord,
  sniffDelimiter,
  type DelimitedOptions,
  type DelimitedRow,
} from '../../src/core/formats/csv'
import { InputError } from '../../src/shared/errors'

const fixtures = path.resolve(__dirname, '../fixtures/formats')
const sharedData = process.env.SEQLAB_SHARED_DATA ?? '/work/shared/data'

async function* chunked(bytes: Uint8Array, size = 64): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size)
}

async function readTable(source: AsyncIterable<Uint8Array>, options: DelimitedOptions = {}) {
  const table = await readDelimited(readTextLines(source, options), options)
  const rows: DelimitedRow[] = []
  for await (const row of table.rows) rows.push(row)
  return { delimiter: table.delimiter, header: table.header, rows }
}

const readText = (text: string, options: DelimitedOptions = {}, size?: number) =>
  readTable(chunked(new TextEncoder().encode(text), size), options)

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

/** An RFC 4180 writer, to round-trip awkward values. */
function toCsv(rows: string[][], delimiter: string): string {
  const quote = (value: string) =>
    /["\n\r]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value
  return rows.map((row) => row.map(quote).join(delimiter)).join('\r\n') + '\r\n'
}

describe('readDelimited', () => {
  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes', async () => {
    const { delimiter, header, rows } = await readText(
      fs.readFileSync(path.join(fixtures, 'samples.csv'), 'utf8'),
    )
    expect(delimiter).toBe(',')
    expect(header).toEqual(['sample', 'condition', 'note', 'value'])
    expect(rows.map((r) => [r.fields, r.line, r.row])).toEqual([
      [['S1', 'control', 'plain, with a comma', '1.5'], 2, 1],
      [['S2', 'treated', 'she said "bind"', '2'], 3, 2],
      [['S3', 'treated', 'two\nlines', '3e-2'], 4, 3],
      [['S4', 'control', '', ''], 6, 4],
    ])
    expect(rowAsRecord(header!, rows[1]!.fields)).toEqual({
      sample: 'S2',
      condition: 'treated',
      note: 'she said "bind"',
      value: '2',
    })
  })

  it('reads a real R write.csv file (quoted names, an empty first header cell)', async () => {
    const { header, rows } = await readTable(
      fs.createReadStream(path.join(fixtures, 'pbmc_small_metadata.csv')),
    )
    expect(header).toEqual([
      '',
      'orig.ident',
      'nCount_RNA',
      'nFeature_RNA',
      'RNA_snn_res.0.8',
      'letter.idents',
      'groups',
      'RNA_snn_res.1',
    ])
    expect(rows).toHaveLength(80)
    expect(rows[0]!.fields).toEqual(['ATGCCAGAACGACT', 'SeuratProject', '70', '47', '0', 'A', 'g2', '0'])
  })

  it('streams a gzip-compressed expression matrix with 161 columns in every row', async () => {
    const file = path.join(sharedData, 'expression/pbmc3k_160cells_lognorm.csv.gz')
    const { header, rows } = await readTable(fs.createReadStream(file))
    expect(header).toHaveLength(161)
    expect(header![1]).toBe('AAACATACAACCAC-1')
    const plainLines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n')
    expect(rows).toHaveLength(plainLines.length - 1)
    expect(rows.every((row) => row.fields.length === 161)).toBe(true)
    expect(rows[9]!.fields.join(',')).toBe(plainLines[10]!.replace(/"/g, ''))
  })

  it('sniffs tab, comma and semicolon from the header, ignoring quoted ones', async () => {
    expect(sniffDelimiter('gene\tcell,1\tcell,2')).toBe('\t')
    expect(sniffDelimiter('"a\tb",c')).toBe(',')
    expect(sniffDelimiter('sample;value;note')).toBe(';')
    expect(sniffDelimiter('single')).toBe(',')
    const tsv = await readText('gene\tA,1\tB\nMS4A1\t0\t2\n')
    expect(tsv).toMatchObject({ delimiter: '\t', header: ['gene', 'A,1', 'B'] })
    expect(tsv.rows[0]!.fields).toEqual(['MS4A1', '0', '2'])
    const forced = await readText('a,b\t1\n', { delimiter: ',' })
    expect(forced.header).toEqual(['a', 'b\t1'])
  })

  it('reads files without a header, CRLF, a BOM and blank lines', async () => {
    const { header, rows } = await readText('\uFEFFs1,1\r\n\r\ns2,2\r\n', { header: false })
    expect(header).toBeUndefined()
    expect(rows.map((r) => [r.fields, r.line])).toEqual([
      [['s1', '1'], 1],
      [['s2', '2'], 3],
    ])
  })

  it('round-trips awkward values whatever the chunking', async () => {
    const table = [
      ['id', 'text', 'empty'],
      ['1', 'a,b', ''],
      ['2', '"quoted"', ''],
      ['3', 'multi\nline\n\nvalue', 'x'],
      ['4', '', '"'],
    ]
    for (const delimiter of [',', '\t'] as const) {
      for (const size of [1, 3, 1000]) {
        const { header, rows } = await readText(toCsv(table, delimiter), {}, size)
        expect([header, ...rows.map((r) => r.fields)]).toEqual(table)
      }
    }
  })

  it('reports ragged rows with their line, and hints at R row names', async () => {
    const ragged = await failure(() => readText('a,b,c\n1,2,3\n"x\ny",2\n', { fileName: 't.csv' }))
    expect(ragged).toMatchObject({
      code: 'csv.ragged',
      file: 't.csv',
      line: 3,
      record: 2,
      expected: '3 fields',
      found: '2 fields',
    })
    expect(ragged.message).toBe('line 3: this row has 2 fields, the header has 3')
    const rowNames = await failure(() => readText('"A","B"\n"gene1",1,2\n'))
    expect(rowNames.message).toContain('row names without a header name')
  })

  it('reports quoting errors and empty files', async () => {
    const unclosed = await failure(() => readText('a,b\n1,"open\n2,3\n'))
    expect(unclosed).toMatchObject({ code: 'csv.unclosed_quote', line: 2 })
    const after = await failure(() => readText('a,b\n"x"y,2\n'))
    expect(after).toMatchObject({ code: 'csv.bad_quote', line: 2, found: "'y'" })
    expect(await failure(() => readText(''))).toMatchObject({ code: 'csv.empty' })
    expect(await failure(() => readText('\n\n'))).toMatchObject({ code: 'csv.empty' })
  })
})
