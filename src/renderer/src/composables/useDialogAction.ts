/**
 * The one pattern of every confirm/submit dialog: while the action runs the dialog is busy; success
 * closes it; a failure stays inline (translated by its code) and keeps the dialog open; reopening clears
 * the last failure.
 */
import { ref, watch, type Ref } from 'vue'
import type { ErrorData } from '../../../shared/errors'
import { errorDataOf } from '../api'

export function useDialogAction(show: Ref<boolean>) {
  const busy = ref(false)
  const error = ref<ErrorData>()

  watch(show, (open) => open && (error.value = undefined), { immediate: true })

  /** Runs `action` unless one is already running; true when it succeeded (the dialog is then closed). */
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    error.value = undefined
    try {
      await action()
      show.value = false
      return true
    } catch (err) {
      error.value = errorDataOf(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { busy, error, run }
}
