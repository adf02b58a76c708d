/**
 * The one way the UI reaches the services. In Electron the preload exposes `window.seqlab`; in a browser
 * the web client speaks the bridge's protocol. Components call `callOrThrow` and never learn which.
 */
import type { CallInput, CallName, CallOutput, SeqLabApi } from '../../../shared/contract'
import { ApiError } from './errors'
import { createWebApi } from './web'

export { ApiError, errorDataOf } from './errors'

let api: SeqLabApi | undefined

export function getApi(): SeqLabApi {
  api ??= window.seqlab ?? createWebApi()
  return api
}

/** For tests and previews: use another implementation of the API. */
export function setApi(replacement: SeqLabApi): void {
  api = replacement
}

/** Calls `name` and returns its value, or throws an ApiError carrying the call's ErrorData. */
export async function callOrThrow<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await getApi().call(name, input)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}
