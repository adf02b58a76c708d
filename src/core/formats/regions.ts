/**
 * Genome region names and chromosome aliases, shared by FASTA, `.fai` and BED.
 *
 * - `parseRegionName('22:20000001-21000000')` reads the samtools-style name of an extracted region (1-based,
 *   inclusive, as people and samtools write it) into 0-based half-open coordinates, so a FASTA record named
 *   like a region can be placed at its offset in the genome and matched against BED intervals.
 * - `canonicalChrom` / `sameChromosome` let UCSC names (`chr22`, `chrM`) meet Ensembl/NCBI names (`22`, `MT`):
 *   the canonical form drops the `chr` prefix and writes the mitochondrion as `MT`.
 */

export interface GenomeRegion {
  chrom: string
  /** 0-based, inclusive. */
  start: number
  /** 0-based, exclusive. */
  end: number
}

const regionPattern = /^(.+):([\d,]+)-([\d,]+)$/

/**
 * The region a name like `22:20000001-21000000` or `chr1:1,000-2,000` stands for, in 0-based half-open
 * coordinates; `undefined` when the name is not a region (most FASTA ids are not) or is not a valid one.
 */
export function parseRegionName(name: string): GenomeRegion | undefined {
  const match = regionPattern.exec(name.trim())
  if (!match) return undefined
  const firstBase = Number(match[2]!.replaceAll(',', ''))
  const lastBase = Number(match[3]!.replaceAll(',', ''))
  if (!Number.isSafeInteger(firstBase) || !Number.isSafeInteger(lastBase)) return undefined
  if (firstBase < 1 || lastBase < firstBase) return undefined
  return { chrom: match[1]!, start: firstBase - 1, end: lastBase }
}

// `chr` is a prefix only before what follows it in real assemblies (chr1, chrX, chrM, chrUn_…, Chr1 in TAIR),
// so a name like `chromosome_1` is left alone.
const chrPrefix = /^chr(?=\d|[XYZWM](?![a-z])|MT|Un|un)/i
const mitochondrialNames = new Set(['M', 'MT', 'MITO', 'MITOCHONDRION'])

/** The canonical form of a chromosome name: `chr22` → `22`, `chrX` → `X`, `chrM` / `M` / `MT` → `MT`. */
export function canonicalChrom(name: string): string {
  const bare = name.trim().replace(chrPrefix, '')
  const upper = bare.toUpperCase()
  if (mitochondrialNames.has(upper)) return 'MT'
  if (/^[XYZW]$/.test(upper)) return upper
  return bare
}

/** Whether two chromosome names mean the same chromosome (`chr22` and `22`, `chrM` and `MT`). */
export function sameChromosome(a: string, b: string): boolean {
  return canonicalChrom(a) === canonicalChrom(b)
}
