/**
 * The protein demo, end to end in a fresh project (`seqlab demo protein --out DIR`): the core's protein
 * families by mutation (src/core/demo/protein.ts: 4 classes × 15 families × 10 members, ~150 residues)
 * stored as a multi-class data set; two frozen splits of it, a random one (stratified 80/10/10) and a
 * homology one (identity < 0.3 between training and validation/test, with its leakage report); on each,
 * the multinomial logistic regression and the protein seed's MLP (3 × 200, batch norm, ReLU, dropout, Adam
 * lr 1e-3 β 0.9/0.99, batch 64, early stopping on validation loss) on dipeptide composition (400 columns,
 * standardised with the training part's means and sds), N seeds each. Reports per model and split mean ± sd
 * of validation/test macro AUROC and AUPRC (one-vs-rest), test macro F1 and accuracy, and the drop from the
 * random to the homology split: what leakage had been worth.
 *
 * Why in-process and not through the experiment runner: experiments train binary classifiers (their stored
 * metrics, calibration and predictions are binary); the multi-class models and metrics here come straight
 * from the core (`buildModel` with `numClasses`, `train`, `precisionRecallF1` exact to scikit-learn). The
 * data set and both splits are stored in DIR/demo.seqlab, so `seqlab split`/export see them.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { PROTEIN_DEMO } from '../../core/demo/protein'
import { accuracy, confusionMatrix, precisionRecallF1 } from '../../core/metrics'
import { buildModel } from '../../core/models/build'
import { PROTEIN } from '../../core/sequence/alphabet'
import { proteinFeatureBatch } from '../../core/sequence/protein-features'
import { partIndices, TEST, TRAIN, VAL } from '../../core/splits/summary'
import { evaluateScores, predictScores, train, type BatchSource } from '../../core/training/train'
import type { LeakageSummary } from '../../shared/contract-datasets'
import { storeProteinDemo } from '../datasets/protein-demo'
import { createSplit, storedAssignments } from '../datasets/splits'
import { getEngineInfo } from '../engine'
import { ProjectStore } from '../store/project-store'
import { meanSd } from './evaluate'

export interface ProteinDemoOptions {
  outDir: string
  appVersion: string
  epochs: number
  seeds: number
  /** Hidden, for tests: fewer families per class (default 15). */
  familiesPerClass?: number
  onProgress?(line: string): void
}

export interface ProteinDemoRun {
  seed: number
  valAuroc: number | null
  valAuprc: number | null
  testAuroc: number | null
  testAuprc: number | null
  macroF1: number
  weightedF1: number
  accuracy: number
  bestEpoch: number | null
  epochs: number
  trainSeconds: number
  /** Test confusion matrix, rows true class, columns predicted, classes in `classes` order. */
  confusion: number[][]
}

export interface ProteinDemoRow {
  name: string
  model: 'logreg' | 'mlp'
  split: 'random' | 'homology'
  backend: string
  epochs: number
  seeds: number
  valAuroc: number | null
  valAurocSd: number | null
  valAuprc: number | null
  valAuprcSd: number | null
  testAuroc: number | null
  testAurocSd: number | null
  testAuprc: number | null
  testAuprcSd: number | null
  macroF1: number | null
  macroF1Sd: number | null
  accuracy: number | null
  trainSeconds: number | null
  trainSecondsSd: number | null
  runs: ProteinDemoRun[]
}

export interface ProteinDemoResult {
  project: string
  records: number
  classes: string[]
  splits: {
    random: { splitId: number; train: number; val: number; test: number }
    homology: { splitId: number; train: number; val: number; test: number; leakage: LeakageSummary }
  }
  wallSeconds: number
  experiments: ProteinDemoRow[]
  /** Per model: test macro F1 and AUROC on the random split minus on the homology split. */
  drop: { model: string; macroF1: number | null; testAuroc: number | null }[]
}

const MODELS = [
  { name: 'logreg DPC', spec: { kind: 'logreg' as const }, lr: 1e-2 },
  { name: 'mlp 3×200 DPC', spec: { kind: 'mlp' as const }, lr: 1e-3 },
]

/** Standardised dipeptide composition of every record (train part's means and sds). */
function features(seqs: Uint8Array[], trainRows: Int32Array): Float32Array {
  const d = 400
  const x = proteinFeatureBatch(
    seqs,
    Int32Array.from(seqs, (_, i) => i),
    'dpc',
  )
  const mean = new Float64Array(d)
  const sq = new Float64Array(d)
  for (const i of trainRows) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j]!
      mean[j] = mean[j]! + v
      sq[j] = sq[j]! + v * v
    }
  }
  const n = trainRows.length
  for (let j = 0; j < d; j++) {
    mean[j] = mean[j]! / n
    const sd = Math.sqrt(Math.max(0, sq[j]! / n - mean[j]! * mean[j]!))
    sq[j] = sd > 1e-12 ? sd : 1
  }
  for (let i = 0; i < seqs.length; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = (x[i * d + j]! - mean[j]!) / sq[j]!
  }
  return x
}

function source(x: Float32Array, y: Float32Array, rows: Int32Array, d: number): BatchSource {
  return {
    size: rows.length,
    sampleShape: [d],
    batch(indices) {
      const xs = new Float32Array(indices.length * d)
      const ys = new Float32Array(indices.length)
      indices.forEach((r, b) => {
        const i = rows[r]!
        xs.set(x.subarray(i * d, (i + 1) * d), b * d)
        ys[b] = y[i]!
      })
      return { x: xs, y: ys }
    },
  }
}

function argmax(scores: Float32Array, k: number): Float64Array {
  const out = new Float64Array(scores.length / k)
  for (let i = 0; i < out.length; i++) {
    let best = 0
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c
    out[i] = best
  }
  return out
}

export async function runProteinDemo(options: ProteinDemoOptions): Promise<ProteinDemoResult> {
  const started = performance.now()
  const engine = await getEngineInfo()
  fs.mkdirSync(options.outDir, { recursive: true })
  const file = path.join(path.resolve(options.outDir), 'demo.seqlab')
  fs.rmSync(file, { force: true })
  const store = ProjectStore.create(file, { name: 'Protein demo', appVersion: options.appVersion })
  try {
    const familiesPerClass = options.familiesPerClass ?? PROTEIN_DEMO.familiesPerClass
    const datasetId = storeProteinDemo(store, { familiesPerClass })
    const rows = store.db
      .prepare('SELECT sequence, label FROM records WHERE dataset_id = ? ORDER BY idx')
      .raw()
      .all(datasetId) as [string, string][]
    const classes = [...new Set(rows.map((r) => r[1]))].sort()
    const seqs = rows.map((r) => PROTEIN.toCodes(r[0]))
    const y = Float32Array.from(rows, (r) => classes.indexOf(r[1]))
    const k = classes.length
    options.onProgress?.(`data set: ${rows.length} proteins, ${k} classes`)
    const random = createSplit(store, datasetId, { method: 'stratified', val: 0.1, test: 0.1, seed: 42 })
    options.onProgress?.('homology split at identity 0.3 …')
    const homology = createSplit(store, datasetId, {
      method: 'homology',
      threshold: 0.3,
      val: 0.1,
      test: 0.1,
      seed: 42,
      tool: 'builtin',
      verify: 'all',
    })
    const splits = { random, homology }
    const partsOf = (splitId: number) => storedAssignments(store, splitId, rows.length).assignments
    const rowsOut: ProteinDemoRow[] = []
    for (const splitName of ['random', 'homology'] as const) {
      const parts = partsOf(splits[splitName].splitId)
      const trainRows = partIndices(parts, TRAIN)
      const valRows = partIndices(parts, VAL)
      const testRows = partIndices(parts, TEST)
      const x = features(seqs, trainRows)
      for (const model of MODELS) {
        const runs: ProteinDemoRun[] = []
        for (let s = 0; s < options.seeds; s++) {
          const seed = 42 + s
          const net = buildModel({ ...model.spec, numClasses: k }, { inputShape: [400], seed })
          const t0 = performance.now()
          const result = await train({
            model: net,
            data: { train: source(x, y, trainRows, 400), val: source(x, y, valRows, 400) },
            optimizer: { name: 'adam', lr: model.lr, beta1: 0.9, beta2: 0.99 },
            epochs: options.epochs,
            batchSize: 64,
            seed,
            earlyStopping: { metric: 'val_loss', patience: 5 },
          })
          const trainSeconds = (performance.now() - t0) / 1000
          const val = predictScores(net, source(x, y, valRows, 400), 1000)
          const test = predictScores(net, source(x, y, testRows, 400), 1000)
          net.dispose()
          const valEval = evaluateScores(val.scores, val.y, undefined, k)
          const testEval = evaluateScores(test.scores, test.y, undefined, k)
          const predicted = argmax(test.scores, k)
          const labels = classes.map((_, c) => c)
          const run: ProteinDemoRun = {
            seed,
            valAuroc: valEval.valAuroc,
            valAuprc: valEval.valAuprc,
            testAuroc: testEval.valAuroc,
            testAuprc: testEval.valAuprc,
            macroF1: precisionRecallF1(test.y, predicted, { average: 'macro', labels }).f1,
            weightedF1: precisionRecallF1(test.y, predicted, { average: 'weighted', labels }).f1,
            accuracy: accuracy(test.y, predicted),
            bestEpoch: result.bestEpoch ?? null,
            epochs: result.history.length,
            trainSeconds,
            confusion: confusionMatrix(test.y, predicted, { labels }).matrix,
          }
          runs.push(run)
          options.onProgress?.(
            `${model.name} · ${splitName} split · seed ${seed}: test macro F1 ${run.macroF1.toFixed(3)}, ` +
              `AUROC ${run.testAuroc?.toFixed(3) ?? '–'} (${run.epochs} epochs, ${trainSeconds.toFixed(1)} s)`,
          )
        }
        const stat = (key: keyof ProteinDemoRun) => meanSd(runs.map((r) => r[key] as number | null))
        rowsOut.push({
          name: `${model.name} · ${splitName} split`,
          model: model.spec.kind,
          split: splitName,
          backend: engine.backend,
          epochs: options.epochs,
          seeds: runs.length,
          valAuroc: stat('valAuroc').mean,
          valAurocSd: stat('valAuroc').sd,
          valAuprc: stat('valAuprc').mean,
          valAuprcSd: stat('valAuprc').sd,
          testAuroc: stat('testAuroc').mean,
          testAurocSd: stat('testAuroc').sd,
          testAuprc: stat('testAuprc').mean,
          testAuprcSd: stat('testAuprc').sd,
          macroF1: stat('macroF1').mean,
          macroF1Sd: stat('macroF1').sd,
          accuracy: stat('accuracy').mean,
          trainSeconds: stat('trainSeconds').mean,
          trainSecondsSd: stat('trainSeconds').sd,
          runs,
        })
      }
    }
    const count = (splitId: number) => {
      const parts = partsOf(splitId)
      return {
        splitId,
        train: partIndices(parts, TRAIN).length,
        val: partIndices(parts, VAL).length,
        test: partIndices(parts, TEST).length,
      }
    }
    const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b)
    return {
      project: file,
      records: rows.length,
      classes,
      splits: {
        random: count(random.splitId),
        homology: { ...count(homology.splitId), leakage: homology.summary.leakage! },
      },
      wallSeconds: (performance.now() - started) / 1000,
      experiments: rowsOut,
      drop: MODELS.map((m) => {
        const r = rowsOut.find((row) => row.model === m.spec.kind && row.split === 'random')!
        const h = rowsOut.find((row) => row.model === m.spec.kind && row.split === 'homology')!
        return {
          model: m.name,
          macroF1: diff(r.macroF1, h.macroF1),
          testAuroc: diff(r.testAuroc, h.testAuroc),
        }
      }),
    }
  } finally {
    store.close()
  }
}
