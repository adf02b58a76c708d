/**
 * Expression matrices and gene pairs in a project (src/app/grn): the real pbmc_small counts (genes in rows,
 * log-normalised on import) and the gzipped pbmc3k log-normalised export (stored as is) read back exactly as
 * the core reader parses them; a 10x folder and an AnnData .h5ad give the same matrix; malformed matrices
 * (ragged row, non-numeric cell, duplicate gene, negative count) fail with their code, file and line and
 * leave the project byte-for-byte unchanged; pairs from an edge list get seeded negatives; TF-aware folds keep
 * each TF in one fold; the pair-set summary and the previews say what the wizard needs.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as H5 from 'h5wasm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTextLines } from '../../src/core/formats/bytes'
import {
  normalizeExpression,
  readExpressionTable,
  toGeneMajor,
  type ExpressionMatrix,
} from '../../src/core/formats/expression'
import { writeMatrixMarket } from '../../src/core/formats/mtx'
import { createSplit, storedAssignments } from '../../src/app/datasets/splits'
import { deleteDataset, listDatasets } from '../../src/app/datasets/queries'
import { inputFile, readFileBytes } from '../../src/app/datasets/sources'
import { importExpression, previewExpression, tenXFolder } from '../../src/app/grn/import-expression'
import { importPairs, previewPairs } from '../../src/app/grn/import-pairs'
import { expressionSummary, pairSetSummary, readExpression, readPairs } from '../../src/app/grn/store'
import type { ProjectStore } from '../../src/app/store/project-store'
import { ExpressionImportOptions, PairsImportOptions } from '../../src/shared/contract-grn'
import { inputErrorOf, newProject, projectHash, shared, tempDir } from '../fixtures/datasets/support'

const small = path.join(shared, 'expression', 'pbmc_small_counts.csv')
const pbmc3k = path.join(shared, 'expression', 'pbmc3k_160cells_lognorm.csv.gz')
const auto = ExpressionImportOptions.parse({})
let tmp: string
let store: ProjectStore
/** A project with one small matrix, for the checks that hash the whole project. */
let small_: ProjectStore

beforeAll(async () => {
  tmp = tempDir('seqlab-grn-')
  store = newProject(tmp)
  small_ = newProject(fs.mkdtempSync(path.join(tmp, 'small-')))
  await importExpression(small_, 'small', { table: inputFile(write('ok.csv', 'gene,c1,c2\nA,1,0\n')) }, auto)
})
afterAll(() => {
  store.close()
  small_.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

async function parsed(file: string): Promise<ExpressionMatrix> {
  const lines = readTextLines(readFileBytes(inputFile(file)), { fileName: path.basename(file) })
  return toGeneMajor((await readExpressionTable(lines)).matrix)
}

function expectSameMatrix(actual: ExpressionMatrix, expected: ExpressionMatrix): void {
  expect([actual.nGenes, actual.nCells, actual.layout]).toEqual([expected.nGenes, expected.nCells, 'csr'])
  expect(actual.geneIds).toEqual(expected.geneIds)
  expect(actual.cells).toEqual(expected.cells)
  expect(Array.from(actual.indptr)).toEqual(Array.from(expected.indptr))
  expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices))
  expect(Array.from(actual.data)).toEqual(Array.from(expected.data))
}

function write(name: string, text: string): string {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text)
  return file
}

describe('expression import', () => {
  it('stores pbmc_small (230 genes × 80 cells, UMI counts) log-normalised, and reads it back exactly', async () => {
    const id = await importExpression(store, 'pbmc small', { table: inputFile(small) }, auto)
    const summary = expressionSummary(store, id)
    expect(summary).toMatchObject({
      genes: 230,
      cells: 80,
      integerValued: true,
      normalization: 'log1p_cp10k',
    })
    expect(summary.source).toMatchObject({ format: 'table', orientation: 'genes_in_rows' })
    const expected = normalizeExpression(await parsed(small), 'log1p_cp10k')
    expectSameMatrix(readExpression(store, id), expected)
    expect(listDatasets(store).find((d) => d.datasetId === id)).toMatchObject({
      kind: 'expression',
      records: 230,
    })
  })

  it('stores the gzipped pbmc3k export (8,674 genes × 160 cells, normalised already) as it is', async () => {
    const id = await importExpression(store, 'pbmc3k', { table: inputFile(pbmc3k) }, auto)
    expect(expressionSummary(store, id)).toMatchObject({ genes: 8674, cells: 160, normalization: 'none' })
    // Several storage blocks of 1,024 genes each, joined back in order.
    const blocks = store.db
      .prepare('SELECT count(*) FROM expression_blocks WHERE dataset_id = ?')
      .pluck()
      .get(id)
    expect(blocks).toBe(9)
    expectSameMatrix(readExpression(store, id), await parsed(pbmc3k))
    const refused = await inputErrorOf(
      importExpression(store, 'x', { table: inputFile(pbmc3k) }, { ...auto, normalization: 'log1p_cp10k' }),
    )
    expect(refused.code).toBe('expression.not_counts')
  })

  it('reads a 10x folder (gzipped) and a cells × genes table to the same matrix', async () => {
    const matrix = await parsed(small)
    const dir = path.join(tmp, '10x')
    fs.mkdirSync(dir)
    const zlib = await import('node:zlib')
    fs.writeFileSync(
      path.join(dir, 'matrix.mtx.gz'),
      zlib.gzipSync([...writeMatrixMarket(matrix)].join('\n') + '\n'),
    )
    fs.writeFileSync(
      path.join(dir, 'features.tsv'),
      matrix.geneIds.map((g) => `${g}\t${g}\tGene Expression`).join('\n'),
    )
    fs.writeFileSync(path.join(dir, 'barcodes.tsv.gz'), zlib.gzipSync(matrix.cells.join('\n')))
    const files = tenXFolder(dir, fs.existsSync)
    const preview = await previewExpression(files, auto)
    expect(preview).toMatchObject({ format: 'mtx', genes: 230, cells: 80, problems: [] })
    const id = await importExpression(store, '10x', files, { ...auto, normalization: 'none' })
    expectSameMatrix(readExpression(store, id), matrix)

    // The same counts with cells in rows: the names tell the orientation.
    const rows = matrix.cells.map((cell, c) => {
      const values = matrix.geneIds.map((_, g) => {
        let v = 0
        for (let k = matrix.indptr[g]!; k < matrix.indptr[g + 1]!; k++)
          if (matrix.indices[k] === c) v = matrix.data[k]!
        return v
      })
      return [cell, ...values].join('\t')
    })
    const tsv = write('cells-x-genes.tsv', ['cell\t' + matrix.geneIds.join('\t'), ...rows].join('\n'))
    const tablePreview = await previewExpression({ table: inputFile(tsv) }, auto)
    expect(tablePreview.orientation).toMatchObject({ guess: 'cells_in_rows', confidence: 'high' })
    const flipped = await importExpression(
      store,
      'tsv',
      { table: inputFile(tsv) },
      { ...auto, normalization: 'none' },
    )
    expectSameMatrix(readExpression(store, flipped), matrix)
  })

  it('reads an AnnData .h5ad (CSR X, cells × genes) and a 10x .h5 through h5wasm', async () => {
    const entry = path.resolve(__dirname, '../../node_modules/h5wasm/dist/node/hdf5_hl.js')
    const h5 = (await import(pathToFileURL(entry).href)) as typeof H5
    await h5.ready
    const file = path.join(tmp, 'tiny.h5ad')
    const f = new h5.File(file, 'w')
    const X = f.create_group('X')
    X.create_attribute('encoding-type', 'csr_matrix')
    X.create_attribute('shape', new Int32Array([2, 3]))
    X.create_dataset({ name: 'data', data: new Float32Array([1, 2, 3]) })
    X.create_dataset({ name: 'indices', data: new Int32Array([0, 2, 1]) })
    X.create_dataset({ name: 'indptr', data: new Int32Array([0, 2, 3]) })
    for (const [group, names] of [
      ['obs', ['AAACATACAACCAC-1', 'AAACGCTGTTTCTG-1']],
      ['var', ['CD3E', 'MS4A1', 'LYZ']],
    ] as const) {
      const g = f.create_group(group)
      g.create_attribute('_index', '_index')
      g.create_dataset({ name: '_index', data: [...names] })
    }
    f.close()
    const id = await importExpression(store, 'h5ad', { h5: inputFile(file) }, auto)
    const m = readExpression(store, id)
    expect([m.nGenes, m.nCells, m.geneSymbols, m.cells]).toEqual([
      3,
      2,
      ['CD3E', 'MS4A1', 'LYZ'],
      ['AAACATACAACCAC-1', 'AAACGCTGTTTCTG-1'],
    ])
    // genes × cells: CD3E = [1, 0], MS4A1 = [0, 3], LYZ = [2, 0]; whole counts, so log-normalised.
    expect(Array.from(m.indptr)).toEqual([0, 1, 2, 3])
    expect(Array.from(m.indices)).toEqual([0, 1, 0])
    expect(Array.from(m.data)).toEqual([1 / 3, 1, 2 / 3].map((x) => Math.fround(Math.log1p(x * 10_000))))

    // Cell Ranger's .h5: features × barcodes compressed by barcode (each cell a column).
    const tenX = path.join(tmp, 'filtered_feature_bc_matrix.h5')
    const t = new h5.File(tenX, 'w')
    const g = t.create_group('matrix')
    g.create_dataset({ name: 'shape', data: new Int32Array([3, 2]) })
    g.create_dataset({ name: 'data', data: new Int32Array([1, 2, 3]) })
    g.create_dataset({ name: 'indices', data: new Int32Array([0, 2, 1]) })
    g.create_dataset({ name: 'indptr', data: new Int32Array([0, 2, 3]) })
    g.create_dataset({ name: 'barcodes', data: ['AAACATACAACCAC-1', 'AAACGCTGTTTCTG-1'] })
    const features = g.create_group('features')
    features.create_dataset({ name: 'id', data: ['ENSG01', 'ENSG02', 'ENSG03'] })
    features.create_dataset({ name: 'name', data: ['CD3E', 'MS4A1', 'LYZ'] })
    t.close()
    const tenXId = await importExpression(store, '10x h5', { h5: inputFile(tenX) }, auto)
    const tm = readExpression(store, tenXId)
    expect([tm.geneIds, tm.geneSymbols, tm.cells]).toEqual([
      ['ENSG01', 'ENSG02', 'ENSG03'],
      ['CD3E', 'MS4A1', 'LYZ'],
      ['AAACATACAACCAC-1', 'AAACGCTGTTTCTG-1'],
    ])
    expect(Array.from(tm.indptr)).toEqual([0, 1, 2, 3])
    expect(Array.from(tm.indices)).toEqual([0, 1, 0])
    expect(Array.from(tm.data)).toEqual(m.data.length === 3 ? Array.from(m.data) : [])
    expect(expressionSummary(store, tenXId).source).toMatchObject({ format: 'h5' })

    const notH5 = await inputErrorOf(importExpression(store, 'x', { h5: inputFile(small) }, auto))
    expect(notH5.code).toBe('expression.h5_not_hdf5')
  })

  it.each([
    ['ragged row', 'gene,c1,c2\nA,1,2\nB,3\n', 'expression.ragged', 3],
    ['non-numeric cell', 'gene,c1,c2\nA,1,2\nB,3,x7\n', 'expression.not_numeric', 3],
    ['duplicate gene', 'gene,c1,c2\nA,1,2\nB,3,4\nA,5,6\n', 'expression.duplicate_gene', 4],
    ['negative count', 'gene,c1,c2\nA,1,-2\n', 'expression.negative', 2],
  ])(
    'refuses a matrix with a %s, naming file and line, and leaves the project unchanged',
    async (_, text, code, line) => {
      const file = write(`bad-${code}.csv`, text)
      const before = projectHash(small_)
      const err = await inputErrorOf(importExpression(small_, 'bad', { table: inputFile(file) }, auto))
      expect([err.code, err.file, err.line]).toEqual([code, path.basename(file), line])
      expect(projectHash(small_)).toBe(before)
      const preview = await previewExpression({ table: inputFile(file) }, auto)
      expect(preview.problems.map((p) => p.code)).toEqual([code])
    },
  )
})

describe('gene pairs', () => {
  let expressionId: number
  beforeAll(async () => {
    expressionId = await importExpression(store, 'pairs matrix', { table: inputFile(small) }, auto)
  })

  it('draws seeded negatives per TF from an edge list, never a known edge', async () => {
    const genes = readExpression(store, expressionId).geneSymbols
    const tfs = genes.slice(0, 4)
    const edges = tfs.flatMap((tf, t) => genes.slice(10 + 5 * t, 14 + 5 * t).map((g) => `${tf}\t${g}`))
    const file = write('edges.tsv', ['Gene1\tGene2', ...edges].join('\n'))
    const options = PairsImportOptions.parse({ expressionId, negatives: { ratio: 2, seed: 3 } })
    const preview = await previewPairs(store, { edges: inputFile(file) }, options)
    expect(preview).toMatchObject({ format: 'edges', total: 48, positives: 16, tfs: 4, problems: [] })
    const id = await importPairs(store, 'edges', { edges: inputFile(file) }, options)
    const again = await importPairs(store, 'edges again', { edges: inputFile(file) }, options)
    const pairs = readPairs(store, id)
    expect(Array.from(readPairs(store, again).b)).toEqual(Array.from(pairs.b))
    const known = new Set(edges.map((e) => e.replace('\t', '>')))
    pairs.a.forEach((a, i) => {
      const key = `${genes[a]}>${genes[pairs.b[i]!]}`
      expect(known.has(key)).toBe(pairs.label[i] === 1)
    })
    const summary = pairSetSummary(store, id)
    expect(summary).toMatchObject({
      pairs: 48,
      positives: 16,
      labelKind: 'binary',
      expressionId,
      kinds: null,
    })
    expect(summary.tfs.map((t) => [t.tf, t.pairs, t.positives])).toEqual(tfs.map((tf) => [tf, 12, 4]))

    // TF-aware folds: every TF's pairs in one fold; leave-one-TF-out: one fold per TF.
    const { splitId, summary: split } = createSplit(store, id, { method: 'tf_folds', k: 3, seed: 1 })
    expect(split.method).toBe('tf_folds')
    const { assignments } = storedAssignments(store, splitId, 48)
    for (let i = 0; i < 48; i++) expect(assignments[i]).toBe(assignments[pairs.a.indexOf(pairs.a[i]!)])
    expect(new Set(assignments).size).toBe(3)
    const loto = createSplit(store, id, { method: 'leave_one_tf_out' })
    expect(loto.summary.parts.map((p) => p.records)).toEqual([12, 12, 12, 12])
    const notPairs = (() => {
      try {
        createSplit(store, expressionId, { method: 'tf_folds', k: 3, seed: 1 })
      } catch (err) {
        return err as { code: string }
      }
    })()
    expect(notPairs?.code).toBe('splits.needs_pairs')

    // The matrix cannot go while pair sets use it.
    expect(() => deleteDataset(store, expressionId)).toThrow(/gene-pair data set/)
  })

  it('reads a CNNC pair file (0/1/2) and names the line of an unknown gene', async () => {
    const genes = readExpression(store, expressionId).geneSymbols
    const good = write(
      'pairs.txt',
      `${genes[0]} ${genes[5]} 1\n${genes[5]} ${genes[0]} 2\n${genes[0]} ${genes[7]} 0\n`,
    )
    const options = PairsImportOptions.parse({ expressionId })
    const id = await importPairs(store, 'cnnc pairs', { pairs: inputFile(good) }, options)
    expect(pairSetSummary(store, id)).toMatchObject({ pairs: 3, positives: 2, labelKind: 'directed' })
    const bad = write('bad-pairs.txt', `${genes[0]} ${genes[5]} 1\n${genes[0]} NOT_A_GENE 0\n`)
    const before = projectHash(store)
    const err = await inputErrorOf(importPairs(store, 'bad', { pairs: inputFile(bad) }, options))
    expect([err.code, err.file, err.line]).toEqual(['pairs.unknown_gene', 'bad-pairs.txt', 2])
    expect(projectHash(store)).toBe(before)
  })
})
