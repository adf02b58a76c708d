import * as fs from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROJECT_ERROR_CODES } from '../../src/app/store/errors'
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

// ---------------------------------------------------------------------------------------------------------
// The error codes the services raise, found by reading the source (src/shared/errors.ts: the UI translates an
// InputError by its code, `errors.<code>`), so a new code without a translation fails here, by name.
// ---------------------------------------------------------------------------------------------------------

const root = path.resolve(__dirname, '../..')
/** Where input errors are raised: the services, the CLI, and the renderer's own client-side failures. */
const SOURCE_DIRS = ['src/core', 'src/app', 'src/server', 'src/cli', 'src/shared', 'src/renderer/src/api']
/**
 * Places that pass on an error someone else already made (its code was found where it was made): the error's
 * own serialization, a worker's error rebuilt in the main thread, the CLI printing any error.
 */
const PASS_THROUGH = [
  'src/shared/errors.ts',
  'src/app/experiments/runner.ts',
  'src/app/predict/service.ts',
  'src/cli/output.ts',
]

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : []
  })
}

/** Index just past the string or template literal whose opening quote is at `i`. */
function skipQuoted(src: string, i: number): number {
  const quote = src[i]
  for (let j = i + 1; j < src.length; j++) {
    if (src[j] === '\\') j++
    else if (quote === '`' && src.startsWith('${', j)) j = skipBalanced(src, j + 1) - 1
    else if (src[j] === quote) return j + 1
  }
  return src.length
}

/** Index just past the bracket that closes the one at `i`, skipping strings and comments. */
function skipBalanced(src: string, i: number): number {
  let depth = 0
  for (let j = i; j < src.length; j++) {
    const c = src[j]!
    if (c === "'" || c === '"' || c === '`') j = skipQuoted(src, j) - 1
    else if (src.startsWith('//', j)) j = src.indexOf('\n', j) === -1 ? src.length : src.indexOf('\n', j)
    else if (src.startsWith('/*', j)) j = src.indexOf('*/', j) === -1 ? src.length : src.indexOf('*/', j) + 1
    else if ('([{'.includes(c)) depth++
    else if (')]}'.includes(c) && --depth === 0) return j + 1
  }
  return src.length
}

/** The top-level, comma-separated parts of the bracketed list opening at `open`, as source text. */
function listItems(src: string, open: number): string[] {
  const end = skipBalanced(src, open) - 1
  const items: string[] = []
  let start = open + 1
  for (let j = start; j < end; j++) {
    const c = src[j]!
    if (c === "'" || c === '"' || c === '`') j = skipQuoted(src, j) - 1
    else if ('([{'.includes(c)) j = skipBalanced(src, j) - 1
    else if (c === ',') {
      items.push(src.slice(start, j).trim())
      start = j + 1
    }
  }
  const last = src.slice(start, end).trim()
  if (last) items.push(last)
  return items
}

/** A code: dotted lower-case words, e.g. `project.not_sqlite`, `text.not_utf8`. */
const CODE = '[a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+'
const CODE_LITERAL = new RegExp('([\'"`])(' + CODE + ')\\1', 'g')
const CODE_TEMPLATE = /`([a-z][a-z0-9_]*(?:\.[a-z0-9_]*)*\.[a-z0-9_]*\$\{[^`]*)`/g
const IDENTIFIER = /^[A-Za-z_]\w*$/
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'new', 'typeof'])

interface Scan {
  /** Codes written out in full. */
  codes: Set<string>
  /** Codes built from a template (`expression.duplicate_${kind}`), as patterns of the keys they can be. */
  templates: Map<string, RegExp>
  /** Places whose code the scan cannot follow: `file: expression`. */
  unresolved: string[]
}

/**
 * Every code given to `new InputError(code, …)` or to an `{ kind: 'input', code }` object: written out, in a
 * conditional or a template, through a constant (`const TOO_FEW = 'compare.too_few'`), or through helper
 * functions that take the code as a parameter (`locatedError(code, …)`, `encodeClasses(labels, errorCode)`,
 * also helpers of helpers), whose callers are then read in turn.
 */
function scanErrorCodes(): Scan {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(root, dir))).map((file) => ({
    name: path.relative(root, file).split(path.sep).join('/'),
    src: fs.readFileSync(file, 'utf8'),
  }))
  const constants = new Map<string, string[]>()
  for (const { src } of files) {
    for (const m of src.matchAll(new RegExp(`\\bconst\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*'(${CODE})'`, 'g'))) {
      constants.set(m[1]!, [...(constants.get(m[1]!) ?? []), m[2]!])
    }
  }
  const scan: Scan = { codes: new Set(), templates: new Map(), unresolved: [] }
  const helpers = new Map<string, number>() // function name → index of its code parameter
  const queue: string[] = []

  /** The function declared around `at` with a parameter `name`, and that parameter's index. */
  const enclosingHelper = (src: string, at: number, name: string): [string, number] | undefined => {
    let found: [string, number] | undefined
    for (const m of src.slice(0, at).matchAll(/\b(\w+)\s*(?:<[^<>()]*>)?\s*\(/g)) {
      if (KEYWORDS.has(m[1]!)) continue
      const open = m.index + m[0].length - 1
      // A declaration, not a call: the parameter has a type (`code: string`, `errorCode?: string`).
      const index = listItems(src, open).findIndex((p) => new RegExp(`^${name}\\??\\s*:`).test(p))
      if (index === -1) continue
      // The function's body must hold `at`; the last such declaration is the innermost.
      const paramsEnd = skipBalanced(src, open)
      const body = src.indexOf('{', paramsEnd)
      if (paramsEnd <= at && body !== -1 && body < at && skipBalanced(src, body) > at) found = [m[1]!, index]
    }
    return found
  }

  /** Reads the code argument `expression` found at `at` in `file`. */
  const read = (
    file: { name: string; src: string },
    at: number,
    expression: string,
    fromHelperCall: boolean,
  ) => {
    let understood = false
    for (const m of expression.matchAll(CODE_LITERAL)) {
      if (m[1] === '`' && m[2]!.includes('${')) continue
      scan.codes.add(m[2]!)
      understood = true
    }
    for (const m of expression.matchAll(CODE_TEMPLATE)) {
      const pattern = m[1]!.replace(/\./g, '\\.').replace(/\$\{[^}]*\}/g, '[a-z_]+')
      scan.templates.set(m[1]!, new RegExp(`^${pattern}$`))
      understood = true
    }
    if (understood) return
    if (IDENTIFIER.test(expression) && constants.has(expression)) {
      for (const code of constants.get(expression)!) scan.codes.add(code)
      return
    }
    const helper = IDENTIFIER.test(expression) ? enclosingHelper(file.src, at, expression) : undefined
    if (helper) {
      if (!helpers.has(helper[0])) {
        helpers.set(helper[0], helper[1])
        queue.push(helper[0])
      }
    } else if (!fromHelperCall) {
      scan.unresolved.push(`${file.name}: ${expression}`)
    }
  }

  for (const file of files) {
    for (const m of file.src.matchAll(/\bnew InputError\(/g)) {
      const first = listItems(file.src, m.index + m[0].length - 1)[0] ?? ''
      read(file, m.index, first, false)
    }
    for (const m of file.src.matchAll(
      /\bkind:\s*'input'(?:\s+as\s+const)?\s*,\s*code\b(?:\s*:\s*([^,}]+))?/g,
    )) {
      read(file, m.index, (m[1] ?? 'code').trim(), false)
    }
  }
  // Callers of helpers; a caller that passes on its own parameter is a helper too.
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const index = helpers.get(name)!
    for (const file of files) {
      for (const m of file.src.matchAll(new RegExp(`\\b${name}\\s*\\(`, 'g'))) {
        const argument = listItems(file.src, m.index + m[0].length - 1)[index]
        if (argument !== undefined) read(file, m.index, argument, true)
      }
    }
  }
  return scan
}

const scan = scanErrorCodes()
const errorCodes = [...new Set([...scan.codes, ...PROJECT_ERROR_CODES])].sort()

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

  it('finds the error codes however they are raised', () => {
    // Written out, in a conditional, through a constant, through helpers (and helpers of helpers), through
    // the store's constructors, and the server's and the renderer's `{ kind: 'input', code }` answers.
    for (const code of [
      'project.unknown_recent',
      'expression.not_numeric',
      'compare.too_few',
      'windows.bad_length',
      'bed.bad_strand',
      'dataset.duplicate_id',
      'weights.bad_labels',
      'splits.bad_labels',
      'project.disk_full',
      'call.too_large',
      'connection.offline',
    ]) {
      expect(errorCodes, code).toContain(code)
    }
    expect([...scan.templates.keys()]).toContain('expression.duplicate_${kind}')
    expect(errorCodes.length).toBeGreaterThan(150)
  })

  it('can follow the code of every error raised (else add the new helper or pass-through here)', () => {
    const unexplained = scan.unresolved.filter(
      (place) => !PASS_THROUGH.some((file) => place.startsWith(file)),
    )
    expect(unexplained).toEqual([])
  })

  it('translates every error code the services raise', () => {
    const missing = errorCodes.flatMap((code) => [
      ...(english.has(`errors.${code}`) ? [] : [`en errors.${code}`]),
      ...(chinese.has(`errors.${code}`) ? [] : [`zh-CN errors.${code}`]),
    ])
    expect(missing).toEqual([])
    // A code built from a template needs at least one translation it can be (`expression.duplicate_gene`).
    const translatable = (messages: Map<string, string>, pattern: RegExp) =>
      [...messages.keys()].some(
        (key) => key.startsWith('errors.') && pattern.test(key.slice('errors.'.length)),
      )
    const untranslatedTemplates = [...scan.templates].filter(
      ([, pattern]) => !translatable(english, pattern) || !translatable(chinese, pattern),
    )
    expect(untranslatedTemplates.map(([template]) => template)).toEqual([])
  })

  it('keeps vue-i18n syntax characters out of the text (they would break the message)', () => {
    const syntax = /[@|$]/
    const offending = [...english, ...chinese].filter(([, text]) => syntax.test(text)).map(([k]) => k)
    expect(offending).toEqual([])
  })
})
