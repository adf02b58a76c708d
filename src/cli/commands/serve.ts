/**
 * `seqlab serve`: the web bridge on loopback, over a workspace folder (the only folder the browser can
 * reach by path; uploads land in its `uploads/`). Prints the address with its launch token and runs until
 * SIGINT/SIGTERM, then closes the server and every open project cleanly.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { resolveAppDataDir } from '../../app/paths'
import { createServices } from '../../app/services'
import { startWebServer, type WebServer } from '../../server/http'
import { InputError } from '../../shared/errors'
import { report, type JsonOption } from '../output'
import type { CliContext } from '../context'

/** The port `serve` prefers when none is given (the renderer's dev port), if it is free. */
export const PREFERRED_PORT = 5174

interface ServeOptions extends JsonOption {
  workspace?: string
  port?: number
  appData?: string
  renderer?: string
}

function parsePort(value: string): number {
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535')
  return port
}

function existingFolder(dir: string, code: string, what: string): string {
  const abs = path.resolve(dir)
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw new InputError(code, `The ${what} folder does not exist.`, { file: abs })
  }
  return abs
}

/** Default renderer: `out/renderer` beside the CLI bundle (`out/cli/seqlab.cjs`). */
function defaultRendererDir(): string {
  return path.resolve(__dirname, '../renderer')
}

async function listen(
  start: (port: number) => Promise<WebServer>,
  port: number | undefined,
): Promise<WebServer> {
  if (port !== undefined) return start(port)
  try {
    return await start(PREFERRED_PORT)
  } catch (err) {
    if (err instanceof InputError && err.code === 'server.port_in_use') return start(0)
    throw err
  }
}

/** Resolves when the process is asked to stop. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

async function serve(ctx: CliContext, opts: ServeOptions): Promise<void> {
  const workspaceDir = existingFolder(opts.workspace ?? process.cwd(), 'files.no_workspace', 'workspace')
  const appDataDir = resolveAppDataDir(opts.appData)
  const rendererDir = path.resolve(opts.renderer ?? defaultRendererDir())
  const services = createServices({
    appVersion: ctx.version,
    appDataDir,
    defaultProjectsDir: workspaceDir,
    transport: 'web',
    workspaceDir,
  })
  let server: WebServer
  try {
    server = await listen((port) => startWebServer({ services, rendererDir, port, workspaceDir }), opts.port)
  } catch (err) {
    services.close()
    throw err
  }
  // Listen for the stop signals before printing the address: whoever reads it may stop us at once.
  const stopped = untilSignal()
  report(ctx.output, opts, { url: server.url, port: server.port, workspace: workspaceDir }, (s) => [
    `SeqLab is running at ${s.url}`,
    `Workspace: ${s.workspace}`,
    ...(fs.existsSync(path.join(rendererDir, 'index.html'))
      ? []
      : [`Note: the interface is not built (run \`npm run build\`).`]),
    'Press Ctrl+C to stop.',
  ])
  await stopped
  await server.close()
  services.close()
  // Everything is closed; should a forgotten handle keep the loop alive, do not hang the terminal.
  setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref()
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Run SeqLab in the browser: a web bridge on 127.0.0.1 over a workspace folder')
    .option('--workspace <dir>', 'the folder the browser may read and write (default: the current folder)')
    .option(
      '--port <n>',
      `port to listen on (default: ${PREFERRED_PORT} if free, else a random one; 0 = random)`,
      parsePort,
    )
    .option(
      '--app-data <dir>',
      "SeqLab's own data folder (recent projects); default: $SEQLAB_APP_DATA or the OS's",
    )
    .option('--renderer <dir>', 'the built interface (default: out/renderer beside the CLI)')
    .option('--json', 'print {"url", "port", "workspace"} as one JSON line')
    .action((opts: ServeOptions) => ctx.run(opts, () => serve(ctx, opts)))
}
