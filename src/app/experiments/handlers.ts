/** Handlers of the experiment workflow's calls (`src/shared/contract-experiments.ts`). */
import type { experimentCalls } from '../../shared/contract-experiments'
import type { HandlerGroup, ServiceContext } from '../services/context'

export function experimentHandlers(_ctx: ServiceContext): HandlerGroup<keyof typeof experimentCalls> {
  return {}
}
