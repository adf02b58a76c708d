import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'

export const locales = ['en', 'zh-CN'] as const
export type Locale = (typeof locales)[number]

/** Each language named in itself, for the switch in Settings. */
export const localeNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' }

const STORAGE_KEY = 'seqlab.locale'

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value)
}

/** The saved choice, else the browser's language (any Chinese variant gets 简体中文), else English. */
export function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (isLocale(saved)) return saved
  } catch {
    // Storage can be unavailable (privacy settings); the default still works.
  }
  return navigator.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export function saveLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // Not persisted, but the switch still applies to this session.
  }
}

/**
 * Called for every message key the shown language lacks. vue-i18n would quietly show the English text (the
 * fallback) or the key itself, and its own warning exists only in development builds; this reports it in every
 * build as a console error naming the key and language, so an e2e suite (which fails on console errors) fails
 * on the screen that shows it, in the 简体中文 run as in English.
 */
export function reportMissingKey(locale: string, key: string): void {
  console.error(`[i18n] Not found '${key}' key in '${locale}' locale messages`)
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
  // Returning nothing keeps vue-i18n's own behaviour (try the fallback, else show the key).
  missing: (locale, key) => reportMissingKey(locale, key),
})
