// JASPAR count-matrix readers on the shared motif files, and the motif-scan baseline against brute force.
import * as fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  bestMatch,
  bestMatchScore,
  readJaspar,
  readJasparWil,
  toLogOdds,
  type BaseRows,
} from '../../src/core/formats/jaspar'
import { InputError } from '../../src/shared/errors'
import { seededFloats as rng } from '../support/random'

const motifs = '/work/shared/data/motifs'
const text = (name: string) => fs.readFileSync(`${motifs}/${name}`, 'utf8')

function inputError(f: () => unknown): InputError {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return e as InputError
  }
  throw new Error('expected an InputError')
}

describe('readJasparWil', () => {
  const all = readJasparWil(text('jaspar_2016.wil'), { fileName: 'jaspar_2016.wil' })

  it('finds the 635 matrices of jaspar_2016.wil, each with four equal rows', () => {
    expect(all).toHaveLength(635)
    expect(new Set(all.map((m) => m.id)).size).toBe(635)
    for (const m of all) {
      expect(m.counts).toHaveLength(4)
      expect(m.counts.every((row) => row.length === m.counts[0].length && row.length > 0)).toBe(true)
    }
    expect(all[0]).toMatchObject({ id: 'MA0002.1', name: 'RUNX1' })
    expect(all.at(-1)).toMatchObject({ id: 'MA1099.1', name: 'Hes1' })
  })

  it('reads JUND MA0491.1 as the file writes it (columns checked by hand)', () => {
    const jund = all.find((m) => m.id === 'MA0491.1')!
    expect(jund.name).toBe('JUND')
    expect(jund.counts[0]).toHaveLength(11)
    const column = (p: number) => jund.counts.map((row) => row[p])
    // File lines 1312–1315: column 1 is A 12389, C 759, G 13640, T 11922; column 5 is all A; column 8 all C...
    expect(column(0)).toEqual([12389, 759, 13640, 11922])
    expect(column(4)).toEqual([38710, 0, 0, 0])
    expect(column(7)).toEqual([1547, 37163, 0, 0])
    expect(column(10)).toEqual([5786, 14956, 12429, 5539])
    // Every column counts the same 38710 sites.
    for (let p = 0; p < 11; p++) expect(column(p).reduce((a, b) => a! + b!, 0)).toBe(38710)
  })

  it('reads JUND(var.2) MA0492.1 with its 15 columns', () => {
    const jund2 = all.find((m) => m.id === 'MA0492.1')!
    expect(jund2.name).toBe('JUND(var.2)')
    expect(jund2.counts.map((row) => row[0])).toEqual([11448, 4326, 7996, 9861])
    expect(jund2.counts.map((row) => row[14])).toEqual([10255, 10841, 6351, 6184])
  })

  it('refuses the labelled .jaspar layout, pointing at the line', () => {
    const err = inputError(() => readJasparWil(text('jaspar-insecta.jaspar'), { fileName: 'insecta.jaspar' }))
    expect(err.code).toBe('jaspar.bad_format')
    expect(err.line).toBe(2)
    expect(err.file).toBe('insecta.jaspar')
  })
})

describe('readJaspar', () => {
  it('reads the labelled .jaspar layout', () => {
    const insecta = readJaspar(text('jaspar-insecta.jaspar'))
    expect(insecta).toHaveLength(126)
    expect(insecta[0]).toEqual({
      id: 'MA0010.1',
      name: 'br_Z1',
      counts: [
        [3, 1, 5, 7, 3, 6, 4, 7, 1, 9, 8, 5, 4, 2],
        [1, 1, 2, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0, 3],
        [4, 1, 1, 1, 0, 0, 4, 1, 0, 0, 1, 3, 0, 2],
        [1, 6, 1, 1, 6, 3, 0, 1, 0, 0, 0, 1, 5, 2],
      ],
    })
  })

  it('reads the tab-separated pfm_vertebrates.txt, names with spaces included', () => {
    const vertebrates = readJaspar(text('pfm_vertebrates.txt'))
    expect(vertebrates).toHaveLength(205)
    expect(vertebrates[0]).toEqual({
      id: 'MA0004.1',
      name: 'Arnt',
      counts: [
        [4, 19, 0, 0, 0, 0],
        [16, 0, 20, 0, 0, 0],
        [0, 1, 0, 20, 0, 20],
        [0, 0, 0, 0, 20, 0],
      ],
    })
    expect(vertebrates.find((m) => m.id === 'MA0489.1')!.name).toBe('JUN (var.2)')
  })

  it('reads the .wil file to the same matrices as readJasparWil', () => {
    expect(readJaspar(text('jaspar_2016.wil'))).toEqual(readJasparWil(text('jaspar_2016.wil')))
  })

  it('puts labelled rows where their base says and accepts decimal counts', () => {
    const [m] = readJaspar('>M1 x\nC [1 2]\nA [0.5 3]\nT [0 0]\nG [4 1e1]\n')
    expect(m!.counts).toEqual([
      [0.5, 3],
      [1, 2],
      [4, 10],
      [0, 0],
    ])
  })

  it.each([
    ['>M1 x\n1 2\n3 4\n5 6\n>M2 y\n1\n1\n1\n1\n', 5, 'three rows'],
    ['>M1 x\n1 2\n3 4\n5 6\n7\n', 1, 'unequal rows'],
    ['>M1 x\n1 2\n3 -4\n5 6\n7 8\n', 3, 'a negative count'],
    ['>M1 x\n1 2\n3 four\n5 6\n7 8\n', 3, 'a word for a count'],
    ['1 2\n3 4\n5 6\n7 8\n', 1, 'no header'],
    ['>M1 x\nA [1 2]\nA [3 4]\nG [5 6]\nT [7 8]\n', 3, 'two A rows'],
    ['>M1 x\nA [1 2]\n3 4\nG [5 6]\nT [7 8]\n', 3, 'mixed rows'],
  ])('rejects %j at line %i (%s)', (bad, line) => {
    const err = inputError(() => readJaspar(bad, { fileName: 'm.jaspar' }))
    expect(err.code).toBe('jaspar.bad_format')
    expect(err.line).toBe(line)
  })

  it('rejects a file without matrices', () => {
    expect(inputError(() => readJaspar('\n\n')).code).toBe('jaspar.empty')
  })
})

describe('toLogOdds', () => {
  it('shares the pseudocount out by the background (TFBSTools toPWM)', () => {
    const counts: BaseRows = [[3], [1], [4], [1]]
    const uniform = toLogOdds(counts)
    // (3 + 0.8·0.25) / (9 + 0.8) = 3.2 / 9.8 for A; over 0.25.
    expect(uniform[0][0]).toBeCloseTo(Math.log2(3.2 / 9.8 / 0.25), 12)
    expect(uniform[1][0]).toBeCloseTo(Math.log2(1.2 / 9.8 / 0.25), 12)
    const bg = [0.3, 0.2, 0.2, 0.3] as const
    const skewed = toLogOdds(counts, { pseudocount: 2, background: bg })
    expect(skewed[3][0]).toBeCloseTo(Math.log2((1 + 2 * 0.3) / 11 / 0.3), 12)
    expect(skewed[2][0]).toBeCloseTo(Math.log2((4 + 2 * 0.2) / 11 / 0.2), 12)
  })

  it('gives -Infinity to an unseen base without pseudocount', () => {
    expect(toLogOdds([[2], [0], [0], [0]], { pseudocount: 0 })).toEqual([
      [2],
      [-Infinity],
      [-Infinity],
      [-Infinity],
    ])
  })

  it('rejects a background that is not a distribution and a negative pseudocount', () => {
    expect(inputError(() => toLogOdds([[1], [1], [1], [1]], { background: [0.5, 0.5, 0.5, 0.5] })).code).toBe(
      'motif.bad_background',
    )
    expect(inputError(() => toLogOdds([[1], [1], [1], [1]], { background: [1, 0, 0, 0] })).code).toBe(
      'motif.bad_background',
    )
    expect(inputError(() => toLogOdds([[1], [1], [1], [1]], { pseudocount: -1 })).code).toBe(
      'motif.bad_pseudocount',
    )
  })
})

describe('bestMatchScore', () => {
  const wil = readJasparWil(text('jaspar_2016.wil'))
  const jund = wil.find((m) => m.id === 'MA0491.1')!
  const jund2 = wil.find((m) => m.id === 'MA0492.1')!

  /** The reference: score every window of the sequence and of its reverse complement as strings. */
  function bruteForce(logOdds: BaseRows, seq: string, bothStrands: boolean): number {
    const complement: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N' }
    const reverseComplement = [...seq]
      .reverse()
      .map((c) => complement[c])
      .join('')
    const L = logOdds[0].length
    let best = -Infinity
    for (const s of bothStrands ? [seq, reverseComplement] : [seq]) {
      for (let i = 0; i + L <= s.length; i++) {
        const window = s.slice(i, i + L)
        if (window.includes('N')) continue
        let score = 0
        for (let p = 0; p < L; p++) score += logOdds['ACGT'.indexOf(window[p]!) as 0 | 1 | 2 | 3][p]!
        best = Math.max(best, score)
      }
    }
    return best
  }

  const codesOf = (seq: string) => Uint8Array.from(seq, (c) => ('ACGT'.includes(c) ? 'ACGT'.indexOf(c) : 4))

  function randomSequence(next: () => number, length: number, nRate: number): string {
    return Array.from({ length }, () => (next() < nRate ? 'N' : 'ACGT'[Math.floor(next() * 4)]!)).join('')
  }

  it('equals brute force on random sequences, both strands and forward only', () => {
    const next = rng(7)
    const randomMatrix = (L: number): BaseRows =>
      [0, 1, 2, 3].map(() => Array.from({ length: L }, () => Math.floor(next() * 50))) as BaseRows
    const matrices = [jund.counts, jund2.counts, randomMatrix(1), randomMatrix(6), randomMatrix(20)]
    for (const counts of matrices) {
      const logOdds = toLogOdds(counts)
      for (let trial = 0; trial < 40; trial++) {
        const seq = randomSequence(next, 1 + Math.floor(next() * 150), trial % 3 === 0 ? 0.05 : 0)
        for (const bothStrands of [true, false]) {
          const want = bruteForce(logOdds, seq, bothStrands)
          expect(bestMatchScore(logOdds, codesOf(seq), { bothStrands })).toBeCloseTo(want, 9)
        }
      }
    }
  })

  it('finds a JUND site planted on the reverse strand, where the forward scan alone does not', () => {
    const logOdds = toLogOdds(jund.counts)
    const consensus = [...Array(11).keys()]
      .map((p) => 'ACGT'[[0, 1, 2, 3].reduce((b, x) => (logOdds[x]![p]! > logOdds[b]![p]! ? x : b), 0)])
      .join('')
    const complement: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' }
    const site = [...consensus]
      .reverse()
      .map((c) => complement[c])
      .join('')
    const seq = randomSequence(rng(11), 45, 0) + site + randomSequence(rng(12), 45, 0)
    const maxScore = [...Array(11).keys()].reduce((s, p) => s + Math.max(...logOdds.map((row) => row[p]!)), 0)
    const match = bestMatch(logOdds, codesOf(seq))!
    expect(match.strand).toBe('-')
    expect(match.position).toBe(45)
    expect(match.score).toBeCloseTo(maxScore, 9)
    expect(bestMatchScore(logOdds, codesOf(seq), { bothStrands: false })).toBeLessThan(maxScore - 1e-9)
  })

  it('is -Infinity when no full window without N exists', () => {
    const logOdds = toLogOdds(jund.counts)
    expect(bestMatchScore(logOdds, codesOf('ACGTACGTAC'))).toBe(-Infinity)
    expect(bestMatchScore(logOdds, codesOf('ACGTANGTACGTACNGT'))).toBe(-Infinity)
    expect(bestMatch(logOdds, codesOf(''))).toBeUndefined()
  })
})
