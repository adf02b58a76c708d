import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readTextLines, type TextLine } from '../../src/core/formats/bytes'
import {
  GeneLookup,
  geneValues,
  guessOrientation,
  normalizeExpression,
  readExpressionTable,
  reorient,
  toGeneMajor,
  type ExpressionMatrix,
  type ExpressionTableOptions,
} from '../../src/core/formats/expression'
import { readMatrixMarket, writeMatrixMarket, type MatrixMarketOptions } from '../../src/core/formats/mtx'
import { InputError } from '../../src/shared/errors'

const sharedData = process.env.SEQLAB_SHARED_DATA ?? '/work/shared/data'
const pbmcSmall = path.join(sharedData, 'expression/pbmc_small_counts.csv')
const pbmc3k = path.join(sharedData, 'expression/pbmc3k_160cells_lognorm.csv.gz')
const fixtures = path.resolve(__dirname, '../fixtures/grn')

async function* chunked(bytes: Uint8Array, size = 4096): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size)
}
const linesOf = (bytes: Uint8Array, size?: number): AsyncIterable<TextLine> =>
  readTextLines(chunked(bytes, size))
const textLines = (text: string) => linesOf(new TextEncoder().encode(text), 7)
const readFile = (file: string, options: ExpressionTableOptions = {}) =>
  readExpressionTable(linesOf(fs.readFileSync(file)), { fileName: path.basename(file), ...options })

async function failure(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

/** Dense genes × cells values of a matrix, for comparisons. */
function dense(matrix: ExpressionMatrix): Float32Array[] {
  const m = toGeneMajor(matrix)
  return Array.from({ length: m.nGenes }, (_, g) => geneValues(m, g))
}

/** An independent reading of a CSV with genes in rows: split on commas, strip quotes. */
function naiveCsv(text: string): { genes: string[]; cells: string[]; values: number[][] } {
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.split(',').map((f) => f.replace(/^"|"$/g, '')))
  return {
    cells: rows[0]!.slice(1),
    genes: rows.slice(1).map((r) => r[0]!),
    values: rows.slice(1).map((r) => r.slice(1).map(Number)),
  }
}

describe('readExpressionTable on the real PBMC matrices', () => {
  it('reads pbmc_small (230 genes × 80 cells, genes in rows) into a sparse genes-major matrix', async () => {
    const text = fs.readFileSync(pbmcSmall, 'utf8')
    const { matrix, orientation, stats, delimiter } = await readFile(pbmcSmall)
    expect(delimiter).toBe(',')
    expect(orientation.guess).toBe('genes_in_rows')
    expect(orientation.confidence).toBe('high')
    expect(orientation.reasons).toEqual(['cells_in_columns'])
    expect(orientation.columns.cellLike).toBe(80)
    expect(orientation.corner).toBe('')
    expect([matrix.nGenes, matrix.nCells, matrix.layout]).toEqual([230, 80, 'csr'])
    expect(matrix.geneIds.slice(0, 3)).toEqual(['MS4A1', 'CD79B', 'CD79A'])
    expect(matrix.cells.slice(0, 2)).toEqual(['ATGCCAGAACGACT', 'CATGGCCTGTGCAT'])
    // Only the non-zeros are stored (numpy: 4,456 of 18,400; sum 19,633; max 138).
    expect(matrix.data.length).toBe(4456)
    expect(matrix.data.reduce((s, v) => s + v, 0)).toBe(19633)
    expect(stats).toMatchObject({ nonZeros: 4456, integerValued: true, maxValue: 138 })
    expect(stats.suggestedNormalization).toBe('log1p_cp10k')
    const reference = naiveCsv(text)
    expect(matrix.geneIds).toEqual(reference.genes)
    const values = dense(matrix)
    for (let g = 0; g < 230; g++) expect(Array.from(values[g]!)).toEqual(reference.values[g])
  })

  it('reads the gzipped pbmc3k log-normalised matrix (8,674 genes × 160 cells) and keeps its float32 values', async () => {
    const { matrix, orientation, stats } = await readFile(pbmc3k)
    expect(orientation.guess).toBe('genes_in_rows')
    expect([matrix.nGenes, matrix.nCells]).toEqual([8674, 160])
    expect(matrix.data.length).toBe(151815)
    expect(stats.integerValued).toBe(false)
    expect(stats.suggestedNormalization).toBe('none')
    expect(stats.maxValue).toBeCloseTo(6.67441105940359, 12)
    const hes4 = matrix.geneIds.indexOf('HES4')
    expect(geneValues(matrix, hes4)[7]).toBe(Math.fround(1.45063895424497))
  })

  it('log1p(CP10k) is Seurat LogNormalize: ln(1 + x / cell total × 10^4), zeros kept sparse', async () => {
    const { matrix } = await readFile(pbmcSmall)
    const normalised = normalizeExpression(matrix, 'log1p_cp10k')
    expect(normalised.normalization).toBe('log1p_cp10k')
    expect(normalised.data.length).toBe(matrix.data.length)
    expect(matrix.normalization).toBe('none') // the input is not changed
    const raw = dense(matrix)
    const totals = Array.from({ length: 80 }, (_, c) => raw.reduce((s, row) => s + row[c]!, 0))
    expect(totals.slice(0, 3)).toEqual([70, 85, 87])
    const values = dense(normalised)
    for (const [g, c] of [
      [1, 0],
      [0, 5],
      [100, 40],
    ] as const) {
      expect(values[g]![c]).toBe(Math.fround(Math.log1p((raw[g]![c]! / totals[c]!) * 1e4)))
    }
    expect(() => normalizeExpression(normalised, 'log1p_cp10k')).toThrow(
      expect.objectContaining({ code: 'expression.already_normalized' }),
    )
  })

  it('reads the transposed table (cells × genes, TSV, R header without a corner cell) as the same matrix', async () => {
    const reference = naiveCsv(fs.readFileSync(pbmcSmall, 'utf8'))
    const header = reference.genes.join('\t')
    const rows = reference.cells.map((cell, c) => [cell, ...reference.values.map((row) => row[c])].join('\t'))
    const { matrix, orientation } = await readExpressionTable(textLines([header, ...rows].join('\n')))
    expect(orientation.guess).toBe('cells_in_rows')
    expect(orientation.reasons).toEqual(['cells_in_rows'])
    expect(matrix.layout).toBe('csc')
    expect([matrix.nGenes, matrix.nCells]).toEqual([230, 80])
    expect(matrix.geneIds).toEqual(reference.genes)
    const { matrix: original } = await readFile(pbmcSmall)
    expect(dense(matrix)).toEqual(dense(original))
    // The conversion to gene-major gives exactly the CSV's CSR arrays.
    const csr = toGeneMajor(matrix)
    expect(Array.from(csr.indptr)).toEqual(Array.from(original.indptr))
    expect(Array.from(csr.indices)).toEqual(Array.from(original.indices))
  })

  it('flipping the guess (the wizard) relabels without reading again, and the option overrides the guess', async () => {
    const { matrix } = await readFile(pbmcSmall)
    const flipped = reorient(matrix)
    expect([flipped.nGenes, flipped.nCells, flipped.layout]).toEqual([80, 230, 'csc'])
    expect(flipped.geneIds[0]).toBe('ATGCCAGAACGACT')
    const forced = await readFile(pbmcSmall, { orientation: 'cells_in_rows' })
    expect(forced.orientation.guess).toBe('genes_in_rows')
    expect(forced.orientation.applied).toBe('cells_in_rows')
    expect(dense(forced.matrix)).toEqual(dense(flipped))
  })
})

describe('guessOrientation', () => {
  it('uses Ensembl ids, the corner cell, then symbols and shape, saying how sure it is', () => {
    const ensembl = ['ENSG00000243485', 'ENSG00000237613.2', 'ENSMUSG00000051951']
    const cells = ['c1x', 'c2x', 'c3x']
    expect(guessOrientation(cells, ensembl)).toMatchObject({ guess: 'cells_in_rows', confidence: 'high' })
    expect(guessOrientation(['a1', 'b2'], ['x1', 'y2'], 'Gene')).toMatchObject({
      guess: 'genes_in_rows',
      confidence: 'low',
      reasons: ['corner_names_genes'],
    })
    expect(guessOrientation(['a', 'b'], ['c', 'd', 'e'], 'barcode').guess).toBe('cells_in_rows')
    expect(guessOrientation(['Sox2', 'Nanog', 'Pou5f1'], ['1', '2', '3']).reasons).toEqual([
      'symbols_in_rows',
    ])
    expect(guessOrientation(['1', '2'], ['3', '4', '5'])).toMatchObject({
      guess: 'cells_in_rows',
      reasons: ['more_columns_than_rows'],
    })
  })
})

describe('readExpressionTable errors', () => {
  const cases: [string, string, number, string][] = [
    ['bad_ragged.csv', 'expression.ragged', 3, '3 fields'],
    ['bad_non_numeric.csv', 'expression.not_numeric', 4, '"high"'],
    ['bad_duplicate_gene.csv', 'expression.duplicate_gene', 5, 'HES4'],
    ['bad_negative.tsv', 'expression.negative', 3, '-0.7'],
    ['bad_nan.csv', 'expression.not_finite', 3, '"NaN"'],
    ['bad_inf.csv', 'expression.not_finite', 4, '"Inf"'],
  ]
  it.each(cases)('%s fails with %s on line %i', async (name, code, line, found) => {
    const error = await failure(() => readFile(path.join(fixtures, name)))
    expect(error.code).toBe(code)
    expect(error.line).toBe(line)
    expect(error.file).toBe(name)
    expect(error.found).toBe(found)
  })

  it('names the column of a bad value, and the two lines of a duplicate gene', async () => {
    const bad = await failure(() => readFile(path.join(fixtures, 'bad_non_numeric.csv')))
    expect(bad.params).toEqual({ column: 3, columnName: 'AAACGCTGTTTCTG-1' })
    const duplicate = await failure(() => readFile(path.join(fixtures, 'bad_duplicate_gene.csv')))
    expect(duplicate.message).toContain('lines 3 and 5')
  })

  it('rejects duplicate cells, empty files, a header alone, values beyond float32 and a row of one field', async () => {
    const header = 'gene,AAACATACAACCAC-1,AAACATACAACCAC-1\nNOC2L,1,2\n'
    expect((await failure(() => readExpressionTable(textLines(header)))).code).toBe(
      'expression.duplicate_cell',
    )
    expect((await failure(() => readExpressionTable(textLines('\n\n')))).code).toBe('expression.empty')
    expect((await failure(() => readExpressionTable(textLines('gene,c1,c2\n')))).code).toBe(
      'expression.empty',
    )
    const huge = await failure(() => readExpressionTable(textLines('gene,c1,c2\nA,1e39,0\n')))
    expect([huge.code, huge.line]).toEqual(['expression.not_finite', 2])
    const empty = await failure(() => readExpressionTable(textLines('gene,c1,c2\nA,,0\n')))
    expect([empty.code, empty.found]).toEqual(['expression.not_finite', '(empty)'])
    const hex = await failure(() => readExpressionTable(textLines('gene,c1,c2\nA,0x10,0\n')))
    expect(hex.code).toBe('expression.not_numeric')
    expect((await failure(() => readExpressionTable(textLines('gene\nA\n')))).code).toBe(
      'expression.no_columns',
    )
  })
})

describe('Matrix Market (10x directories)', () => {
  /** The 10x files of a matrix, written by the test itself (not by writeMatrixMarket). */
  function tenX(matrix: ExpressionMatrix) {
    const entries: string[] = []
    // Cell Ranger's order: by cell (column), then gene.
    const byCell = toGeneMajor(matrix)
    const rows: [number, number, number][] = []
    for (let g = 0; g < byCell.nGenes; g++) {
      for (let k = byCell.indptr[g]!; k < byCell.indptr[g + 1]!; k++)
        rows.push([g, byCell.indices[k]!, byCell.data[k]!])
    }
    rows.sort((x, y) => x[1] - y[1] || x[0] - y[0])
    for (const [g, c, v] of rows) entries.push(`${g + 1} ${c + 1} ${v}`)
    const mtx = [
      '%%MatrixMarket matrix coordinate integer general',
      '%metadata_json: {"software_version": "test"}',
      `${matrix.nGenes} ${matrix.nCells} ${rows.length}`,
      ...entries,
    ].join('\n')
    const features = matrix.geneIds
      .map((id, g) => `ENSG${String(g).padStart(11, '0')}\t${id}\tGene Expression`)
      .join('\n')
    return { mtx, features: features + '\n', barcodes: matrix.cells.map((c) => `${c}-1`).join('\n') + '\n' }
  }

  it('round-trips pbmc_small through matrix.mtx.gz + features.tsv + barcodes.tsv', async () => {
    const { matrix } = await readFile(pbmcSmall)
    const files = tenX(matrix)
    const gz = new Uint8Array(zlib.gzipSync(files.mtx))
    const result = await readMatrixMarket(linesOf(gz, 1000), {
      fileName: 'matrix.mtx.gz',
      features: linesOf(new TextEncoder().encode(files.features)),
      barcodes: linesOf(new TextEncoder().encode(files.barcodes)),
    })
    expect(result.header).toEqual({ field: 'integer', rows: 230, columns: 80, entries: 4456 })
    expect(result.orientation).toBe('genes_in_rows')
    expect(result.featureTypes?.[0]).toBe('Gene Expression')
    const m = result.matrix
    expect([m.nGenes, m.nCells, m.layout]).toEqual([230, 80, 'csr'])
    expect(m.geneSymbols).toEqual(matrix.geneIds)
    expect(m.geneIds[1]).toBe('ENSG00000000001')
    expect(m.cells[0]).toBe('ATGCCAGAACGACT-1')
    expect(Array.from(m.indptr)).toEqual(Array.from(matrix.indptr))
    expect(Array.from(m.indices)).toEqual(Array.from(matrix.indices))
    expect(Array.from(m.data)).toEqual(Array.from(matrix.data))
    // Genes are found by id or symbol.
    const lookup = new GeneLookup(m)
    expect([
      lookup.find('CD79B'),
      lookup.find('ENSG00000000001'),
      lookup.find('cd79b'),
      lookup.find('nope'),
    ]).toEqual([1, 1, 1, -1])
    // SeqLab's own writer gives the same file back.
    const written = [...writeMatrixMarket(m)].join('\n')
    const again = await readMatrixMarket(textLines(written))
    expect(Array.from(again.matrix.data)).toEqual(Array.from(m.data))
    expect(again.matrix.geneIds[0]).toBe('gene_1')
  })

  it('recognises a cells × genes export from the side files', async () => {
    const text = [
      '%%MatrixMarket matrix coordinate real general',
      '3 2 3',
      '1 1 0.5',
      '3 2 2.25',
      '2 1 1',
    ].join('\n')
    const result = await readMatrixMarket(textLines(text), {
      features: textLines('G1\tA\nG2\tB\n'),
      barcodes: textLines('c1\nc2\nc3\n'),
    })
    expect(result.orientation).toBe('cells_in_rows')
    expect([result.matrix.nGenes, result.matrix.nCells]).toEqual([2, 3])
    expect(dense(result.matrix).map((r) => Array.from(r))).toEqual([
      [0.5, 1, 0],
      [0, 0, 2.25],
    ])
  })

  const bad: [string, string, string, number | undefined][] = [
    ['not a banner', 'hello\n1 1 1\n1 1 1', 'mtx.bad_header', 1],
    ['array format', '%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4', 'mtx.unsupported', 1],
    ['symmetric', '%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n1 1 1', 'mtx.unsupported', 1],
    ['complex', '%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 1 0', 'mtx.unsupported', 1],
    ['bad size line', '%%MatrixMarket matrix coordinate integer general\n2 two 1\n1 1 1', 'mtx.bad_size', 2],
    [
      '0-based index',
      '%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 1 1\n0 2 1',
      'mtx.bad_index',
      4,
    ],
    [
      'index past the size',
      '%%MatrixMarket matrix coordinate integer general\n2 2 1\n3 1 1',
      'mtx.bad_index',
      3,
    ],
    [
      'too few entries',
      '%%MatrixMarket matrix coordinate integer general\n2 2 3\n1 1 1\n2 2 1',
      'mtx.entry_count',
      4,
    ],
    [
      'too many entries',
      '%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1\n2 2 1',
      'mtx.entry_count',
      4,
    ],
    ['negative', '%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 -3', 'expression.negative', 3],
    [
      'decimal in integer',
      '%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5',
      'mtx.bad_entry',
      3,
    ],
    ['NaN', '%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 nan', 'expression.not_finite', 3],
    [
      'repeated coordinate',
      '%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 2 1\n1 2 4',
      'mtx.duplicate_entry',
      undefined,
    ],
  ]
  it.each(bad)('%s', async (_name, text, code, line) => {
    const error = await failure(() => readMatrixMarket(textLines(text), { fileName: 'matrix.mtx' }))
    expect(error.code).toBe(code)
    expect(error.line).toBe(line)
    expect(error.file).toBe('matrix.mtx')
  })

  it('checks features and barcodes against the matrix, and their uniqueness', async () => {
    const text = '%%MatrixMarket matrix coordinate integer general\n2 3 1\n1 1 1'
    const options = (features: string, barcodes: string): MatrixMarketOptions => ({
      features: textLines(features),
      barcodes: textLines(barcodes),
    })
    const features = await failure(() => readMatrixMarket(textLines(text), options('G1\tA\n', 'a\nb\nc\n')))
    expect(features.code).toBe('mtx.features_mismatch')
    const barcodes = await failure(() =>
      readMatrixMarket(textLines(text), options('G1\tA\nG2\tB\n', 'a\nb\n')),
    )
    expect(barcodes.code).toBe('mtx.barcodes_mismatch')
    const twice = await failure(() =>
      readMatrixMarket(textLines(text), options('G1\tA\nG1\tB\n', 'a\nb\nc\n')),
    )
    expect([twice.code, twice.line]).toEqual(['expression.duplicate_gene', 2])
    // Symbols may repeat (10x has a few); then the symbol is ambiguous, the id is not.
    const ok = await readMatrixMarket(textLines(text), options('G1\tA\nG2\tA\n', 'a\nb\nc\n'))
    const lookup = new GeneLookup(ok.matrix)
    expect([lookup.find('A'), lookup.find('G2')]).toEqual([-2, 1])
  })
})
