/**
 * The data an experiment trains on, read from the project store in the compact form a worker thread
 * receives: every sequence as alphabet codes in ONE `Uint8Array` (with offsets), labels, the data set's own
 * weights and the frozen split's assignment per record, all typed arrays, so they cross to the worker as
 * transferable buffers (moved, not copied or serialised). One-hot or k-mer rows are built later, per batch,
 * inside the worker (DESIGN.md: never the whole one-hot tensor in memory).
 *
 * Also here: which records form train / val / test for a run (a k-fold split's fold f is test, fold f + 1
 * validation, the rest train, as the CSV export does). The training part's resampling and sample weights
 * are made in the worker (./resampling.ts).
 */
import { alphabetByName } from '../../core/sequence/alphabet'
import { partIndices, TEST, TRAIN, VAL } from '../../core/splits/summary'
import { InputError } from '../../shared/errors'
import { datasetInfo } from '../datasets/queries'
import { storedAssignments } from '../datasets/splits'
import { loadGrnExperimentData, type GrnExperimentData } from '../grn/training'
import type { ProjectStore } from '../store/project-store'

export interface ExperimentData {
  records: number
  alphabet: 'dna' | 'protein'
  /** The longest sequence (every one, for fixed-length data): one-hot rows are this long. */
  length: number
  /** All sequences' codes, back to back; record i is `codes[offsets[i] … offsets[i + 1])`. */
  codes: Uint8Array
  offsets: Int32Array
  /** 0/1 per record. */
  labels: Float32Array
  /** The data set's own weights (records without one: 1); null when no record has one. */
  fileWeights: Float32Array | null
  /** Part per record: 0 train, 1 val, 2 test, or the fold; −1 in no part. */
  parts: Int32Array
  folds: number | null
  /** Gene-pair data sets (no sequences): the matrix, the pairs' genes and their kinds. */
  grn?: GrnExperimentData
}

/** Reads a data set and a split's frozen assignments. Binary data sets only (the metrics are binary). */
export function loadExperimentData(store: ProjectStore, datasetId: number, splitId: number): ExperimentData {
  const info = datasetInfo(store, datasetId)
  if (info.labelKind !== 'binary') {
    throw new InputError(
      'experiment.not_binary',
      `Experiments train binary classifiers; the data set "${info.name}" has ${info.labelKind} labels`,
      { expected: 'a data set with binary labels', found: info.labelKind },
    )
  }
  if (info.kind === 'gene_pairs') {
    const { grn, labels, parts, folds } = loadGrnExperimentData(store, datasetId, splitId)
    const n = labels.length
    return {
      records: n,
      alphabet: 'dna',
      length: 0,
      codes: new Uint8Array(0),
      offsets: new Int32Array(n + 1),
      labels,
      fileWeights: null,
      parts,
      folds,
      grn,
    }
  }
  const alphabetName = info.alphabet === 'protein' ? 'protein' : 'dna'
  const alphabet = alphabetByName(alphabetName)
  const db = store.db
  const total = db
    .prepare('SELECT total(length(sequence)) FROM records WHERE dataset_id = ?')
    .pluck()
    .get(datasetId) as number
  const n = info.records
  const codes = new Uint8Array(total)
  const offsets = new Int32Array(n + 1)
  const labels = new Float32Array(n)
  const weights = new Float32Array(n).fill(1)
  let weighted = false
  let offset = 0
  let length = 0
  const rows = db
    .prepare('SELECT idx, sequence, label, weight FROM records WHERE dataset_id = ? ORDER BY idx')
    .raw()
    .iterate(datasetId) as IterableIterator<[number, string, number | string, number | null]>
  for (const [idx, sequence, label, weight] of rows) {
    const c = alphabet.toCodes(String(sequence))
    codes.set(c, offset)
    offsets[idx] = offset
    offset += c.length
    offsets[idx + 1] = offset
    length = Math.max(length, c.length)
    labels[idx] = Number(label)
    if (weight !== null) {
      weights[idx] = weight
      weighted = true
    }
  }
  const { assignments, folds } = storedAssignments(store, splitId, n)
  let k: number | null = null
  if (folds) {
    let max = -1
    for (const part of assignments) max = Math.max(max, part)
    k = max + 1
  }
  return {
    records: n,
    alphabet: alphabetName,
    length,
    codes,
    offsets,
    labels,
    fileWeights: weighted ? weights : null,
    parts: assignments,
    folds: k,
  }
}

export interface RunParts {
  train: Int32Array
  val: Int32Array
  test: Int32Array
}

/** Record indices of train / val / test for one run (`fold` for k-fold splits). */
export function runParts(data: Pick<ExperimentData, 'parts' | 'folds'>, fold: number | null): RunParts {
  if (data.folds === null) {
    return {
      train: partIndices(data.parts, TRAIN),
      val: partIndices(data.parts, VAL),
      test: partIndices(data.parts, TEST),
    }
  }
  const k = data.folds
  const f = fold ?? 0
  const role = new Int32Array(data.parts.length)
  data.parts.forEach((part, i) => {
    role[i] = part < 0 ? -1 : part === f ? TEST : part === (f + 1) % k ? VAL : TRAIN
  })
  return { train: partIndices(role, TRAIN), val: partIndices(role, VAL), test: partIndices(role, TEST) }
}

/** Positives and negatives in a part: a run needs both in train and validation. */
export function checkParts(labels: Float32Array, parts: RunParts, where: string): void {
  for (const [name, indices] of [
    ['train', parts.train],
    ['val', parts.val],
    ['test', parts.test],
  ] as const) {
    let positives = 0
    for (const i of indices) positives += labels[i]!
    const needsBoth = name !== 'test'
    if (indices.length === 0 || (needsBoth && (positives === 0 || positives === indices.length))) {
      throw new InputError(
        'experiment.part_one_class',
        `The ${name} part of ${where} ${indices.length === 0 ? 'is empty' : 'holds one class only'}: ` +
          'choose another split',
        {
          expected: needsBoth ? 'records of both classes' : 'at least one record',
          found: `${indices.length} records, ${positives} positive`,
          params: { part: name },
        },
      )
    }
  }
}
