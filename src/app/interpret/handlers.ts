/**
 * Handlers of "What the model learned" (`src/shared/contract-interpret.ts`): the service (./service.ts) on
 * the open project, with the shipped JASPAR 2016 collection or the JASPAR file the user chose.
 */
import * as fs from 'node:fs'
import type { interpretCalls } from '../../shared/contract-interpret'
import { InputError } from '../../shared/errors'
import { experimentSpec } from '../experiments/repository'
import type { HandlerGroup, ServiceContext } from '../services/context'
import { builtInJaspar, explainWindow, interpretFilters, jasparFromText, topWindows } from './service'

/** A motif file larger than this is not a JASPAR collection (all of JASPAR 2024 is ~3 MB). */
const MAX_MOTIF_FILE = 50 * 1024 * 1024

export function interpretHandlers(ctx: ServiceContext): HandlerGroup<keyof typeof interpretCalls> {
  return {
    'interpret.filters': async ({ projectId, experimentId, method, motifs, top }) => {
      const store = ctx.projects.get(projectId)
      let collection = builtInJaspar()
      if (motifs) {
        const file = ctx.files.resolve(motifs, 'read')
        const name = ctx.files.nameOf(motifs) ?? motifs.name
        const size = (await fs.promises.stat(file)).size
        if (size > MAX_MOTIF_FILE) {
          throw new InputError('jaspar.bad_format', `${name} is too large to be a JASPAR motif file`, {
            file: name,
            expected: `at most ${MAX_MOTIF_FILE} bytes`,
            found: `${size} bytes`,
          })
        }
        collection = jasparFromText(await fs.promises.readFile(file, 'utf8'), name)
      }
      return interpretFilters(store, experimentId, { method, collection, top })
    },
    'interpret.windows': ({ projectId, experimentId, part, limit }) => {
      const store = ctx.projects.get(projectId)
      const { datasetId } = experimentSpec(store, experimentId)
      return { windows: topWindows(store, experimentId, { part, limit, datasetId }) }
    },
    'interpret.mutagenesis': ({ projectId, experimentId, window }) =>
      explainWindow(ctx.projects.get(projectId), experimentId, window),
  }
}
