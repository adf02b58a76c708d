// Reference agreement with Debian's bedtools (issue 3, "Done when"): the real chr22 fragment, read through the
// streaming FASTA parser, windowed and labelled by src/core/datasets/windows.ts, gives exactly the windows,
// sequences and labels that `bedtools makewindows` + `getfasta` + `intersect` give (expected.json, made by
// scripts/fixtures/make_windows_fixtures.sh from test/fixtures/windows/peaks.narrowPeak).
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { genomeWindows, type LabelRule, type NPolicy } from '../../src/core/datasets/windows'
import { readTextLines } from '../../src/core/formats/bytes'
import { readBed, type IntervalRecord } from '../../src/core/formats/bed'
import { readFasta } from '../../src/core/formats/fasta'
import type { GenomeRegion } from '../../src/core/formats/regions'

interface Case {
  name: string
  length: number
  stride: number
  rule: LabelRule
  overlapFraction: number
  nPolicy: NPolicy
  regions: GenomeRegion[]
  windows: number
  skippedWithN: number
  startsSha256: string
  sequencesSha256: string
  positiveStarts: number[]
}

const fixtures = path.resolve(__dirname, '../fixtures/windows')
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as {
  fastaSha256: string
  cases: Case[]
}
const sharedData =
  process.env.SEQLAB_SHARED_DATA ??
  [path.resolve(__dirname, '../../../shared/data'), '/work/shared/data'].find((dir) => fs.existsSync(dir))!
const chr22Path = path.join(sharedData, 'genome/22_20-21M.fa')

async function peaks(): Promise<IntervalRecord[]> {
  const records: IntervalRecord[] = []
  const source = fs.createReadStream(path.join(fixtures, 'peaks.narrowPeak'))
  for await (const record of readBed(readTextLines(source))) records.push(record)
  return records
}

function genome() {
  const options = { fileName: '22_20-21M.fa', alphabet: 'dna' as const }
  return readFasta(
    readTextLines(fs.createReadStream(chr22Path, { highWaterMark: 1 << 16 }), options),
    options,
  )
}

const fragment: GenomeRegion = { chrom: 'chr22', start: 20_000_000, end: 21_000_000 }
const isWholeFragment = (regions: GenomeRegion[]) =>
  regions.length === 1 && regions[0]!.start === fragment.start && regions[0]!.end === fragment.end

describe('genome windows agree with bedtools on the real chr22 fragment', () => {
  it('reads the same FASTA the fixture was made from', () => {
    const digest = createHash('sha256').update(fs.readFileSync(chr22Path)).digest('hex')
    expect(digest).toBe(expected.fastaSha256)
  })

  it('has peaks named both chr22 and 22 (aliases), and the fixture cases cover every rule', async () => {
    const names = new Set((await peaks()).map((p) => p.chrom))
    expect(names).toEqual(new Set(['chr22', '22']))
    expect(new Set(expected.cases.map((c) => c.rule))).toEqual(new Set(['centre', 'overlap', 'summit']))
  })

  for (const testCase of expected.cases) {
    it(`${testCase.name}: same windows, sequences and labels`, async () => {
      const starts = createHash('sha256')
      const sequences = createHash('sha256')
      const positives: number[] = []
      let count = 0
      const iterator = genomeWindows(genome(), await peaks(), {
        length: testCase.length,
        stride: testCase.stride,
        rule: testCase.rule,
        overlapFraction: testCase.overlapFraction,
        nPolicy: testCase.nPolicy,
        // The whole-fragment cases run unrestricted: tiling from the record's start is the default.
        regions: isWholeFragment(testCase.regions) ? undefined : testCase.regions,
      })
      let step = await iterator.next()
      while (!step.done) {
        const window = step.value
        expect(window.chrom).toBe('22')
        starts.update(`${window.start}\n`)
        sequences.update(`${window.sequence}\n`)
        if (window.label === 1) positives.push(window.start)
        count += 1
        step = await iterator.next()
      }
      const summary = step.value
      expect(count).toBe(testCase.windows)
      expect(summary.windows).toBe(testCase.windows)
      expect(summary.skippedWithN).toBe(testCase.skippedWithN)
      expect(summary.positives).toBe(testCase.positiveStarts.length)
      expect(positives).toEqual(testCase.positiveStarts)
      expect(starts.digest('hex')).toBe(testCase.startsSha256)
      expect(sequences.digest('hex')).toBe(testCase.sequencesSha256)
    })
  }
})
