/** What every chart reads from its surroundings: the theme (dark/light follows the system) and the locale. */
import { useOsTheme } from 'naive-ui'
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { createFormat, type Translate } from '../../lib/format'
import { chartInk, classColors, experimentColor, experimentDash } from '../../lib/palette'

/** The app's font stack (with its CJK fallbacks); ECharts would otherwise draw in plain sans-serif. */
let fontFamily: string | undefined
function appFont(): string {
  fontFamily ??=
    getComputedStyle(document.documentElement).getPropertyValue('--seqlab-font').trim() || 'sans-serif'
  return fontFamily
}

export function useChartTheme() {
  const osTheme = useOsTheme()
  const dark = computed(() => osTheme.value === 'dark')
  const ink = computed(() => chartInk(dark.value))
  return {
    dark,
    ink,
    font: appFont(),
    experimentColor: (id: string, orderedIds: readonly string[]) =>
      experimentColor(id, orderedIds, dark.value),
    experimentDash,
    classColors: (count: number) => classColors(count, dark.value),
  }
}

/** Number formatting in the current language (re-computed when the language changes). */
export function useFormat() {
  const { t, locale } = useI18n()
  return computed(() => createFormat(locale.value, t as Translate))
}
