/**
 * The messages between the main thread and a prediction worker (`worker.ts`). The sequences go in as one
 * buffer of alphabet codes with each row's start and end (windows of a region share the region's codes), the
 * scores come back as one Float64Array (a k-fold experiment's mean of its folds' scores); both buffers are transferred, not copied.
 *
 * main → worker: one `predict`, then possibly `cancel`.
 * worker → main: `engine` once, `progress` per chunk of rows, then `result` (scores, or cancelled) or `error`.
 */
import type { MotifCounts } from '../../core/formats/jaspar'
import type { PackedWeights } from '../../core/models/weights'
import type { EngineInfo } from '../../shared/contract'
import type { ExperimentSpec } from '../../shared/contract-experiments'
import type { ErrorData } from '../../shared/errors'

export interface PredictMessage {
  type: 'predict'
  /** The experiment's stored spec (model parsed, defaults filled in). */
  spec: ExperimentSpec
  alphabet: 'dna' | 'protein'
  /** One-hot rows are this long (the data set's longest sequence, as in training). */
  length: number
  /** Best weights of each run; the scores are their mean. Empty for the motif scan. */
  weights: PackedWeights[]
  motifs: MotifCounts[]
  codes: Uint8Array
  /** Row i reads codes[starts[i] … ends[i]). */
  starts: Int32Array
  ends: Int32Array
}

export interface CancelMessage {
  type: 'cancel'
}

export type ToPredictWorker = PredictMessage | CancelMessage

export type FromPredictWorker =
  | { type: 'engine'; engine: EngineInfo }
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; cancelled: boolean; scores: Float64Array | null }
  | { type: 'error'; error: ErrorData; stack?: string }
