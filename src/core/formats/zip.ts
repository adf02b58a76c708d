/**
 * A minimal zip reader over a random-access source: the central directory (ZIP64 included) and each
 * member as its own random-access source. Written for `.npz` (numpy's zip of `.npy` members), kept
 * generic.
 *
 * Why not a package: core stays dependency-free and file-system-free, and `.npz` needs only two methods,
 * STORED (np.savez) and DEFLATED (np.savez_compressed). The directory is found from the end of the file
 * (end-of-central-directory record, then the ZIP64 locator and record if present), so opening an archive
 * reads a few kilobytes however large its members are. ZIP64 extra fields (sizes and offsets past 4 GiB)
 * are read in the central directory; a local header's own extra field is only skipped.
 *
 * Random access into members:
 * - STORED members are a window of the archive: any byte range is one read of the archive.
 * - DEFLATED members have no index, so they are inflated with the Web `DecompressionStream('deflate-raw')`
 *   (a global in Node 20 and browsers) as a stream from the member's start. The source keeps its place:
 *   reads at or after the last one continue the stream, a read before it starts over from the beginning.
 *   In-order reading (batches, sampled rows in ascending order) therefore inflates the member once;
 *   jumping backwards costs a re-inflation up to that point.
 * CRC-32 is not checked (random access never sees a whole member); a corrupt deflate stream still fails.
 */
import { InputError } from '../../shared/errors'
import { type RandomAccessSource } from './bytes'

export interface ZipEntry {
  /** Path inside the archive, e.g. `X.npy`. */
  name: string
  /** 0 = STORED, 8 = DEFLATED; others are rejected when opened. */
  method: number
  flags: number
  compressedSize: number
  /** Uncompressed size. */
  size: number
  localHeaderOffset: number
}

export interface ZipOptions {
  /** The archive's name for error messages; defaults to `archive.zip`. */
  fileName?: string
}

export interface OpenEntryOptions extends ZipOptions {
  /** Compressed bytes read per step when inflating (default 256 KiB); small values test chunk edges. */
  inflateChunkSize?: number
}

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const EOCD_SIZE = 22
const MAX_COMMENT = 0xffff

/** Lists the members from the central directory. */
export async function readZipDirectory(
  source: RandomAccessSource,
  options: ZipOptions = {},
): Promise<ZipEntry[]> {
  const file = options.fileName ?? 'archive.zip'
  const tailLength = Math.min(source.size, EOCD_SIZE + MAX_COMMENT)
  const tailStart = source.size - tailLength
  const tail = await source.read(tailStart, tailLength)
  const tv = view(tail)
  // The record sits at the very end unless the archive has a comment: search backwards for it.
  let eocd = -1
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (tv.getUint32(at, true) === EOCD && at + EOCD_SIZE + tv.getUint16(at + 20, true) <= tail.length) {
      eocd = at
      break
    }
  }
  if (eocd < 0) {
    throw new InputError('zip.not_zip', `${file} is not a zip archive (or its end is missing)`, {
      file,
      expected: 'a zip end-of-central-directory record',
      found: `${source.size} bytes without one`,
    })
  }
  let entryCount = tv.getUint16(eocd + 10, true)
  let directorySize = tv.getUint32(eocd + 12, true)
  let directoryOffset = tv.getUint32(eocd + 16, true)
  if (tv.getUint16(eocd + 4, true) !== 0 || tv.getUint16(eocd + 6, true) !== 0) {
    throw badZip(file, 'a single-volume archive', 'a multi-volume (split) archive')
  }
  const locatorAt = tailStart + eocd - 20
  if (locatorAt >= 0) {
    const locator = view(await source.read(locatorAt, 20))
    if (locator.byteLength === 20 && locator.getUint32(0, true) === ZIP64_LOCATOR) {
      const recordAt = safe(locator.getBigUint64(8, true), file)
      const record = view(await source.read(recordAt, 56))
      if (record.byteLength < 56 || record.getUint32(0, true) !== ZIP64_EOCD) {
        throw badZip(file, 'a ZIP64 end-of-central-directory record', `nothing at byte ${recordAt}`)
      }
      entryCount = safe(record.getBigUint64(32, true), file)
      directorySize = safe(record.getBigUint64(40, true), file)
      directoryOffset = safe(record.getBigUint64(48, true), file)
    }
  }
  if (directoryOffset + directorySize > source.size) {
    throw badZip(
      file,
      `a central directory within the ${source.size} bytes`,
      `one ending at ${directoryOffset + directorySize}`,
    )
  }
  const dir = await source.read(directoryOffset, directorySize)
  const dv = view(dir)
  const entries: ZipEntry[] = []
  let at = 0
  for (let i = 0; i < entryCount; i++) {
    if (at + 46 > dir.length || dv.getUint32(at, true) !== CENTRAL) {
      throw badZip(file, `${entryCount} central directory entries`, `a broken entry ${i + 1}`)
    }
    const nameLength = dv.getUint16(at + 28, true)
    const extraLength = dv.getUint16(at + 30, true)
    const commentLength = dv.getUint16(at + 32, true)
    let compressedSize = dv.getUint32(at + 20, true)
    let size = dv.getUint32(at + 24, true)
    let localHeaderOffset = dv.getUint32(at + 42, true)
    // Names are UTF-8 (flag 11) or CP437; numpy's are ASCII, where the two agree.
    const name = new TextDecoder().decode(dir.subarray(at + 46, at + 46 + nameLength))
    // ZIP64 extra field: 8-byte values for exactly those of the three fields that hold 0xFFFFFFFF, in order.
    const extraStart = at + 46 + nameLength
    for (let e = extraStart; e + 4 <= extraStart + extraLength;) {
      const id = dv.getUint16(e, true)
      const length = dv.getUint16(e + 2, true)
      if (id === 0x0001) {
        let p = e + 4
        const next = (): number => {
          if (p + 8 > e + 4 + length)
            throw badZip(file, 'a complete ZIP64 extra field', `one of ${length} bytes`)
          const v = safe(dv.getBigUint64(p, true), file)
          p += 8
          return v
        }
        if (size === 0xffffffff) size = next()
        if (compressedSize === 0xffffffff) compressedSize = next()
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next()
      }
      e += 4 + length
    }
    entries.push({
      name,
      method: dv.getUint16(at + 10, true),
      flags: dv.getUint16(at + 8, true),
      compressedSize,
      size,
      localHeaderOffset,
    })
    at = extraStart + extraLength + commentLength
  }
  return entries
}

/** One member as a random-access source of its uncompressed bytes (see the module note on DEFLATED). */
export async function openZipEntry(
  source: RandomAccessSource,
  entry: ZipEntry,
  options: OpenEntryOptions = {},
): Promise<RandomAccessSource> {
  const file = options.fileName ?? 'archive.zip'
  if (entry.flags & 1) {
    throw new InputError('zip.encrypted', `${entry.name} in ${file} is encrypted`, {
      file,
      found: entry.name,
    })
  }
  if (entry.method !== 0 && entry.method !== 8) {
    throw new InputError(
      'zip.unsupported_compression',
      `${entry.name} in ${file} uses zip compression method ${entry.method}`,
      { file, expected: 'stored (0) or deflated (8), as numpy writes', found: `method ${entry.method}` },
    )
  }
  // The local header's name and extra lengths may differ from the central directory's: read them.
  const local = view(await source.read(entry.localHeaderOffset, 30))
  if (local.byteLength < 30 || local.getUint32(0, true) !== LOCAL) {
    throw badZip(file, `the local header of ${entry.name}`, `nothing at byte ${entry.localHeaderOffset}`)
  }
  const dataStart = entry.localHeaderOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true)
  if (dataStart + entry.compressedSize > source.size) {
    throw badZip(
      file,
      `${entry.name} within the archive`,
      `its data ending at byte ${dataStart + entry.compressedSize}`,
    )
  }
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize) {
      throw badZip(file, `equal sizes for stored ${entry.name}`, `${entry.compressedSize} and ${entry.size}`)
    }
    return {
      size: entry.size,
      read: (offset, length) => {
        const end = Math.min(offset + length, entry.size)
        return end <= offset
          ? Promise.resolve(new Uint8Array(0))
          : source.read(dataStart + offset, end - offset)
      },
    }
  }
  return new InflatingSource(source, entry, dataStart, file, options.inflateChunkSize ?? 256 * 1024)
}

class InflatingSource implements RandomAccessSource {
  readonly size: number
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  /** The last inflated chunk and its offset in the member. */
  private chunk: Uint8Array = new Uint8Array(0)
  private chunkStart = 0
  /** Reads share one stream, so they run one at a time. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly source: RandomAccessSource,
    private readonly entry: ZipEntry,
    private readonly dataStart: number,
    private readonly file: string,
    private readonly chunkSize: number,
  ) {
    this.size = entry.size
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    const result = this.queue.then(() => this.readInOrder(offset, length))
    this.queue = result.catch(() => undefined)
    return result
  }

  private async readInOrder(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.size)
    if (end <= offset) return new Uint8Array(0)
    if (!this.reader || offset < this.chunkStart) await this.restart()
    const out = new Uint8Array(end - offset)
    for (;;) {
      const chunkEnd = this.chunkStart + this.chunk.length
      const from = Math.max(offset, this.chunkStart)
      const to = Math.min(end, chunkEnd)
      if (to > from) out.set(this.chunk.subarray(from - this.chunkStart, to - this.chunkStart), from - offset)
      if (chunkEnd >= end) return out
      let next: Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>
      try {
        next = await this.reader!.read()
      } catch (cause) {
        this.reader = undefined
        if (cause instanceof InputError) throw cause
        throw badZip(this.file, `a valid deflate stream in ${this.entry.name}`, String(cause), cause)
      }
      if (next.done) {
        this.reader = undefined
        throw badZip(this.file, `${this.size} inflated bytes in ${this.entry.name}`, `${chunkEnd} bytes`)
      }
      this.chunkStart = chunkEnd
      this.chunk = next.value
    }
  }

  private async restart(): Promise<void> {
    await this.reader?.cancel().catch(() => undefined)
    const { source, dataStart, chunkSize } = this
    const total = this.entry.compressedSize
    let position = 0
    const compressed = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (position >= total) return controller.close()
        const n = Math.min(chunkSize, total - position)
        const bytes = await source.read(dataStart + position, n)
        if (bytes.length < n) {
          return controller.error(
            badZip(this.file, `${total} compressed bytes of ${this.entry.name}`, 'fewer'),
          )
        }
        position += n
        controller.enqueue(bytes)
      },
    })
    this.reader = compressed.pipeThrough(new DecompressionStream('deflate-raw')).getReader()
    this.chunk = new Uint8Array(0)
    this.chunkStart = 0
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function safe(value: bigint, file: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER))
    throw badZip(file, 'sizes and offsets below 2^53', String(value))
  return Number(value)
}

function badZip(file: string, expected: string, found: string, cause?: unknown): InputError {
  return new InputError('zip.bad_zip', `${file} is a damaged zip archive`, { file, expected, found, cause })
}
