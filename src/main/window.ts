/**
 * The main window and the session rules around it (DESIGN.md, "Security"): an isolated, sandboxed renderer
 * without Node, a strict CSP, no navigation away, no new windows, no permissions, no remote content.
 */
import { app, BrowserWindow, session, shell, type WebContents } from 'electron'
import * as path from 'node:path'
import {
  CONTENT_SECURITY_POLICY,
  isAllowedRequest,
  isExternalLink,
  isSamePage,
  type RendererLocation,
} from './security'

/** Where the renderer is: the built files next to this bundle, or the dev server in `electron-vite dev`. */
export function rendererLocation(): RendererLocation {
  const indexFile = path.join(__dirname, '../renderer/index.html')
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  return devUrl ? { indexFile, devUrl } : { indexFile }
}

/** Session-wide rules; call once, after `app` is ready. */
export function hardenSession(where: RendererLocation): void {
  const ses = session.defaultSession
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, where) })
  })
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    })
  })
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
}

/** Rules for every web contents the app ever creates (the window, DevTools, anything unexpected). */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isSamePage(contents.getURL(), url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isSamePage(contents.getURL(), url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(where: RendererLocation): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'SeqLab',
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  if (where.devUrl) void win.loadURL(where.devUrl)
  else void win.loadFile(where.indexFile)
  return win
}
