import { describe, expect, it } from 'vitest'
import { lines, type TextLine } from '../../src/core/formats/bytes'
import { GeneLookup } from '../../src/core/formats/expression'
import { readEdgeList, readPairs, readTfList, samplePairs } from '../../src/core/formats/pairs'
import { pairFolds } from '../../src/core/grn/folds'
import { InputError } from '../../src/shared/errors'

const names = [
  'Gata1',
  'Klf1',
  'Spi1',
  'Cebpa',
  'Tal1',
  'Fli1',
  'Runx1',
  'Myb',
  'Zfpm1',
  'Lmo2',
  'Hba-a1',
  'Hbb-b1',
]
const genes = new GeneLookup({ geneIds: names, geneSymbols: names })

function textLines(text: string): AsyncIterable<TextLine> {
  async function* bytes() {
    yield new TextEncoder().encode(text)
  }
  return lines(bytes())
}

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe("CNNC's pair file", () => {
  it('reads geneA geneB label lines (spaces or tabs), matching names ignoring case as CNNC does', async () => {
    const file = await readPairs(textLines('gata1 Klf1 1\nGATA1\tSpi1\t0\n\nSpi1  Cebpa 1\n'), genes)
    expect(Array.from(file.pairs.a)).toEqual([0, 0, 2])
    expect(Array.from(file.pairs.b)).toEqual([1, 2, 3])
    expect(Array.from(file.pairs.label)).toEqual([1, 0, 1])
    expect(Array.from(file.pairs.line!)).toEqual([1, 2, 4])
    expect(file.labelKind).toBe('binary')
    expect(file.skippedHeader).toBe(false)
  })

  it('reads three-class labels (0 none, 1 a→b, 2 b→a) and skips a header', async () => {
    const file = await readPairs(
      textLines('TF target label\nGata1 Klf1 1\nKlf1 Gata1 2\nGata1 Myb 0\n'),
      genes,
    )
    expect(file.labelKind).toBe('directed')
    expect(file.skippedHeader).toBe(true)
    expect(Array.from(file.pairs.label)).toEqual([1, 2, 0])
  })

  const bad: [string, string, string, number, string][] = [
    ['unknown gene', 'Gata1 Klf1 1\nGata1 Sox2 0\n', 'pairs.unknown_gene', 2, 'Sox2'],
    ['bad label', 'Gata1 Klf1 1\nGata1 Spi1 yes\n', 'pairs.bad_label', 2, 'yes'],
    ['label 3', 'Gata1 Klf1 3\n', 'pairs.bad_label', 1, '3'],
    ['short line', 'Gata1 Klf1 1\nGata1 Spi1\n', 'pairs.bad_line', 2, '2 fields'],
    ['self pair', 'Gata1 gata1 1\n', 'pairs.self_pair', 1, 'Gata1 Gata1'],
  ]
  it.each(bad)('%s → %s naming the line', async (_name, text, code, line, found) => {
    const error = await failure(() => readPairs(textLines(text), genes, { fileName: 'pairs.txt' }))
    expect([error.code, error.line, error.file, error.found]).toEqual([code, line, 'pairs.txt', found])
    expect(error.message).toContain(`line ${line}`)
  })
})

describe('TF lists and edge lists', () => {
  it('reads a TF list (header skipped, repeats once) and refuses unknown TFs by line', async () => {
    expect(Array.from(await readTfList(textLines('TF\nGata1\nSpi1\ngata1\n'), genes))).toEqual([0, 2])
    const error = await failure(() => readTfList(textLines('Gata1\nPax5\n'), genes, { fileName: 'tfs.txt' }))
    expect([error.code, error.line, error.found]).toEqual(['pairs.unknown_gene', 2, 'Pax5'])
  })

  it("reads BEELINE's refNetwork.csv form, dropping self loops and repeats", async () => {
    const edges = await readEdgeList(
      textLines('Gene1,Gene2,Type\nGata1,Klf1,+\nGata1,Zfpm1,+\nGata1,Gata1,+\nSpi1,Cebpa,+\nGata1,Klf1,+\n'),
      genes,
    )
    expect(Array.from(edges.tf)).toEqual([0, 0, 2])
    expect(Array.from(edges.target)).toEqual([1, 8, 3])
    expect([edges.selfLoops, edges.duplicates]).toEqual([1, 1])
    const tabbed = await readEdgeList(textLines('Tal1\tLmo2\nFli1 Runx1\n'), genes)
    expect(Array.from(tabbed.tf)).toEqual([4, 5])
    const error = await failure(() => readEdgeList(textLines('Gata1,Klf1\nGata1,Nope\n'), genes))
    expect([error.code, error.line]).toEqual(['pairs.unknown_gene', 2])
  })
})

describe('negative sampling', () => {
  // 0→1, 0→8, 0→2 (a TF target), 2→3, 2→0 (a reverse edge of 0→2), 4→9
  const edges = { tf: Int32Array.from([0, 0, 0, 2, 2, 4]), target: Int32Array.from([1, 8, 2, 3, 0, 9]) }

  it('draws ratio × targets negatives per TF, never a known edge in either direction, nor the TF', () => {
    const sampled = samplePairs(edges, { nGenes: 12, ratio: 1, seed: 1 })
    expect(Array.from(sampled.tfs)).toEqual([0, 2, 4])
    expect(Array.from(sampled.tfStarts)).toEqual([0, 6, 10, 12])
    const linked = new Set<string>()
    for (let e = 0; e < edges.tf.length; e++) {
      linked.add(`${edges.tf[e]}>${edges.target[e]}`)
      linked.add(`${edges.target[e]}>${edges.tf[e]}`)
    }
    let positives = 0
    for (let i = 0; i < sampled.a.length; i++) {
      const key = `${sampled.a[i]}>${sampled.b[i]}`
      if (sampled.label[i] === 1) {
        positives++
        expect(linked.has(key)).toBe(true)
      } else {
        expect(linked.has(key)).toBe(false)
        expect(sampled.a[i]).not.toBe(sampled.b[i])
      }
    }
    expect(positives).toBe(6)
    expect(sampled.a.length).toBe(12) // DeepDRIM's 1:1
    expect(sampled.warnings).toEqual([])
  })

  it('is reproducible by seed, varies with it, and honours other ratios and the reverse class', () => {
    const one = samplePairs(edges, { nGenes: 12, seed: 7 })
    expect(samplePairs(edges, { nGenes: 12, seed: 7 })).toEqual(one)
    const others = [8, 9, 10, 11].map((seed) => Array.from(samplePairs(edges, { nGenes: 12, seed }).b).join())
    expect(others.some((b) => b !== Array.from(one.b).join())).toBe(true)
    const twice = samplePairs(edges, { nGenes: 12, seed: 7, ratio: 2 })
    expect(Array.from(twice.label).filter((l) => l === 0).length).toBe(12)
    const reverse = samplePairs(edges, { nGenes: 12, seed: 7, includeReverse: true })
    expect(Array.from(reverse.label).filter((l) => l === 2).length).toBe(6)
    expect([reverse.a[1], reverse.b[1], reverse.label[1]]).toEqual([1, 0, 2])
  })

  it('warns when a TF has too few candidates, and draws from a given candidate pool only', () => {
    const few = samplePairs(edges, { nGenes: 12, seed: 1, ratio: 1, candidates: [5, 6] })
    expect(few.warnings.map((w) => w.code)).toEqual(['pairs.few_negatives'])
    expect(new Set(Array.from(few.b).filter((_, i) => few.label[i] === 0))).toEqual(new Set([5, 6]))
    expect(() => samplePairs(edges, { nGenes: 12, seed: 1, ratio: -1 })).toThrow(
      expect.objectContaining({ code: 'pairs.bad_ratio' }),
    )
  })
})

describe('TF-aware folds', () => {
  // 8 TFs (genes 0…7) with 2…9 targets each among genes 10…59, then 1:1 negatives.
  const tf: number[] = []
  const target: number[] = []
  for (let t = 0; t < 8; t++) {
    for (let j = 0; j < t + 2; j++) {
      tf.push(t)
      target.push(10 + ((t * 7 + j * 3) % 50))
    }
  }
  const pairs = samplePairs(
    { tf: Int32Array.from(tf), target: Int32Array.from(target) },
    { nGenes: 60, seed: 3 },
  )

  it('puts all pairs of a TF in one of 3 folds, with even fold sizes', () => {
    const split = pairFolds(pairs, { seed: 1 })
    expect(split.k).toBe(3)
    const foldOfTf = new Map<number, number>()
    pairs.a.forEach((a, i) => {
      if (!foldOfTf.has(a)) foldOfTf.set(a, split.folds[i]!)
      expect(split.folds[i]).toBe(foldOfTf.get(a))
    })
    expect(split.tfsPerFold.flat().sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    const sizes = split.summary.parts.map((p) => p.count)
    expect(sizes.reduce((s, v) => s + v, 0)).toBe(pairs.a.length)
    // Greedy largest-first: no fold exceeds another by more than the largest TF's pairs (18).
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(18)
    expect(split.summary.parts.every((p) => (p.positives ?? 0) > 0)).toBe(true)
    expect(split.warnings).toEqual([])
    expect(pairFolds(pairs, { seed: 1 })).toEqual(split)
  })

  it('leave-one-TF-out gives one fold per TF in order of appearance', () => {
    const split = pairFolds(pairs, { method: 'leave_one_tf_out', seed: 1 })
    expect(split.k).toBe(8)
    pairs.a.forEach((a, i) => expect(split.folds[i]).toBe(a))
    expect(split.tfsPerFold).toEqual([[0], [1], [2], [3], [4], [5], [6], [7]])
  })

  it('random pair folds only on request, with the leakage warning, and they do split TFs', () => {
    const split = pairFolds(pairs, { method: 'random_pairs', seed: 1 })
    expect(split.warnings.map((w) => w.code)).toContain('grn.random_pair_split')
    const foldsOfTf0 = new Set(Array.from(split.folds).filter((_, i) => pairs.a[i] === 0))
    expect(foldsOfTf0.size).toBeGreaterThan(1)
  })

  it('refuses fewer TFs than folds', () => {
    const two = { a: Int32Array.from([0, 0, 1]), label: Int8Array.from([1, 0, 1]) }
    expect(() => pairFolds(two, { seed: 1 })).toThrow(expect.objectContaining({ code: 'grn.too_few_tfs' }))
  })
})
