/** Pure parts of saving files (no DOM), so Node tests reach them. */

/**
 * A file name that every system accepts: no path separators or characters Windows refuses, no control
 * characters, spaces kept, other scripts (Chinese) kept, at most 100 characters before the extension.
 */
export function safeFileName(base: string, extension: string): string {
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 100)
  return `${cleaned || 'seqlab'}.${extension}`
}

/** The bytes of a `data:…;base64,` URL (what ECharts' getDataURL returns) as a Blob. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(dataUrl)
  if (!match) throw new Error('Not a data URL.')
  const [, type, base64, payload] = match as unknown as [string, string, string | undefined, string]
  if (!base64) return new Blob([decodeURIComponent(payload)], { type })
  const binary = atob(payload)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return new Blob([bytes], { type })
}
