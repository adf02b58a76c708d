/**
 * Labelled FASTA → records. The label of each record comes from its header, by a rule the user picks
 * (a regular expression with one capture group, a `key=value` token, or the last `|` field), or from a
 * CSV/TSV table keyed by the record id. Binding-site collections label their records in every one of
 * these ways, so the wizard offers them all rather than asking users to rewrite their files.
 *
 * The FASTA reader checks letters against the declared alphabet (`fasta.bad_letter`, with line and column).
 * A label table is read whole first (it is small next to the sequences) and must name each id once; FASTA
 * records whose id has no row are collected and reported together (`dataset.missing_labels`), since a
 * table that misses one id usually misses many.
 */
import type { z } from 'zod'
import { readFasta } from '../../core/formats/fasta'
import { readTextLines } from '../../core/formats/bytes'
import { readDelimited, rowAsRecord } from '../../core/formats/csv'
import type { FastaImportOptions, FastaLabelSource } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import { missingColumnError, renameEmpty } from './import-csv'
import type { RecordSource } from './pipeline'
import { duplicateIdError, locatedError, type Location, type RawRecord } from './records'
import { fileSize, readFileBytes, type ByteCounter, type InputFile } from './sources'

export type FastaOptions = z.output<typeof FastaImportOptions>
export interface FastaFiles {
  fasta: InputFile
  labels?: InputFile
}

interface TableRow {
  label: string
  weight?: string
  group?: string
  at: Location
}

const MISSING_IDS_NAMED = 10

export function fastaSource(
  files: FastaFiles,
  options: FastaOptions,
  mode: { preview: boolean; signal?: AbortSignal },
): RecordSource {
  const counter: ByteCounter = { bytes: 0 }
  const total = fileSize(files.fasta)
  const labelFromHeader = options.label.from === 'table' ? undefined : headerLabeller(options.label)
  if (options.label.from === 'table' && !files.labels) {
    throw new InputError('dataset.missing_file', 'Labels from a table need the table file', {
      expected: 'a CSV/TSV file of ids and labels',
      found: 'no file',
    })
  }
  let tableColumns: string[] | undefined

  async function* records(): AsyncGenerator<RawRecord> {
    const table =
      options.label.from === 'table'
        ? await readLabelTable(files.labels!, options.label, mode.signal)
        : undefined
    tableColumns = table?.columns
    const lines = readTextLines(readFileBytes(files.fasta, { signal: mode.signal, counter }), {
      fileName: files.fasta.name,
    })
    const missing: { id: string; at: Location }[] = []
    for await (const record of readFasta(lines, {
      fileName: files.fasta.name,
      alphabet: options.alphabet,
      ambiguity: options.ambiguity,
      nonstandardAminoAcids: 'keep',
      uppercase: true,
    })) {
      const at: Location = { file: files.fasta.name, line: record.line, record: record.record }
      const header = record.description ? `${record.id} ${record.description}` : record.id
      const base = { at, id: record.id === '' ? null : record.id, sequence: record.sequence }
      if (labelFromHeader) {
        const label = labelFromHeader(header, at)
        yield typeof label === 'string' ? { ...base, label } : { ...base, label: '', problem: label }
        continue
      }
      const row = table!.rows.get(record.id)
      if (!row) {
        const problem = locatedError(
          'dataset.missing_labels',
          `the id '${record.id}' has no row in ${files.labels!.name}`,
          at,
          {
            expected: `a row for '${record.id}' in ${files.labels!.name}`,
            found: 'no row',
            params: { count: 1 },
          },
        )
        if (mode.preview) yield { ...base, label: '', problem }
        else missing.push({ id: record.id, at })
        continue
      }
      yield { ...base, label: row.label, labelAt: row.at, weight: row.weight, group: row.group }
    }
    if (missing.length > 0) throw missingLabelsError(missing, files.labels!.name)
  }

  return {
    kind: 'fasta',
    records: records(),
    checker: { labels: options.labels, fixedLength: options.fixedLength },
    alphabet: options.alphabet,
    source: {
      importer: 'fasta',
      files: { fasta: files.fasta.name, ...(files.labels ? { labels: files.labels.name } : {}) },
      options,
    },
    progress: () => ({ done: counter.bytes, total, phase: 'reading' }),
    layout: () => (tableColumns ? { columns: tableColumns } : {}),
    translateError: (err) => renameEmpty(err, files.fasta.name, 'fasta.empty'),
  }
}

function missingLabelsError(missing: { id: string; at: Location }[], tableName: string): InputError {
  const named = missing.slice(0, MISSING_IDS_NAMED).map((m) => `'${m.id}'`)
  const more = missing.length > MISSING_IDS_NAMED ? ` and ${missing.length - MISSING_IDS_NAMED} more` : ''
  const first = missing[0]!.at
  return new InputError(
    'dataset.missing_labels',
    `${missing.length} record(s) have no row in ${tableName}: ${named.join(', ')}${more}`,
    {
      file: first.file,
      line: first.line,
      record: first.record,
      expected: `a row in ${tableName} for every record`,
      found: `${named.join(', ')}${more}`,
      params: { count: missing.length, table: tableName },
    },
  )
}

/** The label of a header, or the problem why there is none. */
type HeaderLabeller = (header: string, at: Location) => string | InputError

function headerLabeller(source: Exclude<FastaLabelSource, { from: 'table' }>): HeaderLabeller {
  const noLabel = (at: Location, how: string, header: string) =>
    locatedError('dataset.no_label', `the header has no label (${how})`, at, {
      expected: how,
      found:
        header === '' ? 'an empty header' : `'${header.length > 80 ? header.slice(0, 80) + '…' : header}'`,
    })
  if (source.from === 'regex') {
    const pattern = compilePattern(source.pattern)
    const how = `a match of /${source.pattern}/`
    return (header, at) => {
      const match = pattern.exec(header)
      return match?.[1] !== undefined ? match[1] : noLabel(at, how, header)
    }
  }
  if (source.from === 'token') {
    const prefix = `${source.key}=`
    const how = `a token ${prefix}…`
    return (header, at) => {
      const token = header.split(/[\s|;,]+/).find((t) => t.startsWith(prefix))
      return token !== undefined ? token.slice(prefix.length) : noLabel(at, how, header)
    }
  }
  const how = "a last field after '|'"
  return (header, at) => {
    const fields = header.split('|')
    return fields.length > 1 ? fields[fields.length - 1]!.trim() : noLabel(at, how, header)
  }
}

/** A user's regular expression, which must compile and have exactly one capture group. */
export function compilePattern(pattern: string): RegExp {
  let compiled: RegExp
  try {
    compiled = new RegExp(pattern)
  } catch (err) {
    throw new InputError(
      'dataset.bad_pattern',
      `The pattern /${pattern}/ is not a valid regular expression`,
      {
        expected: 'a regular expression with one capture group, e.g. label=(\\w+)',
        found: (err as Error).message,
        cause: err,
      },
    )
  }
  // Matching the pattern or nothing against '' reveals its group count without caring whether it matches.
  const groups = new RegExp(`${pattern}|`).exec('')!.length - 1
  if (groups !== 1) {
    throw new InputError(
      'dataset.bad_pattern',
      `The pattern /${pattern}/ must have exactly one capture group`,
      {
        expected: 'one capture group ( … ) around the label',
        found: `${groups} capture groups`,
        params: { groups },
      },
    )
  }
  return compiled
}

async function readLabelTable(
  file: InputFile,
  source: Extract<FastaLabelSource, { from: 'table' }>,
  signal: AbortSignal | undefined,
): Promise<{ rows: Map<string, TableRow>; columns: string[] }> {
  const lines = readTextLines(readFileBytes(file, { signal }), { fileName: file.name })
  let table
  try {
    table = await readDelimited(lines, { fileName: file.name })
  } catch (err) {
    throw renameEmpty(err, file.name, 'csv.empty')
  }
  const header = table.header!
  for (const column of [source.idColumn, source.labelColumn, source.weightColumn, source.groupColumn]) {
    if (column !== undefined && !header.includes(column)) throw missingColumnError(column, header, file.name)
  }
  const rows = new Map<string, TableRow>()
  for await (const row of table.rows) {
    const cells = rowAsRecord(header, row.fields)
    const id = cells[source.idColumn]!.trim()
    const at: Location = { file: file.name, line: row.line, record: row.row }
    const first = rows.get(id)
    if (first) throw duplicateIdError(id, at, first.at)
    rows.set(id, {
      label: cells[source.labelColumn]!,
      ...(source.weightColumn ? { weight: cells[source.weightColumn]! } : {}),
      ...(source.groupColumn ? { group: cells[source.groupColumn]! } : {}),
      at,
    })
  }
  return { rows, columns: header }
}
