import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readTextLines, type RandomAccessSource } from '../../src/core/formats/bytes'
import {
  findFaiEntry,
  formatFastaIndex,
  indexFasta,
  readFastaIndex,
  readFastaRegion,
  type FaiEntry,
} from '../../src/core/formats/fai'
import { readFasta, type FastaOptions, type FastaRecord } from '../../src/core/formats/fasta'
import { canonicalChrom, parseRegionName, sameChromosome } from '../../src/core/formats/regions'
import { InputError } from '../../src/shared/errors'
import { seededFloats as seededRandom } from '../support/random'

const fixtures = path.resolve(__dirname, '../fixtures/formats')
const sharedData = process.env.SEQLAB_SHARED_DATA ?? '/work/shared/data'
const chr22Path = path.join(sharedData, 'genome/22_20-21M.fa')

async function* chunked(bytes: Uint8Array, sizes: number[] = [65536]): AsyncGenerator<Uint8Array> {
  let offset = 0
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    yield bytes.subarray(offset, offset + size)
    offset += size
  }
}

async function readAll(
  source: AsyncIterable<Uint8Array>,
  options: FastaOptions = {},
): Promise<FastaRecord[]> {
  const records: FastaRecord[] = []
  for await (const record of readFasta(readTextLines(source, options), options)) records.push(record)
  return records
}

const parseText = (text: string, options: FastaOptions = {}, sizes?: number[]) =>
  readAll(chunked(new TextEncoder().encode(text), sizes), options)

const fixtureFile = (name: string) => fs.readFileSync(path.join(fixtures, name))

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

function bufferSource(bytes: Uint8Array, reads: Array<[number, number]> = []): RandomAccessSource {
  return {
    size: bytes.length,
    read: async (offset, length) => {
      reads.push([offset, length])
      return bytes.slice(offset, Math.min(offset + length, bytes.length))
    },
  }
}

/** Random FASTA records written with a fixed line width per record and either line ending. */
function randomFasta(random: () => number, recordCount: number) {
  const letters = 'ACGTNacgtn'
  const records: Array<{ id: string; sequence: string }> = []
  let text = ''
  for (let r = 0; r < recordCount; r++) {
    const length = Math.floor(random() * 500)
    let sequence = ''
    for (let i = 0; i < length; i++) sequence += letters[Math.floor(random() * letters.length)]
    const id = `seq${r}`
    const width = 1 + Math.floor(random() * 80)
    const newline = random() < 0.5 ? '\n' : '\r\n'
    text += `>${id} random record${newline}`
    for (let i = 0; i < sequence.length; i += width) text += sequence.slice(i, i + width) + newline
    records.push({ id, sequence })
  }
  return { records, text }
}

/** An independent `.fai` of well-formed FASTA text, computed line by line. */
function naiveFai(text: string): FaiEntry[] {
  const entries: FaiEntry[] = []
  let offset = 0
  for (const rawLine of text.split(/(?<=\n)/)) {
    const bases = rawLine.replace(/\r?\n$/, '').length
    if (rawLine.startsWith('>')) {
      entries.push({
        name: rawLine.slice(1).split(/\s/)[0]!,
        length: 0,
        offset: offset + rawLine.length,
        lineBases: 0,
        lineWidth: 0,
      })
    } else {
      const entry = entries[entries.length - 1]!
      if (entry.lineBases === 0) Object.assign(entry, { lineBases: bases, lineWidth: rawLine.length })
      entry.length += bases
    }
    offset += rawLine.length
  }
  return entries
}

describe('readFasta on real files', () => {
  it('streams the 1-Mb chr22 piece from a file stream: one record, 1,000,000 bases, its N count', async () => {
    const records = await readAll(fs.createReadStream(chr22Path, { highWaterMark: 64 * 1024 }), {
      alphabet: 'dna',
      fileName: '22_20-21M.fa',
    })
    expect(records).toHaveLength(1)
    const [chr22] = records as [FastaRecord]
    expect(chr22.id).toBe('22:20000001-21000000')
    expect(chr22.description).toBe('')
    expect(chr22.line).toBe(1)
    expect(chr22.sequence.length).toBe(1_000_000)
    expect(chr22.sequence.startsWith('TGGGAAGGTGGGGAGGTGCTCACC')).toBe(true)
    // Independent count: every N byte of the file outside the header line.
    const raw = fs.readFileSync(chr22Path, 'latin1')
    const body = raw.slice(raw.indexOf('\n'))
    let expectedN = 0
    for (let i = 0; i < body.length; i++) if (body[i] === 'N') expectedN++
    expect(chr22.sequence.split('N').length - 1).toBe(expectedN)
    expect(expectedN).toBeGreaterThan(0)
    expect(parseRegionName(chr22.id)).toEqual({ chrom: '22', start: 20_000_000, end: 21_000_000 })
  })

  it('detects gzip by its bytes: lambda_virus.fa.gz', async () => {
    const gz = fixtureFile('lambda_virus.fa.gz')
    const [lambda, ...rest] = await readAll(chunked(gz, [4096]), { alphabet: 'dna' })
    expect(rest).toHaveLength(0)
    expect(lambda!.id).toBe('gi|9626243|ref|NC_001416.1|')
    expect(lambda!.description).toBe('Enterobacteria phage lambda, complete genome')
    const plain = zlib.gunzipSync(gz).toString('latin1')
    expect(lambda!.sequence).toBe(plain.slice(plain.indexOf('\n') + 1).replace(/\n/g, ''))
    expect(lambda!.sequence.length).toBe(48_502)
  })

  it('reads binding-site files: bare headers, single-line records, descriptions', async () => {
    const hnf4 = await readAll(chunked(fixtureFile('HNF4alpha_71_sites.fasta'), [100]), { alphabet: 'dna' })
    expect(hnf4).toHaveLength(71)
    expect(hnf4.every((r) => r.id === '' && r.sequence.length === 13)).toBe(true)
    expect(hnf4[0]!.sequence).toBe('AGTTCAAGGATCA')
    expect(hnf4.map((r) => r.record)).toEqual(Array.from({ length: 71 }, (_, i) => i + 1))
    expect(hnf4[1]!.line).toBe(3)

    const crp = await readAll(chunked(fixtureFile('crp0.s')), { alphabet: 'dna' })
    expect(crp).toHaveLength(18)
    expect(crp[0]).toMatchObject({ id: 'ce1cg', description: '17 61', line: 1 })
    expect(crp[0]!.sequence.startsWith('TAATGTTTGTGCTGGTTTTTGTGG')).toBe(true)
    expect(crp[0]!.sequence.endsWith('AAATGGAAGTCCACAGTCTTGACAG')).toBe(true)

    const tinman = await readAll(fs.createReadStream(path.join(sharedData, 'tfbs/tinman-early-top20.fa')), {
      alphabet: 'dna',
    })
    expect(tinman).toHaveLength(20)
    expect(tinman[0]!.id).toBe('tinman-early_885')
    expect(tinman[0]!.sequence.length).toBe(3157)
  })

  it('reads proteins, and a DNA alphabet rejects them at the first protein-only letter', async () => {
    const globins = await readAll(chunked(fixtureFile('globins45.fa')), { alphabet: 'protein' })
    expect(globins).toHaveLength(45)
    expect(globins[0]).toMatchObject({ id: 'MYG_ESCGI', description: '' })
    expect(globins[0]!.sequence.startsWith('VLSDAEWQLVLNIWAKVEAD')).toBe(true)
    expect(globins[0]!.sequence.endsWith('FQG')).toBe(true)
    expect(globins[0]!.sequence).toHaveLength(153)

    const error = await failure(() =>
      readAll(chunked(fixtureFile('globins45.fa')), { alphabet: 'dna', fileName: 'globins45.fa' }),
    )
    // 'V' is an IUPAC code, refused by default; the first letter of line 2.
    expect(error).toMatchObject({
      code: 'fasta.bad_letter',
      file: 'globins45.fa',
      line: 2,
      record: 1,
      found: "'V'",
    })
    expect(error.message).toBe("line 2, column 1: 'V' is not a DNA letter")
    const asN = await failure(() =>
      readAll(chunked(fixtureFile('globins45.fa')), { alphabet: 'dna', ambiguity: 'asN' }),
    )
    expect(asN).toMatchObject({ line: 2, found: "'L'", params: { column: 2, letter: 'L' } })
  })

  it('reads CRLF and byte-order-mark variants of a real file as the original', async () => {
    const original = fixtureFile('crp0.s').toString('latin1')
    const expected = await parseText(original, { alphabet: 'dna' })
    const crlf = original.replace(/\n/g, '\r\n')
    expect(await parseText(crlf, { alphabet: 'dna' }, [7])).toEqual(expected)
    expect(await parseText('\uFEFF' + crlf, { alphabet: 'dna' }, [1, 3])).toEqual(expected)
    expect(await parseText('\uFEFF' + original.trimEnd(), { alphabet: 'dna' })).toEqual(expected)
  })
})

describe('readFasta letters and errors', () => {
  it('names the line with thousands separators, the column and the letter', async () => {
    const text = '>chr\n' + 'ACGT\n'.repeat(1202) + 'ACJT\n'
    const error = await failure(() => parseText(text, { alphabet: 'dna', fileName: 'x.fa' }))
    expect(error.message).toBe("line 1,204, column 3: 'J' is not a DNA letter")
    expect(error).toMatchObject({ code: 'fasta.bad_letter', line: 1204, record: 1, file: 'x.fa' })
    const spaced = await failure(() => parseText('>a\nAC GT\n>b\n  AC GTX', { alphabet: 'dna' }))
    expect(spaced).toMatchObject({ line: 4, record: 2, params: { column: 8, letter: 'X' } })
  })

  it('accepts soft-masked lower case and keeps it unless asked to upper-case', async () => {
    const [masked] = await parseText('>r\nACGTacgtNn\n', { alphabet: 'dna' })
    expect(masked!.sequence).toBe('ACGTacgtNn')
    const [upper] = await parseText('>r\nACGTacgtNn\n', { alphabet: 'dna', uppercase: true })
    expect(upper!.sequence).toBe('ACGTACGTNN')
  })

  it('applies the IUPAC ambiguity policy: reject, asN (keeping case), keep', async () => {
    const text = '>r\nACRYgtkn\n'
    expect((await failure(() => parseText(text, { alphabet: 'dna' }))).params).toEqual({
      column: 3,
      letter: 'R',
    })
    expect((await parseText(text, { alphabet: 'dna', ambiguity: 'asN' }))[0]!.sequence).toBe('ACNNgtnn')
    expect((await parseText(text, { alphabet: 'dna', ambiguity: 'keep' }))[0]!.sequence).toBe('ACRYgtkn')
    expect((await failure(() => parseText('>r\nACGU\n', { alphabet: 'dna', ambiguity: 'keep' }))).found).toBe(
      "'U'",
    )
  })

  it('applies the protein policy for B J O U X Z and *', async () => {
    const text = '>p\nMKUlx*\n'
    expect((await parseText(text, { alphabet: 'protein' }))[0]!.sequence).toBe('MKUlx*')
    expect((await parseText(text, { alphabet: 'protein', nonstandardAminoAcids: 'asX' }))[0]!.sequence).toBe(
      'MKXlxX',
    )
    const error = await failure(() =>
      parseText(text, { alphabet: 'protein', nonstandardAminoAcids: 'reject' }),
    )
    expect(error.message).toBe("line 2, column 3: 'U' is not a protein letter")
    expect((await failure(() => parseText('>p\nMK-L\n', { alphabet: 'protein' }))).found).toBe("'-'")
  })

  it('accepts any letters without an alphabet', async () => {
    expect((await parseText('>x\nMK-L.?\n'))[0]!.sequence).toBe('MK-L.?')
  })

  it('fails clearly on an empty file and on text before the first header', async () => {
    for (const empty of ['', '\n\n', '\uFEFF']) {
      const error = await failure(() => parseText(empty, { fileName: 'empty.fa' }))
      expect(error).toMatchObject({ code: 'fasta.empty', file: 'empty.fa' })
    }
    const noHeader = await failure(() => parseText('\nACGT\n>x\nAC\n'))
    expect(noHeader).toMatchObject({ code: 'fasta.no_header', line: 2, found: "'ACGT'" })
    // A CSV picked by mistake.
    const csv = await failure(() => parseText('id,sequence\ns1,ACGT\n', { fileName: 'sites.csv' }))
    expect(csv).toMatchObject({ code: 'fasta.no_header', line: 1, file: 'sites.csv' })
  })

  it('keeps records with an empty sequence and skips blank lines', async () => {
    const records = await parseText('>a first\n\n>b\nAC\n\nGT\n')
    expect(
      records.map(({ id, description, sequence, line }) => ({ id, description, sequence, line })),
    ).toEqual([
      { id: 'a', description: 'first', sequence: '', line: 1 },
      { id: 'b', description: '', sequence: 'ACGT', line: 3 },
    ])
  })

  it('round-trips random sequences written with random line widths and line endings', async () => {
    const random = seededRandom(2024)
    for (let trial = 0; trial < 20; trial++) {
      const { records, text } = randomFasta(random, 1 + Math.floor(random() * 6))
      const sizes = [1 + Math.floor(random() * 40), 1 + Math.floor(random() * 400)]
      const parsed = await parseText(text, { alphabet: 'dna' }, sizes)
      expect(parsed.map((r) => ({ id: r.id, sequence: r.sequence }))).toEqual(records)
    }
  })
})

describe('FASTA index (.fai) and region reads', () => {
  it('indexes the chr22 piece as samtools would and reads regions equal to slices of the sequence', async () => {
    const entries = await indexFasta(fs.createReadStream(chr22Path))
    const text = fs.readFileSync(chr22Path, 'latin1')
    expect(entries).toEqual(naiveFai(text))
    expect(formatFastaIndex(entries)).toBe('22:20000001-21000000\t1000000\t22\t60\t61\n')

    const [{ sequence }] = (await readAll(fs.createReadStream(chr22Path))) as [FastaRecord]
    const handle = await fs.promises.open(chr22Path, 'r')
    try {
      const reads: Array<[number, number]> = []
      const source: RandomAccessSource = {
        size: (await handle.stat()).size,
        read: async (offset, length) => {
          reads.push([offset, length])
          const buffer = new Uint8Array(length)
          const { bytesRead } = await handle.read(buffer, 0, length, offset)
          return buffer.subarray(0, bytesRead)
        },
      }
      const entry = readFastaIndex(formatFastaIndex(entries))[0]!
      const random = seededRandom(22)
      const regions: Array<[number, number]> = [
        [0, 1],
        [59, 61],
        [0, 1_000_000],
        [999_999, 1_000_000],
        [500, 500],
      ]
      for (let i = 0; i < 30; i++) {
        const start = Math.floor(random() * 1_000_000)
        regions.push([start, Math.min(1_000_000, start + Math.floor(random() * 5000))])
      }
      for (const [start, end] of regions) {
        expect(await readFastaRegion(source, entry, start, end)).toBe(sequence.slice(start, end))
      }
      // One read per region, never more bytes than the region and its line breaks.
      const [offset, length] = reads[reads.length - 1]!
      const [lastStart, lastEnd] = regions[regions.length - 1]!
      expect(offset).toBeGreaterThan(0)
      expect(length).toBeLessThanOrEqual(lastEnd - lastStart + Math.ceil((lastEnd - lastStart) / 60) + 1)
      expect(reads.length).toBe(regions.length - 1) // the empty region reads nothing
    } finally {
      await handle.close()
    }
  })

  it('reads every region of random multi-record files with CRLF lines from an index it builds', async () => {
    const random = seededRandom(99)
    for (let trial = 0; trial < 10; trial++) {
      const { records, text } = randomFasta(random, 4)
      const bytes = new TextEncoder().encode(text)
      const entries = await indexFasta(chunked(bytes, [1 + Math.floor(random() * 100)]))
      expect(entries).toEqual(naiveFai(text))
      for (const record of records) {
        const entry = findFaiEntry(entries, record.id)!
        for (let k = 0; k < 5; k++) {
          const start = Math.floor(random() * (record.sequence.length + 1))
          const end = start + Math.floor(random() * (record.sequence.length - start + 1))
          expect(await readFastaRegion(bufferSource(bytes), entry, start, end)).toBe(
            record.sequence.slice(start, end),
          )
        }
      }
    }
  })

  it('parses .fai text and rejects bad lines with their line number', () => {
    const text = 'chr1\t248956422\t112\t70\t71\r\nchrM\t16569\t253105752\t70\t71\t0\n\n'
    expect(readFastaIndex(text)).toEqual([
      { name: 'chr1', length: 248956422, offset: 112, lineBases: 70, lineWidth: 71 },
      { name: 'chrM', length: 16569, offset: 253105752, lineBases: 70, lineWidth: 71 },
    ])
    expect(findFaiEntry(readFastaIndex(text), 'MT')?.name).toBe('chrM')
    expect(findFaiEntry(readFastaIndex(text), '2')).toBeUndefined()
    expect(() => readFastaIndex('chr1\t10\t5\n', { fileName: 'g.fa.fai' })).toThrow(
      expect.objectContaining({ code: 'fai.bad_columns', line: 1, file: 'g.fa.fai' }),
    )
    expect(() => readFastaIndex('a\t1\t2\t3\t4\nb\t10\tx\t60\t61\n')).toThrow(
      expect.objectContaining({ code: 'fai.bad_number', line: 2, found: "'x'" }),
    )
  })

  it('refuses regions outside the record and a file that does not match its index', async () => {
    const bytes = new TextEncoder().encode('>a\nACGTA\nCG\n>b\nTT\n')
    const entries = await indexFasta(chunked(bytes))
    expect(entries).toEqual([
      { name: 'a', length: 7, offset: 3, lineBases: 5, lineWidth: 6 },
      { name: 'b', length: 2, offset: 15, lineBases: 2, lineWidth: 3 },
    ])
    await expect(readFastaRegion(bufferSource(bytes), entries[0]!, 5, 8)).rejects.toMatchObject({
      code: 'fai.out_of_range',
    })
    await expect(readFastaRegion(bufferSource(bytes), entries[0]!, 3, 2)).rejects.toMatchObject({
      code: 'fai.out_of_range',
    })
    const stale = { ...entries[1]!, length: 4 }
    await expect(readFastaRegion(bufferSource(bytes), stale, 0, 4)).rejects.toMatchObject({
      code: 'fai.mismatch',
    })
    const shifted = { ...entries[0]!, offset: 0 }
    await expect(readFastaRegion(bufferSource(bytes), shifted, 0, 5)).rejects.toMatchObject({
      code: 'fai.mismatch',
    })
  })

  it('refuses to index uneven lines and gzip files', async () => {
    const uneven = new TextEncoder().encode('>a\nACGT\nAC\nACGT\n')
    await expect(indexFasta(chunked(uneven), { fileName: 'u.fa' })).rejects.toMatchObject({
      code: 'fai.uneven_lines',
      line: 4,
      file: 'u.fa',
    })
    const longer = new TextEncoder().encode('>a\nACG\nACGT\n')
    await expect(indexFasta(chunked(longer))).rejects.toMatchObject({ code: 'fai.uneven_lines', line: 3 })
    await expect(indexFasta(chunked(fixtureFile('lambda_virus.fa.gz')))).rejects.toMatchObject({
      code: 'fai.compressed',
    })
  })
})

describe('region names and chromosome aliases', () => {
  it('reads 1-based inclusive region names into 0-based half-open coordinates', () => {
    expect(parseRegionName('22:20000001-21000000')).toEqual({
      chrom: '22',
      start: 20_000_000,
      end: 21_000_000,
    })
    expect(parseRegionName('chr1:1,000-2,000')).toEqual({ chrom: 'chr1', start: 999, end: 2000 })
    expect(parseRegionName('HLA-A*01:01:1-10')).toEqual({ chrom: 'HLA-A*01:01', start: 0, end: 10 })
    expect(parseRegionName('chr1:5-5')).toEqual({ chrom: 'chr1', start: 4, end: 5 })
    for (const notARegion of [
      'tinman-early_885',
      'chr1:100',
      'chr1:0-10',
      'chr1:20-10',
      ':1-2',
      'chr1:1-2x',
    ]) {
      expect(parseRegionName(notARegion)).toBeUndefined()
    }
  })

  it('normalises UCSC and Ensembl chromosome names', () => {
    expect(['chr22', '22', 'Chr22'].map(canonicalChrom)).toEqual(['22', '22', '22'])
    expect(['chrM', 'chrMT', 'M', 'MT', 'mt'].map(canonicalChrom)).toEqual(['MT', 'MT', 'MT', 'MT', 'MT'])
    expect(['chrX', 'X', 'x', 'chrY'].map(canonicalChrom)).toEqual(['X', 'X', 'X', 'Y'])
    expect(canonicalChrom('chrUn_gl000220')).toBe('Un_gl000220')
    expect(canonicalChrom('chromosome_1')).toBe('chromosome_1')
    expect(sameChromosome('chr22', '22')).toBe(true)
    expect(sameChromosome('chrM', 'MT')).toBe(true)
    expect(sameChromosome('chrX', 'X')).toBe(true)
    expect(sameChromosome('chr2', '22')).toBe(false)
    expect(sameChromosome('chr1', 'chr1_random')).toBe(false)
  })
})
