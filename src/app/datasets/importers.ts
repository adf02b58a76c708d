/**
 * One entry point for the four importers: `previewImport` and `importDataset` take an import request whose
 * files are already resolved to paths (the services resolve the UI's file references; the CLI has paths),
 * open the right `RecordSource`, and run the shared preview or import (pipeline.ts).
 */
import type { ImportPreview, ImportRequest } from '../../shared/contract-datasets'
import type { ProjectStore } from '../store/project-store'
import { csvSource, type CsvFiles } from './import-csv'
import { fastaSource, type FastaFiles } from './import-fasta'
import { genomeSource, type GenomeFiles } from './import-genome'
import { npySource, type NpyFiles } from './import-npy'
import { runImport, runPreview, type ImportProgress, type RecordSource } from './pipeline'

/** An import request with files as paths instead of references. */
export type ResolvedImport =
  | { kind: 'fasta'; files: FastaFiles; options: Extract<ImportRequest, { kind: 'fasta' }>['options'] }
  | { kind: 'csv'; files: CsvFiles; options: Extract<ImportRequest, { kind: 'csv' }>['options'] }
  | { kind: 'genome'; files: GenomeFiles; options: Extract<ImportRequest, { kind: 'genome' }>['options'] }
  | { kind: 'npy'; files: NpyFiles; options: Extract<ImportRequest, { kind: 'npy' }>['options'] }

export function openSource(
  request: ResolvedImport,
  mode: { preview: boolean; signal?: AbortSignal },
): RecordSource {
  switch (request.kind) {
    case 'fasta':
      return fastaSource(request.files, request.options, mode)
    case 'csv':
      return csvSource(request.files, request.options, mode)
    case 'genome':
      return genomeSource(request.files, request.options, mode)
    case 'npy':
      return npySource(request.files, request.options, mode)
  }
}

/** The first records, the layout and the problems found so far; reads only the start of the files. */
export async function previewImport(request: ResolvedImport, signal?: AbortSignal): Promise<ImportPreview> {
  return runPreview(openSource(request, { preview: true, signal }), signal)
}

/** Imports the whole data set in one transaction; returns its id. */
export async function importDataset(
  store: ProjectStore,
  name: string,
  request: ResolvedImport,
  ctx: ImportProgress = {},
): Promise<number> {
  return runImport(store, name, openSource(request, { preview: false, signal: ctx.signal }), ctx)
}
