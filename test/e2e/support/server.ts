/**
 * Starts the web bridge (`seqlab serve`) as a child process on a free port and hands back its URL.
 * The renderer must have been built (`npm run test:e2e` builds it first).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createInterface } from 'node:readline'

export const repoRoot = path.resolve(__dirname, '../../..')
const cli = path.join(repoRoot, 'bin/seqlab.cjs')
const START_TIMEOUT_MS = 60_000

export interface RunningServer {
  /** The URL to open, token included. */
  url: string
  /** scheme://host:port, without the token. */
  origin: string
  token: string
  stop(): Promise<void>
}

export function checkBuilt(): void {
  const missing = [
    cli,
    path.join(repoRoot, 'out/renderer/index.html'),
    path.join(repoRoot, 'out/cli/seqlab.cjs'),
  ]
    .filter((file) => !fs.existsSync(file))
    .map((file) => path.relative(repoRoot, file))
  if (missing.length > 0) {
    throw new Error(
      `Missing ${missing.join(', ')}: run the e2e tests with \`npm run test:e2e\`, which builds first.`,
    )
  }
}

export async function startServer(workspace: string, appData: string): Promise<RunningServer> {
  checkBuilt()
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--workspace', workspace, '--app-data', appData, '--port', '0', '--json'],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`seqlab serve printed no URL in time.\n${stderr}`)),
      START_TIMEOUT_MS,
    )
    const fail = (err: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(err)
    }
    child.once('exit', (code) =>
      fail(new Error(`seqlab serve exited with ${code} before printing a URL.\n${stderr}`)),
    )
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const printed = JSON.parse(line) as { url?: string }
        if (typeof printed.url !== 'string') return
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve(printed.url)
      } catch {
        // Not the JSON line; ignore.
      }
    })
  })

  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    stop: () => stopProcess(child),
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(killer)
}
