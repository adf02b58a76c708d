/**
 * The gene-regulatory-network workflow through the CLI, on a temporary project: `import expression` of the
 * real pbmc_small counts and the gzipped pbmc3k matrix, a malformed matrix failing with one line, exit code 2
 * and the project unchanged, `import pairs` from an edge list with seeded negatives, `split --method
 * tf-folds`, `train` of a tiny CNNC, `edges` (the ranked TSV), and a tiny `demo grn` (hidden small-size
 * flags, 1 epoch, 1 seed) writing summary.json with the network fields.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectStore } from '../../src/app/store/project-store'
import { projectHash, shared, tempDir } from '../fixtures/datasets/support'

const root = path.resolve(__dirname, '../..')
const bin = path.join(root, 'bin', 'seqlab.cjs')
const run = promisify(execFile)
let tmp: string

async function seqlab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd: tmp,
      env: { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'app-data'), NODE_OPTIONS: '' },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

function hashOf(file: string): string {
  const store = ProjectStore.open(file, { readonly: true })
  try {
    return projectHash(store)
  } finally {
    store.close()
  }
}

beforeAll(async () => {
  tmp = tempDir('seqlab-grn-cli-')
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  expect((await seqlab(['project', 'create', 'p.seqlab', '--name', 'GRN'])).code).toBe(0)
}, 60_000)
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('seqlab import expression → import pairs → split → train → edges', () => {
  it('imports both real matrices, refuses a malformed one, and trains CNNC on TF-aware folds', async () => {
    const small = await seqlab([
      'import',
      'expression',
      'p.seqlab',
      path.join(shared, 'expression', 'pbmc_small_counts.csv'),
      '--json',
    ])
    expect(small.code).toBe(0)
    const expression = JSON.parse(small.stdout)
    expect(expression).toMatchObject({ genes: 230, cells: 80, normalization: 'log1p_cp10k' })

    const big = await seqlab([
      'import',
      'expression',
      'p.seqlab',
      path.join(shared, 'expression', 'pbmc3k_160cells_lognorm.csv.gz'),
      '--log1p',
      'no',
    ])
    expect(big.code).toBe(0)
    expect(big.stdout).toMatch(/8,674 genes × 160 cells/)

    fs.writeFileSync(path.join(tmp, 'bad.csv'), 'gene,c1,c2\nA,1,2\nB,3,x\n')
    const before = hashOf(path.join(tmp, 'p.seqlab'))
    const bad = await seqlab(['import', 'expression', 'p.seqlab', 'bad.csv'])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/bad\.csv.*line 3/)
    expect(hashOf(path.join(tmp, 'p.seqlab'))).toBe(before)

    // An edge list of 6 TFs × 4 targets from the matrix's genes; negatives 1:1, seeded.
    const names = fs
      .readFileSync(path.join(shared, 'expression', 'pbmc_small_counts.csv'), 'utf8')
      .split('\n')
      .slice(1, 61)
      .map((line) => line.split(',')[0]!.replace(/"/g, ''))
    const edges = Array.from({ length: 6 }, (_, t) =>
      names.slice(10 + 8 * t, 14 + 8 * t).map((g) => `${names[t]}\t${g}`),
    ).flat()
    fs.writeFileSync(path.join(tmp, 'edges.tsv'), edges.join('\n') + '\n')
    const pairs = await seqlab([
      'import',
      'pairs',
      'p.seqlab',
      'edges.tsv',
      '--expression',
      String(expression.datasetId),
      '--negatives',
      '1',
      '--seed',
      '5',
      '--json',
    ])
    expect(pairs.stderr).toBe('')
    const pairSet = JSON.parse(pairs.stdout)
    expect(pairSet).toMatchObject({ pairs: 48, positives: 24, labelKind: 'binary' })
    expect(pairSet.tfs).toHaveLength(6)

    const split = await seqlab([
      'split',
      'p.seqlab',
      '--dataset',
      String(pairSet.datasetId),
      '--method',
      'tf-folds',
      '--k',
      '3',
      '--seed',
      '1',
      '--json',
    ])
    const splitSummary = JSON.parse(split.stdout)
    expect(splitSummary.parts.map((p: { records: number }) => p.records)).toEqual([16, 16, 16])

    fs.writeFileSync(
      path.join(tmp, 'cnnc.json'),
      JSON.stringify({
        model: { kind: 'cnnc', filters: [2], dense: [4] },
        training: { epochs: 1, batchSize: 16 },
      }),
    )
    const trained = await seqlab([
      'train',
      'p.seqlab',
      '--spec',
      'cnnc.json',
      '--dataset',
      String(pairSet.datasetId),
      '--split',
      String(splitSummary.splitId),
      '--json',
    ])
    expect(trained.code).toBe(0)
    const experiment = JSON.parse(trained.stdout)
    expect(experiment.status).toBe('done')
    expect(experiment.metrics.folds).toHaveLength(3)
    expect(experiment.metrics.network).toMatchObject({ pairs: 48, edges: 24, indirectFpr: null })
    expect(experiment.metrics.network.epr).toBeGreaterThanOrEqual(0)

    const written = await seqlab([
      'edges',
      'p.seqlab',
      '--experiment',
      String(experiment.experimentId),
      '--out',
      'edges-ranked.tsv',
    ])
    expect(written.code).toBe(0)
    const tsv = fs.readFileSync(path.join(tmp, 'edges-ranked.tsv'), 'utf8').trim().split('\n')
    expect(tsv[0]).toBe('Gene1\tGene2\tEdgeWeight\tLabel\tKind\tFold')
    expect(tsv).toHaveLength(49)
    const weights = tsv.slice(1).map((line) => Number(line.split('\t')[2]))
    expect(weights).toEqual([...weights].sort((a, b) => b - a))

    // A sequence model on gene pairs is refused before anything runs.
    const wrong = await seqlab([
      'train',
      'p.seqlab',
      '--dataset',
      String(pairSet.datasetId),
      '--split',
      String(splitSummary.splitId),
      '--model',
      'cnn',
    ])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/cnnc or deepdrim/)
  }, 120_000)
})

describe('seqlab demo grn', () => {
  it('trains both models on a small simulated network and writes summary.json with the network fields', async () => {
    const out = path.join(tmp, 'grn-demo')
    const demo = await seqlab([
      'demo',
      'grn',
      '--out',
      out,
      '--epochs',
      '1',
      '--seeds',
      '1',
      '--tfs',
      '6',
      '--genes',
      '60',
      '--cells',
      '200',
      '--tiny',
    ])
    expect(demo.code).toBe(0)
    expect(demo.stderr).toMatch(/\[deepdrim · seed 7\] fold \d epoch 1\/1/)
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))
    expect(summary.simulator).toMatchObject({ tfs: 6, genes: 60, cells: 200, seed: 7 })
    expect(summary.pairs.indirect).toBeGreaterThan(0)
    expect(summary.experiments.map((e: { model: string }) => e.model)).toEqual(['cnnc', 'deepdrim'])
    for (const e of summary.experiments) {
      for (const key of ['testAuroc', 'testAuprc', 'epr', 'auprcRatio', 'indirectFpr']) {
        expect(e[key]).toBeTypeOf('number')
        expect(e).toHaveProperty(`${key}Sd`)
      }
      expect(e.indirectFpr).toBeGreaterThanOrEqual(0)
      expect(e.indirectFpr).toBeLessThanOrEqual(1)
      expect(e.perSeed).toHaveLength(1)
      expect(e.epochs).toBe(1)
    }
    expect(summary.doneWhen).toEqual({ difference: expect.any(Number), sdSum: null, met: null })
  }, 120_000)
})
