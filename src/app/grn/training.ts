/**
 * CNNC and DeepDRIM experiments on gene-pair data sets, the parts the experiment runner calls (the runner,
 * its worker and the repository stay the same for every model):
 *
 * - main thread: `loadGrnExperimentData` reads the pairs (and the frozen split) and the expression matrix
 *   of the pair set — only its non-zeros — into typed arrays that move to the worker; `checkGrnSpec` refuses
 *   combinations that cannot work (a sequence model on pairs, resampling of images, too few genes for the
 *   neighbours); `networkMetrics` scores the pooled test predictions as a network (AUROC, AUPRC, AUPRC
 *   ratio, EPR, and the indirect-edge rate when the pair kinds are known) and is stored with the results.
 * - worker: `grnSources` builds the NEPDF images (CNNC: [32, 32, 1]) or the primary + 2n + 2 neighbour images
 *   (DeepDRIM: [2n + 3, 32, 32]) batch by batch from the matrix, by pair index, so the images of a data set
 *   never exist all at once. Each gene's histogram bins and neighbour list are computed once and cached
 *   (one byte per cell per gene used, n numbers per gene).
 */
import type { ExpressionMatrix } from '../../core/formats/expression'
import { grnScores, NEPDF_SIZE, NeighbourImages, NepdfEncoder } from '../../core/grn'
import type { CnncSpec, DeepdrimSpec } from '../../core/models/specs'
import type { BatchSource } from '../../core/training/train'
import type { ExperimentSpec } from '../../shared/contract-experiments'
import type { NetworkMetrics } from '../../shared/contract-grn'
import { InputError } from '../../shared/errors'
import { storedAssignments } from '../datasets/splits'
import { datasetInfo } from '../datasets/queries'
import type { ProjectStore } from '../store/project-store'
import { readExpression, readPairs } from './store'

/** What a worker needs to make the images of a pair set (moved as transferable buffers). */
export interface GrnWorkerData {
  nGenes: number
  nCells: number
  indptr: Uint32Array
  indices: Uint32Array
  data: Float32Array
  /** The pair's genes, per record. */
  a: Int32Array
  b: Int32Array
}

/** Main-thread view of a pair set for the runner: the worker data plus the truth for the metrics. */
export interface GrnExperimentData {
  worker: GrnWorkerData
  /** 0 none, 1 direct, 2 indirect per record, when known. */
  kinds: Int8Array | null
}

export const GRN_MODELS = ['cnnc', 'deepdrim'] as const

export function isGrnModel(kind: string): kind is (typeof GRN_MODELS)[number] {
  return (GRN_MODELS as readonly string[]).includes(kind)
}

function badSpec(field: string, message: string, expected: string, found: unknown): InputError {
  return new InputError('experiment.bad_spec', `Invalid experiment setting '${field}': ${message}`, {
    expected,
    found: typeof found === 'string' ? found : JSON.stringify(found),
    params: { field },
  })
}

/**
 * Checks that model and data set go together: CNNC and DeepDRIM read gene pairs, every other model reads
 * sequences; images are not resampled; DeepDRIM needs more genes than neighbours.
 */
export function checkGrnSpec(store: ProjectStore, spec: ExperimentSpec, model: { kind: string }): void {
  const dataset = datasetInfo(store, spec.datasetId)
  const pairs = dataset.kind === 'gene_pairs'
  const grnModel = isGrnModel(model.kind)
  if (pairs && !grnModel) {
    throw badSpec(
      'model.kind',
      'gene pairs are classified from their expression images',
      'cnnc or deepdrim',
      model.kind,
    )
  }
  if (!pairs && grnModel) {
    throw badSpec(
      'model.kind',
      `${model.kind} reads gene pairs and an expression matrix`,
      'a gene-pair data set (seqlab import pairs)',
      dataset.kind,
    )
  }
  if (!pairs) return
  if (spec.resampling.method !== 'none') {
    throw badSpec(
      'resampling.method',
      'pair images are not resampled (use class weights)',
      'none',
      spec.resampling.method,
    )
  }
  if (model.kind === 'deepdrim') {
    const { expressionId } = readPairs(store, spec.datasetId)
    const genes = store.db
      .prepare('SELECT n_genes FROM expression_sets WHERE dataset_id = ?')
      .pluck()
      .get(expressionId) as number
    const n = (model as DeepdrimSpec).neighbours
    if (n > genes - 1) {
      throw badSpec('model.neighbours', `the expression matrix has ${genes} genes`, `at most ${genes - 1}`, n)
    }
  }
}

/** The pairs' genes and the matrix, for a run of an experiment on a pair set. */
export function loadGrnExperimentData(
  store: ProjectStore,
  datasetId: number,
  splitId: number,
): {
  grn: GrnExperimentData
  labels: Float32Array
  parts: Int32Array
  folds: number | null
} {
  const pairs = readPairs(store, datasetId)
  const matrix = readExpression(store, pairs.expressionId)
  const n = pairs.a.length
  const { assignments, folds } = storedAssignments(store, splitId, n)
  let k: number | null = null
  if (folds) {
    k = 0
    for (const part of assignments) k = Math.max(k, part + 1)
  }
  return {
    grn: {
      worker: {
        nGenes: matrix.nGenes,
        nCells: matrix.nCells,
        indptr: matrix.indptr,
        indices: matrix.indices,
        data: matrix.data,
        a: pairs.a,
        b: pairs.b,
      },
      kinds: pairs.kind,
    },
    labels: Float32Array.from(pairs.label, (l) => (l === 0 ? 0 : 1)),
    parts: assignments,
    folds: k,
  }
}

/** Copies of the worker data (the buffers move to the worker; the next fold needs them again). */
export function copyGrnWorkerData(d: GrnWorkerData): { data: GrnWorkerData; transfer: ArrayBuffer[] } {
  const data: GrnWorkerData = {
    nGenes: d.nGenes,
    nCells: d.nCells,
    indptr: d.indptr.slice(),
    indices: d.indices.slice(),
    data: d.data.slice(),
    a: d.a.slice(),
    b: d.b.slice(),
  }
  return {
    data,
    transfer: [data.indptr, data.indices, data.data, data.a, data.b].map((x) => x.buffer as ArrayBuffer),
  }
}

/** The sample shape a model reads: [32, 32, 1] (CNNC) or [2n + 3, 32, 32] (DeepDRIM). */
export function grnSampleShape(model: CnncSpec | DeepdrimSpec): number[] {
  return model.kind === 'cnnc' ? [32, 32, 1] : [2 * model.neighbours + 3, 32, 32]
}

/** Makes the images of pairs on demand: one encoder (and neighbour finder) shared by every source. */
export class PairImages {
  readonly sampleShape: number[]
  readonly sampleSize: number
  private readonly encoder: NepdfEncoder
  private readonly neighbours?: NeighbourImages

  constructor(
    private readonly d: GrnWorkerData,
    model: CnncSpec | DeepdrimSpec,
  ) {
    const matrix: ExpressionMatrix = {
      nGenes: d.nGenes,
      nCells: d.nCells,
      layout: 'csr',
      indptr: d.indptr,
      indices: d.indices,
      data: d.data,
      geneIds: [],
      geneSymbols: [],
      cells: [],
      normalization: 'none',
    }
    this.encoder = new NepdfEncoder(matrix)
    this.sampleShape = grnSampleShape(model)
    this.sampleSize = this.sampleShape.reduce((x, y) => x * y, 1)
    if (model.kind === 'deepdrim') {
      this.neighbours = new NeighbourImages(matrix, { n: model.neighbours, encoder: this.encoder })
    }
  }

  /** Finds the neighbours of these pairs' genes in blocks (cheaper than one gene at a time). */
  prepare(records: ArrayLike<number>): void {
    if (!this.neighbours) return
    const genes = new Set<number>()
    for (let i = 0; i < records.length; i++) {
      genes.add(this.d.a[records[i]!]!)
      genes.add(this.d.b[records[i]!]!)
    }
    this.neighbours.prepare([...genes])
  }

  /** The images of the pairs `records`, [batch, ...sampleShape]. */
  batch(records: ArrayLike<number>): Float32Array {
    const x = new Float32Array(records.length * this.sampleSize)
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!
      const a = this.d.a[r]!
      const b = this.d.b[r]!
      const offset = i * this.sampleSize
      this.encoder.image(a, b, x, offset)
      this.neighbours?.images(a, b, x, offset + NEPDF_SIZE)
    }
    return x
  }
}

/**
 * A `BatchSource` over some of the pairs (`rows`: record indices, in order); `labels` per record (0/1),
 * `weights` per row when the training set is weighted.
 */
export function pairSource(
  images: PairImages,
  rows: Int32Array,
  labels: Float32Array,
  weights?: Float32Array | null,
): BatchSource {
  return {
    size: rows.length,
    sampleShape: images.sampleShape,
    batch(indices) {
      const records = Int32Array.from(indices, (i) => rows[i]!)
      const x = images.batch(records)
      const y = Float32Array.from(records, (r) => labels[r]!)
      if (!weights) return { x, y }
      return { x, y, w: Float32Array.from(indices, (i) => weights[i]!) }
    },
  }
}

/** Network scores of one ranked list of pairs (null where undefined, e.g. no true edge among them). */
export function networkMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  kinds: ArrayLike<number> | null,
): NetworkMetrics {
  let edges = 0
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0) edges++
  const empty: NetworkMetrics = {
    pairs: labels.length,
    edges,
    auroc: null,
    auprc: null,
    auprcRatio: null,
    ep: null,
    epr: null,
    indirectFpr: null,
  }
  if (edges === 0 || edges === labels.length) return empty
  const s = grnScores(labels, scores, kinds ?? undefined)
  return { ...empty, ...s, indirectFpr: s.indirectFpr ?? null }
}
