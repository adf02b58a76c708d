/**
 * Writing a file the user chose (a report, an exported model): into a temporary file beside the target,
 * then renamed over it, so a failure never leaves half a file under the user's name, and a symbolic link
 * at the target is replaced rather than followed (a link in the workspace cannot lead a write outside it).
 * The machine's refusals the user can fix (no folder, no permission, a full disk) become
 * `files.write_failed`.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../shared/errors'

const USER_FIXABLE = ['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'ENOTDIR']

export async function writeFileReplacing(target: string, data: string | Uint8Array): Promise<number> {
  const file = path.resolve(target)
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`,
  )
  try {
    await fs.promises.writeFile(temporary, data, { flag: 'wx' })
    await fs.promises.rename(temporary, file)
  } catch (err) {
    await fs.promises.rm(temporary, { force: true })
    const code = (err as NodeJS.ErrnoException).code
    if (!code || !USER_FIXABLE.includes(code)) throw err
    throw new InputError('files.write_failed', `${path.basename(file)} cannot be written (${code})`, {
      file: path.basename(file),
      expected: 'a file in a folder SeqLab may write to, with space left',
      found: code,
      cause: err,
    })
  }
  return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
}
