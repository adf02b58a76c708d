/**
 * The gene-regulatory-network demo, end to end in a fresh project: the simulator's network and expression
 * (core/grn/simulator.ts, the fixed parameters: 20 TFs, 400 genes, 2,000 cells, seed 7) stored as an
 * expression data set, its labelled pairs as a gene-pair data set — per TF its direct targets (label 1),
 * ALL its indirect pairs a→c→b (label 0: what DeepDRIM is meant to reject) and unrelated genes up to 1:1 —,
 * TF-aware folds, then CNNC and DeepDRIM with N seeds each, two trainings at a time in worker threads.
 *
 * Every model is scored on its pooled out-of-fold predictions as a network: AUROC, AUPRC, AUPRC ratio, EPR,
 * and `indirectFpr`, the share of indirect pairs among the top-k predicted edges (k = number of true direct
 * edges). Mean ± sd over seeds.
 *
 * Model sizes. The demo keeps CNNC's and DeepDRIM's architecture but narrows it (`DEMO_MODELS`: conv blocks
 * 8-16-32, dense 64; DeepDRIM's shared neighbour CNN 4-8-16 with 16 features per image, n = 10) so that the
 * whole demo (18 runs, 15 epochs, batch 32) fits the time a laptop user waits: the full CNNC trains ~26
 * images/s on the 2-core wasm machine, and DeepDRIM reads 2n + 3 = 23 images per pair. With 642 pairs the
 * narrow networks are not starved of capacity (the full CNNC has 550k weights for ~214 training pairs a fold).
 *
 * Measured (2-core development machine, wasm, other engineers' work loading it to 4–7): 12 min 35 s wall,
 * 565 s CPU; a DeepDRIM run 3–8.5 min, a CNNC run 0.5–1.5 min. Network scores, mean ± sd over 3 seeds:
 * CNNC AUROC 0.885 ± 0.026, AUPRC ratio 2.17 ± 0.06, EPR 1.99 ± 0.09, indirect FPR 0.234 ± 0.035;
 * DeepDRIM AUROC 0.761 ± 0.007, AUPRC ratio 1.89 ± 0.01, EPR 1.62 ± 0.12, indirect FPR 0.301 ± 0.024.
 * On this simulator DeepDRIM does NOT reject indirect pairs better than CNNC: its Hill switches pass a root
 * TF's on/off state down a→c→b almost losslessly, and neither the pair's correlation nor its partial
 * correlation given the partners' top neighbours separates indirect pairs (both leave ~0.44 indirect among
 * the top k); CNNC's image alone reaches 0.23. Longer training (20 epochs), a wider neighbour CNN, and 5
 * TF-aware folds (training on 60% of the TFs instead of a third) did not change that in trials (DeepDRIM
 * 0.24–0.44, CNNC 0.20–0.29 across configurations and seeds: DeepDRIM varies more from seed to seed), and 5
 * folds would have doubled the demo's time.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { simulateGrn, simulatorPairs, type SimulatorParameters } from '../../core/grn'
import type { ExperimentSpecInput } from '../../shared/contract-experiments'
import type { NetworkMetrics } from '../../shared/contract-grn'
import { createSplit } from '../datasets/splits'
import { meanSd } from '../experiments/evaluate'
import { experimentDetail, insertExperiment } from '../experiments/repository'
import { ExperimentRunner, type RunHooks, type Slots } from '../experiments/runner'
import { checkSpec, parseSpec } from '../experiments/spec'
import type { JobManager } from '../jobs/job-manager'
import { ProjectStore } from '../store/project-store'
import { writeExpression, writePairSet } from './store'

/** The demo's narrowed CNNC and DeepDRIM (see the module comment). */
export const DEMO_MODELS = {
  cnnc: { kind: 'cnnc', filters: [8, 16, 32], dense: [64] },
  deepdrim: {
    kind: 'deepdrim',
    neighbours: 10,
    primaryFilters: [8, 16, 32],
    neighbourFilters: [4, 8, 16],
    neighbourUnits: 16,
    dense: [64, 32],
  },
} as const

/** Tiny sizes for tests (`--tiny`, hidden). */
export const TINY_MODELS = {
  cnnc: { kind: 'cnnc', filters: [2], dense: [4] },
  deepdrim: {
    kind: 'deepdrim',
    neighbours: 2,
    primaryFilters: [2],
    neighbourFilters: [2],
    neighbourUnits: 2,
    dense: [4, 4],
  },
} as const

export const GRN_DEMO = {
  folds: 3,
  splitSeed: 7,
  pairSeed: 7,
  batchSize: 32,
  lr: 1e-3,
  negativeRatio: 1,
} as const

export interface GrnDemoOptions {
  outDir: string
  appVersion: string
  epochs: number
  seeds: number
  jobs: JobManager
  slots?: Slots
  /** Simulator overrides (tests); the demo's own are the issue's. */
  simulator?: Partial<SimulatorParameters>
  /** `tiny` model sizes (tests). */
  tiny?: boolean
  hooks?: (name: string) => RunHooks
  onExperimentDone?(row: { name: string; seed: number; indirectFpr: number | null; seconds: number }): void
}

export interface GrnDemoRun {
  seed: number
  experimentId: number
  valAuroc: number | null
  testAuroc: number | null
  testAuprc: number | null
  network: NetworkMetrics | null
  trainSeconds: number
}

const STATS = ['auroc', 'auprc', 'auprcRatio', 'epr', 'indirectFpr'] as const

export interface GrnDemoRow {
  name: string
  model: 'cnnc' | 'deepdrim'
  spec: Record<string, unknown>
  backend: string | null
  epochs: number
  seeds: number
  /** Mean over seeds of the mean over folds. */
  valAuroc: number | null
  valAurocSd: number | null
  /** Network scores of the pooled out-of-fold predictions, mean ± sd over seeds. */
  auroc: number | null
  aurocSd: number | null
  auprc: number | null
  auprcSd: number | null
  auprcRatio: number | null
  auprcRatioSd: number | null
  epr: number | null
  eprSd: number | null
  indirectFpr: number | null
  indirectFprSd: number | null
  trainSeconds: number | null
  trainSecondsSd: number | null
  runs: GrnDemoRun[]
}

export interface GrnDemoResult {
  project: string
  expressionId: number
  pairsId: number
  splitId: number
  simulator: SimulatorParameters
  pairs: { total: number; direct: number; indirect: number; unrelated: number }
  wallSeconds: number
  experiments: GrnDemoRow[]
  /** The bar: DeepDRIM's indirectFpr below CNNC's by more than the two sds added. */
  doneWhen: { difference: number | null; sdSum: number | null; met: boolean | null }
}

export async function runGrnDemo(options: GrnDemoOptions): Promise<GrnDemoResult> {
  const started = performance.now()
  fs.mkdirSync(options.outDir, { recursive: true })
  const file = path.join(path.resolve(options.outDir), 'demo.seqlab')
  const sim = simulateGrn(options.simulator ?? {})
  const pairs = simulatorPairs(sim, { ratio: GRN_DEMO.negativeRatio, seed: GRN_DEMO.pairSeed })
  const store = ProjectStore.create(file, { name: 'GRN demo', appVersion: options.appVersion })
  try {
    const p = sim.parameters
    const expressionId = writeExpression(store, sim.matrix, {
      name: `Simulated expression (${p.genes} genes × ${p.cells} cells, seed ${String(p.seed)})`,
      source: { importer: 'demo', generator: 'grn-simulator', parameters: p },
      integerValued: false,
      maxValue: sim.matrix.data.reduce((m, v) => (v > m ? v : m), 0),
    })
    const pairsId = writePairSet(store, {
      name: 'Simulated TF→target pairs (direct 1; indirect and unrelated 0)',
      expressionId,
      a: pairs.a,
      b: pairs.b,
      label: pairs.label,
      kind: pairs.kind,
      labelKind: 'binary',
      tfs: sim.tfs,
      source: {
        importer: 'demo',
        generator: 'grn-simulator',
        negatives: { ratio: GRN_DEMO.negativeRatio, seed: GRN_DEMO.pairSeed },
      },
    })
    const { splitId } = createSplit(store, pairsId, {
      method: 'tf_folds',
      k: GRN_DEMO.folds,
      seed: GRN_DEMO.splitSeed,
    })
    const models = options.tiny ? TINY_MODELS : DEMO_MODELS
    const runner = new ExperimentRunner(options.jobs, options.slots ? { slots: options.slots } : {})
    const planned: { model: 'cnnc' | 'deepdrim'; seed: number; experimentId: number }[] = []
    // Seed-major, DeepDRIM first: the long runs start early and the short ones fill the gaps.
    for (let s = 0; s < options.seeds; s++) {
      for (const model of ['deepdrim', 'cnnc'] as const) {
        const seed = GRN_DEMO.splitSeed + s
        const input: ExperimentSpecInput = {
          name: `${model} · seed ${seed}`,
          datasetId: pairsId,
          splitId,
          model: models[model] as unknown as ExperimentSpecInput['model'],
          weighting: 'balanced',
          training: { epochs: options.epochs, batchSize: GRN_DEMO.batchSize, optimizer: { lr: GRN_DEMO.lr } },
          seed,
        }
        planned.push({
          model,
          seed,
          experimentId: insertExperiment(store, checkSpec(store, parseSpec(input))),
        })
      }
    }
    const outcomes = await Promise.allSettled(
      planned.map(async (run) => {
        const name = `${run.model} · seed ${run.seed}`
        const job = runner.start(store, run.experimentId, {
          resume: false,
          ...(options.hooks ? { hooks: options.hooks(name) } : {}),
        })
        await job.result
        const d = experimentDetail(store, run.experimentId)
        options.onExperimentDone?.({
          name,
          seed: run.seed,
          indirectFpr: d.metrics?.network?.indirectFpr ?? null,
          seconds: d.metrics?.timings.trainSeconds ?? 0,
        })
      }),
    )
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
    if (failed) throw failed.reason
    const rows = (['cnnc', 'deepdrim'] as const).map((model): GrnDemoRow => {
      const runs = planned
        .filter((r) => r.model === model)
        .map((r): GrnDemoRun => {
          const d = experimentDetail(store, r.experimentId)
          return {
            seed: r.seed,
            experimentId: r.experimentId,
            valAuroc: d.valAuroc,
            testAuroc: d.testAuroc,
            testAuprc: d.testAuprc,
            network: d.metrics?.network ?? null,
            trainSeconds: d.metrics?.timings.trainSeconds ?? 0,
          }
        })
      const stat = (value: (r: GrnDemoRun) => number | null | undefined) =>
        meanSd(runs.map((r) => value(r) ?? null))
      const network = Object.fromEntries(
        STATS.flatMap((key) => {
          const s = stat((r) => r.network?.[key])
          return [
            [key, s.mean],
            [`${key}Sd`, s.sd],
          ]
        }),
      ) as Pick<GrnDemoRow, (typeof STATS)[number] | `${(typeof STATS)[number]}Sd`>
      const first = experimentDetail(store, runs[0]!.experimentId)
      return {
        name: model === 'cnnc' ? 'CNNC (NEPDF image)' : 'DeepDRIM (image + neighbour images)',
        model,
        spec: first.spec.model as Record<string, unknown>,
        backend: first.backend,
        epochs: options.epochs,
        seeds: runs.length,
        valAuroc: stat((r) => r.valAuroc).mean,
        valAurocSd: stat((r) => r.valAuroc).sd,
        ...network,
        trainSeconds: stat((r) => r.trainSeconds).mean,
        trainSecondsSd: stat((r) => r.trainSeconds).sd,
        runs,
      }
    })
    const [cnnc, deepdrim] = rows as [GrnDemoRow, GrnDemoRow]
    const difference =
      cnnc.indirectFpr !== null && deepdrim.indirectFpr !== null
        ? cnnc.indirectFpr - deepdrim.indirectFpr
        : null
    const sdSum =
      cnnc.indirectFprSd !== null && deepdrim.indirectFprSd !== null
        ? cnnc.indirectFprSd + deepdrim.indirectFprSd
        : null
    const count = (k: number) => pairs.kind.filter((v) => v === k).length
    return {
      project: file,
      expressionId,
      pairsId,
      splitId,
      simulator: sim.parameters,
      pairs: { total: pairs.a.length, direct: count(1), indirect: count(2), unrelated: count(0) },
      wallSeconds: (performance.now() - started) / 1000,
      experiments: rows,
      doneWhen: {
        difference,
        sdSum,
        met: difference === null || sdSum === null ? null : difference > sdSum,
      },
    }
  } finally {
    store.close()
  }
}
