import { describe, expect, it } from 'vitest'
import {
  collectWindows,
  genomeWindows,
  type GenomeSequence,
  type LabelRule,
  type PeakInterval,
  type WindowOptions,
} from '../../src/core/datasets/windows'
import { Rng } from '../../src/core/random'
import { InputError } from '../../src/shared/errors'

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

const seq = (id: string, sequence: string, offset?: number): GenomeSequence => ({ id, sequence, offset })

describe('genomeWindows: tiling, case and N policy', () => {
  it('tiles full windows from the start of each record, upper-cases soft-masked letters', async () => {
    const { windows, summary } = await collectWindows([seq('chr1', 'acgtACGTac')], [], {
      length: 4,
      stride: 3,
      rule: 'centre',
    })
    expect(windows.map((w) => [w.start, w.end, w.sequence])).toEqual([
      [0, 4, 'ACGT'],
      [3, 7, 'TACG'],
      [6, 10, 'GTAC'],
    ])
    expect(summary).toEqual({ windows: 3, positives: 0, skippedWithN: 0, chromosomes: ['chr1'], peaks: 0 })
  })

  it('leaves gaps when the stride is longer than the window, and drops a short last window', async () => {
    const { windows } = await collectWindows([seq('1', 'A'.repeat(23))], [], {
      length: 5,
      stride: 8,
      rule: 'centre',
    })
    expect(windows.map((w) => w.start)).toEqual([0, 8, 16])
  })

  it('skips windows with N or an IUPAC code by default and keeps them on request', async () => {
    const genome = [seq('1', 'ACGTNACGTACGTRCGTACG')]
    const skip = await collectWindows(genome, [], { length: 5, rule: 'centre' })
    expect(skip.windows.map((w) => w.sequence)).toEqual(['ACGTA', 'GTACG'])
    expect(skip.summary.skippedWithN).toBe(2)
    const keep = await collectWindows(genome, [], { length: 5, rule: 'centre', nPolicy: 'keep' })
    expect(keep.windows.map((w) => w.sequence)).toEqual(['ACGTN', 'ACGTA', 'CGTRC', 'GTACG'])
    expect(keep.summary.skippedWithN).toBe(0)
  })
})

describe('genomeWindows: labels', () => {
  const genome = [seq('chr1', 'A'.repeat(40))]
  const labels = async (rule: LabelRule, peaks: PeakInterval[], extra: Partial<WindowOptions> = {}) =>
    (await collectWindows(genome, peaks, { length: 10, rule, ...extra })).windows.map((w) => w.label)

  it('centre: the base at start + floor(length / 2) lies in a peak (half-open)', async () => {
    expect(await labels('centre', [{ chrom: 'chr1', start: 0, end: 5 }])).toEqual([0, 0, 0, 0])
    expect(await labels('centre', [{ chrom: 'chr1', start: 5, end: 6 }])).toEqual([1, 0, 0, 0])
    expect(await labels('centre', [{ chrom: 'chr1', start: 6, end: 26 }])).toEqual([0, 1, 1, 0])
  })

  it('overlap: one peak must cover the fraction; overlapping peaks are not merged (as bedtools -f)', async () => {
    const peaks = [
      { chrom: 'chr1', start: 14, end: 20 }, // 6 of window 10-20
      { chrom: 'chr1', start: 20, end: 24 }, // 4 of window 20-30
      { chrom: 'chr1', start: 23, end: 27 }, // 4 more of window 20-30, overlapping the one before
    ]
    expect(await labels('overlap', peaks)).toEqual([0, 1, 0, 0])
    expect(await labels('overlap', peaks, { overlapFraction: 0.4 })).toEqual([0, 1, 1, 0])
    expect(await labels('overlap', peaks, { overlapFraction: 0.61 })).toEqual([0, 0, 0, 0])
    expect(await labels('overlap', [{ chrom: 'chr1', start: 9, end: 10 }], { overlapFraction: 0.1 })).toEqual(
      [1, 0, 0, 0],
    )
  })

  it('summit: start + peak offset inside the window; a peak without summit is an error naming the line', async () => {
    const peaks = [{ chrom: 'chr1', start: 5, end: 30, peak: 15 }] // summit at 20
    expect(await labels('summit', peaks)).toEqual([0, 0, 1, 0])
    expect(await labels('centre', peaks)).toEqual([1, 1, 1, 0])
    const error = await failure(() =>
      labels('summit', [{ chrom: 'chr1', start: 5, end: 30, peak: null, line: 7 }], {
        peaksFileName: 'p.bed',
      }),
    )
    expect(error.code).toBe('windows.no_summit')
    expect(error.line).toBe(7)
    expect(error.file).toBe('p.bed')
    expect((await failure(() => labels('summit', [{ chrom: 'chr1', start: 5, end: 30 }]))).code).toBe(
      'windows.no_summit',
    )
  })

  it('agrees with a direct per-window check on random genomes, peaks, strides and rules', async () => {
    const rng = Rng.seeded(7)
    for (let trial = 0; trial < 40; trial++) {
      const size = 200 + rng.int(400)
      const offset = rng.int(3) * 1000
      const letters = Array.from({ length: size }, () => (rng.chance(0.02) ? 'N' : 'ACGT'[rng.int(4)]!))
      const genome = [seq(`chr2:${offset + 1}-${offset + size}`, letters.join(''))]
      const peaks: PeakInterval[] = Array.from({ length: rng.int(30) }, () => {
        const start = Math.max(0, offset - 20 + rng.int(size + 40))
        const width = 1 + rng.int(rng.chance(0.2) ? 150 : 25)
        return { chrom: rng.chance(0.5) ? '2' : 'chr2', start, end: start + width, peak: rng.int(width) }
      })
      const length = 1 + rng.int(40)
      const stride = 1 + rng.int(50)
      const rule = rng.choice(['centre', 'overlap', 'summit'] as const)
      const overlapFraction = rng.choice([0.1, 0.25, 0.5, 1])
      const { windows } = await collectWindows(genome, rng.shuffle([...peaks]), {
        length,
        stride,
        rule,
        overlapFraction,
        nPolicy: 'keep',
      })
      const expectedStarts: number[] = []
      for (let s = offset; s + length <= offset + size; s += stride) expectedStarts.push(s)
      expect(windows.map((w) => w.start)).toEqual(expectedStarts)
      for (const w of windows) {
        const centre = w.start + Math.floor(length / 2)
        const direct = peaks.some((p) => {
          if (rule === 'centre') return p.start <= centre && centre < p.end
          if (rule === 'summit') return w.start <= p.start + p.peak! && p.start + p.peak! < w.end
          const overlap = Math.min(w.end, p.end) - Math.max(w.start, p.start)
          return overlap >= 1 && overlap / length >= overlapFraction
        })
        expect(w.label, `${rule} window ${w.start}`).toBe(direct ? 1 : 0)
        expect(w.sequence).toBe(letters.slice(w.start - offset, w.end - offset).join(''))
      }
    }
  })
})

describe('genomeWindows: chromosomes, aliases, offsets and restrictions', () => {
  it('places a region-named record at its offset and an explicit-offset region read too', async () => {
    const peaks = [{ chrom: 'chr22', start: 1004, end: 1006 }]
    const named = await collectWindows([seq('22:1001-1020', 'C'.repeat(20))], peaks, {
      length: 10,
      rule: 'centre',
    })
    expect(named.windows.map((w) => [w.chrom, w.start, w.label])).toEqual([
      ['22', 1000, 1],
      ['22', 1010, 0],
    ])
    const read = await collectWindows([seq('22', 'C'.repeat(20), 1000)], peaks, {
      length: 10,
      rule: 'centre',
    })
    expect(read.windows).toEqual(named.windows)
  })

  it('matches chrM with MT', async () => {
    const { windows } = await collectWindows(
      [seq('MT', 'ACGTACGTAC')],
      [{ chrom: 'chrM', start: 0, end: 10 }],
      {
        length: 10,
        rule: 'overlap',
      },
    )
    expect(windows.map((w) => w.label)).toEqual([1])
  })

  it('rejects a region-named record whose length does not match its name', async () => {
    const error = await failure(() =>
      collectWindows([{ id: '22:1001-1030', sequence: 'A'.repeat(20), record: 3 }], [], {
        length: 5,
        rule: 'centre',
        genomeFileName: 'g.fa',
      }),
    )
    expect(error.code).toBe('windows.region_length')
    expect(error.record).toBe(3)
    expect(error.expected).toBe('30 bases')
  })

  it('rejects two records covering the same bases of a chromosome', async () => {
    const genome = [seq('22:1-20', 'A'.repeat(20)), seq('chr22:11-30', 'A'.repeat(20))]
    expect((await failure(() => collectWindows(genome, [], { length: 5, rule: 'centre' }))).code).toBe(
      'windows.overlapping_records',
    )
  })

  it('fails on peaks on a chromosome the genome lacks, naming the first such BED line', async () => {
    const peaks = [
      { chrom: 'chr1', start: 0, end: 5, line: 1 },
      { chrom: 'chr9', start: 0, end: 5, line: 4 },
      { chrom: 'chrUn_x', start: 0, end: 5, line: 2 },
    ]
    const error = await failure(() =>
      collectWindows([seq('1', 'A'.repeat(20))], peaks, {
        length: 5,
        rule: 'centre',
        peaksFileName: 'peaks.bed',
      }),
    )
    expect(error.code).toBe('windows.unknown_chromosome')
    expect(error.line).toBe(2)
    expect(error.file).toBe('peaks.bed')
    expect(error.found).toBe("'chrUn_x'")
    expect(error.message).toContain('line 2')
  })

  it('with knownChromosomes (a .fai), fails before yielding any window', async () => {
    const pulled: string[] = []
    async function* genome() {
      pulled.push('1')
      yield seq('1', 'A'.repeat(20))
    }
    const iterator = genomeWindows(genome(), [{ chrom: '2', start: 0, end: 5, line: 1 }], {
      length: 5,
      rule: 'centre',
      knownChromosomes: ['chr1'],
    })
    const error = await failure(() => iterator.next())
    expect(error.code).toBe('windows.unknown_chromosome')
    expect(pulled).toEqual([])
  })

  it('restricting chromosomes ignores peaks elsewhere and skips other records', async () => {
    const genome = [seq('chr1', 'A'.repeat(10)), seq('chr2', 'C'.repeat(10)), seq('chr3', 'G'.repeat(10))]
    const peaks = [
      { chrom: '2', start: 0, end: 10 },
      { chrom: 'chr7', start: 0, end: 10 },
    ]
    const { windows, summary } = await collectWindows(genome, peaks, {
      length: 10,
      rule: 'centre',
      chromosomes: ['2', 'chr3'],
    })
    expect(windows.map((w) => [w.chrom, w.label])).toEqual([
      ['chr2', 1],
      ['chr3', 0],
    ])
    expect(summary.chromosomes).toEqual(['chr2', 'chr3'])
    const missing = await failure(() =>
      collectWindows(genome, [], { length: 5, rule: 'centre', chromosomes: ['X'] }),
    )
    expect(missing.code).toBe('windows.unknown_chromosome')
  })

  it('restricting regions tiles from each region start, clipped to the sequence', async () => {
    const { windows } = await collectWindows([seq('chr1:101-200', 'A'.repeat(100))], [], {
      length: 10,
      stride: 10,
      rule: 'centre',
      regions: [
        { chrom: '1', start: 150, end: 178 },
        { chrom: 'chr1', start: 95, end: 125 },
        { chrom: 'chr5', start: 0, end: 10 },
      ],
      chromosomes: ['1'],
    })
    // 95-125 gives 95 (starts before the sequence: skipped), 105, 115; 150-178 gives 150, 160.
    expect(windows.map((w) => w.start)).toEqual([105, 115, 150, 160])
    const overlapping = await failure(() =>
      collectWindows([], [], {
        length: 5,
        rule: 'centre',
        regions: [
          { chrom: '1', start: 0, end: 10 },
          { chrom: 'chr1', start: 9, end: 20 },
        ],
      }),
    )
    expect(overlapping.code).toBe('windows.overlapping_regions')
  })

  it('holds one chromosome at a time: the next record is pulled only after the last window of this one', async () => {
    const pulled: string[] = []
    async function* genome() {
      for (const id of ['chr1', 'chr2']) {
        pulled.push(id)
        yield seq(id, 'A'.repeat(30))
      }
    }
    const iterator = genomeWindows(genome(), [], { length: 10, rule: 'centre' })
    for (let i = 0; i < 3; i++) expect((await iterator.next()).value).toMatchObject({ chrom: 'chr1' })
    expect(pulled).toEqual(['chr1'])
    expect((await iterator.next()).value).toMatchObject({ chrom: 'chr2', start: 0 })
    expect(pulled).toEqual(['chr1', 'chr2'])
  })

  it('reports progress through a long sequence and at its end', async () => {
    const calls: [number, number, string][] = []
    await collectWindows([seq('chr5', 'ACGT'.repeat(35_000))], [], {
      length: 1,
      rule: 'centre',
      onProgress: (done, total, phase) => calls.push([done, total, phase]),
    })
    expect(calls).toEqual([
      [65_535, 140_000, 'windows:chr5'],
      [131_071, 140_000, 'windows:chr5'],
      [140_000, 140_000, 'windows:chr5'],
    ])
  })

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    await expect(
      collectWindows([seq('1', 'ACGT')], [], { length: 2, rule: 'centre', signal: controller.signal }),
    ).rejects.toThrow('cancelled')
  })
})

describe('genomeWindows: parameters', () => {
  const run = (options: Partial<WindowOptions>, peaks: PeakInterval[] = []) =>
    failure(() => collectWindows([seq('1', 'ACGT')], peaks, { length: 2, rule: 'centre', ...options }))

  it.each([
    [{ length: 0 }, 'windows.bad_length'],
    [{ length: 2.5 }, 'windows.bad_length'],
    [{ stride: 0 }, 'windows.bad_stride'],
    [{ rule: 'middle' as LabelRule }, 'windows.bad_rule'],
    [{ rule: 'overlap' as const, overlapFraction: 0 }, 'windows.bad_fraction'],
    [{ rule: 'overlap' as const, overlapFraction: 1.5 }, 'windows.bad_fraction'],
    [{ nPolicy: 'drop' as 'skip' }, 'windows.bad_n_policy'],
    [{ regions: [{ chrom: '1', start: 5, end: 5 }] }, 'windows.bad_region'],
  ])('%o → %s', async (options, code) => {
    expect((await run(options)).code).toBe(code)
  })

  it('rejects a peak that is not an interval', async () => {
    const error = await run({}, [{ chrom: '1', start: 5, end: 2, line: 9 }])
    expect(error.code).toBe('windows.bad_peak')
    expect(error.line).toBe(9)
  })
})
