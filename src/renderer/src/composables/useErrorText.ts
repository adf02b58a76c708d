import { useI18n } from 'vue-i18n'
import type { ErrorData } from '../../../shared/errors'

export interface ErrorText {
  message: string
  /** Where and what, one short line each: file, line, expected, found. */
  details: string[]
}

/**
 * Turns an error into words in the current language: `errors.<code>` when there is a translation,
 * else the server's English message (complete on its own by contract).
 */
export function useErrorText() {
  const { t, te, locale } = useI18n()

  return (error: ErrorData): ErrorText => {
    if (error.kind === 'internal')
      return { message: t('errors.internal', { message: error.message }), details: [] }
    const key = `errors.${error.code}`
    const translated = te(key)
    const message = translated ? t(key, { ...error.params, file: error.file ?? '' }) : error.message
    const details: string[] = []
    if (error.file) details.push(t('errors.where', { file: error.file }))
    if (error.line !== undefined) details.push(t('errors.line', { line: error.line }))
    if (error.record !== undefined) details.push(t('errors.record', { record: error.record }))
    // Expected/found are the server's English words: beside a translated message in another language they
    // would read as a mix of two languages, and the translation already says what went wrong.
    const englishDetailsFit = !translated || locale.value === 'en'
    if (englishDetailsFit && error.found !== undefined && error.code !== 'call.invalid_argument') {
      if (error.expected !== undefined) details.push(t('errors.expected', { expected: error.expected }))
      details.push(t('errors.found', { found: error.found }))
    }
    return { message, details }
  }
}
