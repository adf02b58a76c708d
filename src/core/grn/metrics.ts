/**
 * Network-level scores of predicted regulator→target pairs (issue 8, part 7), after BEELINE (Pratapa et al.,
 * Nat. Methods 2020, `BLEval/computeDGAUC.py`, `computeEarlyPrec.py`), and the indirect-edge rate that
 * DeepDRIM (Chen et al., Brief. Bioinform. 2021) is designed to lower:
 *
 * - AUPRC ratio: AUPRC over the AUPRC of a random predictor, which is the positive rate (network density
 *   among the evaluated pairs). AUPRC here is average precision (sklearn's step sum, `averagePrecision`);
 *   BEELINE uses R PRROC's Davis–Goadrich interpolated area, which differs slightly on small sets.
 * - EPR (early precision ratio): precision among the top-k pairs, k = number of true edges, over the
 *   random precision (the positive rate). As BEELINE: pairs tied with the k-th score are all counted (the
 *   "top-k" may hold more than k), and pairs scored 0 are never counted as predicted (scores are taken as
 *   probabilities or other weights ≥ 0, as BEELINE takes absolute edge weights). BEELINE also rounds
 *   weights to 6 decimals first; scores are used as given here.
 * - `indirectFpr`: the share of indirect pairs (a→c→b without a→b) among the top-k, k = number of true
 *   direct edges, with the same tie rule. CNNC (Yuan & Bar-Joseph, PNAS 2019) sees only the pair's joint
 *   histogram, which an indirect pair shares with a direct one; DeepDRIM's neighbour images should lower it.
 *
 * Every function takes one entry per evaluated pair (the test pairs of a fold, or a whole network).
 */
import { InputError } from '../../shared/errors'
import { averagePrecision, rocAuc } from '../metrics'

/** Pair kinds of a ground truth: 0 no edge, 1 direct edge, 2 indirect pair (a→c→b, no a→b). */
export const KIND_NONE = 0
export const KIND_DIRECT = 1
export const KIND_INDIRECT = 2

export interface TopK {
  /** Indices of the selected pairs (k plus any tied with the k-th score), highest score first. */
  selected: Int32Array
  /** The k asked for. */
  k: number
  /** The score a pair needed to be selected. */
  threshold: number
}

/** The pairs with the k highest scores, ties at the k-th included, zero scores excluded (BEELINE's rule). */
export function topK(scores: ArrayLike<number>, k: number): TopK {
  checkScores(scores)
  const order = rankOrder(scores)
  const n = scores.length
  if (k <= 0 || n === 0) return { selected: new Int32Array(0), k, threshold: Infinity }
  const kth = scores[order[Math.min(k, n) - 1]!]!
  let nonZeroMin = Infinity
  for (let i = 0; i < n; i++) if (scores[i] !== 0 && scores[i]! < nonZeroMin) nonZeroMin = scores[i]!
  const threshold = Math.max(kth, nonZeroMin)
  let count = 0
  while (count < n && scores[order[count]!]! >= threshold) count++
  return { selected: order.slice(0, count), k, threshold }
}

/** BEELINE's early precision and its ratio over random precision; labels 0/1 (any non-zero is an edge). */
export function earlyPrecision(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
): { ep: number; epr: number; k: number } {
  checkSameLength(labels, scores)
  const positives = countWhere(labels, (l) => l !== 0)
  if (positives === 0) throw noPositives('early precision')
  const { selected } = topK(scores, positives)
  let hits = 0
  for (const i of selected) if (labels[i] !== 0) hits++
  const ep = selected.length === 0 ? 0 : hits / selected.length
  return { ep, epr: ep / (positives / labels.length), k: positives }
}

/** AUPRC (average precision) over the positive rate. */
export function auprcRatio(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
): { auprc: number; ratio: number } {
  checkSameLength(labels, scores)
  const binary = Int8Array.from(labels as ArrayLike<number>, (l) => (l !== 0 ? 1 : 0))
  const positives = countWhere(binary, (l) => l === 1)
  if (positives === 0) throw noPositives('the AUPRC ratio')
  const auprc = averagePrecision(binary, scores)
  return { auprc, ratio: auprc / (positives / labels.length) }
}

/**
 * Share of indirect pairs among the top-k scored pairs, k = number of direct pairs (`kinds`: 0 none,
 * 1 direct, 2 indirect).
 */
export function indirectFpr(kinds: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkSameLength(kinds, scores)
  const direct = countWhere(kinds, (k) => k === KIND_DIRECT)
  if (direct === 0) throw noPositives('the indirect false-positive rate')
  const { selected } = topK(scores, direct)
  if (selected.length === 0) return 0
  let indirect = 0
  for (const i of selected) if (kinds[i] === KIND_INDIRECT) indirect++
  return indirect / selected.length
}

export interface GrnScores {
  auroc: number
  auprc: number
  auprcRatio: number
  ep: number
  epr: number
  /** Present when pair kinds were given. */
  indirectFpr?: number
}

/** All of the above for one set of pairs; `kinds` (0/1/2) adds `indirectFpr`. */
export function grnScores(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  kinds?: ArrayLike<number>,
): GrnScores {
  const binary = Int8Array.from(labels as ArrayLike<number>, (l) => (l !== 0 ? 1 : 0))
  const { auprc, ratio } = auprcRatio(binary, scores)
  const { ep, epr } = earlyPrecision(binary, scores)
  const result: GrnScores = { auroc: rocAuc(binary, scores), auprc, auprcRatio: ratio, ep, epr }
  if (kinds) result.indirectFpr = indirectFpr(kinds, scores)
  return result
}

/**
 * The ranked edge list as BEELINE's `rankedEdges.csv` (tab-separated despite its name): a header
 * `Gene1	Gene2	EdgeWeight`, then one row per pair by decreasing score (ties: input order). Optional
 * extra columns: the true label and the pair's kind.
 */
export function rankedEdgesTsv(
  pairs: { a: ArrayLike<number>; b: ArrayLike<number> },
  scores: ArrayLike<number>,
  geneNames: readonly string[],
  extra: { labels?: ArrayLike<number>; kinds?: ArrayLike<number> } = {},
): string[] {
  checkSameLength(pairs.a, scores)
  checkSameLength(pairs.b, scores)
  const kindName = ['none', 'direct', 'indirect']
  const header = ['Gene1', 'Gene2', 'EdgeWeight']
  if (extra.labels) header.push('Label')
  if (extra.kinds) header.push('Kind')
  const rows = [header.join('\t')]
  for (const i of rankOrder(scores)) {
    const row = [clean(geneNames[pairs.a[i]!]!), clean(geneNames[pairs.b[i]!]!), String(scores[i])]
    if (extra.labels) row.push(String(extra.labels[i]))
    if (extra.kinds) row.push(kindName[extra.kinds[i]!] ?? String(extra.kinds[i]))
    rows.push(row.join('\t'))
  }
  return rows
}

/** Indices by decreasing score, ties in index order. */
function rankOrder(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i)
  return order.sort((x, y) => scores[y]! - scores[x]! || x - y)
}

function clean(name: string): string {
  return name.replace(/[\t\r\n]/g, ' ')
}

function countWhere(values: ArrayLike<number>, test: (v: number) => boolean): number {
  let count = 0
  for (let i = 0; i < values.length; i++) if (test(values[i]!)) count++
  return count
}

function checkScores(scores: ArrayLike<number>): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new InputError('metrics.bad_input', `Score ${i + 1} is not a finite number`, {
        expected: 'finite scores',
        found: String(scores[i]),
      })
    }
  }
}

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new InputError('metrics.bad_input', `There are ${a.length} pairs but ${b.length} scores`, {
      expected: `${a.length} scores`,
      found: String(b.length),
    })
  }
}

function noPositives(what: string): InputError {
  return new InputError(
    'metrics.one_class',
    `There are no true edges among these pairs: ${what} is undefined`,
    {
      expected: 'at least one true edge',
      found: 'none',
    },
  )
}
