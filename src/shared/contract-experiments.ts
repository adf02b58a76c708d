/**
 * Calls of the experiment workflow: creating and running experiments (training jobs), their curves,
 * metrics and predictions, comparison, prediction on new data. Merged into `calls` by `contract.ts`;
 * implemented by `src/app/experiments/handlers.ts`.
 */
export const experimentCalls = {} as const
