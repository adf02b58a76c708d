/**
 * The application menu. The template is built by a plain function (`menuTemplate`) so its content can be
 * tested without Electron; `installMenu` hands it to Electron.
 *
 * Actions that need the UI (a new or opened project goes through the UI's own dialogs and state) are sent to
 * the window as a `seqlab:menu` message carrying a `MenuAction`; the preload exposes them as `onMenu`.
 */
import type { MenuItemConstructorOptions } from 'electron'
import { IPC_MENU } from '../shared/ipc'

/** IPC channel of menu actions, main → renderer. */
export const MENU_CHANNEL = IPC_MENU

/**
 * 'project.new' and 'project.open' come from the menu; 'project.openFile' carries a file reference (`FileRef`)
 * to a project the operating system asked SeqLab to open (a double-clicked .seqlab file): the UI passes it to
 * 'projects.open'.
 */
export const MENU_ACTIONS = ['project.new', 'project.open', 'project.openFile'] as const
export type MenuAction = (typeof MENU_ACTIONS)[number]

export interface MenuOptions {
  isMac: boolean
  /** Development build: adds reload and DevTools. */
  isDev: boolean
  send: (action: 'project.new' | 'project.open') => void
  showAbout: () => void
}

export function menuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => o.send('project.new') },
      { label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => o.send('project.open') },
      { type: 'separator' },
      o.isMac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
    ],
  }
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(o.isDev
        ? ([
            { role: 'reload' },
            { role: 'forceReload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  }
  const about: MenuItemConstructorOptions = { label: 'About SeqLab', click: o.showAbout }
  return [
    // macOS puts About and Quit in the application menu named after the app.
    ...(o.isMac
      ? [
          {
            label: 'SeqLab',
            submenu: [
              about,
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } as MenuItemConstructorOptions,
        ]
      : []),
    file,
    { role: 'editMenu' },
    view,
    ...(o.isMac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []),
    { role: 'help', submenu: [about] },
  ]
}

/** The About box's text: what a bug report needs. */
export function aboutText(versions: {
  app: string
  electron?: string
  chrome?: string
  node: string
  v8?: string
}): string {
  return [
    `SeqLab ${versions.app}`,
    '',
    versions.electron ? `Electron ${versions.electron}` : undefined,
    versions.chrome ? `Chromium ${versions.chrome}` : undefined,
    `Node.js ${versions.node}`,
    versions.v8 ? `V8 ${versions.v8}` : undefined,
  ]
    .filter((line) => line !== undefined)
    .join('\n')
}
