/**
 * File references: how a path reaches the services without the UI ever holding a path it could forge.
 *
 * - `FileRegistry` hands out opaque ids for paths this process chose to trust (a native dialog's pick, an
 *   upload, a checked workspace path) and turns them back into paths, checking the mode they were issued for.
 * - `resolveInWorkspace` / `listWorkspace` give the web bridge a folder the user started it with; nothing
 *   outside it is reachable: no `..`, no absolute paths or drive letters, no NUL bytes, and no symlink that
 *   leads out (real paths are compared, so a link inside pointing outside is refused).
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { FileRef, WorkspaceEntry } from '../shared/contract'
import { InputError } from '../shared/errors'

export type FileMode = 'read' | 'write'

interface Entry {
  path: string
  mode: FileMode
  name: string
}

export class FileRegistry {
  private readonly entries = new Map<string, Entry>()

  /** Trusts `absPath` for `mode` and returns an opaque reference to it. */
  register(absPath: string, mode: FileMode, displayName?: string): FileRef {
    if (!path.isAbsolute(absPath)) throw new Error(`FileRegistry.register needs an absolute path: ${absPath}`)
    const id = randomBytes(16).toString('base64url')
    const name = displayName ?? path.basename(absPath)
    this.entries.set(id, { path: absPath, mode, name })
    return { id, name }
  }

  /**
   * The path behind a reference. A 'write' reference may also be read (the user chose that file), a 'read'
   * reference may not be written.
   */
  resolve(ref: FileRef | string, mode: FileMode): string {
    const id = typeof ref === 'string' ? ref : ref.id
    const entry = this.entries.get(id)
    if (!entry) {
      throw new InputError(
        'files.unknown_ref',
        'This file reference is unknown or has expired: choose the file again.',
      )
    }
    if (mode === 'write' && entry.mode !== 'write') {
      throw new InputError(
        'files.wrong_mode',
        `"${entry.name}" was chosen for reading and cannot be written.`,
        {
          file: entry.name,
          expected: mode,
          found: entry.mode,
        },
      )
    }
    return entry.path
  }

  /** The display name of a reference, or undefined when unknown. */
  nameOf(ref: FileRef | string): string | undefined {
    return this.entries.get(typeof ref === 'string' ? ref : ref.id)?.name
  }

  forget(ref: FileRef | string): void {
    this.entries.delete(typeof ref === 'string' ? ref : ref.id)
  }
}

// ---------------------------------------------------------------------------------------------------
// The workspace

function outside(relativePath: string, why: string): InputError {
  return new InputError(
    'files.outside_workspace',
    `"${relativePath}" is not inside the workspace folder (${why}).`,
    {
      found: relativePath,
    },
  )
}

/** True when `target` is `root` or below it (both already absolute and normalised). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target)
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel))
}

/** Splits a relative path given by the UI into its segments, refusing every way of escaping. */
function safeSegments(relativePath: string): string[] {
  if (relativePath.includes('\0')) throw outside(relativePath, 'it contains a NUL byte')
  if (/^[a-zA-Z]:/.test(relativePath)) throw outside(relativePath, 'it names a drive')
  if (relativePath.startsWith('/') || relativePath.startsWith('\\') || path.isAbsolute(relativePath)) {
    throw outside(relativePath, 'it is an absolute path')
  }
  // Both separators on every OS: a backslash is a separator on Windows, and a name with one is suspect anyway.
  const segments = relativePath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.')
  if (segments.some((s) => s === '..')) throw outside(relativePath, 'it goes up with ".."')
  return segments
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p)
  } catch {
    return undefined
  }
}

function existsAsLink(p: string): boolean {
  try {
    fs.lstatSync(p)
    return true
  } catch {
    return false
  }
}

/**
 * The absolute, symlink-free path of `relativePath` under `workspaceDir`, or an InputError
 * 'files.outside_workspace'. A path that does not exist yet (a save target) is checked through the real
 * path of its nearest existing ancestor. With `mustExist`, a missing path is 'files.not_found'.
 */
export function resolveInWorkspace(
  workspaceDir: string,
  relativePath: string,
  options: { mustExist?: boolean } = {},
): string {
  const root = realpathOrUndefined(workspaceDir)
  if (!root)
    throw new InputError('files.no_workspace', 'The workspace folder does not exist.', {
      found: workspaceDir,
    })
  const segments = safeSegments(relativePath)
  const target = path.join(root, ...segments)

  const real = realpathOrUndefined(target)
  if (real !== undefined) {
    if (!isInside(root, real)) throw outside(relativePath, 'a link leads out of it')
    return real
  }
  // Does not resolve. A dangling symlink would let a write land wherever it points: refuse it.
  if (existsAsLink(target)) throw outside(relativePath, 'it is a link that leads nowhere inside it')
  if (options.mustExist) {
    throw new InputError('files.not_found', `"${relativePath}" does not exist in the workspace.`, {
      file: path.basename(target),
      found: relativePath,
    })
  }
  // Walk up to the nearest existing ancestor and check where it really is.
  let missing = [segments[segments.length - 1] ?? '']
  let parent = path.dirname(target)
  for (;;) {
    const realParent = realpathOrUndefined(parent)
    if (realParent !== undefined) {
      if (!isInside(root, realParent)) throw outside(relativePath, 'a link leads out of it')
      return path.join(realParent, ...missing)
    }
    if (existsAsLink(parent)) throw outside(relativePath, 'it is a link that leads nowhere inside it')
    missing = [path.basename(parent), ...missing]
    parent = path.dirname(parent)
  }
}

/** The entries of a folder under the workspace: folders first, then files, by name; dot-files hidden. */
export function listWorkspace(workspaceDir: string, relativePath = ''): WorkspaceEntry[] {
  const root = realpathOrUndefined(workspaceDir)
  if (!root)
    throw new InputError('files.no_workspace', 'The workspace folder does not exist.', {
      found: workspaceDir,
    })
  const dir = resolveInWorkspace(workspaceDir, relativePath || '.', { mustExist: true })
  if (!fs.statSync(dir).isDirectory()) {
    throw new InputError('files.not_a_directory', `"${relativePath}" is not a folder.`, {
      found: relativePath,
    })
  }
  const base = path.relative(root, dir).split(path.sep).filter(Boolean)
  const entries: WorkspaceEntry[] = []
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    if (dirent.name.startsWith('.')) continue
    const full = path.join(dir, dirent.name)
    const real = realpathOrUndefined(full)
    if (real === undefined || !isInside(root, real)) continue // links out (or dangling) are not shown
    const stat = fs.statSync(real)
    const relative = [...base, dirent.name].join('/')
    if (stat.isDirectory()) entries.push({ name: dirent.name, relativePath: relative, kind: 'directory' })
    else if (stat.isFile())
      entries.push({ name: dirent.name, relativePath: relative, kind: 'file', size: stat.size })
  }
  return entries.sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'directory' ? -1 : 1) : a.name.localeCompare(b.name, 'en'),
  )
}
