/**
 * The importers on real and derived files: what they store, what the preview shows, and that every bad
 * input named by issue 3 gives its code and location and leaves the project exactly as it was.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectWindows } from '../../src/core/datasets/windows'
import { readTextLines } from '../../src/core/formats/bytes'
import { readBed } from '../../src/core/formats/bed'
import { readFasta } from '../../src/core/formats/fasta'
import { importDataset, previewImport, type ResolvedImport } from '../../src/app/datasets/importers'
import { datasetSummary } from '../../src/app/datasets/queries'
import { inputFile, readFileBytes } from '../../src/app/datasets/sources'
import type { ProjectStore } from '../../src/app/store/project-store'
import {
  FastaImportOptions,
  CsvImportOptions,
  GenomeImportOptions,
  NpyImportOptions,
} from '../../src/shared/contract-datasets'
import {
  fixtures,
  inputErrorOf,
  integrityOk,
  newProject,
  projectHash,
  shared,
  tempDir,
} from '../fixtures/datasets/support'

let tmp: string
let store: ProjectStore
const stores: ProjectStore[] = []

beforeAll(() => {
  tmp = tempDir('seqlab-datasets-')
  store = newProject(tmp)
  stores.push(store)
})
afterAll(() => {
  for (const s of stores) s.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

const fixture = (...parts: string[]) => inputFile(path.join(fixtures, ...parts))
const write = (name: string, text: string | Uint8Array) => {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text)
  return inputFile(file)
}

const fastaOptions = (o: unknown) => FastaImportOptions.parse(o)
const csvOptions = (o: unknown) => CsvImportOptions.parse(o)
const genomeOptions = (o: unknown) => GenomeImportOptions.parse(o)
const npyOptions = (o: unknown) => NpyImportOptions.parse(o)

const smallCsv: ResolvedImport = {
  kind: 'csv',
  files: { table: fixture('datasets', 'small.csv') },
  options: csvOptions({
    sequenceColumn: 'sequence',
    labelColumn: 'label',
    weightColumn: 'weight',
    groupColumn: 'group',
    idColumn: 'id',
    fixedLength: 12,
  }),
}

function records(s: ProjectStore, datasetId: number) {
  return s.db
    .prepare(
      'SELECT idx, record_id, sequence, label, weight, group_key, chrom, start, "end" FROM records WHERE dataset_id = ? ORDER BY idx',
    )
    .all(datasetId) as {
    idx: number
    record_id: string | null
    sequence: string
    label: number | string
    weight: number | null
    group_key: string | null
    chrom: string | null
    start: number | null
    end: number | null
  }[]
}

describe('CSV/TSV import', () => {
  it('stores every row with its label, weight, group and id, upper-cased, with the data set parameters', async () => {
    const id = await importDataset(store, 'small', smallCsv)
    const rows = records(store, id)
    const csv = fs
      .readFileSync(path.join(fixtures, 'datasets', 'small.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
    expect(rows).toHaveLength(csv.length)
    csv.forEach((line, i) => {
      const [rid, seq, label, weight, group] = line.split(',')
      expect(rows[i]).toMatchObject({
        idx: i,
        record_id: rid,
        sequence: seq!.toUpperCase(),
        label: Number(label),
        weight: Number(weight),
        group_key: group,
      })
    })
    const summary = datasetSummary(store, id)
    expect(summary).toMatchObject({
      name: 'small',
      alphabet: 'dna',
      labelKind: 'binary',
      labelSet: ['0', '1'],
      seqLength: 12,
      records: 24,
      labelCounts: [
        { label: 0, count: 18 },
        { label: 1, count: 6 },
      ],
      weightSums: [
        { label: 0, sum: 18 },
        { label: 1, sum: 18 },
      ],
      lengths: { min: 12, max: 12, mean: 12 },
      chromosomes: [],
    })
    expect(summary.source).toMatchObject({ importer: 'csv', files: { table: 'small.csv' } })
  })

  it('previews the first records, the columns and the labels, and lists problems with their lines', async () => {
    const file = write(
      'preview.csv',
      'seq,y\nACGT,1\nACGA,0\nACXT,1\nACGG,2\nACGTT,0\n' + 'ACGT,0\n'.repeat(40),
    )
    const preview = await previewImport({
      kind: 'csv',
      files: { table: file },
      options: csvOptions({ sequenceColumn: 'seq', labelColumn: 'y', fixedLength: 'same' }),
    })
    expect(preview.records).toHaveLength(20)
    expect(preview.records[0]).toMatchObject({ line: 2, sequence: 'ACGT', label: 1, rawLabel: '1' })
    expect(preview.layout).toMatchObject({ columns: ['seq', 'y'], delimiter: ',', alphabetGuess: 'dna' })
    expect(preview.layout.labels).toEqual([
      { label: '1', count: 2 },
      { label: '0', count: 42 },
      { label: '2', count: 1 },
    ])
    expect(preview.complete).toBe(true)
    expect(preview.problems.map((p) => [p.code, p.line])).toEqual([
      ['dataset.bad_letter', 4],
      ['dataset.label_outside_set', 5],
      ['dataset.ragged_length', 6],
    ])
  })
})

describe('labelled FASTA import', () => {
  const tinman = inputFile(path.join(shared, 'tfbs', 'tinman-early-top20.fa'))

  it('takes labels from a TSV keyed by id, with weights', async () => {
    const id = await importDataset(store, 'tinman', {
      kind: 'fasta',
      files: { fasta: tinman, labels: fixture('datasets', 'tinman-labels.tsv') },
      options: fastaOptions({
        labels: { kind: 'binary', negative: 'unbound', positive: 'bound' },
        label: { from: 'table', idColumn: 'name', labelColumn: 'class', weightColumn: 'weight' },
      }),
    })
    const rows = records(store, id)
    const expected: { id: string; sequence: string }[] = []
    for await (const r of readFasta(readTextLines(readFileBytes(tinman)), { uppercase: true })) {
      expected.push({ id: r.id, sequence: r.sequence })
    }
    expect(rows.map((r) => [r.record_id, r.sequence])).toEqual(expected.map((e) => [e.id, e.sequence]))
    expect(rows.map((r) => r.label)).toEqual([...Array(10).fill(1), ...Array(10).fill(0)])
    expect(rows.slice(0, 10).every((r) => r.weight === 1.5)).toBe(true)
    const summary = datasetSummary(store, id)
    expect(summary.labelSet).toEqual(['unbound', 'bound'])
    expect(summary.seqLength).toBeNull() // ChIP peaks differ in length
  })

  it('takes labels from the header by a regex, a key=value token or the last | field', async () => {
    const regex = await importDataset(store, 'tinman regex', {
      kind: 'fasta',
      files: { fasta: tinman },
      options: fastaOptions({
        labels: { kind: 'multiclass' },
        label: { from: 'regex', pattern: '^tinman-(\\w+?)_' },
      }),
    })
    expect(new Set(records(store, regex).map((r) => r.label))).toEqual(new Set(['early']))

    const headers = write('tokens.fa', '>a cls=pos|x\nACGT\n>b cls=neg|y\nACGA\n>c cls=pos|z\nTTTT\n')
    const token = await importDataset(store, 'tokens', {
      kind: 'fasta',
      files: { fasta: headers },
      options: fastaOptions({
        labels: { kind: 'binary', negative: 'neg', positive: 'pos' },
        label: { from: 'token', key: 'cls' },
      }),
    })
    expect(records(store, token).map((r) => r.label)).toEqual([1, 0, 1])
    const last = await importDataset(store, 'last field', {
      kind: 'fasta',
      files: { fasta: headers },
      options: fastaOptions({ labels: { kind: 'multiclass' }, label: { from: 'lastField' } }),
    })
    expect(records(store, last).map((r) => r.label)).toEqual(['x', 'y', 'z'])
    expect(datasetSummary(store, last).labelSet).toEqual(['x', 'y', 'z'])
  })

  it('names the ids missing from the label table, and leaves the project unchanged', async () => {
    const table = write('partial.csv', 'name,class\ntinman-early_885,bound\ntinman-early_2150,unbound\n')
    const before = projectHash(store)
    const err = await inputErrorOf(
      importDataset(store, 'x', {
        kind: 'fasta',
        files: { fasta: tinman, labels: table },
        options: fastaOptions({
          labels: { kind: 'binary', negative: 'unbound', positive: 'bound' },
          label: { from: 'table', idColumn: 'name', labelColumn: 'class' },
        }),
      }),
    )
    expect(err.code).toBe('dataset.missing_labels')
    expect(err.params).toMatchObject({ count: 18 })
    expect(err.message).toContain("'tinman-early_280'")
    expect(err).toMatchObject({ file: 'tinman-early-top20.fa', line: 5 })
    expect(projectHash(store)).toBe(before)
  })

  it('previews the 71 HNF4α sites: bare headers carry no label, each a problem with its line', async () => {
    // Bare '>' headers carry no label: every record is a problem the preview lists with its line.
    const hnf = inputFile(path.join(shared, 'tfbs', 'HNF4alpha_71_sites.fasta'))
    const preview = await previewImport({
      kind: 'fasta',
      files: { fasta: hnf },
      options: fastaOptions({ label: { from: 'token', key: 'label' }, fixedLength: 13 }),
    })
    expect(preview.layout.alphabetGuess).toBe('dna')
    expect(preview.layout.lengths).toEqual({ min: 13, max: 13 })
    expect(preview.problems[0]).toMatchObject({
      code: 'dataset.no_label',
      line: 1,
      file: 'HNF4alpha_71_sites.fasta',
    })
  })
})

describe('genome + peaks import', () => {
  const genome = inputFile(path.join(shared, 'genome', '22_20-21M.fa'))
  const peaks = fixture('datasets', 'peaks-chr22.bed')

  it('gives exactly the windows and labels of core genomeWindows, with chromosome and coordinates', async () => {
    const options = genomeOptions({ length: 101, stride: 101, rule: 'centre' })
    const id = await importDataset(store, 'chr22 windows', {
      kind: 'genome',
      files: { genome, peaks },
      options,
    })
    const fromCore = await collectWindows(
      (async function* () {
        for await (const r of readFasta(readTextLines(readFileBytes(genome)), {
          alphabet: 'dna',
          ambiguity: 'asN',
        })) {
          yield { id: r.id, sequence: r.sequence, record: r.record }
        }
      })(),
      (async function* () {
        for await (const p of readBed(readTextLines(readFileBytes(peaks)))) yield p
      })(),
      { length: 101, stride: 101, rule: 'centre' },
    )
    const rows = records(store, id)
    expect(rows.length).toBe(fromCore.summary.windows)
    expect(rows.filter((r) => r.label === 1).length).toBe(fromCore.summary.positives)
    expect(fromCore.summary.positives).toBeGreaterThan(0)
    rows.forEach((r, i) => {
      const w = fromCore.windows[i]!
      expect([r.chrom, r.start, r.end, r.sequence, r.label]).toEqual([
        w.chrom,
        w.start,
        w.end,
        w.sequence,
        w.label,
      ])
    })
    expect(rows[0]!.record_id).toBe(`22:${rows[0]!.start}-${rows[0]!.end}`)
    const summary = datasetSummary(store, id)
    expect(summary.seqLength).toBe(101)
    expect(summary.chromosomes).toEqual([
      { chrom: '22', records: rows.length, positives: fromCore.summary.positives },
    ])
    expect(summary.source).toMatchObject({ windows: { positives: fromCore.summary.positives } })
  })

  it('uses a .fai index when given and agrees with the streamed import', async () => {
    const fai = write('22.fa.fai', '22:20000001-21000000\t1000000\t22\t60\t61\n')
    const options = genomeOptions({ length: 200, stride: 100, rule: 'overlap', overlapFraction: 0.5 })
    const streamed = await importDataset(store, 'streamed', {
      kind: 'genome',
      files: { genome, peaks },
      options,
    })
    const indexed = await importDataset(store, 'indexed', {
      kind: 'genome',
      files: { genome, peaks, index: fai },
      options,
    })
    const strip = (rows: ReturnType<typeof records>) =>
      rows.map((r) => [r.chrom, r.start, r.sequence, r.label])
    expect(strip(records(store, indexed))).toEqual(strip(records(store, streamed)))
    const preview = await previewImport({ kind: 'genome', files: { genome, peaks, index: fai }, options })
    expect(preview.layout.chromosomes).toEqual(['22'])
    expect(preview.records[0]).toMatchObject({ chrom: '22', start: 20_000_000, end: 20_000_200, length: 200 })
    expect(preview.problems).toEqual([])
  })

  it('reads gzip peaks (by magic bytes) and previews only the start of the genome', async () => {
    const { gzipSync } = await import('node:zlib')
    const gz = write('peaks.bed.gz', gzipSync(fs.readFileSync(peaks.path)))
    const preview = await previewImport({
      kind: 'genome',
      files: { genome, peaks: gz },
      options: genomeOptions({}),
    })
    expect(preview.records).toHaveLength(20)
    expect(preview.complete).toBe(false)
    expect(preview.problems).toEqual([])
  })
})

describe('NumPy JunD arrays import', () => {
  const jund = (name: string) => fixture('npy', 'jund', name)
  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'npy', 'expected.json'), 'utf8')) as {
    jund: { codes: string[] }
    arrays: Record<string, { values: unknown[] }>
  }

  it('decodes one-hot rows back to sequences (all-zero → N), with labels, weights and ids → coordinates', async () => {
    const id = await importDataset(store, 'jund npy', {
      kind: 'npy',
      files: { X: jund('X_u1.npy'), y: jund('y.npy'), w: jund('w.npy'), ids: jund('ids.npy') },
      options: npyOptions({}),
    })
    const rows = records(store, id)
    expect(rows.map((r) => r.sequence)).toEqual(expected.jund.codes)
    expect(rows.map((r) => r.label)).toEqual(expected.arrays['jund/y.npy']!.values)
    expect(rows.map((r) => r.weight)).toEqual(expected.arrays['jund/w.npy']!.values)
    expect(rows[0]).toMatchObject({
      record_id: 'chr22:16000000-16000101',
      chrom: 'chr22',
      start: 16_000_000,
      end: 16_000_101,
    })
    expect(datasetSummary(store, id)).toMatchObject({ seqLength: 101, records: 50 })
  })

  it('reads the same data from float32 X and from .npz (stored and deflated)', async () => {
    const f4 = await importDataset(store, 'jund f4', {
      kind: 'npy',
      files: { X: jund('X_f4.npy'), y: jund('y.npy') },
      options: npyOptions({}),
    })
    expect(records(store, f4).map((r) => r.sequence)).toEqual(expected.jund.codes)
    for (const npz of ['jund.npz', 'jund_compressed.npz']) {
      const id = await importDataset(store, npz, {
        kind: 'npy',
        files: { npz: fixture('npy', 'npz', npz) },
        options: npyOptions({}),
      })
      const rows = records(store, id)
      expect(rows.map((r) => r.sequence)).toEqual(expected.jund.codes)
      expect(rows.map((r) => r.weight)).toEqual(expected.arrays['jund/w.npy']!.values)
    }
  })
})

describe('bad inputs: each gives its code and location, and the project is unchanged', () => {
  const csvRequest = (text: string, extra: object = {}): ResolvedImport => ({
    kind: 'csv',
    files: { table: write(`bad-${Math.random().toString(36).slice(2)}.csv`, text) },
    options: csvOptions({ sequenceColumn: 'seq', labelColumn: 'label', ...extra }),
  })
  const fastaRequest = (text: string, extra: object = {}): ResolvedImport => ({
    kind: 'fasta',
    files: { fasta: write(`bad-${Math.random().toString(36).slice(2)}.fa`, text) },
    options: fastaOptions({ label: { from: 'token', key: 'y' }, ...extra }),
  })
  const genomeFa = '>chr1\n' + 'ACGT'.repeat(100) + '\n'
  const genomeRequest = (bed: string): ResolvedImport => ({
    kind: 'genome',
    files: {
      genome: write('g.fa', genomeFa),
      peaks: write(`p-${Math.random().toString(36).slice(2)}.bed`, bed),
    },
    options: genomeOptions({ length: 20 }),
  })
  const npy = (files: Record<string, string>): ResolvedImport => ({
    kind: 'npy',
    files: Object.fromEntries(
      Object.entries(files).map(([k, v]) => [k, fixture('npy', ...v.split('/'))]),
    ) as never,
    options: npyOptions({}),
  })

  const cases: [
    string,
    () => ResolvedImport,
    { code: string; line?: number; record?: number; file?: RegExp; aboutOptions?: true },
  ][] = [
    [
      'ragged length',
      () => csvRequest('seq,label\nACGT,1\nACG,0\n', { fixedLength: 4 }),
      { code: 'dataset.ragged_length', line: 3 },
    ],
    [
      'letter outside the alphabet (FASTA)',
      () => fastaRequest('>a y=1\nACGT\n>b y=0\nACJT\n'),
      { code: 'fasta.bad_letter', line: 4 },
    ],
    [
      'letter outside the alphabet (CSV)',
      () => csvRequest('seq,label\nACGT,1\nAC-T,0\n'),
      { code: 'dataset.bad_letter', line: 3 },
    ],
    ['empty FASTA', () => fastaRequest(''), { code: 'dataset.empty', file: /\.fa$/ }],
    ['CSV with a header only', () => csvRequest('seq,label\n'), { code: 'dataset.empty' }],
    [
      'peaks on an unknown chromosome',
      () => genomeRequest('chr1\t10\t50\nchr9\t10\t50\n'),
      { code: 'windows.unknown_chromosome', line: 2 },
    ],
    [
      'BED with start > end',
      () => genomeRequest('chr1\t10\t50\nchr1\t90\t60\n'),
      { code: 'bed.start_after_end', line: 2 },
    ],
    [
      '.npy of the wrong shape',
      () => npy({ X: 'jund/X_u1.npy', y: 'jund/w_2d.npy' }),
      { code: 'npy.bad_shape', file: /w_2d/ },
    ],
    [
      '.npy rows that disagree',
      () => npy({ X: 'jund/X_u1.npy', y: 'jund/y_49.npy' }),
      { code: 'npy.shape_mismatch' },
    ],
    ['.npy of the wrong dtype', () => npy({ X: 'dtypes/U.npy', y: 'jund/y.npy' }), { code: 'npy.bad_shape' }],
    [
      '.npy X of a non-numeric dtype',
      () => npy({ X: 'bad/complex.npy', y: 'jund/y.npy' }),
      { code: 'npy.unsupported_dtype' },
    ],
    [
      '.npy not one-hot',
      () => npy({ X: 'jund/X_not_one_hot.npy', y: 'jund/y.npy' }),
      { code: 'npy.not_one_hot' },
    ],
    [
      'label outside the declared set',
      () => csvRequest('seq,label\nACGT,1\nACGA,yes\n'),
      { code: 'dataset.label_outside_set', line: 3 },
    ],
    [
      'class outside the declared classes',
      () =>
        csvRequest('seq,label\nACGT,a\nACGA,d\n', { labels: { kind: 'multiclass', classes: ['a', 'b'] } }),
      { code: 'dataset.label_outside_set', line: 3 },
    ],
    [
      'duplicate ids',
      () => csvRequest('id,seq,label\nx,ACGT,1\ny,ACGT,0\nx,ACGA,0\n', { idColumn: 'id' }),
      { code: 'dataset.duplicate_id', line: 4 },
    ],
    [
      'NaN weight',
      () => csvRequest('seq,label,w\nACGT,1,1\nACGA,0,NaN\n', { weightColumn: 'w' }),
      { code: 'dataset.bad_weight', line: 3 },
    ],
    [
      'negative weight',
      () => csvRequest('seq,label,w\nACGT,1,-2\n', { weightColumn: 'w' }),
      { code: 'dataset.bad_weight', line: 2 },
    ],
    [
      'a missing column',
      () => csvRequest('sequence,label\nACGT,1\n'),
      { code: 'dataset.missing_column', line: 1 },
    ],
    [
      'a regex without a capture group',
      () => fastaRequest('>a\nACGT\n', { label: { from: 'regex', pattern: 'y=\\d' } }),
      { code: 'dataset.bad_pattern', aboutOptions: true },
    ],
  ]

  it.each(cases)('%s', async (_name, request, expected) => {
    const s = newProject(tmp, 'bad')
    stores.push(s)
    await importDataset(s, 'good first', smallCsv) // a project with content, so "unchanged" means something
    const before = projectHash(s)
    const err = await inputErrorOf(importDataset(s, 'bad', request()))
    expect(err.code).toBe(expected.code)
    if (expected.line !== undefined) expect(err.line).toBe(expected.line)
    if (expected.record !== undefined) expect(err.record).toBe(expected.record)
    if (expected.file) expect(err.file).toMatch(expected.file)
    if (!expected.aboutOptions) expect(err.file).toBeTruthy()
    expect(projectHash(s)).toBe(before)
    expect(integrityOk(s)).toBe(true)
    expect(s.db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE type = 'table'").pluck().get()).toBe(0)
  })

  it('fails on a bad record after thousands of good ones without writing any of them', async () => {
    const good = Array.from({ length: 5000 }, (_, i) => `ACG${'ACGT'[i % 4]},${i % 2}`).join('\n')
    const s = newProject(tmp, 'late')
    stores.push(s)
    const before = projectHash(s)
    const err = await inputErrorOf(importDataset(s, 'late', csvRequest(`seq,label\n${good}\nACGT,7\n`)))
    expect(err).toMatchObject({ code: 'dataset.label_outside_set', line: 5002 })
    expect(projectHash(s)).toBe(before)
  })
})

describe('cancel', () => {
  it('a cancel mid-import leaves the project unchanged', async () => {
    const s = newProject(tmp, 'cancel')
    stores.push(s)
    await importDataset(s, 'first', smallCsv)
    const before = projectHash(s)
    const lines = Array.from({ length: 20_000 }, (_, i) => `${'ACGT'.repeat(5)},${i % 2}`).join('\n')
    const request = csvRequestFor(write('big.csv', `seq,label\n${lines}\n`))
    const controller = new AbortController()
    let reports = 0
    const err = await importDataset(s, 'big', request, {
      signal: controller.signal,
      progress: (done, total) => {
        expect(done).toBeLessThanOrEqual(total)
        if (++reports === 3) controller.abort(new Error('cancelled by the test'))
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(reports).toBe(3)
    expect((err as Error).message).toBe('cancelled by the test')
    expect(projectHash(s)).toBe(before)
    expect(integrityOk(s)).toBe(true)
  })
})

function csvRequestFor(file: ReturnType<typeof inputFile>): ResolvedImport {
  return {
    kind: 'csv',
    files: { table: file },
    options: csvOptions({ sequenceColumn: 'seq', labelColumn: 'label' }),
  }
}
