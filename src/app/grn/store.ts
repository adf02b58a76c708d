/**
 * Expression matrices and gene-pair sets in the project store (schema: migration 4).
 *
 * - An expression data set (`datasets.kind = 'expression'`) holds one genes × cells matrix: the genes (id and
 *   symbol), the cells, and the non-zeros gene-major in blocks of `BLOCK_GENES` genes (three little-endian
 *   arrays per block: indptr, cell numbers, float32 values). It is written in ONE transaction from a matrix
 *   the importer has finished reading, so a bad file or a cancel leaves the project unchanged. Its
 *   `record_count` is its number of genes; it has no labels (`label_kind` 'numeric', empty label set).
 * - A gene-pair data set (`datasets.kind = 'gene_pairs'`) stores each pair as a `records` row (record_id
 *   `TF→target` with the genes' symbols, label 0/1 — or the class '0'/'1'/'2' for directed pairs — and
 *   group_key = the TF's symbol), so the generic summaries, splits and exports work on it, plus a
 *   `gene_pairs` row with the two genes as row numbers of its expression data set and, when the truth is
 *   known (the simulator), the pair's kind (0 unrelated, 1 direct, 2 indirect).
 *
 * Reading a matrix back (`readExpression`) returns the core's `ExpressionMatrix` (csr layout), the form the
 * NEPDF and neighbour encoders read; it holds only the non-zeros, never the images.
 */
import type { ExpressionMatrix, Normalization } from '../../core/formats/expression'
import type { ExpressionSummary, PairSetSummary } from '../../shared/contract-grn'
import { InputError } from '../../shared/errors'
import { datasetInfo } from '../datasets/queries'
import type { ProjectStore } from '../store/project-store'

/** Genes per stored block: ~30k genes of a 10x matrix make ~30 rows. */
export const BLOCK_GENES = 1024

export interface ExpressionMeta {
  name: string
  /** Provenance: importer, file names, orientation, options. */
  source: Record<string, unknown>
  /** Whether the values as read were whole counts, and their maximum (before normalisation). */
  integerValued: boolean
  maxValue: number
}

const bytes = (a: Uint32Array | Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

function typed<T extends Uint32Array | Float32Array>(blob: Buffer, Kind: { new (b: ArrayBuffer): T }): T {
  // A copy into an aligned buffer of its own (a Buffer's offset need not be a multiple of 4).
  const copy = new ArrayBuffer(blob.byteLength)
  new Uint8Array(copy).set(blob)
  return new Kind(copy)
}

/** Writes an expression data set (matrix in csr layout) in one transaction; returns its id. */
export function writeExpression(store: ProjectStore, matrix: ExpressionMatrix, meta: ExpressionMeta): number {
  if (matrix.layout !== 'csr') throw new Error('writeExpression needs a gene-major (csr) matrix')
  const db = store.db
  return store.transaction(() => {
    const datasetId = Number(
      db
        .prepare(
          `INSERT INTO datasets (name, kind, alphabet, label_kind, label_set, seq_length, source, created_at, record_count)
           VALUES (?, 'expression', NULL, 'numeric', '[]', NULL, ?, ?, ?)`,
        )
        .run(meta.name, JSON.stringify(meta.source), new Date().toISOString(), matrix.nGenes).lastInsertRowid,
    )
    db.prepare(
      `INSERT INTO expression_sets (dataset_id, n_genes, n_cells, non_zeros, normalization, integer_valued, max_value)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      datasetId,
      matrix.nGenes,
      matrix.nCells,
      matrix.data.length,
      matrix.normalization,
      meta.integerValued ? 1 : 0,
      meta.maxValue,
    )
    const gene = db.prepare(
      'INSERT INTO expression_genes (dataset_id, idx, gene_id, symbol) VALUES (?, ?, ?, ?)',
    )
    matrix.geneIds.forEach((id, g) => gene.run(datasetId, g, id, matrix.geneSymbols[g] ?? id))
    const cell = db.prepare('INSERT INTO expression_cells (dataset_id, idx, cell_id) VALUES (?, ?, ?)')
    matrix.cells.forEach((id, c) => cell.run(datasetId, c, id))
    const block = db.prepare(
      `INSERT INTO expression_blocks (dataset_id, gene_start, gene_end, indptr, indices, data)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    for (let start = 0; start < matrix.nGenes; start += BLOCK_GENES) {
      const end = Math.min(matrix.nGenes, start + BLOCK_GENES)
      const from = matrix.indptr[start]!
      const to = matrix.indptr[end]!
      const indptr = Uint32Array.from(matrix.indptr.subarray(start, end + 1), (k) => k - from)
      block.run(
        datasetId,
        start,
        end,
        bytes(indptr),
        bytes(matrix.indices.subarray(from, to)),
        bytes(matrix.data.subarray(from, to)),
      )
    }
    store.markChanged()
    return datasetId
  })
}

interface ExpressionRow {
  n_genes: number
  n_cells: number
  non_zeros: number
  normalization: Normalization
  integer_valued: number
  max_value: number
}

function expressionRow(store: ProjectStore, datasetId: number): ExpressionRow {
  const info = datasetInfo(store, datasetId)
  const row = store.db.prepare('SELECT * FROM expression_sets WHERE dataset_id = ?').get(datasetId) as
    ExpressionRow | undefined
  if (!row) {
    throw new InputError(
      'grn.not_expression',
      `Data set ${datasetId} ("${info.name}") is not an expression matrix`,
      {
        expected: 'an expression data set (seqlab import expression)',
        found: info.kind,
        params: { datasetId },
      },
    )
  }
  return row
}

/** Gene ids and symbols, in row order. */
export function expressionGenes(
  store: ProjectStore,
  datasetId: number,
): { ids: string[]; symbols: string[] } {
  const rows = store.db
    .prepare('SELECT gene_id, symbol FROM expression_genes WHERE dataset_id = ? ORDER BY idx')
    .raw()
    .all(datasetId) as [string, string][]
  return { ids: rows.map((r) => r[0]), symbols: rows.map((r) => r[1]) }
}

/** The whole stored matrix (non-zeros only), gene-major. */
export function readExpression(store: ProjectStore, datasetId: number): ExpressionMatrix {
  const row = expressionRow(store, datasetId)
  const { ids, symbols } = expressionGenes(store, datasetId)
  const cells = store.db
    .prepare('SELECT cell_id FROM expression_cells WHERE dataset_id = ? ORDER BY idx')
    .pluck()
    .all(datasetId) as string[]
  const indptr = new Uint32Array(row.n_genes + 1)
  const indices = new Uint32Array(row.non_zeros)
  const data = new Float32Array(row.non_zeros)
  const blocks = store.db
    .prepare(
      'SELECT gene_start, gene_end, indptr, indices, data FROM expression_blocks WHERE dataset_id = ? ORDER BY gene_start',
    )
    .raw()
    .iterate(datasetId) as IterableIterator<[number, number, Buffer, Buffer, Buffer]>
  let offset = 0
  for (const [start, end, ptrBlob, indexBlob, dataBlob] of blocks) {
    const ptr = typed(ptrBlob, Uint32Array)
    for (let g = start; g <= end; g++) indptr[g] = offset + ptr[g - start]!
    indices.set(typed(indexBlob, Uint32Array), offset)
    data.set(typed(dataBlob, Float32Array), offset)
    offset += ptr[end - start]!
  }
  return {
    nGenes: row.n_genes,
    nCells: row.n_cells,
    layout: 'csr',
    indptr,
    indices,
    data,
    geneIds: ids,
    geneSymbols: symbols,
    cells,
    normalization: row.normalization,
  }
}

export function expressionSummary(store: ProjectStore, datasetId: number): ExpressionSummary {
  const info = datasetInfo(store, datasetId)
  const row = expressionRow(store, datasetId)
  const sample = (sql: string) => store.db.prepare(sql).pluck().all(datasetId) as string[]
  const pairSets = store.db
    .prepare('SELECT dataset_id FROM pair_sets WHERE expression_id = ? ORDER BY dataset_id')
    .pluck()
    .all(datasetId) as number[]
  return {
    datasetId,
    name: info.name,
    createdAt: info.createdAt,
    source: info.source,
    genes: row.n_genes,
    cells: row.n_cells,
    nonZeros: row.non_zeros,
    density: row.n_genes * row.n_cells === 0 ? 0 : row.non_zeros / (row.n_genes * row.n_cells),
    normalization: row.normalization,
    integerValued: row.integer_valued === 1,
    maxValue: row.max_value,
    geneSample: sample('SELECT symbol FROM expression_genes WHERE dataset_id = ? ORDER BY idx LIMIT 5'),
    cellSample: sample('SELECT cell_id FROM expression_cells WHERE dataset_id = ? ORDER BY idx LIMIT 5'),
    pairSets,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Gene-pair sets

export interface PairSetWrite {
  name: string
  expressionId: number
  a: Int32Array
  b: Int32Array
  /** 0/1, or 0/1/2 for directed pairs. */
  label: Int8Array
  /** 0 unrelated, 1 direct, 2 indirect, when the truth is known. */
  kind?: Int8Array
  labelKind: 'binary' | 'directed'
  tfs: Int32Array
  source: Record<string, unknown>
}

/** Writes a pair set (records + gene_pairs) in one transaction; returns its id. */
export function writePairSet(store: ProjectStore, pairs: PairSetWrite): number {
  const { symbols } = expressionGenes(store, pairs.expressionId)
  expressionRow(store, pairs.expressionId)
  const db = store.db
  const directed = pairs.labelKind === 'directed'
  return store.transaction(() => {
    const datasetId = Number(
      db
        .prepare(
          `INSERT INTO datasets (name, kind, alphabet, label_kind, label_set, seq_length, source, created_at, record_count)
           VALUES (?, 'gene_pairs', NULL, ?, ?, NULL, ?, ?, ?)`,
        )
        .run(
          pairs.name,
          directed ? 'multiclass' : 'binary',
          JSON.stringify(directed ? ['0', '1', '2'] : ['0', '1']),
          JSON.stringify({ ...pairs.source, expressionId: pairs.expressionId }),
          new Date().toISOString(),
          pairs.a.length,
        ).lastInsertRowid,
    )
    db.prepare('INSERT INTO pair_sets (dataset_id, expression_id, label_kind, tfs) VALUES (?, ?, ?, ?)').run(
      datasetId,
      pairs.expressionId,
      pairs.labelKind,
      JSON.stringify(Array.from(pairs.tfs)),
    )
    const record = db.prepare(
      `INSERT INTO records (dataset_id, idx, record_id, sequence, label, weight, group_key)
       VALUES (?, ?, ?, NULL, ?, NULL, ?)`,
    )
    const pair = db.prepare(
      'INSERT INTO gene_pairs (dataset_id, idx, gene_a, gene_b, kind) VALUES (?, ?, ?, ?, ?)',
    )
    for (let i = 0; i < pairs.a.length; i++) {
      const a = symbols[pairs.a[i]!]!
      const b = symbols[pairs.b[i]!]!
      const label = pairs.label[i]!
      record.run(datasetId, i, `${a}→${b}`, directed ? String(label) : label, a)
      pair.run(datasetId, i, pairs.a[i]!, pairs.b[i]!, pairs.kind ? pairs.kind[i]! : null)
    }
    store.markChanged()
    return datasetId
  })
}

export interface StoredPairs {
  expressionId: number
  labelKind: 'binary' | 'directed'
  a: Int32Array
  b: Int32Array
  label: Int8Array
  /** Null unless every pair has a kind. */
  kind: Int8Array | null
  tfs: Int32Array
}

/** Whether a data set is a gene-pair set. */
export function isPairSet(store: ProjectStore, datasetId: number): boolean {
  return store.db.prepare('SELECT 1 FROM pair_sets WHERE dataset_id = ?').get(datasetId) !== undefined
}

export function readPairs(store: ProjectStore, datasetId: number): StoredPairs {
  const info = datasetInfo(store, datasetId)
  const set = store.db.prepare('SELECT * FROM pair_sets WHERE dataset_id = ?').get(datasetId) as
    { expression_id: number; label_kind: 'binary' | 'directed'; tfs: string } | undefined
  if (!set) {
    throw new InputError('grn.not_pairs', `Data set ${datasetId} ("${info.name}") is not a gene-pair set`, {
      expected: 'a gene-pair data set (seqlab import pairs)',
      found: info.kind,
      params: { datasetId },
    })
  }
  const n = info.records
  const a = new Int32Array(n)
  const b = new Int32Array(n)
  const label = new Int8Array(n)
  const kind = new Int8Array(n)
  let kinds = 0
  const rows = store.db
    .prepare(
      `SELECT p.idx, p.gene_a, p.gene_b, p.kind, r.label FROM gene_pairs p
       JOIN records r ON r.dataset_id = p.dataset_id AND r.idx = p.idx WHERE p.dataset_id = ?`,
    )
    .raw()
    .iterate(datasetId) as IterableIterator<[number, number, number, number | null, number | string]>
  for (const [idx, ga, gb, k, l] of rows) {
    a[idx] = ga
    b[idx] = gb
    label[idx] = Number(l)
    if (k !== null) {
      kind[idx] = k
      kinds++
    }
  }
  return {
    expressionId: set.expression_id,
    labelKind: set.label_kind,
    a,
    b,
    label,
    kind: kinds === n && n > 0 ? kind : null,
    tfs: Int32Array.from(JSON.parse(set.tfs) as number[]),
  }
}

/** Pairs per label, per TF, the genes involved and (when known) the pair kinds. */
export function pairSetSummary(store: ProjectStore, datasetId: number): PairSetSummary {
  const info = datasetInfo(store, datasetId)
  const pairs = readPairs(store, datasetId)
  const { symbols } = expressionGenes(store, pairs.expressionId)
  const labels = new Map<number, number>()
  const perTf = new Map<number, { pairs: number; positives: number }>()
  const genes = new Set<number>()
  for (let i = 0; i < pairs.a.length; i++) {
    const l = pairs.label[i]!
    labels.set(l, (labels.get(l) ?? 0) + 1)
    let tf = perTf.get(pairs.a[i]!)
    if (!tf) perTf.set(pairs.a[i]!, (tf = { pairs: 0, positives: 0 }))
    tf.pairs++
    if (l !== 0) tf.positives++
    genes.add(pairs.a[i]!)
    genes.add(pairs.b[i]!)
  }
  const kinds = pairs.kind
    ? (['none', 'direct', 'indirect'] as const).map((name, k) => ({
        kind: name,
        count: pairs.kind!.filter((v) => v === k).length,
      }))
    : null
  const positives = pairs.a.length - (labels.get(0) ?? 0)
  return {
    datasetId,
    name: info.name,
    createdAt: info.createdAt,
    source: info.source,
    expressionId: pairs.expressionId,
    expressionName: datasetInfo(store, pairs.expressionId).name,
    labelKind: pairs.labelKind,
    pairs: pairs.a.length,
    positives,
    positiveRate: pairs.a.length === 0 ? 0 : positives / pairs.a.length,
    labelCounts: [...labels].sort((x, y) => x[0] - y[0]).map(([label, count]) => ({ label, count })),
    tfs: [...perTf].map(([gene, c]) => ({ tf: symbols[gene]!, pairs: c.pairs, positives: c.positives })),
    tfList: Array.from(pairs.tfs, (g) => symbols[g]!),
    genes: genes.size,
    kinds,
  }
}
