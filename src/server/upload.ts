/**
 * `POST /api/upload?name=…`: the browser's way to hand SeqLab a file. The body is streamed to
 * `<workspace>/uploads/<random>-<name>` (never held in memory, so a multi-gigabyte FASTA is fine), cut off
 * at a size limit, and registered as a read reference. The name is reduced to a safe base name: no folder
 * parts, separators, control characters or leading dots.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import type { IncomingMessage } from 'node:http'
import * as path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { resolveInWorkspace, type FileRegistry } from '../app/files'
import type { FileRef } from '../shared/contract'
import { InputError } from '../shared/errors'

export const UPLOADS_DIR = 'uploads'
const MAX_NAME_LENGTH = 120

/** A base name that is safe on every OS, keeping the extension when the name must be shortened. */
export function sanitiseUploadName(raw: string | null | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? ''
  let name = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
  if (name.length > MAX_NAME_LENGTH) {
    const ext = path.extname(name).slice(0, 20)
    name = name.slice(0, MAX_NAME_LENGTH - ext.length) + ext
  }
  return name || 'upload'
}

function tooLarge(limitBytes: number): InputError {
  return new InputError(
    'files.upload_too_large',
    `The file is larger than the upload limit of ${limitBytes} bytes.`,
    {
      params: { limit: limitBytes },
    },
  )
}

/** Counts bytes through the stream and fails it once `limitBytes` is passed. */
function sizeLimit(limitBytes: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length
      if (seen > limitBytes) callback(tooLarge(limitBytes))
      else callback(null, chunk)
    },
  })
}

export interface UploadOptions {
  workspaceDir: string | undefined
  files: FileRegistry
  limitBytes: number
}

/** Streams the request body into the workspace and returns a read reference to the stored file. */
export async function receiveUpload(
  req: IncomingMessage,
  name: string | null,
  o: UploadOptions,
): Promise<FileRef> {
  if (!o.workspaceDir) {
    throw new InputError(
      'files.no_workspace',
      'Uploads need a workspace folder: start the web bridge with --workspace.',
    )
  }
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > o.limitBytes) throw tooLarge(o.limitBytes)

  const displayName = sanitiseUploadName(name)
  const uploadsDir = resolveInWorkspace(o.workspaceDir, UPLOADS_DIR)
  fs.mkdirSync(uploadsDir, { recursive: true })
  // Checked again after creation: `uploads` must not be (or have become) a link out of the workspace.
  const realUploads = resolveInWorkspace(o.workspaceDir, UPLOADS_DIR, { mustExist: true })
  const target = path.join(realUploads, `${randomBytes(6).toString('hex')}-${displayName}`)

  try {
    await pipeline(req, sizeLimit(o.limitBytes), fs.createWriteStream(target, { flags: 'wx' }))
  } catch (err) {
    fs.rmSync(target, { force: true })
    throw err
  }
  return o.files.register(target, 'read', displayName)
}
