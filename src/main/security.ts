/**
 * The rules that keep the window a local app and not a browser: the content security policy, which pages
 * count as SeqLab's own, and which links may leave for the system browser. Plain functions without Electron,
 * so they can be tested in Node; `window.ts` wires them into Electron's hooks.
 */
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The same policy as the renderer's <meta> tag, also sent as a header for pages served over http (dev). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ')

export interface RendererLocation {
  /** Absolute path of the built renderer's index.html. */
  indexFile: string
  /** The Vite dev server's URL, in development only. */
  devUrl?: string
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url)
  } catch {
    return undefined
  }
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.resolve(p).toLowerCase() : path.resolve(p))
  return norm(a) === norm(b)
}

/** True for SeqLab's own page: the built index.html (any hash or query), or the dev server's origin. */
export function isOwnPage(url: string, where: RendererLocation): boolean {
  const u = parse(url)
  if (!u) return false
  if (u.protocol === 'file:') return samePath(fileURLToPath(u), where.indexFile)
  const dev = where.devUrl ? parse(where.devUrl) : undefined
  return !!dev && (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === dev.origin
}

/** Requests the page may make: its own files, inline data, DevTools, and the dev server (HMR included). */
export function isAllowedRequest(url: string, where: RendererLocation): boolean {
  const u = parse(url)
  if (!u) return false
  if (['file:', 'data:', 'blob:', 'devtools:', 'chrome-extension:'].includes(u.protocol)) {
    return u.protocol !== 'file:' || isInside(path.dirname(where.indexFile), fileURLToPath(u))
  }
  const dev = where.devUrl ? parse(where.devUrl) : undefined
  if (!dev) return false
  // Vite's HMR socket lives on the dev server's host and port.
  return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && u.host === dev.host
}

function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** Links that may open in the system browser: https only (no file:, no custom protocols, no http). */
export function isExternalLink(url: string): boolean {
  return parse(url)?.protocol === 'https:'
}

/** A navigation that stays on the same page (a hash change or a reload) rather than leaving it. */
export function isSamePage(from: string, to: string): boolean {
  const a = parse(from)
  const b = parse(to)
  if (!a || !b) return false
  a.hash = ''
  b.hash = ''
  return a.href === b.href
}
