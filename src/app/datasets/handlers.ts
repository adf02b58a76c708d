/**
 * Handlers of the data workflow's calls (`src/shared/contract-datasets.ts`): they turn the UI's file
 * references into paths, find the project's store, and call the data set modules. An import runs as a job
 * (progress in `job.updated`, cancellable); when it has committed, `project.changed` tells every window.
 * `startImport` is exported for the CLI and tests, which want the job's result as well as its id.
 */
import type { ImportRequest } from '../../shared/contract-datasets'
import type { datasetCalls } from '../../shared/contract-datasets'
import type { FileRef } from '../../shared/contract'
import type { HandlerGroup, ServiceContext } from '../services/context'
import type { StartedJob } from '../jobs/job-manager'
import { exportSplitCsv } from './export'
import { importDataset, previewImport, type ResolvedImport } from './importers'
import { datasetSummary, deleteDataset, listDatasets } from './queries'
import { inputFile, type InputFile } from './sources'
import { createSplit, getSplit, listSplits } from './splits'
import { datasetPca } from './pca'
import type { DatasetSummary } from '../../shared/contract-datasets'

/** The request with every file reference resolved to a readable path. */
export function resolveImport(ctx: ServiceContext, request: ImportRequest): ResolvedImport {
  const file = (ref: FileRef): InputFile => inputFile(ctx.files.resolve(ref, 'read'), ref.name)
  const optional = (ref: FileRef | undefined) => (ref ? file(ref) : undefined)
  switch (request.kind) {
    case 'fasta':
      return {
        kind: 'fasta',
        files: { fasta: file(request.files.fasta), labels: optional(request.files.labels) },
        options: request.options,
      }
    case 'csv':
      return { kind: 'csv', files: { table: file(request.files.table) }, options: request.options }
    case 'genome':
      return {
        kind: 'genome',
        files: {
          genome: file(request.files.genome),
          peaks: file(request.files.peaks),
          index: optional(request.files.index),
        },
        options: request.options,
      }
    case 'npy': {
      const f = request.files
      return {
        kind: 'npy',
        files:
          'npz' in f
            ? { npz: file(f.npz) }
            : { X: file(f.X), y: file(f.y), w: optional(f.w), ids: optional(f.ids) },
        options: request.options,
      }
    }
  }
}

/** Starts an import job; its result is the new data set's summary. */
export function startImport(
  ctx: ServiceContext,
  projectId: string,
  name: string,
  request: ResolvedImport,
): StartedJob<DatasetSummary> {
  const store = ctx.projects.get(projectId)
  return ctx.jobs.start({
    kind: 'dataset.import',
    title: `Import ${name}`,
    projectId,
    run: async ({ signal, progress }) => {
      const datasetId = await importDataset(store, name, request, { signal, progress })
      if (ctx.projects.isOpen(projectId)) {
        ctx.events.emit('project.changed', { projectId, summary: ctx.projects.summary(projectId) })
      }
      return datasetSummary(store, datasetId)
    },
  })
}

export function datasetHandlers(ctx: ServiceContext): HandlerGroup<keyof typeof datasetCalls> {
  const store = (projectId: string) => ctx.projects.get(projectId)
  const changed = (projectId: string) =>
    ctx.events.emit('project.changed', { projectId, summary: ctx.projects.summary(projectId) })
  return {
    'datasets.preview': (input) => {
      store(input.projectId)
      return previewImport(resolveImport(ctx, input))
    },
    'datasets.import': (input) => {
      const { jobId } = startImport(ctx, input.projectId, input.name, resolveImport(ctx, input))
      return { jobId }
    },
    'datasets.list': ({ projectId }) => listDatasets(store(projectId)),
    'datasets.get': ({ projectId, datasetId }) => datasetSummary(store(projectId), datasetId),
    'datasets.delete': ({ projectId, datasetId }) => {
      deleteDataset(store(projectId), datasetId)
      changed(projectId)
      return { ok: true as const }
    },
    'splits.create': ({ projectId, datasetId, name, split }) => {
      const created = createSplit(store(projectId), datasetId, split, name)
      changed(projectId)
      return created
    },
    'datasets.pca': ({ projectId, datasetId, feature, k, splitId, maxPoints, seed }) =>
      datasetPca(store(projectId), {
        datasetId,
        feature,
        maxPoints,
        seed,
        ...(k !== undefined ? { k } : {}),
        ...(splitId !== undefined ? { splitId } : {}),
      }),
    'splits.list': ({ projectId, datasetId }) => listSplits(store(projectId), datasetId),
    'splits.get': ({ projectId, splitId }) => getSplit(store(projectId), splitId),
    'datasets.exportCsv': ({ projectId, datasetId, splitId, target, fold }) =>
      exportSplitCsv(store(projectId), {
        datasetId,
        splitId,
        target: ctx.files.resolve(target, 'write'),
        ...(fold !== undefined ? { fold } : {}),
      }),
  }
}
