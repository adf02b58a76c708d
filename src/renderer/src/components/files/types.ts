import type { FileRef } from '../../../../shared/contract'

/** A file the user chose: the reference the services resolve, and the name to show (as the user knows it). */
export interface PickedFile {
  ref: FileRef
  name: string
}

/** True when `name` ends with one of the extensions (without dots; `fa.gz` works; empty list: any). */
export function hasExtension(name: string, extensions: readonly string[]): boolean {
  if (extensions.length === 0) return true
  const lower = name.toLowerCase()
  return extensions.some((ext) => lower.endsWith(`.${ext.toLowerCase()}`))
}

/**
 * The name an error should show for a file: an upload is stored as `<random>-<name>`, and the errors of
 * the services name the stored file; the user knows it by the name they picked.
 */
export function shownFileName(file: string | undefined, picked: readonly PickedFile[]): string | undefined {
  if (file === undefined) return undefined
  const match = picked.find((p) => file === p.ref.name || file.endsWith(`-${p.name}`))
  return match ? match.name : file
}
