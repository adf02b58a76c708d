/**
 * The layering rule of DESIGN.md as code: which layer may import which, and which packages each layer must
 * never touch. `findLayerViolations` reads every source file's imports with the TypeScript parser (so
 * `import type` is told apart from a value import) and reports each import that breaks the rule.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import ts from 'typescript'

export type Layer = 'shared' | 'core' | 'app' | 'server' | 'cli' | 'main' | 'preload' | 'renderer'

/** Layers each layer may import (itself included). */
export const allowedLayers: Record<Layer, Layer[]> = {
  shared: ['shared'],
  core: ['core', 'shared'],
  app: ['app', 'core', 'shared'],
  server: ['server', 'app', 'core', 'shared'],
  cli: ['cli', 'server', 'app', 'core', 'shared'],
  main: ['main', 'app', 'core', 'shared'],
  preload: ['preload', 'shared'],
  renderer: ['renderer', 'shared'],
}

const nodeBuiltins = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https', 'net', 'crypto', 'stream', 'zlib', 'url']
const nodeFileSystem = ['fs', 'fs/promises', 'child_process', 'http', 'https', 'net']
const ui = ['vue', 'vue-router', 'pinia', 'vue-i18n', 'naive-ui', 'echarts', 'vue-echarts']
const withNodePrefix = (names: string[]): string[] => names.flatMap((n) => [n, `node:${n}`])

/** Packages a layer must never import (prefix match on the package name). */
export const forbiddenPackages: Record<Layer, string[]> = {
  shared: ['electron', 'better-sqlite3', '@tensorflow', ...ui, ...withNodePrefix(nodeBuiltins)],
  core: ['electron', 'better-sqlite3', 'ws', 'commander', ...ui, ...withNodePrefix(nodeFileSystem)],
  // ECharts renders the HTML report's charts server-side (SSR, SVG) in src/app/reports; no other UI package.
  app: ['electron', ...ui.filter((pkg) => pkg !== 'echarts')],
  server: ['electron', ...ui],
  cli: ['electron', ...ui],
  main: [...ui],
  preload: ['better-sqlite3', '@tensorflow', 'zod', ...ui, ...withNodePrefix(nodeBuiltins)],
  renderer: ['electron', 'better-sqlite3', '@tensorflow', 'zod', ...withNodePrefix(nodeBuiltins)],
}

/** Shared modules without dependencies that the renderer and preload may import as values. */
export const dependencyFreeShared = [
  'src/shared/errors.ts',
  'src/shared/ipc.ts',
  'src/shared/predict-limits.ts',
  'src/shared/web-protocol.ts',
]

export interface ImportRef {
  specifier: string
  typeOnly: boolean
  line: number
}

export interface Violation {
  file: string
  line: number
  specifier: string
  reason: string
}

export function layerOf(relFile: string): Layer | undefined {
  const m = /^src\/([^/]+)(?:\/|$)/.exec(relFile.replace(/\\/g, '/'))
  if (!m) return undefined
  const layer = m[1] as Layer
  return layer in allowedLayers ? layer : undefined
}

function scriptOf(fileName: string, text: string): string {
  if (!fileName.endsWith('.vue')) return text
  // Keep line numbers: blank out everything that is not inside <script> blocks.
  const out = text.split('\n').map(() => '')
  const re = /<script\b[^>]*>([\s\S]*?)<\/script>/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text))) {
    const startLine = text.slice(0, m.index + m[0].indexOf('>') + 1).split('\n').length - 1
    m[1]!.split('\n').forEach((l, i) => (out[startLine + i] = (i === 0 ? '' : '') + l))
  }
  return out.join('\n')
}

/** Every static import, re-export, dynamic `import()` and `require()` of a file. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, scriptOf(fileName, text), ts.ScriptTarget.Latest, true)
  const refs: ImportRef[] = []
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart()).line + 1
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly, line: lineOf(node) })
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, line: lineOf(node) })
    } else if (ts.isCallExpression(node)) {
      const arg = node.arguments[0]
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require'
      if ((isDynamicImport || isRequire) && arg && ts.isStringLiteralLike(arg)) {
        refs.push({ specifier: arg.text, typeOnly: false, line: lineOf(node) })
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      refs.push({ specifier: node.argument.literal.text, typeOnly: true, line: lineOf(node) })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return refs
}

function packageMatches(specifier: string, pkg: string): boolean {
  return specifier === pkg || specifier.startsWith(pkg + '/')
}

/** Checks one file, given its path relative to the repository root and its text. */
export function checkFile(relFile: string, text: string): Violation[] {
  const file = relFile.replace(/\\/g, '/')
  const layer = layerOf(file)
  if (!layer) return []
  const violations: Violation[] = []
  for (const ref of importsOf(file, text)) {
    const v = (reason: string) => violations.push({ file, line: ref.line, specifier: ref.specifier, reason })
    if (ref.specifier.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.specifier))
      const targetLayer = layerOf(target)
      if (!targetLayer) {
        if (target.startsWith('src/')) v(`imports ${target}, outside the known layers`)
        continue
      }
      if (!allowedLayers[layer].includes(targetLayer)) {
        v(`layer "${layer}" may not import layer "${targetLayer}"`)
      } else if ((layer === 'renderer' || layer === 'preload') && targetLayer === 'shared' && !ref.typeOnly) {
        const resolved = /\.(ts|vue)$/.test(target) ? target : `${target}.ts`
        if (!dependencyFreeShared.includes(resolved)) {
          v(`layer "${layer}" may import only types from ${target} (it pulls zod into the bundle)`)
        }
      }
    } else {
      const bad = forbiddenPackages[layer].find((pkg) => packageMatches(ref.specifier, pkg))
      if (bad && !ref.typeOnly) v(`layer "${layer}" may not import the package "${bad}"`)
    }
  }
  return violations
}

export function listSourceFiles(root: string, dir = 'src'): string[] {
  const out: string[] = []
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name)
      if (entry.isDirectory()) walk(child)
      else if (/\.(ts|vue|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child)
    }
  }
  walk(dir)
  return out
}

export function findLayerViolations(root: string): Violation[] {
  return listSourceFiles(root).flatMap((f) => checkFile(f, fs.readFileSync(path.join(root, f), 'utf8')))
}
