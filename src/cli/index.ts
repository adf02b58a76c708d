/**
 * SeqLab's command line: headless commands over the same services as the app (DESIGN.md, "Layers").
 * Bundled by `scripts/build-cli.mjs` into `out/cli/seqlab.cjs`; `bin/seqlab.cjs` checks the runtime and
 * calls `main`. Each command group lives in its own module under `commands/` and registers itself here;
 * every command takes `--json` and reports through `output.ts` (one line and exit 2 for a user's mistake).
 */
import { Command } from 'commander'
import { registerProjectCommands } from './commands/project'
import { registerServeCommand } from './commands/serve'
import { registerImportCommands } from './commands/import'
import { registerSplitCommand } from './commands/split'
import { registerExportCommand } from './commands/export'
import { registerTrainCommand } from './commands/train'
import { registerPredictCommand } from './commands/predict'
import { registerGrnCommands } from './commands/grn'
import { registerDemoCommand } from './commands/demo'
import { registerBenchCommand } from './commands/bench'
import { registerReportCommands } from './commands/report'
import { createContext, type CliContext } from './context'
import { EXIT_INTERNAL } from './output'
import { APP_VERSION } from './version'

export function buildProgram(ctx: CliContext): Command {
  const program = new Command()
    .name('seqlab')
    .description('SeqLab: train and compare classifiers on biological data, offline')
    .version(ctx.version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
  registerProjectCommands(program, ctx)
  registerServeCommand(program, ctx)
  registerImportCommands(program, ctx)
  registerGrnCommands(program, ctx)
  registerSplitCommand(program, ctx)
  registerExportCommand(program, ctx)
  registerTrainCommand(program, ctx)
  registerPredictCommand(program, ctx)
  registerDemoCommand(program, ctx)
  registerBenchCommand(program, ctx)
  registerReportCommands(program, ctx)
  return program
}

/** Runs the CLI with `argv` (as `process.argv`: node, script, args…). */
export async function main(argv: string[] = process.argv): Promise<void> {
  const ctx = createContext(APP_VERSION)
  try {
    await buildProgram(ctx).parseAsync(argv)
  } catch (err) {
    console.error(`SeqLab failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = EXIT_INTERNAL
  }
}

// `node out/cli/seqlab.cjs …` runs directly; `bin/seqlab.cjs` requires the bundle and calls main itself.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) void main()
