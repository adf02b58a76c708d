/**
 * Saving a file from the renderer: a Blob and a temporary <a download>. It works in a browser tab and in
 * Electron's sandboxed renderer alike (Electron shows its save dialog for it), needs no API call, and
 * keeps within the CSP: blob: URLs, no fetch of data: URLs (connect-src would refuse those).
 */

export { dataUrlToBlob, safeFileName } from './filename'

export const MIME = {
  png: 'image/png',
  svg: 'image/svg+xml',
  csv: 'text/csv;charset=utf-8',
} as const
export type ExportKind = keyof typeof MIME

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked later, not at once: the browser reads the URL after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

export function downloadText(text: string, fileName: string, kind: ExportKind): void {
  downloadBlob(new Blob([text], { type: MIME[kind] }), fileName)
}
