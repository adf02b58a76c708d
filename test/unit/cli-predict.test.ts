/**
 * `seqlab predict` on a temp project through the built CLI: a logistic regression trained by `seqlab train`
 * scores a FASTA (CSV with the call at the validation threshold) and scans a genome region (bedGraph, by
 * the file's extension, and CSV); mistakes are one line on stderr and exit code 2.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { storedPredictions } from '../../src/app/experiments/repository'
import { ProjectStore } from '../../src/app/store/project-store'
import { Rng } from '../../src/core/random'

const root = path.resolve(__dirname, '../..')
const bin = path.join(root, 'bin', 'seqlab.cjs')
const run = promisify(execFile)
const LENGTH = 50
const SITE = 'TGACTCA'
let tmp: string
let project: string
let env: NodeJS.ProcessEnv
let threshold: number

async function seqlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: tmp, env })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

const bases = (rng: Rng, n: number) => Array.from({ length: n }, () => 'ACGT'[rng.int(4)]!)

function makeProject(file: string): void {
  const store = ProjectStore.create(file, { name: 'cli predict', appVersion: 'test' })
  try {
    const rng = Rng.seeded(21)
    const staging = new RecordStaging(store)
    for (let i = 0; i < 360; i++) {
      const b = bases(rng, LENGTH)
      const label = i % 3 === 0 ? 1 : 0
      if (label) b.splice(rng.int(LENGTH - SITE.length), SITE.length, ...SITE)
      staging.add({
        at: { file: 't', record: i + 1 },
        recordId: `r${i}`,
        sequence: b.join('').slice(0, LENGTH),
        label,
        weight: null,
        group: null,
        chrom: null,
        start: null,
        end: null,
      })
    }
    const datasetId = staging.commit({
      name: 'planted',
      alphabet: 'dna',
      labelKind: 'binary',
      labelSet: ['0', '1'],
      seqLength: LENGTH,
      source: {},
    })
    staging.dispose()
    createSplit(store, datasetId, { method: 'stratified', val: 0.2, test: 0.2, seed: 3 })
  } finally {
    store.close()
  }
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cli-predict-')))
  env = { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'app-data'), NODE_OPTIONS: '' }
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  project = path.join(tmp, 'p.seqlab')
  makeProject(project)
  const trained = await seqlab([
    ...['train', project, '--dataset', '1', '--split', '1', '--model', 'logreg'],
    ...['--encoding', 'kmer', '--k', '4', '--epochs', '3', '--batch-size', '32', '--lr', '0.05', '--json'],
  ])
  expect(trained.code).toBe(0)
  threshold = JSON.parse(trained.stdout).metrics.val.threshold
  const rng = Rng.seeded(8)
  const genome = bases(rng, 1000)
  genome.splice(400, SITE.length, ...SITE)
  fs.writeFileSync(
    path.join(tmp, 'genome.fa'),
    `>chr1\n${genome
      .join('')
      .match(/.{1,70}/g)!
      .join('\n')}\n`,
  )
}, 120_000)

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('seqlab predict', () => {
  it('scores a FASTA as the experiment scored its test windows, with the call at the validation threshold', async () => {
    const store = ProjectStore.open(project, { readonly: true })
    const test = storedPredictions(store, 1, 0, 'test')!
    const lookup = store.db.prepare(
      'SELECT record_id, sequence FROM records WHERE dataset_id = 1 AND idx = ?',
    )
    const records = Array.from(
      test.records.slice(0, 20),
      (r) => lookup.get(r) as { record_id: string; sequence: string },
    )
    store.close()
    fs.writeFileSync(
      path.join(tmp, 'new.fa'),
      records.map((r) => `>${r.record_id}\n${r.sequence}\n`).join(''),
    )

    const r = await seqlab([
      'predict',
      project,
      '--experiment',
      '1',
      '--fasta',
      'new.fa',
      '--out',
      'scores.csv',
    ])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Scored 20 sequences with "logreg /)
    expect(r.stdout).toMatch(/called 1 at threshold .* \(chosen on validation\)/)
    const lines = fs.readFileSync(path.join(tmp, 'scores.csv'), 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('id,score,call')
    lines.slice(1).forEach((line, i) => {
      const [id, score, call] = line.split(',')
      expect(id).toBe(records[i]!.record_id)
      expect(Number(score)).toBeCloseTo(test.scores[i]!, 8)
      expect(call).toBe(Number(score) >= threshold ? '1' : '0')
    })
  })

  it('scans a region into a bedGraph (by the extension) or a CSV, with --json', async () => {
    const r = await seqlab([
      ...['predict', project, '--experiment', '1', '--genome', 'genome.fa'],
      ...['--region', 'chr1:101-600', '--stride', '25', '--out', 'scan.bedGraph', '--json'],
    ])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({
      kind: 'scan',
      region: { chrom: 'chr1', start: 100, end: 600 },
      stride: 25,
      length: LENGTH,
      total: (500 - LENGTH) / 25 + 1,
      format: 'bedgraph',
    })
    const bg = fs.readFileSync(path.join(tmp, 'scan.bedGraph'), 'utf8').trimEnd().split('\n')
    expect(bg[0]).toMatch(/^track type=bedGraph /)
    expect(bg[1]!.split('\t').slice(0, 3)).toEqual(['chr1', '112', '137'])
    expect(bg).toHaveLength(out.total + 1)

    const whole = await seqlab([
      ...['predict', project, '--experiment', '1', '--genome', 'genome.fa', '--region', 'chr1'],
      ...['--out', 'scan.csv'],
    ])
    expect(whole.code).toBe(0)
    expect(whole.stdout).toContain('Scored 20 windows of chr1:1-1,000 (stride 50, 0 with N skipped)')
    const csv = fs.readFileSync(path.join(tmp, 'scan.csv'), 'utf8').split('\n')
    expect(csv[0]).toBe('id,chrom,start,end,score,call')
    expect(csv[1]).toMatch(/^chr1:0-50,chr1,0,50,[\d.e-]+,[01]$/)
  })

  it('says in one line what is wrong, with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--fasta', 'new.fa', '--genome', 'genome.fa'], /Give either --fasta FILE, or --genome FILE/],
      [['--genome', 'genome.fa'], /A scan needs --region/],
      [['--genome', 'genome.fa', '--region', 'chr9:1-100'], /The genome has no chromosome 'chr9'/],
      [['--genome', 'genome.fa', '--region', 'chr1:900-2000'], /not inside chr1/],
      [['--genome', 'genome.fa', '--region', 'chr1:x-y'], /not CHR:START-END/],
      [['--fasta', 'new.fa', '--format', 'bedgraph'], /only a scan of a region can be written/],
      [['--fasta', 'missing.fa'], /missing\.fa/],
    ]
    for (const [args, message] of cases) {
      const r = await seqlab(['predict', project, '--experiment', '1', ...args, '--out', 'x.out'])
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
    const none = await seqlab([
      'predict',
      project,
      '--experiment',
      '7',
      '--fasta',
      'new.fa',
      '--out',
      'x.csv',
    ])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('There is no experiment 7')
  })
})
