/**
 * src/core/homology/align: BLOSUM62 as published, hand-computed small alignments, a textbook full-matrix
 * Gotoh DP (written plainly below) on random sequences for local and global mode, banded = full when the
 * band covers the optimum, the DNA scheme, and the parameter errors.
 */
import { describe, expect, it } from 'vitest'
import { Aligner, align, BLOSUM62, dnaScheme, identity, type ScoringScheme } from '../../src/core/homology'
import { Rng } from '../../src/core/random'
import { DNA, PROTEIN } from '../../src/core/sequence'
import { InputError } from '../../src/shared/errors'

const P = (s: string) => PROTEIN.toCodes(s)
const score = (x: string, y: string) =>
  BLOSUM62.matrix[PROTEIN.toCodes(x)[0]! * BLOSUM62.size + PROTEIN.toCodes(y)[0]!]

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  return 'no error'
}

/**
 * Reference: full matrices H, E (gap in a), F (gap in b) of [score, identities] pairs, maximised in
 * lexicographic order; a gap of length L costs open + L·extend. Plain arrays, no band, no packing.
 */
function reference(a: Uint8Array, b: Uint8Array, scheme: ScoringScheme, local: boolean) {
  type Cell = [number, number]
  const NEG: Cell = [-1e9, 0]
  const better = (x: Cell, y: Cell) => (x[0] > y[0] || (x[0] === y[0] && x[1] > y[1]) ? x : y)
  const add = (x: Cell, s: number, id: number): Cell => [x[0] + s, x[1] + id]
  const n = a.length
  const m = b.length
  const { gapOpen: o, gapExtend: e } = scheme
  const H: Cell[][] = []
  const E: Cell[][] = []
  const F: Cell[][] = []
  for (let i = 0; i <= n; i++) {
    H.push([])
    E.push([])
    F.push([])
    for (let j = 0; j <= m; j++) {
      if (i === 0 || j === 0) {
        const len = i + j
        H[i]![j] = local || len === 0 ? [0, 0] : [-(o + e * len), 0]
        E[i]![j] = NEG
        F[i]![j] = NEG
        continue
      }
      E[i]![j] = better(add(E[i]![j - 1]!, -e, 0), add(H[i]![j - 1]!, -(o + e), 0))
      F[i]![j] = better(add(F[i - 1]![j]!, -e, 0), add(H[i - 1]![j]!, -(o + e), 0))
      const x = a[i - 1]!
      const y = b[j - 1]!
      const same = x === y && x !== scheme.unknownCode ? 1 : 0
      let h = better(
        add(H[i - 1]![j - 1]!, scheme.matrix[x * scheme.size + y]!, same),
        better(E[i]![j]!, F[i]![j]!),
      )
      if (local) h = better(h, [0, 0])
      H[i]![j] = h
    }
  }
  if (!local) return { score: H[n]![m]![0], identities: H[n]![m]![1] }
  let best: Cell = [0, 0]
  for (let i = 0; i <= n; i++) for (let j = 0; j <= m; j++) best = better(best, H[i]![j]!)
  return { score: best[0], identities: best[1] }
}

function randomProtein(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = rng.int(20)
  return out
}

/** A copy with about `rate` substitutions and a few short indels, so pairs have real alignments. */
function mutate(rng: Rng, seq: Uint8Array, rate: number): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < seq.length; i++) {
    const r = rng.float()
    if (r < 0.02) continue // deletion
    out.push(r < rate ? rng.int(20) : seq[i]!)
    if (rng.float() < 0.02) out.push(rng.int(20)) // insertion
  }
  return Uint8Array.from(out)
}

describe('BLOSUM62', () => {
  it('is the published matrix: symmetric, with its diagonal and a few known entries', () => {
    const diagonal = { A: 4, R: 5, N: 6, D: 6, C: 9, Q: 5, E: 5, G: 6, H: 8, I: 4 } as Record<string, number>
    Object.assign(diagonal, { L: 4, K: 5, M: 5, F: 6, P: 7, S: 4, T: 5, W: 11, Y: 7, V: 4 })
    for (const [letter, value] of Object.entries(diagonal)) expect(score(letter, letter)).toBe(value)
    for (let x = 0; x < 21; x++)
      for (let y = 0; y < 21; y++) expect(BLOSUM62.matrix[x * 21 + y]).toBe(BLOSUM62.matrix[y * 21 + x])
    expect([score('W', 'Y'), score('I', 'V'), score('E', 'C'), score('F', 'P'), score('X', 'A')]).toEqual([
      2, 3, -4, -4, -1,
    ])
  })
})

describe('hand-computed alignments', () => {
  it('scores identical sequences by the diagonal and counts every column', () => {
    const r = align(P('HEAGAWGHEE'), P('HEAGAWGHEE'))
    expect(r.score).toBe(8 + 5 + 4 + 6 + 4 + 11 + 6 + 8 + 5 + 5)
    expect(r).toMatchObject({ identities: 10, identity: 1 })
  })

  it('opens one gap of cost 11 + 1 per residue (BLAST convention)', () => {
    // WWWWWW vs WWWAWWW: global = 6 W matches − (11 + 1) for the A.
    const g = align(P('WWWWWW'), P('WWWAWWW'), { mode: 'global' })
    expect(g).toMatchObject({ score: 66 - 12, identities: 6 })
    // Locally the gap is not worth paying for: the best is WWW + W (A) + WW…: 3 W, mismatch W/A −3, …
    const l = align(P('WWWWWW'), P('WWWAWWW'))
    expect(l.score).toBe(Math.max(66 - 12, 33 + score('W', 'A')! + 22)) // 54 vs 52
    expect(l.identities).toBe(6)
  })

  it('measures identity over the shorter sequence (a fragment is 100 % identical)', () => {
    const long = P('MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVV')
    const fragment = long.subarray(20, 45)
    expect(identity(fragment, long)).toBe(1)
    expect(identity(long, fragment)).toBe(1)
  })

  it('never counts X as an identity', () => {
    expect(align(P('XXXX'), P('XXXX'), { mode: 'global' })).toMatchObject({ score: -4, identities: 0 })
  })

  it('scores DNA with +2 / −3 and gaps 5 + 2·L', () => {
    const scheme = dnaScheme()
    const r = align(DNA.toCodes('ACGTACGT'), DNA.toCodes('ACGTTACGT'), { scheme, mode: 'global' })
    expect(r).toMatchObject({ score: 16 - 7, identities: 8, identity: 1 })
    expect(align(DNA.toCodes('AAAA'), DNA.toCodes('AATA'), { scheme, mode: 'global' }).score).toBe(6 - 3)
  })
})

describe('against the textbook DP', () => {
  const rng = Rng.seeded('homology-align-reference')
  const aligner = new Aligner()
  for (const mode of ['local', 'global'] as const) {
    it(`${mode}: equal score and identities on 60 random pairs (related and unrelated)`, () => {
      for (let t = 0; t < 60; t++) {
        const a = randomProtein(rng, 5 + rng.int(40))
        const b = t % 2 === 0 ? mutate(rng, a, 0.4) : randomProtein(rng, 5 + rng.int(40))
        if (t % 7 === 0 && b.length > 2) b[1] = PROTEIN.unknownCode
        const expected = reference(a, b, BLOSUM62, mode === 'local')
        const got = aligner.align(a, b, { mode })
        expect({ score: got.score, identities: got.identities }).toEqual(expected)
        expect(got.identity).toBeCloseTo(expected.identities / Math.min(a.length, b.length), 12)
      }
    })
  }

  it('DNA with other gap costs agrees as well', () => {
    const scheme = dnaScheme(1, -2, 3, 1)
    const dna = new Aligner(scheme)
    for (let t = 0; t < 20; t++) {
      const a = Uint8Array.from({ length: 10 + rng.int(20) }, () => rng.int(4))
      const b = Uint8Array.from({ length: 10 + rng.int(20) }, () => rng.int(4))
      for (const mode of ['local', 'global'] as const) {
        const got = dna.align(a, b, { mode })
        expect({ score: got.score, identities: got.identities }).toEqual(
          reference(a, b, scheme, mode === 'local'),
        )
      }
    }
  })

  it('banded equals full when the band covers the optimum, and can be lower when it does not', () => {
    let narrower = 0
    for (let t = 0; t < 30; t++) {
      const a = randomProtein(rng, 40 + rng.int(40))
      const b = mutate(rng, a, 0.3)
      for (const mode of ['local', 'global'] as const) {
        const full = aligner.align(a, b, { mode })
        const wide = aligner.align(a, b, { mode, band: { diagonal: 0, width: a.length + b.length } })
        expect(wide).toEqual(full)
        // Indels of ±2 % per residue stay within 12 diagonals of the main one here.
        const covering = Math.abs(b.length - a.length) + 12
        expect(aligner.align(a, b, { mode, band: { diagonal: 0, width: covering } })).toEqual(full)
      }
      const offset = aligner.align(a, b, { band: { diagonal: 30, width: 3 } })
      expect(offset.score).toBeLessThanOrEqual(aligner.align(a, b).score)
      if (offset.score < aligner.align(a, b).score) narrower++
    }
    expect(narrower).toBeGreaterThan(20)
  })
})

describe('parameters', () => {
  it('rejects bad schemes, modes, bands and inputs with homology codes', () => {
    expect(codeOf(() => dnaScheme(0))).toBe('homology.bad_param')
    expect(codeOf(() => align(P('AC'), P('AC'), { mode: 'semi' as never }))).toBe('homology.bad_param')
    expect(
      codeOf(() => align(P('ACDE'), P('ACDEFG'), { mode: 'global', band: { diagonal: 0, width: 1 } })),
    ).toBe('homology.bad_band')
    expect(codeOf(() => align(P('AC'), P('AC'), { band: { diagonal: 0, width: -1 } }))).toBe(
      'homology.bad_param',
    )
    expect(codeOf(() => align('AC' as never, P('AC')))).toBe('homology.bad_param')
  })

  it('handles empty sequences', () => {
    expect(align(new Uint8Array(0), P('ACD'))).toEqual({ score: 0, identities: 0, identity: 0 })
    expect(align(new Uint8Array(0), P('ACD'), { mode: 'global' }).score).toBe(-(11 + 3))
  })
})
