/**
 * The preload: the only bridge between SeqLab's page and the main process. It exposes `window.seqlab`, an
 * implementation of the contract's `SeqLabApi` over two IPC channels, and nothing else: no ipcRenderer, no
 * Node. It runs sandboxed, so it is bundled to CommonJS that requires only 'electron' (see
 * test/unit/preload.test.ts), and it imports only types from the contract (zod stays out).
 *
 * Desktop extra, beyond `SeqLabApi`: `onMenu(handler)` delivers the application menu's actions
 * ('project.new', 'project.open') and projects the operating system asked SeqLab to open ('project.openFile',
 * with a `FileRef` to pass to 'projects.open'). It is absent in the browser, so the UI calls
 * `window.seqlab.onMenu?.(…)`, once at start-up (a file opened by the OS is delivered once, when the page has
 * loaded).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { CallName, EventName, FileRef, SeqLabApi } from '../shared/contract'
import { IPC_CALL, IPC_EVENT, IPC_MENU } from '../shared/ipc'

const MENU_CHANNEL = IPC_MENU

export type MenuHandler = (action: string, file?: FileRef) => void

export interface DesktopApi extends SeqLabApi {
  /** Subscribes to the application menu's actions; returns the function that unsubscribes. */
  onMenu(handler: MenuHandler): () => void
}

type Handler = (payload: unknown) => void

/** Handlers per event name, fed by a single IPC listener however many subscriptions there are. */
const eventHandlers = new Map<string, Set<Handler>>()
const menuHandlers = new Set<MenuHandler>()

function asFileRef(value: unknown): FileRef | undefined {
  const v = value as Partial<FileRef> | null | undefined
  return v && typeof v.id === 'string' && typeof v.name === 'string' ? { id: v.id, name: v.name } : undefined
}

ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return
  for (const handler of [...(eventHandlers.get(name) ?? [])]) handler(payload)
})

ipcRenderer.on(MENU_CHANNEL, (_event: IpcRendererEvent, action: unknown, file: unknown) => {
  if (typeof action !== 'string') return
  const ref = asFileRef(file)
  for (const handler of [...menuHandlers]) {
    if (ref) handler(action, ref)
    else handler(action)
  }
})

function subscribe<T>(set: Set<T>, handler: T): () => void {
  set.add(handler)
  return () => {
    set.delete(handler)
  }
}

const api: DesktopApi = {
  call: (name: CallName, input: unknown) => ipcRenderer.invoke(IPC_CALL, name, input),
  on: (event: EventName, handler: (payload: never) => void) => {
    let handlers = eventHandlers.get(event)
    if (!handlers) eventHandlers.set(event, (handlers = new Set()))
    return subscribe(handlers, handler as Handler)
  },
  onMenu: (handler) => subscribe(menuHandlers, handler),
}

contextBridge.exposeInMainWorld('seqlab', api)
