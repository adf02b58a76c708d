/**
 * CSV as spreadsheets read it (RFC 4180): fields with a comma, quote or line break are quoted and quotes
 * doubled, lines end in CRLF, and a byte-order mark tells Excel the file is UTF-8 (Chinese headers,
 * "μ", "–" would otherwise come out garbled).
 */

export type CsvCell = string | number | boolean | null | undefined

const BOM = '\uFEFF'

export function csvField(value: CsvCell): string {
  if (value == null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  // A text cell starting with = + - @ would run as a formula in a spreadsheet; a leading ' keeps it text.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One header row and the data rows as one CSV text (with the BOM). */
export function toCsv(header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): string {
  return BOM + [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
