/**
 * Export of a split data set as CSV `seq,label,split[,weight]`, the columns other tools read — in
 * particular `jund_cnn_reference.py` (the PyTorch reference of the engine-speed comparison): `split` is
 * train / val / test, `label` a number (binary data sets write 0/1), `weight` is written only when the data
 * set has weights (an empty cell for a record without one).
 *
 * For a k-fold split, `fold` picks the test fold, the next fold (mod k) is validation and the rest train,
 * so one fold can feed the same script; without `fold` the split column holds the fold numbers.
 *
 * The file is streamed (pages of records, waiting for the stream to drain) into a temporary file beside
 * the target and renamed over it at the end, so a failure never leaves a half-written CSV under the name
 * the user chose. Pages are read by `idx` ranges rather than one long-lived cursor: better-sqlite3 keeps a
 * connection busy while an iterator is open, and other calls must be able to use the project meanwhile.
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { once } from 'node:events'
import { InputError } from '../../shared/errors'
import type { ProjectStore } from '../store/project-store'
import { datasetInfo } from './queries'
import { getSplit, storedAssignments } from './splits'

const PAGE = 5000

export interface ExportResult {
  rows: number
  file: string
  weights: boolean
}

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

export async function exportSplitCsv(
  store: ProjectStore,
  options: { datasetId: number; splitId: number; target: string; fold?: number; signal?: AbortSignal },
): Promise<ExportResult> {
  const info = datasetInfo(store, options.datasetId)
  const split = getSplit(store, options.splitId)
  if (split.datasetId !== options.datasetId) {
    throw new InputError('split.wrong_dataset', `Split ${split.splitId} belongs to another data set`, {
      expected: `a split of data set ${options.datasetId}`,
      found: `a split of data set ${split.datasetId}`,
    })
  }
  const { assignments, folds } = storedAssignments(store, options.splitId, info.records)
  const k = split.parts.length
  if (options.fold !== undefined && (!folds || options.fold >= k)) {
    throw new InputError(
      'split.bad_fold',
      folds ? `The split has folds 0 … ${k - 1}` : 'Only a k-fold split has folds to choose from',
      { expected: folds ? `a fold from 0 to ${k - 1}` : 'no fold', found: String(options.fold) },
    )
  }
  const partName = (part: number): string => {
    if (!folds) return ['train', 'val', 'test'][part]!
    if (options.fold === undefined) return String(part)
    return part === options.fold ? 'test' : part === (options.fold + 1) % k ? 'val' : 'train'
  }
  const hasWeights =
    (store.db
      .prepare('SELECT count(*) FROM records WHERE dataset_id = ? AND weight IS NOT NULL')
      .pluck()
      .get(options.datasetId) as number) > 0

  const target = path.resolve(options.target)
  const temporary = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`,
  )
  const out = fs.createWriteStream(temporary, { encoding: 'utf8' })
  const page = store.db.prepare(
    'SELECT idx, sequence, label, weight FROM records WHERE dataset_id = ? AND idx >= ? ORDER BY idx LIMIT ?',
  )
  let rows = 0
  try {
    const failed = once(out, 'error').then(([err]) => {
      throw err
    })
    failed.catch(() => {})
    const write = async (text: string) => {
      if (!out.write(text)) await Promise.race([once(out, 'drain'), failed])
    }
    await write(hasWeights ? 'seq,label,split,weight\n' : 'seq,label,split\n')
    for (let from = 0; ;) {
      options.signal?.throwIfAborted()
      const batch = page.all(options.datasetId, from, PAGE) as {
        idx: number
        sequence: string
        label: number | string
        weight: number | null
      }[]
      if (batch.length === 0) break
      const lines: string[] = []
      for (const r of batch) {
        const part = assignments[r.idx]!
        if (part < 0) continue
        const fields = [csvField(String(r.sequence)), csvField(String(r.label)), partName(part)]
        if (hasWeights) fields.push(r.weight === null ? '' : String(r.weight))
        lines.push(fields.join(',') + '\n')
        rows += 1
      }
      await write(lines.join(''))
      from = batch[batch.length - 1]!.idx + 1
    }
    out.end()
    await Promise.race([once(out, 'finish'), failed])
    await fs.promises.rename(temporary, target)
  } catch (err) {
    out.destroy()
    await fs.promises.rm(temporary, { force: true })
    throw cannotWrite(err, target)
  }
  return { rows, file: path.basename(target), weights: hasWeights }
}

/** The machine's refusals the user can fix (a missing folder, no permission, a full disk) as input errors. */
function cannotWrite(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException).code
  if (!code || !['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR'].includes(code)) return err
  return new InputError('dataset.export_failed', `${path.basename(target)} cannot be written (${code})`, {
    file: path.basename(target),
    expected: 'a file in a folder SeqLab may write to, with space left',
    found: code,
    cause: err,
  })
}
