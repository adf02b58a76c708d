/**
 * A simulated gene regulatory network with single-cell expression, for the GRN demo and tests (issue 8,
 * part 8). No curated TF→target truth can be had offline, so the simulator carries the truth, including the
 * transitive pairs that motivate DeepDRIM (Chen et al., Brief. Bioinform. 2021) over CNNC (Yuan &
 * Bar-Joseph, PNAS 2019).
 *
 * Fixed parameters (`GRN_SIMULATOR`; the demo states them): 400 genes of which 20 are TFs (genes 0–19,
 * `TF01`…`TF20`; the rest `G001`…`G380`), each TF with 5–20 direct targets, 30 TF→TF edges so that 2-step
 * chains a→c→b make indirect pairs, 2,000 cells, 30% dropout, seed 7.
 *
 * Network (stream `network`): 30 distinct TF→TF edges drawn uniformly (no self loops; cycles may occur).
 * Each TF draws its number of direct targets uniformly in 5 … 20 (at least its TF→TF out-degree); the rest
 * are non-TF genes drawn without replacement, so some genes have two or more regulators and many have none
 * (background genes). Each edge activates with probability 0.7, else represses; strength v ~ U(10, 30).
 *
 * Expression (stream `cells`), a stochastic steady-state Hill model, one independent draw per cell:
 * - a TF without TF regulators is on or off in each cell (probability ½; off = on / 8: cell states), times
 *   log-normal noise (log-sd 0.5), "on" median m ~ U(5, 20);
 * - a regulated gene g has  x_g = (β_g + Σ_r v_rg · h_rg(x_r)) · exp(ε_g),  ε_g ~ N(0, 0.3²), β_g ~ U(0.5, 2),
 *   with h = x³/(K³ + x³) for activation and K³/(K³ + x³) for repression (Hill coefficient 3), K = the
 *   regulator's median level over the cells; switch-like terms carry the states down a→c→b chains, so
 *   indirect pairs are correlated too (weaker than direct ones, as in real data);
 * - a gene without regulators is log-normal, median ~ U(1, 10), log-sd 0.5 (background genes).
 * Genes are computed TFs first in topological order of the TF→TF graph (cycle members after, in index
 * order), then targets. TF→TF cycles are resolved by 5 relaxation sweeps over the regulated TFs (Gauss–Seidel,
 * with the same noise ε each sweep and K re-estimated), which settles Hill sums of bounded terms.
 * Dropout (stream `dropout`): each value is set to 0 with probability 0.3, independently (technical zeros;
 * the regulation used the true levels). Every other value is > 0, so exactly the dropped entries are zero.
 *
 * Truth: `edges` (direct, with sign) and `indirect` pairs (a, b) with a→c→b for some TF c, a ≠ b and no edge
 * a→b; `simulatorPairs` makes labelled pairs for training (direct = 1; indirect and unrelated = 0).
 */
import { InputError } from '../../shared/errors'
import type { ExpressionMatrix } from '../formats/expression'
import { Rng, type Seed } from '../random'
import { KIND_DIRECT, KIND_INDIRECT, KIND_NONE } from './metrics'

export interface SimulatorParameters {
  tfs: number
  genes: number
  minTargets: number
  maxTargets: number
  tfTfEdges: number
  cells: number
  dropout: number
  seed: Seed
}

/** The demo's parameters (issue 8): keep them, the demo claims them. */
export const GRN_SIMULATOR: Readonly<SimulatorParameters> = Object.freeze({
  tfs: 20,
  genes: 400,
  minTargets: 5,
  maxTargets: 20,
  tfTfEdges: 30,
  cells: 2000,
  dropout: 0.3,
  seed: 7,
})

const ACTIVATION_PROBABILITY = 0.7
const HILL = 3
const ROOT_OFF_PROBABILITY = 0.5
const ROOT_OFF_FOLD = 8
const NOISE_SD = 0.3
const SWEEPS = 5

export interface SimulatedGrn {
  parameters: SimulatorParameters
  /** Genes × cells, gene-major (`csr`); dropped values are not stored. */
  matrix: ExpressionMatrix
  /** Gene numbers of the TFs (0 … tfs − 1). */
  tfs: Int32Array
  /** Direct edges; sign +1 activation, −1 repression. */
  edges: { tf: Int32Array; target: Int32Array; sign: Int8Array }
  /** Indirect pairs a→c→b (no edge a→b), with one intermediate TF c. */
  indirect: { tf: Int32Array; target: Int32Array; via: Int32Array }
}

/** Simulates the network and its expression; the default parameters are `GRN_SIMULATOR`. */
export function simulateGrn(overrides: Partial<SimulatorParameters> = {}): SimulatedGrn {
  const p: SimulatorParameters = { ...GRN_SIMULATOR, ...overrides }
  const { tfs: nTfs, genes: nGenes, cells: nCells } = p
  if (
    nTfs < 2 ||
    nGenes - nTfs < p.maxTargets ||
    p.tfTfEdges > nTfs * (nTfs - 1) ||
    p.minTargets > p.maxTargets
  ) {
    throw new InputError('grn.bad_simulation', 'These simulator parameters cannot make a network', {
      expected: '≥ 2 TFs, enough genes for the targets, TF→TF edges ≤ TFs × (TFs − 1)',
      found: JSON.stringify(p),
    })
  }
  const root = Rng.seeded(p.seed)
  const net = root.fork('network')

  // TF→TF edges: distinct ordered pairs, no self loops.
  const tfTargets: number[][] = Array.from({ length: nTfs }, () => [])
  const tfPairs = new Set<number>()
  while (tfPairs.size < p.tfTfEdges) {
    const a = net.int(nTfs)
    const b = net.int(nTfs)
    if (a === b || tfPairs.has(a * nTfs + b)) continue
    tfPairs.add(a * nTfs + b)
    tfTargets[a]!.push(b)
  }
  for (const list of tfTargets) list.sort((x, y) => x - y)

  // Non-TF targets per TF, drawn without replacement (per TF) from genes nTfs … nGenes − 1.
  const edgeTf: number[] = []
  const edgeTarget: number[] = []
  const edgeSign: number[] = []
  const edgeStrength: number[] = []
  for (let tf = 0; tf < nTfs; tf++) {
    const total = Math.max(p.minTargets + net.int(p.maxTargets - p.minTargets + 1), tfTargets[tf]!.length)
    const chosen = new Set<number>()
    while (chosen.size < total - tfTargets[tf]!.length) chosen.add(nTfs + net.int(nGenes - nTfs))
    const targets = [...tfTargets[tf]!, ...[...chosen].sort((x, y) => x - y)]
    for (const target of targets) {
      edgeTf.push(tf)
      edgeTarget.push(target)
      edgeSign.push(net.chance(ACTIVATION_PROBABILITY) ? 1 : -1)
      edgeStrength.push(10 + 20 * net.float())
    }
  }
  const regulatorsOf: number[][] = Array.from({ length: nGenes }, () => [])
  edgeTarget.forEach((target, e) => regulatorsOf[target]!.push(e))

  // Per-gene constants.
  const basal = Float64Array.from({ length: nGenes }, () => 0.5 + 1.5 * net.float())
  const median = Float64Array.from({ length: nGenes }, (_, g) =>
    g < nTfs ? 5 + 15 * net.float() : 1 + 9 * net.float(),
  )

  // Order: TFs topologically (Kahn), cycle members after in index order; then the other genes.
  const order = tfOrder(nTfs, tfTargets)
  const cells = root.fork('cells')
  const levels: Float64Array[] = Array.from({ length: nGenes }, () => new Float64Array(nCells))
  const noise: Float64Array[] = Array.from({ length: nGenes }, () => new Float64Array(nCells))
  for (let g = 0; g < nGenes; g++) {
    const unregulated = regulatorsOf[g]!.length === 0
    const sd = unregulated ? 0.5 : NOISE_SD
    const row = noise[g]!
    for (let c = 0; c < nCells; c++) row[c] = cells.normal(0, sd)
    if (unregulated) {
      const level = levels[g]!
      // Root TFs switch on or off per cell (cell states), which Hill regulation passes down the chains.
      const states = g < nTfs
      for (let c = 0; c < nCells; c++) {
        const off = states && cells.float() < ROOT_OFF_PROBABILITY
        level[c] = (off ? median[g]! / ROOT_OFF_FOLD : median[g]!) * Math.exp(row[c]!)
      }
    } else {
      levels[g]!.fill(basal[g]!) // the start of the relaxation for TFs in cycles
    }
  }
  const halfSaturation = new Float64Array(nGenes)
  const update = (g: number) => {
    const level = levels[g]!
    const eps = noise[g]!
    level.fill(basal[g]!)
    for (const e of regulatorsOf[g]!) {
      const x = levels[edgeTf[e]!]!
      const kn = halfSaturation[edgeTf[e]!]! ** HILL
      const v = edgeStrength[e]!
      const activation = edgeSign[e]! > 0
      for (let c = 0; c < nCells; c++) {
        const xn = x[c]! ** HILL
        level[c]! += v * (activation ? xn / (kn + xn) : kn / (kn + xn))
      }
    }
    for (let c = 0; c < nCells; c++) level[c]! *= Math.exp(eps[c]!)
  }
  const regulatedTfs = order.filter((tf) => regulatorsOf[tf]!.length > 0)
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let tf = 0; tf < nTfs; tf++) halfSaturation[tf] = medianOf(levels[tf]!)
    for (const tf of regulatedTfs) update(tf)
  }
  for (let tf = 0; tf < nTfs; tf++) halfSaturation[tf] = medianOf(levels[tf]!)
  for (let g = nTfs; g < nGenes; g++) if (regulatorsOf[g]!.length > 0) update(g)

  // Dropout, then the sparse gene-major matrix.
  const drop = root.fork('dropout')
  const indptr = new Uint32Array(nGenes + 1)
  const indices: number[] = []
  const data: number[] = []
  for (let g = 0; g < nGenes; g++) {
    const level = levels[g]!
    for (let c = 0; c < nCells; c++) {
      if (drop.float() < p.dropout) continue
      indices.push(c)
      data.push(level[c]!)
    }
    indptr[g + 1] = indices.length
  }
  const names = Array.from({ length: nGenes }, (_, g) =>
    g < nTfs ? `TF${String(g + 1).padStart(2, '0')}` : `G${String(g - nTfs + 1).padStart(3, '0')}`,
  )
  const matrix: ExpressionMatrix = {
    nGenes,
    nCells,
    layout: 'csr',
    indptr,
    indices: Uint32Array.from(indices),
    data: Float32Array.from(data),
    geneIds: names,
    geneSymbols: names.slice(),
    cells: Array.from({ length: nCells }, (_, c) => `cell${String(c + 1).padStart(4, '0')}`),
    normalization: 'none',
  }

  // Indirect pairs: a→c→b through a TF c, a ≠ b, no edge a→b.
  const direct = new Set(edgeTf.map((tf, e) => tf * nGenes + edgeTarget[e]!))
  const targetsOf: number[][] = Array.from({ length: nTfs }, () => [])
  edgeTf.forEach((tf, e) => targetsOf[tf]!.push(edgeTarget[e]!))
  const indirect = { tf: [] as number[], target: [] as number[], via: [] as number[] }
  const seenIndirect = new Set<number>()
  for (let a = 0; a < nTfs; a++) {
    for (const c of tfTargets[a]!) {
      for (const b of targetsOf[c]!) {
        const key = a * nGenes + b
        if (b === a || direct.has(key) || seenIndirect.has(key)) continue
        seenIndirect.add(key)
        indirect.tf.push(a)
        indirect.target.push(b)
        indirect.via.push(c)
      }
    }
  }

  return {
    parameters: p,
    matrix,
    tfs: Int32Array.from({ length: nTfs }, (_, i) => i),
    edges: {
      tf: Int32Array.from(edgeTf),
      target: Int32Array.from(edgeTarget),
      sign: Int8Array.from(edgeSign),
    },
    indirect: {
      tf: Int32Array.from(indirect.tf),
      target: Int32Array.from(indirect.target),
      via: Int32Array.from(indirect.via),
    },
  }
}

export interface SimulatorPairs {
  a: Int32Array
  b: Int32Array
  /** 1 direct edge, 0 otherwise (indirect pairs are negatives, as in DeepDRIM's evaluation). */
  label: Int8Array
  /** 1 direct, 2 indirect, 0 unrelated (`KIND_*` of metrics). */
  kind: Int8Array
}

/**
 * Labelled pairs per TF: its direct targets (label 1), all its indirect pairs (label 0), and unrelated genes
 * (label 0) until the TF's negatives reach `ratio` × its positives (DeepDRIM's 1:1 by default), drawn with
 * the seed. Pairs are grouped by TF, for TF-aware folds.
 */
export function simulatorPairs(
  sim: SimulatedGrn,
  options: { ratio?: number; seed?: Seed } = {},
): SimulatorPairs {
  const ratio = options.ratio ?? 1
  const nGenes = sim.matrix.nGenes
  const rng = Rng.seeded(options.seed ?? sim.parameters.seed).fork('pairs')
  const a: number[] = []
  const b: number[] = []
  const label: number[] = []
  const kind: number[] = []
  const push = (tf: number, g: number, k: number) => {
    a.push(tf)
    b.push(g)
    label.push(k === KIND_DIRECT ? 1 : 0)
    kind.push(k)
  }
  for (const tf of sim.tfs) {
    const related = new Set<number>([tf])
    let positives = 0
    sim.edges.tf.forEach((from, e) => {
      const to = sim.edges.target[e]!
      if (from === tf) {
        push(tf, to, KIND_DIRECT)
        positives++
      }
      if (from === tf || to === tf) related.add(from === tf ? to : from)
    })
    let negatives = 0
    sim.indirect.tf.forEach((from, i) => {
      if (from !== tf) return
      push(tf, sim.indirect.target[i]!, KIND_INDIRECT)
      related.add(sim.indirect.target[i]!)
      negatives++
    })
    const pool = Array.from({ length: nGenes }, (_, g) => g).filter((g) => !related.has(g))
    const stream = rng.fork(`tf:${tf}`)
    const wanted = Math.min(Math.max(0, Math.round(ratio * positives) - negatives), pool.length)
    for (let i = 0; i < wanted; i++) {
      const j = i + stream.int(pool.length - i)
      const held = pool[i]!
      pool[i] = pool[j]!
      pool[j] = held
    }
    for (const g of pool.slice(0, wanted).sort((x, y) => x - y)) push(tf, g, KIND_NONE)
  }
  return {
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    label: Int8Array.from(label),
    kind: Int8Array.from(kind),
  }
}

function tfOrder(nTfs: number, tfTargets: number[][]): number[] {
  const indegree = new Int32Array(nTfs)
  for (const list of tfTargets) for (const t of list) indegree[t]!++
  const queue: number[] = []
  for (let tf = 0; tf < nTfs; tf++) if (indegree[tf] === 0) queue.push(tf)
  const order: number[] = []
  while (queue.length > 0) {
    const tf = queue.shift()!
    order.push(tf)
    for (const t of tfTargets[tf]!) if (--indegree[t]! === 0) queue.push(t)
  }
  for (let tf = 0; tf < nTfs; tf++) if (!order.includes(tf)) order.push(tf)
  return order
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort()
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
