/**
 * NumPy `.npz` reader: a zip of `.npy` members, from `np.savez` (STORED) or `np.savez_compressed`
 * (DEFLATED).
 *
 * Why: users bring JunD-style data as one `.npz` as often as as loose `.npy` files. Opening reads only the
 * zip's central directory; each array is then its own random-access source for the `.npy` reader, so the
 * same `readNpyRows`/`iterateNpyBatches` work inside an archive. Stored members are read by seeking;
 * deflated members are inflated as a stream from their start (see zip.ts), so read them in row order.
 *
 * Keys are as numpy's `np.load(...).files` gives them: the member name without `.npy` (`X`, `arr_0`).
 */
import { InputError } from '../../shared/errors'
import { type RandomAccessSource } from './bytes'
import { readNpyHeader, type NpyHeader } from './npy'
import { openZipEntry, readZipDirectory, type OpenEntryOptions, type ZipEntry } from './zip'

export interface NpzMember {
  /** The array's key, e.g. `X`. */
  key: string
  entry: ZipEntry
  compressed: boolean
}

export interface NpzArchive {
  file: string
  members: NpzMember[]
  keys(): string[]
  /** The member's uncompressed `.npy` bytes as a random-access source. */
  open(key: string): Promise<RandomAccessSource>
  /** The member's `.npy` header, with errors naming `archive.npz:key.npy`. */
  header(key: string): Promise<NpyHeader>
  /** How errors name a member: `archive.npz:X.npy`. */
  memberFile(key: string): string
}

export async function openNpz(
  source: RandomAccessSource,
  options: OpenEntryOptions = {},
): Promise<NpzArchive> {
  const file = options.fileName ?? 'arrays.npz'
  const entries = await readZipDirectory(source, { fileName: file })
  const members = entries
    .filter((e) => !e.name.endsWith('/'))
    .map((entry) => ({
      key: entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : entry.name,
      entry,
      compressed: entry.method !== 0,
    }))
  const byKey = new Map(members.map((m) => [m.key, m]))
  const member = (key: string): NpzMember => {
    const m = byKey.get(key)
    if (!m) {
      throw new InputError('npz.missing_member', `${file} has no array named ${key}`, {
        file,
        expected: key,
        found: members.map((x) => x.key).join(', ') || 'no arrays',
      })
    }
    return m
  }
  const open = (key: string): Promise<RandomAccessSource> =>
    openZipEntry(source, member(key).entry, { ...options, fileName: file })
  const memberFile = (key: string): string => `${file}:${member(key).entry.name}`
  return {
    file,
    members,
    keys: () => members.map((m) => m.key),
    open,
    header: async (key) => readNpyHeader(await open(key), { fileName: memberFile(key) }),
    memberFile,
  }
}
