/** The recent-projects list: order, dedupe, cap, forgetting, and never failing on a bad or missing file. */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RECENT_FILE_NAME, RecentProjects } from '../../src/app/recent'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-recent-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const project = (name: string) => path.join(dir, 'projects', `${name}.seqlab`)
const filesOf = (recent: RecentProjects) => recent.list().map((e) => e.file)

describe('RecentProjects', () => {
  it('starts empty when there is no file, and creates its folder on first write', () => {
    const appData = path.join(dir, 'app data', 'SeqLab')
    const recent = new RecentProjects(appData)
    expect(recent.list()).toEqual([])
    recent.touch(project('a'), 'A')
    expect(fs.existsSync(path.join(appData, RECENT_FILE_NAME))).toBe(true)
  })

  it('lists newest first, with names and ISO timestamps, and persists across instances', () => {
    const recent = new RecentProjects(dir)
    recent.touch(project('a'), 'A')
    recent.touch(project('b'), 'B')
    recent.touch(project('c'), 'C')
    const entries = new RecentProjects(dir).list()
    expect(entries.map((e) => e.name)).toEqual(['C', 'B', 'A'])
    expect(entries[0]!.file).toBe(project('c'))
    expect(entries[0]!.lastOpenedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })

  it('deduplicates by absolute path, moving a reopened project to the top with its new name', () => {
    const recent = new RecentProjects(dir)
    recent.touch(project('a'), 'A')
    recent.touch(project('b'), 'B')
    const relative = path.relative(process.cwd(), project('a'))
    recent.touch(path.join(path.dirname(relative), '.', path.basename(relative)), 'A renamed')
    expect(recent.list().map((e) => [e.file, e.name])).toEqual([
      [project('a'), 'A renamed'],
      [project('b'), 'B'],
    ])
  })

  it('renames an entry in place', () => {
    const recent = new RecentProjects(dir)
    recent.touch(project('a'), 'A')
    recent.touch(project('b'), 'B')
    recent.rename(project('a'), 'A2')
    recent.rename(project('missing'), 'nothing')
    expect(recent.list().map((e) => e.name)).toEqual(['B', 'A2'])
  })

  it('is capped, dropping the oldest', () => {
    const recent = new RecentProjects(dir, { max: 3 })
    for (const name of ['a', 'b', 'c', 'd', 'e']) recent.touch(project(name), name)
    expect(filesOf(recent)).toEqual([project('e'), project('d'), project('c')])
    // The default cap is 20.
    const roomy = new RecentProjects(path.join(dir, 'roomy'))
    for (let i = 0; i < 25; i++) roomy.touch(project(`p${i}`), `p${i}`)
    expect(roomy.list()).toHaveLength(20)
    expect(roomy.list()[0]!.name).toBe('p24')
  })

  it('forgets an entry, and forgetting an unknown one is harmless', () => {
    const recent = new RecentProjects(dir)
    recent.touch(project('a'), 'A')
    recent.touch(project('b'), 'B')
    recent.forget(project('a'))
    recent.forget(project('never'))
    expect(filesOf(recent)).toEqual([project('b')])
  })

  it('reads a corrupt file as empty without throwing, and replaces it on the next write', () => {
    const storeFile = path.join(dir, RECENT_FILE_NAME)
    fs.writeFileSync(storeFile, '{"projects": [ {"file": "/x.seqlab", "na')
    const recent = new RecentProjects(dir)
    expect(recent.list()).toEqual([])
    recent.touch(project('a'), 'A')
    expect(filesOf(new RecentProjects(dir))).toEqual([project('a')])
    expect(() => JSON.parse(fs.readFileSync(storeFile, 'utf8'))).not.toThrow()
  })

  it('drops malformed entries and keeps the good ones', () => {
    const good = { file: project('good'), name: 'Good', lastOpenedAt: '2025-01-02T03:04:05.000Z' }
    const body = {
      version: 1,
      projects: [
        42,
        { file: 'relative/path.seqlab', name: 'relative', lastOpenedAt: '2025-01-01T00:00:00.000Z' },
        { file: project('noname'), lastOpenedAt: '2025-01-01T00:00:00.000Z' },
        good,
        { ...good, name: 'duplicate' },
      ],
    }
    fs.writeFileSync(path.join(dir, RECENT_FILE_NAME), JSON.stringify(body))
    expect(new RecentProjects(dir).list()).toEqual([good])
    fs.writeFileSync(path.join(dir, RECENT_FILE_NAME), '"just a string"')
    expect(new RecentProjects(dir).list()).toEqual([])
  })

  it('writes atomically: no temporary files are left beside the list', () => {
    const recent = new RecentProjects(dir)
    for (const name of ['a', 'b', 'c']) recent.touch(project(name), name)
    recent.forget(project('b'))
    expect(fs.readdirSync(dir)).toEqual([RECENT_FILE_NAME])
  })
})
