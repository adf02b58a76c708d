// The .npz reader (and the zip reader under it) against archives written by np.savez, np.savez_compressed
// and a hand-built ZIP64 archive (test/fixtures/npy, made by scripts/fixtures/make_npy_fixtures.py).
import * as fs from 'node:fs'
import * as path from 'node:path'
import { deflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { type RandomAccessSource } from '../../src/core/formats/bytes'
import { iterateNpyBatches, readNpyRows, validateJundArrays, type NpyData } from '../../src/core/formats/npy'
import { openNpz } from '../../src/core/formats/npz'
import { openZipEntry, readZipDirectory } from '../../src/core/formats/zip'
import { InputError } from '../../src/shared/errors'

const dir = path.join(__dirname, '..', 'fixtures', 'npy')

interface ExpectedNpz {
  members?: { name: string; method: number; size: number; compressed_size: number }[]
  arrays: Record<string, { descr: string; shape: number[]; values?: (number | string)[] }>
}
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as {
  npz: Record<string, ExpectedNpz>
  errors: Record<string, string>
  jund: { codes: string[] }
}

function bytesSource(bytes: Uint8Array): RandomAccessSource & { reads: [number, number][] } {
  const reads: [number, number][] = []
  return {
    size: bytes.length,
    reads,
    read: async (offset, length) => {
      reads.push([offset, length])
      return bytes.slice(offset, offset + length)
    },
  }
}
const fixtureBytes = (name: string) => new Uint8Array(fs.readFileSync(path.join(dir, name)))
const fixture = (name: string) => bytesSource(fixtureBytes(name))

function plain(data: NpyData): (number | string)[] {
  return Array.from(data as ArrayLike<number | bigint | string>, (v) =>
    typeof v === 'bigint' ? v.toString() : v,
  )
}

function codesOf(data: NpyData, rows: number, length: number): string[] {
  const values = data as Float32Array | Uint8Array
  return Array.from({ length: rows }, (_, r) => {
    let s = ''
    for (let p = 0; p < length; p++) {
      const hot = [0, 1, 2, 3].find((b) => values[(r * length + p) * 4 + b] === 1)
      s += hot === undefined ? 'N' : 'ACGT'[hot]
    }
    return s
  })
}

async function rejection(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(InputError)
  return err as InputError
}

describe('openNpz', () => {
  it.each(Object.entries(expected.npz))('%s lists and reads its arrays as numpy does', async (name, want) => {
    const npz = await openNpz(fixture(name), { fileName: path.basename(name) })
    if (want.members) {
      expect(
        npz.members.map((m) => ({
          name: m.entry.name,
          method: m.entry.method,
          size: m.entry.size,
          compressed_size: m.entry.compressedSize,
        })),
      ).toEqual(want.members)
    }
    expect(npz.keys().sort()).toEqual(Object.keys(want.arrays).sort())
    for (const [key, array] of Object.entries(want.arrays)) {
      const header = await npz.header(key)
      expect(header.dtype.descr).toBe(array.descr)
      expect(header.shape).toEqual(array.shape)
      if (!array.values) continue
      const rows = await readNpyRows(await npz.open(key), { header, startRow: 0, rowCount: header.rows })
      expect(plain(rows.data)).toEqual(array.values)
    }
  })

  it.each(['npz/jund.npz', 'npz/jund_compressed.npz'])(
    '%s holds the JunD windows and passes validation',
    async (name) => {
      const npz = await openNpz(fixture(name), { fileName: path.basename(name) })
      const input = async (key: string) => ({ file: npz.memberFile(key), source: await npz.open(key) })
      const layout = await validateJundArrays({
        X: await input('X'),
        y: await input('y'),
        w: await input('w'),
        ids: await input('ids'),
      })
      expect(layout.rows).toBe(50)
      const codes: string[] = []
      for await (const batch of iterateNpyBatches(await npz.open('X'), 16)) {
        codes.push(...codesOf(batch.data, batch.shape[0]!, 101))
      }
      expect(codes).toEqual(expected.jund.codes)
    },
  )

  it('reads a row of a stored member with one small read of the archive', async () => {
    const archive = fixture('npz/jund.npz')
    const npz = await openNpz(archive)
    const x = await npz.open('X')
    const header = await npz.header('X')
    archive.reads.length = 0
    const row = await readNpyRows(x, { header, startRow: 30, rowCount: 1 })
    expect(archive.reads).toHaveLength(1)
    expect(archive.reads[0]![1]).toBe(101 * 4)
    expect(codesOf(row.data, 1, 101)).toEqual([expected.jund.codes[30]])
  })

  it('reads a deflated member at any offset, in any order, across chunk edges', async () => {
    const npz = await openNpz(fixture('npz/jund_compressed.npz'), { inflateChunkSize: 97 })
    expect(npz.members.find((m) => m.key === 'X')!.compressed).toBe(true)
    const x = await npz.open('X')
    const header = await npz.header('X')
    const plainX = fixtureBytes('jund/X_f4.npy')
    expect(x.size).toBe(plainX.length)
    // Backwards, forwards, overlapping, and concurrently: the bytes equal the uncompressed file's.
    const ranges: [number, number][] = [
      [plainX.length - 1000, 1000],
      [0, 10],
      [5, 5000],
      [40000, 1],
      [39990, 30000],
      [100, 100],
      [plainX.length - 3, 10],
    ]
    const got = await Promise.all(ranges.map(([o, n]) => x.read(o, n)))
    ranges.forEach(([o, n], i) => expect(got[i]).toEqual(plainX.slice(o, o + n)))
    const row = await readNpyRows(x, { header, startRow: 49, rowCount: 1 })
    expect(codesOf(row.data, 1, 101)).toEqual([expected.jund.codes[49]])
  })

  it('names the archive and the member in errors from inside it', async () => {
    const npz = await openNpz(fixture('npz/jund.npz'), { fileName: 'jund.npz' })
    expect(npz.memberFile('y')).toBe('jund.npz:y.npy')
    const err = await rejection(
      validateJundArrays({
        X: { file: npz.memberFile('X'), source: await npz.open('X') },
        y: { file: 'y_49.npy', source: fixture('jund/y_49.npy') },
      }),
    )
    expect(err.message).toContain('y_49.npy has 49 rows but jund.npz:X.npy has 50')
    const missing = await rejection(Promise.resolve().then(() => npz.open('labels')))
    expect(missing.code).toBe('npz.missing_member')
    expect(missing.found).toBe('X, y, w, ids')
  })
})

describe('bad archives', () => {
  it.each(Object.entries(expected.errors).filter(([n]) => n.endsWith('.npz')))(
    '%s fails with %s',
    async (name, code) => {
      const err = await rejection(
        openNpz(fixture(name), { fileName: path.basename(name) }).then(async (npz) =>
          npz.header(npz.keys()[0]!),
        ),
      )
      expect(err.code).toBe(code)
      expect(err.file).toBe(path.basename(name))
    },
  )

  it('fails on a deflate stream that is not one', async () => {
    const bytes = fixtureBytes('npz/mixed_compressed.npz')
    const entries = await readZipDirectory(bytesSource(bytes))
    const entry = entries.find((e) => e.name === 'a.npy')!
    const dataStart = entry.localHeaderOffset + 30 + entry.name.length + 20 // numpy writes a 20-byte ZIP64 extra
    bytes.fill(0xff, dataStart, dataStart + entry.compressedSize) // block type 3 does not exist
    const member = await openZipEntry(bytesSource(bytes), entry, { fileName: 'mixed.npz' })
    const err = await rejection(member.read(0, 16))
    expect(err.code).toBe('zip.bad_zip')
  })

  it('fails when a deflated member inflates to less than the directory says', async () => {
    const archive = fixture('npz/mixed_compressed.npz')
    const entry = (await readZipDirectory(archive)).find((e) => e.name === 'b.npy')!
    const member = await openZipEntry(archive, { ...entry, size: entry.size + 5 })
    const err = await rejection(member.read(0, entry.size + 5))
    expect(err.code).toBe('zip.bad_zip')
    expect(err.found).toBe(`${entry.size} bytes`)
  })

  it('reads an archive with a comment after the directory', async () => {
    // A stored and a deflated member built here, then a trailing comment.
    const a = new TextEncoder().encode('hello, stored')
    const b = new TextEncoder().encode('hello, deflated '.repeat(20))
    const zip = buildZip(
      [
        { name: 'a.txt', data: a, method: 0 },
        { name: 'b.txt', data: b, method: 8 },
      ],
      'a comment at the end',
    )
    const source = bytesSource(zip)
    const entries = await readZipDirectory(source)
    expect(entries.map((e) => e.name)).toEqual(['a.txt', 'b.txt'])
    const readAll = async (i: number) => {
      const s = await openZipEntry(source, entries[i]!)
      return s.read(0, s.size)
    }
    expect(await readAll(0)).toEqual(a)
    expect(await readAll(1)).toEqual(b)
  })
})

/** A minimal zip writer for the comment case (CRCs left 0: the reader does not check them). */
function buildZip(members: { name: string; data: Uint8Array; method: 0 | 8 }[], comment: string): Uint8Array {
  const parts: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const m of members) {
    const name = new TextEncoder().encode(m.name)
    const body = m.method === 8 ? new Uint8Array(deflateRawSync(m.data)) : m.data
    const local = new DataView(new ArrayBuffer(30))
    local.setUint32(0, 0x04034b50, true)
    local.setUint16(8, m.method, true)
    local.setUint32(18, body.length, true)
    local.setUint32(22, m.data.length, true)
    local.setUint16(26, name.length, true)
    parts.push(new Uint8Array(local.buffer), name, body)
    const c = new DataView(new ArrayBuffer(46))
    c.setUint32(0, 0x02014b50, true)
    c.setUint16(10, m.method, true)
    c.setUint32(20, body.length, true)
    c.setUint32(24, m.data.length, true)
    c.setUint16(28, name.length, true)
    c.setUint32(42, offset, true)
    central.push(new Uint8Array(c.buffer), name)
    offset += 30 + name.length + body.length
  }
  const directorySize = central.reduce((n, p) => n + p.length, 0)
  const commentBytes = new TextEncoder().encode(comment)
  const end = new DataView(new ArrayBuffer(22))
  end.setUint32(0, 0x06054b50, true)
  end.setUint16(8, members.length, true)
  end.setUint16(10, members.length, true)
  end.setUint32(12, directorySize, true)
  end.setUint32(16, offset, true)
  end.setUint16(20, commentBytes.length, true)
  const all = [...parts, ...central, new Uint8Array(end.buffer), commentBytes]
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of all) {
    out.set(p, at)
    at += p.length
  }
  return out
}
