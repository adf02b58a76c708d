import { computed, ref } from 'vue'
import { useI18n } from 'vue-i18n'

/** Mirrors the contract's ProjectName (trimmed, 1–120 characters) so mistakes show before sending. */
export const PROJECT_NAME_MAX = 120

/** A name field with inline validation; `touched` keeps an empty field quiet until the user acts. */
export function useProjectName(initial = '') {
  const { t } = useI18n()
  const name = ref(initial)
  const touched = ref(false)

  const problem = computed(() => {
    const trimmed = name.value.trim()
    if (!trimmed) return t('projectName.required')
    if (trimmed.length > PROJECT_NAME_MAX) return t('projectName.tooLong', { max: PROJECT_NAME_MAX })
    return undefined
  })
  const shownProblem = computed(() => (touched.value ? problem.value : undefined))

  function reset(value = ''): void {
    name.value = value
    touched.value = false
  }

  return { name, touched, problem, shownProblem, reset }
}
