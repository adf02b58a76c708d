/**
 * NEPDF speed on the issue-8 bench shape: CNNC images of 100,000 random gene pairs of a 5,000-cell ×
 * 2,000-gene matrix (log-normal counts, 70% zeros, seeded), with `NepdfEncoder` (each gene binned once,
 * then one pass over the cells per pair). Standalone timing script, not a test; times are never asserted.
 * The numpy reference is bench/nepdf_reference.py (vectorised bincount; the README quotes 33,267
 * pairs/s for it and 3,756 pairs/s for np.histogram2d per pair).
 *
 *   node scripts/bench-grn.mjs [--pairs 100000] [--cells 5000] [--genes 2000] [--neighbours 1000]
 *
 * Prints one JSON object: seconds and pairs/s of the pair loop (binning all genes reported separately, as in
 * the numpy script), and DeepDRIM neighbour stacks per second (22 images each; the covariance rows of their
 * genes, found first with `prepare`, reported separately).
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const nPairs = Number(arg('pairs', '100000'))
const nCells = Number(arg('cells', '5000'))
const nGenes = Number(arg('genes', '2000'))
const nNeighbours = Number(arg('neighbours', '1000'))

// The modules under test are TypeScript: bundle them once to a temporary ESM file.
const dir = mkdtempSync(join(tmpdir(), 'seqlab-bench-grn-'))
const entry = join(dir, 'entry.ts')
const outfile = join(dir, 'grn.mjs')
const { writeFileSync } = await import('node:fs')
writeFileSync(
  entry,
  `export * from ${JSON.stringify(join(root, 'src/core/grn/index.ts'))}\n` +
    `export { Rng } from ${JSON.stringify(join(root, 'src/core/random.ts'))}\n`,
)
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile,
  logLevel: 'warning',
})
const { NepdfEncoder, NeighbourImages, NEPDF_SIZE, Rng } = await import(pathToFileURL(outfile).href)
rmSync(dir, { recursive: true, force: true })

// A gene-major sparse matrix: per gene, each cell non-zero with probability 0.3, log-normal counts.
const rng = Rng.seeded('bench-grn')
const indptr = new Uint32Array(nGenes + 1)
const indices = []
const data = []
for (let g = 0; g < nGenes; g++) {
  for (let c = 0; c < nCells; c++) {
    if (rng.float() >= 0.3) continue
    const value = Math.round(Math.exp(1 + 1.2 * rng.normal()))
    if (value === 0) continue
    indices.push(c)
    data.push(value)
  }
  indptr[g + 1] = indices.length
}
const names = Array.from({ length: nGenes }, (_, g) => `g${g}`)
const matrix = {
  nGenes,
  nCells,
  layout: 'csr',
  indptr,
  indices: Uint32Array.from(indices),
  data: Float32Array.from(data),
  geneIds: names,
  geneSymbols: names,
  cells: Array.from({ length: nCells }, (_, c) => `c${c}`),
  normalization: 'none',
}
const a = Int32Array.from({ length: nPairs }, () => rng.int(nGenes))
const b = Int32Array.from({ length: nPairs }, () => rng.int(nGenes))

const encoder = new NepdfEncoder(matrix)
let t0 = performance.now()
for (let g = 0; g < nGenes; g++) encoder.bins(g)
const binningSeconds = (performance.now() - t0) / 1000

// Write each image into one reused buffer, as a training batch would (the numpy script reuses `out` too).
const out = new Float32Array(NEPDF_SIZE)
let checksum = 0
t0 = performance.now()
const cpu0 = process.cpuUsage()
for (let p = 0; p < nPairs; p++) {
  encoder.image(a[p], b[p], out, 0)
  checksum += out[p % NEPDF_SIZE]
}
const cpu = process.cpuUsage(cpu0)
const seconds = (performance.now() - t0) / 1000

const neighbours = new NeighbourImages(matrix, { encoder })
t0 = performance.now()
neighbours.prepare([...a.subarray(0, nNeighbours), ...b.subarray(0, nNeighbours)])
const covarianceSeconds = (performance.now() - t0) / 1000
const stack = new Float32Array(neighbours.count * NEPDF_SIZE)
t0 = performance.now()
for (let p = 0; p < nNeighbours; p++) neighbours.images(a[p], b[p], stack)
const neighbourSeconds = (performance.now() - t0) / 1000

console.log(
  JSON.stringify(
    {
      node: process.version,
      cells: nCells,
      genes: nGenes,
      pairs: nPairs,
      nonZeros: data.length,
      binningSeconds: round(binningSeconds),
      nepdf: {
        seconds: round(seconds),
        cpuSeconds: round((cpu.user + cpu.system) / 1e6),
        pairsPerSecond: Math.round(nPairs / seconds),
      },
      neighbourStacks: {
        pairs: nNeighbours,
        imagesPerStack: neighbours.count,
        covarianceSeconds: round(covarianceSeconds),
        seconds: round(neighbourSeconds),
        stacksPerSecond: Math.round(nNeighbours / neighbourSeconds),
      },
      readmeReference: { numpyBincountPairsPerSecond: 33267, numpyHistogram2dPairsPerSecond: 3756 },
      checksum: round(checksum),
    },
    null,
    2,
  ),
)

function round(x) {
  return Math.round(x * 1000) / 1000
}
