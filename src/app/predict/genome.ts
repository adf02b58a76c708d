/**
 * A genome FASTA for a scan: which chromosomes it holds, and the windows of one region.
 *
 * The layout comes, best first, from the `.fai` index the user gave, from the index beside the file
 * (`genome.fa.fai`, as samtools finds it), or from indexing the file once (`indexFasta`, streamed; kept in
 * memory for the file's size and time). A region is then read with one seek (`readFastaRegion`). A gzip
 * FASTA cannot be read by offset: it is streamed record by record, holding only the chromosome the region
 * is on. A record named like a region (`22:20000001-21000000`, a samtools extract) stands for that part of
 * its chromosome, so coordinates stay genome coordinates.
 *
 * The windows of a region are the core's (`genomeWindows`, the import's tiling: full windows every `stride`
 * bases from the region's start; windows holding anything but A, C, G, T are skipped, as the import skips
 * them by default), without peaks: only their starts are kept, the bases are read from the region's codes.
 */
import * as fs from 'node:fs'
import { readTextLines } from '../../core/formats/bytes'
import { readFasta } from '../../core/formats/fasta'
import { indexFasta, readFastaIndex, readFastaRegion, type FaiEntry } from '../../core/formats/fai'
import { parseRegionName, sameChromosome } from '../../core/formats/regions'
import { genomeWindows } from '../../core/datasets/windows'
import { DNA } from '../../core/sequence/alphabet'
import type { GenomeChromosome, ScanRegion } from '../../shared/contract-predict'
import { MAX_PREDICT_ITEMS } from '../../shared/predict-limits'
import { InputError } from '../../shared/errors'
import { fileSize, openRandomAccess, readFileBytes, type InputFile } from '../datasets/sources'
import { tooMany } from './inputs'

export interface GenomeFiles {
  genome: InputFile
  index?: InputFile
}

/** One record of the genome, placed on its chromosome. */
interface Placed extends GenomeChromosome {
  /** The record's name in the file. */
  record: string
  entry?: FaiEntry
}

export interface GenomeLayout {
  records: Placed[]
  /** False for a gzip FASTA, which is streamed. */
  indexed: boolean
}

const layoutCache = new Map<string, { key: string; layout: GenomeLayout }>()
const CACHED_LAYOUTS = 8

function place(name: string, length: number, entry?: FaiEntry): Placed {
  const region = parseRegionName(name)
  const start = region ? region.start : 0
  return {
    name: region ? region.chrom : name,
    start,
    end: start + length,
    record: name,
    ...(entry ? { entry } : {}),
  }
}

async function readIndexText(file: InputFile): Promise<string> {
  const lines: string[] = []
  for await (const line of readTextLines(readFileBytes(file), { fileName: file.name })) lines.push(line.text)
  return lines.join('\n')
}

async function isGzip(file: InputFile): Promise<boolean> {
  const source = await openRandomAccess(file)
  try {
    const head = await source.read(0, 2)
    return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b
  } finally {
    await source.close()
  }
}

/** The records of a genome FASTA, from an index (given, beside it, or built) or, for gzip, by streaming. */
export async function genomeLayout(files: GenomeFiles, signal?: AbortSignal): Promise<GenomeLayout> {
  const size = fileSize(files.genome)
  const stat = fs.statSync(files.genome.path)
  const key = `${size}|${stat.mtimeMs}|${files.index?.path ?? ''}`
  const cached = layoutCache.get(files.genome.path)
  if (cached?.key === key) return cached.layout

  let layout: GenomeLayout
  const sidecar = `${files.genome.path}.fai`
  if (files.index || fs.existsSync(sidecar)) {
    const index = files.index ?? { path: sidecar, name: `${files.genome.name}.fai` }
    const entries = readFastaIndex(await readIndexText(index), { fileName: index.name })
    layout = { records: entries.map((e) => place(e.name, e.length, e)), indexed: true }
  } else if (await isGzip(files.genome)) {
    const records: Placed[] = []
    const lines = readTextLines(readFileBytes(files.genome, { signal }), { fileName: files.genome.name })
    for await (const r of readFasta(lines, { fileName: files.genome.name })) {
      records.push(place(r.id, r.sequence.length))
    }
    layout = { records, indexed: false }
  } else {
    const entries = await indexFasta(readFileBytes(files.genome, { signal }), { fileName: files.genome.name })
    layout = { records: entries.map((e) => place(e.name, e.length, e)), indexed: true }
  }
  layoutCache.delete(files.genome.path)
  layoutCache.set(files.genome.path, { key, layout })
  while (layoutCache.size > CACHED_LAYOUTS) layoutCache.delete(layoutCache.keys().next().value!)
  return layout
}

/** The chromosomes as the UI lists them (one entry per record). */
export function chromosomesOf(layout: GenomeLayout): GenomeChromosome[] {
  return layout.records.map(({ name, start, end }) => ({ name, start, end }))
}

function describe(region: ScanRegion): string {
  return `${region.chrom}:${region.start}-${region.end}`
}

/** The record holding the whole region, or `predict.region_outside` / `predict.bad_region`. */
export function recordOf(layout: GenomeLayout, region: ScanRegion, fileName: string): Placed {
  if (region.end <= region.start) {
    throw new InputError('predict.bad_region', `The region ${describe(region)} is empty`, {
      file: fileName,
      expected: 'start < end',
      found: describe(region),
    })
  }
  const sameChrom = layout.records.filter(
    (r) => r.name === region.chrom || sameChromosome(r.name, region.chrom),
  )
  const record = sameChrom.find((r) => r.start <= region.start && region.end <= r.end)
  if (record) return record
  const known = sameChrom.map((r) => `${r.name}:${r.start}-${r.end}`)
  throw new InputError(
    sameChrom.length === 0 ? 'predict.unknown_chromosome' : 'predict.region_outside',
    sameChrom.length === 0
      ? `The genome has no chromosome '${region.chrom}'`
      : `The region ${describe(region)} is not inside ${region.chrom} as the genome holds it (${known.join(', ')})`,
    {
      file: fileName,
      expected:
        sameChrom.length === 0
          ? `one of ${layout.records
              .slice(0, 10)
              .map((r) => r.name)
              .join(', ')}`
          : `a region inside ${known.join(' or ')}`,
      found: describe(region),
      params: { chrom: region.chrom },
    },
  )
}

/** Windows a region holds (before windows with N are skipped). */
export function windowCount(region: ScanRegion, length: number, stride: number): number {
  const span = region.end - region.start
  return span < length ? 0 : Math.floor((span - length) / stride) + 1
}

/** Checks a scan before it starts: the region is in the genome, and holds at least one window (not too many). */
export function checkScan(
  layout: GenomeLayout,
  region: ScanRegion,
  length: number,
  stride: number,
  fileName: string,
): number {
  recordOf(layout, region, fileName)
  const count = windowCount(region, length, stride)
  if (count === 0) {
    throw new InputError(
      'predict.region_too_short',
      `The region ${describe(region)} is shorter than one window of ${length} bases`,
      {
        file: fileName,
        expected: `at least ${length} bases`,
        found: `${region.end - region.start} bases`,
        params: { length },
      },
    )
  }
  if (count > MAX_PREDICT_ITEMS) throw tooMany(count, 'windows')
  return count
}

/** The bases of a region (upper or lower case, as the file has them). */
async function readRegion(
  files: GenomeFiles,
  layout: GenomeLayout,
  record: Placed,
  region: ScanRegion,
  signal?: AbortSignal,
): Promise<string> {
  const from = region.start - record.start
  const to = region.end - record.start
  if (record.entry) {
    const source = await openRandomAccess(files.genome)
    try {
      return await readFastaRegion(source, record.entry, from, to, { fileName: files.genome.name })
    } finally {
      await source.close()
    }
  }
  const lines = readTextLines(readFileBytes(files.genome, { signal }), { fileName: files.genome.name })
  for await (const r of readFasta(lines, { fileName: files.genome.name })) {
    if (r.id === record.record) return r.sequence.slice(from, to)
  }
  throw new Error(`${files.genome.name} changed while it was read: ${record.record} is missing`)
}

export interface RegionWindows {
  /** The region's bases as DNA codes. */
  codes: Uint8Array
  /** Genome start of each window kept, ascending. */
  starts: Int32Array
  skippedWithN: number
}

/** The windows of a region, as the genome import would tile it (windows with N skipped). */
export async function regionWindows(
  files: GenomeFiles,
  layout: GenomeLayout,
  region: ScanRegion,
  options: {
    length: number
    stride: number
    signal?: AbortSignal
    onProgress?: (done: number, total: number, phase: string) => void
  },
): Promise<RegionWindows> {
  const record = recordOf(layout, region, files.genome.name)
  options.onProgress?.(0, region.end - region.start, 'reading')
  const sequence = await readRegion(files, layout, record, region, options.signal)
  options.signal?.throwIfAborted()
  const windows = genomeWindows([{ id: record.name, offset: region.start, sequence }], [], {
    length: options.length,
    stride: options.stride,
    rule: 'centre',
    regions: [{ chrom: record.name, start: region.start, end: region.end }],
    nPolicy: 'skip',
    genomeFileName: files.genome.name,
    signal: options.signal,
  })
  const expected = windowCount(region, options.length, options.stride)
  const starts = new Int32Array(expected)
  let n = 0
  for (;;) {
    const step = await windows.next()
    if (step.done) {
      options.onProgress?.(expected, expected, 'windows')
      return {
        codes: DNA.toCodes(sequence),
        starts: starts.slice(0, n),
        skippedWithN: step.value.skippedWithN,
      }
    }
    starts[n++] = step.value.start
    if (n % 65_536 === 0) options.onProgress?.(n, expected, 'windows')
  }
}
