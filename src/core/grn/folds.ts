/**
 * Cross-validation folds for gene pairs that do not leak (issue 8, part 6).
 *
 * A TF's pairs share the TF's expression: with pairs split at random, the network sees a TF's histogram
 * column in training and is tested on the same TF, and learns "this TF has edges" rather than regulation.
 * CNNC (Yuan & Bar-Joseph, PNAS 2019, `train_with_labels_three_foldx.py`) and DeepDRIM (Chen et al., Brief.
 * Bioinform. 2021) therefore cross-validate over TFs: all pairs of a TF fall in one fold, 3 folds.
 *
 * - `tf` (default): k folds (default 3) of whole TFs. CNNC cuts its TF list into contiguous thirds; here TFs
 *   are placed largest first (ties in a seeded order) into the fold with the fewest pairs so far, so folds are
 *   even in size whatever order the file lists TFs in.
 * - `leave_one_tf_out`: one fold per TF (fold i = the i-th TF in order of first appearance).
 * - `random_pairs`: stratified random folds of pairs, only when asked for by name, and always with the
 *   warning `grn.random_pair_split` (the split leaks TF identity; numbers are optimistic).
 *
 * The TF of a pair is its first gene (`a`), as in CNNC's files, unless `tfOf` says otherwise.
 */
import { InputError } from '../../shared/errors'
import { Rng, type Seed } from '../random'
import { kFold, splitSummary, type SplitSummary, type SplitWarning } from '../splits'

export type PairSplitMethod = 'tf' | 'leave_one_tf_out' | 'random_pairs'

export interface PairFoldsOptions {
  method?: PairSplitMethod
  /** Folds for `tf` and `random_pairs` (default 3, as CNNC and DeepDRIM). */
  k?: number
  seed: Seed
  /** The TF (group) of each pair; default the pair's first gene. */
  tfOf?: ArrayLike<number>
}

export interface PairFolds {
  /** Per pair: its test fold, 0 … k − 1. */
  folds: Int32Array
  k: number
  method: PairSplitMethod
  /** The TFs whose pairs are tested in each fold (empty lists for `random_pairs`). */
  tfsPerFold: number[][]
  summary: SplitSummary
  warnings: SplitWarning[]
}

export function pairFolds(
  pairs: { a: ArrayLike<number>; label: ArrayLike<number> },
  options: PairFoldsOptions,
): PairFolds {
  const method = options.method ?? 'tf'
  const n = pairs.a.length
  const tfOf = options.tfOf ?? pairs.a
  if (tfOf.length !== n || pairs.label.length !== n) {
    throw new InputError(
      'grn.bad_pairs',
      `There are ${n} pairs but ${tfOf.length} TFs and ${pairs.label.length} labels`,
      {
        expected: `${n} of each`,
        found: `${tfOf.length} TFs, ${pairs.label.length} labels`,
      },
    )
  }
  const labels = Array.from(pairs.label, (l) => (l === 0 ? 0 : 1))
  const warnings: SplitWarning[] = []

  if (method === 'random_pairs') {
    const split = kFold(n, { k: options.k ?? 3, seed: options.seed, stratifyBy: labels })
    warnings.push({
      code: 'grn.random_pair_split',
      message:
        'Pairs were split at random: a TF can be in training and test at once, which leaks and makes the ' +
        'scores optimistic. Use TF-aware folds to compare with CNNC and DeepDRIM.',
    })
    warnings.push(...split.warnings)
    return {
      folds: split.folds,
      k: split.k,
      method,
      tfsPerFold: Array.from({ length: split.k }, () => []),
      summary: split.summary,
      warnings,
    }
  }

  // TFs in order of first appearance, with their pair counts.
  const tfIndex = new Map<number, number>()
  const tfs: number[] = []
  const sizes: number[] = []
  const groupOf = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const tf = tfOf[i]!
    let group = tfIndex.get(tf)
    if (group === undefined) {
      group = tfs.length
      tfIndex.set(tf, group)
      tfs.push(tf)
      sizes.push(0)
    }
    sizes[group]! += 1
    groupOf[i] = group
  }

  let foldOfGroup: Int32Array
  let k: number
  if (method === 'leave_one_tf_out') {
    k = tfs.length
    if (k < 2) throw tooFewTfs(k, 2)
    foldOfGroup = Int32Array.from(tfs, (_, g) => g)
  } else {
    k = options.k ?? 3
    if (!Number.isInteger(k) || k < 2) {
      throw new InputError('splits.bad_k', 'Cross-validation needs at least 2 folds', {
        expected: 'a whole number ≥ 2',
        found: String(k),
      })
    }
    if (tfs.length < k) throw tooFewTfs(tfs.length, k)
    // Largest TF first into the emptiest fold; equal sizes in a seeded order, so the seed varies the folds.
    const order = Rng.seeded(options.seed)
      .fork('tf-folds')
      .shuffle(tfs.map((_, g) => g))
    order.sort((x, y) => sizes[y]! - sizes[x]!) // stable: ties keep the shuffled order
    const load = new Float64Array(k)
    foldOfGroup = new Int32Array(tfs.length)
    for (const g of order) {
      let fold = 0
      for (let f = 1; f < k; f++) if (load[f]! < load[fold]!) fold = f
      foldOfGroup[g] = fold
      load[fold]! += sizes[g]!
    }
  }

  const folds = Int32Array.from(groupOf, (g) => foldOfGroup[g]!)
  const tfsPerFold: number[][] = Array.from({ length: k }, () => [])
  tfs.forEach((tf, g) => tfsPerFold[foldOfGroup[g]!]!.push(tf))
  const summary = splitSummary(folds, labels, { kind: 'folds', k })
  for (const part of summary.parts) {
    if (part.count > 0 && part.positives === 0) {
      warnings.push({
        code: 'grn.fold_without_positives',
        message: `${part.name} has no positive pairs: its AUROC and AUPRC are undefined`,
        params: { fold: part.part + 1 },
      })
    }
  }
  return { folds, k, method, tfsPerFold, summary, warnings }
}

function tooFewTfs(found: number, needed: number): InputError {
  return new InputError(
    'grn.too_few_tfs',
    `TF-aware folds need at least ${needed} TFs; the pairs have ${found}`,
    {
      expected: `at least ${needed} TFs`,
      found: `${found} TF${found === 1 ? '' : 's'}`,
    },
  )
}
