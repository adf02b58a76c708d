/**
 * Numbers as a scientist reads them, in the reader's language: AUROC with three decimals, rates as
 * percentages, counts with thousands separators, "1 in 235", "0.91 (95% CI 0.88–0.93)", "0.91 ± 0.02".
 * Pure: the locale and the translate function come in, so tests run it in Node with the real messages.
 */

/** The shape of vue-i18n's `t` this module needs. */
export type Translate = (key: string, values?: Record<string, unknown>) => string

const DASH = '—'
/** U+2212, not a hyphen: "−0.021" is a number, "-0.021" can read as a dash. */
const MINUS = '\u2212'

const cache = new Map<string, Intl.NumberFormat>()
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let format = cache.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, options)
    cache.set(key, format)
  }
  return format
}

const missing = (value: number | null | undefined): value is null | undefined =>
  value == null || !Number.isFinite(value)

/** A score between 0 and 1 (AUROC, AUPRC, F1, MCC): three decimals, "0.912"; null → "—". */
export function formatMetric(value: number | null | undefined, locale: string, digits = 3): string {
  if (missing(value)) return DASH
  const text = numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    value,
  )
  return text.replace('-', MINUS)
}

/** A signed difference: "+0.021", "−0.013", "0.000". */
export function formatDelta(value: number | null | undefined, locale: string, digits = 3): string {
  if (missing(value)) return DASH
  // Rounds first so a tiny negative does not print as "−0.000".
  const rounded = Number(value.toFixed(digits))
  return numberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: 'exceptZero',
  })
    .format(rounded === 0 ? 0 : rounded)
    .replace('-', MINUS)
}

/**
 * A rate as a percentage with the precision the size calls for: 0.4526 → "45.3%", 0.01234 → "1.2%",
 * 0.004255 → "0.43%" (two significant digits below 10%, so a rare class never shows as "0%"); a change of
 * 100% or more in whole percent ("+200%").
 */
export function formatPercent(rate: number | null | undefined, locale: string): string {
  if (missing(rate)) return DASH
  if (rate === 0 || rate === 1) return numberFormat(locale, { style: 'percent' }).format(rate)
  const size = Math.abs(rate)
  const options: Intl.NumberFormatOptions =
    size < 0.1
      ? { style: 'percent', minimumSignificantDigits: 2, maximumSignificantDigits: 2 }
      : size < 1
        ? { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }
        : { style: 'percent', maximumFractionDigits: 0 }
  return numberFormat(locale, options).format(rate)
}

/** A count with the locale's grouping: 276216 → "276,216". Weight sums keep one decimal when they have one. */
export function formatCount(value: number | null | undefined, locale: string): string {
  if (missing(value)) return DASH
  return numberFormat(locale, { maximumFractionDigits: Number.isInteger(value) ? 0 : 1 }).format(value)
}

/** How many records hold one positive, rounded: 1,168 of 276,216 → 236. Null without positives. */
export function oneInN(positives: number, total: number): number | null {
  if (!(positives > 0) || !(total > 0)) return null
  return Math.max(1, Math.round(total / positives))
}

/** Locale-aware text formatting that needs words as well as digits. */
export function createFormat(locale: string, t: Translate) {
  const metric = (value: number | null | undefined, digits?: number) => formatMetric(value, locale, digits)
  return {
    locale,
    metric,
    delta: (value: number | null | undefined, digits?: number) => formatDelta(value, locale, digits),
    percent: (rate: number | null | undefined) => formatPercent(rate, locale),
    count: (value: number | null | undefined) => formatCount(value, locale),

    /** "1 in 235"; "no positives" when there are none. */
    oneIn(positives: number, total: number): string {
      const n = oneInN(positives, total)
      return n == null ? t('format.noPositives') : t('format.oneIn', { n: formatCount(n, locale) })
    },

    /** "0.912 (95% CI 0.881–0.934)", or the value alone when the interval is unknown. */
    ci(
      value: number | null | undefined,
      low: number | null | undefined,
      high: number | null | undefined,
    ): string {
      if (missing(value)) return DASH
      if (missing(low) || missing(high)) return metric(value)
      return t('format.ci', { value: metric(value), low: metric(low), high: metric(high) })
    },

    /** "0.912 ± 0.014" (sd over seeds or folds). */
    meanSd(mean: number | null | undefined, sd: number | null | undefined): string {
      if (missing(mean)) return DASH
      if (missing(sd)) return metric(mean)
      // The same in every language, so no message key.
      return `${metric(mean)} ± ${metric(sd)}`
    },
  }
}

export type Format = ReturnType<typeof createFormat>

/** Width of text in "Latin character" units: CJK and other wide characters count twice. */
export function displayWidth(text: string): number {
  let width = 0
  for (const char of text) width += isWide(char) ? 2 : 1
  return width
}

/** Text cut to `max` width units with "…", for legends and labels that show the full text on hover. */
export function truncateText(text: string, max: number): string {
  if (displayWidth(text) <= max) return text
  let out = ''
  let width = 0
  for (const char of text) {
    const w = isWide(char) ? 2 : 1
    if (width + w > max - 1) break
    out += char
    width += w
  }
  return `${out.trimEnd()}…`
}

function isWide(char: string): boolean {
  const code = char.codePointAt(0)!
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
}
