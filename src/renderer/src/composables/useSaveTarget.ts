/**
 * Where to save a file the services write (a report, a model): the native save dialog in the desktop app,
 * else a name in the workspace folder (SaveFileDialog, which the caller renders from `dialog` and feeds
 * back through `chosen`). `pick` resolves with the file and how to name it to the user, or null when the
 * user cancelled; the page never holds a path.
 */
import { reactive, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { callOrThrow } from '../api'
import type { PickedFile } from '../components/files/types'
import { useAppStore } from '../stores/app'

export interface SaveTarget {
  file: PickedFile
  /** "report.html" (native dialog) or "Workspace / reports/report.html". */
  shown: string
}

export interface SaveRequest {
  title: string
  /** Without the extension. */
  defaultName: string
  extension: string
  /** The filter's name in a native dialog, e.g. "HTML files". */
  filterName: string
}

export function useSaveTarget() {
  const { t } = useI18n()
  const app = useAppStore()
  const dialog = reactive({ show: false, title: '', defaultName: '', extension: '' })
  let settle: ((target: SaveTarget | null) => void) | undefined

  const finish = (target: SaveTarget | null) => {
    const done = settle
    settle = undefined
    done?.(target)
  }
  // Closing the workspace dialog without choosing is a cancel.
  watch(
    () => dialog.show,
    (open) => {
      if (!open) finish(null)
    },
  )

  async function pick(request: SaveRequest): Promise<SaveTarget | null> {
    const info = await app.loadAppInfo()
    if (info.capabilities.nativeDialogs) {
      const ref = await callOrThrow('files.pickSave', {
        title: request.title,
        defaultName: `${request.defaultName}.${request.extension}`,
        filters: [{ name: request.filterName, extensions: [request.extension] }],
      })
      return ref ? { file: { ref, name: ref.name }, shown: ref.name } : null
    }
    finish(null)
    Object.assign(dialog, {
      show: true,
      title: request.title,
      defaultName: request.defaultName,
      extension: request.extension,
    })
    return new Promise((resolve) => (settle = resolve))
  }

  /** SaveFileDialog's `chosen` event. */
  function chosen(file: PickedFile, relativePath: string): void {
    finish({ file, shown: `${t('files.workspace')} / ${relativePath}` })
  }

  return { dialog, pick, chosen }
}
