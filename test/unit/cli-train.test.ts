/**
 * `seqlab train` on a temp project through the built CLI: flags → an experiment trained in a worker, progress
 * on stderr, metrics as JSON on stdout; a spec file with a mistake → one line and exit 2; and a real crash —
 * the CLI process killed with SIGKILL mid-run — leaves the finished epochs, is marked 'interrupted' when the
 * project is next used, and `--resume` finishes it.
 */
import { execFile, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RecordStaging } from '../../src/app/datasets/records'
import { createSplit } from '../../src/app/datasets/splits'
import { reconcileInterrupted } from '../../src/app/experiments/repository'
import { ProjectStore } from '../../src/app/store/project-store'
import { Rng } from '../../src/core/random'

const root = path.resolve(__dirname, '../..')
const bin = path.join(root, 'bin', 'seqlab.cjs')
const run = promisify(execFile)
let tmp: string
let project: string
let env: NodeJS.ProcessEnv

async function seqlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: tmp, env })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

/** 450 windows of 60 bp, a third with TGACTCA planted; a stratified split. */
function makeProject(file: string): void {
  const store = ProjectStore.create(file, { name: 'cli train', appVersion: 'test' })
  try {
    const rng = Rng.seeded(9)
    const staging = new RecordStaging(store)
    for (let i = 0; i < 450; i++) {
      const bases = Array.from({ length: 60 }, () => 'ACGT'[rng.int(4)]!)
      const label = i % 3 === 0 ? 1 : 0
      if (label) bases.splice(rng.int(50), 7, ...'TGACTCA')
      staging.add({
        at: { file: 't', record: i + 1 },
        recordId: `r${i}`,
        sequence: bases.join('').slice(0, 60),
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
      seqLength: 60,
      source: {},
    })
    staging.dispose()
    createSplit(store, datasetId, { method: 'stratified', val: 0.2, test: 0.2, seed: 3 })
  } finally {
    store.close()
  }
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cli-train-')))
  env = { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'app-data'), NODE_OPTIONS: '' }
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  project = path.join(tmp, 'p.seqlab')
  makeProject(project)
}, 60_000)

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('seqlab train', () => {
  it('trains from flags: epochs on stderr, metrics as JSON on stdout', async () => {
    const r = await seqlab([
      'train',
      project,
      '--dataset',
      '1',
      '--split',
      '1',
      '--model',
      'logreg',
      '--encoding',
      'kmer',
      '--k',
      '4',
      '--epochs',
      '3',
      '--batch-size',
      '32',
      '--lr',
      '0.05',
      '--json',
    ])
    expect(r.stderr).toContain('engine: wasm')
    expect(r.stderr.match(/^epoch \d\/3 .*val AUROC/gm)).toHaveLength(3)
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ status: 'done', backend: 'wasm', modelKind: 'logreg' })
    expect(out.epochs).toHaveLength(3)
    expect(out.metrics.test.auroc).toBeGreaterThan(0.8)
    expect(out.metrics.val.threshold).toBe(out.metrics.test.threshold)
  })

  it('reads a JSON spec, and a mistake in it is one line with exit code 2', async () => {
    const good = path.join(tmp, 'spec.json')
    fs.writeFileSync(
      good,
      JSON.stringify({
        name: 'from spec',
        datasetId: 1,
        splitId: 1,
        model: { kind: 'pwm', motifId: 'MA0491.1' },
      }),
    )
    const ok = await seqlab(['train', project, '--spec', good])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/"from spec": done/)
    expect(ok.stdout).toMatch(/test\s+AUROC 0\.\d{4}/)

    const bad = path.join(tmp, 'bad.json')
    fs.writeFileSync(
      bad,
      JSON.stringify({ name: 'bad', datasetId: 1, splitId: 1, model: { kind: 'cnn', layers: 0 } }),
    )
    const failed = await seqlab(['train', project, '--spec', bad])
    expect(failed.code).toBe(2)
    expect(failed.stderr.trim().split('\n')).toHaveLength(1)
    expect(failed.stderr).toContain("Invalid model parameter 'layers'")
  })

  it('a killed run keeps its finished epochs, is marked interrupted, and --resume finishes it', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'train',
        project,
        '--name',
        'killed',
        '--dataset',
        '1',
        '--split',
        '1',
        '--model',
        'logreg',
        '--encoding',
        'kmer',
        '--k',
        '4',
        '--epochs',
        '40',
        '--batch-size',
        '8',
      ],
      { cwd: tmp, env },
    )
    await new Promise<void>((resolve, reject) => {
      let seen = ''
      child.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString()
        // Two finished epochs stored: kill the whole process, worker and all, without warning.
        if (/^epoch 2\/40/m.test(seen)) {
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', () => reject(new Error(`exited before epoch 2: ${seen}`)))
    })
    await new Promise((r) => child.once('exit', r))

    const store = ProjectStore.open(project)
    let id: number
    try {
      const row = store.db.prepare("SELECT id, status FROM experiments WHERE name = 'killed'").get() as {
        id: number
        status: string
      }
      id = row.id
      expect(row.status).toBe('running')
      const epochs = store.db
        .prepare('SELECT count(*) FROM epoch_metrics WHERE experiment_id = ?')
        .pluck()
        .get(id)
      expect(epochs as number).toBeGreaterThanOrEqual(2)
      expect(epochs as number).toBeLessThan(40)
      // Its process is gone, so the next use of the project marks it interrupted.
      expect(reconcileInterrupted(store, () => false)).toEqual([id])
      expect(store.db.prepare('SELECT status FROM experiments WHERE id = ?').pluck().get(id)).toBe(
        'interrupted',
      )
    } finally {
      store.close()
    }

    const resumed = await seqlab(['train', project, '--resume', String(id), '--json'])
    expect(resumed.code).toBe(0)
    const out = JSON.parse(resumed.stdout)
    expect(out.status).toBe('done')
    expect(out.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    )
  })
})

describe('seqlab train with resampling and class weights', () => {
  // The project is made in beforeAll, so the arguments are read when a test runs.
  const base = () => [
    'train',
    project,
    '--dataset',
    '1',
    '--split',
    '1',
    '--epochs',
    '1',
    '--batch-size',
    '32',
  ]

  it('--resample smote --level +100% resamples the training part and prints the counts', async () => {
    const args = [...base(), '--model', 'logreg', '--encoding', 'kmer', '--k', '3']
    const smote = ['--resample', 'smote', '--level', '+100%', '--k-neighbors', '3', '--resample-seed', '5']
    const r = await seqlab([...args, ...smote, '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.spec).toMatchObject({
      weighting: 'none',
      resampling: { method: 'smote', level: 1, k: 3, seed: 5 },
    })
    // 450 windows, a third positive, 60% for training: 180 without the site, 90 with it; +100% → 180.
    expect(out.balance).toEqual([
      {
        fold: 0,
        method: 'smote',
        weighting: 'none',
        classes: [0, 1],
        before: [180, 90],
        after: [180, 180],
        synthetic: [0, 90],
        weightSums: [180, 180],
      },
    ])
    expect(out.metrics.test.records).toBe(90)
    // Without --json: one line says what the model trained on.
    const text = await seqlab([...args, ...smote])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(
      'training set (smote, weights none): class 0 180 → 180; class 1 90 → 180, 90 generated; weight sums 180 / 180',
    )
  })

  it('reads resampling and class weights from a spec file; --class-weight sets custom weights', async () => {
    const file = path.join(tmp, 'resample.json')
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'under',
        datasetId: 1,
        splitId: 1,
        model: { kind: 'logreg' },
        input: { encoding: 'kmer', k: 3 },
        training: { epochs: 1, batchSize: 32 },
        resampling: { method: 'random_under', ratio: 1, seed: 2 },
        weighting: 'custom',
        classWeights: { '1': 2 },
      }),
    )
    const under = await seqlab(['train', project, '--spec', file, '--json'])
    expect(under.code).toBe(0)
    const out = JSON.parse(under.stdout)
    expect(out.balance[0]).toMatchObject({ before: [180, 90], after: [90, 90], weightSums: [90, 180] })

    const flags = await seqlab([...base(), '--model', 'logreg', '--class-weight', '1=3', '--json'])
    expect(flags.code).toBe(0)
    const weighted = JSON.parse(flags.stdout)
    expect(weighted.spec).toMatchObject({ weighting: 'custom', classWeights: { '1': 3 } })
    expect(weighted.balance[0]).toMatchObject({ after: [180, 90], weightSums: [180, 270] })
  })

  it('refuses SMOTE on one-hot sequences and k above the rare class: one line, exit code 2', async () => {
    const onehot = await seqlab([...base(), '--model', 'cnn', '--resample', 'smote'])
    expect(onehot.code).toBe(2)
    expect(onehot.stderr.trim().split('\n')).toHaveLength(1)
    expect(onehot.stderr).toContain('halfway between an A and a G is no base at all')
    const k = await seqlab([
      ...base(),
      '--model',
      'logreg',
      '--encoding',
      'kmer',
      '--resample',
      'adasyn',
      '--k-neighbors',
      '90',
    ])
    expect(k.code).toBe(2)
    expect(k.stderr).toContain('Choose k ≤ 89')
  })
})
