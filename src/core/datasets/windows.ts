/**
 * Genome + peaks → fixed-length labelled windows: how raw sequence and a ChIP-seq peak file become the
 * TF-binding data set (issue 3, part 1), agreeing exactly with `bedtools makewindows` + `bedtools intersect`.
 *
 * - The genome arrives as an async iterable of sequences (`readFasta` records, or regions read through a
 *   `.fai`), one chromosome at a time; only the current sequence is held (a 51 Mbp chromosome is one string,
 *   the one-hot tensor never exists here). A record named like a region (`22:20000001-21000000`, how
 *   `samtools faidx` names an extract) is placed at its genome offset, so BED coordinates line up.
 * - Windows are tiled from the start of each sequence, or of each requested region, every `stride` bases; only
 *   full-length windows are kept (bedtools `makewindows -b SPAN -w L -s S`, minus its shorter last windows).
 * - Labels (1 = bound), one rule per data set:
 *   `centre`:  the window's centre base (start + ⌊L/2⌋) lies in a peak (bedtools: centre points `intersect -u`);
 *   `overlap`: some single peak overlaps at least a fraction f of the window, and at least one base
 *              (bedtools `intersect -u -f f`: the fraction is per peak, overlapping peaks are not merged);
 *   `summit`:  a narrowPeak summit (start + peak offset) lies in the window (summit points `intersect -u`).
 * - N policy: `skip` (default) drops windows holding any letter but A, C, G, T (N, or an IUPAC code the FASTA
 *   reader kept); `keep` yields them. Soft-masked lower case is accepted and upper-cased.
 * - Chromosome names meet through aliases (`22` ↔ `chr22`, `chrM` ↔ `MT`). A peak on a chromosome the genome
 *   lacks is the user's mistake (a peaks file of another assembly or species): `windows.unknown_chromosome`
 *   naming the BED line, unless the user restricted the chromosomes or regions. Without `knownChromosomes`
 *   (e.g. from a `.fai`) that check can only happen after the last record: windows have been yielded by then,
 *   so the importer writes them in one transaction and rolls back on the error.
 *
 * Peaks are read into memory (they are small next to the genome), sorted per chromosome and swept with a
 * pointer and a small set of active peaks alongside the windows: O(windows + peaks) per chromosome.
 */
import { InputError } from '../../shared/errors'
import { canonicalChrom, parseRegionName, type GenomeRegion } from '../formats/regions'

/** A genome sequence: a FASTA record, or a region read by offset (then `offset` says where it starts). */
export interface GenomeSequence {
  /** Chromosome name, or a region name like `22:20000001-21000000` when `offset` is not given. */
  id: string
  sequence: string
  /** 0-based genome position of the first base; when absent, taken from a region-like `id`, else 0. */
  offset?: number
  /** 1-based record number in the file, for errors. */
  record?: number
}

/** A peak as `readBed` yields it (BED or narrowPeak); `peak` is the summit offset from `start`. */
export interface PeakInterval {
  chrom: string
  start: number
  end: number
  peak?: number | null
  line?: number
}

export type LabelRule = 'centre' | 'overlap' | 'summit'
export type NPolicy = 'skip' | 'keep'

export interface WindowOptions {
  /** Window length in bases (1 … 1,000,000). */
  length: number
  /** Distance between window starts; default `length` (adjacent windows). */
  stride?: number
  rule: LabelRule
  /** `overlap` rule: the fraction of the window a peak must cover, 0 < f ≤ 1; default 0.5. */
  overlapFraction?: number
  /** Only these chromosomes (aliases match). */
  chromosomes?: readonly string[]
  /** Only windows inside these regions (0-based, half-open; must not overlap each other). */
  regions?: readonly GenomeRegion[]
  /** Default `skip`. */
  nPolicy?: NPolicy
  /** The genome's chromosome names when known in advance (a `.fai`): unknown peaks then fail before any window. */
  knownChromosomes?: readonly string[]
  genomeFileName?: string
  peaksFileName?: string
  signal?: AbortSignal
  /** Bases of the current sequence done, its length, `windows:<chrom>`: every 65,536 windows and at its end. */
  onProgress?: (done: number, total: number, phase: string) => void
}

export interface LabelledWindow {
  /** The chromosome as the genome names it. */
  chrom: string
  start: number
  end: number
  /** Upper case. */
  sequence: string
  label: 0 | 1
}

/** What the windowing did, the generator's return value (for the import preview and summary). */
export interface WindowSummary {
  windows: number
  positives: number
  /** Full-length windows dropped by the N policy. */
  skippedWithN: number
  /** Chromosomes that yielded windows, in order. */
  chromosomes: string[]
  peaks: number
}

const MAX_WINDOW_LENGTH = 1_000_000

/** One label interval: a peak for `centre`/`overlap`, the summit base `[s, s + 1)` for `summit`. */
interface LabelInterval {
  start: number
  end: number
}

interface Settings {
  length: number
  stride: number
  rule: LabelRule
  fraction: number
  nPolicy: NPolicy
}

/**
 * The labelled windows of a genome, in genome order per sequence. See the module comment for the rules.
 * Fails with `windows.bad_*` for bad parameters, `windows.no_summit` (summit rule, a peak without summit),
 * `windows.unknown_chromosome`, `windows.region_length` (a region-named record of the wrong length) and
 * `windows.overlapping_records` (two sequences covering the same bases).
 */
export async function* genomeWindows(
  genome: AsyncIterable<GenomeSequence> | Iterable<GenomeSequence>,
  peaks: AsyncIterable<PeakInterval> | Iterable<PeakInterval>,
  options: WindowOptions,
): AsyncGenerator<LabelledWindow, WindowSummary> {
  const settings = validateOptions(options)
  const restriction = chromosomeRestriction(options)
  const regionsByChrom = groupRegions(options.regions)
  const peakSet = await collectPeaks(peaks, settings.rule, restriction, options.peaksFileName)
  if (options.knownChromosomes && !restriction) {
    checkPeakChromosomes(peakSet, new Set(options.knownChromosomes.map(canonicalChrom)), options)
  }
  const summary: WindowSummary = {
    windows: 0,
    positives: 0,
    skippedWithN: 0,
    chromosomes: [],
    peaks: peakSet.count,
  }
  const seen = new Set<string>()
  const covered = new Map<string, { start: number; end: number; record?: number }[]>()
  for await (const record of genome) {
    options.signal?.throwIfAborted()
    const placed = placeSequence(record, options.genomeFileName)
    const key = canonicalChrom(placed.chrom)
    seen.add(key)
    if (restriction && !restriction.has(key)) continue
    checkNoOverlap(covered, key, placed, record, options.genomeFileName)
    const spans = windowSpans(placed, regionsByChrom?.get(key))
    const intervals = peakSet.byChrom.get(key) ?? []
    let yielded = false
    for (const window of windowsOfSequence(placed, spans, intervals, settings, summary, options)) {
      yielded = true
      yield window
    }
    if (yielded && summary.chromosomes.at(-1) !== placed.chrom) summary.chromosomes.push(placed.chrom)
    options.onProgress?.(record.sequence.length, record.sequence.length, `windows:${placed.chrom}`)
  }
  if (restriction) checkRestrictionFound(restriction, seen, options)
  else checkPeakChromosomes(peakSet, seen, options)
  return summary
}

/** Reads the whole stream of windows and returns them with the summary (small genomes, tests, previews). */
export async function collectWindows(
  genome: AsyncIterable<GenomeSequence> | Iterable<GenomeSequence>,
  peaks: AsyncIterable<PeakInterval> | Iterable<PeakInterval>,
  options: WindowOptions,
): Promise<{ windows: LabelledWindow[]; summary: WindowSummary }> {
  const windows: LabelledWindow[] = []
  const iterator = genomeWindows(genome, peaks, options)
  for (;;) {
    const step = await iterator.next()
    if (step.done) return { windows, summary: step.value }
    windows.push(step.value)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parameters

function validateOptions(options: WindowOptions): Settings {
  const length = options.length
  if (!Number.isInteger(length) || length < 1 || length > MAX_WINDOW_LENGTH) {
    throw badParameter(
      'windows.bad_length',
      'The window length must be a whole number of bases, 1 … 1,000,000',
      {
        expected: 'a whole number 1 … 1000000',
        found: String(length),
      },
    )
  }
  const stride = options.stride ?? length
  if (!Number.isInteger(stride) || stride < 1 || stride > MAX_WINDOW_LENGTH) {
    throw badParameter('windows.bad_stride', 'The stride must be a whole number of bases, 1 … 1,000,000', {
      expected: 'a whole number 1 … 1000000',
      found: String(stride),
    })
  }
  const rule = options.rule
  if (rule !== 'centre' && rule !== 'overlap' && rule !== 'summit') {
    throw badParameter('windows.bad_rule', `The label rule must be centre, overlap or summit`, {
      expected: 'centre, overlap or summit',
      found: String(rule),
    })
  }
  const fraction = options.overlapFraction ?? 0.5
  if (!(fraction > 0 && fraction <= 1)) {
    throw badParameter('windows.bad_fraction', 'The overlap fraction must be above 0 and at most 1', {
      expected: '0 < fraction ≤ 1',
      found: String(fraction),
    })
  }
  const nPolicy = options.nPolicy ?? 'skip'
  if (nPolicy !== 'skip' && nPolicy !== 'keep') {
    throw badParameter('windows.bad_n_policy', 'Windows with N are either skipped or kept', {
      expected: 'skip or keep',
      found: String(nPolicy),
    })
  }
  return { length, stride, rule, fraction, nPolicy }
}

function badParameter(
  code: string,
  message: string,
  detail: { expected: string; found: string },
): InputError {
  return new InputError(code, message, detail)
}

/** The canonical names the user restricted to (chromosomes and the regions' chromosomes), if any. */
function chromosomeRestriction(options: WindowOptions): Set<string> | undefined {
  const chosen = options.chromosomes && new Set(options.chromosomes.map(canonicalChrom))
  if (!options.regions) return chosen
  const withRegions = options.regions.map((region) => canonicalChrom(region.chrom))
  // Both given: a region counts only on a chosen chromosome.
  return new Set(chosen ? withRegions.filter((chrom) => chosen.has(chrom)) : withRegions)
}

function groupRegions(regions: readonly GenomeRegion[] | undefined): Map<string, GenomeRegion[]> | undefined {
  if (!regions) return undefined
  const byChrom = new Map<string, GenomeRegion[]>()
  for (const region of regions) {
    if (!Number.isSafeInteger(region.start) || !Number.isSafeInteger(region.end) || region.start < 0) {
      throw badParameter('windows.bad_region', `The region ${describeRegion(region)} is not valid`, {
        expected: 'whole numbers 0 ≤ start < end',
        found: describeRegion(region),
      })
    }
    if (region.end <= region.start) {
      throw badParameter('windows.bad_region', `The region ${describeRegion(region)} is empty`, {
        expected: 'start < end',
        found: describeRegion(region),
      })
    }
    const key = canonicalChrom(region.chrom)
    const list = byChrom.get(key) ?? []
    list.push(region)
    byChrom.set(key, list)
  }
  for (const list of byChrom.values()) {
    list.sort((a, b) => a.start - b.start)
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.start < list[i - 1]!.end) {
        throw badParameter(
          'windows.overlapping_regions',
          `The regions ${describeRegion(list[i - 1]!)} and ${describeRegion(list[i]!)} overlap`,
          { expected: 'regions that do not overlap', found: `${describeRegion(list[i]!)}` },
        )
      }
    }
  }
  return byChrom
}

function describeRegion(region: GenomeRegion): string {
  return `${region.chrom}:${region.start}-${region.end}`
}

// ---------------------------------------------------------------------------------------------------------
// Peaks

interface PeakSet {
  /** Canonical chromosome → label intervals sorted by start, then end. */
  byChrom: Map<string, LabelInterval[]>
  /** Canonical chromosome → the first peak's name and line, for the unknown-chromosome error. */
  firstSeen: Map<string, { chrom: string; line?: number }>
  count: number
}

async function collectPeaks(
  peaks: AsyncIterable<PeakInterval> | Iterable<PeakInterval>,
  rule: LabelRule,
  restriction: Set<string> | undefined,
  fileName: string | undefined,
): Promise<PeakSet> {
  const set: PeakSet = { byChrom: new Map(), firstSeen: new Map(), count: 0 }
  let index = 0
  for await (const peak of peaks) {
    index += 1
    checkPeak(peak, index, fileName)
    set.count += 1
    const key = canonicalChrom(peak.chrom)
    if (!set.firstSeen.has(key)) set.firstSeen.set(key, { chrom: peak.chrom, line: peak.line })
    if (restriction && !restriction.has(key)) continue
    const interval =
      rule === 'summit' ? summitInterval(peak, index, fileName) : { start: peak.start, end: peak.end }
    const list = set.byChrom.get(key) ?? []
    list.push(interval)
    set.byChrom.set(key, list)
  }
  for (const list of set.byChrom.values()) list.sort((a, b) => a.start - b.start || a.end - b.end)
  return set
}

function checkPeak(peak: PeakInterval, index: number, fileName: string | undefined): void {
  const ok =
    typeof peak.chrom === 'string' &&
    peak.chrom !== '' &&
    Number.isSafeInteger(peak.start) &&
    Number.isSafeInteger(peak.end) &&
    peak.start >= 0 &&
    peak.start <= peak.end
  if (ok) return
  throw new InputError('windows.bad_peak', `${where(peak, index)}: the peak is not a valid interval`, {
    file: fileName,
    line: peak.line,
    record: peak.line === undefined ? index : undefined,
    expected: 'a chromosome name and whole numbers 0 ≤ start ≤ end',
    found: `${peak.chrom} ${peak.start} ${peak.end}`,
  })
}

function summitInterval(peak: PeakInterval, index: number, fileName: string | undefined): LabelInterval {
  const offset = peak.peak
  if (offset === undefined || offset === null) {
    throw new InputError(
      'windows.no_summit',
      `${where(peak, index)}: the summit rule needs a narrowPeak summit, and this peak has none ` +
        '(choose the centre or overlap rule for a BED file)',
      {
        file: fileName,
        line: peak.line,
        record: peak.line === undefined ? index : undefined,
        expected: 'a narrowPeak summit offset ≥ 0',
        found: offset === null ? '-1 (no summit called)' : 'no summit column',
      },
    )
  }
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= Math.max(1, peak.end - peak.start)) {
    throw new InputError('windows.no_summit', `${where(peak, index)}: the summit lies outside the peak`, {
      file: fileName,
      line: peak.line,
      record: peak.line === undefined ? index : undefined,
      expected: `0 ≤ summit < ${peak.end - peak.start}`,
      found: String(offset),
    })
  }
  const summit = peak.start + offset
  return { start: summit, end: summit + 1 }
}

function where(peak: PeakInterval, index: number): string {
  return peak.line !== undefined ? `line ${peak.line.toLocaleString('en-US')}` : `peak ${index}`
}

function checkPeakChromosomes(peakSet: PeakSet, genomeChroms: Set<string>, options: WindowOptions): void {
  let first: { chrom: string; line?: number } | undefined
  for (const [key, seen] of peakSet.firstSeen) {
    if (genomeChroms.has(key)) continue
    if (!first || (seen.line ?? Infinity) < (first.line ?? Infinity)) first = seen
  }
  if (!first) return
  const names = [...genomeChroms].slice(0, 10).join(', ') + (genomeChroms.size > 10 ? ', …' : '')
  const at = first.line !== undefined ? `line ${first.line.toLocaleString('en-US')}: ` : ''
  throw new InputError(
    'windows.unknown_chromosome',
    `${at}the peak is on chromosome '${first.chrom}', which the genome does not have ` +
      '(a peaks file of another assembly? restrict the chromosomes to import only some)',
    {
      file: options.peaksFileName,
      line: first.line,
      expected:
        genomeChroms.size > 0 ? `a chromosome of the genome (${names})` : 'a chromosome of the genome',
      found: `'${first.chrom}'`,
      params: { chrom: first.chrom },
    },
  )
}

function checkRestrictionFound(restriction: Set<string>, seen: Set<string>, options: WindowOptions): void {
  const missing = [...restriction].find((key) => !seen.has(key))
  if (missing === undefined) return
  throw new InputError(
    'windows.unknown_chromosome',
    `The chromosome '${missing}' was chosen but the genome does not have it`,
    {
      file: options.genomeFileName,
      expected: `one of ${[...seen].slice(0, 10).join(', ')}`,
      found: `'${missing}'`,
      params: { chrom: missing },
    },
  )
}

// ---------------------------------------------------------------------------------------------------------
// Sequences

interface PlacedSequence {
  chrom: string
  /** Genome position of `sequence[0]`. */
  offset: number
  sequence: string
}

function placeSequence(record: GenomeSequence, fileName: string | undefined): PlacedSequence {
  if (record.offset !== undefined) {
    if (!Number.isSafeInteger(record.offset) || record.offset < 0) {
      throw badParameter('windows.bad_offset', `The offset of ${record.id} must be a whole number ≥ 0`, {
        expected: 'a whole number ≥ 0',
        found: String(record.offset),
      })
    }
    return { chrom: record.id, offset: record.offset, sequence: record.sequence }
  }
  const region = parseRegionName(record.id)
  if (!region) return { chrom: record.id, offset: 0, sequence: record.sequence }
  if (region.end - region.start !== record.sequence.length) {
    throw new InputError(
      'windows.region_length',
      `The record ${record.id} is named like a region of ${region.end - region.start} bases but holds ` +
        `${record.sequence.length}`,
      {
        file: fileName,
        record: record.record,
        expected: `${region.end - region.start} bases`,
        found: `${record.sequence.length} bases`,
      },
    )
  }
  return { chrom: region.chrom, offset: region.start, sequence: record.sequence }
}

function checkNoOverlap(
  covered: Map<string, { start: number; end: number; record?: number }[]>,
  key: string,
  placed: PlacedSequence,
  record: GenomeSequence,
  fileName: string | undefined,
): void {
  const span = { start: placed.offset, end: placed.offset + placed.sequence.length, record: record.record }
  const list = covered.get(key) ?? []
  const clash = list.find((other) => span.start < other.end && other.start < span.end)
  if (clash) {
    throw new InputError(
      'windows.overlapping_records',
      `The record ${record.id} covers bases of ${placed.chrom} that an earlier record already covers`,
      {
        file: fileName,
        record: record.record,
        expected: 'each base of a chromosome in one record',
        found: `${placed.chrom}:${span.start}-${span.end} and ${placed.chrom}:${clash.start}-${clash.end}`,
      },
    )
  }
  list.push(span)
  covered.set(key, list)
}

/** Where windows are tiled: [tileFrom, limit), windows start at tileFrom + k·stride. */
interface Span {
  tileFrom: number
  limit: number
}

/** The whole sequence, or (when regions were given; only chromosomes with regions get here) its regions. */
function windowSpans(placed: PlacedSequence, regions: GenomeRegion[] | undefined): Span[] {
  const start = placed.offset
  const end = placed.offset + placed.sequence.length
  if (!regions) return [{ tileFrom: start, limit: end }]
  return regions
    .filter((region) => region.start < end && region.end > start)
    .map((region) => ({ tileFrom: region.start, limit: Math.min(region.end, end) }))
}

/** Runs of letters other than A, C, G, T (either case), as genome positions [start, end). */
function nonAcgtRuns(placed: PlacedSequence): { starts: number[]; ends: number[] } {
  const starts: number[] = []
  const ends: number[] = []
  const pattern = /[^ACGTacgt]+/g
  for (let match = pattern.exec(placed.sequence); match; match = pattern.exec(placed.sequence)) {
    starts.push(placed.offset + match.index)
    ends.push(placed.offset + match.index + match[0].length)
  }
  return { starts, ends }
}

function* windowsOfSequence(
  placed: PlacedSequence,
  spans: Span[],
  intervals: LabelInterval[],
  settings: Settings,
  summary: WindowSummary,
  options: Pick<WindowOptions, 'signal' | 'onProgress'>,
): Generator<LabelledWindow> {
  const { length, stride, nPolicy } = settings
  const seqStart = placed.offset
  const runs = nPolicy === 'skip' ? nonAcgtRuns(placed) : { starts: [], ends: [] }
  const labeller = new LabelSweep(intervals, settings)
  let run = 0
  let count = 0
  for (const span of spans) {
    // The first window of the span that starts inside the sequence.
    const skip = Math.max(0, Math.ceil((seqStart - span.tileFrom) / stride))
    for (let start = span.tileFrom + skip * stride; start + length <= span.limit; start += stride) {
      if ((++count & 0xffff) === 0) {
        options.signal?.throwIfAborted()
        options.onProgress?.(start - seqStart, placed.sequence.length, `windows:${placed.chrom}`)
      }
      const end = start + length
      const label = labeller.labelOf(start, end)
      if (nPolicy === 'skip') {
        while (run < runs.ends.length && runs.ends[run]! <= start) run++
        if (run < runs.starts.length && runs.starts[run]! < end) {
          summary.skippedWithN += 1
          continue
        }
      }
      summary.windows += 1
      summary.positives += label
      const sequence = placed.sequence.slice(start - seqStart, end - seqStart).toUpperCase()
      yield { chrom: placed.chrom, start, end, sequence, label }
    }
  }
}

/**
 * The label of each window, for windows given in increasing start order: peaks enter the active set when
 * they start before the window's end and leave it for good once they end at or before a window's start.
 */
class LabelSweep {
  private next = 0
  private active: LabelInterval[] = []

  constructor(
    private readonly intervals: LabelInterval[],
    private readonly settings: Settings,
  ) {}

  labelOf(start: number, end: number): 0 | 1 {
    const { intervals } = this
    while (this.next < intervals.length && intervals[this.next]!.start < end) {
      this.active.push(intervals[this.next]!)
      this.next += 1
    }
    this.dropEnded(start)
    return this.matches(start, end) ? 1 : 0
  }

  private dropEnded(start: number): void {
    let kept = 0
    for (const interval of this.active) if (interval.end > start) this.active[kept++] = interval
    this.active.length = kept
  }

  private matches(start: number, end: number): boolean {
    const { rule, length, fraction } = this.settings
    if (rule === 'summit') return this.active.length > 0 // summit intervals are one base: active = inside
    if (rule === 'centre') {
      const centre = start + Math.floor(length / 2)
      return this.active.some((peak) => peak.start <= centre && centre < peak.end)
    }
    return this.active.some((peak) => {
      const overlap = Math.min(end, peak.end) - Math.max(start, peak.start)
      return overlap >= 1 && overlap / length >= fraction
    })
  }
}
