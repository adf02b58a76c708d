import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

// scripts/ensure-electron-types.mjs, run against throw-away project folders and an unreachable registry, so
// the tests need no network and never touch this repository's node_modules.
const root = path.resolve(__dirname, '../..')
const script = path.join(root, 'scripts/ensure-electron-types.mjs')
const CACHE = 'node_modules/.cache/seqlab/electron-types'

const temps: string[] = []
afterEach(() => temps.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

function project(lockedVersion = '38.8.6'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-types-'))
  temps.push(dir)
  fs.writeFileSync(path.join(dir, 'package.json'), '{"optionalDependencies":{"electron":"^38.8.6"}}')
  const lock = { packages: { 'node_modules/electron': { version: lockedVersion } } }
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  return dir
}

function write(dir: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true })
  fs.writeFileSync(path.join(dir, rel), text)
}

function ensure(dir: string) {
  const env = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' }
  return spawnSync(process.execPath, [script, '--root', dir], { env, encoding: 'utf8', timeout: 120_000 })
}

describe('scripts/ensure-electron-types.mjs', () => {
  it('removes its copy when the real electron package (with its types) is installed', () => {
    const dir = project()
    write(dir, 'node_modules/electron/electron.d.ts', '// real')
    write(dir, `${CACHE}/electron.d.ts`, '// copy')
    const run = ensure(dir)
    expect(run.status).toBe(0)
    expect(fs.existsSync(path.join(dir, CACHE))).toBe(false)
  })

  it('does nothing, without asking the registry, when the locked version is already extracted', () => {
    const dir = project('38.8.6')
    write(dir, `${CACHE}/electron.d.ts`, '// extracted before')
    write(dir, `${CACHE}/version.txt`, '38.8.6\n')
    const run = ensure(dir)
    expect(run.status).toBe(0)
    expect(run.stdout + run.stderr).not.toMatch(/warning|npm/)
    expect(fs.readFileSync(path.join(dir, CACHE, 'electron.d.ts'), 'utf8')).toBe('// extracted before')
  })

  it('warns and still succeeds when the registry cannot be reached (installing must not fail)', () => {
    const dir = project('38.8.7')
    write(dir, `${CACHE}/version.txt`, '38.8.6\n')
    const run = ensure(dir)
    expect(run.status).toBe(0)
    expect(run.stderr).toContain("warning: could not fetch Electron's types (electron@38.8.7)")
  })
})
