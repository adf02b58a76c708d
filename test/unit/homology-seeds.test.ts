/**
 * src/core/homology/seeds: the seed prefilter of low thresholds. It finds diverged copies (45–70 % identity
 * by random substitution, a few indels) of random proteins among unrelated ones, including a short copy of a
 * part of a long protein, on the right diagonal, and passes few unrelated pairs; each pair at most once (the
 * sequence before the query). Copies at 30–40 % by random (not conservative) substitution are its weak case
 * (the partition's verification catches them); on real proteins its misses are measured against full
 * alignment in scripts/bench-homology.mjs.
 */
import { describe, expect, it } from 'vitest'
import { align, BLOSUM62, dnaScheme, pairFilterFor, SeedIndex } from '../../src/core/homology'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

function randomProtein(rng: Rng, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => rng.int(20))
}

function mutate(rng: Rng, source: Uint8Array, keep: number): Uint8Array {
  const out: number[] = []
  for (const residue of source) {
    if (rng.float() < 0.01) continue
    out.push(rng.float() < keep ? residue : rng.int(20))
    if (rng.float() < 0.01) out.push(rng.int(20))
  }
  return Uint8Array.from(out)
}

describe('seed prefilter', () => {
  const rng = Rng.seeded('seeds-test')
  const seqs: Uint8Array[] = []
  const pairs: [number, number][] = []
  for (let f = 0; f < 30; f++) {
    const root = randomProtein(rng, 150 + rng.int(250))
    seqs.push(root)
    const copy = mutate(rng, root, 0.45 + rng.float() * 0.25)
    seqs.push(copy)
    pairs.push([seqs.length - 1, seqs.length - 2])
  }
  // A 120-residue piece of a long protein, mutated: short against long.
  const long = randomProtein(rng, 1500)
  seqs.push(long)
  seqs.push(mutate(rng, long.subarray(700, 820), 0.45))
  pairs.push([seqs.length - 1, seqs.length - 2])
  for (let i = 0; i < 40; i++) seqs.push(randomProtein(rng, 100 + rng.int(400)))

  it('finds every planted pair, on its diagonal, and few others', () => {
    const index = new SeedIndex(seqs, BLOSUM62)
    const found = new Set<string>()
    let others = 0
    for (let q = 0; q < seqs.length; q++) {
      for (const c of index.candidates(q)) {
        expect(c.index).toBeLessThan(q)
        found.add(`${q},${c.index}`)
        if (!pairs.some(([a, b]) => a === q && b === c.index)) others++
      }
    }
    for (const [a, b] of pairs) {
      if (align(seqs[b]!, seqs[a]!).identity < 0.3) continue
      expect(found.has(`${a},${b}`), `pair ${a},${b}`).toBe(true)
    }
    // Uniform random letters score higher under BLOSUM62 than real compositions: a few chance pairs pass.
    expect(others).toBeLessThan(0.01 * (seqs.length * (seqs.length - 1)) / 2)
    const [, short] = [seqs.length - 42, seqs.length - 41]
    const hit = index.candidates(short).find((c) => c.index === short - 1)!
    expect(Math.abs(hit.diagonal - 700)).toBeLessThanOrEqual(3)
  })

  it('is what `auto` uses for proteins below 0.5, and checks its options', () => {
    expect(pairFilterFor(0.3)).toBe('seeds')
    expect(pairFilterFor(0.5)).toBe('words')
    expect(pairFilterFor(0.3, dnaScheme())).toBe('words')
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return e instanceof InputError ? e.code : 'other'
      }
      return 'none'
    }
    expect(code(() => new SeedIndex(seqs, BLOSUM62, { pattern: '0110' }))).toBe('homology.bad_param')
    expect(code(() => new SeedIndex(seqs, BLOSUM62, { window: 0 }))).toBe('homology.bad_param')
    expect(code(() => new SeedIndex(seqs, BLOSUM62, { maxEvalue: 0 }))).toBe('homology.bad_param')
    expect(code(() => new SeedIndex(seqs, dnaScheme()))).toBe('homology.bad_param')
  })
})
