import { useI18n } from 'vue-i18n'
import type { InputErrorData } from '../../../../shared/errors'
import type { PickedFile } from '../files/types'
import { shownFileName } from '../files/types'

export interface ProblemText {
  /** "bad.fa, line 1,204" — where, in the user's words; empty when the problem has no place. */
  where: string
  message: string
  /** The server's expected/found, in English only (beside a translation they would mix languages). */
  details: string[]
}

/**
 * A data problem in the user's words: where (file, line or record, with the locale's digit grouping) and
 * what (translated by its code, else the server's English message, which is complete on its own).
 */
export function useProblemText() {
  const { t, te, n, locale } = useI18n()

  return (
    problem: InputErrorData,
    picked: readonly PickedFile[],
    alphabet?: 'dna' | 'protein',
  ): ProblemText => {
    const file = shownFileName(problem.file, picked)
    const line = problem.line !== undefined ? n(problem.line) : undefined
    const record = problem.record !== undefined ? n(problem.record) : undefined
    const where =
      line !== undefined
        ? t(file ? 'wizard.problems.fileLine' : 'wizard.problems.line', { file, line })
        : record !== undefined
          ? t(file ? 'wizard.problems.fileRecord' : 'wizard.problems.record', { file, record })
          : file
            ? t('wizard.problems.fileOnly', { file })
            : ''
    const values = { ...problem.params, file: file ?? '' }
    let message: string
    const letterCode = problem.code === 'fasta.bad_letter' || problem.code === 'dataset.bad_letter'
    if (letterCode && alphabet && problem.params?.letter !== undefined) {
      // The wizard knows the alphabet the file was read with, so it can say "not a DNA letter".
      message = t(`wizard.problems.badLetter.${alphabet}`, {
        letter: String(problem.params.letter),
        where: t(
          problem.params.column !== undefined ? 'wizard.problems.column' : 'wizard.problems.position',
          { n: n(Number(problem.params.column ?? problem.params.position ?? 0)) },
        ),
      })
    } else if (te(`errors.${problem.code}`)) {
      message = t(`errors.${problem.code}`, values)
    } else {
      // The server's message often starts with its own "line 1,204:"; the place is already said.
      message = problem.message.replace(/^(line|record|row) [\d,]+(, column \d+)?: /i, '')
    }
    const details: string[] = []
    const english = locale.value === 'en' || !te(`errors.${problem.code}`)
    if (english && problem.found !== undefined && !letterCode) {
      if (problem.expected !== undefined) details.push(t('errors.expected', { expected: problem.expected }))
      details.push(t('errors.found', { found: problem.found }))
    }
    return { where, message, details }
  }
}
