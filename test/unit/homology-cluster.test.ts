/**
 * src/core/homology prefilter and clustering: the word filter's bounds and index, the cd-hit / mmseqs2
 * readers on real output, the adjusted Rand index, and the reference agreement with Debian's cd-hit 4.8.1 on
 * the first 2,000 proteins of ../shared/data/proteins/uniprot20k.fasta.gz (test/fixtures/homology, made by
 * scripts/fixtures/make_homology_fixtures.sh): ARI ≥ 0.95 at -c 0.9 -n 5 and -c 0.5 -n 3.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  adjustedRandIndex,
  greedyCluster,
  provenSharedWords,
  readCdhitClusters,
  readMmseqsClusters,
  requiredSharedWords,
  WordIndex,
  wordLengthFor,
} from '../../src/core/homology'
import { Rng } from '../../src/core/random'
import { PROTEIN } from '../../src/core/sequence'
import { InputError } from '../../src/shared/errors'

const fixtureDir = path.resolve(__dirname, '../fixtures/homology')
const sharedData = [path.resolve(__dirname, '../../../shared/data'), '/work/shared/data'].find((dir) =>
  fs.existsSync(dir),
)!

/** The first `count` records of the shared UniProt file, as (id, codes). */
export function uniprotSubset(count: number): { ids: string[]; seqs: Uint8Array[] } {
  const text = gunzipSync(fs.readFileSync(path.join(sharedData, 'proteins/uniprot20k.fasta.gz'))).toString()
  const ids: string[] = []
  const seqs: Uint8Array[] = []
  for (const record of text.split('\n>')) {
    if (ids.length === count) break
    const newline = record.indexOf('\n')
    ids.push(record.slice(0, newline).replace(/^>/, '').split(/\s/)[0]!)
    seqs.push(PROTEIN.toCodes(record.slice(newline + 1).replace(/\s/g, '')))
  }
  return { ids, seqs }
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  return 'no error'
}

describe('word filter', () => {
  it("chooses cd-hit's word lengths and computes its bound", () => {
    expect([0.95, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.3].map(wordLengthFor)).toEqual([
      5, 5, 4, 4, 3, 3, 2, 2, 2,
    ])
    // L = 100, k = 5, t = 0.95: 96 words, at most 5 non-identical positions spoil 25 of them.
    expect(provenSharedWords(100, 5, 0.95)).toBe(71)
    expect(provenSharedWords(100, 2, 0.3)).toBeLessThan(0)
    expect(requiredSharedWords(100, 2, 0.3, 0.5)).toBe(Math.floor(0.5 * 0.09 * 99))
    expect(codeOf(() => wordLengthFor(0))).toBe('homology.bad_threshold')
    expect(codeOf(() => wordLengthFor(1.2))).toBe('homology.bad_threshold')
  })

  it('the proven bound holds for substitution-only copies at identity ≥ t', () => {
    const rng = Rng.seeded('prefilter-bound')
    for (let trial = 0; trial < 200; trial++) {
      const length = 20 + rng.int(200)
      const a = Uint8Array.from({ length }, () => rng.int(20))
      const b = a.slice()
      const t = 0.8 + rng.float() * 0.2
      const changes = length - Math.ceil(t * length)
      for (let c = 0; c < changes; c++) b[rng.int(length)] = rng.int(20)
      const k = 5
      let shared = 0
      for (let i = 0; i + k <= length; i++) if (a.subarray(i, i + k).every((x, j) => x === b[i + j])) shared++
      expect(shared).toBeGreaterThanOrEqual(provenSharedWords(length, k, t))
    }
  })

  it('finds mutated copies among random sequences, on the right diagonal, and skips X words', () => {
    const rng = Rng.seeded('prefilter-index')
    const index = new WordIndex(3)
    const base = Uint8Array.from({ length: 200 }, () => rng.int(20))
    for (let s = 0; s < 50; s++) index.add(Uint8Array.from({ length: 200 }, () => rng.int(20)))
    // A copy with 10 residues cut from the front: its word j matches base word j + 10, diagonal −10.
    const copy = base.slice(10)
    for (let i = 0; i < copy.length; i += 4) copy[i] = (copy[i]! + 1) % 20
    const id = index.add(copy)
    const found = index.candidates(base, 0.5)
    expect(found.map((c) => c.index)).toContain(id)
    expect(found.find((c) => c.index === id)!.diagonal).toBeGreaterThanOrEqual(-10 - 20)
    expect(found.find((c) => c.index === id)!.diagonal).toBeLessThanOrEqual(-10 + 20)
    expect(found.length).toBeLessThan(5)
    const allX = new Uint8Array(200).fill(PROTEIN.unknownCode)
    expect(new WordIndex(3).candidates(allX, 0.5)).toEqual([])
    index.add(allX)
    expect(index.candidates(allX, 0.5)).toEqual([])
  })
})

describe('external cluster files', () => {
  it('reads cd-hit .clstr output', () => {
    const members = readCdhitClusters(fs.readFileSync(path.join(fixtureDir, 'clstr_sample.txt'), 'utf8'))
    expect(members[0]).toEqual({
      id: 'tr|H3BQK9|H3BQK9_HUMAN',
      cluster: 0,
      representative: true,
      identity: undefined,
    })
    expect(members[1]).toMatchObject({ id: 'tr|A0A096N0N1|A0A096N0N1_PAPAN', cluster: 0, identity: 84.8 })
    expect(members.filter((m) => m.representative).length).toBe(new Set(members.map((m) => m.cluster)).size)
    expect(readCdhitClusters('>Cluster 3\n0\t120nt, >seq1... at +/97.50%\n')[0]).toMatchObject({
      identity: 97.5,
    })
    expect(codeOf(() => readCdhitClusters('>Cluster 0\nnot a member line\n'))).toBe('homology.bad_clstr')
  })

  it("reads mmseqs2's _cluster.tsv", () => {
    const members = readMmseqsClusters(fs.readFileSync(path.join(fixtureDir, 'mmseqs_sample.tsv'), 'utf8'))
    expect(members.length).toBeGreaterThan(10)
    expect(members[0]).toMatchObject({ id: 'W0FSK4', cluster: 0, representative: true })
    expect(readMmseqsClusters('a\ta\na\tb\nc\tc\n').map((m) => m.cluster)).toEqual([0, 0, 1])
    expect(codeOf(() => readMmseqsClusters('a b\n'))).toBe('homology.bad_cluster_tsv')
  })

  it('adjusted Rand index: 1 for the same partition, known value for a small case, ~0 for random', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 9, 9])).toBe(1)
    // sklearn.metrics.adjusted_rand_score([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) = 0.24242424…
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(0.242424242424, 10)
    const rng = Rng.seeded('ari')
    const a = Array.from({ length: 3000 }, () => rng.int(20))
    const b = Array.from({ length: 3000 }, () => rng.int(20))
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01)
  })
})

describe('greedy clustering', () => {
  it('puts mutated copies with their original and respects the first / best rule', () => {
    const rng = Rng.seeded('cluster-families')
    const seqs: Uint8Array[] = []
    for (let f = 0; f < 20; f++) {
      const root = Uint8Array.from({ length: 150 + f }, () => rng.int(20))
      seqs.push(root)
      for (let c = 0; c < 4; c++) {
        const copy = root.slice(0, 140)
        for (let i = 0; i < copy.length; i++) if (rng.float() < 0.05) copy[i] = rng.int(20)
        seqs.push(copy)
      }
    }
    for (const mode of ['first', 'best'] as const) {
      const result = greedyCluster(seqs, { threshold: 0.9, mode })
      expect(result.representatives.length).toBe(20)
      for (let i = 0; i < seqs.length; i++) expect(result.clusterOf[i]).toBe(result.clusterOf[i - (i % 5)])
      expect(Math.min(...result.identityToRepresentative)).toBeGreaterThanOrEqual(0.9)
    }
    expect(codeOf(() => greedyCluster(seqs, { threshold: 0.9, mode: 'all' as never }))).toBe(
      'homology.bad_param',
    )
  })
})

describe('agreement with cd-hit 4.8.1 on 2,000 UniProt proteins', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'cdhit_2000.json'), 'utf8')) as {
    ids: string[]
    c90_n5: number[]
    c50_n3: number[]
  }
  const { ids, seqs } = uniprotSubset(fixture.ids.length)

  for (const [threshold, key] of [
    [0.9, 'c90_n5'],
    [0.5, 'c50_n3'],
  ] as const) {
    it(`ARI ≥ 0.95 at ${threshold}`, () => {
      expect(ids).toEqual(fixture.ids)
      const ours = greedyCluster(seqs, { threshold })
      // cd-hit leaves out sequences shorter than 10 residues (-l); compare on the ones it kept.
      const kept = fixture[key].flatMap((c, i) => (c >= 0 ? [i] : []))
      const ari = adjustedRandIndex(
        kept.map((i) => ours.clusterOf[i]!),
        kept.map((i) => fixture[key][i]!),
      )
      expect(ari).toBeGreaterThanOrEqual(0.95)
      const clusters = new Set(kept.map((i) => fixture[key][i])).size
      expect(Math.abs(ours.representatives.length - clusters)).toBeLessThan(0.02 * clusters)
    }, 60_000)
  }
})
