/**
 * The web bridge: the same services as the desktop app, over loopback HTTP + WebSocket, for development,
 * the end-to-end tests and a lab workstation (`seqlab serve`). Protocol: `src/shared/web-protocol.ts`.
 *
 * It binds 127.0.0.1 only and demands a random per-launch token on every request (static files included),
 * checks the Host header against DNS rebinding and the Origin against other sites, and sends a strict CSP.
 * Opening the printed `/?token=…` URL trades the token for an HttpOnly, SameSite=Strict cookie and
 * redirects to the same page without it, so the token does not linger in the address bar or history.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Services } from '../app/services'
import { InputError, toErrorData } from '../shared/errors'
import { CALL_PATH, EVENTS_PATH, TOKEN_QUERY, UPLOAD_PATH, type WireEvent } from '../shared/web-protocol'
import { hasValidToken, hostAllowed, newToken, originAllowed, tokenCookie } from './auth'
import { serveStatic } from './static'
import { receiveUpload } from './upload'

export const LOOPBACK = '127.0.0.1'
const DEFAULT_CALL_BODY_LIMIT = 1024 * 1024
const DEFAULT_UPLOAD_LIMIT = 4 * 1024 ** 3

export interface WebServerOptions {
  services: Services
  /** The built renderer (`out/renderer`). */
  rendererDir: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** The launch token; a random one when absent. */
  token?: string
  /** Where uploads go; defaults to the services' workspace. */
  workspaceDir?: string
  callBodyLimitBytes?: number
  uploadLimitBytes?: number
}

export interface WebServer {
  /** The URL to open, token included. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export function securityHeaders(port: number): Record<string, string> {
  const csp = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  }
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

function inputErrorResult(code: string, message: string) {
  return { ok: false as const, error: { kind: 'input' as const, code, message } }
}

/** Reads a body up to `limit` bytes; undefined when it is larger. */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

function splitUrl(rawUrl: string): { rawPath: string; query: URLSearchParams } {
  const q = rawUrl.indexOf('?')
  return {
    rawPath: q < 0 ? rawUrl : rawUrl.slice(0, q),
    query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { services, rendererDir } = options
  const token = options.token ?? newToken()
  const workspaceDir = options.workspaceDir ?? services.options.workspaceDir
  const callLimit = options.callBodyLimitBytes ?? DEFAULT_CALL_BODY_LIMIT
  const uploadLimit = options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT
  let port = 0

  async function handleCall(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    rawPath: string,
  ): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST')
      return sendJson(res, 405, inputErrorResult('call.bad_method', 'Calls are POST requests.'))
    }
    let name: string
    try {
      name = decodeURIComponent(rawPath.slice(CALL_PATH.length))
    } catch {
      return sendJson(res, 400, inputErrorResult('call.unknown', 'The call name is not valid.'))
    }
    const body = await readBody(req, callLimit)
    if (body === undefined) {
      res.setHeader('Connection', 'close')
      return sendJson(
        res,
        413,
        inputErrorResult('call.too_large', `A call's input is limited to ${callLimit} bytes.`),
      )
    }
    let input: unknown = {}
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'))
      } catch {
        return sendJson(res, 400, inputErrorResult('call.bad_json', 'The request body is not valid JSON.'))
      }
    }
    sendJson(res, 200, await services.dispatch(name, input))
  }

  async function handleUpload(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams) {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST')
      return sendJson(res, 405, inputErrorResult('call.bad_method', 'Uploads are POST requests.'))
    }
    try {
      const ref = await receiveUpload(req, query.get('name'), {
        workspaceDir,
        files: services.files,
        limitBytes: uploadLimit,
      })
      sendJson(res, 200, { ok: true, value: ref })
    } catch (err) {
      const error = toErrorData(err)
      if (error.kind === 'internal') console.error('[seqlab] upload failed:', err)
      // The client may still be sending: answer, then drop the connection instead of reading the rest.
      res.setHeader('Connection', 'close')
      const status = error.kind === 'input' && error.code === 'files.upload_too_large' ? 413 : 200
      if (!res.headersSent && !res.destroyed) sendJson(res, status, { ok: false, error })
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(securityHeaders(port))) res.setHeader(k, v)
    if (!hostAllowed(req, port)) return sendText(res, 421, 'Misdirected request: wrong Host.\n')
    const { rawPath, query } = splitUrl(req.url ?? '/')
    if (!hasValidToken(req, query, token)) {
      return sendText(
        res,
        401,
        'Unauthorized: open the address printed by `seqlab serve` (it carries the token).\n',
      )
    }
    if (!originAllowed(req, port)) return sendText(res, 403, 'Forbidden: foreign origin.\n')

    if (rawPath.startsWith(CALL_PATH)) return handleCall(req, res, rawPath)
    if (rawPath === UPLOAD_PATH) return handleUpload(req, res, query)
    if (rawPath.startsWith('/api/'))
      return sendJson(res, 404, inputErrorResult('call.not_found', 'No such endpoint.'))

    if (query.has(TOKEN_QUERY) && (req.method === 'GET' || req.method === 'HEAD')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      query.delete(TOKEN_QUERY)
      const rest = query.toString()
      res.writeHead(302, {
        'Set-Cookie': tokenCookie(token),
        Location: rawPath + (rest ? `?${rest}` : ''),
        'Content-Length': 0,
      })
      return void res.end()
    }
    serveStatic(req, res, rendererDir, rawPath)
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[seqlab] request failed:', err)
      if (!res.headersSent) sendText(res, 500, 'Internal error\n')
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const sockets = new Set<WebSocket>()
  const unsubscribe = services.events.subscribe((event) => {
    const message = JSON.stringify({ event: event.event, payload: event.payload } satisfies WireEvent)
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message)
  })

  server.on('upgrade', (req, socket, head) => {
    const { rawPath, query } = splitUrl(req.url ?? '/')
    if (!hostAllowed(req, port)) return refuseUpgrade(socket, 421, 'Misdirected Request')
    if (!hasValidToken(req, query, token)) return refuseUpgrade(socket, 401, 'Unauthorized')
    if (!originAllowed(req, port)) return refuseUpgrade(socket, 403, 'Forbidden')
    if (rawPath !== EVENTS_PATH) return refuseUpgrade(socket, 404, 'Not Found')
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('error', () => sockets.delete(ws))
    })
  })

  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      unsubscribe()
      if (err.code !== 'EADDRINUSE') return reject(err)
      reject(
        new InputError(
          'server.port_in_use',
          `Port ${options.port} is already in use: choose another with --port.`,
          {
            params: { port: options.port ?? 0 },
          },
        ),
      )
    }
    server.once('error', fail)
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', fail)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  let closed: Promise<void> | undefined
  return {
    url: `http://${LOOPBACK}:${port}/?${TOKEN_QUERY}=${token}`,
    port,
    token,
    close() {
      closed ??= new Promise<void>((resolve) => {
        unsubscribe()
        for (const ws of sockets) ws.terminate()
        wss.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closed
    },
  }
}
