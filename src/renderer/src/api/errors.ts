import type { ErrorData } from '../../../shared/errors'

/** A failed call, carrying the server's error so the UI can translate it by its code. */
export class ApiError extends Error {
  readonly data: ErrorData

  constructor(data: ErrorData) {
    super(data.message)
    this.name = 'ApiError'
    this.data = data
  }
}

/** Client-side failures get codes too, so they are translated like the server's (`errors.<code>`). */
export function clientError(code: string, message: string): ErrorData {
  return { kind: 'input', code, message }
}

/** Whatever was thrown, as ErrorData: ApiErrors keep theirs, anything else is an internal error. */
export function errorDataOf(err: unknown): ErrorData {
  if (err instanceof ApiError) return err.data
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) }
}
