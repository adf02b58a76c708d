import { describe, expect, it } from 'vitest'
import en from '../../src/renderer/src/i18n/en'
import zhCN from '../../src/renderer/src/i18n/zh-CN'

type Tree = { [key: string]: string | Tree }

/** Every leaf as `dotted.key → text`. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort()

const english = flatten(en as Tree)
const chinese = flatten(zhCN as Tree)

// The error codes the services raise today (src/shared/errors.ts: the UI translates them by code).
const errorCodes = [
  'project.not_found',
  'project.exists',
  'project.not_sqlite',
  'project.not_seqlab',
  'project.too_new',
  'project.corrupt',
  'project.locked',
  'project.readonly',
  'project.not_open',
  'files.outside_workspace',
  'files.unknown_ref',
  'files.wrong_mode',
  'files.no_dialog',
  'files.no_workspace',
  'call.invalid_argument',
  'call.unknown',
  'call.bad_json',
]

describe('i18n messages', () => {
  it('English and Chinese have exactly the same keys', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort())
  })

  it('each key has the same placeholders in both languages', () => {
    const mismatches = [...english].filter(
      ([key, text]) => placeholders(text).join() !== placeholders(chinese.get(key) ?? '').join(),
    )
    expect(mismatches.map(([key]) => key)).toEqual([])
  })

  it('no message is empty, and the Chinese ones are actually Chinese', () => {
    expect([...english].filter(([, text]) => !text.trim()).map(([k]) => k)).toEqual([])
    expect([...chinese].filter(([, text]) => !text.trim()).map(([k]) => k)).toEqual([])
    // Names of products and runtimes stay as they are; everything else must contain Chinese.
    const untranslatedOk = /^engine\.(node|electron|sqlite)$/
    const hasHan = /\p{Script=Han}/u
    const untranslated = [...chinese].filter(([key, text]) => !untranslatedOk.test(key) && !hasHan.test(text))
    expect(untranslated.map(([k]) => k)).toEqual([])
  })

  it('translates every error code the services raise', () => {
    for (const code of errorCodes) {
      expect(english.has(`errors.${code}`), `en errors.${code}`).toBe(true)
      expect(chinese.has(`errors.${code}`), `zh-CN errors.${code}`).toBe(true)
    }
  })

  it('keeps vue-i18n syntax characters out of the text (they would break the message)', () => {
    const syntax = /[@|$]/
    const offending = [...english, ...chinese].filter(([, text]) => syntax.test(text)).map(([k]) => k)
    expect(offending).toEqual([])
  })
})
