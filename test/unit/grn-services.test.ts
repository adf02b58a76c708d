/**
 * The `grn.*` calls through the services' dispatch (every input and output validated by the contract), as a
 * UI would make them: preview and import an expression matrix and an edge list as jobs, the summaries, a
 * TF-aware split, a tiny CNNC experiment, then the ranked edges a network view pages through and their TSV
 * export. Also: a sequence model on pairs and a gene-pair model on sequences are refused by name.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/app/services'
import type { CallInput, CallName, CallOutput, JobInfo } from '../../src/shared/contract'
import { shared } from '../fixtures/datasets/support'

const root = path.resolve(__dirname, '../..')
let tmp: string
let services: Services
let projectId: string

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await services.dispatch(name, input)
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value as CallOutput<N>
}

async function callError<N extends CallName>(name: N, input: CallInput<N>): Promise<{ code?: string }> {
  const result = await services.dispatch(name, input)
  if (result.ok) throw new Error(`${name} succeeded`)
  return result.error as { code?: string }
}

function settled(jobId: string): Promise<JobInfo> {
  return new Promise((resolve) => {
    const check = () => {
      const job = services.jobs.get(jobId)
      if (job && ['done', 'failed', 'cancelled'].includes(job.state)) {
        off()
        resolve(job)
      }
    }
    const off = services.events.subscribe(() => check())
    check()
  })
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-grn-services-')))
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
  services = createServices({
    appVersion: '9.9.9-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: path.join(tmp, 'projects'),
    transport: 'electron',
    onInternalError: () => {},
  })
  projectId = (await call('projects.create', { name: 'GRN' })).projectId
}, 60_000)
afterAll(() => {
  services.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('grn calls', () => {
  it('import, summaries, split, a tiny CNNC, ranked edges and their export', async () => {
    const table = services.files.register(path.join(shared, 'expression', 'pbmc_small_counts.csv'), 'read')
    const preview = await call('grn.previewExpression', { projectId, files: { table } })
    // The preview reads 200 rows of the 230 genes: the cells are known, the genes not yet.
    expect(preview).toMatchObject({ format: 'table', complete: false, genes: null, cells: 80, problems: [] })
    expect(preview.orientation).toMatchObject({ guess: 'genes_in_rows', confidence: 'high' })
    expect(preview.stats?.suggestedNormalization).toBe('log1p_cp10k')
    expect(preview.values[0]).toHaveLength(8)

    const imported = await call('grn.importExpression', { projectId, name: 'pbmc small', files: { table } })
    expect((await settled(imported.jobId)).state).toBe('done')
    const [expression] = await call('datasets.list', { projectId })
    expect(expression).toMatchObject({ kind: 'expression', records: 230 })
    const summary = await call('grn.expressionSummary', { projectId, datasetId: expression!.datasetId })
    expect(summary).toMatchObject({ genes: 230, cells: 80, normalization: 'log1p_cp10k', pairSets: [] })

    // 6 TFs × 4 targets among the first genes.
    const genes = fs
      .readFileSync(path.join(shared, 'expression', 'pbmc_small_counts.csv'), 'utf8')
      .split('\n')
      .slice(1, 61)
      .map((line) => line.split(',')[0]!.replace(/"/g, ''))
    const edgesFile = path.join(tmp, 'edges.tsv')
    fs.writeFileSync(
      edgesFile,
      Array.from({ length: 6 }, (_, t) => genes.slice(10 + 8 * t, 14 + 8 * t).map((g) => `${genes[t]}\t${g}`))
        .flat()
        .join('\n'),
    )
    const edges = services.files.register(edgesFile, 'read')
    const options = { expressionId: expression!.datasetId, negatives: { ratio: 1, seed: 9 } }
    const pairsPreview = await call('grn.previewPairs', { projectId, files: { edges }, options })
    expect(pairsPreview).toMatchObject({ format: 'edges', total: 48, positives: 24, tfs: 6, problems: [] })
    const pairsJob = await call('grn.importPairs', { projectId, name: 'edges', files: { edges }, options })
    expect((await settled(pairsJob.jobId)).state).toBe('done')
    const pairSet = (await call('datasets.list', { projectId })).find((d) => d.kind === 'gene_pairs')!
    const pairSummary = await call('grn.pairSummary', { projectId, datasetId: pairSet.datasetId })
    expect(pairSummary).toMatchObject({
      pairs: 48,
      positives: 24,
      positiveRate: 0.5,
      expressionName: 'pbmc small',
    })

    const { splitId } = await call('splits.create', {
      projectId,
      datasetId: pairSet.datasetId,
      split: { method: 'tf_folds', k: 3, seed: 2 },
    })
    const spec = {
      name: 'tiny cnnc',
      datasetId: pairSet.datasetId,
      splitId,
      model: { kind: 'cnnc' as const, filters: [2], dense: [4] },
      training: { epochs: 1, batchSize: 16 },
    }
    expect(
      (await callError('experiments.create', { projectId, spec: { ...spec, model: { kind: 'cnn' } } })).code,
    ).toBe('experiment.bad_spec')
    const { experimentId } = await call('experiments.create', { projectId, spec })
    const run = await call('experiments.run', { projectId, experimentId })
    expect((await settled(run.jobId)).state).toBe('done')

    const page = await call('grn.rankedEdges', { projectId, experimentId, offset: 5, limit: 10 })
    expect(page.total).toBe(48)
    expect(page.rows.map((r) => r.rank)).toEqual(Array.from({ length: 10 }, (_, i) => 6 + i))
    expect(page.metrics).toMatchObject({ pairs: 48, edges: 24, indirectFpr: null })
    const detail = await call('experiments.get', { projectId, experimentId })
    expect(detail.metrics?.network).toEqual(page.metrics)

    const target = services.files.register(path.join(tmp, 'ranked.tsv'), 'write')
    expect(await call('grn.exportEdges', { projectId, experimentId, target })).toMatchObject({ rows: 48 })
    expect(fs.readFileSync(path.join(tmp, 'ranked.tsv'), 'utf8').split('\n')[0]).toBe(
      'Gene1\tGene2\tEdgeWeight\tLabel\tKind\tFold',
    )
    const noPairs = await callError('grn.pairSummary', { projectId, datasetId: expression!.datasetId })
    expect(noPairs.code).toBe('grn.not_pairs')
  }, 120_000)
})
