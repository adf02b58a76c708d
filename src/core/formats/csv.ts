/**
 * Delimited text (CSV, TSV, and the semicolon CSV that spreadsheets write in many locales), read as a stream
 * of text lines with RFC 4180 quoting: a quoted field may hold the delimiter, doubled quotes (`""` is `"`)
 * and line breaks (rejoined with `\n`). A quote inside an unquoted field is taken literally, as spreadsheets
 * do; text after a closing quote is an error.
 *
 * `readDelimited` reads the header first (and sniffs the delimiter from it when none is given: tab, comma or
 * semicolon, whichever occurs most outside quotes, tab winning ties), then streams the rows. Every row must
 * have as many fields as the header (or as the first row without a header): a ragged row fails with
 * `csv.ragged` and its line. Blank lines between rows are skipped. Fields are not trimmed.
 */
import { InputError } from '../../shared/errors'
import type { SourceOptions, TextLine } from './bytes'

export type Delimiter = ',' | '\t' | ';'

export interface DelimitedOptions extends SourceOptions {
  /** Sniffed from the first line when absent. */
  delimiter?: Delimiter
  /** Whether the first row names the columns. Default true. */
  header?: boolean
}

export interface DelimitedRow {
  fields: string[]
  /** 1-based line where the row starts (a quoted line break makes a row span several lines). */
  line: number
  /** 1-based number of the data row, the header not counted. */
  row: number
}

export interface DelimitedTable {
  delimiter: Delimiter
  /** The column names, or undefined when `header` is false. */
  header: string[] | undefined
  rows: AsyncGenerator<DelimitedRow>
}

/**
 * Opens a delimited file: reads its header (and sniffs its delimiter) now, and returns the rows as a stream.
 * Fails with `csv.empty` when the file has no line at all.
 */
export async function readDelimited(
  lines: AsyncIterable<TextLine>,
  options: DelimitedOptions = {},
): Promise<DelimitedTable> {
  const iterator = lines[Symbol.asyncIterator]()
  const nextLine = async (): Promise<TextLine | undefined> => {
    const step = await iterator.next()
    return step.done ? undefined : step.value
  }
  const nextNonBlankLine = async (): Promise<TextLine | undefined> => {
    for (let line = await nextLine(); line; line = await nextLine()) if (line.text !== '') return line
    return undefined
  }

  const firstLine = await nextNonBlankLine()
  if (!firstLine) {
    throw new InputError('csv.empty', 'The file is empty', {
      file: options.fileName,
      expected: options.header === false ? 'at least one row' : 'a header row',
      found: 'no lines',
    })
  }
  const delimiter = options.delimiter ?? sniffDelimiter(firstLine.text)
  const parser = new RecordParser(delimiter, nextLine, options.fileName)
  const firstRecord = await parser.parse(firstLine)
  const hasHeader = options.header !== false

  async function* rows(): AsyncGenerator<DelimitedRow> {
    const expectedCount = firstRecord.fields.length
    let rowNumber = 0
    const check = (record: { fields: string[]; line: number }): DelimitedRow => {
      rowNumber += 1
      if (record.fields.length !== expectedCount)
        throw raggedError(record, rowNumber, expectedCount, hasHeader, options)
      return { ...record, row: rowNumber }
    }
    try {
      if (!hasHeader) yield check(firstRecord)
      for (let line = await nextNonBlankLine(); line; line = await nextNonBlankLine()) {
        yield check(await parser.parse(line))
      }
    } finally {
      await iterator.return?.()
    }
  }

  return { delimiter, header: hasHeader ? firstRecord.fields : undefined, rows: rows() }
}

/** A row as an object keyed by the header's names (a later duplicate name wins). */
export function rowAsRecord(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {}
  header.forEach((name, i) => (record[name] = fields[i] ?? ''))
  return record
}

/** The delimiter occurring most often outside quotes in `line`: tab wins ties, comma when none occurs. */
export function sniffDelimiter(line: string): Delimiter {
  const counts = { '\t': 0, ',': 0, ';': 0 }
  let inQuotes = false
  for (const char of line) {
    if (char === '"') inQuotes = !inQuotes
    else if (!inQuotes && (char === '\t' || char === ',' || char === ';')) counts[char] += 1
  }
  if (counts['\t'] > 0 && counts['\t'] >= counts[','] && counts['\t'] >= counts[';']) return '\t'
  if (counts[';'] > counts[',']) return ';'
  return ','
}

function raggedError(
  record: { fields: string[]; line: number },
  rowNumber: number,
  expectedCount: number,
  hasHeader: boolean,
  options: SourceOptions,
): InputError {
  const reference = hasHeader ? 'the header has' : 'the first row has'
  // R's write.table writes row names without a header cell: every row then has one field more.
  const hint =
    hasHeader && record.fields.length === expectedCount + 1
      ? ' (a first column of row names without a header name?)'
      : ''
  return new InputError(
    'csv.ragged',
    `line ${record.line.toLocaleString('en-US')}: this row has ${record.fields.length} fields, ` +
      `${reference} ${expectedCount}${hint}`,
    {
      file: options.fileName,
      line: record.line,
      record: rowNumber,
      expected: `${expectedCount} fields`,
      found: `${record.fields.length} fields`,
    },
  )
}

/** Splits one record, pulling further lines while a quoted field runs past the end of a line. */
class RecordParser {
  constructor(
    private readonly delimiter: Delimiter,
    private readonly nextLine: () => Promise<TextLine | undefined>,
    private readonly fileName: string | undefined,
  ) {}

  async parse(first: TextLine): Promise<{ fields: string[]; line: number }> {
    if (!first.text.includes('"')) return { fields: first.text.split(this.delimiter), line: first.lineNumber }
    const fields: string[] = []
    let text = first.text
    let lineNumber = first.lineNumber
    let i = 0
    for (;;) {
      if (text[i] !== '"') {
        const next = text.indexOf(this.delimiter, i)
        if (next === -1) {
          fields.push(text.slice(i))
          break
        }
        fields.push(text.slice(i, next))
        i = next + 1
        continue
      }
      // A quoted field, possibly over several lines.
      const quoteLine = lineNumber
      const pieces: string[] = []
      i += 1
      for (;;) {
        const quote = text.indexOf('"', i)
        if (quote === -1) {
          pieces.push(text.slice(i), '\n')
          const line = await this.nextLine()
          if (!line) throw this.unclosedQuote(quoteLine)
          text = line.text
          lineNumber = line.lineNumber
          i = 0
        } else if (text[quote + 1] === '"') {
          pieces.push(text.slice(i, quote + 1))
          i = quote + 2
        } else {
          pieces.push(text.slice(i, quote))
          i = quote + 1
          break
        }
      }
      fields.push(pieces.join(''))
      if (i === text.length) break
      if (text[i] !== this.delimiter) throw this.textAfterQuote(lineNumber, text, i)
      i += 1
    }
    return { fields, line: first.lineNumber }
  }

  private unclosedQuote(line: number): InputError {
    return new InputError(
      'csv.unclosed_quote',
      `line ${line.toLocaleString('en-US')}: a quoted field starts here and is never closed`,
      { file: this.fileName, line, expected: 'a closing "', found: 'the end of the file' },
    )
  }

  private textAfterQuote(line: number, text: string, index: number): InputError {
    const delimiterName = this.delimiter === '\t' ? 'a tab' : `'${this.delimiter}'`
    return new InputError(
      'csv.bad_quote',
      `line ${line.toLocaleString('en-US')}, column ${index + 1}: text after a closing quote ` +
        `(a quote inside a quoted field is written "")`,
      {
        file: this.fileName,
        line,
        expected: `${delimiterName} or the end of the line`,
        found: `'${text[index]}'`,
      },
    )
  }
}
