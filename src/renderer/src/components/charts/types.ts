/** The plain data the charts take (the views map the API's results onto these). */
import type { SplitPart } from '../../lib/guidance'

export type { PartCounts, SplitPart } from '../../lib/guidance'

/** Positives in one chromosome or homology cluster. */
export interface GroupCount {
  name: string
  positives: number
  /** All records of the group, for its positive rate. */
  total?: number
  /** Where the split put the group (chromosome hold-out, cluster split). */
  part?: SplitPart
}

/** One epoch of one experiment; missing numbers are null (e.g. AUPRC of a part with one class). */
export interface EpochPoint {
  epoch: number
  trainLoss?: number | null
  valLoss?: number | null
  trainAuroc?: number | null
  valAuroc?: number | null
  trainAuprc?: number | null
  valAuprc?: number | null
}

export interface TrainingRun {
  id: string
  name: string
  epochs: EpochPoint[]
  /** The epoch whose weights were kept. */
  bestEpoch?: number | null
  /** Planned epochs, so a live chart's axis does not jump as epochs arrive. */
  totalEpochs?: number
}

/** One ROC or PR curve: x and y of equal length (ROC: FPR, TPR; PR: recall, precision). */
export interface Curve {
  id: string
  name: string
  x: number[]
  y: number[]
  /** AUROC for ROC, AUPRC (average precision) for PR. */
  area: number | null
}

/** A genomic interval, 0-based half-open like BED. */
export interface Region {
  start: number
  end: number
  label?: string
}

export type EvalPart = Exclude<SplitPart, 'train'>

/** Reliability curve points of one set of probabilities, in both binnings (as an experiment stores them). */
export interface ReliabilityBins {
  quantile: { predicted: number[]; observed: number[]; counts: number[] }
  uniform: { predicted: number[]; observed: number[]; counts: number[] }
}

/** One experiment on a reliability chart: its own probabilities and the calibrated ones. */
export interface ReliabilitySeries {
  id: string
  name: string
  /** The model's own probabilities (dashed); null when its scores are not probabilities. */
  before: ReliabilityBins | null
  /** After calibration (solid); null when not calibrated. */
  after: ReliabilityBins | null
}
