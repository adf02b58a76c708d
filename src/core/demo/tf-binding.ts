/**
 * The TF-binding demo data set: deterministic, small enough to generate on first run, shaped like the seed
 * task (DeepChem's JunD on chr22: 101-bp windows, ~0.4% bound) so the demo's ablation tells the same story.
 *
 * Fixed parameters (they are what the demo claims; `TF_BINDING_DEMO`): 60,000 windows of 101 bp on five
 * pseudo-chromosomes chrA…chrE (12,000 consecutive windows each, so chromosome hold-out works); background
 * from an order-3 Markov chain fitted to the real human chr22 fragment; 240 positives (0.4%, 48 per
 * chromosome), each carrying 1 or 2 non-overlapping JUND sites (JASPAR MA0491.1), every base of a site drawn
 * from its column's probabilities, at a random position and strand; 2% of the negatives (1,195, 239 per
 * chromosome) carry one AP-1 half-site decoy TGA[CG] at a random position and strand, so that a model must
 * learn the whole site, not its half; seed 42.
 *
 * The fitted counts and the matrix ship as small JSON tables in ./data (made by
 * scripts/fixtures/make_demo_data.py; a test checks they equal a fresh fit of the real files), so the demo
 * needs neither the file system nor ../shared. Callers may pass their own fit or matrix.
 *
 * Random streams are forked by purpose (layout, background, sites, decoys), so each depends only on the seed.
 */
import { InputError } from '../../shared/errors'
import type { BaseRows, MotifCounts } from '../formats/jaspar'
import { Rng, sampler, type Seed } from '../random'
import chr22Markov3 from './data/chr22-markov3.json'
import jundMa0491 from './data/jund-MA0491.1.json'
import { MarkovBackground, type MarkovCounts } from './markov'

export const TF_BINDING_DEMO = Object.freeze({
  windows: 60_000,
  length: 101,
  chromosomes: Object.freeze(['chrA', 'chrB', 'chrC', 'chrD', 'chrE']),
  windowsPerChromosome: 12_000,
  /** 0.4% of the windows. */
  positives: 240,
  positivesPerChromosome: 48,
  minSites: 1,
  maxSites: 2,
  /** round(2% × 59,760 negatives). */
  decoys: 1_195,
  decoysPerChromosome: 239,
  decoyPattern: 'TGA[CG]',
  motifId: 'MA0491.1',
  markovOrder: 3,
  seed: 42,
})

export interface TfBindingDemoRecord {
  /** `chrA_00001` … `chrE_12000`. */
  id: string
  chrom: string
  start: number
  end: number
  /** Upper-case A, C, G, T. */
  sequence: string
  label: 0 | 1
  /** JUND sites planted (1 or 2 in positives, 0 in negatives). */
  siteCount: number
  decoy: boolean
}

export interface TfBindingDemoOptions {
  /** Default 42, the demo's seed. */
  seed?: Seed
  /** Background counts; default the shipped chr22 order-3 fit. */
  markov?: MarkovCounts
  /** Site matrix (counts or probabilities, rows A, C, G, T); default the shipped JUND MA0491.1. */
  motif?: BaseRows
}

/** The order-3 counts fitted to the chr22 fragment, as shipped. */
export function shippedChr22Markov(): MarkovCounts {
  return { order: chr22Markov3.order, counts: chr22Markov3.counts.map((row) => [...row]) }
}

/** JUND MA0491.1 (JASPAR 2016, GPL-3+ via Debian pscan-chip-data), as shipped. */
export function shippedJund(): MotifCounts {
  return {
    id: jundMa0491.id,
    name: jundMa0491.name,
    counts: jundMa0491.counts.map((row) => [...row]) as BaseRows,
  }
}

/** The 60,000 demo windows in genome order (chrA first). Deterministic for a given seed and tables. */
export function* tfBindingDemo(options: TfBindingDemoOptions = {}): Generator<TfBindingDemoRecord> {
  const demo = TF_BINDING_DEMO
  const motif = options.motif ?? shippedJund().counts
  const siteLength = checkMotif(motif, demo.length)
  const root = Rng.seeded(options.seed ?? demo.seed)
  const layoutRng = root.fork('layout')
  const backgroundRng = root.fork('background')
  const siteRng = root.fork('sites')
  const decoyRng = root.fork('decoys')
  const background = new MarkovBackground(options.markov ?? shippedChr22Markov())
  const columnSamplers = Array.from({ length: siteLength }, (_, p) =>
    sampler([motif[0][p]!, motif[1][p]!, motif[2][p]!, motif[3][p]!]),
  )
  const codes = new Uint8Array(demo.length)
  const letters = new Uint8Array(demo.length)
  const decoder = new TextDecoder()
  for (const chrom of demo.chromosomes) {
    const kinds = layout(layoutRng.fork(chrom))
    for (let i = 0; i < demo.windowsPerChromosome; i++) {
      background.sampleCodes(demo.length, backgroundRng, codes)
      let siteCount = 0
      if (kinds[i] === WindowKind.Positive) {
        siteCount = demo.minSites + siteRng.int(demo.maxSites - demo.minSites + 1)
        plantSites(codes, siteCount, columnSamplers, siteRng)
      } else if (kinds[i] === WindowKind.Decoy) {
        plantDecoy(codes, decoyRng)
      }
      for (let j = 0; j < demo.length; j++) letters[j] = ASCII[codes[j]!]!
      const start = i * demo.length
      yield {
        id: `${chrom}_${String(i + 1).padStart(5, '0')}`,
        chrom,
        start,
        end: start + demo.length,
        sequence: decoder.decode(letters),
        label: siteCount > 0 ? 1 : 0,
        siteCount,
        decoy: kinds[i] === WindowKind.Decoy,
      }
    }
  }
}

const WindowKind = { Background: 0, Positive: 1, Decoy: 2 } as const
const ASCII = new Uint8Array([65, 67, 71, 84]) // A C G T

/** Which windows of one chromosome are positive and which carry a decoy: a seeded random choice. */
function layout(rng: Rng): Uint8Array {
  const demo = TF_BINDING_DEMO
  const order = rng.shuffle(Array.from({ length: demo.windowsPerChromosome }, (_, i) => i))
  const kinds = new Uint8Array(demo.windowsPerChromosome)
  for (let k = 0; k < demo.positivesPerChromosome; k++) kinds[order[k]!] = WindowKind.Positive
  for (let k = 0; k < demo.decoysPerChromosome; k++)
    kinds[order[demo.positivesPerChromosome + k]!] = WindowKind.Decoy
  return kinds
}

/** `count` sites at random, non-overlapping positions, each on a random strand. */
function plantSites(codes: Uint8Array, count: number, columns: ((rng: Rng) => number)[], rng: Rng): void {
  const width = columns.length
  const positions: number[] = []
  while (positions.length < count) {
    const position = rng.int(codes.length - width + 1)
    // Sites must not overlap, or the second would erase part of the first.
    if (positions.some((other) => Math.abs(other - position) < width)) continue
    positions.push(position)
  }
  for (const position of positions) {
    const reverse = rng.chance(0.5)
    for (let p = 0; p < width; p++) {
      const base = columns[p]!(rng)
      // On the reverse strand the site reads backwards on the complement.
      if (reverse) codes[position + width - 1 - p] = 3 - base
      else codes[position + p] = base
    }
  }
}

/** One half-site TGA[CG] at a random position, on a random strand ([CG]TCA on the forward one). */
function plantDecoy(codes: Uint8Array, rng: Rng): void {
  const half = [3, 2, 0, rng.chance(0.5) ? 1 : 2] // T G A C|G
  const position = rng.int(codes.length - half.length + 1)
  const reverse = rng.chance(0.5)
  for (let p = 0; p < half.length; p++) {
    if (reverse) codes[position + half.length - 1 - p] = 3 - half[p]!
    else codes[position + p] = half[p]!
  }
}

function checkMotif(motif: BaseRows, windowLength: number): number {
  const width = Array.isArray(motif) && motif.length === 4 ? (motif[0]?.length ?? 0) : 0
  const ok =
    width >= 1 &&
    width <= windowLength &&
    motif.every(
      (row) => Array.isArray(row) && row.length === width && row.every((v) => Number.isFinite(v) && v >= 0),
    ) &&
    Array.from({ length: width }, (_, p) => motif[0][p]! + motif[1][p]! + motif[2][p]! + motif[3][p]!).every(
      (total) => total > 0,
    )
  if (!ok) {
    throw new InputError(
      'demo.bad_motif',
      `The site matrix must have four rows (A, C, G, T) of 1 … ${windowLength} counts ≥ 0, no column all zero`,
      { expected: `4 × (1 … ${windowLength}) counts ≥ 0`, found: describeShape(motif) },
    )
  }
  return width
}

function describeShape(motif: unknown): string {
  if (!Array.isArray(motif)) return typeof motif
  return `${motif.length} rows of ${motif.map((row) => (Array.isArray(row) ? row.length : '?')).join(', ')}`
}
