/**
 * CSV/TSV → records: one row per sequence, with the sequence and label columns (and optional weight,
 * group and id columns) chosen by their header names. The core reader handles quoting, the delimiter
 * (sniffed unless given) and ragged rows (`csv.ragged`); this module picks the columns and checks the
 * letters of each sequence cell against the declared alphabet (`dataset.bad_letter`), as the FASTA reader
 * does for FASTA files.
 */
import type { z } from 'zod'
import { readTextLines } from '../../core/formats/bytes'
import { readDelimited } from '../../core/formats/csv'
import type { CsvImportOptions } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { RecordSource } from './pipeline'
import { letterCheck, type RawRecord } from './records'
import { fileSize, readFileBytes, type ByteCounter, type InputFile } from './sources'

export type CsvOptions = z.output<typeof CsvImportOptions>
export interface CsvFiles {
  table: InputFile
}

export function csvSource(
  files: CsvFiles,
  options: CsvOptions,
  mode: { preview: boolean; signal?: AbortSignal },
): RecordSource {
  const file = files.table
  const counter: ByteCounter = { bytes: 0 }
  const total = fileSize(file)
  let columns: string[] | undefined
  let delimiter: string | undefined

  async function* records(): AsyncGenerator<RawRecord> {
    const lines = readTextLines(readFileBytes(file, { signal: mode.signal, counter }), {
      fileName: file.name,
    })
    const table = await readDelimited(lines, { fileName: file.name, delimiter: options.delimiter })
    const header = table.header!
    columns = header
    delimiter = table.delimiter
    const indexOf = (column: string | undefined): number | undefined => {
      if (column === undefined) return undefined
      const index = header.indexOf(column)
      if (index === -1) throw missingColumnError(column, header, file.name)
      return index
    }
    const sequenceAt = indexOf(options.sequenceColumn)!
    const labelAt = indexOf(options.labelColumn)!
    const weightAt = indexOf(options.weightColumn)
    const groupAt = indexOf(options.groupColumn)
    const idAt = indexOf(options.idColumn)
    for await (const row of table.rows) {
      const cell = (index: number | undefined) => (index === undefined ? undefined : row.fields[index]!)
      const id = cell(idAt)?.trim()
      yield {
        at: { file: file.name, line: row.line, record: row.row },
        id: id === undefined || id === '' ? null : id,
        sequence: row.fields[sequenceAt]!.trim(),
        label: row.fields[labelAt]!,
        weight: cell(weightAt),
        group: cell(groupAt)?.trim(),
      }
    }
  }

  return {
    kind: 'csv',
    records: records(),
    checker: {
      labels: options.labels,
      fixedLength: options.fixedLength,
      letters: letterCheck(options.alphabet, options.ambiguity),
    },
    alphabet: options.alphabet,
    source: { importer: 'csv', files: { table: file.name }, options },
    progress: () => ({ done: counter.bytes, total, phase: 'reading' }),
    layout: () => ({ ...(columns ? { columns } : {}), ...(delimiter ? { delimiter } : {}) }),
    translateError: (err) => renameEmpty(err, file.name, 'csv.empty'),
  }
}

export function missingColumnError(column: string, header: readonly string[], fileName: string): InputError {
  const names = header.map((h) => `'${h}'`).join(', ')
  return new InputError('dataset.missing_column', `${fileName} has no column named '${column}'`, {
    file: fileName,
    line: 1,
    expected: `a column named '${column}'`,
    found: `the columns ${names.length > 300 ? names.slice(0, 300) + '…' : names}`,
    params: { column },
  })
}

/** A reader's "empty file" as the data set's `dataset.empty`, naming the file. */
export function renameEmpty(err: unknown, fileName: string, readerCode: string): unknown {
  if (!(err instanceof InputError) || err.code !== readerCode) return err
  return new InputError('dataset.empty', `${fileName} is empty: there are no records to import`, {
    file: fileName,
    expected: err.expected ?? 'at least one record',
    found: err.found ?? 'nothing',
    cause: err,
  })
}
