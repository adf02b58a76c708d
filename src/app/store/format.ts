/**
 * What makes a file a SeqLab project, read straight from its bytes.
 *
 * The first 100 bytes of an SQLite file are a fixed header (https://sqlite.org/fileformat.html). Reading it
 * with plain `fs` tells a text file, an image or another program's database apart from a project, and a
 * too-new or truncated project, without opening SQLite at all, so these checks cannot change the file or
 * leave `-wal`/`-shm` side files next to it.
 */
import * as fs from 'node:fs'

/** `PRAGMA application_id` of every SeqLab project: the bytes "SqLb". */
export const SEQLAB_APPLICATION_ID = 0x53714c62

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
const HEADER_SIZE = 100

export interface SqliteHeader {
  pageSize: number
  /** Pages in the main file according to the header, when the header says that count is valid. */
  pageCount: number | undefined
  userVersion: number
  applicationId: number
  /** 2 when the file is in WAL mode. */
  writeVersion: number
}

export type HeaderReading =
  { kind: 'sqlite'; header: SqliteHeader; fileSize: number } | { kind: 'not-sqlite'; found: string }

/** Reads and decodes the header; `not-sqlite` says briefly what the file looks like instead. */
export function readSqliteHeader(file: string): HeaderReading {
  const fd = fs.openSync(file, 'r')
  try {
    const fileSize = fs.fstatSync(fd).size
    const bytes = Buffer.alloc(HEADER_SIZE)
    const read = fs.readSync(fd, bytes, 0, HEADER_SIZE, 0)
    const head = bytes.subarray(0, read)
    if (read < HEADER_SIZE || !head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
      return { kind: 'not-sqlite', found: describeContent(head, fileSize) }
    }
    return { kind: 'sqlite', header: decodeHeader(head), fileSize }
  } finally {
    fs.closeSync(fd)
  }
}

function decodeHeader(h: Buffer): SqliteHeader {
  const rawPageSize = h.readUInt16BE(16)
  // The value 1 stands for 65536, which does not fit in two bytes.
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  const changeCounter = h.readUInt32BE(24)
  const versionValidFor = h.readUInt32BE(92)
  const inHeaderPages = h.readUInt32BE(28)
  // The page count is trustworthy only when written by the same change as the change counter.
  const pageCount = inHeaderPages > 0 && changeCounter === versionValidFor ? inHeaderPages : undefined
  return {
    pageSize,
    pageCount,
    userVersion: h.readInt32BE(60),
    applicationId: h.readInt32BE(68),
    writeVersion: h.readUInt8(18),
  }
}

/** A few words on what a non-database file seems to be, for the error's `found`. */
function describeContent(head: Buffer, size: number): string {
  if (size === 0) return 'an empty file'
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b)
  if (starts([0x89, 0x50, 0x4e, 0x47])) return 'a PNG image'
  if (starts([0xff, 0xd8, 0xff])) return 'a JPEG image'
  if (starts([0x25, 0x50, 0x44, 0x46])) return 'a PDF document'
  if (starts([0x1f, 0x8b])) return 'a gzip archive'
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'a zip archive'
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127))
  return printable ? 'a text file' : 'a file of another kind'
}
