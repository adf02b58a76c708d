/**
 * How every CLI command reports: a result as readable lines or, with `--json`, as one JSON document on
 * stdout; a user's mistake (InputError) as ONE line on stderr and exit code 2 (with `--json`, `{"error": …}`
 * on stdout); anything else (a bug, the machine) as its message and exit code 1. Commands throw; this module
 * alone decides what the terminal sees, so every command fails the same way.
 */
import { formatInputError, InputError, toErrorData } from '../shared/errors'

export const EXIT_OK = 0
export const EXIT_INTERNAL = 1
export const EXIT_INPUT = 2

export interface Output {
  out(line: string): void
  err(line: string): void
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
}

export interface JsonOption {
  json?: boolean
}

/** Prints `value` as JSON, or as `human(value)` lines. */
export function report<T>(o: Output, opts: JsonOption, value: T, human: (value: T) => string[]): void {
  if (opts.json) o.out(JSON.stringify(value))
  else for (const line of human(value)) o.out(line)
}

/** Prints an error the way the CLI promises and returns the exit code. */
export function reportError(o: Output, opts: JsonOption, err: unknown): number {
  const data = toErrorData(err)
  if (opts.json) {
    o.out(JSON.stringify({ error: data }))
  } else if (data.kind === 'input') {
    o.err(formatInputError(data).replace(/\s*\n\s*/g, ' '))
  } else {
    o.err(`SeqLab failed unexpectedly: ${data.message.replace(/\s*\n\s*/g, ' ')}`)
    if (process.env.SEQLAB_DEBUG && err instanceof Error && err.stack) o.err(err.stack)
  }
  return data.kind === 'input' ? EXIT_INPUT : EXIT_INTERNAL
}

/** Names `file` on an InputError that does not say which file it is about. */
export function namingFile<T>(file: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof InputError && err.file === undefined) {
      throw new InputError(err.code, err.message, {
        file,
        line: err.line,
        record: err.record,
        expected: err.expected,
        found: err.found,
        params: err.params,
        cause: err,
      })
    }
    throw err
  }
}
