/** Handlers of the data workflow's calls (`src/shared/contract-datasets.ts`). */
import type { datasetCalls } from '../../shared/contract-datasets'
import type { HandlerGroup, ServiceContext } from '../services/context'

export function datasetHandlers(_ctx: ServiceContext): HandlerGroup<keyof typeof datasetCalls> {
  return {}
}
