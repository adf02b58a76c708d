#!/usr/bin/env node
/**
 * Makes Electron's type declarations available to `tsc` even where the `electron` package is missing.
 *
 * `electron` is an optional dependency: its install script downloads the binary, which fails offline, and npm
 * then removes the whole package, types included. src/main and src/preload still have to typecheck, so this
 * script fetches only `electron.d.ts` from the registry tarball of the exact version in package-lock.json and
 * puts it where tsconfig.node.json looks (`node_modules/.cache/seqlab/electron-types/`).
 *
 * - When the real package is installed, the cached copy is removed (two copies would declare everything twice).
 * - When the registry is unreachable, it warns and exits 0: installing must not fail because of types.
 * - A version stamp makes repeated runs (every `npm install`) instant.
 *
 * Usage: node scripts/ensure-electron-types.mjs [--root <project dir>]
 */
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const TYPES_FILE = 'electron.d.ts'
const STAMP_FILE = 'version.txt'

function projectRoot() {
  const flag = process.argv.indexOf('--root')
  if (flag !== -1 && process.argv[flag + 1]) return path.resolve(process.argv[flag + 1])
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** The exact version npm resolved, else the range package.json asks for (npm pack accepts both). */
export function electronVersionSpec(root) {
  const lock = readJson(path.join(root, 'package-lock.json'))
  const locked = lock?.packages?.['node_modules/electron']?.version
  if (locked) return locked
  const pkg = readJson(path.join(root, 'package.json')) ?? {}
  for (const field of ['optionalDependencies', 'devDependencies', 'dependencies']) {
    const range = pkg[field]?.electron
    if (range) return range
  }
  return 'latest'
}

function npm(args, cwd) {
  // On Windows npm is a .cmd script, which execFile can only start through a shell.
  return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
    timeout: 120_000,
  })
}

/** Downloads the tarball of `spec` into a temp dir and returns the extracted `electron.d.ts` text and version. */
function fetchTypes(spec) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-electron-types-'))
  try {
    const out = npm(
      ['pack', `electron@${spec}`, '--json', '--loglevel=error', '--pack-destination', tmp],
      tmp,
    )
    const info = JSON.parse(out.slice(out.indexOf('[')))[0]
    const tarball = path.join(tmp, info.filename)
    // Extract one member only; `tar` ships with Linux, macOS and Windows 10+.
    execFileSync('tar', ['-xzf', tarball, '-C', tmp, `package/${TYPES_FILE}`], { stdio: 'pipe' })
    return { version: info.version, text: fs.readFileSync(path.join(tmp, 'package', TYPES_FILE), 'utf8') }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

function main() {
  const root = projectRoot()
  const cacheDir = path.join(root, 'node_modules', '.cache', 'seqlab', 'electron-types')

  if (fs.existsSync(path.join(root, 'node_modules', 'electron', TYPES_FILE))) {
    fs.rmSync(cacheDir, { recursive: true, force: true })
    return
  }

  const spec = electronVersionSpec(root)
  const stampPath = path.join(cacheDir, STAMP_FILE)
  const stamp = fs.existsSync(stampPath) ? fs.readFileSync(stampPath, 'utf8').trim() : ''
  if (stamp === spec && fs.existsSync(path.join(cacheDir, TYPES_FILE))) return

  let fetched
  try {
    fetched = fetchTypes(spec)
  } catch (err) {
    const lines = (err?.stderr || err?.message || String(err)).toString().trim().split('\n')
    const detail = lines.find((l) => /error/i.test(l) && !/complete log/i.test(l)) ?? lines[0]
    console.warn(
      `warning: could not fetch Electron's types (electron@${spec}); src/main will not typecheck. ${detail}`,
    )
    return
  }
  fs.mkdirSync(cacheDir, { recursive: true })
  fs.writeFileSync(path.join(cacheDir, TYPES_FILE), fetched.text)
  // Stamp with the spec we were asked for, so the next run with the same lock file is a no-op.
  fs.writeFileSync(stampPath, `${spec}\n`)
  console.log(`Electron ${fetched.version} types extracted to ${path.relative(root, cacheDir)}`)
}

main()
