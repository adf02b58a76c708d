/**
 * Handlers of the gene-regulatory-network calls (`src/shared/contract-grn.ts`): file references resolved to
 * paths, imports run as jobs (progress in `job.updated`, cancellable; `project.changed` once committed).
 * `startExpressionImport` and `startPairsImport` are exported for the CLI and tests.
 */
import type { FileRef } from '../../shared/contract'
import type {
  ExpressionFiles,
  ExpressionImportOptions,
  ExpressionSummary,
  grnCalls,
  PairSetSummary,
  PairsFiles,
  PairsImportOptions,
} from '../../shared/contract-grn'
import type { StartedJob } from '../jobs/job-manager'
import type { HandlerGroup, ServiceContext } from '../services/context'
import { inputFile, type InputFile } from '../datasets/sources'
import { importExpression, previewExpression, type ExpressionInput } from './import-expression'
import { importPairs, previewPairs, type PairsInput } from './import-pairs'
import { exportRankedEdges, rankedEdges } from './results'
import { expressionSummary, pairSetSummary } from './store'

function resolver(ctx: ServiceContext) {
  return (ref: FileRef): InputFile => inputFile(ctx.files.resolve(ref, 'read'), ref.name)
}

export function resolveExpressionFiles(ctx: ServiceContext, files: ExpressionFiles): ExpressionInput {
  const file = resolver(ctx)
  if ('table' in files) return { table: file(files.table) }
  if ('h5' in files) return { h5: file(files.h5) }
  return {
    matrix: file(files.matrix),
    ...(files.features ? { features: file(files.features) } : {}),
    ...(files.barcodes ? { barcodes: file(files.barcodes) } : {}),
  }
}

export function resolvePairsFiles(ctx: ServiceContext, files: PairsFiles): PairsInput {
  const file = resolver(ctx)
  const tfs = files.tfs ? { tfs: file(files.tfs) } : {}
  return 'pairs' in files ? { pairs: file(files.pairs), ...tfs } : { edges: file(files.edges), ...tfs }
}

function changed(ctx: ServiceContext, projectId: string): void {
  if (ctx.projects.isOpen(projectId)) {
    ctx.events.emit('project.changed', { projectId, summary: ctx.projects.summary(projectId) })
  }
}

/** Starts an expression import job; its result is the new data set's summary. */
export function startExpressionImport(
  ctx: ServiceContext,
  projectId: string,
  name: string,
  files: ExpressionInput,
  options: ExpressionImportOptions,
): StartedJob<ExpressionSummary> {
  const store = ctx.projects.get(projectId)
  return ctx.jobs.start({
    kind: 'dataset.import',
    title: `Import ${name}`,
    projectId,
    run: async ({ signal, progress }) => {
      const datasetId = await importExpression(store, name, files, options, { signal, progress })
      changed(ctx, projectId)
      return expressionSummary(store, datasetId)
    },
  })
}

/** Starts a gene-pair import job; its result is the new pair set's summary. */
export function startPairsImport(
  ctx: ServiceContext,
  projectId: string,
  name: string,
  files: PairsInput,
  options: PairsImportOptions,
): StartedJob<PairSetSummary> {
  const store = ctx.projects.get(projectId)
  return ctx.jobs.start({
    kind: 'dataset.import',
    title: `Import ${name}`,
    projectId,
    run: async ({ signal, progress }) => {
      const datasetId = await importPairs(store, name, files, options, { signal, progress })
      changed(ctx, projectId)
      return pairSetSummary(store, datasetId)
    },
  })
}

export function grnHandlers(ctx: ServiceContext): HandlerGroup<keyof typeof grnCalls> {
  const store = (projectId: string) => ctx.projects.get(projectId)
  return {
    'grn.previewExpression': ({ projectId, files, options }) => {
      store(projectId)
      return previewExpression(resolveExpressionFiles(ctx, files), options)
    },
    'grn.importExpression': ({ projectId, name, files, options }) => ({
      jobId: startExpressionImport(ctx, projectId, name, resolveExpressionFiles(ctx, files), options).jobId,
    }),
    'grn.expressionSummary': ({ projectId, datasetId }) => expressionSummary(store(projectId), datasetId),
    'grn.previewPairs': ({ projectId, files, options }) =>
      previewPairs(store(projectId), resolvePairsFiles(ctx, files), options),
    'grn.importPairs': ({ projectId, name, files, options }) => ({
      jobId: startPairsImport(ctx, projectId, name, resolvePairsFiles(ctx, files), options).jobId,
    }),
    'grn.pairSummary': ({ projectId, datasetId }) => pairSetSummary(store(projectId), datasetId),
    'grn.rankedEdges': ({ projectId, experimentId, offset, limit }) =>
      rankedEdges(store(projectId), experimentId, offset, limit),
    'grn.exportEdges': ({ projectId, experimentId, target }) =>
      exportRankedEdges(store(projectId), experimentId, ctx.files.resolve(target, 'write')),
  }
}
