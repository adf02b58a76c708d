import { describe, expect, it } from 'vitest'
import { NepdfEncoder } from '../../src/core/grn/nepdf'
import { GRN_SIMULATOR, simulateGrn, simulatorPairs, type SimulatedGrn } from '../../src/core/grn/simulator'
import { Rng } from '../../src/core/random'

/** FNV-1a over the bytes of typed arrays: a fingerprint of the simulated data set. */
function fingerprint(...arrays: ArrayBufferView[]): string {
  let h = 0x811c9dc5
  for (const view of arrays) {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}
const hashOf = (sim: SimulatedGrn) =>
  fingerprint(
    sim.matrix.indptr,
    sim.matrix.indices,
    sim.matrix.data,
    sim.edges.tf,
    sim.edges.target,
    sim.edges.sign,
  )

/** Mutual information (nats) of the 32 × 32 joint histogram of a pair. */
function mutualInformation(encoder: NepdfEncoder, a: number, b: number): number {
  const counts = encoder.counts2d(a, b)
  const n = encoder.nCells
  const pa = new Float64Array(32)
  const pb = new Float64Array(32)
  for (let r = 0; r < 32; r++) {
    for (let c = 0; c < 32; c++) {
      pb[r]! += counts[r * 32 + c]! / n
      pa[c]! += counts[r * 32 + c]! / n
    }
  }
  let mi = 0
  for (let r = 0; r < 32; r++) {
    for (let c = 0; c < 32; c++) {
      const p = counts[r * 32 + c]! / n
      if (p > 0) mi += p * Math.log(p / (pa[c]! * pb[r]!))
    }
  }
  return mi
}

/** |Pearson r| of the log expression over cells where neither gene dropped out. */
function absCorrelation(encoder: NepdfEncoder, a: number, b: number): number {
  const x = encoder.logValues(a)
  const y = encoder.logValues(b)
  const xs: number[] = []
  const ys: number[] = []
  for (let c = 0; c < x.length; c++) {
    if (x[c]! > -2 && y[c]! > -2) {
      xs.push(x[c]!)
      ys.push(y[c]!)
    }
  }
  const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length
  const mx = mean(xs)
  const my = mean(ys)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    sxx += (xs[i]! - mx) ** 2
    syy += (ys[i]! - my) ** 2
  }
  return Math.abs(sxy / Math.sqrt(sxx * syy))
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length

describe('the GRN simulator', () => {
  const sim = simulateGrn()

  it('is deterministic: the same data set every time (seed 7)', () => {
    expect(hashOf(simulateGrn())).toBe(hashOf(sim))
    // Pinned on Node 20 (V8's fdlibm Math.exp/log): the demo's data set must not change silently.
    expect(hashOf(sim)).toBe('64993ae3')
    expect(hashOf(simulateGrn({ seed: 8 }))).not.toBe(hashOf(sim))
  })

  it('holds the fixed parameters: 20 TFs, 400 genes, 5–20 targets each, 30 TF→TF edges, 2,000 cells, 30% dropout', () => {
    expect(sim.parameters).toEqual(GRN_SIMULATOR)
    expect(GRN_SIMULATOR).toMatchObject({
      tfs: 20,
      genes: 400,
      tfTfEdges: 30,
      cells: 2000,
      dropout: 0.3,
      seed: 7,
    })
    const { matrix } = sim
    expect([matrix.nGenes, matrix.nCells, matrix.layout]).toEqual([400, 2000, 'csr'])
    expect(Array.from(sim.tfs)).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect(matrix.geneIds.slice(0, 2)).toEqual(['TF01', 'TF02'])
    expect(matrix.geneIds[20]).toBe('G001')
    const perTf = new Array<number>(20).fill(0)
    for (const tf of sim.edges.tf) perTf[tf]!++
    for (const count of perTf) expect(count >= 5 && count <= 20).toBe(true)
    const tfTf = Array.from(sim.edges.target).filter((t) => t < 20).length
    expect(tfTf).toBe(30)
    expect(new Set(Array.from(sim.edges.tf, (tf, e) => `${tf}>${sim.edges.target[e]}`)).size).toBe(
      sim.edges.tf.length,
    )
    expect(Array.from(sim.edges.tf).every((tf, e) => tf !== sim.edges.target[e])).toBe(true)
    // Every value is > 0 before dropout, so the zeros are exactly the dropped values: 30% ± 0.5%.
    const zeros = 1 - matrix.data.length / (400 * 2000)
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.005)
    expect(matrix.data.every((v) => v > 0 && Number.isFinite(v))).toBe(true)
    expect(new Set(sim.edges.sign)).toEqual(new Set([1, -1]))
  })

  it('marks indirect pairs a→c→b correctly: through a TF, never a direct edge', () => {
    const direct = new Set(Array.from(sim.edges.tf, (tf, e) => `${tf}>${sim.edges.target[e]}`))
    expect(sim.indirect.tf.length).toBeGreaterThan(100)
    sim.indirect.tf.forEach((a, i) => {
      const b = sim.indirect.target[i]!
      const c = sim.indirect.via[i]!
      expect(c).toBeLessThan(20)
      expect(direct.has(`${a}>${c}`) && direct.has(`${c}>${b}`)).toBe(true)
      expect(direct.has(`${a}>${b}`)).toBe(false)
      expect(a).not.toBe(b)
    })
  })

  it('direct pairs have more structured NEPDF histograms than random pairs; indirect pairs are correlated too', () => {
    const encoder = new NepdfEncoder(sim.matrix)
    const related = new Set<string>()
    sim.edges.tf.forEach((tf, e) => related.add(`${tf}>${sim.edges.target[e]}`))
    sim.indirect.tf.forEach((tf, i) => related.add(`${tf}>${sim.indirect.target[i]}`))
    const direct = Array.from(sim.edges.tf, (tf, e) => [tf, sim.edges.target[e]!] as const)
    const indirect = Array.from(sim.indirect.tf, (tf, i) => [tf, sim.indirect.target[i]!] as const)
    const rng = Rng.seeded('random pairs')
    const random: (readonly [number, number])[] = []
    while (random.length < 200) {
      const a = rng.int(20)
      const b = rng.int(400)
      if (a !== b && !related.has(`${a}>${b}`) && !related.has(`${b}>${a}`)) random.push([a, b])
    }
    const mi = (pairs: (readonly [number, number])[]) =>
      mean(pairs.map(([a, b]) => mutualInformation(encoder, a, b)))
    const r = (pairs: (readonly [number, number])[]) =>
      mean(pairs.map(([a, b]) => absCorrelation(encoder, a, b)))
    const [miDirect, miIndirect, miRandom] = [mi(direct), mi(indirect), mi(random)]
    const [rDirect, rIndirect, rRandom] = [r(direct), r(indirect), r(random)]
    expect(miDirect).toBeGreaterThan(3 * miRandom)
    expect(miIndirect).toBeGreaterThan(1.3 * miRandom)
    expect(rDirect).toBeGreaterThan(0.5)
    expect(rIndirect).toBeGreaterThan(3 * rRandom)
    expect(rIndirect).toBeLessThan(rDirect)
  })

  it('makes labelled pairs per TF: direct = 1, indirect and unrelated = 0, about 1:1', () => {
    const pairs = simulatorPairs(sim)
    const kinds = [0, 1, 2].map((k) => Array.from(pairs.kind).filter((v) => v === k).length)
    expect(kinds[1]).toBe(sim.edges.tf.length)
    expect(kinds[2]).toBe(sim.indirect.tf.length)
    expect(Array.from(pairs.label).every((l, i) => l === (pairs.kind[i] === 1 ? 1 : 0))).toBe(true)
    const negatives = kinds[0]! + kinds[2]!
    expect(negatives).toBeGreaterThanOrEqual(kinds[1]!)
    expect(simulatorPairs(sim)).toEqual(pairs)
    // Grouped by TF, TFs in order.
    expect(Array.from(pairs.a)).toEqual(Array.from(pairs.a).sort((x, y) => x - y))
  })
})
