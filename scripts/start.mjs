#!/usr/bin/env node
/**
 * `npm start`: runs the desktop app from the built files (`electron-vite preview`), building first when out/
 * is incomplete.
 *
 * The Electron binary is downloaded by the `electron` package's install script, which needs the internet;
 * where that failed npm drops the package, and there is nothing to start. Say so plainly and point to the
 * browser version rather than letting electron-vite fail with a stack trace.
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const requireFromRoot = createRequire(path.join(root, 'package.json'))

export const MISSING_ELECTRON =
  'The Electron binary is not installed on this machine (it is downloaded at install time, which needs the ' +
  'internet). Use the browser version instead: npm run web'

/** The Electron executable, or undefined when the package or its downloaded binary is missing. */
function electronBinary() {
  try {
    // The package's main export is the path of the binary it downloaded (it throws if the download failed).
    const binary = requireFromRoot('electron')
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined
  } catch {
    return undefined
  }
}

function isBuilt() {
  return ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) =>
    fs.existsSync(path.join(root, f)),
  )
}

function main() {
  if (!electronBinary()) {
    console.error(MISSING_ELECTRON)
    process.exit(1)
  }
  const cli = path.join(
    path.dirname(requireFromRoot.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  )
  const args = ['preview', ...(isBuilt() ? ['--skipBuild'] : []), ...process.argv.slice(2)]
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)))
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
}

main()
