/**
 * The web bridge's gatekeeping: the launch token (cookie, header or query, compared in constant time),
 * the Host header (only the loopback name and port we listen on: a DNS-rebinding guard) and, when a
 * browser sends one, the Origin (a page from another site must not drive the API or the event socket).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { TOKEN_COOKIE, TOKEN_HEADER, TOKEN_QUERY } from '../shared/web-protocol'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Constant-time equality for strings of any length (hashing first hides the length too). */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

export function parseCookies(header: string | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    let value = part.slice(eq + 1).trim()
    try {
      value = decodeURIComponent(value)
    } catch {
      // keep the raw value: a malformed cookie simply will not match
    }
    cookies.set(name, [...(cookies.get(name) ?? []), value])
  }
  return cookies
}

/** Every token the request offers: cookie(s), header, query. */
function offeredTokens(req: IncomingMessage, query: URLSearchParams): string[] {
  const offered = [...(parseCookies(req.headers.cookie).get(TOKEN_COOKIE) ?? [])]
  const header = req.headers[TOKEN_HEADER]
  if (typeof header === 'string') offered.push(header)
  const fromQuery = query.get(TOKEN_QUERY)
  if (fromQuery !== null) offered.push(fromQuery)
  return offered
}

export function hasValidToken(req: IncomingMessage, query: URLSearchParams, token: string): boolean {
  // Check every offer without short-circuiting on the first match's position.
  return offeredTokens(req, query).reduce((ok, t) => tokensEqual(t, token) || ok, false)
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = (req.headers.host ?? '').toLowerCase()
  return allowedHosts(port).includes(host)
}

/** Requests without an Origin (curl, Node) pass; a browser's Origin must be our own. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`)
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
}
