/**
 * Genome FASTA + peaks (BED or narrowPeak, plain or gzip) → fixed-length labelled windows, through
 * `genomeWindows` in the core (bedtools-equivalent rules, chromosome aliases, region-named records placed at
 * their genome offset). Each window is stored with its chromosome and 0-based half-open coordinates, and its
 * id is `chrom:start-end` in those coordinates (as DeepChem's JunD ids are written).
 *
 * With a `.fai` index the genome is read one chromosome at a time by offset, and peaks on chromosomes the
 * genome lacks fail before any window is made; without it the FASTA is streamed and that check runs after
 * the last record (the staging table makes that safe: nothing is written until everything checked out).
 * Progress is in bases (with the index) or in bytes of the FASTA file, which is nearly the same.
 */
import type { z } from 'zod'
import { readTextLines } from '../../core/formats/bytes'
import { readBed } from '../../core/formats/bed'
import { readFasta } from '../../core/formats/fasta'
import { readFastaIndex, readFastaRegion, type FaiEntry } from '../../core/formats/fai'
import { canonicalChrom, parseRegionName } from '../../core/formats/regions'
import {
  genomeWindows,
  type GenomeSequence,
  type PeakInterval,
  type WindowSummary,
} from '../../core/datasets/windows'
import type { GenomeImportOptions } from '../../shared/contract-datasets'
import { InputError, type InputErrorData } from '../../shared/errors'
import type { RecordSource } from './pipeline'
import { letterCheck, type RawRecord } from './records'
import { fileSize, openRandomAccess, readFileBytes, type ByteCounter, type InputFile } from './sources'

export type GenomeOptions = z.output<typeof GenomeImportOptions>
export interface GenomeFiles {
  genome: InputFile
  peaks: InputFile
  index?: InputFile
}

/** Bases of the first sequence a preview windows (the whole chromosome is not needed to show 20 windows). */
const PREVIEW_BASES = 200_000

async function readAllText(file: InputFile, signal?: AbortSignal): Promise<string> {
  const lines: string[] = []
  for await (const line of readTextLines(readFileBytes(file, { signal }), { fileName: file.name })) {
    lines.push(line.text)
  }
  return lines.join('\n')
}

async function* peaksOf(file: InputFile, signal?: AbortSignal): AsyncGenerator<PeakInterval> {
  const lines = readTextLines(readFileBytes(file, { signal }), { fileName: file.name })
  for await (const record of readBed(lines, { fileName: file.name })) {
    yield {
      chrom: record.chrom,
      start: record.start,
      end: record.end,
      peak: record.format === 'narrowPeak' ? record.peak : undefined,
      line: record.line,
    }
  }
}

/** The chromosome an index entry holds (`22` for an entry named `22:20000001-21000000`). */
function chromOfEntry(entry: FaiEntry): string {
  return parseRegionName(entry.name)?.chrom ?? entry.name
}

export function genomeSource(
  files: GenomeFiles,
  options: GenomeOptions,
  mode: { preview: boolean; signal?: AbortSignal },
): RecordSource {
  const counter: ByteCounter = { bytes: 0 }
  const basesDone = { value: 0 }
  let totalBases = files.index ? 0 : fileSize(files.genome)
  let chromosomes: string[] | undefined
  const description: Record<string, unknown> = {
    importer: 'genome',
    files: {
      genome: files.genome.name,
      peaks: files.peaks.name,
      ...(files.index ? { index: files.index.name } : {}),
    },
    options,
  }
  const earlyProblems: InputErrorData[] = []
  const checkLetters = letterCheck('dna', options.ambiguity)

  async function* fromIndex(entries: FaiEntry[]): AsyncGenerator<GenomeSequence> {
    const source = await openRandomAccess(files.genome)
    try {
      for (let i = 0; i < entries.length; i++) {
        mode.signal?.throwIfAborted()
        const entry = entries[i]!
        const end = mode.preview ? Math.min(entry.length, PREVIEW_BASES) : entry.length
        const raw = await readFastaRegion(source, entry, 0, end, { fileName: files.genome.name })
        const sequence = checkLetters(raw, { file: files.genome.name, record: i + 1 })
        const region = parseRegionName(entry.name)
        yield {
          id: region ? region.chrom : entry.name,
          offset: region ? region.start : 0,
          sequence,
          record: i + 1,
        }
        basesDone.value += entry.length
        if (mode.preview) return
      }
    } finally {
      await source.close()
    }
  }

  async function* streamed(): AsyncGenerator<GenomeSequence> {
    const lines = readTextLines(readFileBytes(files.genome, { signal: mode.signal, counter }), {
      fileName: files.genome.name,
    })
    const records = readFasta(mode.preview ? firstBases(lines, PREVIEW_BASES) : lines, {
      fileName: files.genome.name,
      alphabet: 'dna',
      ambiguity: options.ambiguity,
    })
    for await (const record of records) {
      const region = parseRegionName(record.id)
      // A preview holds only the start of a region-named record: place it by offset instead of by name.
      yield mode.preview && region
        ? { id: region.chrom, offset: region.start, sequence: record.sequence, record: record.record }
        : { id: record.id, sequence: record.sequence, record: record.record }
      if (mode.preview) return
    }
  }

  async function* records(): AsyncGenerator<RawRecord> {
    let entries: FaiEntry[] | undefined
    if (files.index) {
      entries = readFastaIndex(await readAllText(files.index, mode.signal), { fileName: files.index.name })
      totalBases = entries.reduce((sum, e) => sum + e.length, 0)
      chromosomes = entries.map(chromOfEntry)
    }
    const peaks: PeakInterval[] = []
    for await (const peak of peaksOf(files.peaks, mode.signal)) peaks.push(peak)
    let restrictTo = options.chromosomes
    if (mode.preview) {
      // The preview windows only the start of the first sequence; peaks elsewhere are checked against the
      // index when there is one, and otherwise by the import.
      const first = entries ? chromOfEntry(entries[0]!) : await firstSequenceChrom(files.genome, mode.signal)
      if (entries) {
        const known = new Set(entries.map((e) => canonicalChrom(chromOfEntry(e))))
        const unknown = peaks.find((p) => !known.has(canonicalChrom(p.chrom)))
        if (unknown && !options.chromosomes && !options.regions) {
          earlyProblems.push(unknownChromosome(unknown, files.peaks.name, chromosomes!).toJSON())
        }
      }
      restrictTo = first === undefined ? options.chromosomes : [first]
    }
    const windows = genomeWindows(entries ? fromIndex(entries) : streamed(), peaks, {
      length: options.length,
      stride: options.stride,
      rule: options.rule,
      overlapFraction: options.overlapFraction,
      chromosomes: restrictTo,
      regions: mode.preview ? undefined : options.regions,
      nPolicy: options.nPolicy,
      knownChromosomes: entries && !mode.preview ? entries.map(chromOfEntry) : undefined,
      genomeFileName: files.genome.name,
      peaksFileName: files.peaks.name,
      signal: mode.signal,
    })
    let count = 0
    for (;;) {
      const step = await windows.next()
      if (step.done) {
        const summary: WindowSummary = step.value
        description.windows = {
          windows: summary.windows,
          positives: summary.positives,
          skippedWithN: summary.skippedWithN,
          chromosomes: summary.chromosomes,
          peaks: summary.peaks,
        }
        return
      }
      const w = step.value
      count += 1
      yield {
        at: { file: files.genome.name, record: count },
        id: `${w.chrom}:${w.start}-${w.end}`,
        sequence: w.sequence,
        label: w.label,
        chrom: w.chrom,
        start: w.start,
        end: w.end,
      }
    }
  }

  return {
    kind: 'genome',
    records: records(),
    checker: { labels: { kind: 'binary', negative: '0', positive: '1' }, fixedLength: options.length },
    alphabet: 'dna',
    source: description,
    progress: () =>
      files.index
        ? { done: basesDone.value, total: totalBases, phase: 'bases' }
        : { done: counter.bytes, total: totalBases, phase: 'bases' },
    layout: () => (chromosomes ? { chromosomes } : {}),
    earlyProblems,
  }
}

/** Stops a line stream once a record has given `bases` letters (a preview needs only the start). */
async function* firstBases(
  lines: AsyncIterable<{ text: string; lineNumber: number }>,
  bases: number,
): AsyncGenerator<{ text: string; lineNumber: number }> {
  let seen = 0
  for await (const line of lines) {
    if (!line.text.startsWith('>')) seen += line.text.length
    yield line
    if (seen >= bases) return
  }
}

async function firstSequenceChrom(file: InputFile, signal?: AbortSignal): Promise<string | undefined> {
  for await (const line of readTextLines(readFileBytes(file, { signal, highWaterMark: 64 * 1024 }), {
    fileName: file.name,
  })) {
    if (!line.text.startsWith('>')) continue
    const id = line.text.slice(1).trim().split(/\s/, 1)[0] ?? ''
    return parseRegionName(id)?.chrom ?? id
  }
  return undefined
}

function unknownChromosome(peak: PeakInterval, fileName: string, known: string[]): InputError {
  return new InputError(
    'windows.unknown_chromosome',
    `line ${peak.line}: the peak is on chromosome '${peak.chrom}', which the genome does not have`,
    {
      file: fileName,
      line: peak.line,
      expected: `a chromosome of the genome (${known.slice(0, 10).join(', ')})`,
      found: `'${peak.chrom}'`,
      params: { chrom: peak.chrom },
    },
  )
}
