/**
 * Calls of the data workflow: importing data sets (preview, import as a job), listing them, splits,
 * export. Merged into `calls` by `contract.ts`; implemented by `src/app/datasets/handlers.ts`.
 */
export const datasetCalls = {} as const
