import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createServices, type Services, type ServicesOptions } from '../../src/app/services'
import { recentIdOf, slugOf, uniqueProjectFile } from '../../src/app/services/open-projects'
import {
  AppInfo,
  EngineInfo,
  type CallName,
  type CallInput,
  type CallOutput,
  type ProjectSummary,
} from '../../src/shared/contract'
import type { ErrorData } from '../../src/shared/errors'

let tmp: string
let open: Services[] = []

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-services-')))
})
afterEach(() => {
  for (const s of open) s.close()
  open = []
  fs.rmSync(tmp, { recursive: true, force: true })
})

function services(extra: Partial<ServicesOptions> = {}): Services {
  const s = createServices({
    appVersion: '9.9.9-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: path.join(tmp, 'projects'),
    transport: 'electron',
    onInternalError: () => {},
    ...extra,
  })
  open.push(s)
  return s
}

/** Calls through dispatch (validation included) and returns the value, failing the test on an error. */
async function call<N extends CallName>(s: Services, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await s.dispatch(name, input)
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value as CallOutput<N>
}

/** Calls through dispatch and returns the error, failing the test if the call succeeded. */
async function callError<N extends CallName>(s: Services, name: N, input: unknown): Promise<ErrorData> {
  const result = await s.dispatch(name, input)
  if (result.ok) throw new Error(`${name} unexpectedly succeeded: ${JSON.stringify(result.value)}`)
  return result.error
}

const codeOf = (e: ErrorData) => (e.kind === 'input' ? e.code : `internal: ${e.message}`)

describe('app.info', () => {
  it('reports versions and the capabilities of each transport', async () => {
    const electron = await call(
      services({
        platform: { pickOpen: async () => null, pickSave: async () => null },
        runtime: { electron: '38.0.0' },
      }),
      'app.info',
      {},
    )
    expect(AppInfo.parse(electron)).toEqual(electron)
    expect(electron).toMatchObject({
      version: '9.9.9-test',
      transport: 'electron',
      runtime: { node: process.versions.node, electron: '38.0.0', platform: process.platform },
      capabilities: { nativeDialogs: true, upload: false, workspace: false },
    })
    expect(electron.runtime.sqlite).toMatch(/^3\.\d+/)

    const web = await call(services({ transport: 'web', workspaceDir: tmp }), 'app.info', {})
    expect(web.capabilities).toEqual({ nativeDialogs: false, upload: true, workspace: true })
    expect(web.runtime.electron).toBeUndefined()
  })

  it('reports the TensorFlow.js engine in use', async () => {
    const engine = await call(services(), 'engine.info', {})
    expect(EngineInfo.parse(engine)).toEqual(engine)
    expect(['tensorflow', 'wasm', 'cpu']).toContain(engine.backend)
  })

  it('rejects unknown calls and invalid input with input errors', async () => {
    const s = services()
    expect(codeOf(await callError(s, 'no.such.call' as CallName, {}))).toBe('call.unknown')
    expect(codeOf(await callError(s, 'app.info', { extra: 1 }))).toBe('call.invalid_argument')
    expect(codeOf(await callError(s, 'projects.create', { name: '   ' }))).toBe('call.invalid_argument')
  })
})

describe('projects', () => {
  it('creates in the default folder under unique slug names and lists them as recent', async () => {
    const s = services()
    const a = await call(s, 'projects.create', { name: 'JunD on chr22' })
    const b = await call(s, 'projects.create', { name: 'JunD on chr22' })
    expect(path.basename(a.displayPath)).toBe('jund-on-chr22.seqlab')
    expect(path.basename(b.displayPath)).toBe('jund-on-chr22-2.seqlab')
    expect(a.projectId).not.toBe(b.projectId)
    expect(a).toMatchObject({ name: 'JunD on chr22', counts: { datasets: 0, splits: 0, experiments: 0 } })
    expect(a.schemaVersion).toBeGreaterThan(0)
    expect(fs.existsSync(path.join(tmp, 'projects', 'jund-on-chr22.seqlab'))).toBe(true)

    const recent = await call(s, 'projects.recent', {})
    expect(recent.map((r) => r.displayPath)).toEqual([b.displayPath, a.displayPath])
    expect(recent[0]).toMatchObject({ name: 'JunD on chr22', exists: true })
    for (const r of recent) expect(r.recentId).not.toContain('/')
  })

  it('creates at a location picked in a save dialog, adding the extension', async () => {
    const target = path.join(tmp, 'picked', 'my project')
    fs.mkdirSync(path.dirname(target))
    const s = services({ platform: { pickOpen: async () => null, pickSave: async () => target } })
    const ref = await call(s, 'files.pickSave', { title: 'New project' })
    expect(ref).not.toBeNull()
    const summary = await call(s, 'projects.create', { name: 'mESC GRN', location: ref! })
    expect(summary.displayPath).toBe(target + '.seqlab')
    expect(fs.existsSync(target + '.seqlab')).toBe(true)
  })

  it('returns the same projectId when the same file is opened twice, and opens by recentId', async () => {
    const s = services()
    const created = await call(s, 'projects.create', { name: 'Twice' })
    const file = path.join(tmp, 'projects', 'twice.seqlab')
    const ref = s.files.register(file, 'read')
    const again = await call(s, 'projects.open', { file: ref })
    expect(again.projectId).toBe(created.projectId)

    await call(s, 'projects.close', { projectId: created.projectId })
    expect(codeOf(await callError(s, 'projects.info', { projectId: created.projectId }))).toBe(
      'project.not_open',
    )

    const [entry] = await call(s, 'projects.recent', {})
    expect(entry!.recentId).toBe(recentIdOf(file))
    const reopened = await call(s, 'projects.open', { recentId: entry!.recentId })
    expect(reopened.projectId).not.toBe(created.projectId)
    expect(reopened.name).toBe('Twice')
  })

  it('a fresh process (new services) opens a project from the recent list', async () => {
    const first = services()
    await call(first, 'projects.create', { name: 'Persisted' })
    first.close()
    const second = services()
    const [entry] = await call(second, 'projects.recent', {})
    expect(entry?.name).toBe('Persisted')
    const summary = await call(second, 'projects.open', { recentId: entry!.recentId })
    expect(summary.name).toBe('Persisted')
  })

  it('renames, emitting project.changed, and keeps the new name in the recent list', async () => {
    const s = services()
    const { projectId } = await call(s, 'projects.create', { name: 'Old' })
    const heard: unknown[] = []
    s.events.subscribe((e) => heard.push(e))
    const renamed = await call(s, 'projects.rename', { projectId, name: '  New name  ' })
    expect(renamed.name).toBe('New name')
    expect(heard).toEqual([{ event: 'project.changed', payload: { projectId, summary: renamed } }])
    expect((await call(s, 'projects.recent', {}))[0]?.name).toBe('New name')
    expect((await call(s, 'projects.info', { projectId })).name).toBe('New name')
  })

  it('deletes an open project with its side files and forgets it', async () => {
    const s = services()
    const { projectId } = await call(s, 'projects.create', { name: 'Doomed' })
    const file = path.join(tmp, 'projects', 'doomed.seqlab')
    expect(fs.existsSync(file)).toBe(true)
    await call(s, 'projects.delete', { projectId })
    expect(fs.readdirSync(path.join(tmp, 'projects'))).toEqual([])
    expect(await call(s, 'projects.recent', {})).toEqual([])
    expect(codeOf(await callError(s, 'projects.info', { projectId }))).toBe('project.not_open')
  })

  it('deletes by recentId, and forgets a recent entry without deleting the file', async () => {
    const s = services()
    const a = await call(s, 'projects.create', { name: 'A' })
    const b = await call(s, 'projects.create', { name: 'B' })
    await call(s, 'projects.close', { projectId: a.projectId })
    await call(s, 'projects.close', { projectId: b.projectId })
    const recent = await call(s, 'projects.recent', {})
    const entryA = recent.find((r) => r.name === 'A')!
    const entryB = recent.find((r) => r.name === 'B')!
    await call(s, 'projects.delete', { recentId: entryA.recentId })
    expect(fs.existsSync(path.join(tmp, 'projects', 'a.seqlab'))).toBe(false)
    await call(s, 'projects.forgetRecent', { recentId: entryB.recentId })
    expect(fs.existsSync(path.join(tmp, 'projects', 'b.seqlab'))).toBe(true)
    expect(await call(s, 'projects.recent', {})).toEqual([])
    expect(codeOf(await callError(s, 'projects.open', { recentId: entryB.recentId }))).toBe(
      'project.unknown_recent',
    )
  })

  it('marks a moved recent project as missing and says so when it is opened', async () => {
    const s = services()
    const { projectId } = await call(s, 'projects.create', { name: 'Moved' })
    await call(s, 'projects.close', { projectId })
    const file = path.join(tmp, 'projects', 'moved.seqlab')
    fs.renameSync(file, path.join(tmp, 'elsewhere.seqlab'))
    const [entry] = await call(s, 'projects.recent', {})
    expect(entry?.exists).toBe(false)
    expect(codeOf(await callError(s, 'projects.open', { recentId: entry!.recentId }))).toBe(
      'project.not_found',
    )
  })

  it('refuses to open a file that is not a project, naming the file', async () => {
    const s = services()
    const text = path.join(tmp, 'notes.txt')
    fs.writeFileSync(text, 'not a database\n')
    const error = await callError(s, 'projects.open', { file: s.files.register(text, 'read') })
    expect(error).toMatchObject({ kind: 'input', code: 'project.not_sqlite', file: 'notes.txt' })
  })

  it('cancels the running jobs of a project when it is closed', async () => {
    const s = services()
    const { projectId } = await call(s, 'projects.create', { name: 'Busy' })
    const job = s.jobs.start({ kind: 'train', title: 'T', projectId, run: () => new Promise(() => {}) })
    const other = s.jobs.start({ kind: 'train', title: 'U', run: () => new Promise(() => {}) })
    await call(s, 'projects.close', { projectId })
    expect(s.jobs.get(job.jobId)?.state).toBe('cancelled')
    expect(s.jobs.get(other.jobId)?.state).toBe('running')
  })

  it('on the web, creates projects in the workspace and hides recent projects outside it', async () => {
    const outside = services() // same app data, desktop: makes a recent entry outside the workspace
    await call(outside, 'projects.create', { name: 'Desktop project' })
    const ws = path.join(tmp, 'ws')
    fs.mkdirSync(ws)
    const web = services({ transport: 'web', workspaceDir: ws })
    const created = await call(web, 'projects.create', { name: 'Web project' })
    expect(created.displayPath).toBe('web-project.seqlab')
    expect(fs.existsSync(path.join(ws, 'web-project.seqlab'))).toBe(true)
    const recent = await call(web, 'projects.recent', {})
    expect(recent.map((r) => r.name)).toEqual(['Web project'])
    const desktopId = recentIdOf(path.join(tmp, 'projects', 'desktop-project.seqlab'))
    expect(codeOf(await callError(web, 'projects.open', { recentId: desktopId }))).toBe(
      'project.unknown_recent',
    )
    expect(codeOf(await callError(web, 'projects.delete', { recentId: desktopId }))).toBe(
      'project.unknown_recent',
    )
    expect(fs.existsSync(path.join(tmp, 'projects', 'desktop-project.seqlab'))).toBe(true)
  })
})

describe('files', () => {
  it('uses the platform dialogs and registers the picked paths with their modes', async () => {
    const picked = path.join(tmp, 'reads.fa')
    const s = services({
      platform: { pickOpen: async () => picked, pickSave: async () => null },
    })
    const ref = await call(s, 'files.pickOpen', { filters: [{ name: 'FASTA', extensions: ['fa'] }] })
    expect(ref?.name).toBe('reads.fa')
    expect(s.files.resolve(ref!, 'read')).toBe(picked)
    expect(() => s.files.resolve(ref!, 'write')).toThrow(/reading/)
    expect(await call(s, 'files.pickSave', {})).toBeNull()
  })

  it('has no dialogs and no workspace unless given', async () => {
    const s = services()
    expect(codeOf(await callError(s, 'files.pickOpen', {}))).toBe('files.no_dialog')
    expect(codeOf(await callError(s, 'files.pickSave', {}))).toBe('files.no_dialog')
    expect(codeOf(await callError(s, 'files.listWorkspace', {}))).toBe('files.no_workspace')
    expect(codeOf(await callError(s, 'files.workspaceRef', { relativePath: 'a', mode: 'read' }))).toBe(
      'files.no_workspace',
    )
  })

  it('lists the workspace and makes references to paths in it, refusing the rest', async () => {
    const ws = path.join(tmp, 'ws')
    fs.mkdirSync(path.join(ws, 'data'), { recursive: true })
    fs.writeFileSync(path.join(ws, 'data', 'x.csv'), 'a,b\n')
    fs.symlinkSync('/etc', path.join(ws, 'etc-link'))
    const s = services({ transport: 'web', workspaceDir: ws })
    expect(await call(s, 'files.listWorkspace', {})).toEqual([
      { name: 'data', relativePath: 'data', kind: 'directory' },
    ])
    const ref = await call(s, 'files.workspaceRef', { relativePath: 'data/x.csv', mode: 'read' })
    expect(s.files.resolve(ref, 'read')).toBe(path.join(ws, 'data', 'x.csv'))
    const out = await call(s, 'files.workspaceRef', { relativePath: 'data/new.csv', mode: 'write' })
    expect(s.files.resolve(out, 'write')).toBe(path.join(ws, 'data', 'new.csv'))
    for (const bad of ['../x', '/etc/passwd', 'etc-link/passwd', 'data/../../x']) {
      expect(codeOf(await callError(s, 'files.workspaceRef', { relativePath: bad, mode: 'read' }))).toBe(
        'files.outside_workspace',
      )
    }
    expect(codeOf(await callError(s, 'files.workspaceRef', { relativePath: 'nope.csv', mode: 'read' }))).toBe(
      'files.not_found',
    )
    expect(codeOf(await callError(s, 'files.workspaceRef', { relativePath: 'data', mode: 'write' }))).toBe(
      'files.is_directory',
    )
  })
})

describe('jobs', () => {
  it('lists and cancels jobs through the calls', async () => {
    const s = services()
    const { jobId, result } = s.jobs.start({
      kind: 'k',
      title: 'Long',
      run: ({ signal }) =>
        new Promise((_, rej) => signal.addEventListener('abort', () => rej(signal.reason))),
    })
    expect((await call(s, 'jobs.list', {})).map((j) => j.jobId)).toEqual([jobId])
    await call(s, 'jobs.cancel', { jobId })
    await expect(result).rejects.toMatchObject({ code: 'job.cancelled' })
    expect((await call(s, 'jobs.list', {}))[0]?.state).toBe('cancelled')
    expect(codeOf(await callError(s, 'jobs.cancel', { jobId: 'nope' }))).toBe('job.not_found')
  })
})

describe('helpers', () => {
  it('slugs names of every script and finds a free file name', () => {
    expect(slugOf('JunD on chr22!')).toBe('jund-on-chr22')
    expect(slugOf('小鼠 GRN')).toBe('小鼠-grn')
    expect(slugOf('***')).toBe('project')
    fs.writeFileSync(path.join(tmp, 'x.seqlab'), '')
    expect(path.basename(uniqueProjectFile(tmp, 'X'))).toBe('x-2.seqlab')
  })

  it('project summaries carry no path the renderer could reuse except for display', async () => {
    const s = services()
    const summary: ProjectSummary = await call(s, 'projects.create', { name: 'P' })
    expect(Object.keys(summary).sort()).toEqual(
      ['counts', 'createdAt', 'displayPath', 'name', 'projectId', 'schemaVersion', 'updatedAt'].sort(),
    )
  })
})
