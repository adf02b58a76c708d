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

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
})
