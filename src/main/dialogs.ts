/**
 * Native file dialogs for the services (`PlatformDialogs`). The services turn the picked path into an opaque
 * file reference, so the renderer never holds a path of its own choosing.
 */
import { BrowserWindow, dialog, type FileFilter } from 'electron'
import * as path from 'node:path'
import type { PlatformDialogs } from '../app/services'

/**
 * Dialogs are modal to the focused window (or the main one); without a window they stand alone. A suggested
 * save name starts in `defaultDir` (a bare name would be resolved against the process's working directory).
 */
export function nativeDialogs(
  fallbackWindow: () => BrowserWindow | undefined,
  defaultDir: () => string,
): PlatformDialogs {
  const parent = () => BrowserWindow.getFocusedWindow() ?? fallbackWindow()
  const filters = (f: FileFilter[] | undefined) => f ?? []
  return {
    async pickOpen(o) {
      const options = { title: o.title, filters: filters(o.filters), properties: ['openFile' as const] }
      const win = parent()
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    async pickSave(o) {
      const options = {
        title: o.title,
        defaultPath: o.defaultName ? path.join(defaultDir(), path.basename(o.defaultName)) : undefined,
        filters: filters(o.filters),
      }
      const win = parent()
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      return result.canceled ? null : (result.filePath ?? null)
    },
  }
}
