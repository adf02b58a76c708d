import { useI18n } from 'vue-i18n'

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/** Relative times ("3 days ago", "3 天前") and durations, in the current language. */
export function useTimeFormat() {
  const { t, locale } = useI18n()

  /** "3 minutes ago" for an ISO time; `now` is passed in so a list can share one clock. */
  function relative(iso: string, now: number = Date.now()): string {
    const then = Date.parse(iso)
    if (Number.isNaN(then)) return iso
    const seconds = Math.round((then - now) / 1000)
    if (Math.abs(seconds) < 45) return t('time.justNow')
    const format = new Intl.RelativeTimeFormat(locale.value, { numeric: 'auto' })
    for (const [unit, size] of units) {
      if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit)
    }
    return format.format(Math.round(seconds / 60), 'minute')
  }

  /** Full date and time, for tooltips next to a relative time. */
  function absolute(iso: string): string {
    const date = new Date(iso)
    if (Number.isNaN(date.getTime())) return iso
    return new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(date)
  }

  /** A short duration for an ETA: "40 s", "12 min", "2 h". */
  function duration(seconds: number): string {
    if (seconds < 60) return t('time.seconds', { n: Math.max(1, Math.round(seconds)) })
    if (seconds < 3600) return t('time.minutes', { n: Math.round(seconds / 60) })
    return t('time.hours', { n: Math.round((seconds / 3600) * 10) / 10 })
  }

  return { relative, absolute, duration }
}
