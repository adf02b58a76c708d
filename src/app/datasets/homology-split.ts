/**
 * Homology splits of a stored data set (`method: homology`): the core's GraphPart-style partition
 * (src/core/homology/partition.ts) of the records' sequences, then the check the guarantee rests on, and the
 * leakage report stored with the split.
 *
 * 1. Groups: the built-in search (seed filter + full alignment, identity over the shorter sequence), or the
 *    clusters of cd-hit (`-c t`, t ≥ 0.4: cd-hit cannot go lower) or mmseqs2 (`easy-cluster --min-seq-id t`)
 *    when installed and asked for; their cluster files are read by the core's readers. Which one ran, and
 *    its command line, is stored in the report.
 * 2. Check: every held-out (validation / test) sequence aligned with every training sequence, full local
 *    alignment, no filter (core `leakageReport`); any at identity ≥ t is dropped. `verify: all` always
 *    checks every held-out sequence; `auto` does so when the alignments fit `CHECK_BUDGET_CELLS` (about a
 *    minute of work on a laptop core), else a sample that fits it — every held-out sequence of up to
 *    `SHORT_FIRST` residues (short ones are those that reach t by chance), then a seeded random choice of
 *    the others — and the report says `checked: sample` with the number checked. (JS aligns ~70–100 M cells/s: 400 held-out
 *    against 1,600 training proteins of average length 450 is ~1.3·10^11 cells, half an hour.)
 * 3. Report: per checked held-out sequence its best identity to training, as a histogram (bins of 0.05),
 *    maximum and median, the count at or above t (0 after the check), what was dropped and why.
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  BLOSUM62,
  dnaScheme,
  DROPPED,
  homologyPartition,
  leakageReport,
  readCdhitClusters,
  readMmseqsClusters,
  type ExternalMember,
  type ProgressCallback,
} from '../../core/homology'
import { Rng } from '../../core/random'
import { alphabetByName } from '../../core/sequence/alphabet'
import { TEST, TRAIN, VAL } from '../../core/splits/summary'
import type { LeakageSummary, SplitMethod } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'
import { datasetInfo } from './queries'

/** DP cells the automatic check may spend (~1 min at ~70 M cells/s). */
export const CHECK_BUDGET_CELLS = 4e9

/** Held-out sequences up to this length are checked first when only a sample can be. */
export const SHORT_FIRST = 150

export type HomologySplit = Extract<SplitMethod, { method: 'homology' }>

export interface HomologySplitOptions {
  onProgress?: ProgressCallback
  signal?: AbortSignal
  /** Where the external tools are looked up (tests); default: PATH. */
  findTool?: (name: string) => string | null
}

export interface HomologySplitResult {
  /** Per record: 0 train, 1 val, 2 test, −1 dropped. */
  assignments: Int8Array
  leakage: LeakageSummary
}

/** The executable's path on PATH, or null. */
export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return null
}

interface StoredSequences {
  ids: string[]
  seqs: Uint8Array[]
  labels: (number | string)[] | undefined
  alphabet: 'dna' | 'protein'
}

function readSequences(store: ProjectStore, datasetId: number): StoredSequences {
  const info = datasetInfo(store, datasetId)
  const alphabet = info.alphabet === 'protein' ? 'protein' : 'dna'
  const codes = alphabetByName(alphabet)
  const rows = store.db
    .prepare('SELECT idx, record_id, sequence, label FROM records WHERE dataset_id = ? ORDER BY idx')
    .raw()
    .all(datasetId) as [number, string | null, string, number | string][]
  return {
    ids: rows.map((r) => r[1] ?? `record ${r[0] + 1}`),
    seqs: rows.map((r) => codes.toCodes(String(r[2]))),
    labels: info.labelKind === 'numeric' ? undefined : rows.map((r) => r[3]),
    alphabet,
  }
}

/** Runs cd-hit or mmseqs2 on the sequences; returns a cluster number per sequence and the command line. */
function externalClusters(
  tool: 'cd-hit' | 'mmseqs',
  data: StoredSequences,
  threshold: number,
  findTool: (name: string) => string | null,
): { clusters: Int32Array; command: string } {
  const binary = findTool(tool)
  if (binary === null) {
    throw new InputError('splits.tool_missing', `${tool} is not installed on this computer`, {
      expected: `${tool} on the PATH (Debian: apt-get install ${tool === 'cd-hit' ? 'cd-hit' : 'mmseqs2'}), or --tool builtin`,
      found: 'not found',
      params: { tool },
    })
  }
  if (data.alphabet !== 'protein') {
    throw new InputError('splits.tool_alphabet', `The ${tool} option clusters proteins`, {
      expected: 'a protein data set, or --tool builtin for DNA',
      found: data.alphabet,
      params: { tool },
    })
  }
  if (tool === 'cd-hit' && threshold < 0.4) {
    throw new InputError('splits.tool_threshold', 'cd-hit cannot cluster proteins below 40 % identity', {
      expected: 'a threshold ≥ 0.4 with cd-hit, or --tool builtin / mmseqs',
      found: String(threshold),
      params: { tool },
    })
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-homology-'))
  try {
    const fasta = path.join(dir, 'input.fa')
    const pack = alphabetByName('protein')
    fs.writeFileSync(fasta, data.seqs.map((s, i) => `>r${i}\n${pack.fromCodes(s)}\n`).join(''))
    let args: string[]
    let members: ExternalMember[]
    if (tool === 'cd-hit') {
      const word = threshold >= 0.7 ? 5 : threshold >= 0.6 ? 4 : threshold >= 0.5 ? 3 : 2
      const out = path.join(dir, 'clusters')
      args = [
        '-i',
        fasta,
        '-o',
        out,
        '-c',
        String(threshold),
        '-n',
        String(word),
        '-d',
        '0',
        '-M',
        '0',
        '-T',
        '1',
      ]
      run(binary, args, tool)
      members = readCdhitClusters(fs.readFileSync(`${out}.clstr`, 'utf8'))
    } else {
      args = [
        'easy-cluster',
        fasta,
        path.join(dir, 'mm'),
        path.join(dir, 'tmp'),
        '--min-seq-id',
        String(threshold),
        '--threads',
        '1',
        '-v',
        '1',
      ]
      run(binary, args, tool)
      members = readMmseqsClusters(fs.readFileSync(path.join(dir, 'mm_cluster.tsv'), 'utf8'))
    }
    // Sequences a tool left out (cd-hit drops those of ≤ 10 residues) are clusters of their own.
    const clusters = new Int32Array(data.seqs.length).fill(-1)
    let next = 0
    for (const m of members) next = Math.max(next, m.cluster + 1)
    for (const m of members) {
      const index = Number(m.id.slice(1))
      if (m.id.startsWith('r') && Number.isInteger(index) && index < clusters.length)
        clusters[index] = m.cluster
    }
    for (let i = 0; i < clusters.length; i++) if (clusters[i] === -1) clusters[i] = next++
    const shown = args.map((a) => (a.startsWith(dir) ? path.basename(a) : a))
    return { clusters, command: [tool, ...shown].join(' ') }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function run(binary: string, args: string[], tool: string): void {
  try {
    execFileSync(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 24 })
  } catch (err) {
    const stderr =
      (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-2).join(' ') ?? ''
    throw new InputError('splits.tool_failed', `${tool} stopped with an error`, {
      expected: `${tool} to cluster the sequences`,
      found: stderr || String((err as Error).message),
      params: { tool },
    })
  }
}

/** The held-out sequences to check: all, or a seeded sample whose alignments fit the budget. */
function heldOutToCheck(
  seqs: readonly Uint8Array[],
  parts: Int8Array,
  verify: 'auto' | 'all',
  seed: number,
): { checked: Set<number>; heldOut: number; all: boolean } {
  let trainResidues = 0
  const heldOut: number[] = []
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === TRAIN) trainResidues += seqs[i]!.length
    else if (parts[i] === VAL || parts[i] === TEST) heldOut.push(i)
  }
  const heldOutResidues = heldOut.reduce((a, i) => a + seqs[i]!.length, 0)
  if (verify === 'all' || heldOutResidues * trainResidues <= CHECK_BUDGET_CELLS) {
    return { checked: new Set(heldOut), heldOut: heldOut.length, all: true }
  }
  // Short sequences first: they are the ones that reach t by chance (identity over the shorter sequence; on
  // 2,000 UniProt proteins 12 of 46 held-out ones of ≤ 120 residues reached 0.30–0.33 with some training
  // protein), and they are cheap to check. Then the others, in a seeded random order.
  const shuffled = Rng.seeded(seed).fork('homology-check').shuffle(heldOut.slice())
  const order = [
    ...shuffled.filter((i) => seqs[i]!.length <= SHORT_FIRST),
    ...shuffled.filter((i) => seqs[i]!.length > SHORT_FIRST),
  ]
  const checked = new Set<number>()
  let cells = 0
  for (const i of order) {
    const cost = seqs[i]!.length * trainResidues
    if (checked.size > 0 && cells + cost > CHECK_BUDGET_CELLS) continue
    checked.add(i)
    cells += cost
  }
  return { checked, heldOut: heldOut.length, all: false }
}

/** Partitions the data set's sequences and checks the held-out parts; see the module comment. */
export function makeHomologySplit(
  store: ProjectStore,
  datasetId: number,
  split: HomologySplit,
  options: HomologySplitOptions = {},
): HomologySplitResult {
  const started = performance.now()
  const data = readSequences(store, datasetId)
  const scheme = data.alphabet === 'protein' ? BLOSUM62 : dnaScheme()
  const external =
    split.tool === 'builtin'
      ? undefined
      : externalClusters(split.tool, data, split.threshold, options.findTool ?? findOnPath)
  const train = 1 - split.val - split.test
  if (!(train > 0)) {
    throw new InputError('splits.fractions_sum', 'Validation and test leave nothing to train on', {
      expected: 'val + test < 1',
      found: `${split.val} + ${split.test}`,
    })
  }
  const partition = homologyPartition(data.seqs, {
    threshold: split.threshold,
    fractions: { train, val: split.val, test: split.test },
    ...(data.labels ? { labels: data.labels as number[] | string[] } : {}),
    seed: split.seed,
    scheme,
    verify: false,
    ...(external ? { clusters: external.clusters } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  const parts = partition.assignments
  const { checked, heldOut, all } = heldOutToCheck(data.seqs, parts, split.verify, split.seed)
  const masked = Int8Array.from(parts, (p, i) => (p === TRAIN ? TRAIN : checked.has(i) ? p : DROPPED))
  const report = leakageReport(data.seqs, masked, split.threshold, {
    scheme,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
  // The check: any held-out sequence with a training sequence at identity ≥ t leaves the split.
  let droppedByVerify = 0
  const keptIdentities: number[] = []
  const histogram = report.histogram.counts.map(() => 0)
  const width = report.histogram.edges[1]! - report.histogram.edges[0]!
  report.sequences.forEach((i, h) => {
    const best = report.bestIdentity[h]!
    if (best >= split.threshold) {
      parts[i] = DROPPED
      droppedByVerify++
      return
    }
    keptIdentities.push(best)
    const bin = Math.min(histogram.length - 1, Math.floor(best / width + 1e-9))
    histogram[bin] = histogram[bin]! + 1
  })
  const count = (p: number) => parts.reduce((a, v) => a + (v === p ? 1 : 0), 0)
  if (count(TEST) === 0 || (split.val > 0 && count(VAL) === 0)) {
    throw new InputError(
      'homology.empty_part',
      'No sequence could be held out without a homologue in training.',
      {
        expected: 'a non-empty test (and validation) part',
        found: `train ${count(TRAIN)}, val ${count(VAL)}, test ${count(TEST)}`,
        params: { threshold: split.threshold },
      },
    )
  }
  const dropped: string[] = []
  let droppedCount = 0
  parts.forEach((p, i) => {
    if (p !== DROPPED) return
    droppedCount++
    if (dropped.length < 200) dropped.push(data.ids[i]!)
  })
  keptIdentities.sort((a, b) => a - b)
  const median =
    keptIdentities.length === 0
      ? null
      : keptIdentities.length % 2 === 1
        ? keptIdentities[(keptIdentities.length - 1) / 2]!
        : (keptIdentities[keptIdentities.length / 2 - 1]! + keptIdentities[keptIdentities.length / 2]!) / 2
  return {
    assignments: parts,
    leakage: {
      threshold: split.threshold,
      tool: split.tool,
      command: external?.command ?? null,
      checked: all ? 'all' : 'sample',
      checkedSequences: checked.size,
      heldOut,
      above: 0,
      droppedByVerify,
      dropped: droppedCount,
      droppedRecords: dropped,
      histogram: { edges: report.histogram.edges, counts: histogram },
      maxIdentity: keptIdentities.length === 0 ? null : keptIdentities[keptIdentities.length - 1]!,
      medianIdentity: median,
      edges: partition.edges,
      groups: partition.components,
      largestGroup: partition.largestComponent,
      alignments: partition.alignments + report.alignments,
      seconds: (performance.now() - started) / 1000,
    },
  }
}
