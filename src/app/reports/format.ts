/**
 * Numbers and text of the report, as the app shows them (the renderer's src/renderer/src/lib/format.ts,
 * which this layer cannot import): metrics with three decimals and a true minus sign, rates as percentages
 * with the precision their size calls for, counts with the locale's grouping; and HTML escaping of
 * everything a user named (experiments, data sets, projects).
 */
const DASH = '—'
const MINUS = '\u2212'

const missing = (v: number | null | undefined): v is null | undefined => v == null || !Number.isFinite(v)

export interface ReportFormat {
  metric(v: number | null | undefined, digits?: number): string
  delta(v: number | null | undefined): string
  percent(rate: number | null | undefined): string
  count(v: number | null | undefined): string
  seconds(v: number | null | undefined): string
  /** "0.912 ± 0.014", or the mean alone without an sd. */
  meanSd(mean: number | null | undefined, sd: number | null | undefined): string
  date(d: Date): string
}

export function reportFormat(locale: string): ReportFormat {
  const nf = (o: Intl.NumberFormatOptions) => new Intl.NumberFormat(locale, o)
  const metric = (v: number | null | undefined, digits = 3) =>
    missing(v)
      ? DASH
      : nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v).replace('-', MINUS)
  return {
    metric,
    delta(v) {
      if (missing(v)) return DASH
      const rounded = Number(v.toFixed(3))
      return nf({ minimumFractionDigits: 3, maximumFractionDigits: 3, signDisplay: 'exceptZero' })
        .format(rounded === 0 ? 0 : rounded)
        .replace('-', MINUS)
    },
    percent(rate) {
      if (missing(rate)) return DASH
      if (rate === 0 || rate === 1) return nf({ style: 'percent' }).format(rate)
      const size = Math.abs(rate)
      return nf(
        size < 0.1
          ? { style: 'percent', minimumSignificantDigits: 2, maximumSignificantDigits: 2 }
          : { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 },
      ).format(rate)
    },
    count: (v) => (missing(v) ? DASH : nf({ maximumFractionDigits: Number.isInteger(v) ? 0 : 1 }).format(v)),
    seconds: (v) =>
      missing(v)
        ? DASH
        : nf(
            v > 0 && v < 1 ? { maximumSignificantDigits: 2 } : { maximumFractionDigits: v < 10 ? 1 : 0 },
          ).format(v),
    meanSd: (mean, sd) =>
      missing(mean) ? DASH : missing(sd) ? metric(mean) : `${metric(mean)} ± ${metric(sd)}`,
    date: (d) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(d),
  }
}

/** Text placed into HTML (element content or a quoted attribute). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
