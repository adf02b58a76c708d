#!/usr/bin/env node
/**
 * Completes package-lock.json with the other platforms' optional native packages (e.g. rollup's
 * `@rollup/rollup-darwin-arm64`) when the registry this lock was made against does not serve them.
 *
 * Why: on the machines this project is built on, the npm registry answers 404 for those packages, so
 * `npm install` leaves them out of the lock, and `npm ci` then refuses the lock as out of sync. An entry
 * that carries the package's `os`/`cpu`/`libc` lets `npm ci` skip it on every other platform, as it
 * would with a lock made elsewhere. Run it after `npm install` changes the lock:
 *   node scripts/complete-lockfile.mjs
 */
import fs from 'node:fs'

const file = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(fs.readFileSync(file, 'utf8'))
const packages = lock.packages

/** os, cpu and libc from a platform package's name, e.g. rollup-linux-arm-musleabihf. */
function platformOf(name) {
  const base = name.split('/').pop()
  const os = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'sunos', 'win32', 'netbsd', 'aix'].find(
    (o) => base.includes(`-${o}-`) || base.endsWith(`-${o}`),
  )
  const cpu = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'].find((c) =>
    new RegExp(`-${c}(-|$)`).test(base),
  )
  if (!os || !cpu) return undefined
  const libc = os === 'linux' ? (base.includes('musl') ? ['musl'] : base.includes('gnu') ? ['glibc'] : undefined) : undefined
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) }
}

let added = 0
for (const [where, meta] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`
    const nested = `${where}/node_modules/${dep}`
    if (packages[key] || packages[nested]) continue
    const platform = platformOf(dep)
    if (!platform) {
      console.warn(`complete-lockfile: ${dep} is missing from the lock and is not a platform package; left alone`)
      continue
    }
    packages[key] = { version, ...platform, ...(meta.dev ? { dev: true } : {}), license: meta.license, optional: true }
    added++
  }
}
// Keep npm's order (sorted keys after the root entry) so the diff stays small.
const [rootKey, ...rest] = Object.keys(packages)
lock.packages = Object.fromEntries([[rootKey, packages[rootKey]], ...rest.sort().map((k) => [k, packages[k]])])
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n')
console.log(`complete-lockfile: added ${added} platform package entr${added === 1 ? 'y' : 'ies'}`)
