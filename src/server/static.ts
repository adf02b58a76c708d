/**
 * Serves the built renderer (`out/renderer`) to the browser: correct MIME types (wasm included, so
 * TensorFlow.js can stream-compile it), an SPA fallback to index.html for the router's paths, and no way
 * out of the folder: the raw path is checked segment by segment *before* any normalisation, so `..`,
 * `%2e%2e`, an encoded slash or a NUL byte is refused rather than quietly resolved.
 */
import * as fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as path from 'node:path'
import { isInside } from '../app/files'

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
}

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The decoded segments of a raw request path, or undefined when any segment is a trick: a dot segment
 * (plain or percent-encoded), an encoded separator, a NUL byte, or undecodable percent-escapes.
 */
export function safePathSegments(rawPath: string): string[] | undefined {
  const segments: string[] = []
  for (const raw of rawPath.split('/')) {
    if (raw === '') continue
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return undefined
    }
    if (segment === '.' || segment === '..' || /[\\/\0]/.test(segment) || /^[a-zA-Z]:/.test(segment))
      return undefined
    segments.push(segment)
  }
  return segments
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SeqLab</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>SeqLab's interface is not built</h1>
<p>The web bridge is running, but the renderer was not found. Build it with <code>npm run build</code>,
then reload this page.</p>
</body></html>
`

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  })
  res.end(head ? undefined : body)
}

function fileIfExists(file: string): fs.Stats | undefined {
  try {
    const stat = fs.statSync(file)
    return stat.isFile() ? stat : undefined
  } catch {
    return undefined
  }
}

/** Answers a GET/HEAD for a static file of `rendererDir`. */
export function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  rendererDir: string,
  rawPath: string,
): void {
  const head = req.method === 'HEAD'
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD')
    return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', head)
  }
  const segments = safePathSegments(rawPath)
  if (!segments) return send(res, 400, 'text/plain; charset=utf-8', 'Bad path\n', head)

  let root: string
  try {
    root = fs.realpathSync.native(rendererDir)
  } catch {
    return send(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE, head)
  }
  const index = path.join(root, 'index.html')
  if (!fileIfExists(index)) return send(res, 503, 'text/html; charset=utf-8', NOT_BUILT_PAGE, head)

  let file = path.join(root, ...segments)
  let stat = segments.length ? fileIfExists(file) : undefined
  if (!stat) {
    // The router's paths (no extension) get the app; a missing asset is a plain 404.
    const last = segments[segments.length - 1] ?? ''
    if (path.extname(last) !== '') return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n', head)
    file = index
    stat = fileIfExists(index)!
  }
  // A symlink inside the renderer folder must not lead out of it.
  const real = fs.realpathSync.native(file)
  if (!isInside(root, real)) return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n', head)

  res.writeHead(200, {
    'Content-Type': mimeTypeOf(real),
    'Content-Length': stat.size,
    // Vite's hashed assets never change; everything else (index.html names them) is revalidated.
    'Cache-Control':
      segments[0] === 'assets' && file !== index ? 'public, max-age=31536000, immutable' : 'no-cache',
  })
  if (head) return void res.end()
  fs.createReadStream(real)
    .on('error', () => res.destroy())
    .pipe(res)
}
