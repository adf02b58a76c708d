/**
 * The IPC bridge between the window and the services: one handler for every call (the services validate the
 * input against the contract in `dispatch`), one channel for every event. A call is accepted only from the
 * top frame of SeqLab's own window showing SeqLab's own page.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import type { Services } from '../app/services'
import { IPC_CALL, IPC_EVENT } from '../shared/ipc'
import { isOwnPage, type RendererLocation } from './security'

export interface IpcOptions {
  services: Pick<Services, 'dispatch' | 'events'>
  where: RendererLocation
  /** The windows that may call and that receive events (normally the one main window). */
  windows: () => BrowserWindow[]
}

function isTrustedSender(event: IpcMainInvokeEvent, o: IpcOptions): boolean {
  const frame = event.senderFrame
  if (!frame || frame.parent) return false
  return (
    o.windows().some((w) => !w.isDestroyed() && w.webContents === event.sender) &&
    isOwnPage(frame.url, o.where)
  )
}

/** Registers the handlers; returns the function that removes them. */
export function registerIpc(o: IpcOptions): () => void {
  ipcMain.handle(IPC_CALL, (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event, o)) {
      throw new Error(
        `Refused a call from ${event.senderFrame?.url ?? 'an unknown frame'}: not SeqLab's window.`,
      )
    }
    return o.services.dispatch(typeof name === 'string' ? name : String(name), input)
  })
  const unsubscribe = o.services.events.subscribe(({ event, payload }) => {
    for (const win of o.windows()) {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload)
    }
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_CALL)
  }
}
