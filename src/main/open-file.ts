/**
 * Project files the operating system hands to SeqLab: a double-clicked `.seqlab` file arrives in the command
 * line (Windows, Linux; for a second launch, in the first instance's 'second-instance' event) or in macOS's
 * 'open-file' event. Plain functions, no Electron.
 */
import * as path from 'node:path'

export const PROJECT_EXTENSION = '.seqlab'

/** The last `.seqlab` argument of a command line, made absolute against the launch folder. */
export function projectFileFromArgv(argv: readonly string[], workingDirectory: string): string | undefined {
  // argv[0] is the executable (and in development argv[1] is the app folder); options start with '-'.
  const candidates = argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-') && path.extname(arg).toLowerCase() === PROJECT_EXTENSION)
  const last = candidates.at(-1)
  return last === undefined ? undefined : path.resolve(workingDirectory, last)
}
