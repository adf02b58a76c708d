import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

const root = path.resolve(__dirname, '../..')
const MESSAGE =
  'The Electron binary is not installed on this machine (it is downloaded at install time, which needs the ' +
  'internet). Use the browser version instead: npm run web'

const temps: string[] = []
afterEach(() => temps.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/**
 * A copy of scripts/start.mjs in a project of its own, so what is installed there is up to the test (and a
 * machine that does have Electron never launches the app from a test).
 */
function projectWith(electronIndex?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-start-'))
  temps.push(dir)
  fs.mkdirSync(path.join(dir, 'scripts'))
  fs.copyFileSync(path.join(root, 'scripts/start.mjs'), path.join(dir, 'scripts/start.mjs'))
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"x","private":true}')
  if (electronIndex !== undefined) {
    const pkg = path.join(dir, 'node_modules/electron')
    fs.mkdirSync(pkg, { recursive: true })
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      '{"name":"electron","version":"38.8.6","main":"index.js"}',
    )
    fs.writeFileSync(path.join(pkg, 'index.js'), electronIndex)
  }
  return dir
}

function start(dir: string) {
  const env = { ...process.env }
  delete env.NODE_PATH
  return spawnSync(process.execPath, [path.join(dir, 'scripts/start.mjs')], {
    env,
    encoding: 'utf8',
    timeout: 30_000,
  })
}

describe('npm start (scripts/start.mjs) without Electron', () => {
  it('says plainly that the binary is missing and points to the web version, exit 1', () => {
    const run = start(projectWith())
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(MESSAGE)
    expect(run.stdout).toBe('')
  })

  it('says the same when the package is there but its binary download failed', () => {
    // What electron's index.js does when path.txt is missing.
    const run = start(
      projectWith(
        "throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again')",
      ),
    )
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(MESSAGE)
  })

  it('says the same when the package names a binary that does not exist', () => {
    const run = start(projectWith("module.exports = '/nonexistent/electron/dist/electron'"))
    expect(run.status).toBe(1)
    expect(run.stderr.trim()).toBe(MESSAGE)
  })
})

describe('npm start (scripts/start.mjs) with Electron', () => {
  /** A fake electron-vite that reports how it was started. */
  function withFakeElectronVite(dir: string) {
    const pkg = path.join(dir, 'node_modules/electron-vite')
    fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true })
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"electron-vite","version":"6.0.0"}')
    fs.writeFileSync(
      path.join(pkg, 'bin/electron-vite.js'),
      'console.log(JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd() })); process.exit(3)',
    )
  }
  // An existing file stands in for the Electron binary.
  const electronIndex = `module.exports = ${JSON.stringify(process.execPath)}`

  it('builds and previews when out/ is missing, and passes on the exit code', () => {
    const dir = projectWith(electronIndex)
    withFakeElectronVite(dir)
    const run = start(dir)
    expect(run.status).toBe(3)
    expect(JSON.parse(run.stdout)).toEqual({ args: ['preview'], cwd: fs.realpathSync(dir) })
  })

  it('previews the existing build without rebuilding when out/ is complete', () => {
    const dir = projectWith(electronIndex)
    withFakeElectronVite(dir)
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true })
      fs.writeFileSync(path.join(dir, f), '')
    }
    const run = start(dir)
    expect(JSON.parse(run.stdout).args).toEqual(['preview', '--skipBuild'])
  })
})
