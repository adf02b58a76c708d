/**
 * The one error type for the user's mistakes (DESIGN.md, "Conventions").
 *
 * A bad file, a bad parameter, a project that cannot be opened: each is an `InputError` with a stable
 * `code` (the UI translates it by that code), and where it applies the file, the line or record, what was
 * expected and what was found. Bugs are ordinary exceptions and are never turned into input errors.
 *
 * Plain TypeScript without dependencies: the core, the services, the CLI and the renderer all share it.
 */

/** Serializable form of an input error, as it crosses IPC, HTTP and the CLI's `--json` output. */
export interface InputErrorData {
  kind: 'input'
  /** Stable dotted code, e.g. `project.not_sqlite`; the i18n key of the message is `errors.<code>`. */
  code: string
  /** English message, complete on its own (the CLI prints it; the UI prefers its translation). */
  message: string
  /** The file's name as the user knows it (never a path the renderer could reuse). */
  file?: string
  /** 1-based line number in a text file. */
  line?: number
  /** 1-based record number (FASTA record, row of an array) where lines do not apply. */
  record?: number
  expected?: string
  found?: string
  /** Extra values for the translated message's placeholders. */
  params?: Record<string, string | number>
}

/** Serializable form of an unexpected failure (a bug, or the machine: disk, memory). */
export interface InternalErrorData {
  kind: 'internal'
  message: string
}

export type ErrorData = InputErrorData | InternalErrorData

export interface InputErrorInit {
  file?: string
  line?: number
  record?: number
  expected?: string
  found?: string
  params?: Record<string, string | number>
  cause?: unknown
}

export class InputError extends Error {
  readonly code: string
  readonly file?: string
  readonly line?: number
  readonly record?: number
  readonly expected?: string
  readonly found?: string
  readonly params?: Record<string, string | number>

  constructor(code: string, message: string, init: InputErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'InputError'
    this.code = code
    this.file = init.file
    this.line = init.line
    this.record = init.record
    this.expected = init.expected
    this.found = init.found
    this.params = init.params
  }

  toJSON(): InputErrorData {
    const data: InputErrorData = { kind: 'input', code: this.code, message: this.message }
    if (this.file !== undefined) data.file = this.file
    if (this.line !== undefined) data.line = this.line
    if (this.record !== undefined) data.record = this.record
    if (this.expected !== undefined) data.expected = this.expected
    if (this.found !== undefined) data.found = this.found
    if (this.params !== undefined) data.params = this.params
    return data
  }
}

export function isInputError(err: unknown): err is InputError {
  return err instanceof InputError
}

/** Turns anything thrown into its serializable form; only `InputError` becomes an input error. */
export function toErrorData(err: unknown): ErrorData {
  if (err instanceof InputError) return err.toJSON()
  const message = err instanceof Error ? err.message : String(err)
  return { kind: 'internal', message }
}

/**
 * One line for a terminal: where, what, expected/found. Messages are complete on their own and often
 * already name the file or the line ("line 1,204: 'J' is not a DNA letter"); those parts are not
 * repeated in front.
 */
export function formatInputError(e: InputErrorData): string {
  const mentions = (text: string) => e.message.includes(text)
  const mentionsLine = (n: number) => mentions(`line ${n}`) || mentions(`line ${n.toLocaleString('en-US')}`)
  const mentionsRecord = (n: number) =>
    mentions(`record ${n}`) || mentions(`record ${n.toLocaleString('en-US')}`)
  const where = [
    e.file !== undefined && !mentions(e.file) ? e.file : undefined,
    e.line !== undefined && !mentionsLine(e.line) ? `line ${e.line.toLocaleString('en-US')}` : undefined,
    e.record !== undefined && !mentionsRecord(e.record)
      ? `record ${e.record.toLocaleString('en-US')}`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ')
  const detail = [
    e.expected !== undefined ? `expected ${e.expected}` : undefined,
    e.found !== undefined ? `found ${e.found}` : undefined,
  ]
    .filter(Boolean)
    .join(', ')
  return `${where ? where + ': ' : ''}${e.message}${detail ? ` (${detail})` : ''}`
}
