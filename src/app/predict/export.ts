/**
 * Writing a prediction to the file the user chose:
 *
 * - CSV: `id,score,call` for sequences (a window of a longer sequence has the id `name:start-end`);
 *   `id,chrom,start,end,score,call` for a scan. `call` is the class name the score gets at the threshold
 *   chosen on validation (empty when the experiment has none).
 * - bedGraph (scans only): a `track` line, then `chrom start end score`, 0-based half-open, in genome
 *   order. bedGraph intervals must not overlap (bedGraphToBigWig refuses them), so where windows overlap
 *   (stride < window) each window stands for its central `stride` bases, and the intervals tile the region.
 *
 * Scores are written with 9 significant digits (a float32 reads back exactly; a calibrated float64 to 1e-9). The
 * file is streamed into a temporary file beside the target and renamed over it at the end, so a failure
 * never leaves half a file under the user's name.
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../../shared/errors'
import type { PredictionResult } from './results'
import { callOf, rowId } from './results'

const LINES_PER_WRITE = 5000

/** A float32 score in the fewest characters that read back to it (at most 9 significant digits). */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score)
  return String(Number(score.toPrecision(9)))
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

function trackText(value: string): string {
  return value.replace(/["\r\n]/g, "'")
}

/** The interval a scan window stands for in a bedGraph: the window, or its central `stride` bases. */
export function bedGraphInterval(start: number, length: number, stride: number): [number, number] {
  if (stride >= length) return [start, start + length]
  const from = start + Math.floor((length - stride) / 2)
  return [from, from + stride]
}

function* csvLines(result: PredictionResult): Generator<string> {
  const names = result.classNames
  const call = (i: number) => {
    const c = callOf(result, i)
    return c === null ? '' : csvField(names[c]!)
  }
  if (result.kind === 'scan') {
    yield 'id,chrom,start,end,score,call\n'
    const chrom = csvField(result.chrom)
    for (let i = 0; i < result.scores.length; i++) {
      const start = result.starts[i]!
      yield `${csvField(rowId(result, i))},${chrom},${start},${start + result.length},${formatScore(result.scores[i]!)},${call(i)}\n`
    }
    return
  }
  yield 'id,score,call\n'
  for (let i = 0; i < result.scores.length; i++) {
    yield `${csvField(result.ids[i]!)},${formatScore(result.scores[i]!)},${call(i)}\n`
  }
}

function* bedGraphLines(result: PredictionResult & { kind: 'scan' }): Generator<string> {
  const threshold =
    result.threshold === null ? '' : `, threshold ${formatScore(result.threshold)} chosen on validation`
  yield (
    `track type=bedGraph name="${trackText(result.experimentName)}" description="SeqLab scores of ` +
    `${trackText(result.experimentName)}${threshold}"\n`
  )
  for (let i = 0; i < result.scores.length; i++) {
    const [start, end] = bedGraphInterval(result.starts[i]!, result.length, result.stride)
    yield `${result.chrom}\t${start}\t${end}\t${formatScore(result.scores[i]!)}\n`
  }
}

export function bedGraphNeedsScan(): InputError {
  return new InputError(
    'predict.bedgraph_needs_scan',
    'A bedGraph needs genome coordinates: only a scan of a region can be written as one',
    { expected: 'a scan of a genome region', found: 'scored sequences' },
  )
}

/** Writes the rows of `result` in `format` to `target`; returns the rows written. */
export async function writePrediction(
  result: PredictionResult,
  target: string,
  format: 'csv' | 'bedgraph',
): Promise<{ rows: number; file: string }> {
  if (format === 'bedgraph' && result.kind !== 'scan') throw bedGraphNeedsScan()
  const file = path.resolve(target)
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`,
  )
  const out = fs.createWriteStream(temporary, { encoding: 'utf8' })
  try {
    const failed = once(out, 'error').then(([err]) => {
      throw err
    })
    failed.catch(() => {})
    const lines =
      format === 'bedgraph' ? bedGraphLines(result as PredictionResult & { kind: 'scan' }) : csvLines(result)
    let batch: string[] = []
    for (const line of lines) {
      batch.push(line)
      if (batch.length === LINES_PER_WRITE) {
        if (!out.write(batch.join(''))) await Promise.race([once(out, 'drain'), failed])
        batch = []
      }
    }
    if (batch.length) out.write(batch.join(''))
    out.end()
    await Promise.race([once(out, 'finish'), failed])
    await fs.promises.rename(temporary, file)
  } catch (err) {
    out.destroy()
    await fs.promises.rm(temporary, { force: true })
    throw cannotWrite(err, file)
  }
  return { rows: result.scores.length, file: path.basename(file) }
}

function cannotWrite(err: unknown, target: string): unknown {
  const code = (err as NodeJS.ErrnoException).code
  if (!code || !['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EISDIR', 'ENOTDIR'].includes(code))
    return err
  return new InputError('predict.export_failed', `${path.basename(target)} cannot be written (${code})`, {
    file: path.basename(target),
    expected: 'a file in a folder SeqLab may write to, with space left',
    found: code,
    cause: err,
  })
}
