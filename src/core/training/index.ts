/**
 * Training of the neural models: the loop (progress per batch, metrics per epoch, early stopping, cancel,
 * resume), its resumable Adam, the weighted losses, and scoring a data source for evaluation.
 */
export { Adam, OptimizerSpec, type OptimizerState, type TrainableVariable } from './adam'
export {
  binaryCrossEntropy,
  LOSS_EPSILON,
  perSampleLoss,
  sparseCategoricalCrossEntropy,
  weightedLossSum,
} from './loss'
export {
  EarlyStoppingSpec,
  evaluateScores,
  METRICS,
  predictScores,
  shuffledIndices,
  train,
  TrainingSpec,
  type BatchProgress,
  type BatchSource,
  type EpochMetrics,
  type MonitoredMetric,
  type Scores,
  type TrainingSpecInput,
  type TrainOptions,
  type TrainResult,
} from './train'
