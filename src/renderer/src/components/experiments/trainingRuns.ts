import type { ExperimentDetail } from '../../../../shared/contract-experiments'
import type { TrainingRun } from '../charts/types'

/** Planned epochs of an experiment, from its stored spec (every default filled in). */
export function plannedEpochs(detail: ExperimentDetail): number | undefined {
  const training = detail.spec.training as { epochs?: unknown } | undefined
  return typeof training?.epochs === 'number' ? training.epochs : undefined
}

/**
 * An experiment's per-epoch curves as the chart takes them. A k-fold experiment shows its latest fold (the
 * one training now, or the last); the folds' mean ± sd are in the metrics table.
 */
export function trainingRun(detail: ExperimentDetail): TrainingRun {
  const fold = Math.max(0, ...detail.epochs.map((e) => e.fold))
  return {
    id: String(detail.experimentId),
    name: detail.name,
    epochs: detail.epochs
      .filter((e) => e.fold === fold)
      .map((e) => ({
        epoch: e.epoch,
        trainLoss: e.trainLoss,
        valLoss: e.valLoss,
        valAuroc: e.valAuroc,
        valAuprc: e.valAuprc,
      })),
    bestEpoch: detail.bestEpoch,
    // While it trains the axis spans the planned epochs (no jumps); after that, the epochs it ran.
    totalEpochs:
      detail.status === 'queued' || detail.status === 'running' ? plannedEpochs(detail) : undefined,
  }
}
