/**
 * The sequences a prediction scores, read and checked against the model: pasted text (FASTA, or one
 * sequence per line) or a FASTA file streamed record by record (plain or gzip). Every record must be written
 * in the model's alphabet (DNA: A C G T N; protein: the 20 amino acids, X and B Z J U O *) and have the
 * window length the model reads — exactly, when the model was trained on fixed-length windows; at most, when
 * its data set had sequences of several lengths (shorter ones are padded, as in training). A longer sequence
 * is refused, or, when the caller asks for windows, scored window by window every `stride` bases (full
 * windows only, from its start, as the genome import tiles a chromosome).
 *
 * What comes out is compact, the form the worker takes: every sequence's alphabet codes back to back in one
 * buffer, and per row (a sequence, or a window) its id and where its codes start and end in the buffer.
 * Mistakes are `InputError`s naming the record (its number, id and line) and what was expected.
 */
import { readTextLines, type TextLine } from '../../core/formats/bytes'
import { readFasta } from '../../core/formats/fasta'
import { alphabetByName } from '../../core/sequence/alphabet'
import { MAX_PREDICT_ITEMS } from '../../shared/predict-limits'
import { InputError } from '../../shared/errors'
import { readFileBytes, type InputFile } from '../datasets/sources'

export interface ModelInput {
  alphabet: 'dna' | 'protein'
  length: number
  fixedLength: boolean
}

/** Rows to score. Row i reads `codes[starts[i] … ends[i])`; `windowStart` is −1 for a whole sequence. */
export interface ScoreItems {
  ids: string[]
  codes: Uint8Array
  starts: Int32Array
  ends: Int32Array
  /** Window rows: the window's start in its sequence (0-based); −1 for a whole sequence. */
  windowStart: Int32Array
  /** Sequences scored window by window. */
  windowed: number
  records: number
}

export interface ReadOptions {
  model: ModelInput
  /** Score longer sequences window by window, `stride` bases apart. */
  windows: { stride: number } | null
  fileName?: string
  signal?: AbortSignal
  /** Records read so far (a file's progress). */
  onRecord?: (records: number) => void
}

interface RawSequence {
  id: string
  sequence: string
  record: number
  line: number
}

const DNA_LETTERS = /^[ACGTNacgtn]*$/
const PROTEIN_LETTERS = /^[ACDEFGHIKLMNPQRSTVWYXBZJUO*acdefghiklmnpqrstvwyxbzjuo]*$/

function where(s: RawSequence): string {
  return `record ${s.record.toLocaleString('en-US')} (${s.id})`
}

function checkLetters(s: RawSequence, alphabet: 'dna' | 'protein', fileName?: string): void {
  const allowed = alphabet === 'dna' ? DNA_LETTERS : PROTEIN_LETTERS
  if (allowed.test(s.sequence)) return
  let position = 0
  while (position < s.sequence.length && allowed.test(s.sequence[position]!)) position++
  const letter = String.fromCodePoint(s.sequence.codePointAt(position)!)
  const expected =
    alphabet === 'dna' ? 'DNA letters A, C, G, T or N' : 'amino-acid letters (the 20, X, B, Z, J, U, O, *)'
  throw new InputError(
    'predict.bad_letter',
    `${where(s)}: '${letter}' at position ${position + 1} is not one of the model's ${expected}`,
    {
      file: fileName,
      line: s.line,
      record: s.record,
      expected,
      found: `'${letter}'`,
      params: { id: s.id, position: position + 1, letter },
    },
  )
}

function lengthError(s: RawSequence, model: ModelInput, fileName?: string): InputError {
  const n = s.sequence.length
  if (model.fixedLength) {
    return new InputError(
      'predict.wrong_length',
      `${where(s)} has ${n.toLocaleString('en-US')} letters; the model reads windows of exactly ` +
        `${model.length.toLocaleString('en-US')}` +
        (n > model.length ? ' (score longer sequences window by window)' : ''),
      {
        file: fileName,
        line: s.line,
        record: s.record,
        expected: `${model.length} letters`,
        found: `${n} letters`,
        params: { id: s.id, length: model.length, found: n },
      },
    )
  }
  return new InputError(
    'predict.too_long',
    `${where(s)} has ${n.toLocaleString('en-US')} letters; the model reads at most ` +
      `${model.length.toLocaleString('en-US')} (score longer sequences window by window)`,
    {
      file: fileName,
      line: s.line,
      record: s.record,
      expected: `at most ${model.length} letters`,
      found: `${n} letters`,
      params: { id: s.id, length: model.length, found: n },
    },
  )
}

export function tooMany(count: number, what: string): InputError {
  return new InputError(
    'predict.too_many',
    `This would score ${count.toLocaleString('en-US')} ${what}; one prediction scores at most ` +
      `${MAX_PREDICT_ITEMS.toLocaleString('en-US')} (use a larger stride, or a smaller region or file)`,
    {
      expected: `at most ${MAX_PREDICT_ITEMS} windows`,
      found: String(count),
      params: { count, max: MAX_PREDICT_ITEMS },
    },
  )
}

/** Collects rows into growing buffers. */
class ItemsBuilder {
  private codes = new Uint8Array(1 << 16)
  private used = 0
  private readonly ids: string[] = []
  private starts: number[] = []
  private ends: number[] = []
  private windowStarts: number[] = []
  windowed = 0
  records = 0

  constructor(private readonly options: ReadOptions) {}

  add(s: RawSequence): void {
    const { model, windows, fileName } = this.options
    this.records++
    if (s.sequence.length === 0) {
      throw new InputError('predict.empty_sequence', `${where(s)} has no sequence`, {
        file: fileName,
        line: s.line,
        record: s.record,
        expected: `${model.fixedLength ? '' : 'up to '}${model.length} letters`,
        found: 'an empty sequence',
        params: { id: s.id },
      })
    }
    checkLetters(s, model.alphabet, fileName)
    const n = s.sequence.length
    const fits = model.fixedLength ? n === model.length : n <= model.length
    if (!fits && !(windows && n > model.length)) throw lengthError(s, model, fileName)
    const codes = alphabetByName(model.alphabet).toCodes(s.sequence)
    const offset = this.append(codes)
    if (fits) {
      this.push(s.id, offset, offset + n, -1)
      return
    }
    this.windowed++
    const L = model.length
    for (let start = 0; start + L <= n; start += windows!.stride) {
      this.push(`${s.id}:${start}-${start + L}`, offset + start, offset + start + L, start)
    }
  }

  private push(id: string, start: number, end: number, windowStart: number): void {
    if (this.ids.length >= MAX_PREDICT_ITEMS) throw tooMany(this.ids.length + 1, 'sequences and windows')
    this.ids.push(id)
    this.starts.push(start)
    this.ends.push(end)
    this.windowStarts.push(windowStart)
  }

  private append(codes: Uint8Array): number {
    if (this.used + codes.length > this.codes.length) {
      let size = this.codes.length
      while (size < this.used + codes.length) size *= 2
      const grown = new Uint8Array(size)
      grown.set(this.codes.subarray(0, this.used))
      this.codes = grown
    }
    const offset = this.used
    this.codes.set(codes, offset)
    this.used += codes.length
    return offset
  }

  finish(): ScoreItems {
    if (this.ids.length === 0) {
      throw new InputError('predict.no_sequences', 'There are no sequences to score', {
        file: this.options.fileName,
        expected: 'at least one sequence',
        found: 'none',
      })
    }
    return {
      ids: this.ids,
      codes: this.codes.slice(0, this.used),
      starts: Int32Array.from(this.starts),
      ends: Int32Array.from(this.ends),
      windowStart: Int32Array.from(this.windowStarts),
      windowed: this.windowed,
      records: this.records,
    }
  }
}

async function* textLines(text: string): AsyncGenerator<TextLine> {
  const all = text.split('\n')
  for (let i = 0; i < all.length; i++) yield { text: all[i]!.replace(/\r$/, ''), lineNumber: i + 1 }
}

async function collect(records: AsyncIterable<RawSequence>, options: ReadOptions): Promise<ScoreItems> {
  const builder = new ItemsBuilder(options)
  for await (const s of records) {
    options.signal?.throwIfAborted()
    builder.add(s)
    options.onRecord?.(builder.records)
  }
  return builder.finish()
}

async function* fastaRecords(lines: AsyncIterable<TextLine>, fileName?: string): AsyncGenerator<RawSequence> {
  for await (const r of readFasta(lines, { fileName, alphabet: 'none' })) {
    yield {
      id: r.id || `seq${r.record}`,
      sequence: r.sequence,
      record: r.record,
      line: r.line,
    }
  }
}

/** One sequence per non-blank line; ids seq1, seq2, … (spaces inside a line are dropped). */
async function* plainRecords(text: string): AsyncGenerator<RawSequence> {
  let record = 0
  for await (const line of textLines(text)) {
    const sequence = line.text.replace(/\s+/g, '')
    if (sequence === '') continue
    record++
    yield { id: `seq${record}`, sequence, record, line: line.lineNumber }
  }
}

/** Pasted text: FASTA when its first non-blank line starts with '>', else one sequence per line. */
export function readPastedSequences(text: string, options: ReadOptions): Promise<ScoreItems> {
  const fasta = text.trimStart().startsWith('>')
  return collect(fasta ? fastaRecords(textLines(text)) : plainRecords(text), options)
}

/** A FASTA file, streamed (plain or gzip); errors name the file. */
export function readSequenceFile(file: InputFile, options: ReadOptions): Promise<ScoreItems> {
  const lines = readTextLines(readFileBytes(file, { signal: options.signal }), { fileName: file.name })
  return collect(fastaRecords(lines, file.name), { ...options, fileName: file.name })
}
