import * as fs from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { aboutText, menuTemplate } from '../../src/main/menu'
import { projectFileFromArgv } from '../../src/main/open-file'
import {
  checkDatabaseModule,
  describeDatabaseModuleFailure,
  REBUILD_COMMAND,
} from '../../src/main/runtime-check'
import {
  CONTENT_SECURITY_POLICY,
  isAllowedRequest,
  isExternalLink,
  isOwnPage,
  isSamePage,
} from '../../src/main/security'

const root = path.resolve(__dirname, '../..')
const indexFile = path.join(root, 'out/renderer/index.html')
const built = { indexFile }
const dev = { indexFile, devUrl: 'http://localhost:5173/' }
const fileUrl = (p: string) => pathToFileURL(p).href

describe('what counts as SeqLab’s own page', () => {
  it('is the built index.html (with any route) or the dev server, nothing else', () => {
    expect(isOwnPage(fileUrl(indexFile), built)).toBe(true)
    expect(isOwnPage(fileUrl(indexFile) + '#/projects/p1', built)).toBe(true)
    expect(isOwnPage(fileUrl(path.join(root, 'out/renderer/other.html')), built)).toBe(false)
    expect(isOwnPage(fileUrl('/etc/passwd'), built)).toBe(false)
    expect(isOwnPage('http://localhost:5173/#/x', built)).toBe(false)
    expect(isOwnPage('http://localhost:5173/#/x', dev)).toBe(true)
    expect(isOwnPage('http://localhost:5174/', dev)).toBe(false)
    expect(isOwnPage('https://example.org/', dev)).toBe(false)
    expect(isOwnPage('not a url', dev)).toBe(false)
  })

  it('may load its own files, inline data and the dev server, but no remote content', () => {
    expect(isAllowedRequest(fileUrl(path.join(root, 'out/renderer/assets/index.js')), built)).toBe(true)
    expect(isAllowedRequest('data:image/png;base64,AAAA', built)).toBe(true)
    expect(isAllowedRequest(fileUrl(path.join(root, 'package.json')), built)).toBe(false)
    expect(isAllowedRequest('https://cdn.example.org/x.js', built)).toBe(false)
    expect(isAllowedRequest('http://localhost:5173/src/main.ts', built)).toBe(false)
    expect(isAllowedRequest('http://localhost:5173/src/main.ts', dev)).toBe(true)
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true)
    expect(isAllowedRequest('https://cdn.example.org/x.js', dev)).toBe(false)
  })

  it('sends only https links to the system browser, and tells a route change from leaving the page', () => {
    expect(isExternalLink('https://www.ncbi.nlm.nih.gov/')).toBe(true)
    expect(isExternalLink('http://example.org/')).toBe(false)
    expect(isExternalLink('file:///etc/passwd')).toBe(false)
    expect(isExternalLink('javascript:alert(1)')).toBe(false)
    const page = fileUrl(indexFile)
    expect(isSamePage(page + '#/a', page + '#/b')).toBe(true)
    expect(isSamePage(page, 'https://example.org/')).toBe(false)
  })

  it('uses a CSP whose every directive is also in the renderer’s own <meta> policy', () => {
    const html = fs.readFileSync(path.join(root, 'src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    const directives = (csp: string) =>
      csp
        .split(';')
        .map((d) => d.trim().replace(/\s+/g, ' '))
        .filter(Boolean)
    expect(directives(meta!)).toEqual(expect.arrayContaining(directives(CONTENT_SECURITY_POLICY)))
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|https?:|\*/)
  })
})

describe('runtime check of the database module', () => {
  it('passes here, where better-sqlite3 was built for this Node', () => {
    expect(checkDatabaseModule()).toBeNull()
  })

  it('explains an ABI mismatch with the rebuild command, without a stack trace', () => {
    const err = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of ' +
        'Node.js requires\nNODE_MODULE_VERSION 139. Please try re-compiling or re-installing\nthe module.',
    )
    const problem = checkDatabaseModule(() => {
      throw err
    })
    expect(problem?.message).toContain("SeqLab's database module was built for Node, not for this Electron")
    expect(problem?.message).toContain('(module ABI 115, this Electron needs 139)')
    expect(problem?.message).toContain(`run \`${REBUILD_COMMAND}\``)
    expect(REBUILD_COMMAND).toBe('npx @electron/rebuild -f -w better-sqlite3')
    expect(problem?.message).not.toMatch(/\n\s+at /)
  })

  it('reports any other load failure by its first line', () => {
    const problem = describeDatabaseModuleFailure(
      new Error('Could not locate the bindings file. Tried:\n → a\n → b'),
    )
    expect(problem.message).toContain('could not be loaded: Could not locate the bindings file. Tried:')
    expect(problem.message).not.toContain('→ a')
  })
})

describe('application menu', () => {
  const items = (m: MenuItemConstructorOptions | undefined) =>
    (m?.submenu ?? []) as MenuItemConstructorOptions[]
  const byLabel = (menu: MenuItemConstructorOptions[], label: string) =>
    menu.find((m) => m.label?.replace('&', '') === label)
  const build = (isMac: boolean, isDev: boolean) => {
    const send = vi.fn()
    const showAbout = vi.fn()
    return { menu: menuTemplate({ isMac, isDev, send, showAbout }), send, showAbout }
  }
  const click = (item: MenuItemConstructorOptions | undefined) =>
    (item?.click as unknown as () => void | undefined)?.()

  it('File offers New and Open project, sent to the UI, and Quit', () => {
    const { menu, send } = build(false, false)
    const file = items(byLabel(menu, 'File'))
    click(file.find((i) => i.label === 'New Project…'))
    click(file.find((i) => i.label === 'Open Project…'))
    expect(send.mock.calls).toEqual([['project.new'], ['project.open']])
    expect(file.some((i) => i.role === 'quit')).toBe(true)
  })

  it('has reload and DevTools only in development, zoom always, and About in Help', () => {
    const roles = (menu: MenuItemConstructorOptions[]) => items(byLabel(menu, 'View')).map((i) => i.role)
    expect(roles(build(false, true).menu)).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools', 'zoomIn']),
    )
    expect(roles(build(false, false).menu)).not.toContain('toggleDevTools')
    expect(roles(build(false, false).menu)).not.toContain('reload')
    expect(roles(build(false, false).menu)).toEqual(
      expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut']),
    )
    const { menu, showAbout } = build(false, false)
    expect(menu.some((m) => m.role === 'editMenu')).toBe(true)
    click(items(menu.find((m) => m.role === 'help')).find((i) => i.label === 'About SeqLab'))
    expect(showAbout).toHaveBeenCalledOnce()
  })

  it('on macOS adds the app menu with Quit', () => {
    const { menu } = build(true, false)
    expect(menu[0]?.label).toBe('SeqLab')
    expect(items(menu[0]).some((i) => i.role === 'quit')).toBe(true)
  })

  it('About lists the versions a bug report needs', () => {
    const text = aboutText({ app: '0.1.0', electron: '38.8.6', chrome: '140.0', node: '22.19.0', v8: '14.0' })
    expect(text.split('\n')).toEqual([
      'SeqLab 0.1.0',
      '',
      'Electron 38.8.6',
      'Chromium 140.0',
      'Node.js 22.19.0',
      'V8 14.0',
    ])
  })
})

describe('project files opened by the operating system', () => {
  it('takes the last .seqlab argument, resolved against the launch folder, ignoring options', () => {
    expect(projectFileFromArgv(['/opt/SeqLab/seqlab', 'JunD.seqlab'], '/home/ana')).toBe(
      path.resolve('/home/ana', 'JunD.seqlab'),
    )
    expect(projectFileFromArgv(['electron', '.', '--flag=x.seqlab', '/data/a.SEQLAB'], '/tmp')).toBe(
      path.resolve('/data/a.SEQLAB'),
    )
    expect(projectFileFromArgv(['electron', '.'], '/tmp')).toBeUndefined()
    expect(projectFileFromArgv(['JunD.seqlab'], '/tmp')).toBeUndefined()
  })
})
