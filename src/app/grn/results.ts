/**
 * A finished CNNC / DeepDRIM experiment as a network: every test pair of every run (fold), scored by the
 * model that did not see it, ranked by decreasing score. This is the list a network view draws and the
 * TSV a scientist takes to other tools (BEELINE's `rankedEdges.csv` columns `Gene1 Gene2 EdgeWeight`, tab-
 * separated, plus `Label`, `Kind` and `Fold`). The network metrics of the pooled list are stored with the
 * experiment's metrics when it finishes (runner.ts) and recomputed here for the view.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { NetworkMetrics, RankedEdge } from '../../shared/contract-grn'
import { InputError } from '../../shared/errors'
import { experimentSpec, finishedRuns, storedPredictions } from '../experiments/repository'
import type { ProjectStore } from '../store/project-store'
import { expressionGenes, readPairs } from './store'
import { networkMetrics } from './training'

interface Pooled {
  records: Int32Array
  scores: Float32Array
  folds: Int32Array
}

/** The test predictions of every finished run, concatenated (each pair once: it is tested in one fold). */
function pooledTest(store: ProjectStore, experimentId: number): Pooled {
  const runs = finishedRuns(store, experimentId)
  const parts = runs.map((r) => ({ fold: r.fold, p: storedPredictions(store, experimentId, r.fold, 'test') }))
  const n = parts.reduce((s, x) => s + (x.p?.records.length ?? 0), 0)
  const records = new Int32Array(n)
  const scores = new Float32Array(n)
  const folds = new Int32Array(n)
  let offset = 0
  for (const { fold, p } of parts) {
    if (!p) continue
    records.set(p.records, offset)
    scores.set(p.scores, offset)
    folds.fill(fold, offset, offset + p.records.length)
    offset += p.records.length
  }
  return { records, scores, folds }
}

/** Network metrics of the pooled test predictions (labels and kinds per record of the data set). */
export function pooledNetworkMetrics(
  store: ProjectStore,
  experimentId: number,
  labels: Float32Array,
  kinds: Int8Array | null,
): NetworkMetrics {
  const { records, scores } = pooledTest(store, experimentId)
  return networkMetrics(
    Float32Array.from(records, (r) => labels[r]!),
    scores,
    kinds ? Int8Array.from(records, (r) => kinds[r]!) : null,
  )
}

const KIND_NAMES = ['none', 'direct', 'indirect'] as const

/** Every ranked edge (all of them: the export and the metrics need the whole list). */
function allRankedEdges(
  store: ProjectStore,
  experimentId: number,
): { rows: RankedEdge[]; metrics: NetworkMetrics } {
  const spec = experimentSpec(store, experimentId)
  const pairs = readPairs(store, spec.datasetId)
  const { symbols } = expressionGenes(store, pairs.expressionId)
  const { records, scores, folds } = pooledTest(store, experimentId)
  if (records.length === 0) {
    throw new InputError('grn.no_predictions', `Experiment ${experimentId} has no test predictions yet`, {
      expected: 'a finished experiment',
      found: 'no finished run',
      params: { experimentId },
    })
  }
  const order = Int32Array.from(records, (_, i) => i).sort(
    (x, y) => scores[y]! - scores[x]! || records[x]! - records[y]!,
  )
  const labels = Int8Array.from(records, (r) => (pairs.label[r] === 0 ? 0 : 1))
  const kinds = pairs.kind ? Int8Array.from(records, (r) => pairs.kind![r]!) : null
  const rows = Array.from(order, (i, rank): RankedEdge => {
    const r = records[i]!
    return {
      rank: rank + 1,
      record: r,
      tf: symbols[pairs.a[r]!]!,
      target: symbols[pairs.b[r]!]!,
      score: scores[i]!,
      label: pairs.label[r]!,
      kind: kinds ? KIND_NAMES[kinds[i]!]! : null,
      fold: folds[i]!,
    }
  })
  return { rows, metrics: networkMetrics(labels, scores, kinds) }
}

/** A page of the ranked edge list, with the metrics of the whole list. */
export function rankedEdges(
  store: ProjectStore,
  experimentId: number,
  offset = 0,
  limit = 500,
): { total: number; metrics: NetworkMetrics; rows: RankedEdge[] } {
  const all = allRankedEdges(store, experimentId)
  return { total: all.rows.length, metrics: all.metrics, rows: all.rows.slice(offset, offset + limit) }
}

/** The ranked edge list as TSV lines (header first). */
export function rankedEdgesLines(store: ProjectStore, experimentId: number): string[] {
  const clean = (name: string) => name.replace(/[\t\r\n]/g, ' ')
  const { rows } = allRankedEdges(store, experimentId)
  return [
    ['Gene1', 'Gene2', 'EdgeWeight', 'Label', 'Kind', 'Fold'].join('\t'),
    ...rows.map((r) =>
      [clean(r.tf), clean(r.target), String(r.score), String(r.label), r.kind ?? '', String(r.fold)].join(
        '\t',
      ),
    ),
  ]
}

/**
 * Writes the ranked edge list to `file` (TSV) through a temporary file renamed over it, so a failure never
 * leaves half a file under the user's name; returns the number of edges.
 */
export function exportRankedEdges(
  store: ProjectStore,
  experimentId: number,
  file: string,
): { rows: number; file: string } {
  const lines = rankedEdgesLines(store, experimentId)
  const target = path.resolve(file)
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    fs.writeFileSync(temporary, lines.join('\n') + '\n', { flag: 'wx' })
    fs.renameSync(temporary, target)
  } catch (err) {
    fs.rmSync(temporary, { force: true })
    const code = (err as NodeJS.ErrnoException).code
    if (!code) throw err
    throw new InputError('grn.export_failed', `${path.basename(target)} cannot be written (${code})`, {
      file: path.basename(target),
      expected: 'a file in a folder SeqLab may write to',
      found: code,
      cause: err,
    })
  }
  return { rows: lines.length - 1, file: target }
}
