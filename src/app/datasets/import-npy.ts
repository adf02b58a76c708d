/**
 * NumPy arrays in the DeepChem/Kaggle JunD layout → records: X `(n, L, 4)` one-hot (A, C, G, T; float,
 * uint8 or bool), y `(n,)`/`(n, 1)`, optional w and ids, as loose `.npy` files or one `.npz` with members
 * X, y, w, ids. `validateJundArrays` checks shapes, dtypes and a sample of rows first (`npy.bad_shape`,
 * `npy.shape_mismatch`, `npy.unsupported_dtype`, `npy.not_one_hot`); then the rows are read batch by batch
 * (only their bytes) and each one-hot row is decoded back to letters, an all-zero position being N. Every
 * row is checked while decoding, not just the sample, so a bad row anywhere fails the import.
 *
 * Ids like `chr22:16000000-16000101` (how the JunD set names its windows) give the record its chromosome
 * and coordinates, so a chromosome hold-out split works on imported arrays too.
 */
import type { z } from 'zod'
import {
  readNpyRows,
  validateJundArrays,
  type JundLayout,
  type NpyData,
  type NpyInput,
} from '../../core/formats/npy'
import { openNpz } from '../../core/formats/npz'
import type { NpyImportOptions } from '../../shared/contract-datasets'
import { InputError } from '../../shared/errors'
import type { RecordSource } from './pipeline'
import type { RawRecord } from './records'
import { openRandomAccess, type FileRandomAccess, type InputFile } from './sources'

export type NpyOptions = z.output<typeof NpyImportOptions>
export type NpyFiles = { X: InputFile; y: InputFile; w?: InputFile; ids?: InputFile } | { npz: InputFile }

const BATCH_ROWS = 2048
const BASES = 'ACGT'

interface OpenArrays {
  arrays: { X: NpyInput; y: NpyInput; w?: NpyInput; ids?: NpyInput }
  close(): Promise<void>
}

async function openArrays(files: NpyFiles): Promise<OpenArrays> {
  const handles: FileRandomAccess[] = []
  const close = async () => {
    await Promise.all(handles.map((h) => h.close()))
  }
  try {
    const open = async (file: InputFile) => {
      const handle = await openRandomAccess(file)
      handles.push(handle)
      return handle
    }
    if ('npz' in files) {
      const archive = await openNpz(await open(files.npz), { fileName: files.npz.name })
      const member = async (key: string): Promise<NpyInput> => ({
        file: archive.memberFile(key),
        source: await archive.open(key),
      })
      const keys = archive.keys()
      return {
        arrays: {
          X: await member('X'),
          y: await member('y'),
          ...(keys.includes('w') ? { w: await member('w') } : {}),
          ...(keys.includes('ids') ? { ids: await member('ids') } : {}),
        },
        close,
      }
    }
    const input = async (file: InputFile): Promise<NpyInput> => ({
      file: file.name,
      source: await open(file),
    })
    return {
      arrays: {
        X: await input(files.X),
        y: await input(files.y),
        ...(files.w ? { w: await input(files.w) } : {}),
        ...(files.ids ? { ids: await input(files.ids) } : {}),
      },
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}

export function npySource(
  files: NpyFiles,
  options: NpyOptions,
  mode: { preview: boolean; signal?: AbortSignal },
): RecordSource {
  let layout: JundLayout | undefined
  let rowsDone = 0
  const names =
    'npz' in files
      ? { npz: files.npz.name }
      : {
          X: files.X.name,
          y: files.y.name,
          ...(files.w ? { w: files.w.name } : {}),
          ...(files.ids ? { ids: files.ids.name } : {}),
        }

  async function* records(): AsyncGenerator<RawRecord> {
    const opened = await openArrays(files)
    try {
      const { arrays } = opened
      layout = await validateJundArrays(arrays, { signal: mode.signal })
      const { headers, rows, length } = layout
      const batch = mode.preview ? 64 : BATCH_ROWS
      for (let start = 0; start < rows; start += batch) {
        mode.signal?.throwIfAborted()
        const count = Math.min(batch, rows - start)
        const read = (input: NpyInput, header: typeof headers.X) =>
          readNpyRows(input.source, { header, startRow: start, rowCount: count })
        const X = await read(arrays.X, headers.X)
        const y = await read(arrays.y, headers.y)
        const w = arrays.w && headers.w ? await read(arrays.w, headers.w) : undefined
        const ids = arrays.ids && headers.ids ? await read(arrays.ids, headers.ids) : undefined
        for (let r = 0; r < count; r++) {
          const row = start + r
          const sequence = decodeOneHot(X.data, r, length, arrays.X.file, row)
          const id = ids ? String((ids.data as string[])[r]) : null
          const region = id ? windowOfId(id, length) : undefined
          yield {
            at: { file: arrays.X.file, record: row + 1 },
            id,
            sequence,
            label: numberAt(y.data, r),
            labelAt: { file: arrays.y.file, record: row + 1 },
            ...(w
              ? { weight: numberAt(w.data, r), weightAt: { file: arrays.w!.file, record: row + 1 } }
              : {}),
            ...(region ?? {}),
          }
        }
        rowsDone = start + count
      }
    } finally {
      await opened.close()
    }
  }

  return {
    kind: 'npy',
    records: records(),
    checker: { labels: options.labels },
    alphabet: 'dna',
    source: { importer: 'npy', files: names, options },
    progress: () => ({ done: rowsDone, total: layout?.rows ?? 0, phase: 'rows' }),
    layout: () =>
      layout
        ? {
            shapes: Object.fromEntries(
              Object.entries(layout.headers).map(([key, header]) => [key, header.shape]),
            ),
          }
        : {},
  }
}

/** Row `r` of a one-hot batch `[rows, length, 4]` as letters; anything but one 1 (or all 0s, N) is an error. */
function decodeOneHot(data: NpyData, r: number, length: number, file: string, row: number): string {
  const values = data as ArrayLike<number>
  const letters = new Array<string>(length)
  const base = r * length * 4
  for (let p = 0; p < length; p++) {
    const at = base + 4 * p
    let hot = -1
    let ok = true
    for (let c = 0; c < 4; c++) {
      const v = values[at + c]!
      if (v === 1) {
        if (hot !== -1) ok = false
        hot = c
      } else if (v !== 0) ok = false
    }
    if (!ok) {
      const found = `[${[0, 1, 2, 3].map((c) => values[at + c]).join(', ')}]`
      throw new InputError(
        'npy.not_one_hot',
        `${file} row ${row + 1} is not one-hot at position ${p + 1}: ${found}`,
        {
          file,
          record: row + 1,
          expected: 'one 1 and three 0s per position (A, C, G, T), or four 0s for N',
          found,
          params: { position: p + 1 },
        },
      )
    }
    letters[p] = hot === -1 ? 'N' : BASES[hot]!
  }
  return letters.join('')
}

function numberAt(data: NpyData, index: number): number {
  const value = (data as ArrayLike<number | bigint>)[index]!
  return typeof value === 'bigint' ? Number(value) : value
}

/**
 * The window an id like `chr22:16000000-16000101` names: 0-based half-open when its span is the row's
 * length (DeepChem's JunD ids), 1-based inclusive (samtools) when the span is one more.
 */
function windowOfId(id: string, length: number): { chrom: string; start: number; end: number } | undefined {
  const match = /^(.+):(\d+)-(\d+)$/.exec(id)
  if (!match) return undefined
  const chrom = match[1]!
  const first = Number(match[2])
  const last = Number(match[3])
  if (last - first === length) return { chrom, start: first, end: last }
  if (last - first + 1 === length && first >= 1) return { chrom, start: first - 1, end: last }
  return undefined
}
