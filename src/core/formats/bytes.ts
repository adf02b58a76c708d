/**
 * Bytes to text lines, the first step of every sequential parser (DESIGN.md: "parsers stream or seek").
 *
 * - `detectGzip` looks at the magic bytes (1f 8b), never at the file's name: `.fa.gz` files that are not
 *   compressed and compressed files without `.gz` both exist in the wild.
 * - `maybeGunzip` passes plain bytes through and decompresses gzip with the Web `DecompressionStream`
 *   (Node 20, Electron and browsers have it), including multi-member files such as bgzip output.
 * - `lines` decodes UTF-8 and splits on `\n` or `\r\n`, drops a byte-order mark and keeps a last line that has
 *   no newline; partial lines are gathered as pieces and joined once, so long lines cost linear time.
 *
 * The app layer hands in the bytes (a file stream, an upload); nothing here touches the file system.
 */
import { InputError } from '../../shared/errors'

/** A stream of byte chunks, e.g. a Node `fs.ReadStream` or a web `ReadableStream`. */
export type ByteSource = AsyncIterable<Uint8Array>

/** A file that can be read at any offset, for indexed formats (FASTA + `.fai`). */
export interface RandomAccessSource {
  /** Size in bytes. */
  readonly size: number
  /** Bytes [offset, offset + length); fewer only when the range runs past the end. */
  read(offset: number, length: number): Promise<Uint8Array>
}

/** One line of text without its line ending; `lineNumber` is 1-based. */
export interface TextLine {
  text: string
  lineNumber: number
}

export interface SourceOptions {
  /** The file's name as the user knows it, carried by every error. */
  fileName?: string
}

const gzipMagic = [0x1f, 0x8b] as const

/** True when the bytes start with the gzip magic number; needs at least the first two bytes. */
export function detectGzip(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= 2 && firstBytes[0] === gzipMagic[0] && firstBytes[1] === gzipMagic[1]
}

/**
 * The source's bytes, decompressed when they start with the gzip magic number. A file that starts like gzip
 * but cannot be decompressed (corrupt, truncated, trailing garbage) fails with `gzip.corrupt`. Errors of the
 * source itself (a disk error) pass through unchanged: they are not the user's file's fault.
 */
export async function* maybeGunzip(
  source: ByteSource,
  options: SourceOptions = {},
): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  // Gather at least two bytes: a stream may deliver a 1-byte first chunk.
  const head: Uint8Array[] = []
  let headLength = 0
  let exhausted = false
  while (headLength < gzipMagic.length) {
    const step = await iterator.next()
    if (step.done) {
      exhausted = true
      break
    }
    head.push(step.value)
    headLength += step.value.length
  }
  const firstBytes = concatBytes(head, headLength)
  if (!detectGzip(firstBytes)) {
    try {
      if (firstBytes.length > 0) yield firstBytes
      if (exhausted) return
      for (let step = await iterator.next(); !step.done; step = await iterator.next()) yield step.value
    } finally {
      await iterator.return?.()
    }
    return
  }
  yield* gunzip(firstBytes, exhausted ? undefined : iterator, options)
}

async function* gunzip(
  firstBytes: Uint8Array,
  rest: AsyncIterator<Uint8Array> | undefined,
  options: SourceOptions,
): AsyncGenerator<Uint8Array> {
  const decompressor = new DecompressionStream('gzip')
  const writer = decompressor.writable.getWriter()
  const reader = decompressor.readable.getReader()
  let sourceFailure: { error: unknown } | undefined

  // Feed the decompressor while we read from it; a write fails only when the decompressor has failed,
  // and the reader sees that failure, so write errors are not reported twice.
  const feed = async () => {
    try {
      await writer.write(firstBytes)
      while (rest) {
        let step: IteratorResult<Uint8Array>
        try {
          step = await rest.next()
        } catch (error) {
          sourceFailure = { error }
          await writer.abort(error).catch(() => {})
          return
        }
        if (step.done) break
        await writer.write(step.value)
      }
      await writer.close()
    } catch {
      // The decompressor failed; reported by the reader below.
    }
  }
  const feeding = feed()

  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>
      try {
        step = await reader.read()
      } catch (error) {
        if (sourceFailure) throw sourceFailure.error
        throw new InputError(
          'gzip.corrupt',
          'The file starts like gzip but cannot be decompressed: it may be damaged or cut short.',
          {
            file: options.fileName,
            expected: 'a complete gzip file',
            found: describeError(error),
            cause: error,
          },
        )
      }
      if (step.done) break
      yield step.value
    }
  } finally {
    // The consumer may stop early: release the decompressor and the source.
    await reader.cancel().catch(() => {})
    await feeding
    await rest?.return?.()
  }
}

/**
 * Lines of UTF-8 text. A byte-order mark at the start is dropped (TextDecoder does that by default), `\r\n`
 * and `\n` both end a line, and a last line without a newline is kept. Bytes that are not UTF-8 (a binary
 * file, or text saved as Latin-1) fail with `text.not_utf8` on the line where they occur.
 */
export async function* lines(source: ByteSource, options: SourceOptions = {}): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8')
  let pending: string[] = []
  let lineNumber = 0

  function* split(text: string): Generator<TextLine> {
    let start = 0
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      pending.push(text.slice(start, newline))
      start = newline + 1
      yield finishLine()
    }
    if (start < text.length) pending.push(text.slice(start))
  }

  function finishLine(): TextLine {
    let text = pending.length === 1 ? pending[0]! : pending.join('')
    pending = []
    lineNumber += 1
    if (text.endsWith('\r')) text = text.slice(0, -1)
    if (text.includes('\uFFFD')) throw notUtf8(text, lineNumber, options)
    return { text, lineNumber }
  }

  for await (const chunk of source) yield* split(decoder.decode(chunk, { stream: true }))
  yield* split(decoder.decode())
  if (pending.length > 0) yield finishLine()
}

/** `lines(maybeGunzip(source))`: the text lines of a plain or gzip-compressed file. */
export function readTextLines(source: ByteSource, options: SourceOptions = {}): AsyncGenerator<TextLine> {
  return lines(maybeGunzip(source, options), options)
}

function notUtf8(text: string, lineNumber: number, options: SourceOptions): InputError {
  const column = text.indexOf('\uFFFD') + 1
  return new InputError(
    'text.not_utf8',
    `line ${lineNumber.toLocaleString('en-US')}, column ${column}: this is not UTF-8 text ` +
      '(a binary file, or text saved in another encoding: save it as UTF-8)',
    {
      file: options.fileName,
      line: lineNumber,
      expected: 'UTF-8 text',
      found: 'bytes that are not UTF-8',
      params: { column },
    },
  )
}

function concatBytes(chunks: Uint8Array[], totalLength: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const joined = new Uint8Array(totalLength)
  let offset = 0
  for (const chunk of chunks) {
    joined.set(chunk, offset)
    offset += chunk.length
  }
  return joined
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
