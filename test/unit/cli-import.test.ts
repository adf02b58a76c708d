/**
 * The CLI end to end on a temporary project: import (csv, genome, npy) → split → export, the JSON the
 * commands print, and a bad input failing with one line, exit code 2 and the project unchanged.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectStore } from '../../src/app/store/project-store'
import { fixtures, projectHash, shared, tempDir } from '../fixtures/datasets/support'

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
  tmp = tempDir('seqlab-cli-import-')
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  expect((await seqlab(['project', 'create', 'p.seqlab', '--name', 'CLI'])).code).toBe(0)
}, 60_000)
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('seqlab import → split → export', () => {
  it('imports a genome with peaks, splits it and exports the CSV the reference script reads', async () => {
    const imported = await seqlab([
      'import',
      'genome',
      'p.seqlab',
      path.join(shared, 'genome', '22_20-21M.fa'),
      path.join(fixtures, 'datasets', 'peaks-chr22.bed'),
      '--window',
      '101',
      '--name',
      'chr22 windows',
      '--json',
    ])
    expect(imported.stderr).toBe('')
    expect(imported.code).toBe(0)
    const dataset = JSON.parse(imported.stdout)
    expect(dataset).toMatchObject({ name: 'chr22 windows', seqLength: 101, labelKind: 'binary' })
    expect(dataset.chromosomes[0]).toMatchObject({ chrom: '22', records: dataset.records })
    expect(dataset.chromosomes[0].positives).toBeGreaterThan(0)

    const split = await seqlab([
      'split',
      'p.seqlab',
      '--dataset',
      String(dataset.datasetId),
      '--method',
      'stratified',
      '--val',
      '0.1',
      '--test',
      '0.1',
      '--seed',
      '42',
      '--json',
    ])
    expect(split.code).toBe(0)
    const summary = JSON.parse(split.stdout)
    expect(
      summary.parts.map((p: { records: number }) => p.records).reduce((a: number, b: number) => a + b, 0),
    ).toBe(dataset.records)

    const out = await seqlab([
      'export',
      'p.seqlab',
      '--dataset',
      String(dataset.datasetId),
      '--split',
      String(summary.splitId),
      '--out',
      'windows.csv',
    ])
    expect(out.code).toBe(0)
    expect(out.stdout).toMatch(/^Wrote [\d,]+ rows to windows\.csv/)
    const lines = fs.readFileSync(path.join(tmp, 'windows.csv'), 'utf8').trim().split('\n')
    expect(lines[0]).toBe('seq,label,split')
    expect(lines).toHaveLength(dataset.records + 1)
    const positives = lines.slice(1).filter((l) => l.split(',')[1] === '1').length
    expect(positives).toBe(dataset.chromosomes[0].positives)
    expect(lines.slice(1).every((l) => /^[ACGTN]{101},[01],(train|val|test)$/.test(l))).toBe(true)
  })

  it('imports JunD arrays and CSV with readable output', async () => {
    const jund = (n: string) => path.join(fixtures, 'npy', 'jund', n)
    const npy = await seqlab([
      'import',
      'npy',
      'p.seqlab',
      jund('X_u1.npy'),
      jund('y.npy'),
      jund('w.npy'),
      jund('ids.npy'),
    ])
    expect(npy.code).toBe(0)
    expect(npy.stdout).toMatch(/^Records\s+50 \(dna, binary labels \["0","1"\]\)$/m)
    const csv = await seqlab([
      'import',
      'csv',
      'p.seqlab',
      path.join(fixtures, 'datasets', 'small.csv'),
      '--weight-column',
      'weight',
      '--group-column',
      'group',
      '--length',
      '12',
      '--json',
    ])
    expect(csv.code).toBe(0)
    const small = JSON.parse(csv.stdout)
    expect(small).toMatchObject({ records: 24, seqLength: 12 })
    const kfold = await seqlab([
      'split',
      'p.seqlab',
      '--dataset',
      String(small.datasetId),
      '--method',
      'kfold',
      '--k',
      '3',
      '--group-by',
      'group',
    ])
    expect(kfold.code).toBe(0)
    expect(kfold.stdout).toMatch(/^\s+0\s+\d+ records, \d+ positive$/m)
  })

  it('fails with one line and exit code 2 on a bad file, leaving the project unchanged', async () => {
    const file = path.join(tmp, 'p.seqlab')
    const before = hashOf(file)
    fs.writeFileSync(path.join(tmp, 'bad.csv'), 'sequence,label\nACGT,1\nACGT,2\n')
    const out = await seqlab(['import', 'csv', 'p.seqlab', 'bad.csv'])
    expect(out.code).toBe(2)
    expect(out.stdout).toBe('')
    expect(out.stderr.trim().split('\n')).toEqual([
      "bad.csv, record 2: line 3: the label '2' is neither '0' nor '1' (expected '0' or '1', found '2')",
    ])
    const json = await seqlab(['import', 'csv', 'p.seqlab', 'bad.csv', '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: 'dataset.label_outside_set', file: 'bad.csv', line: 3 },
    })
    const option = await seqlab(['import', 'genome', 'p.seqlab', 'g.fa', 'p.bed', '--rule', 'middle'])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain('rule')
    expect(hashOf(file)).toBe(before)
  })
})
