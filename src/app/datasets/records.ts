/**
 * The checks every importer shares, and the one place records are written.
 *
 * - `RecordChecker` turns a raw record (what a parser found: sequence, label as written, weight, …) into a
 *   stored record, or fails with an `InputError` naming the file and line/record: labels outside the
 *   declared set (`dataset.label_outside_set`), numeric labels that are not numbers (`dataset.bad_label`),
 *   NaN/negative weights (`dataset.bad_weight`), ragged lengths where a fixed length is declared
 *   (`dataset.ragged_length`), letters outside the alphabet in text columns (`dataset.bad_letter`).
 * - `RecordStaging` collects the checked records in a TEMP table of the project's connection while the file
 *   is still being read, then writes the data set and all its records in ONE transaction. Why a temp table:
 *   better-sqlite3 transactions are synchronous, and an import is a long async read; writing the project
 *   as we go would either hold its write lock for minutes or leave half a data set behind on a bad record.
 *   The temp table lives outside the project file, so a bad record anywhere, a cancel or a crash leaves the
 *   project exactly as it was. It also finds duplicate ids (a unique index) without holding them in memory.
 */
import { randomBytes } from 'node:crypto'
import type { LabelSpec } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'

/** Where a value was read: the file and its 1-based line or record. */
export interface Location {
  file: string
  line?: number
  record?: number
}

/** A record as a parser found it, before the data set's rules are applied. */
export interface RawRecord {
  at: Location
  id: string | null
  sequence: string
  /** The label as written (text), or as stored in an array (number). */
  label: string | number
  /** Where the label (and weight, group) came from when not from the record itself (a label table). */
  labelAt?: Location
  /** Where the weight came from, when not where the label came from (a separate array). */
  weightAt?: Location
  /** A problem the parser found with this record but could read past (previews list it and go on). */
  problem?: InputError
  weight?: string | number | null
  group?: string | null
  chrom?: string | null
  start?: number | null
  end?: number | null
}

/** A record as it is stored. */
export interface CheckedRecord {
  at: Location
  recordId: string | null
  sequence: string
  /** 0/1 (binary), class name (multi-class) or number (numeric). */
  label: number | string
  weight: number | null
  group: string | null
  chrom: string | null
  start: number | null
  end: number | null
}

export type LetterCheck = (sequence: string, at: Location) => string

export interface CheckerOptions {
  labels: LabelSpec
  fixedLength?: number | 'same'
  /** Checks (and normalises) the letters of sequences that no reader checked (CSV cells). */
  letters?: LetterCheck
  /** Finds duplicate ids in memory (previews; imports use the staging table's index). */
  trackIds?: boolean
}

const decimalPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/** A number written in plain decimal notation, or undefined. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim()
  return decimalPattern.test(trimmed) ? Number(trimmed) : undefined
}

function describeLocation(at: Location): string {
  if (at.line !== undefined) return `line ${at.line.toLocaleString('en-US')}`
  if (at.record !== undefined) return `record ${at.record.toLocaleString('en-US')}`
  return at.file
}

export function locatedError(
  code: string,
  problem: string,
  at: Location,
  detail: { expected: string; found: string; params?: Record<string, string | number> },
): InputError {
  return new InputError(code, `${describeLocation(at)}: ${problem}`, {
    file: at.file,
    line: at.line,
    record: at.record,
    ...detail,
  })
}

export class RecordChecker {
  count = 0
  minLength = Infinity
  maxLength = 0
  /** Labels as written, with counts (for previews and for a multi-class set taken from the file). */
  readonly rawLabelCounts = new Map<string, number>()
  private firstLength: number | undefined
  private readonly ids = new Map<string, Location>()
  private readonly classes: Set<string> | undefined

  constructor(private readonly options: CheckerOptions) {
    const spec = options.labels
    this.classes = spec.kind === 'multiclass' && spec.classes ? new Set(spec.classes) : undefined
  }

  check(raw: RawRecord): CheckedRecord {
    if (raw.problem) throw raw.problem
    const labelAt = raw.labelAt ?? raw.at
    let sequence = raw.sequence
    if (this.options.letters) sequence = this.options.letters(sequence, raw.at)
    sequence = sequence.toUpperCase()
    this.checkLength(sequence, raw.at)
    const label = this.label(raw.label, labelAt)
    const weight = this.weight(raw.weight, raw.weightAt ?? labelAt)
    if (this.options.trackIds && raw.id !== null) {
      const first = this.ids.get(raw.id)
      if (first) throw duplicateIdError(raw.id, raw.at, first)
      this.ids.set(raw.id, raw.at)
    }
    this.count += 1
    this.minLength = Math.min(this.minLength, sequence.length)
    this.maxLength = Math.max(this.maxLength, sequence.length)
    const written = String(raw.label).trim()
    this.rawLabelCounts.set(written, (this.rawLabelCounts.get(written) ?? 0) + 1)
    return {
      at: raw.at,
      recordId: raw.id,
      sequence,
      label,
      weight,
      group: raw.group === undefined || raw.group === null || raw.group === '' ? null : raw.group,
      chrom: raw.chrom ?? null,
      start: raw.start ?? null,
      end: raw.end ?? null,
    }
  }

  /** The label set to store: [negative, positive], the declared classes, or the classes found (sorted). */
  labelSet(): string[] {
    const spec = this.options.labels
    if (spec.kind === 'binary') return [spec.negative, spec.positive]
    if (spec.kind === 'multiclass') return spec.classes ?? [...this.rawLabelCounts.keys()].sort()
    return []
  }

  /** The length every record has, or null when they differ (or there are none). */
  commonLength(): number | null {
    return this.count > 0 && this.minLength === this.maxLength ? this.minLength : null
  }

  private checkLength(sequence: string, at: Location): void {
    if (sequence.length === 0) {
      throw locatedError('dataset.empty_sequence', 'the sequence is empty', at, {
        expected: 'a sequence of at least one letter',
        found: 'an empty sequence',
      })
    }
    const declared = this.options.fixedLength
    if (declared === undefined) return
    const expected = declared === 'same' ? (this.firstLength ??= sequence.length) : declared
    if (sequence.length !== expected) {
      throw locatedError(
        'dataset.ragged_length',
        `the sequence has ${sequence.length} letters, but every sequence must have ${expected}` +
          (declared === 'same' ? ' (the length of the first)' : ''),
        at,
        { expected: `${expected} letters`, found: `${sequence.length} letters` },
      )
    }
  }

  private label(raw: string | number, at: Location): number | string {
    const spec = this.options.labels
    const text = typeof raw === 'number' ? String(raw) : raw.trim()
    const shown = text === '' ? 'an empty label' : `'${text}'`
    if (spec.kind === 'numeric') {
      const value = typeof raw === 'number' ? raw : parseDecimal(text)
      if (value === undefined || !Number.isFinite(value)) {
        throw locatedError('dataset.bad_label', `the label ${shown} is not a number`, at, {
          expected: 'a finite number',
          found: shown,
        })
      }
      return value
    }
    if (spec.kind === 'binary') {
      const code = binaryCode(raw, text, spec)
      if (code === undefined) {
        throw locatedError(
          'dataset.label_outside_set',
          `the label ${shown} is neither '${spec.negative}' nor '${spec.positive}'`,
          at,
          { expected: `'${spec.negative}' or '${spec.positive}'`, found: shown },
        )
      }
      return code
    }
    if (text === '' || (this.classes && !this.classes.has(text))) {
      const list = this.classes ? [...this.classes].map((c) => `'${c}'`).join(', ') : 'a class name'
      throw locatedError('dataset.label_outside_set', `the label ${shown} is not one of the classes`, at, {
        expected: list.length > 200 ? list.slice(0, 200) + '…' : list,
        found: shown,
      })
    }
    return text
  }

  private weight(raw: string | number | null | undefined, at: Location): number | null {
    if (raw === undefined || raw === null) return null
    const value = typeof raw === 'number' ? raw : parseDecimal(raw)
    if (value === undefined || !Number.isFinite(value) || value < 0) {
      const found = typeof raw === 'number' ? String(raw) : raw.trim() === '' ? 'an empty cell' : `'${raw}'`
      throw locatedError('dataset.bad_weight', `the weight ${found} is not a number ≥ 0`, at, {
        expected: 'a finite number ≥ 0',
        found,
      })
    }
    return value
  }
}

function binaryCode(
  raw: string | number,
  text: string,
  spec: { negative: string; positive: string },
): 0 | 1 | undefined {
  if (text === spec.positive) return 1
  if (text === spec.negative) return 0
  // Numbers match numerically: 1.0 in a .npy or "1.0" in a CSV is the class "1".
  const value = typeof raw === 'number' ? raw : parseDecimal(text)
  if (value === undefined) return undefined
  if (value === parseDecimal(spec.positive)) return 1
  if (value === parseDecimal(spec.negative)) return 0
  return undefined
}

export function duplicateIdError(id: string, at: Location, first: Location): InputError {
  const firstAt = first.line !== undefined ? `line ${first.line}` : `record ${first.record ?? '?'}`
  return locatedError('dataset.duplicate_id', `the id '${id}' was already used (${firstAt})`, at, {
    expected: 'each id once',
    found: `'${id}' again`,
    params: { id, first: firstAt },
  })
}

// ---------------------------------------------------------------------------------------------------------
// Letters of sequences that no reader checked

const dnaLetters = 'ACGTN'
const dnaAmbiguity = 'RYSWKMBDHV'
const aminoAcids = 'ACDEFGHIKLMNPQRSTVWYBJOUXZ*'

/** The check `readFasta` applies, for sequences read from table cells. */
export function letterCheck(alphabet: 'dna' | 'protein', ambiguity: 'reject' | 'asN' | 'keep'): LetterCheck {
  const accepted =
    alphabet === 'protein' ? aminoAcids : dnaLetters + (ambiguity === 'reject' ? '' : dnaAmbiguity)
  const escaped = accepted.replace('*', '\\*')
  const allAccepted = new RegExp(`^[${escaped}${escaped.toLowerCase()}]*$`)
  const asN = alphabet === 'dna' && ambiguity === 'asN' ? new RegExp(`[${dnaAmbiguity}]`, 'gi') : undefined
  return (sequence, at) => {
    if (!allAccepted.test(sequence)) {
      const index = [...sequence].findIndex((letter) => !accepted.includes(letter.toUpperCase()))
      const letter = [...sequence][index] ?? '?'
      throw locatedError(
        'dataset.bad_letter',
        `'${letter}' at position ${index + 1} is not a ${alphabet === 'dna' ? 'DNA' : 'protein'} letter`,
        at,
        {
          expected:
            alphabet === 'protein'
              ? 'an amino-acid letter or *'
              : ambiguity === 'reject'
                ? 'A, C, G, T or N'
                : 'A, C, G, T, N or an IUPAC ambiguity code',
          found: `'${letter}'`,
          params: { position: index + 1, letter },
        },
      )
    }
    return asN ? sequence.replace(asN, 'N') : sequence
  }
}

/** A guess of the alphabet from the letters seen. */
export function guessAlphabet(sequences: readonly string[]): 'dna' | 'protein' | 'unknown' {
  const letters = sequences.join('').toUpperCase()
  if (letters.length === 0) return 'unknown'
  // Mostly nucleotides means DNA (with a few typos); a protein of only A C G T N is vanishingly rare.
  const nucleotides = letters.replace(/[^ACGTN]/g, '').length
  if (nucleotides / letters.length >= 0.9) return 'dna'
  return /^[ACDEFGHIKLMNPQRSTVWYBJOUXZ*]*$/.test(letters) ? 'protein' : 'unknown'
}

// ---------------------------------------------------------------------------------------------------------
// Staging and the one transaction

/** The data set row, written with its records. */
export interface DatasetMeta {
  name: string
  alphabet: 'dna' | 'protein'
  labelKind: 'binary' | 'multiclass' | 'numeric'
  labelSet: string[]
  seqLength: number | null
  source: Record<string, unknown>
}

const STAGING_BATCH = 2000

export class RecordStaging {
  private readonly table: string
  private readonly insert
  private readonly firstById
  private buffer: CheckedRecord[] = []
  private count = 0
  private disposed = false

  constructor(private readonly store: ProjectStore) {
    this.table = `seqlab_import_${randomBytes(6).toString('hex')}`
    // No type on label: 0/1 stay integers, class names text, numeric targets real (as in `records`).
    store.db.exec(`
      CREATE TEMP TABLE ${this.table} (
        idx INTEGER PRIMARY KEY, record_id TEXT, sequence TEXT NOT NULL, label, weight REAL,
        group_key TEXT, chrom TEXT, start INTEGER, "end" INTEGER, file TEXT, line INTEGER, record INTEGER
      );
      CREATE UNIQUE INDEX temp.${this.table}_ids ON ${this.table} (record_id);
    `)
    this.insert = store.db.prepare(
      `INSERT INTO temp.${this.table}
       (idx, record_id, sequence, label, weight, group_key, chrom, start, "end", file, line, record)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.firstById = store.db.prepare(`SELECT file, line, record FROM temp.${this.table} WHERE record_id = ?`)
  }

  get records(): number {
    return this.count + this.buffer.length
  }

  add(record: CheckedRecord): void {
    this.buffer.push(record)
    if (this.buffer.length >= STAGING_BATCH) this.flush()
  }

  /** Writes the buffered records to the temp table (the project file is not touched). */
  flush(): void {
    if (this.buffer.length === 0) return
    const batch = this.buffer
    this.buffer = []
    // A plain (deferred) transaction that writes only the temp schema takes no lock on the project.
    this.store.db.transaction(() => {
      for (const r of batch) {
        try {
          this.insert.run(
            this.count,
            r.recordId,
            r.sequence,
            r.label,
            r.weight,
            r.group,
            r.chrom,
            r.start,
            r.end,
            r.at.file,
            r.at.line ?? null,
            r.at.record ?? null,
          )
        } catch (err) {
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && r.recordId !== null) {
            const first = this.firstById.get(r.recordId) as
              { file: string; line: number | null; record: number | null } | undefined
            throw duplicateIdError(r.recordId, r.at, {
              file: first?.file ?? r.at.file,
              line: first?.line ?? undefined,
              record: first?.record ?? undefined,
            })
          }
          throw err
        }
        this.count += 1
      }
    })()
  }

  /** Writes the data set and every staged record in one transaction; returns the new data set's id. */
  commit(meta: DatasetMeta): number {
    this.flush()
    const db = this.store.db
    return this.store.transaction(() => {
      const { lastInsertRowid } = db
        .prepare(
          `INSERT INTO datasets (name, kind, alphabet, label_kind, label_set, seq_length, source, created_at, record_count)
           VALUES (?, 'sequences', ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          meta.name,
          meta.alphabet,
          meta.labelKind,
          JSON.stringify(meta.labelSet),
          meta.seqLength,
          JSON.stringify(meta.source),
          new Date().toISOString(),
          this.count,
        )
      const datasetId = Number(lastInsertRowid)
      db.prepare(
        `INSERT INTO records (dataset_id, idx, record_id, sequence, label, weight, group_key, chrom, start, "end")
         SELECT ?, idx, record_id, sequence, label, weight, group_key, chrom, start, "end"
         FROM temp.${this.table} ORDER BY idx`,
      ).run(datasetId)
      this.store.markChanged()
      return datasetId
    })
  }

  /** Drops the temp table; safe to call twice, and after the project was closed. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.buffer = []
    if (this.store.db.open) this.store.db.exec(`DROP TABLE IF EXISTS temp.${this.table}`)
  }
}
