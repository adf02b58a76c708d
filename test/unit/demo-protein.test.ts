/**
 * The protein workflow through the built CLI, on a reduced demo (hidden `--families 5`: 200 proteins, 8
 * epochs, 1 seed): `seqlab demo protein` writes summary.json (the TF-binding demo's fields per entry plus
 * `split` and `macroF1`, the splits and the drop), the homology split in it has no held-out protein at
 * identity ≥ 0.3 to training, and the models score lower on it than on the random split; then
 * `seqlab split PROJECT DATASET --method homology --threshold 0.3` on the same project prints and stores
 * the leakage report. The demo data generator's determinism is checked too.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getSplit } from '../../src/app/datasets/splits'
import { ProjectStore } from '../../src/app/store/project-store'
import { proteinDemo } from '../../src/core/demo/protein'

const root = path.resolve(__dirname, '../..')
const run = promisify(execFile)
let tmp: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-demo-protein-')))
  env = { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'app-data'), NODE_OPTIONS: '' }
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
}, 60_000)

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

const seqlab = (args: string[]) =>
  run(process.execPath, [path.join(root, 'bin', 'seqlab.cjs'), ...args], { cwd: tmp, env })

describe('protein demo data', () => {
  it('is deterministic: families of related proteins in balanced classes', () => {
    const a = proteinDemo({ familiesPerClass: 2, membersPerFamily: 3 })
    expect(proteinDemo({ familiesPerClass: 2, membersPerFamily: 3 })).toEqual(a)
    expect(a).toHaveLength(4 * 2 * 3)
    expect(a[0]!.id).toBe('c1_f1_m1')
    expect(new Set(a.map((r) => r.label))).toEqual(new Set(['class1', 'class2', 'class3', 'class4']))
    expect(a.every((r) => r.sequence.length >= 100 && /^[ACDEFGHIKLMNPQRSTVWY]+$/.test(r.sequence))).toBe(
      true,
    )
    expect(proteinDemo({ familiesPerClass: 2, membersPerFamily: 3, seed: 8 })).not.toEqual(a)
  })
})

describe('seqlab demo protein and seqlab split --method homology', () => {
  it('shows the drop from a random to a homology split, and stores the leakage report', async () => {
    const out = path.join(tmp, 'out')
    const demo = await seqlab([
      'demo',
      'protein',
      '--out',
      out,
      '--families',
      '5',
      '--epochs',
      '8',
      '--seeds',
      '1',
    ])
    expect(demo.stderr).toMatch(/logreg DPC · homology split · seed 42: test macro F1/)
    expect(demo.stdout).toMatch(/Drop from random to homology split, logreg DPC: macro F1/)

    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))
    expect(summary.records).toBe(200)
    expect(summary.experiments.map((e: { model: string; split: string }) => `${e.model}/${e.split}`)).toEqual(
      ['logreg/random', 'mlp/random', 'logreg/homology', 'mlp/homology'],
    )
    for (const e of summary.experiments) {
      for (const key of ['valAuroc', 'valAuprc', 'testAuroc', 'testAuprc', 'macroF1', 'trainSeconds']) {
        expect(typeof e[key], key).toBe('number')
      }
      expect(e.perSeed).toHaveLength(1)
      expect(e.perSeed[0].confusion).toHaveLength(4)
    }
    const l = summary.splits.homology.leakage
    expect(l).toMatchObject({ threshold: 0.3, checked: 'all', above: 0 })
    expect(l.maxIdentity).toBeLessThan(0.3)
    const f1 = (model: string, split: string) =>
      summary.experiments.find(
        (e: { model: string; split: string }) => e.model === model && e.split === split,
      ).macroF1 as number
    expect(f1('logreg', 'random')).toBeGreaterThan(f1('logreg', 'homology'))
    expect(summary.drop.map((d: { model: string }) => d.model)).toEqual(['logreg DPC', 'mlp 3×200 DPC'])

    const project = path.join(out, 'demo.seqlab')
    const split = await seqlab([
      'split',
      project,
      '1',
      '--method',
      'homology',
      '--threshold',
      '0.3',
      '--seed',
      '5',
    ])
    expect(split.stdout).toMatch(/above\s+0 at identity ≥ 0\.3/)
    expect(split.stdout).toMatch(/checked\s+all \d+ held-out sequences/)
    const store = ProjectStore.open(project, { appVersion: '0.0.0-test' })
    try {
      const stored = getSplit(store, 3)
      expect(stored.method).toBe('homology')
      expect(stored.params).toMatchObject({ threshold: 0.3, seed: 5, tool: 'builtin' })
      expect(stored.leakage?.above).toBe(0)
    } finally {
      store.close()
    }
  }, 240_000)
})
