/**
 * src/core/sequence/alphabet: letters → codes for DNA and protein (case, N, IUPAC, strict mode), codes → letters,
 * reverse complement against a string implementation, and the packed BLOB round trip and its damage checks.
 */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/shared/errors'
import { Rng } from '../../src/core/random'
import {
  DNA,
  PROTEIN,
  alphabetByName,
  packCodes,
  reverseComplementCodes,
  unpackCodes,
} from '../../src/core/sequence'

function randomDna(rng: Rng, length: number, letters = 'ACGTNacgtn'): string {
  let s = ''
  for (let i = 0; i < length; i++) s += letters[rng.int(letters.length)]
  return s
}

function stringReverseComplement(seq: string): string {
  const pair: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' }
  return [...seq.toUpperCase()]
    .reverse()
    .map((c) => pair[c] ?? 'N')
    .join('')
}

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('DNA alphabet', () => {
  it('codes A0 C1 G2 T3 and N 4, in either case', () => {
    expect(Array.from(DNA.toCodes('ACGTNacgtn'))).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4])
    expect(DNA.size).toBe(4)
    expect(DNA.unknownCode).toBe(4)
  })

  it('reads IUPAC ambiguity codes and other letters as N, and rejects the others only when strict', () => {
    expect(Array.from(DNA.toCodes('RYSWKMBDHVrykm'))).toEqual(new Array(14).fill(4))
    expect(Array.from(DNA.toCodes('A-Z.1U'))).toEqual([0, 4, 4, 4, 4, 4])
    // IUPAC letters are known letters: allowed even when strict.
    expect(Array.from(DNA.toCodes('ARN', { strict: true }))).toEqual([0, 4, 4])
    const error = inputErrorOf(() => DNA.toCodes('ACGU', { strict: true, file: 'x.fa', record: 7 }))
    expect(error.code).toBe('sequence.bad_letter')
    expect(error.record).toBe(7)
    expect(error.file).toBe('x.fa')
    expect(error.found).toBe('"U"')
    expect(error.params).toEqual({ position: 4 })
    // Characters beyond Latin-1 do not index past the lookup table.
    expect(Array.from(DNA.toCodes('Aβ'))).toEqual([0, 4])
  })

  it('spells codes back in upper case', () => {
    expect(DNA.fromCodes(DNA.toCodes('acgTNr'))).toBe('ACGTNN')
    expect(DNA.fromCodes([0, 9])).toBe('AN')
  })

  it('reverse-complements codes like the string implementation, on random sequences', () => {
    const rng = Rng.seeded(1).fork('rc')
    for (let trial = 0; trial < 200; trial++) {
      const seq = randomDna(rng, rng.int(40))
      const rc = reverseComplementCodes(DNA.toCodes(seq))
      expect(DNA.fromCodes(rc)).toBe(stringReverseComplement(seq))
      // An involution.
      expect(Array.from(reverseComplementCodes(rc))).toEqual(Array.from(DNA.toCodes(seq)))
    }
  })

  it('refuses to reverse-complement protein', () => {
    expect(inputErrorOf(() => reverseComplementCodes(PROTEIN.toCodes('MKV'), PROTEIN)).code).toBe(
      'sequence.no_complement',
    )
  })
})

describe('protein alphabet', () => {
  it('codes the 20 standard amino acids alphabetically, X and the non-standard letters as 20', () => {
    expect(Array.from(PROTEIN.toCodes('ACDEFGHIKLMNPQRSTVWY'))).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    )
    expect(Array.from(PROTEIN.toCodes('xBZJUO*'))).toEqual(new Array(7).fill(20))
    expect(Array.from(PROTEIN.toCodes('mkV'))).toEqual([10, 8, 17])
    expect(PROTEIN.size).toBe(20)
    expect(inputErrorOf(() => PROTEIN.toCodes('MK1', { strict: true })).code).toBe('sequence.bad_letter')
  })

  it('is found by its stored name', () => {
    expect(alphabetByName('protein')).toBe(PROTEIN)
    expect(alphabetByName('dna')).toBe(DNA)
    expect(inputErrorOf(() => alphabetByName('rna')).code).toBe('sequence.unknown_alphabet')
  })
})

describe('packed codes', () => {
  it('round-trips DNA at 4 bits per base, odd and even lengths and empty', () => {
    const rng = Rng.seeded(2).fork('pack')
    for (const length of [0, 1, 2, 101, 1000]) {
      const codes = DNA.toCodes(randomDna(rng, length))
      const blob = packCodes(codes)
      expect(blob.length).toBe(5 + Math.ceil(length / 2))
      expect(blob[0]).toBe(2)
      expect(Array.from(unpackCodes(blob))).toEqual(Array.from(codes))
    }
  })

  it('stores protein codes at one byte each when a code does not fit 4 bits', () => {
    const codes = PROTEIN.toCodes('MKVLAAGIWYX')
    const blob = packCodes(codes)
    expect(blob[0]).toBe(1)
    expect(blob.length).toBe(5 + codes.length)
    expect(Array.from(unpackCodes(blob))).toEqual(Array.from(codes))
  })

  it('reads a BLOB that is a view into a larger buffer (as SQLite hands them out)', () => {
    const blob = packCodes(DNA.toCodes('ACGTTGCAN'))
    const big = new Uint8Array(blob.length + 7)
    big.set(blob, 3)
    expect(DNA.fromCodes(unpackCodes(big.subarray(3, 3 + blob.length)))).toBe('ACGTTGCAN')
  })

  it('rejects a damaged BLOB with sequence.bad_blob', () => {
    const blob = packCodes(DNA.toCodes('ACGTA'))
    expect(inputErrorOf(() => unpackCodes(blob.subarray(0, 6), { record: 3 }))).toMatchObject({
      code: 'sequence.bad_blob',
      record: 3,
    })
    expect(inputErrorOf(() => unpackCodes(new Uint8Array([1, 0]))).code).toBe('sequence.bad_blob')
    const wrongFormat = blob.slice()
    wrongFormat[0] = 9
    expect(inputErrorOf(() => unpackCodes(wrongFormat)).found).toBe('format 9')
  })
})
