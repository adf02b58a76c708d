import { execFile, spawn, type ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '../..')
const bin = path.join(root, 'bin', 'seqlab.cjs')
const run = promisify(execFile)

let tmp: string
let env: NodeJS.ProcessEnv

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

async function seqlab(
  args: string[],
  options: { cwd?: string; binPath?: string; extraEnv?: NodeJS.ProcessEnv } = {},
): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [options.binPath ?? bin, ...args], {
      cwd: options.cwd ?? tmp,
      env: { ...env, ...options.extraEnv },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-cli-')))
  env = { ...process.env, SEQLAB_APP_DATA: path.join(tmp, 'app-data'), NODE_OPTIONS: '' }
  await run(process.execPath, [path.join(root, 'scripts', 'build-cli.mjs')], { cwd: root })
}, 60_000)

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('seqlab project', () => {
  it('creates a project and describes it, as JSON', async () => {
    const created = await seqlab(['project', 'create', 'jund.seqlab', '--name', 'JunD on chr22', '--json'])
    expect(created.code).toBe(0)
    const project = JSON.parse(created.stdout)
    expect(project).toMatchObject({
      name: 'JunD on chr22',
      file: path.join(tmp, 'jund.seqlab'),
      createdBy: '0.1.0',
    })
    expect(project.schemaVersion).toBeGreaterThan(0)

    const info = await seqlab(['project', 'info', 'jund.seqlab', '--json'])
    expect(info.code).toBe(0)
    const described = JSON.parse(info.stdout)
    expect(described).toMatchObject({
      name: 'JunD on chr22',
      schemaVersion: project.schemaVersion,
      counts: { datasets: 0, splits: 0, experiments: 0 },
      createdAt: project.createdAt,
    })
    expect(described.sizeBytes).toBe(fs.statSync(path.join(tmp, 'jund.seqlab')).size)
  })

  it('prints readable lines without --json', async () => {
    await seqlab(['project', 'create', 'plain.seqlab', '--name', 'Plain'])
    const info = await seqlab(['project', 'info', 'plain.seqlab'])
    expect(info.code).toBe(0)
    expect(info.stdout).toMatch(/^Project\s+Plain$/m)
    expect(info.stdout).toMatch(/^Schema\s+version \d+$/m)
  })

  it('fails with one line naming the file for a text file', async () => {
    fs.writeFileSync(path.join(tmp, 'notes.txt'), 'these are my notes\n')
    const out = await seqlab(['project', 'info', 'notes.txt'])
    expect(out.code).toBe(2)
    expect(out.stdout).toBe('')
    expect(out.stderr.trim().split('\n')).toHaveLength(1)
    expect(out.stderr).toContain('notes.txt')
    expect(out.stderr).not.toMatch(/\bat .*\(.*:\d+:\d+\)/) // no stack trace
  })

  it('fails with one line naming the file for a truncated project', async () => {
    await seqlab(['project', 'create', 'whole.seqlab', '--name', 'Whole'])
    const bytes = fs.readFileSync(path.join(tmp, 'whole.seqlab'))
    fs.writeFileSync(path.join(tmp, 'cut.seqlab'), bytes.subarray(0, Math.floor(bytes.length / 2) + 100))
    const out = await seqlab(['project', 'info', 'cut.seqlab'])
    expect(out.code).not.toBe(0)
    expect(out.stderr.trim().split('\n')).toHaveLength(1)
    expect(out.stderr).toContain('cut.seqlab')
  })

  it('reports errors as JSON with --json', async () => {
    const out = await seqlab(['project', 'info', 'missing.seqlab', '--json'])
    expect(out.code).toBe(2)
    expect(JSON.parse(out.stdout)).toMatchObject({
      error: { kind: 'input', code: 'project.not_found', file: 'missing.seqlab' },
    })
  })

  it('refuses to overwrite an existing file', async () => {
    await seqlab(['project', 'create', 'once.seqlab', '--name', 'Once'])
    const again = await seqlab(['project', 'create', 'once.seqlab', '--name', 'Twice'])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('once.seqlab')
  })
})

describe('help', () => {
  it.each([[[]], [['project']], [['project', 'create']], [['project', 'info']], [['serve']]])(
    '%j --help explains itself',
    async (command) => {
      const out = await seqlab([...command, '--help'])
      expect(out.code).toBe(0)
      expect(out.stdout).toMatch(/^Usage: seqlab/)
      if (command.length > 0 && command[0] !== 'project') expect(out.stdout).toContain('--json')
      if (command.length === 2) expect(out.stdout).toContain('--json')
    },
  )

  it('prints the version', async () => {
    expect((await seqlab(['--version'])).stdout.trim()).toBe('0.1.0')
  })
})

describe('the bin shim', () => {
  it('says how to build the CLI when the bundle is missing', async () => {
    const fake = path.join(tmp, 'unbuilt')
    fs.mkdirSync(path.join(fake, 'bin'), { recursive: true })
    fs.copyFileSync(bin, path.join(fake, 'bin', 'seqlab.cjs'))
    const out = await seqlab(['--version'], {
      binPath: path.join(fake, 'bin', 'seqlab.cjs'),
      extraEnv: { NODE_PATH: path.join(root, 'node_modules') },
    })
    expect(out.code).toBe(1)
    expect(out.stderr.trim()).toBe("SeqLab's CLI is not built: run `npm run build:cli`.")
  })

  it('says to rebuild better-sqlite3 when its native module does not load', async () => {
    const fake = path.join(tmp, 'broken-native')
    fs.mkdirSync(path.join(fake, 'bin'), { recursive: true })
    fs.mkdirSync(path.join(fake, 'node_modules', 'better-sqlite3'), { recursive: true })
    fs.writeFileSync(
      path.join(fake, 'node_modules', 'better-sqlite3', 'index.js'),
      "module.exports = function Database() { throw new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 1') }\n",
    )
    fs.copyFileSync(bin, path.join(fake, 'bin', 'seqlab.cjs'))
    const out = await seqlab(['--version'], { binPath: path.join(fake, 'bin', 'seqlab.cjs') })
    expect(out.code).toBe(1)
    expect(out.stderr).toContain('npm rebuild better-sqlite3')
    expect(out.stderr).not.toMatch(/\bat .*:\d+:\d+/)
  })
})

describe('seqlab serve', () => {
  const children: ChildProcess[] = []
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  })

  /** Starts `serve` and resolves with its first stdout line, parsed. */
  function startServe(
    args: string[],
  ): Promise<{ child: ChildProcess; info: { url: string; port: number; workspace: string } }> {
    const child = spawn(process.execPath, [bin, 'serve', '--json', ...args], { cwd: tmp, env })
    children.push(child)
    let stderr = ''
    child.stderr!.on('data', (d) => (stderr += String(d)))
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! })
      lines.once('line', (line) => resolve({ child, info: JSON.parse(line) }))
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    })
  }

  function exited(child: ChildProcess): Promise<number | null> {
    return child.exitCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise((r) => child.once('exit', (code) => r(code)))
  }

  it('starts, answers 401 without the token and 200 with it, and stops on SIGTERM', async () => {
    const workspace = path.join(tmp, 'served')
    fs.mkdirSync(workspace)
    const { child, info } = await startServe(['--workspace', workspace, '--port', '0'])
    expect(info.workspace).toBe(workspace)
    expect(info.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${info.port}/\\?token=[A-Za-z0-9_-]+$`))
    const token = new URL(info.url).searchParams.get('token')!
    const origin = `http://127.0.0.1:${info.port}`

    expect((await fetch(`${origin}/`)).status).toBe(401)
    expect((await fetch(`${origin}/api/call/app.info`, { method: 'POST', body: '{}' })).status).toBe(401)
    const res = await fetch(`${origin}/api/call/app.info`, {
      method: 'POST',
      headers: { 'x-seqlab-token': token },
      body: '{}',
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      ok: true,
      value: { version: '0.1.0', transport: 'web', capabilities: { workspace: true } },
    })
    const created = await fetch(`${origin}/api/call/projects.create`, {
      method: 'POST',
      headers: { 'x-seqlab-token': token },
      body: JSON.stringify({ name: 'Served' }),
    })
    expect(((await created.json()) as { ok: boolean }).ok).toBe(true)
    expect(fs.existsSync(path.join(workspace, 'served.seqlab'))).toBe(true)

    child.kill('SIGTERM')
    expect(await exited(child)).toBe(0)
    await expect(fetch(`${origin}/`)).rejects.toThrow()
  })

  it('takes another port when the preferred one is busy', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => {
      blocker.once('error', () => resolve()) // someone else holds it: just as good
      blocker.listen(5174, '127.0.0.1', () => resolve())
    })
    try {
      const { child, info } = await startServe(['--workspace', tmp])
      expect(info.port).not.toBe(5174)
      child.kill('SIGINT')
      expect(await exited(child)).toBe(0)
    } finally {
      blocker.close()
    }
  })

  it('fails clearly for a workspace that does not exist', async () => {
    const out = await seqlab(['serve', '--workspace', path.join(tmp, 'nope'), '--port', '0'])
    expect(out.code).toBe(2)
    expect(out.stderr.trim().split('\n')).toHaveLength(1)
    expect(out.stderr).toContain('nope')
  })
})
