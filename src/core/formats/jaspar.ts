/**
 * JASPAR position frequency matrices (count matrices) and the motif-scan baseline built on them.
 *
 * Why: the TF-binding task's simplest honest baseline scores each window by its best match to the known
 * motif (JUND: MA0491.1, MA0492.1) and needs no training; a CNN should beat it. The matrices come in three
 * plain-text layouts, all a `>ID NAME` header followed by four rows of counts, A, C, G, T:
 * - `.wil` (jaspar_2016.wil, as MEME-suite/TFBS tools ship it): `>ID<tab>NAME`, rows of space-separated counts;
 * - `pfm_vertebrates.txt` (JASPAR's "matrix only" download): rows of tab-separated counts;
 * - `.jaspar`: rows labelled with their base and bracketed, `A  [ 3 1 5 ]`.
 * `readJasparWil` accepts only unlabelled rows; `readJaspar` accepts both. Counts may be decimals (some
 * JASPAR matrices are rescaled frequencies) but not negative.
 *
 * Log-odds follow TFBSTools' `toPWM` (log2 of probability over background, a total pseudocount per column
 * shared out by the background). Sequences are given as codes 0..3 = A, C, G, T; any other code (N) makes
 * the windows that hold it unscorable, as FIMO skips them.
 */
import { InputError } from '../../shared/errors'

/** Rows A, C, G, T; each row has one value per motif position. */
export type BaseRows = [number[], number[], number[], number[]]

export interface MotifCounts {
  /** Matrix id with version, e.g. `MA0491.1`. */
  id: string
  /** Factor name, e.g. `JUND`; empty when the header has none. */
  name: string
  /** `[4][length]` counts, rows A, C, G, T. */
  counts: BaseRows
}

export interface JasparReadOptions {
  /** The file's name as the user knows it, for errors. */
  fileName?: string
}

/** The `.wil` layout: `>ID<tab>NAME` and four rows of plain counts. */
export function readJasparWil(text: string, options: JasparReadOptions = {}): MotifCounts[] {
  return parseMatrices(text, options.fileName ?? 'motifs.wil', false)
}

/** The `.jaspar` layout (labelled, bracketed rows) and the `pfm_*.txt` "matrix only" layout (plain rows). */
export function readJaspar(text: string, options: JasparReadOptions = {}): MotifCounts[] {
  return parseMatrices(text, options.fileName ?? 'motifs.jaspar', true)
}

const BASES = 'ACGT'

function parseMatrices(text: string, file: string, allowLabels: boolean): MotifCounts[] {
  const lines = text.split(/\r?\n/)
  const motifs: MotifCounts[] = []
  const fail = (line: number, message: string, expected: string, found: string): never => {
    throw new InputError('jaspar.bad_format', `${file} line ${line}: ${message}`, {
      file,
      line,
      expected,
      found,
    })
  }
  let i = 0
  const nextContentLine = (): number => {
    while (i < lines.length && lines[i]!.trim() === '') i++
    return i
  }
  while (nextContentLine() < lines.length) {
    const headerLine = i + 1
    const header = lines[i]!.trim()
    if (!header.startsWith('>')) fail(headerLine, 'expected a matrix header', "'>ID NAME'", clip(header))
    const [, id = '', name = ''] = /^>\s*(\S*)\s*(.*)$/.exec(header) ?? []
    if (!id) fail(headerLine, 'the matrix header has no id', "'>ID NAME'", clip(header))
    i++
    const rows: (number[] | undefined)[] = [undefined, undefined, undefined, undefined]
    let labelled: boolean | undefined
    for (let r = 0; r < 4; r++) {
      if (nextContentLine() >= lines.length || lines[i]!.trim().startsWith('>')) {
        fail(
          i + 1,
          `matrix ${id} has ${r} rows`,
          'four rows A, C, G, T',
          i < lines.length ? clip(lines[i]!) : 'end of file',
        )
      }
      const lineNo = i + 1
      const raw = lines[i]!.trim()
      i++
      const m = /^([ACGT])\s*:?\s*\[(.*)\]$/i.exec(raw)
      if (m && !allowLabels)
        fail(lineNo, 'labelled rows belong to the .jaspar layout', 'plain counts', clip(raw))
      if (labelled !== undefined && labelled !== Boolean(m)) {
        fail(lineNo, `matrix ${id} mixes labelled and plain rows`, 'four rows alike', clip(raw))
      }
      labelled = Boolean(m)
      // A labelled row goes where its base says; plain rows come in the order A, C, G, T.
      const base = m ? BASES.indexOf(m[1]!.toUpperCase()) : r
      if (rows[base]) fail(lineNo, `matrix ${id} has two ${BASES[base]} rows`, 'one row per base', clip(raw))
      const fields = (m ? m[2]! : raw).trim().split(/\s+/)
      rows[base] = fields.map((f) => {
        const v = Number(f)
        if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(f) || !Number.isFinite(v)) {
          fail(lineNo, `matrix ${id} has a count that is not a non-negative number`, 'counts ≥ 0', clip(f))
        }
        return v
      })
    }
    const counts = rows as BaseRows
    const length = counts[0].length
    if (counts.some((row) => row.length !== length)) {
      fail(
        headerLine,
        `the rows of matrix ${id} differ in length`,
        'four rows of equal length',
        counts.map((r) => r.length).join(', '),
      )
    }
    motifs.push({ id, name, counts })
  }
  if (motifs.length === 0) {
    throw new InputError('jaspar.empty', `${file} holds no motif matrix`, {
      file,
      expected: "'>ID NAME' and four rows",
    })
  }
  return motifs
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s
}

export interface LogOddsOptions {
  /** Total pseudocount added to each column, shared out by the background (TFBSTools' default 0.8). */
  pseudocount?: number
  /** Background probabilities of A, C, G, T (default uniform); must sum to 1. */
  background?: readonly [number, number, number, number]
}

/**
 * Log2-odds `[4][length]`: log2(((count + pseudocount · bg) / (column total + pseudocount)) / bg).
 * With pseudocount 0 an unseen base scores -Infinity.
 */
export function toLogOdds(counts: BaseRows, options: LogOddsOptions = {}): BaseRows {
  const pseudocount = options.pseudocount ?? 0.8
  const background = options.background ?? [0.25, 0.25, 0.25, 0.25]
  if (!(pseudocount >= 0) || !Number.isFinite(pseudocount)) {
    throw new InputError('motif.bad_pseudocount', `The pseudocount must be a number ≥ 0`, {
      expected: '≥ 0',
      found: String(pseudocount),
    })
  }
  const sum = background.reduce((a, b) => a + b, 0)
  if (
    background.length !== 4 ||
    !background.every((b) => b > 0 && Number.isFinite(b)) ||
    Math.abs(sum - 1) > 1e-6
  ) {
    throw new InputError(
      'motif.bad_background',
      'The background must be four probabilities above 0 that sum to 1',
      {
        expected: 'A, C, G, T > 0 summing to 1',
        found: background.join(', '),
      },
    )
  }
  const length = counts[0].length
  const out: BaseRows = [[], [], [], []]
  for (let p = 0; p < length; p++) {
    const total = counts[0][p]! + counts[1][p]! + counts[2][p]! + counts[3][p]!
    for (let b = 0; b < 4; b++) {
      const bg = background[b]!
      const probability = (counts[b]![p]! + pseudocount * bg) / (total + pseudocount)
      out[b]!.push(Math.log2(probability / bg))
    }
  }
  return out
}

export interface MatchOptions {
  /** Also scan the reverse complement (default true): a site can sit on either strand. */
  bothStrands?: boolean
}

export interface Match {
  score: number
  /** 0-based start of the window on the forward strand. */
  position: number
  strand: '+' | '-'
}

/**
 * The best-scoring window: the maximum over every full-length window of the sum of log-odds, on the
 * forward strand and (by default) the reverse complement. Windows holding a code other than 0..3 are
 * skipped; `undefined` if no window can be scored.
 */
export function bestMatch(
  logOdds: BaseRows,
  codes: ArrayLike<number>,
  options: MatchOptions = {},
): Match | undefined {
  const bothStrands = options.bothStrands ?? true
  const length = logOdds[0].length
  if (length === 0) return undefined
  // Flattened [position][base] tables; the reverse strand's is the matrix reverse-complemented
  // (position L-1-i, base 3-b), so both strands scan the forward sequence.
  const forward = new Float64Array(4 * length)
  const reverse = new Float64Array(4 * length)
  for (let p = 0; p < length; p++) {
    for (let b = 0; b < 4; b++) {
      forward[4 * p + b] = logOdds[b]![p]!
      reverse[4 * (length - 1 - p) + (3 - b)] = logOdds[b]![p]!
    }
  }
  let best: Match | undefined
  // Positions of codes other than A, C, G, T, in order; a window is skipped if it holds one.
  const invalid: number[] = []
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!
    if (!(c === 0 || c === 1 || c === 2 || c === 3)) invalid.push(i)
  }
  let k = 0
  for (let start = 0; start + length <= codes.length; start++) {
    while (k < invalid.length && invalid[k]! < start) k++
    if (k < invalid.length && invalid[k]! < start + length) continue
    let f = 0
    for (let p = 0; p < length; p++) f += forward[4 * p + codes[start + p]!]!
    if (!best || f > best.score) best = { score: f, position: start, strand: '+' }
    if (bothStrands) {
      let r = 0
      for (let p = 0; p < length; p++) r += reverse[4 * p + codes[start + p]!]!
      if (r > best.score) best = { score: r, position: start, strand: '-' }
    }
  }
  return best
}

/** The best window's score (see `bestMatch`); -Infinity if no window can be scored. */
export function bestMatchScore(
  logOdds: BaseRows,
  codes: ArrayLike<number>,
  options: MatchOptions = {},
): number {
  return bestMatch(logOdds, codes, options)?.score ?? -Infinity
}
