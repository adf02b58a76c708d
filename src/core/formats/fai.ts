/**
 * Indexed FASTA: the samtools `.fai` index and reading a region by seeking, without reading the whole file.
 *
 * A `.fai` line is `name  length  offset  lineBases  lineWidth` (tab-separated; a sixth column, the quality
 * offset of an indexed FASTQ, is accepted and ignored). Base `i` of a record sits at byte
 * `offset + floor(i / lineBases) * lineWidth + i % lineBases`, which holds because every sequence line but
 * the last has the same length. `indexFasta` builds the same index from a stream of bytes when the user has
 * no `.fai`. Indexes only work on uncompressed files (bgzip needs a `.gzi` as well, which is not supported).
 */
import { InputError } from '../../shared/errors'
import { detectGzip, type ByteSource, type RandomAccessSource, type SourceOptions } from './bytes'
import { sameChromosome } from './regions'

export interface FaiEntry {
  name: string
  /** Number of bases. */
  length: number
  /** Byte offset of the first base. */
  offset: number
  /** Bases per full line. */
  lineBases: number
  /** Bytes per full line, line ending included. */
  lineWidth: number
}

/** Parses the text of a `.fai` file. Fails with `fai.bad_columns` or `fai.bad_number` and the line. */
export function readFastaIndex(text: string, options: SourceOptions = {}): FaiEntry[] {
  const entries: FaiEntry[] = []
  const textLines = text.split('\n')
  for (let index = 0; index < textLines.length; index++) {
    const line = textLines[index]!.replace(/\r$/, '')
    if (line.trim() === '') continue
    const lineNumber = index + 1
    const columns = line.split('\t')
    if (columns.length !== 5 && columns.length !== 6) {
      throw new InputError(
        'fai.bad_columns',
        `line ${lineNumber}: a .fai line has 5 tab-separated columns (name, length, offset, line bases, line width)`,
        {
          file: options.fileName,
          line: lineNumber,
          expected: '5 columns',
          found: `${columns.length} columns`,
        },
      )
    }
    const [name, ...numbers] = columns as [string, ...string[]]
    const [length, offset, lineBases, lineWidth] = numbers.slice(0, 4).map((value, i) => {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        const column = ['length', 'offset', 'line bases', 'line width'][i]!
        throw new InputError(
          'fai.bad_number',
          `line ${lineNumber}: the ${column} '${value}' is not a whole number`,
          {
            file: options.fileName,
            line: lineNumber,
            expected: 'a whole number ≥ 0',
            found: `'${value}'`,
          },
        )
      }
      return Number(value)
    }) as [number, number, number, number]
    if (lineWidth < lineBases || (length > 0 && lineBases === 0)) {
      throw new InputError(
        'fai.bad_number',
        `line ${lineNumber}: the line width is shorter than the line bases`,
        {
          file: options.fileName,
          line: lineNumber,
          expected: 'line width ≥ line bases > 0',
          found: `${lineBases} bases, ${lineWidth} bytes`,
        },
      )
    }
    entries.push({ name, length, offset, lineBases, lineWidth })
  }
  return entries
}

/** The entry for a sequence name, matching `chr22` with `22` when the exact name is absent. */
export function findFaiEntry(entries: readonly FaiEntry[], name: string): FaiEntry | undefined {
  return (
    entries.find((entry) => entry.name === name) ?? entries.find((entry) => sameChromosome(entry.name, name))
  )
}

/** Byte offset of base `position` (0-based) of the entry's sequence. */
function byteOffsetOf(entry: FaiEntry, position: number): number {
  return (
    entry.offset + Math.floor(position / entry.lineBases) * entry.lineWidth + (position % entry.lineBases)
  )
}

/**
 * The bases `[start, end)` (0-based, half-open) of a record, read with one seek. Fails with
 * `fai.out_of_range` for a region outside the record and `fai.mismatch` when the file does not match its
 * index (an index from another version of the file).
 */
export async function readFastaRegion(
  source: RandomAccessSource,
  entry: FaiEntry,
  start: number,
  end: number,
  options: SourceOptions = {},
): Promise<string> {
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(end) ||
    start < 0 ||
    end < start ||
    end > entry.length
  ) {
    throw new InputError(
      'fai.out_of_range',
      `The region ${start}-${end} is outside ${entry.name}, which has ${entry.length.toLocaleString('en-US')} bases`,
      { file: options.fileName, expected: `0 ≤ start ≤ end ≤ ${entry.length}`, found: `${start}-${end}` },
    )
  }
  if (start === end) return ''
  const firstByte = byteOffsetOf(entry, start)
  const lastByte = byteOffsetOf(entry, end - 1)
  const bytes = await source.read(firstByte, lastByte - firstByte + 1)
  const bases = new Uint8Array(bytes.length)
  let count = 0
  for (const byte of bytes) {
    if (byte === 0x0a || byte === 0x0d) continue
    bases[count++] = byte
  }
  const sequence = new TextDecoder().decode(bases.subarray(0, count))
  if (count !== end - start || sequence.includes('>')) {
    throw new InputError(
      'fai.mismatch',
      `The FASTA file does not match its index at ${entry.name}: rebuild the .fai for this file`,
      { file: options.fileName, expected: `${end - start} bases`, found: `${count} bases` },
    )
  }
  return sequence
}

/**
 * Builds the `.fai` entries of an uncompressed FASTA file from its bytes, as `samtools faidx` does. Fails with
 * `fai.uneven_lines` when the lines of a record differ in length (such a file cannot be read by offset),
 * `fai.compressed` for gzip input and `fasta.no_header` / `fasta.empty` as `readFasta` does.
 */
export async function indexFasta(source: ByteSource, options: SourceOptions = {}): Promise<FaiEntry[]> {
  const entries: FaiEntry[] = []
  let current: (FaiEntry & { line: number; shortLineSeen: boolean }) | undefined
  let lineStart = 0
  let lineLength = 0
  let lineNumber = 0
  let lastByte = -1
  let isHeader = false
  let headerPieces: Uint8Array[] = []
  let firstChunk = true

  const finishEntry = () => {
    if (!current) return
    const { name, length, offset, lineBases, lineWidth } = current
    entries.push({ name, length, offset, lineBases, lineWidth })
  }

  const endLine = (newlineBytes: number) => {
    lineNumber += 1
    const width = lineLength + newlineBytes
    const bases = lastByte === 0x0d ? lineLength - 1 : lineLength
    if (isHeader) {
      finishEntry()
      const title = new TextDecoder().decode(concat(headerPieces)).slice(1).trim()
      const name = title.split(/\s/, 1)[0]!
      current = {
        name,
        length: 0,
        offset: lineStart + width,
        lineBases: 0,
        lineWidth: 0,
        line: lineNumber,
        shortLineSeen: false,
      }
    } else if (!current) {
      if (bases > 0) {
        throw new InputError(
          'fasta.no_header',
          `line ${lineNumber}: a FASTA file must start with a '>' header line`,
          {
            file: options.fileName,
            line: lineNumber,
            expected: "a line starting with '>'",
          },
        )
      }
    } else if (current.length === 0 && current.lineBases === 0) {
      if (bases > 0) {
        current.lineBases = bases
        current.lineWidth = width
        current.length = bases
      } else {
        current.offset = lineStart + width // blank lines before the sequence
      }
    } else {
      // A full line with another line ending (\r\n among \n) would shift every later offset too.
      const widthDiffers = bases === current.lineBases && newlineBytes > 0 && width !== current.lineWidth
      const longer = bases > current.lineBases || widthDiffers
      if (longer || (current.shortLineSeen && bases > 0)) {
        throw new InputError(
          'fai.uneven_lines',
          `line ${lineNumber}: the lines of '${current.name}' differ in length, so it cannot be indexed`,
          {
            file: options.fileName,
            line: lineNumber,
            expected: `${current.lineBases} bases per line (only the last may be shorter)`,
            found: `${bases} bases`,
          },
        )
      }
      if (bases < current.lineBases) current.shortLineSeen = true
      current.length += bases
    }
    lineStart += width
    lineLength = 0
    lastByte = -1
    isHeader = false
    headerPieces = []
  }

  for await (const chunk of source) {
    if (firstChunk && chunk.length > 0) {
      firstChunk = false
      if (detectGzip(chunk)) {
        throw new InputError(
          'fai.compressed',
          'A compressed FASTA file cannot be indexed: decompress it first',
          {
            file: options.fileName,
            expected: 'an uncompressed FASTA file',
            found: 'gzip',
          },
        )
      }
    }
    let position = 0
    while (position < chunk.length) {
      const newline = chunk.indexOf(0x0a, position)
      const end = newline === -1 ? chunk.length : newline
      if (end > position) {
        if (lineLength === 0) isHeader = chunk[position] === 0x3e // '>'
        if (isHeader) headerPieces.push(chunk.slice(position, end))
        lastByte = chunk[end - 1]!
        lineLength += end - position
      }
      if (newline === -1) break
      endLine(1)
      position = newline + 1
    }
  }
  if (lineLength > 0) endLine(0)
  finishEntry()
  if (entries.length === 0) {
    throw new InputError('fasta.empty', 'The file has no FASTA records', {
      file: options.fileName,
      expected: "at least one record starting with '>'",
      found: 'no records',
    })
  }
  return entries
}

/** Writes entries as the text of a `.fai` file. */
export function formatFastaIndex(entries: readonly FaiEntry[]): string {
  return entries.map((e) => `${e.name}\t${e.length}\t${e.offset}\t${e.lineBases}\t${e.lineWidth}\n`).join('')
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0)
  const joined = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.length
  }
  return joined
}
