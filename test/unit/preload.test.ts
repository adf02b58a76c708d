import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MENU_CHANNEL } from '../../src/main/menu'
import { IPC_CALL, IPC_EVENT } from '../../src/shared/ipc'

const root = path.resolve(__dirname, '../..')

/** A stand-in for Electron's renderer-side modules, recording what the preload does with them. */
function fakeElectron() {
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>()
  const exposed: Record<string, unknown> = {}
  const invoke = vi.fn(async (...args: unknown[]) => ({ ok: true, value: args }))
  return {
    exposed,
    invoke,
    emit: (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l({}, ...args)),
    listenerCount: (channel: string) => listeners.get(channel)?.length ?? 0,
    module: {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: {
        invoke,
        on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
          listeners.set(channel, [...(listeners.get(channel) ?? []), l])
        },
      },
    },
  }
}

interface ExposedApi {
  call(name: string, input: unknown): Promise<unknown>
  on(event: string, handler: (payload: unknown) => void): () => void
  onMenu(handler: (action: string, file?: unknown) => void): () => void
}

describe('preload bundle (out/preload/index.cjs, built with the real electron-vite config)', () => {
  let outDir: string
  let code: string
  const savedNodeEnv = process.env.NODE_ENV

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-preload-'))
    const { resolveConfig } = await import('electron-vite')
    const { build } = await import('vite')
    const { config } = await resolveConfig(
      { root, build: { outDir, emptyOutDir: true }, logLevel: 'warn' },
      'build',
      'production',
    )
    if (!config?.preload) throw new Error('electron.vite.config.ts has no preload section')
    await build({ ...config.preload, configFile: false, logLevel: 'warn' })
    // resolveConfig sets NODE_ENV for the build; give the test process its own back.
    if (savedNodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = savedNodeEnv
    code = fs.readFileSync(path.join(outDir, 'preload', 'index.cjs'), 'utf8')
  }, 120_000)

  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }))

  it('is CommonJS that requires nothing but electron', () => {
    const required = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])
    expect(required).toEqual(['electron'])
    expect(code).not.toMatch(/\bimport\s*[({"']|^\s*export\s/m)
    expect(code).not.toMatch(/zod/)
  })

  function runPreload() {
    const electron = fakeElectron()
    const requireInSandbox = (id: string) => {
      if (id !== 'electron') throw new Error(`the sandbox has no module "${id}"`)
      return electron.module
    }
    const module = { exports: {} }
    vm.runInNewContext(code, { require: requireInSandbox, module, exports: module.exports, console })
    return { electron, api: electron.exposed.seqlab as ExposedApi }
  }

  it('exposes exactly one object, window.seqlab, with call, on and onMenu', () => {
    const { electron, api } = runPreload()
    expect(Object.keys(electron.exposed)).toEqual(['seqlab'])
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'onMenu'])
  })

  it('sends calls over the call channel and returns what main answers', async () => {
    const { electron, api } = runPreload()
    const result = await api.call('projects.info', { projectId: 'p1' })
    expect(electron.invoke).toHaveBeenCalledWith(IPC_CALL, 'projects.info', { projectId: 'p1' })
    expect(result).toEqual({ ok: true, value: [IPC_CALL, 'projects.info', { projectId: 'p1' }] })
  })

  it('delivers only the subscribed event, through one IPC listener, until unsubscribed', () => {
    const { electron, api } = runPreload()
    const jobs: unknown[] = []
    const projects: unknown[] = []
    const offJobs = api.on('job.updated', (p) => jobs.push(p))
    api.on('project.changed', (p) => projects.push(p))
    api.on('project.changed', () => {})
    electron.emit(IPC_EVENT, 'job.updated', { jobId: 'j1' })
    electron.emit(IPC_EVENT, 'project.changed', { projectId: 'p1' })
    offJobs()
    electron.emit(IPC_EVENT, 'job.updated', { jobId: 'j2' })
    expect(jobs).toEqual([{ jobId: 'j1' }])
    expect(projects).toEqual([{ projectId: 'p1' }])
    expect(electron.listenerCount(IPC_EVENT)).toBe(1)
  })

  it('passes menu actions from the channel main sends them on', () => {
    const { electron, api } = runPreload()
    const actions: string[] = []
    const off = api.onMenu((a) => actions.push(a))
    electron.emit(MENU_CHANNEL, 'project.open')
    off()
    electron.emit(MENU_CHANNEL, 'project.new')
    expect(actions).toEqual(['project.open'])
  })

  it('hands over the file reference of a project the OS opened, and drops a malformed one', () => {
    const { electron, api } = runPreload()
    const received: unknown[][] = []
    api.onMenu((...args) => received.push(args))
    electron.emit(MENU_CHANNEL, 'project.openFile', { id: 'abc', name: 'JunD.seqlab', extra: 1 })
    electron.emit(MENU_CHANNEL, 'project.openFile', { id: 42 })
    expect(received).toEqual([['project.openFile', { id: 'abc', name: 'JunD.seqlab' }], ['project.openFile']])
  })
})
