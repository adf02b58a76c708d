/**
 * Resampling and class weights of an experiment's TRAINING part (DESIGN.md: "resample / weight the training
 * split only"): validation and test records are never read here, so their class balance, and hence their
 * metrics, stay those of the real data.
 *
 * - `checkResampling` (at `experiments.create`, from labels and the frozen split only): the spec's method
 *   fits the input (SMOTE and its kin compute with numbers, so never with one-hot letters), its amount
 *   and neighbours fit every run's training part. Each problem is an `InputError` (`resampling.*`) that
 *   says what to change, before anything is stored or trained.
 * - `trainingSet` (in the training worker, per run): the training rows as trained. Samplers that only pick
 *   records (random over/under-sampling) give a list of record indices, repeats included: no sequence is
 *   copied. The SMOTE family works on the k-mer count matrix of the training part ([n_train, 4^k], small)
 *   and its generated rows are kept as a matrix beside the indices. Then the sample weights of the set as
 *   trained (balanced weights are computed after resampling), and the class counts before and after, which
 *   the experiment stores.
 *
 * The samplers are the core's (src/core/imbalance), seeded by `resampling.seed`; the same spec gives the
 * same training set every time, on a resume too.
 */
import {
  ADASYN,
  BorderlineSMOTE,
  classCounts,
  classWeights,
  RandomOverSampler,
  RandomUnderSampler,
  resampleTrainingPart,
  resolveStrategy,
  sampleWeights,
  SMOTE,
  SMOTETomek,
  TomekLinks,
  type ClassCounts,
  type Sampler,
  type SamplingKind,
  type SamplingStrategy,
} from '../../core/imbalance'
import { kmerBatch, kmerDimension } from '../../core/sequence/encode'
import {
  FEATURE_RESAMPLERS,
  type ExperimentSpec,
  type InputSpec,
  type ResamplingMethod,
  type ResamplingSpec,
  type TrainingBalance,
} from '../../shared/contract-experiments'
import { InputError } from '../../shared/errors'

/** Largest k-mer matrix of a training part the SMOTE family is given (float32 values: 1.2 GB). */
export const MAX_FEATURE_VALUES = 300_000_000

const OVER: readonly ResamplingMethod[] = [
  'random_over',
  'smote',
  'borderline1',
  'borderline2',
  'adasyn',
  'smote_tomek',
]

const METHOD_NAMES: Record<ResamplingMethod, string> = {
  none: 'no resampling',
  random_over: 'random oversampling',
  random_under: 'random undersampling',
  smote: 'SMOTE',
  borderline1: 'Borderline-SMOTE 1',
  borderline2: 'Borderline-SMOTE 2',
  adasyn: 'ADASYN',
  smote_tomek: 'SMOTE + Tomek links',
  tomek: 'Tomek links',
}

/** Does this resampling compute with feature values (so it needs numeric input)? */
export function needsFeatures(r: Pick<ResamplingSpec, 'method' | 'shrinkage'>): boolean {
  return FEATURE_RESAMPLERS.includes(r.method) || (r.method === 'random_over' && r.shrinkage !== undefined)
}

function kindOf(method: ResamplingMethod): SamplingKind {
  return OVER.includes(method) ? 'over-sampling' : method === 'tomek' ? 'clean-sampling' : 'under-sampling'
}

/** The minority class (fewest records; the smaller label on a tie, as imblearn) and its count. */
function minorityOf(counts: ClassCounts): { label: number; count: number; majority: number } {
  let iMin = 0
  let iMaj = 0
  counts.counts.forEach((c, i) => {
    if (c < counts.counts[iMin]!) iMin = i
    if (c > counts.counts[iMaj]!) iMaj = i
  })
  return { label: counts.classes[iMin]!, count: counts.counts[iMin]!, majority: counts.counts[iMaj]! }
}

/** The core's sampling strategy of a spec on training labels with these counts. */
export function strategyOf(r: ResamplingSpec, counts: ClassCounts): SamplingStrategy {
  if (r.level !== undefined) {
    const min = minorityOf(counts)
    return { [min.label]: min.count + Math.round(min.count * r.level) }
  }
  if (r.ratio !== undefined) return r.ratio
  return 'auto'
}

/** The core's sampler for a spec, or null for `none`. */
export function samplerOf(r: ResamplingSpec, counts: ClassCounts): Sampler | null {
  const samplingStrategy = strategyOf(r, counts)
  const seed = r.seed
  switch (r.method) {
    case 'none':
      return null
    case 'random_over':
      return new RandomOverSampler({
        samplingStrategy,
        seed,
        ...(r.shrinkage !== undefined ? { shrinkage: r.shrinkage } : {}),
      })
    case 'random_under':
      return new RandomUnderSampler({ samplingStrategy, seed })
    case 'smote':
      return new SMOTE({ samplingStrategy, kNeighbors: r.k, seed })
    case 'borderline1':
    case 'borderline2':
      return new BorderlineSMOTE({
        samplingStrategy,
        kNeighbors: r.k,
        mNeighbors: r.m,
        kind: r.method === 'borderline1' ? 'borderline-1' : 'borderline-2',
        seed,
      })
    case 'adasyn':
      return new ADASYN({ samplingStrategy, nNeighbors: r.k, seed })
    case 'smote_tomek':
      return new SMOTETomek({ samplingStrategy, kNeighbors: r.k, seed })
    case 'tomek':
      return new TomekLinks()
  }
}

// ---------------------------------------------------------------------------------------------------
// Checks at experiments.create

/** The training part of one run: its fold (0 without folds) and the labels of its records. */
export interface TrainingPart {
  fold: number
  /** A fold of a k-fold split (messages then name the fold). */
  kfold: boolean
  labels: ArrayLike<number>
}

function amountNotUsed(method: ResamplingMethod, param: 'level' | 'ratio' | 'shrinkage'): InputError {
  const why =
    param === 'shrinkage'
      ? 'only random oversampling draws a smoothed bootstrap'
      : method === 'none'
        ? 'no resampling method is chosen'
        : method === 'tomek'
          ? 'Tomek links only remove border records; they take no amount'
          : 'undersampling removes records: give the balance after it as a ratio instead'
  return new InputError(
    'resampling.amount_not_used',
    `The resampling setting '${param}' does not apply to ${METHOD_NAMES[method]}: ${why}.`,
    {
      expected: `no ${param}`,
      found: param,
      params: { param, method: METHOD_NAMES[method] },
    },
  )
}

/** The sentence of the one-hot rule, for the CLI, the services and (translated) the UI. */
export const NEEDS_NUMBERS_WHY =
  'it makes new training records by blending the numbers of two similar records, and a one-hot sequence ' +
  'is letters, not amounts: halfway between an A and a G is no base at all. Use k-mer counts as input, or ' +
  'random oversampling (it repeats real sequences), random undersampling, or reverse-complement augmentation.'

/**
 * Checks the resampling and class-weight settings against the input and every run's training part.
 * `classNames`: the data set's label names by value (for `classWeights` given by name); returns the class
 * weights keyed by label value ("0", "1").
 */
export function checkResampling(
  spec: Pick<ExperimentSpec, 'resampling' | 'input' | 'weighting' | 'classWeights'>,
  parts: readonly TrainingPart[],
  classNames: readonly string[],
): Record<string, number> | undefined {
  const r = spec.resampling
  const weights = checkClassWeights(spec, classNames)
  if (r.level !== undefined && r.ratio !== undefined) {
    throw new InputError(
      'resampling.level_and_ratio',
      'Give the amount of resampling either as a level (+100% …) or as a ratio, not both.',
      { expected: 'level or ratio', found: `level ${r.level}, ratio ${r.ratio}` },
    )
  }
  if (r.shrinkage !== undefined && r.method !== 'random_over') throw amountNotUsed(r.method, 'shrinkage')
  if (r.method === 'none' || r.method === 'tomek') {
    if (r.level !== undefined) throw amountNotUsed(r.method, 'level')
    if (r.ratio !== undefined) throw amountNotUsed(r.method, 'ratio')
  }
  if (r.method === 'random_under' && r.level !== undefined) throw amountNotUsed(r.method, 'level')
  if (r.method === 'none') return weights
  if (needsFeatures(r) && spec.input.encoding === 'onehot') {
    throw new InputError(
      'resampling.needs_numbers',
      `${METHOD_NAMES[r.method]}${r.method === 'random_over' ? ' with a smoothed bootstrap' : ''} cannot ` +
        `be used on one-hot sequences: ${NEEDS_NUMBERS_WHY}`,
      {
        expected: 'k-mer counts as input',
        found: spec.input.encoding,
        params: { method: METHOD_NAMES[r.method] },
      },
    )
  }
  for (const part of parts) checkPart(spec, part)
  return weights
}

function checkPart(spec: Pick<ExperimentSpec, 'resampling' | 'input'>, part: TrainingPart): void {
  const r = spec.resampling
  const counts = classCounts(part.labels)
  const where = part.kfold ? ` of fold ${part.fold}` : ''
  if (counts.classes.length < 2) {
    throw new InputError(
      'resampling.one_class',
      `The training part${where} holds one class only, so there is nothing to balance: choose another split.`,
      {
        expected: 'records of both classes',
        found: `${counts.classes.length} class`,
        params: { fold: part.fold },
      },
    )
  }
  const n = part.labels.length
  if (needsFeatures(r)) {
    const d = kmerDimension(spec.input.k, { canonical: spec.input.canonical })
    if (n * d > MAX_FEATURE_VALUES) {
      throw new InputError(
        'resampling.too_large',
        `The k-mer counts of ${n} training records (${d} columns each) are too large to resample in memory: ` +
          'choose a shorter k-mer, or random over- or undersampling.',
        {
          expected: `at most ${MAX_FEATURE_VALUES} values`,
          found: String(n * d),
          params: { records: n, columns: d },
        },
      )
    }
  }
  const kind = kindOf(r.method)
  let targets: Map<number, number>
  try {
    targets = resolveStrategy(strategyOf(r, counts), counts, kind)
  } catch (err) {
    if (!(err instanceof InputError) || err.code !== 'imbalance.bad_param' || r.ratio === undefined) throw err
    const min = minorityOf(counts)
    const current = min.count / min.majority
    throw new InputError(
      'resampling.ratio_too_low',
      `The ratio ${r.ratio} asks for fewer rare records per common one than the training part${where} ` +
        `already has (${current.toFixed(3)}): ${kind === 'over-sampling' ? 'oversampling only adds records' : 'undersampling only removes records'}. ` +
        `Choose a ratio above ${current.toFixed(3)}.`,
      {
        expected: `a ratio above ${current.toFixed(3)}`,
        found: String(r.ratio),
        params: { ratio: r.ratio, current: Number(current.toFixed(3)), fold: part.fold },
      },
    )
  }
  // Neighbours are looked for among the records of the class that grows (SMOTE, Borderline, ADASYN) and,
  // for Borderline-SMOTE's danger test, among all training records.
  if (needsFeatures(r) && r.method !== 'tomek' && r.method !== 'random_over') {
    for (const [label, add] of targets) {
      if (add === 0) continue
      const have = counts.counts[counts.classes.indexOf(label)]!
      if (r.k > have - 1) throw tooFewNeighbours(r.method, 'k', r.k, have, label, part.fold, where)
    }
    if ((r.method === 'borderline1' || r.method === 'borderline2') && r.m > n - 1) {
      throw tooFewNeighbours(r.method, 'm', r.m, n, null, part.fold, where)
    }
  }
}

function tooFewNeighbours(
  method: ResamplingMethod,
  param: 'k' | 'm',
  value: number,
  count: number,
  label: number | null,
  fold: number,
  where: string,
): InputError {
  const among = label === null ? 'training records' : `training records of class ${label}`
  return new InputError(
    'resampling.too_few_neighbours',
    `${METHOD_NAMES[method]} looks for ${param} = ${value} neighbours among the ${count} ${among}${where}; ` +
      `it needs at least ${value + 1} of them. Choose ${param} ≤ ${count - 1}.`,
    {
      expected: `${param} ≤ ${count - 1}`,
      found: String(value),
      params: {
        param,
        value,
        count,
        max: count - 1,
        method: METHOD_NAMES[method],
        fold,
        ...(label === null ? {} : { label }),
      },
    },
  )
}

/** Checks `weighting` against `classWeights`; returns the weights keyed by label value. */
function checkClassWeights(
  spec: Pick<ExperimentSpec, 'weighting' | 'classWeights'>,
  classNames: readonly string[],
): Record<string, number> | undefined {
  if (spec.weighting !== 'custom') {
    if (spec.classWeights !== undefined) {
      throw new InputError(
        'resampling.class_weights_unused',
        `Class weights were given, but the weighting is '${spec.weighting}': set it to 'custom' to use them.`,
        { expected: "weighting 'custom'", found: spec.weighting, params: { weighting: spec.weighting } },
      )
    }
    return undefined
  }
  if (spec.classWeights === undefined || Object.keys(spec.classWeights).length === 0) {
    throw new InputError(
      'resampling.class_weights_missing',
      "Weighting 'custom' needs a weight for at least one class (classes left out weigh 1).",
      { expected: 'classWeights, e.g. {"1": 20}', found: 'none' },
    )
  }
  const out: Record<string, number> = {}
  for (const [key, weight] of Object.entries(spec.classWeights)) {
    const byName = classNames.indexOf(key)
    const value =
      byName >= 0 ? byName : /^\d+$/.test(key) && Number(key) < classNames.length ? Number(key) : -1
    if (value < 0) {
      throw new InputError('weights.unknown_class', `There is no class "${key}" in this data set.`, {
        expected: `one of ${classNames.map((c, i) => (c === String(i) ? c : `${i} (${c})`)).join(', ')}`,
        found: key,
        params: { label: key },
      })
    }
    out[String(value)] = weight
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// The training set as trained (in the worker)

export interface TrainingSetInput {
  /** Every sequence's codes (views). */
  sequences: readonly Uint8Array[]
  /** 0/1 per record of the whole data set. */
  labels: Float32Array
  /** The data set's own weights per record, or null. */
  fileWeights: Float32Array | null
  /** Record indices of the training part. */
  train: Int32Array
  input: InputSpec
  resampling: ResamplingSpec
  weighting: ExperimentSpec['weighting']
  /** Keyed by label value ("0", "1"). */
  classWeights?: Readonly<Record<string, number>> | undefined
}

export interface TrainingSet {
  /** Per row: its record index (≥ 0), or −1 − j for generated row j of `synthetic`. */
  rows: Int32Array
  /** Label per row. */
  labels: Float32Array
  /** Generated rows [s, d] (k-mer columns), or null when none. */
  synthetic: Float32Array | null
  /** Sample weight per row; null = unweighted. */
  weights: Float32Array | null
  balance: Omit<TrainingBalance, 'fold'>
}

function aligned(classes: number[], counts: ClassCounts): number[] {
  return classes.map((c) => {
    const i = counts.classes.indexOf(c)
    return i < 0 ? 0 : counts.counts[i]!
  })
}

/** The training rows after resampling, their weights, and the counts before and after. */
export function trainingSet(t: TrainingSetInput): TrainingSet {
  const yTrain = Int32Array.from(t.train, (i) => t.labels[i]!)
  const before = classCounts(yTrain)
  const sampler = samplerOf(t.resampling, before)
  let rows: Int32Array
  let yRows: Int32Array
  let synthetic: Float32Array | null = null
  let generated: Uint8Array
  if (sampler === null) {
    rows = t.train.slice()
    yRows = yTrain
    generated = new Uint8Array(rows.length)
  } else {
    // Every row of the training part is TRAIN (0) here: the part was cut out already.
    const allTrain = new Uint8Array(t.train.length)
    if (needsFeatures(t.resampling)) {
      const X = kmerBatch(t.sequences, t.train, t.input.k, { canonical: t.input.canonical })
      const out = resampleTrainingPart(X, yTrain, allTrain, sampler)
      const d = X.length / t.train.length
      let s = 0
      for (const g of out.synthetic) s += g
      synthetic = s > 0 ? new Float32Array(s * d) : null
      rows = new Int32Array(out.y.length)
      let j = 0
      for (let i = 0; i < rows.length; i++) {
        if (out.synthetic[i]) {
          synthetic!.set(out.X.subarray(i * d, (i + 1) * d), j * d)
          rows[i] = -1 - j++
        } else {
          rows[i] = t.train[out.recordIndices[i]!]!
        }
      }
      yRows = out.y
      generated = out.synthetic
    } else {
      const out = resampleTrainingPart(Array.from(t.train), yTrain, allTrain, sampler)
      rows = Int32Array.from(out.X)
      yRows = out.y
      generated = out.synthetic
    }
  }
  const after = classCounts(yRows)
  const labels = Float32Array.from(yRows)
  const weights = rowWeights(t, rows, yRows)
  const classes = [...new Set([...before.classes, ...after.classes])].sort((a, b) => a - b)
  const syntheticPerClass = classes.map(() => 0)
  const weightSums = classes.map(() => 0)
  for (let i = 0; i < yRows.length; i++) {
    const c = classes.indexOf(yRows[i]!)
    syntheticPerClass[c]! += generated[i]!
    weightSums[c]! += weights ? weights[i]! : 1
  }
  return {
    rows,
    labels,
    synthetic,
    weights,
    balance: {
      method: t.resampling.method,
      weighting: t.weighting,
      classes,
      before: aligned(classes, before),
      after: aligned(classes, after),
      synthetic: syntheticPerClass,
      weightSums,
    },
  }
}

/** Sample weights of the rows as trained (core's classWeights/sampleWeights over the rows). */
function rowWeights(t: TrainingSetInput, rows: Int32Array, yRows: Int32Array): Float32Array | null {
  if (t.weighting === 'none') return null
  if (t.weighting === 'file') {
    // Generated rows have no record, so no weight of their own: they weigh 1.
    return Float32Array.from(rows, (r) => (r >= 0 && t.fileWeights ? t.fileWeights[r]! : 1))
  }
  const labels = Array.from(yRows)
  const all = Int32Array.from({ length: labels.length }, (_, i) => i)
  const spec = t.weighting === 'custom' ? (t.classWeights ?? {}) : 'balanced'
  return sampleWeights(labels, classWeights(labels, spec, { train: all }), { train: all })
}
