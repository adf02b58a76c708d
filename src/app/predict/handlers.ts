/**
 * Handlers of Predict's calls (`src/shared/contract-predict.ts`): file references become files, the
 * experiment's model is loaded and checked before a job starts (an unfinished experiment, a bad pasted
 * record, a region outside the genome fail the call itself, so the UI shows them inline at once), and the
 * jobs' results are read back by job id. One `PredictService` per services instance.
 */
import type { FileRef } from '../../shared/contract'
import type { predictCalls } from '../../shared/contract-predict'
import { InputError } from '../../shared/errors'
import { inputFile, type InputFile } from '../datasets/sources'
import type { HandlerGroup, ServiceContext } from '../services/context'
import { writePrediction } from './export'
import { checkScan, chromosomesOf, genomeLayout, type GenomeFiles } from './genome'
import { readPastedSequences } from './inputs'
import { loadPredictModel, predictModels } from './model'
import { rowsPage, summaryOf, trackOf } from './results'
import { PredictService } from './service'

export function predictHandlers(
  ctx: ServiceContext,
  service = new PredictService(ctx.jobs),
): HandlerGroup<keyof typeof predictCalls> {
  const store = (projectId: string) => ctx.projects.get(projectId)
  const file = (ref: FileRef): InputFile => inputFile(ctx.files.resolve(ref, 'read'), ref.name)
  const genomeFiles = (genome: FileRef, index?: FileRef): GenomeFiles => ({
    genome: file(genome),
    ...(index ? { index: file(index) } : {}),
  })

  return {
    'predict.models': ({ projectId }) => predictModels(store(projectId)),
    'predict.sequences': async ({ projectId, experimentId, source, windows }) => {
      const model = loadPredictModel(store(projectId), experimentId)
      if ('text' in source) {
        const items = await readPastedSequences(source.text, { model, windows })
        const { jobId } = service.startSequences(projectId, model, { items })
        return { jobId, records: items.records }
      }
      const { jobId } = service.startSequences(projectId, model, { file: file(source.file), windows })
      return { jobId, records: null }
    },
    'predict.genome': async ({ genome, index }) => {
      const layout = await genomeLayout(genomeFiles(genome, index))
      return { chromosomes: chromosomesOf(layout), indexed: layout.indexed }
    },
    'predict.scan': async ({ projectId, experimentId, genome, index, region, stride }) => {
      const model = loadPredictModel(store(projectId), experimentId)
      if (model.alphabet !== 'dna') {
        throw new InputError('predict.scan_needs_dna', 'Only a model of DNA can scan a genome', {
          expected: 'an experiment on DNA',
          found: model.alphabet,
        })
      }
      const files = genomeFiles(genome, index)
      const layout = await genomeLayout(files)
      const windows = checkScan(layout, region, model.length, stride, files.genome.name)
      const { jobId } = service.startScan(projectId, model, { files, layout, region, stride })
      return { jobId, windows }
    },
    'predict.result': ({ projectId, jobId }) => summaryOf(service.results.get(projectId, jobId)),
    'predict.rows': ({ projectId, jobId, offset, limit, sort, order }) =>
      rowsPage(service.results, service.results.get(projectId, jobId), { offset, limit, sort, order }),
    'predict.track': ({ projectId, jobId, maxPoints, from, to }) =>
      trackOf(service.results.get(projectId, jobId), {
        maxPoints,
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      }),
    'predict.export': ({ projectId, jobId, target, format }) =>
      writePrediction(service.results.get(projectId, jobId), ctx.files.resolve(target, 'write'), format),
  }
}
