/**
 * The files an import reads, as the core parsers want them: a stream of bytes (`fs.createReadStream`) for
 * sequential formats, and a random-access source over a file handle for indexed ones (`.fai`, `.npy`,
 * `.npz`). The core never touches the file system (DESIGN.md, "Layers"); this module is where the app hands
 * it the bytes.
 *
 * Every source carries the name the user knows the file by (errors name it, never a full path), counts the
 * bytes it has delivered (progress), and stops with the abort reason when the job is cancelled.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ByteSource, RandomAccessSource } from '../../core/formats/bytes'
import { InputError } from '../../shared/errors'

/** A file chosen by the user: its path on disk and the name to show. */
export interface InputFile {
  path: string
  name: string
}

export function inputFile(filePath: string, name?: string): InputFile {
  return { path: filePath, name: name ?? path.basename(filePath) }
}

/** Size in bytes, or `dataset.file_not_found` naming the file. */
export function fileSize(file: InputFile): number {
  try {
    const stat = fs.statSync(file.path)
    if (!stat.isFile()) {
      throw new InputError('dataset.not_a_file', `${file.name} is not a file`, {
        file: file.name,
        expected: 'a file',
        found: 'a folder',
      })
    }
    return stat.size
  } catch (err) {
    if (err instanceof InputError) throw err
    throw new InputError('dataset.file_not_found', `${file.name} cannot be read`, {
      file: file.name,
      expected: 'a readable file',
      found: (err as NodeJS.ErrnoException).code ?? String(err),
      cause: err,
    })
  }
}

export interface ByteCounter {
  bytes: number
}

/**
 * The file's bytes as a stream. `counter.bytes` grows as chunks are handed on; `signal` stops the stream
 * (the consumer sees the abort reason). Breaking out of the loop early closes the file.
 */
export async function* readFileBytes(
  file: InputFile,
  options: { signal?: AbortSignal; counter?: ByteCounter; highWaterMark?: number } = {},
): ByteSource {
  fileSize(file)
  const stream = fs.createReadStream(file.path, { highWaterMark: options.highWaterMark ?? 1 << 20 })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted()
      if (options.counter) options.counter.bytes += chunk.length
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    }
  } finally {
    stream.destroy()
  }
}

/** A file read by offset; close it when done. */
export interface FileRandomAccess extends RandomAccessSource {
  close(): Promise<void>
}

export async function openRandomAccess(file: InputFile): Promise<FileRandomAccess> {
  const size = fileSize(file)
  const handle = await fs.promises.open(file.path, 'r')
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const wanted = Math.max(0, Math.min(length, size - offset))
      const buffer = Buffer.alloc(wanted)
      let filled = 0
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled)
        if (bytesRead === 0) break
        filled += bytesRead
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, filled)
    },
    close: () => handle.close(),
  }
}

/** Runs `fn` with the file open for random access, and closes it whatever happens. */
export async function withRandomAccess<T>(
  file: InputFile,
  fn: (source: FileRandomAccess) => Promise<T>,
): Promise<T> {
  const source = await openRandomAccess(file)
  try {
    return await fn(source)
  } finally {
    await source.close()
  }
}
