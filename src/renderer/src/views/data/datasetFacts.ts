/** How the data views read a data set: its class names and counts in class order, its kind, its files. */
import type { DatasetInfo, DatasetSummary } from '../../../../shared/contract-datasets'

export type ImporterKind = 'fasta' | 'csv' | 'genome' | 'npy'

export function importerOf(info: DatasetInfo): ImporterKind | undefined {
  const importer = info.source.importer
  return importer === 'fasta' || importer === 'csv' || importer === 'genome' || importer === 'npy'
    ? importer
    : undefined
}

export function sourceFiles(info: DatasetInfo): string[] {
  const files = info.source.files
  if (!files || typeof files !== 'object') return []
  return Object.values(files as Record<string, unknown>).filter((f): f is string => typeof f === 'string')
}

/** Class names in stored order: binary [negative, positive] as written in the file; else the classes. */
export function classNames(info: DatasetInfo): string[] {
  return info.labelSet
}

/** Records per class in the order of `classNames` (binary labels are stored as 0 and 1). */
export function classCounts(summary: DatasetSummary): number[] {
  const names = classNames(summary)
  return names.map((name, i) => {
    const stored = summary.labelKind === 'binary' ? i : name
    return (
      summary.labelCounts.find((c) => c.label === stored || String(c.label) === String(stored))?.count ?? 0
    )
  })
}

/** Weight sums per class in the same order, or undefined without weights. */
export function classWeightSums(summary: DatasetSummary): number[] | undefined {
  if (!summary.weightSums) return undefined
  const names = classNames(summary)
  const sums = summary.weightSums
  return names.map((name, i) => {
    const stored = summary.labelKind === 'binary' ? i : name
    return sums.find((c) => c.label === stored || String(c.label) === String(stored))?.sum ?? 0
  })
}
