/**
 * src/core/sequence/protein-features: amino-acid and dipeptide composition and protein k-mer spectra, on
 * hand-counted sequences; X (and B Z J U O *) words are not counted; rows are independent of length.
 */
import { describe, expect, it } from 'vitest'
import {
  PROTEIN,
  proteinFeatureBatch,
  proteinFeatureDimension,
  proteinFeatureNames,
  proteinFeatures,
} from '../../src/core/sequence'
import { InputError } from '../../src/shared/errors'

const codes = (s: string) => PROTEIN.toCodes(s)
const column = (names: string[], name: string) => names.indexOf(name)

describe('protein features', () => {
  it('amino-acid composition: frequencies of the 20 letters, X left out', () => {
    const names = proteinFeatureNames('aac')
    expect(names.join('')).toBe(PROTEIN.letters)
    const row = proteinFeatures(codes('AACDXA'), 'aac')
    expect(row[column(names, 'A')]).toBeCloseTo(3 / 5, 7)
    expect(row[column(names, 'C')]).toBeCloseTo(1 / 5, 7)
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
  })

  it('dipeptide composition: 400 ordered pairs, words across X skipped', () => {
    const names = proteinFeatureNames('dpc')
    expect(names).toHaveLength(400)
    expect(names.slice(0, 3)).toEqual(['AA', 'AC', 'AD'])
    const row = proteinFeatures(codes('AACAXCA'), 'dpc')
    // Pairs: AA, AC, CA, (AX, XC skipped), CA → 4 counted.
    expect(row[column(names, 'AA')]).toBeCloseTo(1 / 4, 7)
    expect(row[column(names, 'CA')]).toBeCloseTo(2 / 4, 7)
    expect(row[column(names, 'AC')]).toBeCloseTo(1 / 4, 7)
    // Doubling the sequence keeps the composition (plus the one junction pair).
    expect(proteinFeatures(codes('MKV'.repeat(50)), 'dpc')[column(names, 'MK')]).toBeCloseTo(50 / 149, 6)
  })

  it('k-mer spectra: counts or frequencies, 20^k columns, batches equal single rows', () => {
    expect(proteinFeatureDimension('kmer', { k: 3 })).toBe(8000)
    const names = proteinFeatureNames('kmer', { k: 3 })
    const row = proteinFeatures(codes('MKVMKVX MKV'), 'kmer', { k: 3 })
    expect(row[column(names, 'MKV')]).toBe(3)
    expect(row[column(names, 'KVM')]).toBe(1)
    expect(row.reduce((a, b) => a + b, 0)).toBe(5)
    const freq = proteinFeatures(codes('MKVMKV'), 'kmer', { k: 3, normalise: 'frequency' })
    expect(freq[column(names, 'MKV')]).toBeCloseTo(0.5, 7)
    const seqs = ['MKVL', 'ACDEFGHIK', 'XX'].map(codes)
    const batch = proteinFeatureBatch(seqs, [2, 0, 1], 'kmer', { k: 2 })
    expect(Array.from(batch.subarray(400, 800))).toEqual(
      Array.from(proteinFeatures(seqs[0]!, 'kmer', { k: 2 })),
    )
    expect(batch.subarray(0, 400).every((v) => v === 0)).toBe(true)
  })

  it('refuses k > 3 and unknown options with sequence.bad_parameter', () => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return e instanceof InputError ? e.code : 'other'
      }
      return 'none'
    }
    expect(code(() => proteinFeatures(codes('MKV'), 'kmer', { k: 4 }))).toBe('sequence.bad_parameter')
    expect(
      code(() => proteinFeatureBatch([codes('MKV')], [0], 'kmer', { k: 2, normalise: 'x' as never })),
    ).toBe('sequence.bad_parameter')
  })
})
