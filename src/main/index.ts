/**
 * SeqLab's Electron main process: checks the native database module, starts the services, opens the one
 * window, and wires menu, dialogs and IPC. Everything SeqLab does is in the services (`src/app`); this file
 * only connects them to Electron.
 */
import { app, dialog, Menu, type BrowserWindow } from 'electron'
import * as path from 'node:path'
import type { FileRef } from '../shared/contract'
import type { Services } from '../app/services'
import { nativeDialogs } from './dialogs'
import { registerIpc } from './ipc'
import { aboutText, MENU_CHANNEL, menuTemplate, type MenuAction } from './menu'
import { projectFileFromArgv } from './open-file'
import { checkDatabaseModule } from './runtime-check'
import { createMainWindow, hardenSession, hardenWebContents, rendererLocation } from './window'

let mainWindow: BrowserWindow | undefined
let services: Services | undefined
let unregisterIpc: (() => void) | undefined
/** A project file the OS asked us to open before the window could take it. */
let pendingProjectFile: string | undefined = projectFileFromArgv(process.argv, process.cwd())

const openWindows = (): BrowserWindow[] => (mainWindow && !mainWindow.isDestroyed() ? [mainWindow] : [])

function sendMenuAction(action: MenuAction, file?: FileRef): void {
  const win = openWindows()[0]
  if (!win) return
  win.webContents.send(MENU_CHANNEL, action, file)
  if (win.isMinimized()) win.restore()
  win.focus()
}

/** Hands a pending OS-opened project to the UI once the page is loaded (it then calls 'projects.open'). */
function deliverPendingProjectFile(): void {
  const win = openWindows()[0]
  if (!pendingProjectFile || !services || !win || win.webContents.isLoading()) return
  // The user chose this file in their file manager: it is theirs to open, like a pick in a dialog.
  const ref = services.files.register(pendingProjectFile, 'read')
  pendingProjectFile = undefined
  sendMenuAction('project.openFile', ref)
}

function openProjectFileLater(file: string | undefined): void {
  if (!file) return
  pendingProjectFile = file
  deliverPendingProjectFile()
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: 'About SeqLab',
    message: 'SeqLab',
    detail: aboutText({
      app: app.getVersion(),
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
      v8: process.versions.v8,
    }),
  }
  const win = openWindows()[0]
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options))
}

function openMainWindow(): void {
  const where = rendererLocation()
  mainWindow = createMainWindow(where)
  mainWindow.on('closed', () => (mainWindow = undefined))
  mainWindow.webContents.on('did-finish-load', deliverPendingProjectFile)
}

async function start(): Promise<void> {
  await app.whenReady()

  // Before the services load anything: a database module built for the wrong ABI ends here, politely.
  const problem = checkDatabaseModule()
  if (problem) {
    dialog.showErrorBox(problem.title, problem.message)
    app.exit(1)
    return
  }

  const { createServices } = await import('../app/services')
  services = createServices({
    appVersion: app.getVersion(),
    appDataDir: app.getPath('userData'),
    defaultProjectsDir: path.join(app.getPath('documents'), 'SeqLab'),
    transport: 'electron',
    platform: nativeDialogs(
      () => openWindows()[0],
      () => app.getPath('documents'),
    ),
    runtime: { electron: process.versions.electron },
  })

  const where = rendererLocation()
  hardenSession(where)
  unregisterIpc = registerIpc({ services, where, windows: openWindows })
  const isMac = process.platform === 'darwin'
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate({ isMac, isDev: !app.isPackaged, send: sendMenuAction, showAbout })),
  )
  openMainWindow()
}

// One SeqLab at a time: a second launch focuses the first window (two processes on one project file would
// fight over it).
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const win = openWindows()[0]
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
    openProjectFileLater(projectFileFromArgv(argv, workingDirectory))
  })
  // macOS delivers double-clicked files this way, possibly before the app is ready.
  app.on('open-file', (event, file) => {
    event.preventDefault()
    openProjectFileLater(file)
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (services && openWindows().length === 0) openMainWindow()
  })
  app.on('will-quit', () => {
    unregisterIpc?.()
    services?.close()
    services = undefined
  })
  start().catch((err: unknown) => {
    // A bug at start-up: one readable box rather than Electron's stack-trace dialog.
    dialog.showErrorBox('SeqLab cannot start', err instanceof Error ? err.message : String(err))
    app.exit(1)
  })
}
