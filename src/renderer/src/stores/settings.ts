import { defineStore } from 'pinia'
import { computed } from 'vue'
import { i18n, saveLocale, type Locale } from '../i18n'

export const useSettingsStore = defineStore('settings', () => {
  const locale = computed<Locale>(() => i18n.global.locale.value as Locale)

  function setLocale(next: Locale): void {
    i18n.global.locale.value = next
    document.documentElement.lang = next
    saveLocale(next)
  }

  return { locale, setLocale }
})
