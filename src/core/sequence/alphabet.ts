/**
 * Sequence alphabets as data, and the compact integer codes sequences are stored and encoded as.
 *
 * Why codes: a data set keeps its sequences once, as one small integer per residue (`Uint8Array`), and every
 * encoder (one-hot per batch, k-mer counts, reverse complement) works on those codes; letters are read once,
 * at import. An alphabet maps letters to codes `0 … size − 1` (the one-hot channels) plus one `unknownCode`
 * (`size`) for everything else, which encodes as an all-zero row.
 *
 * - `DNA`: A0 C1 G2 T3, N → 4. Case-insensitive (lower case marks soft-masked repeats, which are ordinary
 *   bases for a classifier). Policy for the IUPAC ambiguity codes R Y S W K M B D H V: they are read as N,
 *   "some base, not known which" → code 4, an all-zero one-hot row (spreading them over channels would invent
 *   a partial base the models never see in training). The FASTA importer decides earlier whether such letters
 *   are allowed at all (its `ambiguity` option). RNA's U is not a DNA letter.
 * - `PROTEIN`: the 20 standard amino acids in alphabetical order of their one-letter codes
 *   (A C D E F G H I K L M N P Q R S T V W Y → 0 … 19), X → 20 (unknown). The non-standard letters UniProt
 *   uses (B Z J U O) and the stop `*` are read as X.
 *
 * Letters that are neither in the alphabet nor one of its known ambiguity letters (digits, `-`, `.`, …) are
 * also read as the unknown code by default; `{ strict: true }` rejects them with `sequence.bad_letter`.
 */
import { InputError } from '../../shared/errors'

/** Marks a byte that is not a letter of the alphabet in the lookup table. */
const NOT_A_LETTER = 255

export interface Alphabet {
  readonly name: 'dna' | 'protein'
  /** The letters of the one-hot channels, in code order: `letters[code]`. */
  readonly letters: string
  /** Number of channels (4 for DNA, 20 for protein): the last dimension of a one-hot batch. */
  readonly size: number
  /** Code of N / X and of every letter without a channel; `=== size`. */
  readonly unknownCode: number
  readonly unknownLetter: string
  /** Letters read as the unknown code without complaint, even with `strict` (IUPAC codes, B Z J U O *). */
  readonly ambiguousLetters: string
  /** DNA only: complement of each code (`complement[code]`), the unknown code maps to itself. */
  readonly complement?: Uint8Array
  /** Letters (any case) → codes. */
  toCodes(sequence: string, options?: ToCodesOptions): Uint8Array
  /** Codes → upper-case letters (unknown → N / X). */
  fromCodes(codes: ArrayLike<number>): string
}

export interface ToCodesOptions {
  /** Reject letters that are neither in the alphabet nor known ambiguity letters. Default false. */
  strict?: boolean
  /** Where the sequence came from, for the error (`record` is 1-based). */
  file?: string
  record?: number
}

function makeAlphabet(spec: {
  name: 'dna' | 'protein'
  letters: string
  unknownLetter: string
  ambiguousLetters: string
  complementLetters?: string
}): Alphabet {
  const size = spec.letters.length
  const unknownCode = size
  // One table for both cases; the unknown letter itself and the ambiguity letters are "known" letters.
  const lookup = new Uint8Array(256).fill(NOT_A_LETTER)
  const setLetter = (letter: string, code: number) => {
    lookup[letter.toUpperCase().charCodeAt(0)] = code
    lookup[letter.toLowerCase().charCodeAt(0)] = code
  }
  for (let code = 0; code < size; code++) setLetter(spec.letters[code]!, code)
  for (const letter of spec.unknownLetter + spec.ambiguousLetters) setLetter(letter, unknownCode)

  let complement: Uint8Array | undefined
  if (spec.complementLetters !== undefined) {
    complement = new Uint8Array(size + 1)
    for (let code = 0; code < size; code++)
      complement[code] = spec.letters.indexOf(spec.complementLetters[code]!)
    complement[unknownCode] = unknownCode
  }
  const lettersWithUnknown = spec.letters + spec.unknownLetter

  return Object.freeze({
    name: spec.name,
    letters: spec.letters,
    size,
    unknownCode,
    unknownLetter: spec.unknownLetter,
    ambiguousLetters: spec.ambiguousLetters,
    complement,
    toCodes(sequence: string, options: ToCodesOptions = {}): Uint8Array {
      const codes = new Uint8Array(sequence.length)
      for (let i = 0; i < sequence.length; i++) {
        const ch = sequence.charCodeAt(i)
        const code = ch < 256 ? lookup[ch]! : NOT_A_LETTER
        if (code !== NOT_A_LETTER) {
          codes[i] = code
        } else if (options.strict) {
          throw new InputError(
            'sequence.bad_letter',
            `The ${spec.name === 'dna' ? 'DNA' : 'protein'} sequence has a letter outside its alphabet at position ${i + 1}.`,
            {
              file: options.file,
              record: options.record,
              expected: `one of ${lettersWithUnknown}${spec.ambiguousLetters}`,
              found: JSON.stringify(sequence[i]),
              params: { position: i + 1 },
            },
          )
        } else {
          codes[i] = unknownCode
        }
      }
      return codes
    },
    fromCodes(codes: ArrayLike<number>): string {
      let text = ''
      for (let i = 0; i < codes.length; i++) text += lettersWithUnknown[Math.min(codes[i]!, unknownCode)]
      return text
    },
  })
}

/** DNA: A0 C1 G2 T3; N, IUPAC ambiguity codes and anything else → 4 (all-zero one-hot). */
export const DNA: Alphabet = makeAlphabet({
  name: 'dna',
  letters: 'ACGT',
  unknownLetter: 'N',
  ambiguousLetters: 'RYSWKMBDHV',
  complementLetters: 'TGCA',
})

/** Protein: the 20 standard amino acids (alphabetical) → 0 … 19; X, B Z J U O, `*` and anything else → 20. */
export const PROTEIN: Alphabet = makeAlphabet({
  name: 'protein',
  letters: 'ACDEFGHIKLMNPQRSTVWY',
  unknownLetter: 'X',
  ambiguousLetters: 'BZJUO*',
})

/** The alphabet a data set names (`dna` / `protein`, as stored in the project). */
export function alphabetByName(name: string): Alphabet {
  if (name === 'dna') return DNA
  if (name === 'protein') return PROTEIN
  throw new InputError('sequence.unknown_alphabet', `There is no sequence alphabet called "${name}".`, {
    expected: 'dna or protein',
    found: name,
  })
}

/**
 * The reverse complement of DNA codes, as new codes: positions reversed, A↔T, C↔G, N stays N. Codes above 4
 * are read as N.
 */
export function reverseComplementCodes(codes: Uint8Array, alphabet: Alphabet = DNA): Uint8Array {
  const complement = alphabet.complement
  if (complement === undefined) {
    throw new InputError(
      'sequence.no_complement',
      `Reverse complement needs a nucleotide alphabet, not ${alphabet.name}.`,
      { expected: 'dna', found: alphabet.name },
    )
  }
  const n = codes.length
  const out = new Uint8Array(n)
  const unknown = alphabet.unknownCode
  for (let i = 0; i < n; i++) out[n - 1 - i] = complement[Math.min(codes[i]!, unknown)]!
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Compact storage: a self-describing BLOB per sequence.
//
// Layout: byte 0 = format (1: one byte per code, 2: two codes per byte, 4 bits each, first code in the low
// nibble); bytes 1–4 = number of codes, uint32 little-endian; then the codes. DNA codes (0 … 4) always fit in
// 4 bits, which halves what the project file stores (276k windows × 101 bp: 14 MB instead of 28 MB).
// The header makes a stored BLOB readable without knowing how it was written.

const FORMAT_BYTES = 1
const FORMAT_NIBBLES = 2
const HEADER = 5

/** Packs codes into a BLOB: 4 bits per code when every code is below 16 (always for DNA), else 8. */
export function packCodes(codes: Uint8Array): Uint8Array {
  const n = codes.length
  let max = 0
  for (let i = 0; i < n; i++) if (codes[i]! > max) max = codes[i]!
  const nibbles = max < 16
  const blob = new Uint8Array(HEADER + (nibbles ? Math.ceil(n / 2) : n))
  blob[0] = nibbles ? FORMAT_NIBBLES : FORMAT_BYTES
  new DataView(blob.buffer).setUint32(1, n, true)
  if (!nibbles) {
    blob.set(codes, HEADER)
  } else {
    for (let i = 0; i < n; i += 2) {
      blob[HEADER + (i >> 1)] = codes[i]! | ((i + 1 < n ? codes[i + 1]! : 0) << 4)
    }
  }
  return blob
}

/** Codes back from a BLOB written by `packCodes`; a damaged BLOB fails with `sequence.bad_blob`. */
export function unpackCodes(blob: Uint8Array, options: { record?: number } = {}): Uint8Array {
  const bad = (found: string) =>
    new InputError('sequence.bad_blob', 'A stored sequence is damaged and cannot be read.', {
      record: options.record,
      expected: 'a packed sequence (format 1 or 2 with its length)',
      found,
    })
  if (blob.length < HEADER) throw bad(`${blob.length} bytes`)
  const format = blob[0]
  const n = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(1, true)
  if (format === FORMAT_BYTES) {
    if (blob.length !== HEADER + n) throw bad(`${blob.length - HEADER} code bytes for ${n} codes`)
    return blob.slice(HEADER)
  }
  if (format === FORMAT_NIBBLES) {
    if (blob.length !== HEADER + Math.ceil(n / 2))
      throw bad(`${blob.length - HEADER} code bytes for ${n} codes`)
    const codes = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const byte = blob[HEADER + (i >> 1)]!
      codes[i] = i & 1 ? byte >> 4 : byte & 0x0f
    }
    return codes
  }
  throw bad(`format ${format}`)
}
