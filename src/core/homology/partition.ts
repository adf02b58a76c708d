/**
 * Homology partitions: train / validation / test such that no validation or test sequence has a sequence in
 * another part at identity ≥ t, after GraphPart (Teufel et al. 2023, "GraphPart: homology partitioning for
 * biological sequence analysis", NAR Genomics and Bioinformatics). Clustering alone does not give this: two
 * 35 %-identical proteins can sit in different clusters and so on both sides of a split.
 *
 * 0. Sequences shorter than `minLength` (default 50 below t = 0.5) are dropped: chance alignments of
 *    peptides reach t over their own length with most proteins.
 * 1. Graph: the pairs with identity ≥ t (identity over the shorter sequence, ./align), found by the word
 *    filter (./prefilter) or, for proteins below 0.5, the seed filter (./seeds), and decided by full
 *    alignment. Or, with `clusters` (cd-hit's, mmseqs2's), no graph: each cluster is a unit.
 * 2. Units: connected components; a component too big for the smallest part is split into graph clusters
 *    (greedy: longest sequence first takes its unassigned neighbours), which leaves edges between units.
 * 3. Assignment: units by decreasing size into the part furthest below its target, weighing how far each
 *    of the unit's labels is below its target in that part (label balance).
 * 4. GraphPart's phase: sequences with neighbours in another part move to the part holding most of their
 *    neighbours (a few rounds, within the part's size limit); then, while a cross-part edge remains, the
 *    sequence with most cross-part neighbours is removed (dropped, reported).
 * 5. Verify (default on): every validation/test sequence is aligned with every training sequence, no
 *    word filter; any pair ≥ t the filter missed drops that validation/test sequence. With it the
 *    guarantee is strict: no kept validation/test sequence has a training sequence at identity ≥ t (and,
 *    as far as the filter found them, none in the other held-out part). Without it (large sets where
 *    n_test × n_train alignments do not fit), the guarantee holds for the pairs the filter passed, and
 *    `leakageReport` on a sample is the independent check.
 *
 * An empty test part (or validation part with a target above 0) is an error, never a pass.
 */
import { InputError } from '../../shared/errors'
import { Rng, type Seed } from '../random'
import { encodeClasses, type Labels } from '../splits/labels'
import { TEST, TRAIN, VAL } from '../splits/summary'
import { Aligner, BLOSUM62, type ScoringScheme } from './align'
import { byLengthDescending, checkSequenceList, lettersOf, type ProgressCallback } from './cluster'
import { resolvePrefilter, WordIndex, type PrefilterOptions } from './prefilter'
import { SeedIndex, type SeedOptions } from './seeds'

export const DROPPED = -1

export interface PartFractions {
  train: number
  val: number
  test: number
}

export interface PartitionOptions extends PrefilterOptions {
  threshold: number
  /**
   * Which filter finds the pairs to align: `words` (./prefilter, cd-hit's short words), `seeds` (./seeds,
   * reduced-alphabet seeds, two hits on a diagonal, ungapped score; proteins only), or `auto` (default):
   * seeds for proteins below identity 0.5, where short words no longer filter anything, else words (and
   * words whenever word options, `wordLength` or `minSharedWords`, are given).
   */
  pairFilter?: 'auto' | 'words' | 'seeds'
  /** Options of the seed filter. */
  seeds?: SeedOptions
  /**
   * Clusters made elsewhere (cd-hit's or mmseqs2's, read by ./cluster), one number per sequence: each
   * cluster becomes one unit and no identity graph is built, so nothing moves or is removed between
   * clusters; pairs across clusters are then found only by the verification (or `leakageReport`).
   */
  clusters?: ArrayLike<number>
  /**
   * Sequences shorter than this are dropped before partitioning (counted in `tooShort`). Identity over the
   * shorter sequence means little for peptides: on 400 UniProt proteins a 7-residue one reached 3/7 = 0.43
   * with 235 of them and 20-residue ones 0.3 with dozens, all chance alignments (scores ≤ 42), so in any
   * part they "leak" to most of the others. Default 50 below identity 0.5, else 11 (cd-hit's `-l 10`).
   */
  minLength?: number
  /** Target fractions, summing to 1; default 0.8 / 0.1 / 0.1. */
  fractions?: PartFractions
  /** Class labels to balance across parts (optional). */
  labels?: Labels
  /** Seed for the order of equal-sized units. */
  seed: Seed
  scheme?: ScoringScheme
  /** Align every held-out sequence with every training one after partitioning (default true). */
  verify?: boolean
  /** Rounds of the move phase; default 10. */
  moveRounds?: number
  onProgress?: ProgressCallback
  signal?: AbortSignal
}

export interface PartitionResult {
  /** Per sequence: TRAIN 0, VAL 1, TEST 2, or DROPPED −1. */
  assignments: Int8Array
  /** Indices of the dropped sequences, ascending. */
  dropped: Int32Array
  /** Of those, how many the exhaustive verification dropped (pairs the word filter missed). */
  droppedByVerify: number
  /** Of those, how many were shorter than `minLength`. */
  tooShort: number
  /** Pairs with identity ≥ t found (graph edges), components, size of the largest one. */
  edges: number
  components: number
  largestComponent: number
  /** Kept sequences per part, and their share of the kept sequences (the split's fractions). */
  counts: PartFractions
  achieved: PartFractions
  alignments: number
}

interface Graph {
  /** CSR adjacency. */
  start: Int32Array
  neighbours: Int32Array
  edges: number
  alignments: number
}

function checkFractions(f: PartFractions): void {
  const values = [f.train, f.val, f.test]
  const sum = values.reduce((a, b) => a + b, 0)
  if (
    values.some((v) => !(v >= 0 && v <= 1)) ||
    Math.abs(sum - 1) > 1e-9 ||
    !(f.test > 0) ||
    !(f.train > 0)
  ) {
    throw new InputError(
      'homology.bad_fractions',
      'The part fractions must be ≥ 0 and sum to 1, with test > 0.',
      {
        expected: 'train > 0, val ≥ 0, test > 0, sum 1',
        found: `${f.train} / ${f.val} / ${f.test}`,
      },
    )
  }
}

/** Half-width of the banded alignment that screens seed candidates before the full alignment. */
export const SEED_ALIGN_BAND = 32
/**
 * A seed candidate whose banded identity is below this fraction of t is not aligned in full. Heuristic (a
 * pair whose best alignment leaves the band can be missed; verification catches it). On 2,000 UniProt
 * proteins at 0.3: 1,015 of the 1,047 edges full alignment of every candidate finds, in 20 s of CPU
 * instead of 62 s (0.8: 1,002 edges, 18 s).
 */
export const SEED_BAND_MARGIN = 0.6

/** The filter `auto` chooses: seeds for proteins below 0.5, where 2- and 3-letter words pass every pair. */
export function pairFilterFor(threshold: number, scheme: ScoringScheme = BLOSUM62): 'words' | 'seeds' {
  return scheme.size === BLOSUM62.size && threshold < 0.5 ? 'seeds' : 'words'
}

/** The graph of pairs at identity ≥ t: a filter, then (full) alignment of each candidate pair once. */
export function identityGraph(
  seqs: readonly Uint8Array[],
  threshold: number,
  options: Omit<PartitionOptions, 'seed' | 'threshold'> = {},
): Graph {
  checkSequenceList(seqs)
  const { k } = resolvePrefilter(threshold, options)
  const scheme = options.scheme ?? BLOSUM62
  const aligner = new Aligner(scheme)
  // Word options given (word length, a minimum of shared words) ask for the word filter.
  const wordOptions = options.wordLength !== undefined || options.minSharedWords !== undefined
  const filter =
    options.pairFilter === undefined || options.pairFilter === 'auto'
      ? wordOptions
        ? 'words'
        : pairFilterFor(threshold, scheme)
      : options.pairFilter
  if (filter !== 'words' && filter !== 'seeds') {
    throw new InputError('homology.bad_param', `Unknown pair filter "${String(filter)}".`, {
      expected: 'auto, words or seeds',
      found: String(filter),
    })
  }
  const seedIndex = filter === 'seeds' ? new SeedIndex(seqs, scheme, options.seeds) : undefined
  const index = filter === 'words' ? new WordIndex(k, lettersOf(scheme)) : undefined
  const n = seqs.length
  const from: number[] = []
  const to: number[] = []
  let alignments = 0
  // Each sequence is queried against the ones before it: every pair is considered once.
  for (let i = 0; i < n; i++) {
    if ((i & 127) === 0) {
      options.signal?.throwIfAborted()
      options.onProgress?.(i, n, 'graph')
    }
    const query = seqs[i]!
    const candidates = seedIndex ? seedIndex.candidates(i) : index!.candidates(query, threshold, options)
    for (const c of candidates) {
      alignments++
      // Seed candidates: a banded alignment around the seed's diagonal first (~7 × cheaper than the full
      // one for average proteins); only pairs it puts near t get the full alignment.
      if (seedIndex) {
        const band = { diagonal: -c.diagonal, width: SEED_ALIGN_BAND }
        if (aligner.align(seqs[c.index]!, query, { band }).identity < SEED_BAND_MARGIN * threshold) continue
      }
      if (aligner.align(seqs[c.index]!, query).identity >= threshold) {
        from.push(i)
        to.push(c.index)
      }
    }
    index?.add(query)
  }
  options.onProgress?.(n, n, 'graph')
  const degree = new Int32Array(n + 1)
  for (let e = 0; e < from.length; e++) {
    degree[from[e]! + 1] = degree[from[e]! + 1]! + 1
    degree[to[e]! + 1] = degree[to[e]! + 1]! + 1
  }
  for (let i = 0; i < n; i++) degree[i + 1] = degree[i + 1]! + degree[i]!
  const start = degree.slice()
  const fill = degree.slice(0, n)
  const neighbours = new Int32Array(from.length * 2)
  for (let e = 0; e < from.length; e++) {
    neighbours[fill[from[e]!]!++] = to[e]!
    neighbours[fill[to[e]!]!++] = from[e]!
  }
  return { start, neighbours, edges: from.length, alignments }
}

function components(graph: Graph, n: number): Int32Array {
  const comp = new Int32Array(n).fill(-1)
  const stack = new Int32Array(n)
  let count = 0
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1) continue
    let top = 0
    stack[top++] = s
    comp[s] = count
    while (top > 0) {
      const v = stack[--top]!
      for (let e = graph.start[v]!; e < graph.start[v + 1]!; e++) {
        const w = graph.neighbours[e]!
        if (comp[w] === -1) {
          comp[w] = count
          stack[top++] = w
        }
      }
    }
    count++
  }
  return comp
}

/** Units to assign: components, with those larger than `maxUnit` split into greedy graph clusters. */
function units(graph: Graph, seqs: readonly Uint8Array[], maxUnit: number): Int32Array[] {
  const n = seqs.length
  const comp = components(graph, n)
  const members = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    const list = members.get(comp[i]!)
    if (list === undefined) members.set(comp[i]!, [i])
    else list.push(i)
  }
  const out: Int32Array[] = []
  const taken = new Uint8Array(n)
  const order = byLengthDescending(seqs)
  const bigMembers: boolean[] = new Array<boolean>(n).fill(false)
  for (const list of members.values()) {
    if (list.length <= maxUnit) out.push(Int32Array.from(list))
    else for (const v of list) bigMembers[v] = true
  }
  // Greedy clusters inside big components: the longest unassigned sequence takes its free neighbours.
  for (let o = 0; o < n; o++) {
    const v = order[o]!
    if (!bigMembers[v] || taken[v]) continue
    const cluster = [v]
    taken[v] = 1
    for (let e = graph.start[v]!; e < graph.start[v + 1]!; e++) {
      const w = graph.neighbours[e]!
      if (!taken[w]) {
        taken[w] = 1
        cluster.push(w)
      }
    }
    out.push(Int32Array.from(cluster))
  }
  return out
}

/** One unit per given cluster number, in order of first appearance. */
function clusterUnits(clusters: ArrayLike<number>): Int32Array[] {
  const members = new Map<number, number[]>()
  for (let i = 0; i < clusters.length; i++) {
    const c = clusters[i]!
    const list = members.get(c)
    if (list === undefined) members.set(c, [i])
    else list.push(i)
  }
  return [...members.values()].map((list) => Int32Array.from(list))
}

interface Assigner {
  parts: Int8Array
  size: Float64Array
  labelCount: Float64Array[]
}

/** Units by decreasing size (seeded order among equals) into the part that most needs them. */
function assignUnits(
  unitList: Int32Array[],
  n: number,
  targets: number[],
  classCodes: Int32Array | undefined,
  classTotals: Int32Array | undefined,
  rng: Rng,
): Assigner {
  const parts = new Int8Array(n).fill(DROPPED)
  const size = new Float64Array(3)
  const classes = classTotals?.length ?? 0
  const labelCount = [0, 1, 2].map(() => new Float64Array(classes))
  const shuffled = rng.shuffle(unitList.slice())
  shuffled.sort((a, b) => b.length - a.length)
  const unitClasses = new Float64Array(classes)
  for (const unit of shuffled) {
    unitClasses.fill(0)
    if (classCodes !== undefined)
      for (const v of unit) unitClasses[classCodes[v]!] = unitClasses[classCodes[v]!]! + 1
    let bestPart = TRAIN
    let bestScore = -Infinity
    for (let p = 0; p < 3; p++) {
      const target = targets[p]! * n
      if (target <= 0) continue
      // Relative room left for sequences, and for this unit's labels.
      let score = (target - size[p]!) / target
      if (classCodes !== undefined && classTotals !== undefined) {
        let labelRoom = 0
        for (let c = 0; c < classes; c++) {
          if (unitClasses[c] === 0) continue
          const labelTarget = targets[p]! * classTotals[c]!
          labelRoom += (unitClasses[c]! * (labelTarget - labelCount[p]![c]!)) / Math.max(labelTarget, 1)
        }
        score += labelRoom / unit.length
      }
      if (score > bestScore) {
        bestScore = score
        bestPart = p
      }
    }
    for (const v of unit) parts[v] = bestPart
    size[bestPart] = size[bestPart]! + unit.length
    const counted = labelCount[bestPart]!
    for (let c = 0; c < classes; c++) counted[c] = counted[c]! + unitClasses[c]!
  }
  return { parts, size, labelCount }
}

/** GraphPart's moves: a sequence goes to the part holding most of its neighbours, if that part has room. */
function movePhase(graph: Graph, parts: Int8Array, targets: number[], rounds: number): void {
  const n = parts.length
  const size = new Float64Array(3)
  for (let i = 0; i < n; i++) if (parts[i]! >= 0) size[parts[i]!] = size[parts[i]!]! + 1
  // A part may grow two points past its target (the tolerance promised for sizes).
  const limit = targets.map((t) => (t + 0.02) * n)
  const counts = new Int32Array(3)
  for (let round = 0; round < rounds; round++) {
    let moved = 0
    for (let v = 0; v < n; v++) {
      const own = parts[v]!
      if (own < 0) continue
      counts.fill(0)
      for (let e = graph.start[v]!; e < graph.start[v + 1]!; e++) {
        const p = parts[graph.neighbours[e]!]!
        if (p >= 0) counts[p] = counts[p]! + 1
      }
      let best = own
      for (let p = 0; p < 3; p++) if (counts[p]! > counts[best]! && size[p]! + 1 <= limit[p]!) best = p
      if (best !== own) {
        parts[v] = best
        size[own] = size[own]! - 1
        size[best] = size[best]! + 1
        moved++
      }
    }
    if (moved === 0) break
  }
}

/** Removes, most-connected first, sequences until no edge joins two different parts. */
function removalPhase(graph: Graph, parts: Int8Array): number {
  const n = parts.length
  const cross = new Int32Array(n)
  const crossOf = (v: number) => {
    let c = 0
    for (let e = graph.start[v]!; e < graph.start[v + 1]!; e++) {
      const p = parts[graph.neighbours[e]!]!
      if (p >= 0 && p !== parts[v]) c++
    }
    return c
  }
  for (let v = 0; v < n; v++) cross[v] = parts[v]! >= 0 ? crossOf(v) : 0
  let removed = 0
  for (;;) {
    let worst = -1
    for (let v = 0; v < n; v++) if (cross[v]! > 0 && (worst < 0 || cross[v]! > cross[worst]!)) worst = v
    if (worst < 0) return removed
    parts[worst] = DROPPED
    cross[worst] = 0
    removed++
    for (let e = graph.start[worst]!; e < graph.start[worst + 1]!; e++) {
      const w = graph.neighbours[e]!
      if (parts[w]! >= 0) cross[w] = crossOf(w)
    }
  }
}

/** Every held-out sequence against every training one (no filter); leaking held-out ones are dropped. */
function verifyPhase(seqs: readonly Uint8Array[], parts: Int8Array, options: PartitionOptions): number {
  const aligner = new Aligner(options.scheme ?? BLOSUM62)
  const train: number[] = []
  const heldOut: number[] = []
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === TRAIN) train.push(i)
    else if (parts[i] === VAL || parts[i] === TEST) heldOut.push(i)
  }
  let dropped = 0
  for (let h = 0; h < heldOut.length; h++) {
    options.signal?.throwIfAborted()
    options.onProgress?.(h, heldOut.length, 'verify')
    const q = heldOut[h]!
    for (const r of train) {
      if (aligner.align(seqs[r]!, seqs[q]!).identity >= options.threshold) {
        parts[q] = DROPPED
        dropped++
        break
      }
    }
  }
  options.onProgress?.(heldOut.length, heldOut.length, 'verify')
  return dropped
}

/** GraphPart-style homology partition; see the module comment for the steps and the guarantee. */
export function homologyPartition(seqs: readonly Uint8Array[], options: PartitionOptions): PartitionResult {
  checkSequenceList(seqs)
  resolvePrefilter(options.threshold, options)
  const minLength = options.minLength ?? (options.threshold < 0.5 ? 50 : 11)
  if (!Number.isInteger(minLength) || minLength < 0) {
    throw new InputError('homology.bad_param', 'The minimum length must be a whole number ≥ 0.', {
      expected: 'an integer ≥ 0',
      found: String(minLength),
    })
  }
  const long: number[] = []
  for (let i = 0; i < seqs.length; i++) if (seqs[i]!.length >= minLength) long.push(i)
  if (long.length < seqs.length) {
    if (options.labels !== undefined && options.labels.length !== seqs.length) {
      throw new InputError(
        'homology.bad_labels',
        `There are ${seqs.length} sequences but ${options.labels.length} labels.`,
        { expected: `${seqs.length} labels`, found: String(options.labels.length) },
      )
    }
    const pick = <T>(values: ArrayLike<T>): T[] => long.map((i) => values[i]!)
    const sub = homologyPartition(pick(seqs), {
      ...options,
      minLength: 0,
      ...(options.labels !== undefined
        ? { labels: pick(options.labels as ArrayLike<number | string>) as Labels }
        : {}),
      ...(options.clusters !== undefined ? { clusters: pick(options.clusters) } : {}),
    })
    const assignments = new Int8Array(seqs.length).fill(DROPPED)
    long.forEach((i, k) => (assignments[i] = sub.assignments[k]!))
    const dropped: number[] = []
    for (let i = 0; i < seqs.length; i++) if (assignments[i] === DROPPED) dropped.push(i)
    const kept = seqs.length - dropped.length
    return {
      ...sub,
      assignments,
      dropped: Int32Array.from(dropped),
      tooShort: seqs.length - long.length,
      components: sub.components + (seqs.length - long.length),
      achieved: {
        train: sub.counts.train / kept,
        val: sub.counts.val / kept,
        test: sub.counts.test / kept,
      },
    }
  }
  const fractions = options.fractions ?? { train: 0.8, val: 0.1, test: 0.1 }
  checkFractions(fractions)
  resolvePrefilter(options.threshold, options)
  const rounds = options.moveRounds ?? 10
  if (!Number.isInteger(rounds) || rounds < 0) {
    throw new InputError('homology.bad_param', 'The number of move rounds must be a whole number ≥ 0.', {
      expected: 'an integer ≥ 0',
      found: String(rounds),
    })
  }
  const n = seqs.length
  let classCodes: Int32Array | undefined
  let classTotals: Int32Array | undefined
  if (options.labels !== undefined) {
    if (options.labels.length !== n) {
      throw new InputError(
        'homology.bad_labels',
        `There are ${n} sequences but ${options.labels.length} labels.`,
        {
          expected: `${n} labels`,
          found: String(options.labels.length),
        },
      )
    }
    const encoded = encodeClasses(options.labels, 'homology.bad_labels')
    classCodes = encoded.codes
    classTotals = encoded.counts
  }
  const rng = Rng.seeded(options.seed).fork('homology-partition')
  const given = options.clusters
  if (given !== undefined && given.length !== n) {
    throw new InputError(
      'homology.bad_param',
      `There are ${n} sequences but ${given.length} cluster numbers.`,
      {
        expected: `${n} cluster numbers`,
        found: String(given.length),
      },
    )
  }
  const graph: Graph =
    given === undefined
      ? identityGraph(seqs, options.threshold, options)
      : { start: new Int32Array(n + 1), neighbours: new Int32Array(0), edges: 0, alignments: 0 }
  const targets = [fractions.train, fractions.val, fractions.test]
  const smallestHeldOut = Math.min(...targets.filter((t, p) => p !== TRAIN && t > 0))
  const maxUnit = Math.max(1, Math.floor((smallestHeldOut * n) / 2))
  options.onProgress?.(0, 1, 'assign')
  const unitList = given === undefined ? units(graph, seqs, maxUnit) : clusterUnits(given)
  const { parts } = assignUnits(unitList, n, targets, classCodes, classTotals, rng)
  movePhase(graph, parts, targets, rounds)
  removalPhase(graph, parts)
  options.onProgress?.(1, 1, 'assign')
  const droppedByVerify = options.verify === false ? 0 : verifyPhase(seqs, parts, options)

  const counts = { train: 0, val: 0, test: 0 }
  const dropped: number[] = []
  for (let i = 0; i < n; i++) {
    if (parts[i] === TRAIN) counts.train++
    else if (parts[i] === VAL) counts.val++
    else if (parts[i] === TEST) counts.test++
    else dropped.push(i)
  }
  if (counts.test === 0 || (fractions.val > 0 && counts.val === 0)) {
    throw new InputError(
      'homology.empty_part',
      'No sequence could be held out without a homologue in training.',
      {
        expected: 'a non-empty test (and validation) part',
        found: `train ${counts.train}, val ${counts.val}, test ${counts.test}, dropped ${dropped.length}`,
        params: { threshold: options.threshold },
      },
    )
  }
  const kept = n - dropped.length
  // With given clusters the "components" are the clusters (renumbered 0 … c − 1).
  const comp =
    given === undefined
      ? components(graph, n)
      : (() => {
          const number = new Map<number, number>()
          return Int32Array.from({ length: n }, (_, i) => {
            const c = given[i]!
            if (!number.has(c)) number.set(c, number.size)
            return number.get(c)!
          })
        })()
  const compSize = new Int32Array(n)
  for (let i = 0; i < n; i++) compSize[comp[i]!] = compSize[comp[i]!]! + 1
  return {
    assignments: parts,
    dropped: Int32Array.from(dropped),
    droppedByVerify,
    tooShort: 0,
    edges: graph.edges,
    components: new Set(comp).size,
    largestComponent: n === 0 ? 0 : Math.max(...compSize),
    counts,
    achieved: { train: counts.train / kept, val: counts.val / kept, test: counts.test / kept },
    alignments: graph.alignments,
  }
}

export interface LeakageReport {
  threshold: number
  /** Held-out (val / test) sequence indices, their part, best identity to any training sequence, and which. */
  sequences: Int32Array
  parts: Int8Array
  bestIdentity: Float64Array
  nearestTrain: Int32Array
  /** Histogram of best identities: `counts[b]` for [edges[b], edges[b + 1]), the last bin closed at 1. */
  histogram: { edges: number[]; counts: number[] }
  /** Held-out sequences with a training sequence at identity ≥ threshold (0 for a homology split). */
  above: number
  alignments: number
}

export interface LeakageOptions {
  scheme?: ScoringScheme
  /** Histogram bin width; default 0.05. */
  binWidth?: number
  /** Parts to check; default val and test. */
  parts?: number[]
  onProgress?: ProgressCallback
  signal?: AbortSignal
}

/**
 * The proof of a split: every held-out sequence aligned with every training sequence (no word filter, full
 * local alignment), its best identity, a histogram, and the count at or above `threshold`.
 */
export function leakageReport(
  seqs: readonly Uint8Array[],
  assignments: ArrayLike<number>,
  threshold: number,
  options: LeakageOptions = {},
): LeakageReport {
  checkSequenceList(seqs)
  resolvePrefilter(threshold)
  if (assignments.length !== seqs.length) {
    throw new InputError(
      'homology.bad_param',
      `There are ${seqs.length} sequences but ${assignments.length} assignments.`,
      {
        expected: `${seqs.length} assignments`,
        found: String(assignments.length),
      },
    )
  }
  const binWidth = options.binWidth ?? 0.05
  if (!(binWidth > 0 && binWidth <= 1)) {
    throw new InputError('homology.bad_param', 'The histogram bin width must be in (0, 1].', {
      expected: '0 < width ≤ 1',
      found: String(binWidth),
    })
  }
  const checked = new Set(options.parts ?? [VAL, TEST])
  const train: number[] = []
  const heldOut: number[] = []
  for (let i = 0; i < seqs.length; i++) {
    if (assignments[i] === TRAIN) train.push(i)
    else if (checked.has(assignments[i]!)) heldOut.push(i)
  }
  const aligner = new Aligner(options.scheme ?? BLOSUM62)
  const best = new Float64Array(heldOut.length)
  const nearest = new Int32Array(heldOut.length).fill(-1)
  const bins = Math.ceil(1 / binWidth - 1e-9)
  const counts = new Array<number>(bins).fill(0)
  let above = 0
  for (let h = 0; h < heldOut.length; h++) {
    if ((h & 7) === 0) {
      options.signal?.throwIfAborted()
      options.onProgress?.(h, heldOut.length, 'leakage')
    }
    const q = seqs[heldOut[h]!]!
    for (const r of train) {
      const id = aligner.align(seqs[r]!, q).identity
      if (id > best[h]! || nearest[h]! < 0) {
        best[h] = id
        nearest[h] = r
      }
    }
    const bin = Math.min(bins - 1, Math.floor(best[h]! / binWidth + 1e-9))
    counts[bin] = counts[bin]! + 1
    if (best[h]! >= threshold) above++
  }
  options.onProgress?.(heldOut.length, heldOut.length, 'leakage')
  return {
    threshold,
    sequences: Int32Array.from(heldOut),
    parts: Int8Array.from(heldOut, (i) => assignments[i]!),
    bestIdentity: best,
    nearestTrain: nearest,
    histogram: { edges: Array.from({ length: bins + 1 }, (_, b) => Math.min(1, b * binWidth)), counts },
    above,
    alignments: heldOut.length * train.length,
  }
}
