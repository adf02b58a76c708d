import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { detectGzip, lines, maybeGunzip, readTextLines } from '../../src/core/formats/bytes'
import { InputError } from '../../src/shared/errors'
import { seededFloats as seededRandom } from '../support/random'

const fixtures = path.resolve(__dirname, '../fixtures/formats')

/** Delivers `bytes` in chunks of the given sizes (cycled), as a file stream would. */
async function* chunked(bytes: Uint8Array, sizes: number[] = [65536]): AsyncGenerator<Uint8Array> {
  let offset = 0
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!
    yield bytes.subarray(offset, offset + size)
    offset += size
  }
}

async function collectBytes(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const chunk of source) chunks.push(chunk)
  return Buffer.concat(chunks)
}

async function collectLines(bytes: Uint8Array, sizes?: number[]): Promise<string[]> {
  const texts: string[] = []
  let expectedNumber = 1
  for await (const line of lines(chunked(bytes, sizes))) {
    expect(line.lineNumber).toBe(expectedNumber++)
    texts.push(line.text)
  }
  return texts
}

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

const utf8 = (text: string) => new TextEncoder().encode(text)

describe('detectGzip', () => {
  it('looks at the magic bytes only', () => {
    expect(detectGzip(new Uint8Array([0x1f, 0x8b, 0x08]))).toBe(true)
    expect(detectGzip(zlib.gzipSync('>x\nACGT\n'))).toBe(true)
    expect(detectGzip(utf8('>x\nACGT\n'))).toBe(false)
    expect(detectGzip(new Uint8Array([0x1f]))).toBe(false)
    expect(detectGzip(new Uint8Array([0x8b, 0x1f]))).toBe(false)
  })
})

describe('maybeGunzip', () => {
  const lambdaGz = fs.readFileSync(path.join(fixtures, 'lambda_virus.fa.gz'))

  it('decompresses a real gzip file, whatever the chunking (a 1-byte first chunk included)', async () => {
    const expected = zlib.gunzipSync(lambdaGz)
    for (const sizes of [[65536], [1, 7, 4096], [3]]) {
      const out = await collectBytes(maybeGunzip(chunked(lambdaGz, sizes)))
      expect(out.equals(expected)).toBe(true)
    }
    expect(zlib.gunzipSync(lambdaGz).subarray(0, 12).toString()).toBe('>gi|9626243|')
  })

  it('passes plain bytes through unchanged', async () => {
    const plain = utf8('>seq1\nACGT\n>seq2\nGGCC')
    expect((await collectBytes(maybeGunzip(chunked(plain, [1, 2, 5])))).toString()).toBe(
      '>seq1\nACGT\n>seq2\nGGCC',
    )
    expect((await collectBytes(maybeGunzip(chunked(new Uint8Array(0))))).length).toBe(0)
    expect((await collectBytes(maybeGunzip(chunked(utf8('>'))))).toString()).toBe('>')
  })

  it('reads every member of a multi-member file, as bgzip writes (with its empty end member)', async () => {
    const members = Buffer.concat([
      zlib.gzipSync('>a\nACGT\n'),
      zlib.gzipSync('>b\nTTTT\n'),
      zlib.gzipSync(''),
    ])
    const out = await collectBytes(maybeGunzip(chunked(members, [5, 11])))
    expect(out.toString()).toBe('>a\nACGT\n>b\nTTTT\n')
  })

  it('reports a damaged, a truncated or a padded gzip file as gzip.corrupt with the file name', async () => {
    const damaged = Buffer.from(lambdaGz)
    damaged[damaged.length - 6]! ^= 0xff // inside the CRC-32 of the trailer
    const truncated = lambdaGz.subarray(0, lambdaGz.length >> 1)
    const padded = Buffer.concat([lambdaGz, Buffer.from('not gzip at all')])
    const onlyMagic = Buffer.from([0x1f, 0x8b])
    for (const bad of [damaged, truncated, padded, onlyMagic]) {
      const error = await failure(() =>
        collectBytes(maybeGunzip(chunked(bad, [1000]), { fileName: 'lambda.fa.gz' })),
      )
      expect(error.code).toBe('gzip.corrupt')
      expect(error.file).toBe('lambda.fa.gz')
    }
  })

  it("lets the source's own errors through unchanged (a disk error is not a corrupt file)", async () => {
    async function* failingSource() {
      yield lambdaGz.subarray(0, 100)
      throw new Error('EIO: i/o error, read')
    }
    await expect(collectBytes(maybeGunzip(failingSource()))).rejects.toThrow('EIO: i/o error, read')
    await expect(collectBytes(maybeGunzip(failingSource()))).rejects.not.toBeInstanceOf(InputError)
  })

  it('releases the source when the reader stops early', async () => {
    let closed = false
    async function* source() {
      try {
        yield* chunked(lambdaGz, [512])
      } finally {
        closed = true
      }
    }
    for await (const chunk of maybeGunzip(source())) {
      expect(chunk.length).toBeGreaterThan(0)
      break
    }
    expect(closed).toBe(true)
  })
})

describe('lines', () => {
  it('splits on \\n and \\r\\n, keeps a last line without newline, and numbers lines from 1', async () => {
    expect(await collectLines(utf8('a\nbb\r\nccc'))).toEqual(['a', 'bb', 'ccc'])
    expect(await collectLines(utf8('a\n\nb\n'))).toEqual(['a', '', 'b'])
    expect(await collectLines(utf8('\n'))).toEqual([''])
    expect(await collectLines(utf8(''))).toEqual([])
  })

  it('drops a UTF-8 byte-order mark at the start only', async () => {
    expect(await collectLines(utf8('\uFEFF>x\r\nAC\r\n'), [1])).toEqual(['>x', 'AC'])
    expect(await collectLines(utf8('a\n\uFEFFb'))).toEqual(['a', '\uFEFFb'])
  })

  it('gives the same lines for any chunking, even splitting \\r\\n and multi-byte letters', async () => {
    const random = seededRandom(7)
    const alphabet = ['A', 'c', 'µ', '中', '\n', '\r\n', ' ', ',', '𝛼']
    for (let trial = 0; trial < 40; trial++) {
      let text = ''
      const length = Math.floor(random() * 300)
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)]
      const expected = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/)
      const sizes = [1 + Math.floor(random() * 5), 1 + Math.floor(random() * 50)]
      expect(await collectLines(utf8(text), sizes)).toEqual(expected)
    }
  })

  it('joins a long line that arrives in many small chunks', async () => {
    const long = 'ACGT'.repeat(250_000)
    const result = await collectLines(utf8(`>x\n${long}\n>y\n`), [16])
    expect(result).toEqual(['>x', long, '>y'])
  })

  it('reports bytes that are not UTF-8 with their line and column', async () => {
    const latin1 = Buffer.concat([utf8('gene,unit\nACTB,1\nIL7R,5 '), Buffer.from([0xb5]), utf8('M\n')])
    const error = await failure(() => collectLines(latin1))
    expect(error.code).toBe('text.not_utf8')
    expect(error.line).toBe(3)
    expect(error.params).toEqual({ column: 8 })
  })

  it('reads gzip and plain files alike through readTextLines', async () => {
    const gz = fs.readFileSync(path.join(fixtures, 'lambda_virus.fa.gz'))
    const plain = zlib.gunzipSync(gz)
    const fromGzip: string[] = []
    for await (const line of readTextLines(chunked(gz, [333]))) fromGzip.push(line.text)
    expect(fromGzip).toEqual(await collectLines(plain))
    expect(fromGzip[0]).toBe('>gi|9626243|ref|NC_001416.1| Enterobacteria phage lambda, complete genome')
  })
})
