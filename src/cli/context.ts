/**
 * What every command module receives: the app version, where to print, and `run`, which executes a
 * command's body and turns its outcome into output and an exit code (see `output.ts`).
 */
import { processOutput, reportError, type JsonOption, type Output } from './output'

export interface CliContext {
  version: string
  output: Output
  /** Runs a command body; errors are reported and set `process.exitCode` (never rejects). */
  run(opts: JsonOption, body: () => unknown): Promise<void>
}

export function createContext(version: string, output: Output = processOutput): CliContext {
  return {
    version,
    output,
    async run(opts, body) {
      try {
        await body()
      } catch (err) {
        process.exitCode = reportError(output, opts, err)
      }
    },
  }
}
