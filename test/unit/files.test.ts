import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileRegistry, isInside, listWorkspace, resolveInWorkspace } from '../../src/app/files'
import { InputError } from '../../src/shared/errors'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof InputError) return err.code
    throw err
  }
  return undefined
}

describe('FileRegistry', () => {
  it('resolves a reference to the registered path and names it by its base name', () => {
    const files = new FileRegistry()
    const ref = files.register('/data/reads.fa', 'read')
    expect(ref.name).toBe('reads.fa')
    expect(ref.id).not.toContain('reads')
    expect(files.resolve(ref, 'read')).toBe('/data/reads.fa')
    expect(files.resolve(ref.id, 'read')).toBe('/data/reads.fa')
  })

  it('refuses unknown references and writing through a read reference', () => {
    const files = new FileRegistry()
    const read = files.register('/data/a.csv', 'read', 'A table')
    const write = files.register('/data/b.csv', 'write')
    expect(read.name).toBe('A table')
    expect(codeOf(() => files.resolve('nope', 'read'))).toBe('files.unknown_ref')
    expect(codeOf(() => files.resolve(read, 'write'))).toBe('files.wrong_mode')
    expect(files.resolve(write, 'write')).toBe('/data/b.csv')
    expect(files.resolve(write, 'read')).toBe('/data/b.csv')
    files.forget(write)
    expect(codeOf(() => files.resolve(write, 'write'))).toBe('files.unknown_ref')
  })

  it('issues a different id for every registration', () => {
    const files = new FileRegistry()
    const ids = new Set(Array.from({ length: 50 }, () => files.register('/x', 'read').id))
    expect(ids.size).toBe(50)
  })
})

describe('workspace paths', () => {
  let tmp: string
  let ws: string
  let outsideDir: string

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-files-')))
    ws = path.join(tmp, 'ws')
    outsideDir = path.join(tmp, 'outside')
    fs.mkdirSync(path.join(ws, 'data', 'deep'), { recursive: true })
    fs.mkdirSync(outsideDir)
    fs.writeFileSync(path.join(ws, 'data', 'reads.fa'), '>a\nACGT\n')
    fs.writeFileSync(path.join(outsideDir, 'secret.txt'), 'secret')
    fs.symlinkSync(outsideDir, path.join(ws, 'link-out'))
    fs.symlinkSync(path.join(outsideDir, 'secret.txt'), path.join(ws, 'secret-link.txt'))
    fs.symlinkSync(path.join(outsideDir, 'not-there.txt'), path.join(ws, 'dangling.txt'))
    fs.symlinkSync(path.join(ws, 'data'), path.join(ws, 'data-link'))
  })
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }))

  it('resolves plain relative paths, with either separator', () => {
    expect(resolveInWorkspace(ws, 'data/reads.fa')).toBe(path.join(ws, 'data', 'reads.fa'))
    expect(resolveInWorkspace(ws, 'data\\reads.fa')).toBe(path.join(ws, 'data', 'reads.fa'))
    expect(resolveInWorkspace(ws, './data//reads.fa')).toBe(path.join(ws, 'data', 'reads.fa'))
  })

  it('follows a symlink that stays inside the workspace', () => {
    expect(resolveInWorkspace(ws, 'data-link/reads.fa')).toBe(path.join(ws, 'data', 'reads.fa'))
  })

  it.each([
    ['parent', '../outside/secret.txt'],
    ['parent in the middle', 'data/../../outside/secret.txt'],
    ['harmless-looking parent', 'data/../data/reads.fa'],
    ['backslash parent', '..\\outside\\secret.txt'],
    ['absolute', '/etc/passwd'],
    ['absolute backslash', '\\etc\\passwd'],
    ['drive letter', 'C:\\Windows\\win.ini'],
    ['drive-relative', 'C:secret.txt'],
    ['UNC', '\\\\server\\share\\x'],
    ['NUL byte', 'data/reads.fa\0.txt'],
    ['symlinked folder out', 'link-out/secret.txt'],
    ['symlinked file out', 'secret-link.txt'],
    ['dangling symlink', 'dangling.txt'],
    ['new file under a symlink out', 'link-out/new.txt'],
    ['new folder under a symlink out', 'link-out/a/b/new.txt'],
  ])('refuses %s', (_label, rel) => {
    expect(codeOf(() => resolveInWorkspace(ws, rel))).toBe('files.outside_workspace')
  })

  it('resolves a not-yet-existing write target through its real parent', () => {
    expect(resolveInWorkspace(ws, 'data/new.seqlab')).toBe(path.join(ws, 'data', 'new.seqlab'))
    expect(resolveInWorkspace(ws, 'data-link/x/y.csv')).toBe(path.join(ws, 'data', 'x', 'y.csv'))
  })

  it('says a missing file is missing when it must exist', () => {
    expect(codeOf(() => resolveInWorkspace(ws, 'data/missing.fa', { mustExist: true }))).toBe(
      'files.not_found',
    )
  })

  it('lists folders first, hides dot-files and links out, and gives workspace-relative paths', () => {
    fs.writeFileSync(path.join(ws, '.hidden'), '')
    fs.writeFileSync(path.join(ws, 'b.csv'), '1,2\n')
    const entries = listWorkspace(ws, '')
    expect(entries.map((e) => e.name)).toEqual(['data', 'data-link', 'b.csv'])
    expect(entries[2]).toEqual({ name: 'b.csv', relativePath: 'b.csv', kind: 'file', size: 4 })
    const inside = listWorkspace(ws, 'data')
    expect(inside).toEqual([
      { name: 'deep', relativePath: 'data/deep', kind: 'directory' },
      { name: 'reads.fa', relativePath: 'data/reads.fa', kind: 'file', size: 8 },
    ])
  })

  it('refuses to list outside the workspace or a file', () => {
    expect(codeOf(() => listWorkspace(ws, '..'))).toBe('files.outside_workspace')
    expect(codeOf(() => listWorkspace(ws, 'link-out'))).toBe('files.outside_workspace')
    expect(codeOf(() => listWorkspace(ws, 'data/reads.fa'))).toBe('files.not_a_directory')
    expect(codeOf(() => listWorkspace(path.join(tmp, 'nope'), ''))).toBe('files.no_workspace')
  })

  it('isInside tells a sibling with a common prefix from a child', () => {
    expect(isInside('/a/ws', '/a/ws/x')).toBe(true)
    expect(isInside('/a/ws', '/a/ws')).toBe(true)
    expect(isInside('/a/ws', '/a/ws2/x')).toBe(false)
    expect(isInside('/a/ws', '/a/..ws')).toBe(false)
    expect(isInside('/a/ws', '/a/ws/..x')).toBe(true)
  })
})
