/**
 * BED (BED3 to BED12) and ENCODE narrowPeak (BED6+4), read as a stream of text lines.
 *
 * Coordinates are 0-based and half-open, as in the file: `chr1 0 100` is the first 100 bases. Records keep
 * them as written; `start === end` (an insertion point) is allowed, `start > end` is not.
 *
 * Columns are separated by tabs. Many tools write spaces instead, so a line without any tab is split on runs
 * of spaces; a line with tabs is split on tabs only, so a name containing spaces survives in a tab file.
 * `track` and `browser` lines, `#` comments and blank lines are skipped.
 *
 * The layout is taken from the first record's column count: 3, 4, 5, 6, 8, 9 or 12 columns are BED, 10 are
 * narrowPeak (BED has no 10-column layout); every later record must have the same count. `format` forces BED
 * or narrowPeak. narrowPeak's `-1` ("not computed") for pValue, qValue and peak becomes `null`.
 */
import { InputError } from '../../shared/errors'
import type { SourceOptions, TextLine } from './bytes'

export type Strand = '+' | '-' | '.'

export interface BedRecord {
  format: 'bed'
  chrom: string
  start: number
  end: number
  name?: string
  score?: number
  strand?: Strand
  thickStart?: number
  thickEnd?: number
  /** `0` or `r,g,b`, as written. */
  itemRgb?: string
  blockSizes?: number[]
  /** Offsets of the blocks from `start`. */
  blockStarts?: number[]
  /** 1-based line in the file. */
  line: number
}

export interface NarrowPeakRecord {
  format: 'narrowPeak'
  chrom: string
  start: number
  end: number
  name: string
  score: number
  strand: Strand
  signalValue: number
  /** -log10 p-value; `null` when the file says -1 (not computed). */
  pValue: number | null
  /** -log10 q-value; `null` when the file says -1. */
  qValue: number | null
  /** Summit as an offset from `start`; `null` when the file says -1 (no summit called). */
  peak: number | null
  line: number
}

export type IntervalRecord = BedRecord | NarrowPeakRecord

export interface BedOptions extends SourceOptions {
  /** `auto` (default) decides from the column count of the first record. */
  format?: 'auto' | 'bed' | 'narrowPeak'
}

const bedColumnCounts = [3, 4, 5, 6, 8, 9, 12]
const narrowPeakColumnCount = 10
// Plain decimal notation only: Number() would also take '0x1F' or 'Infinity'.
const decimalPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** The interval records of a BED or narrowPeak file, each with its line number. */
export async function* readBed(
  lines: AsyncIterable<TextLine>,
  options: BedOptions = {},
): AsyncGenerator<IntervalRecord> {
  let columnCount: number | undefined
  let isNarrowPeak = false
  for await (const { text, lineNumber } of lines) {
    const trimmed = text.trim()
    if (trimmed === '' || trimmed.startsWith('#') || /^(track|browser)(\s|$)/.test(trimmed)) continue
    const columns = trimmed.includes('\t') ? trimmed.split('\t').map((c) => c.trim()) : trimmed.split(/\s+/)
    const at = new LineContext(lineNumber, options.fileName)
    if (columnCount === undefined) {
      isNarrowPeak = decideNarrowPeak(columns.length, options.format ?? 'auto', at)
      columnCount = columns.length
    } else if (columns.length !== columnCount) {
      throw at.error(
        'bed.bad_columns',
        `this line has ${columns.length} columns, the first record had ${columnCount}`,
        `${columnCount} columns`,
        `${columns.length} columns`,
      )
    }
    yield isNarrowPeak ? parseNarrowPeak(columns, at) : parseBed(columns, at)
  }
}

function decideNarrowPeak(count: number, format: 'auto' | 'bed' | 'narrowPeak', at: LineContext): boolean {
  const isBed = bedColumnCounts.includes(count)
  const isNarrowPeak = count === narrowPeakColumnCount
  if (format === 'narrowPeak' && !isNarrowPeak) {
    throw at.error(
      'bed.bad_columns',
      `a narrowPeak line has 10 columns, this one has ${count}`,
      '10 columns',
      `${count}`,
    )
  }
  if (format === 'bed' && !isBed) {
    throw at.error(
      'bed.bad_columns',
      `a BED line has 3, 4, 5, 6, 8, 9 or 12 columns, this one has ${count}`,
      '3–6, 8, 9 or 12 columns',
      `${count} columns`,
    )
  }
  if (format === 'auto' && !isBed && !isNarrowPeak) {
    throw at.error(
      'bed.bad_columns',
      `a BED line has 3, 4, 5, 6, 8, 9 or 12 columns (narrowPeak has 10), this one has ${count}`,
      '3–6, 8, 9, 12 (BED) or 10 (narrowPeak) columns',
      `${count} columns`,
    )
  }
  return isNarrowPeak
}

function parseInterval(columns: string[], at: LineContext): { chrom: string; start: number; end: number } {
  const chrom = columns[0]!
  const start = at.wholeNumber(columns[1]!, 'start')
  const end = at.wholeNumber(columns[2]!, 'end')
  if (start > end) {
    throw at.error(
      'bed.start_after_end',
      `the start ${start} is after the end ${end}`,
      'start ≤ end',
      `${start} > ${end}`,
    )
  }
  return { chrom, start, end }
}

function parseBed(columns: string[], at: LineContext): BedRecord {
  const record: BedRecord = { format: 'bed', ...parseInterval(columns, at), line: at.lineNumber }
  const count = columns.length
  if (count >= 4) record.name = columns[3]!
  if (count >= 5) record.score = at.number(columns[4]!, 'score')
  if (count >= 6) record.strand = at.strand(columns[5]!)
  if (count >= 8) {
    record.thickStart = at.wholeNumber(columns[6]!, 'thickStart')
    record.thickEnd = at.wholeNumber(columns[7]!, 'thickEnd')
    if (record.thickStart > record.thickEnd) {
      throw at.error(
        'bed.start_after_end',
        `thickStart ${record.thickStart} is after thickEnd ${record.thickEnd}`,
        'thickStart ≤ thickEnd',
        `${record.thickStart} > ${record.thickEnd}`,
      )
    }
  }
  if (count >= 9) record.itemRgb = columns[8]!
  if (count === 12) parseBlocks(columns, record, at)
  return record
}

function parseBlocks(columns: string[], record: BedRecord, at: LineContext): void {
  const blockCount = at.wholeNumber(columns[9]!, 'blockCount')
  const list = (text: string, what: string) =>
    text
      .replace(/,$/, '') // UCSC writes a trailing comma
      .split(',')
      .map((value) => at.wholeNumber(value, what))
  const sizes = list(columns[10]!, 'blockSizes')
  const starts = list(columns[11]!, 'blockStarts')
  if (blockCount === 0 || sizes.length !== blockCount || starts.length !== blockCount) {
    throw at.error(
      'bed.bad_blocks',
      `blockCount is ${blockCount} but there are ${sizes.length} block sizes and ${starts.length} block starts`,
      `${blockCount} sizes and starts (blockCount ≥ 1)`,
      `${sizes.length} sizes, ${starts.length} starts`,
    )
  }
  const lastEnd = starts[blockCount - 1]! + sizes[blockCount - 1]!
  if (starts[0] !== 0 || lastEnd !== record.end - record.start) {
    throw at.error(
      'bed.bad_blocks',
      'the blocks must start at the start of the interval and end at its end',
      `first block start 0, last block end ${record.end - record.start}`,
      `first block start ${starts[0]}, last block end ${lastEnd}`,
    )
  }
  record.blockSizes = sizes
  record.blockStarts = starts
}

function parseNarrowPeak(columns: string[], at: LineContext): NarrowPeakRecord {
  const interval = parseInterval(columns, at)
  const notComputed = (value: number) => (value === -1 ? null : value)
  const peak = notComputed(at.integer(columns[9]!, 'peak'))
  if (peak !== null && (peak < 0 || peak >= interval.end - interval.start)) {
    throw at.error(
      'bed.peak_outside',
      `the peak offset ${peak} is outside the ${interval.end - interval.start}-base interval`,
      `-1 or 0 ≤ peak < ${interval.end - interval.start}`,
      `${peak}`,
    )
  }
  return {
    format: 'narrowPeak',
    ...interval,
    name: columns[3]!,
    score: at.number(columns[4]!, 'score'),
    strand: at.strand(columns[5]!),
    signalValue: at.number(columns[6]!, 'signalValue'),
    pValue: notComputed(at.number(columns[7]!, 'pValue')),
    qValue: notComputed(at.number(columns[8]!, 'qValue')),
    peak,
    line: at.lineNumber,
  }
}

/** Validates the values of one line and builds its errors. */
class LineContext {
  constructor(
    readonly lineNumber: number,
    readonly fileName: string | undefined,
  ) {}

  error(code: string, problem: string, expected: string, found: string): InputError {
    return new InputError(code, `line ${this.lineNumber.toLocaleString('en-US')}: ${problem}`, {
      file: this.fileName,
      line: this.lineNumber,
      expected,
      found,
    })
  }

  wholeNumber(text: string, column: string): number {
    if (/^\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
    // A first line like "chrom start end" is a header the file should have marked with '#'.
    const hint = this.lineNumber === 1 && /^[a-z]/i.test(text) ? " (a header line? start it with '#')" : ''
    throw this.error(
      'bed.bad_number',
      `the ${column} '${text}' is not a whole number ≥ 0${hint}`,
      'a whole number ≥ 0',
      `'${text}'`,
    )
  }

  integer(text: string, column: string): number {
    if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text)
    throw this.error(
      'bed.bad_number',
      `the ${column} '${text}' is not a whole number`,
      'a whole number',
      `'${text}'`,
    )
  }

  number(text: string, column: string): number {
    if (decimalPattern.test(text)) return Number(text)
    throw this.error('bed.bad_number', `the ${column} '${text}' is not a number`, 'a number', `'${text}'`)
  }

  strand(text: string): Strand {
    if (text === '+' || text === '-' || text === '.') return text
    throw this.error('bed.bad_strand', `the strand '${text}' is not +, - or .`, '+, - or .', `'${text}'`)
  }
}
