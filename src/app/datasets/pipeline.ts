/**
 * The two ways every importer runs, written once:
 *
 * - `runPreview` reads the first records of a source, checks each one, and reports the first 20 records,
 *   what it saw (labels, lengths, alphabet guess) and every problem found so far instead of stopping at the
 *   first (the wizard shows them next to the options that would fix them). It never touches a project.
 * - `runImport` streams the whole source through the same checks into the staging table and commits the
 *   data set in one transaction at the end (see records.ts): any error or a cancel leaves the project as it
 *   was. Progress is reported in the source's own unit (bytes, bases or rows).
 *
 * An importer supplies a `RecordSource`: the raw records, the checker options, and what to store about it.
 */
import type { ImportPreview, PreviewRecord } from '../../shared/contract-datasets'
import { InputError, type InputErrorData } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'
import {
  guessAlphabet,
  RecordChecker,
  RecordStaging,
  type CheckedRecord,
  type CheckerOptions,
  type DatasetMeta,
  type RawRecord,
} from './records'

export interface ImportProgress {
  signal?: AbortSignal
  progress?: (done: number, total: number, phase: string) => void
}

export interface RecordSource {
  kind: ImportPreview['kind']
  records: AsyncIterable<RawRecord>
  checker: CheckerOptions
  alphabet: 'dna' | 'protein'
  /** Provenance stored with the data set: importer, file names, options. */
  source: Record<string, unknown>
  /** Where the reading is, in the source's unit. */
  progress(): { done: number; total: number; phase: string }
  /** What the preview reports besides records (columns, chromosomes, shapes). */
  layout?(): Partial<ImportPreview['layout']>
  /** Problems found before the records (e.g. in a peaks file), for the preview. */
  earlyProblems?: InputErrorData[]
  /** Turns an error of the parsers into the data set's (e.g. an empty file into `dataset.empty`). */
  translateError?(err: unknown): unknown
}

export const PREVIEW_RECORDS = 20
/** Records a preview checks (it shows fewer): enough to see the labels and lengths of a typical file. */
export const PREVIEW_SCAN = 500
const MAX_PROBLEMS = 20

export async function runPreview(source: RecordSource, signal?: AbortSignal): Promise<ImportPreview> {
  const checker = new RecordChecker({ ...source.checker, trackIds: true })
  const records: PreviewRecord[] = []
  const problems: InputErrorData[] = [...(source.earlyProblems ?? [])]
  const sequences: string[] = []
  let scanned = 0
  let complete = false
  const lengths = { min: Infinity, max: 0 }
  // Every label as written, bad ones included: seeing 'yes' among them tells the user how to fix the set.
  const labelsSeen = new Map<string, number>()
  const iterator = source.records[Symbol.asyncIterator]()
  try {
    for (;;) {
      signal?.throwIfAborted()
      if (scanned >= PREVIEW_SCAN || problems.length >= MAX_PROBLEMS) break
      const step = await iterator.next()
      if (step.done) {
        complete = true
        break
      }
      scanned += 1
      const raw = step.value
      sequences.push(raw.sequence.slice(0, 1000))
      lengths.min = Math.min(lengths.min, raw.sequence.length)
      lengths.max = Math.max(lengths.max, raw.sequence.length)
      if (!raw.problem) {
        const written = String(raw.label).trim()
        labelsSeen.set(written, (labelsSeen.get(written) ?? 0) + 1)
      }
      let checked: CheckedRecord | undefined
      try {
        checked = checker.check(raw)
      } catch (err) {
        if (!(err instanceof InputError)) throw err
        problems.push(err.toJSON())
      }
      if (records.length < PREVIEW_RECORDS) records.push(previewRecord(raw, checked, scanned))
    }
  } catch (err) {
    // A parser error ends the reading; it is the last problem the preview can see.
    const translated = source.translateError?.(err) ?? err
    if (!(translated instanceof InputError)) throw translated
    problems.push(translated.toJSON())
  } finally {
    await iterator.return?.()
  }
  if (complete && checker.count === 0 && problems.length === 0) problems.push(emptyError(source).toJSON())
  return {
    kind: source.kind,
    records,
    scanned,
    complete,
    layout: {
      labels: [...labelsSeen].map(([label, count]) => ({ label, count })),
      lengths: scanned > 0 ? lengths : null,
      alphabetGuess: guessAlphabet(sequences),
      ...source.layout?.(),
    },
    problems,
  }
}

function previewRecord(raw: RawRecord, checked: CheckedRecord | undefined, n: number): PreviewRecord {
  return {
    ...(raw.at.line !== undefined ? { line: raw.at.line } : {}),
    record: raw.at.record ?? n,
    id: raw.id,
    sequence: (checked?.sequence ?? raw.sequence).slice(0, 200),
    length: (checked?.sequence ?? raw.sequence).length,
    label: checked ? checked.label : null,
    rawLabel: String(raw.label),
    weight: checked ? checked.weight : null,
    group: raw.group ?? null,
    chrom: raw.chrom ?? null,
    start: raw.start ?? null,
    end: raw.end ?? null,
  }
}

function emptyError(source: RecordSource): InputError {
  const file = Object.values((source.source.files ?? {}) as Record<string, string>)[0]
  return new InputError('dataset.empty', 'There are no records to import', {
    file,
    expected: 'at least one record',
    found: 'none',
  })
}

/** How often (in records) the import reports progress and checks for a cancel. */
const PROGRESS_EVERY = 1000

/**
 * Reads the whole source, checks every record and writes the data set in one transaction.
 * Returns the new data set's id.
 */
export async function runImport(
  store: ProjectStore,
  name: string,
  source: RecordSource,
  ctx: ImportProgress = {},
): Promise<number> {
  const checker = new RecordChecker(source.checker)
  const staging = new RecordStaging(store)
  try {
    try {
      for await (const raw of source.records) {
        staging.add(checker.check(raw))
        if (checker.count % PROGRESS_EVERY === 0) {
          ctx.signal?.throwIfAborted()
          const p = source.progress()
          ctx.progress?.(p.done, p.total, p.phase)
        }
      }
    } catch (err) {
      throw source.translateError?.(err) ?? err
    }
    ctx.signal?.throwIfAborted()
    if (checker.count === 0) throw emptyError(source)
    const p = source.progress()
    ctx.progress?.(p.total, p.total, 'saving')
    const spec = source.checker.labels
    const meta: DatasetMeta = {
      name,
      alphabet: source.alphabet,
      labelKind: spec.kind,
      labelSet: checker.labelSet(),
      seqLength: checker.commonLength(),
      source: source.source,
    }
    // The last await is behind us: from here to the commit nothing can interleave.
    return staging.commit(meta)
  } finally {
    staging.dispose()
  }
}
