/**
 * FASTA, read as a stream of text lines (from `lines` in ./bytes): one record at a time, never the whole file.
 *
 * A record is a `>` header (id = text up to the first whitespace, description = the rest) and the sequence
 * lines up to the next header, joined. Blank lines are skipped; spaces inside sequence lines are dropped.
 * Records with an empty header or an empty sequence are kept (binding-site files use bare `>` headers);
 * deciding whether they are usable is the data set's job.
 *
 * Letters are checked against an alphabet so that a wrong file fails at import with the line and column:
 * - `dna`: A C G T N in either case (lower case marks soft-masked repeats and is kept as is, unless
 *   `uppercase`); IUPAC ambiguity codes (R Y S W K M B D H V) are rejected, turned into N, or kept.
 * - `protein`: the 20 standard amino acids in either case; B J O U X Z and the stop `*` are kept (UniProt
 *   uses X, B, Z, U), rejected, or turned into X.
 * - `none`: any letters are accepted.
 */
import { InputError } from '../../shared/errors'
import type { TextLine } from './bytes'

// The indexed form of FASTA and the naming of regions live in their own modules; re-exported here so that
// everything about FASTA can be imported from one place.
export {
  findFaiEntry,
  formatFastaIndex,
  indexFasta,
  readFastaIndex,
  readFastaRegion,
  type FaiEntry,
} from './fai'
export { canonicalChrom, parseRegionName, sameChromosome, type GenomeRegion } from './regions'

export type SequenceAlphabet = 'dna' | 'protein' | 'none'

export interface FastaOptions {
  fileName?: string
  /** Which letters a sequence may contain; `none` by default. */
  alphabet?: SequenceAlphabet
  /** DNA: what to do with IUPAC ambiguity codes R Y S W K M B D H V. Default `reject`. */
  ambiguity?: 'reject' | 'asN' | 'keep'
  /** Protein: what to do with B J O U X Z and `*`. Default `keep`. */
  nonstandardAminoAcids?: 'reject' | 'asX' | 'keep'
  /** Upper-case every sequence (soft-masking is lost). Default false. */
  uppercase?: boolean
}

export interface FastaRecord {
  id: string
  description: string
  sequence: string
  /** 1-based position of the record in the file. */
  record: number
  /** 1-based line of the record's header. */
  line: number
}

const dnaLetters = 'ACGTN'
const dnaAmbiguityLetters = 'RYSWKMBDHV'
const standardAminoAcids = 'ACDEFGHIKLMNPQRSTVWY'
const nonstandardAminoAcids = 'BJOUXZ*'

/** Per character code: accept, replace with the alphabet's unknown letter, or reject. */
const LetterRule = { Reject: 0, Accept: 1, Replace: 2 } as const
type LetterRule = (typeof LetterRule)[keyof typeof LetterRule]

interface LetterChecker {
  /** Matches a line that needs no checking letter by letter (the fast path). */
  allAccepted: RegExp
  rules: Uint8Array
  unknownLetter: string
  describe: string
  expected: string
}

function letterChecker(options: FastaOptions): LetterChecker | undefined {
  const alphabet = options.alphabet ?? 'none'
  if (alphabet === 'none') return undefined
  const rules = new Uint8Array(128)
  const set = (letters: string, rule: LetterRule) => {
    for (const letter of letters + letters.toLowerCase()) rules[letter.charCodeAt(0)] = rule
  }
  if (alphabet === 'dna') {
    const ambiguity = options.ambiguity ?? 'reject'
    set(dnaLetters, LetterRule.Accept)
    if (ambiguity !== 'reject')
      set(dnaAmbiguityLetters, ambiguity === 'keep' ? LetterRule.Accept : LetterRule.Replace)
    const accepted = dnaLetters + (ambiguity === 'keep' ? dnaAmbiguityLetters : '')
    return {
      allAccepted: new RegExp(`^[${accepted}${accepted.toLowerCase()}]*$`),
      rules,
      unknownLetter: 'N',
      describe: 'DNA letter',
      expected: ambiguity === 'reject' ? 'A, C, G, T or N' : 'A, C, G, T, N or an IUPAC ambiguity code',
    }
  }
  const extras = options.nonstandardAminoAcids ?? 'keep'
  set(standardAminoAcids, LetterRule.Accept)
  if (extras !== 'reject')
    set(nonstandardAminoAcids, extras === 'keep' ? LetterRule.Accept : LetterRule.Replace)
  const accepted = standardAminoAcids + (extras === 'keep' ? 'BJOUXZ' : '')
  return {
    allAccepted: new RegExp(`^[${accepted}${accepted.toLowerCase()}${extras === 'keep' ? '*' : ''}]*$`),
    rules,
    unknownLetter: 'X',
    describe: 'protein letter',
    expected: extras === 'reject' ? 'one of the 20 standard amino acids' : 'an amino-acid letter or *',
  }
}

/**
 * The records of a FASTA file. Fails with `fasta.empty` when there is no record, `fasta.no_header` when text
 * comes before the first `>`, and `fasta.bad_letter` (line, column, letter) when a letter is not in the
 * alphabet.
 */
export async function* readFasta(
  lines: AsyncIterable<TextLine>,
  options: FastaOptions = {},
): AsyncGenerator<FastaRecord> {
  const checker = letterChecker(options)
  let header: { id: string; description: string; line: number } | undefined
  let pieces: string[] = []
  let recordCount = 0

  const finishRecord = (): FastaRecord => {
    const sequence = pieces.join('')
    pieces = []
    return {
      ...header!,
      sequence: options.uppercase ? sequence.toUpperCase() : sequence,
      record: recordCount,
    }
  }

  for await (const { text, lineNumber } of lines) {
    if (text.startsWith('>')) {
      if (header) yield finishRecord()
      recordCount += 1
      const title = text.slice(1).trim()
      const space = title.search(/\s/)
      header =
        space === -1
          ? { id: title, description: '', line: lineNumber }
          : { id: title.slice(0, space), description: title.slice(space + 1).trim(), line: lineNumber }
      continue
    }
    const letters = /\s/.test(text) ? text.replace(/\s+/g, '') : text
    if (letters === '') continue
    if (!header) {
      throw new InputError(
        'fasta.no_header',
        `line ${formatCount(lineNumber)}: a FASTA file must start with a '>' header line`,
        {
          file: options.fileName,
          line: lineNumber,
          expected: "a line starting with '>'",
          found: quote(text, 40),
        },
      )
    }
    pieces.push(checker ? checkLetters(letters, text, lineNumber, recordCount, checker, options) : letters)
  }
  if (header) yield finishRecord()
  if (recordCount === 0) {
    throw new InputError('fasta.empty', 'The file has no FASTA records', {
      file: options.fileName,
      expected: "at least one record starting with '>'",
      found: 'no records',
    })
  }
}

function checkLetters(
  letters: string,
  originalLine: string,
  lineNumber: number,
  recordNumber: number,
  checker: LetterChecker,
  options: FastaOptions,
): string {
  if (checker.allAccepted.test(letters)) return letters
  let replaced: string[] | undefined
  for (let i = 0; i < letters.length; i++) {
    const code = letters.charCodeAt(i)
    const rule = code < 128 ? checker.rules[code]! : LetterRule.Reject
    if (rule === LetterRule.Reject) {
      const letter = String.fromCodePoint(letters.codePointAt(i)!)
      // The column in the line as written, spaces included, for the user to find it in an editor.
      const column = columnInLine(originalLine, i)
      throw new InputError(
        'fasta.bad_letter',
        `line ${formatCount(lineNumber)}, column ${column}: '${letter}' is not a ${checker.describe}`,
        {
          file: options.fileName,
          line: lineNumber,
          record: recordNumber,
          expected: checker.expected,
          found: `'${letter}'`,
          params: { column, letter },
        },
      )
    }
    if (rule === LetterRule.Replace) {
      replaced ??= Array.from(letters)
      const isLower = code >= 97
      replaced[i] = isLower ? checker.unknownLetter.toLowerCase() : checker.unknownLetter
    }
  }
  return replaced ? replaced.join('') : letters
}

/** 1-based column in `line` of the `index`-th non-space character. */
function columnInLine(line: string, index: number): number {
  let seen = -1
  for (let column = 0; column < line.length; column++) {
    if (/\s/.test(line[column]!)) continue
    seen += 1
    if (seen === index) return column + 1
  }
  return index + 1
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US')
}

function quote(text: string, maxLength: number): string {
  return `'${text.length > maxLength ? text.slice(0, maxLength) + '…' : text}'`
}
