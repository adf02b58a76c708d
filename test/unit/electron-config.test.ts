import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import { builtinModules } from 'node:module'
import * as os from 'node:os'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UserConfig } from 'electron-vite'
import electronViteConfig, { electronMajorVersion } from '../../electron.vite.config'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'

const root = path.resolve(__dirname, '../..')

/**
 * A stand-in for the `electron` module, enough for the main bundle to start in plain Node: it records the
 * window options, session hooks, IPC handlers and messages, so a test can drive the real main process.
 */
const FAKE_ELECTRON = `
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const state = { windows: [], ipc: {}, sent: [], errors: [], opened: [], exits: [], app: {}, contents: {}, session: {} }
globalThis.fakeElectron = state
const on = (bag) => (name, fn) => { (bag[name] ??= []).push(fn) }
class WebContents {
  constructor() { this.events = {}; this.on = on(this.events); this.url = '' }
  setWindowOpenHandler(fn) { this.openHandler = fn }
  send(...args) { state.sent.push(args) }
  isLoading() { return false }
  getURL() { return this.url }
}
class BrowserWindow {
  constructor(options) {
    this.options = options; this.webContents = new WebContents(); this.events = {}
    state.windows.push(this)
    for (const fn of state.app['web-contents-created'] ?? []) fn({}, this.webContents)
  }
  once(name, fn) { on(this.events)(name, fn) }
  on(name, fn) { on(this.events)(name, fn) }
  loadFile(file) { this.webContents.url = pathToFileURL(file).href; return Promise.resolve() }
  loadURL(url) { this.webContents.url = url; return Promise.resolve() }
  isDestroyed() { return false }
  isMinimized() { return false }
  show() {}
  focus() {}
  static getFocusedWindow() { return null }
}
module.exports = {
  app: {
    isPackaged: true,
    getVersion: () => '0.1.0-test',
    getPath: (name) => path.join(process.env.FAKE_HOME, name),
    whenReady: () => Promise.resolve(),
    requestSingleInstanceLock: () => true,
    on: on(state.app),
    quit() {},
    exit(code) { state.exits.push(code) },
  },
  BrowserWindow,
  ipcMain: { handle(channel, fn) { state.ipc[channel] = fn }, removeHandler(channel) { delete state.ipc[channel] } },
  session: {
    defaultSession: {
      webRequest: {
        onBeforeRequest(fn) { state.session.beforeRequest = fn },
        onHeadersReceived(fn) { state.session.headersReceived = fn },
      },
      setPermissionRequestHandler(fn) { state.session.permissionRequest = fn },
      setPermissionCheckHandler(fn) { state.session.permissionCheck = fn },
    },
  },
  dialog: { showErrorBox(title, message) { state.errors.push([title, message]) }, showMessageBox: async () => ({}) },
  Menu: { buildFromTemplate: (t) => t, setApplicationMenu(m) { state.menu = m } },
  shell: { openExternal: async (url) => { state.opened.push(url) } },
}
`

/** Starts the main bundle against the fake Electron and reports what it did, as JSON on stdout. */
const HARNESS = `
require('electron')
const state = globalThis.fakeElectron
require(process.argv[2])
const settle = () => new Promise((r) => setTimeout(r, 0))
;(async () => {
  while (state.windows.length === 0 && state.errors.length === 0) await settle()
  if (state.errors.length > 0) {
    process.stdout.write(JSON.stringify({ errors: state.errors, exits: state.exits, windows: state.windows.length }))
    process.exit(0)
  }
  const win = state.windows[0]
  const frame = (url, parent = null) => ({ url, parent })
  const call = (sender, senderFrame, name, input) =>
    // Electron turns a handler's exception, thrown or rejected, into the caller's rejection.
    new Promise((resolve) => resolve(state.ipc['seqlab:call']({ sender, senderFrame }, name, input))).then(
      (value) => ({ value }),
      (err) => ({ rejected: String(err.message) }),
    )
  const own = win.webContents.url
  const verdict = (fn, ...args) => new Promise((resolve) => fn(...args, resolve))
  let prevented = false
  for (const fn of win.webContents.events['will-navigate'] ?? []) fn({ preventDefault: () => (prevented = true) }, 'https://evil.example/')
  const report = {
    errors: state.errors,
    webPreferences: win.options.webPreferences,
    size: [win.options.width, win.options.height, win.options.minWidth, win.options.minHeight],
    ownUrl: own,
    appInfo: await call(win.webContents, frame(own), 'app.info', {}),
    badInput: await call(win.webContents, frame(own), 'projects.info', { projectId: 42 }),
    fromOtherPage: await call(win.webContents, frame('https://evil.example/'), 'app.info', {}),
    fromSubframe: await call(win.webContents, frame(own, {}), 'app.info', {}),
    fromOtherContents: await call({}, frame(own), 'app.info', {}),
    csp: (await verdict(state.session.headersReceived, { url: own, responseHeaders: {} })).responseHeaders,
    remoteRequest: await verdict(state.session.beforeRequest, { url: 'https://cdn.example/x.js' }),
    ownRequest: await verdict(state.session.beforeRequest, { url: own }),
    permission: await verdict(state.session.permissionRequest, win.webContents, 'camera'),
    navigationPrevented: prevented,
    windowOpen: win.webContents.openHandler({ url: 'https://www.ncbi.nlm.nih.gov/' }),
    menu: state.menu.map((m) => m.label ?? m.role),
  }
  await settle()
  report.opened = state.opened
  process.stdout.write(JSON.stringify(report))
  process.exit(0)
})()
`

/** Every `new BrowserWindow({...})` in src/main, with its webPreferences as literal values. */
function browserWindowsIn(dir: string) {
  const found: { file: string; prefs: Record<string, string> }[] = []
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    if (!entry.endsWith('.ts')) continue
    const file = path.join(dir, entry)
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText(source) === 'BrowserWindow') {
        const options = node.arguments?.[0]
        const prefs: Record<string, string> = {}
        if (options && ts.isObjectLiteralExpression(options)) {
          const web = options.properties.find((p) => p.name?.getText(source) === 'webPreferences')
          if (web && ts.isPropertyAssignment(web) && ts.isObjectLiteralExpression(web.initializer)) {
            for (const p of web.initializer.properties) {
              if (ts.isPropertyAssignment(p)) prefs[p.name.getText(source)] = p.initializer.getText(source)
            }
          }
        }
        found.push({ file: path.relative(root, file), prefs })
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return found
}

describe('BrowserWindow security flags (static check of src/main)', () => {
  it('every window is isolated, sandboxed, without Node, with web security and our CommonJS preload', () => {
    const windows = browserWindowsIn(path.join(root, 'src/main'))
    expect(windows.length).toBeGreaterThan(0)
    for (const { prefs } of windows) {
      expect(prefs).toMatchObject({
        contextIsolation: 'true',
        sandbox: 'true',
        nodeIntegration: 'false',
        webSecurity: 'true',
      })
      expect(prefs.preload).toMatch(/'\.\.\/preload\/index\.cjs'/)
    }
  })

  it('the checker notices a window that turns a flag off', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-win-'))
    try {
      fs.writeFileSync(
        path.join(dir, 'bad.ts'),
        'new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: false, nodeIntegration: true } })\n',
      )
      const [win] = browserWindowsIn(dir)
      expect(win?.prefs).toEqual({ contextIsolation: 'true', sandbox: 'false', nodeIntegration: 'true' })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('electron.vite.config.ts', () => {
  // The config is a plain object (not a function or a promise), so its sections can be read directly.
  const config = electronViteConfig as UserConfig

  it('knows the Electron major version without the electron package (from package-lock.json)', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'))
    const locked: string = lock.packages['node_modules/electron'].version
    expect(electronMajorVersion()).toBe(locked.split('.')[0])
    expect(process.env.ELECTRON_MAJOR_VER).toBe(electronMajorVersion())
  })

  it('builds main and preload as CommonJS (.js and .cjs) and the renderer with relative paths and Vue', () => {
    const output = (o: unknown) => o as { format: string; entryFileNames: string }
    expect(output(config.main?.build?.rollupOptions?.output)).toEqual({
      format: 'cjs',
      entryFileNames: '[name].js',
    })
    expect(output(config.preload?.build?.rollupOptions?.output)).toEqual({
      format: 'cjs',
      entryFileNames: '[name].cjs',
    })
    expect(config.preload?.build?.externalizeDeps).toBe(false)
    expect(config.renderer?.base).toBe('./')
    expect(config.renderer?.build?.outDir).toBe(path.join(root, 'out/renderer'))
    const plugins = (config.renderer?.plugins ?? []).flat() as { name?: string }[]
    expect(plugins.map((p) => p?.name)).toContain('vite:vue')
  })

  describe('the main bundle', () => {
    let outDir: string
    let code: string
    const savedNodeEnv = process.env.NODE_ENV

    beforeAll(async () => {
      outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-main-'))
      const { resolveConfig } = await import('electron-vite')
      const { build } = await import('vite')
      const resolved = await resolveConfig(
        { root, build: { outDir, emptyOutDir: true }, logLevel: 'warn' },
        'build',
        'production',
      )
      if (savedNodeEnv === undefined) delete process.env.NODE_ENV
      else process.env.NODE_ENV = savedNodeEnv
      if (!resolved.config?.main) throw new Error('electron.vite.config.ts has no main section')
      await build({ ...resolved.config.main, configFile: false, logLevel: 'warn' })
      const mainDir = path.join(outDir, 'main')
      code = (fs.readdirSync(mainDir, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.js'))
        .map((f) => fs.readFileSync(path.join(mainDir, f), 'utf8'))
        .join('\n')
    }, 120_000)

    afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }))

    /** Runs the built main process against the fake Electron, with `fakes` (module name → code) beside it. */
    function startMain(fakes: Record<string, string> = {}) {
      const dir = fs.mkdtempSync(path.join(outDir, 'run-'))
      for (const [name, code] of Object.entries({ electron: FAKE_ELECTRON, ...fakes })) {
        fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true })
        fs.writeFileSync(path.join(dir, 'node_modules', name, 'index.js'), code)
      }
      fs.cpSync(path.join(outDir, 'main'), path.join(dir, 'main'), { recursive: true })
      fs.writeFileSync(path.join(dir, 'harness.cjs'), HARNESS)
      fs.mkdirSync(path.join(dir, 'home'))
      const run = spawnSync(
        process.execPath,
        [path.join(dir, 'harness.cjs'), path.join(dir, 'main/index.js')],
        {
          // The bundle finds the fakes next to it and everything else in the project's node_modules.
          env: {
            ...process.env,
            NODE_PATH: path.join(root, 'node_modules'),
            FAKE_HOME: path.join(dir, 'home'),
          },
          encoding: 'utf8',
          timeout: 60_000,
        },
      )
      expect(run.stderr).not.toMatch(/Error/)
      return { dir, report: JSON.parse(run.stdout) }
    }

    it('refuses to start, with one plain message, when better-sqlite3 was built for another ABI', () => {
      const mismatched = `module.exports = class Database {
        constructor() {
          throw new Error("The module 'better_sqlite3.node'\\nwas compiled against a different Node.js version using\\n" +
            'NODE_MODULE_VERSION 115. This version of Node.js requires\\nNODE_MODULE_VERSION 139.')
        }
      }`
      const { report } = startMain({ 'better-sqlite3': mismatched })
      expect(report.windows).toBe(0)
      expect(report.exits).toEqual([1])
      expect(report.errors).toEqual([
        [
          'SeqLab cannot start',
          "SeqLab's database module was built for Node, not for this Electron (module ABI 115, this Electron " +
            'needs 139): run `npx @electron/rebuild -f -w better-sqlite3` in the SeqLab folder, then start SeqLab again.',
        ],
      ])
    })

    it('starts in (fake) Electron: a hardened window, and IPC calls from SeqLab’s page only', () => {
      const { dir, report } = startMain()
      expect(report.errors).toEqual([])
      expect(report.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        preload: path.join(dir, 'preload/index.cjs'),
      })
      expect(report.size).toEqual([1366, 768, 1024, 700])
      expect(report.ownUrl).toBe(pathToFileURL(path.join(dir, 'renderer/index.html')).href)
      expect(report.appInfo.value).toMatchObject({
        ok: true,
        value: { version: '0.1.0-test', transport: 'electron', capabilities: { nativeDialogs: true } },
      })
      expect(report.badInput.value).toMatchObject({
        ok: false,
        error: { kind: 'input', code: 'call.invalid_argument' },
      })
      for (const refused of [report.fromOtherPage, report.fromSubframe, report.fromOtherContents]) {
        expect(refused.rejected).toMatch(/not SeqLab's window/)
      }
      expect(report.csp['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY])
      expect(report.remoteRequest).toEqual({ cancel: true })
      expect(report.ownRequest).toEqual({ cancel: false })
      expect(report.permission).toBe(false)
      expect(report.navigationPrevented).toBe(true)
      expect(report.windowOpen).toEqual({ action: 'deny' })
      expect(report.opened).toEqual(['https://www.ncbi.nlm.nih.gov/'])
      expect(report.menu).toEqual(['&File', 'editMenu', '&View', 'help'])
    })

    it('is out/main/index.js in CommonJS, leaving Electron, native and TensorFlow.js packages to require()', () => {
      expect(fs.existsSync(path.join(outDir, 'main', 'index.js'))).toBe(true)
      const required = new Set([...code.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]!))
      expect(required).toContain('electron')
      expect(required).toContain('better-sqlite3')
      expect(required).toContain('@tensorflow/tfjs-core')
      const packages = [...required].filter((id) => !id.startsWith('.') && !id.startsWith('node:'))
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
      const allowed = new Set(['electron', ...builtinModules, ...Object.keys(pkg.dependencies)])
      // Anything else would be a devDependency, absent from the packaged app.
      expect(packages.filter((id) => !allowed.has(id.replace(/^(@[^/]+\/[^/]+|[^/]+).*$/, '$1')))).toEqual([])
      expect(code).not.toMatch(/^\s*(import|export)\s/m)
    })
  })
})
