/**
 * Labelled gene pairs for regulatory-network training (issue 8, part 2), in the forms the field uses:
 *
 * - CNNC's pair file (Yuan & Bar-Joseph, PNAS 2019): `geneA geneB label` per line, whitespace-separated,
 *   label 0/1 (no edge / edge), or 0/1/2 (none / a→b / b→a) for direction; DeepDRIM (Chen et al., Brief.
 *   Bioinform. 2021) reads the same file.
 * - A TF list: one gene per line (extra columns ignored).
 * - A TF→target edge list: two columns (tab, comma or whitespace), an optional header such as BEELINE's
 *   `Gene1,Gene2[,Type]`, from which `samplePairs` draws negatives.
 *
 * Gene names are found in the expression matrix by id or symbol, exactly first, then ignoring case (CNNC and
 * DeepDRIM lower-case every name). An unknown or ambiguous gene is an `InputError` naming the file and line
 * (`pairs.unknown_gene`, `pairs.ambiguous_gene`); a bad label is `pairs.bad_label`, a short line
 * `pairs.bad_line`, a gene paired with itself `pairs.self_pair`.
 *
 * Negative sampling (`samplePairs`) draws, for each TF, `ratio` × its number of targets among the genes
 * that are neither the TF nor linked to it by a known edge in either direction (DeepDRIM: ratio 1, i.e.
 * 1:1). It takes a seed; each TF draws from its own forked stream, so adding a TF does not change the
 * negatives of the others. Pairs come out grouped by TF (CNNC's "data separation index" is `tfStarts`).
 */
import { InputError } from '../../shared/errors'
import { Rng, type Seed } from '../random'
import type { TextLine } from './bytes'
import type { GeneLookup } from './expression'

/** Label codes: CNNC's three classes (binary files use 0 and 1 only). */
export const NO_EDGE = 0
export const EDGE_A_TO_B = 1
export const EDGE_B_TO_A = 2

export interface GenePairs {
  /** First gene (the TF in CNNC's and DeepDRIM's files), as a gene number of the matrix. */
  a: Int32Array
  b: Int32Array
  /** 0 none, 1 a→b, 2 b→a. */
  label: Int8Array
  /** The 1-based line of each pair in its file; absent for sampled pairs. */
  line?: Int32Array
}

export interface PairFileOptions {
  fileName?: string
}

export interface PairFile {
  pairs: GenePairs
  /** `binary` when only 0 and 1 occur, `directed` when 2 occurs. */
  labelKind: 'binary' | 'directed'
  /** Whether a header line was recognised and skipped. */
  skippedHeader: boolean
}

/** Reads CNNC's `geneA geneB label` file. A first line whose label is not a number is taken as a header. */
export async function readPairs(
  lines: AsyncIterable<TextLine>,
  genes: GeneLookup,
  options: PairFileOptions = {},
): Promise<PairFile> {
  const file = options.fileName
  const a: number[] = []
  const b: number[] = []
  const label: number[] = []
  const lineOf: number[] = []
  let skippedHeader = false
  let first = true
  for await (const { text, lineNumber } of lines) {
    const words = text.trim().split(/[\s,]+/)
    if (words.length === 1 && words[0] === '') continue
    const isFirst = first
    first = false
    if (isFirst && words.length >= 3 && !/^\d+$/.test(words[2]!)) {
      skippedHeader = true
      continue
    }
    if (words.length < 3) {
      throw new InputError('pairs.bad_line', `line ${lineNumber}: a pair line is "geneA geneB label"`, {
        file,
        line: lineNumber,
        expected: '3 fields',
        found: `${words.length} field${words.length === 1 ? '' : 's'}`,
      })
    }
    const value = words[2]!
    if (value !== '0' && value !== '1' && value !== '2') {
      throw new InputError('pairs.bad_label', `line ${lineNumber}: the label must be 0, 1 or 2`, {
        file,
        line: lineNumber,
        expected: '0 (no edge), 1 (a→b) or 2 (b→a)',
        found: truncate(value),
      })
    }
    const geneA = findGene(genes, words[0]!, lineNumber, file)
    const geneB = findGene(genes, words[1]!, lineNumber, file)
    if (geneA === geneB) throw selfPair(words[0]!, lineNumber, file)
    a.push(geneA)
    b.push(geneB)
    label.push(Number(value))
    lineOf.push(lineNumber)
  }
  return {
    pairs: {
      a: Int32Array.from(a),
      b: Int32Array.from(b),
      label: Int8Array.from(label),
      line: Int32Array.from(lineOf),
    },
    labelKind: label.includes(2) ? 'directed' : 'binary',
    skippedHeader,
  }
}

/** Reads a TF list: the first word of each line; repeats are kept once; a header like `TF` is skipped. */
export async function readTfList(
  lines: AsyncIterable<TextLine>,
  genes: GeneLookup,
  options: PairFileOptions = {},
): Promise<Int32Array> {
  const tfs: number[] = []
  const seen = new Set<number>()
  let first = true
  for await (const { text, lineNumber } of lines) {
    const name = text.trim().split(/[\s,]+/)[0]!
    if (name === '') continue
    const isFirst = first
    first = false
    if (isFirst && genes.find(name) === -1 && HEADER_WORDS.test(name)) continue
    const gene = findGene(genes, name, lineNumber, options.fileName)
    if (!seen.has(gene)) tfs.push(gene)
    seen.add(gene)
  }
  return Int32Array.from(tfs)
}

export interface EdgeList {
  tf: Int32Array
  target: Int32Array
  /** Self loops (TF → itself) dropped, as BEELINE does. */
  selfLoops: number
  /** Repeated edges dropped. */
  duplicates: number
}

const HEADER_WORDS = /^(gene\d?|genes|tfs?|regulators?|sources?|from|targets?|to|names?|symbols?|id)$/i

/** Reads a TF→target edge list: `tf target` per line (tab, comma or spaces), optional header. */
export async function readEdgeList(
  lines: AsyncIterable<TextLine>,
  genes: GeneLookup,
  options: PairFileOptions = {},
): Promise<EdgeList> {
  const file = options.fileName
  const tf: number[] = []
  const target: number[] = []
  const seen = new Set<string>()
  let selfLoops = 0
  let duplicates = 0
  let first = true
  for await (const { text, lineNumber } of lines) {
    const words = text.trim().split(/[\t,]+|\s+/)
    if (words.length === 1 && words[0] === '') continue
    const isFirst = first
    first = false
    if (words.length < 2) {
      throw new InputError('pairs.bad_line', `line ${lineNumber}: an edge line is "TF target"`, {
        file,
        line: lineNumber,
        expected: '2 fields',
        found: '1 field',
      })
    }
    if (
      isFirst &&
      HEADER_WORDS.test(words[0]!) &&
      HEADER_WORDS.test(words[1]!) &&
      genes.find(words[0]!) === -1
    ) {
      continue
    }
    const from = findGene(genes, words[0]!, lineNumber, file)
    const to = findGene(genes, words[1]!, lineNumber, file)
    if (from === to) {
      selfLoops++
      continue
    }
    const key = `${from}>${to}`
    if (seen.has(key)) {
      duplicates++
      continue
    }
    seen.add(key)
    tf.push(from)
    target.push(to)
  }
  return { tf: Int32Array.from(tf), target: Int32Array.from(target), selfLoops, duplicates }
}

export interface SamplePairsOptions {
  /** Number of genes of the matrix (gene numbers 0 … nGenes − 1). */
  nGenes: number
  /** Negatives per positive, per TF (DeepDRIM: 1). */
  ratio?: number
  seed: Seed
  /** Genes negatives may be drawn from (default: all genes). */
  candidates?: ArrayLike<number>
  /** Also add each edge reversed with label 2 (CNNC's three-class task). */
  includeReverse?: boolean
}

export interface SampledPairs extends GenePairs {
  /** Index of the first pair of each TF, and the total at the end (CNNC's separation index). */
  tfStarts: Int32Array
  /** The TF of each group, in order of first appearance in the edge list. */
  tfs: Int32Array
  /** Things the scientist should know (e.g. a TF with too few candidates for its negatives). */
  warnings: { code: string; message: string; params?: Record<string, string | number> }[]
}

/** Positives from the edges, negatives drawn per TF at `ratio`, never a known edge in either direction. */
export function samplePairs(
  edges: Pick<EdgeList, 'tf' | 'target'>,
  options: SamplePairsOptions,
): SampledPairs {
  const ratio = options.ratio ?? 1
  if (!(ratio >= 0) || !Number.isFinite(ratio)) {
    throw new InputError('pairs.bad_ratio', 'The negative ratio must be a number ≥ 0', {
      expected: 'a number ≥ 0 (DeepDRIM uses 1)',
      found: String(options.ratio),
    })
  }
  const { nGenes } = options
  const linked = new Set<number>()
  const key = (x: number, y: number) => x * nGenes + y
  const byTf = new Map<number, number[]>()
  for (let e = 0; e < edges.tf.length; e++) {
    const from = edges.tf[e]!
    const to = edges.target[e]!
    linked.add(key(from, to))
    linked.add(key(to, from))
    let targets = byTf.get(from)
    if (!targets) byTf.set(from, (targets = []))
    if (!targets.includes(to)) targets.push(to)
  }
  const candidates = options.candidates
    ? Array.from(options.candidates)
    : Array.from({ length: nGenes }, (_, g) => g)
  const rng = Rng.seeded(options.seed).fork('negatives')

  const a: number[] = []
  const b: number[] = []
  const label: number[] = []
  const tfStarts: number[] = []
  const warnings: SampledPairs['warnings'] = []
  for (const [tf, targets] of byTf) {
    tfStarts.push(a.length)
    for (const target of targets) {
      a.push(tf)
      b.push(target)
      label.push(EDGE_A_TO_B)
      if (options.includeReverse) {
        a.push(target)
        b.push(tf)
        label.push(EDGE_B_TO_A)
      }
    }
    const pool = candidates.filter((g) => g !== tf && !linked.has(key(tf, g)))
    const wanted = Math.round(ratio * targets.length)
    if (wanted > pool.length) {
      warnings.push({
        code: 'pairs.few_negatives',
        message: `TF number ${tf} has ${targets.length} targets but only ${pool.length} genes to draw ${wanted} negatives from`,
        params: { tf, wanted, available: pool.length },
      })
    }
    // A partial Fisher–Yates shuffle: the first `take` places are a uniform sample without replacement.
    const take = Math.min(wanted, pool.length)
    const stream = rng.fork(`tf:${tf}`)
    for (let i = 0; i < take; i++) {
      const j = i + stream.int(pool.length - i)
      const held = pool[i]!
      pool[i] = pool[j]!
      pool[j] = held
    }
    for (const g of pool.slice(0, take).sort((x, y) => x - y)) {
      a.push(tf)
      b.push(g)
      label.push(NO_EDGE)
    }
  }
  tfStarts.push(a.length)
  return {
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    label: Int8Array.from(label),
    tfStarts: Int32Array.from(tfStarts),
    tfs: Int32Array.from(byTf.keys()),
    warnings,
  }
}

function findGene(genes: GeneLookup, name: string, line: number, file?: string): number {
  const gene = genes.find(name)
  if (gene >= 0) return gene
  const ambiguous = gene === -2
  throw new InputError(
    ambiguous ? 'pairs.ambiguous_gene' : 'pairs.unknown_gene',
    ambiguous
      ? `line ${line}: gene ${JSON.stringify(name)} names several genes of the expression matrix (use its id)`
      : `line ${line}: gene ${JSON.stringify(name)} is not in the expression matrix`,
    {
      file,
      line,
      expected: 'a gene id or symbol of the expression matrix',
      found: truncate(name),
      params: { gene: name },
    },
  )
}

function selfPair(name: string, line: number, file?: string): InputError {
  return new InputError(
    'pairs.self_pair',
    `line ${line}: gene ${JSON.stringify(name)} is paired with itself`,
    {
      file,
      line,
      expected: 'two different genes',
      found: `${name} ${name}`,
    },
  )
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
