/**
 * The messages between the main thread and a training worker (`worker.ts`). Everything large is a typed
 * array whose buffer is transferred (moved, not copied): the data in, weights and scores out.
 *
 * main → worker: one `train` (or `bench`) message, then possibly `cancel`.
 * worker → main: `engine` once, `balance` once (the training set after resampling), `batch` per batch,
 * `epoch` per finished epoch (with the weights and the optimizer state to store), then `result` (scores of
 * val and test) or `error`; `benchResult` for `bench`.
 */
import type { EngineInfo } from '../../shared/contract'
import type { ErrorData } from '../../shared/errors'
import type { ExperimentSpec, TrainingBalance } from '../../shared/contract-experiments'
import type { MotifCounts } from '../../core/formats/jaspar'
import type { PackedWeights } from '../../core/models/weights'
import type { EpochMetrics } from '../../core/training/train'
import type { GrnWorkerData } from '../grn/training'

/** Adam's state with its moments packed into one buffer. */
export interface PackedOptimizerState {
  name: 'adam'
  iterations: number
  moments: PackedWeights
}

/** The data a run needs (see data.ts); the worker builds batches from it. */
export interface WorkerData {
  alphabet: 'dna' | 'protein'
  length: number
  codes: Uint8Array
  offsets: Int32Array
  labels: Float32Array
  /**
   * The data set's own weights per record (`weighting: file`), else null. The worker computes the sample
   * weights itself, after resampling (./resampling.ts `trainingSet`).
   */
  fileWeights: Float32Array | null
  train: Int32Array
  val: Int32Array
  test: Int32Array
  /** Gene-pair data sets: the expression matrix and the pairs' genes (images are made in the worker). */
  grn?: GrnWorkerData
}

/** Where an interrupted run continues from (its last finished epoch). */
export interface ResumeState {
  history: EpochMetrics[]
  lastWeights: PackedWeights
  bestWeights: PackedWeights
  optimizerState: PackedOptimizerState
}

export interface TrainMessage {
  type: 'train'
  /** Parsed spec: the model has every default filled in by the core's schema. */
  spec: ExperimentSpec
  data: WorkerData
  resume?: ResumeState
  /** Matrices the motif scan may use (`pwm` models). */
  motifs: MotifCounts[]
}

export interface BenchMessage {
  type: 'bench'
  engine: 'auto' | 'wasm' | 'cpu'
  /** What to time: training steps of the seed CNN, or inference. */
  task: 'train' | 'infer'
  batchSize: number
  /** Timed batches (after one untimed warm-up batch). */
  batches: number
  /** Workers started together wait for this shared flag so they time the same interval. */
  startFlag?: SharedArrayBuffer
}

export interface CancelMessage {
  type: 'cancel'
}

export type ToWorker = TrainMessage | BenchMessage | CancelMessage

export type FromWorker =
  | { type: 'engine'; engine: EngineInfo }
  /** The training set as trained: class counts before and after resampling, weight sums (once, first). */
  | { type: 'balance'; balance: Omit<TrainingBalance, 'fold'> }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number }
  | {
      type: 'epoch'
      metrics: EpochMetrics
      bestEpoch: number | null
      /** The best weights so far, when this epoch became the best (else unchanged since the last one). */
      bestWeights: PackedWeights | null
      lastWeights: PackedWeights
      optimizerState: PackedOptimizerState
    }
  | {
      type: 'result'
      cancelled: boolean
      stoppedEarly: boolean
      bestEpoch: number | null
      epochsDone: number
      /** Scores of the best weights (or the motif scan), in the order of `data.val` / `data.test`. */
      val: Float32Array | null
      test: Float32Array | null
      /** True when the scores are probabilities (log loss applies). */
      probabilities: boolean
      trainSeconds: number
      evalSeconds: number
    }
  | { type: 'benchResult'; samples: number; seconds: number; engine: EngineInfo }
  | { type: 'error'; error: ErrorData; stack?: string }
