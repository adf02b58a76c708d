/**
 * `seqlab demo tf-binding` end to end on a reduced demo (hidden `--windows`, 1 epoch, 1 seed): the project
 * holds the demo data set, the chromosome hold-out split and one experiment per model; summary.json has the
 * issue's fields for the ablation, the 4-mer logistic regression and the motif scan, which — being the very
 * matrix the sites were drawn from — ranks the bound windows almost perfectly.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectStore } from '../../src/app/store/project-store'

const root = path.resolve(__dirname, '../..')
const run = promisify(execFile)
let tmp: string

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-demo-')))
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
}, 60_000)

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('seqlab demo tf-binding', () => {
  it('runs the ablation and both baselines and writes summary.json', async () => {
    const out = path.join(tmp, 'demo-out')
    const { stdout, stderr } = await run(
      process.execPath,
      [
        path.join(root, 'bin', 'seqlab.cjs'),
        'demo',
        'tf-binding',
        '--out',
        out,
        '--epochs',
        '1',
        '--seeds',
        '1',
        '--windows',
        '5000',
      ],
      { cwd: tmp, env: { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'app-data'), NODE_OPTIONS: '' } },
    )
    expect(stderr).toMatch(/\[cnn full \(dropout \+ weights\) · seed 42\] epoch 1\/1/)
    expect(stdout).toMatch(/motif scan JUND MA0491\.1\s+0\.9\d\d/)

    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))
    expect(summary.windows).toBe(5000)
    const byModel = summary.experiments.map(
      (e: { name: string; model: string; seeds: number; epochs: number }) => [
        e.name,
        e.model,
        e.seeds,
        e.epochs,
      ],
    )
    expect(byModel).toEqual([
      ['cnn full (dropout + weights)', 'cnn', 1, 1],
      ['cnn no dropout', 'cnn', 1, 1],
      ['cnn no weights', 'cnn', 1, 1],
      ['logreg 4-mer', 'logreg', 1, 1],
      ['motif scan JUND MA0491.1', 'pwm', 1, 0],
    ])
    for (const e of summary.experiments) {
      for (const key of ['valAuroc', 'valAuprc', 'testAuroc', 'testAuprc', 'trainSeconds']) {
        expect(typeof e[key], `${e.name} ${key}`).toBe('number')
      }
      expect(e.backend).toBe('wasm')
      expect(e.valAurocSd).toBeNull() // one seed: no sd
      expect(e.perSeed).toHaveLength(1)
      expect(e.perSeed[0].valAuroc).toBe(e.valAuroc)
    }
    const pwm = summary.experiments[4]
    expect(pwm.valAuroc).toBeGreaterThan(0.95)

    const store = ProjectStore.open(path.join(out, 'demo.seqlab'), { readonly: true })
    try {
      expect(store.counts()).toEqual({ datasets: 1, splits: 1, experiments: 5 })
      const parts = store.db
        .prepare(
          `SELECT r.chrom, a.part, count(*) AS n FROM split_assignments a JOIN records r
           ON r.dataset_id = 1 AND r.idx = a.record_idx GROUP BY r.chrom, a.part ORDER BY r.chrom`,
        )
        .all()
      expect(parts).toEqual([
        { chrom: 'chrA', part: 'train', n: 1000 },
        { chrom: 'chrB', part: 'train', n: 1000 },
        { chrom: 'chrC', part: 'train', n: 1000 },
        { chrom: 'chrD', part: 'val', n: 1000 },
        { chrom: 'chrE', part: 'test', n: 1000 },
      ])
      const statuses = store.db.prepare('SELECT DISTINCT status FROM experiments').pluck().all()
      expect(statuses).toEqual(['done'])
      // The demo's CNN: the seed's layers with a global-max head, batches of 100, both strands (demo.ts).
      const specs = store.db
        .prepare(`SELECT spec FROM experiments WHERE name LIKE 'cnn%' ORDER BY id`)
        .pluck()
        .all()
        .map((json) => JSON.parse(json as string))
      expect(specs.map((s) => [s.model.head, s.model.dropout, s.weighting])).toEqual([
        ['globalMax', 0.5, 'balanced'],
        ['globalMax', 0, 'balanced'],
        ['globalMax', 0.5, 'none'],
      ])
      for (const s of specs) {
        expect(s.model).toMatchObject({ filters: 15, kernelSize: 10, layers: 3 })
        expect(s.training.batchSize).toBe(100)
        expect(s.input.reverseComplementAugment).toBe(true)
      }
    } finally {
      store.close()
    }
  }, 120_000)

  it('refuses an unknown demo with one line and exit code 2', async () => {
    const err = await run(
      process.execPath,
      [path.join(root, 'bin', 'seqlab.cjs'), 'demo', 'no-such-demo', '--out', tmp],
      {
        cwd: tmp,
      },
    ).catch((e: { code: number; stderr: string }) => e)
    expect((err as { code: number }).code).toBe(2)
    expect((err as { stderr: string }).stderr).toContain('There is no demo called "no-such-demo"')
  })
})
