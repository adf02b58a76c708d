import * as fs from 'node:fs'
import * as http from 'node:http'
import * as os from 'node:os'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createServices, type Services } from '../../src/app/services'
import { ProjectStore } from '../../src/app/store/project-store'
import { FileRegistry } from '../../src/app/files'
import { sanitiseUploadName, startWebServer, type WebServer } from '../../src/server'
import { receiveUpload } from '../../src/server/upload'
import type { FileRef, JobInfo, ProjectSummary, RecentProject } from '../../src/shared/contract'
import { TOKEN_COOKIE, TOKEN_HEADER, type WireEvent } from '../../src/shared/web-protocol'

interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** A request with exactly this path and these headers (fetch would normalise both). */
function raw(
  port: number,
  o: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path, headers: o.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(o.body)
  })
}

let tmp: string
let workspace: string
let rendererDir: string
let services: Services
let server: WebServer
let base: string
let auth: Record<string, string>

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-server-')))
  workspace = path.join(tmp, 'workspace')
  rendererDir = path.join(tmp, 'renderer')
  fs.mkdirSync(workspace)
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>SeqLab</title><div id="app"></div>',
  )
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(rendererDir, 'assets', 'tfjs.wasm'), Buffer.from([0, 97, 115, 109]))
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'top secret')
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'leak.txt'))
  services = createServices({
    appVersion: '0.0.0-test',
    appDataDir: path.join(tmp, 'app-data'),
    defaultProjectsDir: workspace,
    transport: 'web',
    workspaceDir: workspace,
    onInternalError: () => {},
  })
  server = await startWebServer({
    services,
    rendererDir,
    port: 0,
    workspaceDir: workspace,
    uploadLimitBytes: 1024 * 1024,
  })
  base = `http://127.0.0.1:${server.port}`
  auth = { [TOKEN_HEADER]: server.token }
})

afterAll(async () => {
  await server?.close()
  services?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

interface WireResult {
  ok: boolean
  value?: unknown
  error?: { kind: string; code?: string; message: string }
}

async function callApi<T>(
  name: string,
  input: unknown,
  headers = auth,
): Promise<{ status: number; json: WireResult; value: T }> {
  const res = await fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  })
  const json = (await res.json()) as WireResult
  return { status: res.status, json, value: json.value as T }
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers })
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

describe('startup', () => {
  it('binds loopback and prints a URL with a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(server.port).toBeGreaterThan(0)
  })
})

describe('authentication', () => {
  it('answers 401 without a token for static files, calls, uploads and the event socket', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401)
    expect((await fetch(`${base}/assets/app.js`)).status).toBe(401)
    expect((await fetch(`${base}/api/call/app.info`, { method: 'POST', body: '{}' })).status).toBe(401)
    expect((await fetch(`${base}/api/upload?name=a.txt`, { method: 'POST', body: 'x' })).status).toBe(401)
    await expect(openSocket({})).rejects.toThrow('HTTP 401')
  })

  it('answers 401 for a wrong token, wherever it is offered', async () => {
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A')
    expect((await fetch(`${base}/?token=${wrong}`, { redirect: 'manual' })).status).toBe(401)
    expect((await fetch(`${base}/`, { headers: { [TOKEN_HEADER]: wrong } })).status).toBe(401)
    expect((await fetch(`${base}/`, { headers: { cookie: `${TOKEN_COOKIE}=${wrong}` } })).status).toBe(401)
    expect((await fetch(`${base}/`, { headers: { cookie: `${TOKEN_COOKIE}=` } })).status).toBe(401)
    await expect(openSocket({ [TOKEN_HEADER]: wrong })).rejects.toThrow('HTTP 401')
  })

  it('trades the URL token for an HttpOnly SameSite=Strict cookie and redirects without it', async () => {
    const first = await fetch(`${base}/projects?tab=recent&token=${server.token}`, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/projects?tab=recent')
    const cookie = first.headers.get('set-cookie')!
    expect(cookie).toContain(`${TOKEN_COOKIE}=${server.token}`)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\//)
    const page = await fetch(`${base}/projects?tab=recent`, { headers: { cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="app">')
  })

  it('answers 421 to a foreign Host header (DNS rebinding) even with the token', async () => {
    const res = await raw(server.port, {
      path: '/',
      headers: { ...auth, host: `evil.example:${server.port}` },
    })
    expect(res.status).toBe(421)
    const wrongPort = await raw(server.port, { path: '/', headers: { ...auth, host: `127.0.0.1:1` } })
    expect(wrongPort.status).toBe(421)
    const localhost = await raw(server.port, {
      path: '/',
      headers: { ...auth, host: `localhost:${server.port}` },
    })
    expect(localhost.status).toBe(200)
  })

  it('refuses a foreign Origin on calls and on the event socket', async () => {
    const res = await fetch(`${base}/api/call/app.info`, {
      method: 'POST',
      headers: { ...auth, origin: 'http://evil.example' },
      body: '{}',
    })
    expect(res.status).toBe(403)
    await expect(openSocket({ ...auth, origin: 'http://evil.example' })).rejects.toThrow('HTTP 403')
  })
})

describe('static files', () => {
  it('serves files with MIME types and security headers, and falls back to index.html for app routes', async () => {
    const js = await fetch(`${base}/assets/app.js`, { headers: auth })
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/)
    const wasm = await fetch(`${base}/assets/tfjs.wasm`, { headers: auth })
    expect(wasm.headers.get('content-type')).toBe('application/wasm')
    expect(Buffer.from(await wasm.arrayBuffer())).toEqual(Buffer.from([0, 97, 115, 109]))
    const route = await fetch(`${base}/train/experiment-3`, { headers: auth })
    expect(route.status).toBe(200)
    expect(route.headers.get('content-type')).toMatch(/^text\/html/)
    expect((await fetch(`${base}/assets/missing.js`, { headers: auth })).status).toBe(404)

    const csp = js.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(js.headers.get('x-content-type-options')).toBe('nosniff')
    expect(js.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it.each([
    '/..%2f..%2fetc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/%2e%2e/',
    '/../../etc/passwd',
    '/assets/..%5c..%5csecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses the traversal %s', async (p) => {
    const res = await raw(server.port, { path: p, headers: auth })
    expect(res.status).toBe(400)
    expect(res.body).not.toContain('root:')
  })

  it('does not follow a symlink out of the renderer folder', async () => {
    const res = await raw(server.port, { path: '/leak.txt', headers: auth })
    expect(res.status).toBe(404)
    expect(res.body).not.toContain('top secret')
  })

  it('explains that the renderer is not built when it is missing', async () => {
    const other = await startWebServer({ services, rendererDir: path.join(tmp, 'no-renderer'), port: 0 })
    try {
      const res = await fetch(`http://127.0.0.1:${other.port}/`, { headers: { [TOKEN_HEADER]: other.token } })
      expect(res.status).toBe(503)
      expect(await res.text()).toContain('npm run build')
      // Tokens are per launch: this server's token does not open the other one.
      expect((await fetch(`${base}/`, { headers: { [TOKEN_HEADER]: other.token } })).status).toBe(401)
    } finally {
      await other.close()
    }
  })
})

describe('calls', () => {
  it('round-trips: create a project, then list it among the recent ones', async () => {
    const created = await callApi<ProjectSummary>('projects.create', { name: 'Web round trip' })
    expect(created.status).toBe(200)
    expect(created.json.ok).toBe(true)
    expect(created.value.displayPath).toBe('web-round-trip.seqlab')
    expect(fs.existsSync(path.join(workspace, 'web-round-trip.seqlab'))).toBe(true)
    const recent = await callApi<RecentProject[]>('projects.recent', {})
    expect(recent.value.map((r) => r.name)).toContain('Web round trip')
  })

  it('returns input errors as results, and malformed JSON as 400 call.bad_json', async () => {
    const invalid = await callApi('projects.create', { name: '' })
    expect(invalid.status).toBe(200)
    expect(invalid.json).toMatchObject({ ok: false, error: { kind: 'input', code: 'call.invalid_argument' } })
    const unknown = await callApi('nope', {})
    expect(unknown.json.error?.code).toBe('call.unknown')
    const bad = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: auth, body: '{not json' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error: { kind: 'input', code: 'call.bad_json' } })
    const get = await fetch(`${base}/api/call/app.info`, { headers: auth })
    expect(get.status).toBe(405)
    const huge = await fetch(`${base}/api/call/app.info`, {
      method: 'POST',
      headers: auth,
      body: 'x'.repeat(2 * 1024 * 1024),
    })
    expect(huge.status).toBe(413)
  })

  it('answers files.workspaceRef only for paths inside the workspace', async () => {
    fs.writeFileSync(path.join(workspace, 'reads.fa'), '>a\nACGT\n')
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(workspace, 'link-out.txt'))
    const ok = await callApi<FileRef>('files.workspaceRef', { relativePath: 'reads.fa', mode: 'read' })
    expect(ok.value.name).toBe('reads.fa')
    for (const relativePath of ['../x', '/etc/passwd', 'link-out.txt', '..\\secret.txt']) {
      const refused = await callApi('files.workspaceRef', { relativePath, mode: 'read' })
      expect(refused.json, relativePath).toMatchObject({
        ok: false,
        error: { code: 'files.outside_workspace' },
      })
    }
  })
})

describe('upload', () => {
  it('streams into the workspace uploads folder and the reference opens as a project', async () => {
    const source = path.join(tmp, 'shared-project.seqlab')
    ProjectStore.create(source, { name: 'Shared by a colleague', appVersion: '0.0.0-test' }).close()
    const bytes = fs.readFileSync(source)
    const res = await fetch(`${base}/api/upload?name=${encodeURIComponent('../../shared project.seqlab')}`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    expect(res.status).toBe(200)
    const result = (await res.json()) as { ok: true; value: FileRef }
    expect(result.ok).toBe(true)
    expect(result.value.name).toBe('shared project.seqlab')
    const stored = fs.readdirSync(path.join(workspace, 'uploads'))
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatch(/^[0-9a-f]{12}-shared project\.seqlab$/)
    expect(fs.readFileSync(path.join(workspace, 'uploads', stored[0]!))).toEqual(bytes)

    const opened = await callApi<ProjectSummary>('projects.open', { file: result.value })
    expect(opened.json.ok).toBe(true)
    expect(opened.value.name).toBe('Shared by a colleague')
    // An upload is a read reference: it cannot be used as a place to write.
    expect(() => services.files.resolve(result.value, 'write')).toThrow(/reading/)
  })

  it('refuses an upload declared larger than the limit before reading it', async () => {
    const before = fs.readdirSync(path.join(workspace, 'uploads'))
    const res = await raw(server.port, {
      method: 'POST',
      path: '/api/upload?name=big.bin',
      headers: { ...auth, 'content-length': String(2 * 1024 * 1024) },
    }).catch((err: Error) => err)
    // The server answers at once and closes; the client may see the answer or the closed connection.
    if (!(res instanceof Error)) {
      expect(res.status).toBe(413)
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'files.upload_too_large' } })
    }
    expect(fs.readdirSync(path.join(workspace, 'uploads'))).toEqual(before)
  })

  it('cuts off a streamed upload at the limit and removes the partial file', async () => {
    const uploads = path.join(workspace, 'uploads')
    const before = fs.readdirSync(uploads)
    // No content-length: the limit must be enforced while streaming.
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024, 65)
      })(),
    ) as unknown as http.IncomingMessage
    body.headers = {}
    const files = new FileRegistry()
    await expect(
      receiveUpload(body, 'big.txt', { workspaceDir: workspace, files, limitBytes: 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'files.upload_too_large',
    })
    expect(fs.readdirSync(uploads)).toEqual(before)
    const small = Readable.from([Buffer.from('ACGT')]) as unknown as http.IncomingMessage
    small.headers = {}
    const ref = await receiveUpload(small, 'small.txt', {
      workspaceDir: workspace,
      files,
      limitBytes: 1024 * 1024,
    })
    expect(fs.readFileSync(files.resolve(ref, 'read'), 'utf8')).toBe('ACGT')
  })

  it('refuses to upload into an uploads folder that links out of the workspace', async () => {
    const ws2 = path.join(tmp, 'ws2')
    fs.mkdirSync(ws2)
    fs.mkdirSync(path.join(tmp, 'elsewhere'))
    fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(ws2, 'uploads'))
    const small = Readable.from([Buffer.from('x')]) as unknown as http.IncomingMessage
    small.headers = {}
    await expect(
      receiveUpload(small, 'a.txt', { workspaceDir: ws2, files: new FileRegistry(), limitBytes: 100 }),
    ).rejects.toMatchObject({ code: 'files.outside_workspace' })
    expect(fs.readdirSync(path.join(tmp, 'elsewhere'))).toEqual([])
  })

  it('refuses uploads without a workspace', async () => {
    const noWorkspace = createServices({
      appVersion: '0',
      appDataDir: path.join(tmp, 'app-data-2'),
      defaultProjectsDir: path.join(tmp, 'p2'),
      transport: 'web',
    })
    const other = await startWebServer({ services: noWorkspace, rendererDir, port: 0 })
    try {
      const res = await fetch(`http://127.0.0.1:${other.port}/api/upload?name=a.txt`, {
        method: 'POST',
        headers: { [TOKEN_HEADER]: other.token },
        body: 'hello',
      })
      expect(await res.json()).toMatchObject({
        ok: false,
        error: { kind: 'input', code: 'files.no_workspace' },
      })
    } finally {
      await other.close()
      noWorkspace.close()
    }
  })

  it('sanitises upload names to a safe base name', () => {
    expect(sanitiseUploadName('../../etc/passwd')).toBe('passwd')
    expect(sanitiseUploadName('C:\\Users\\me\\reads.fa')).toBe('reads.fa')
    expect(sanitiseUploadName('..')).toBe('upload')
    expect(sanitiseUploadName('.bashrc')).toBe('bashrc')
    expect(sanitiseUploadName('a\0b\nc.txt')).toBe('a_b_c.txt')
    expect(sanitiseUploadName(null)).toBe('upload')
    const long = sanitiseUploadName('x'.repeat(500) + '.fasta')
    expect(long.length).toBeLessThanOrEqual(120)
    expect(long.endsWith('.fasta')).toBe(true)
  })
})

describe('events', () => {
  it('forwards job and project events over the WebSocket', async () => {
    const ws = await openSocket({ cookie: `${TOKEN_COOKIE}=${server.token}` })
    const received: WireEvent[] = []
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as WireEvent))
    try {
      const created = await callApi<ProjectSummary>('projects.create', { name: 'Evented' })
      await callApi('projects.rename', { projectId: created.value.projectId, name: 'Evented, renamed' })
      const job = services.jobs.start({ kind: 'demo', title: 'Demo job', run: async () => 'done' })
      await job.result
      await waitFor(() =>
        received.some((m) => m.event === 'job.updated' && (m.payload as JobInfo).state === 'done'),
      )
      const projectEvent = received.find((m) => m.event === 'project.changed')
      expect(projectEvent?.payload).toMatchObject({
        projectId: created.value.projectId,
        summary: { name: 'Evented, renamed' },
      })
      const states = received
        .filter((m) => m.event === 'job.updated')
        .map((m) => (m.payload as JobInfo).state)
      expect(states).toEqual(['running', 'done'])
    } finally {
      ws.close()
    }
  })
})

/** Polls `check` until it holds (the socket delivers asynchronously); fails after many tries. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error('condition not met')
}
