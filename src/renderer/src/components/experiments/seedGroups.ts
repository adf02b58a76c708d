import type { ExperimentDetail } from '../../../../shared/contract-experiments'

export interface SeedGroup {
  key: string
  name: string
  count: number
  auprc: { mean: number | null; sd: number | null }
  auroc: { mean: number | null; sd: number | null }
}

/** Mean and sample sd (n − 1) of the finite values; sd null below two. */
function meanSd(values: (number | null | undefined)[]): { mean: number | null; sd: number | null } {
  const xs = values.filter((v): v is number => v != null && Number.isFinite(v))
  if (xs.length === 0) return { mean: null, sd: null }
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  if (xs.length < 2) return { mean, sd: null }
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) }
}

/**
 * Finished experiments that differ only in their seed (and name), as groups of two or more with the mean ±
 * sd of their test AUPRC and ROC-AUC: the spread a rerun would show (UI.md).
 */
export function seedGroups(details: ExperimentDetail[]): SeedGroup[] {
  const byKey = new Map<string, ExperimentDetail[]>()
  for (const d of details) {
    const { name: _name, seed: _seed, ...rest } = d.spec
    // Stored specs are parsed by one schema, so equal settings serialise in the same key order.
    const key = JSON.stringify(rest)
    byKey.set(key, [...(byKey.get(key) ?? []), d])
  }
  return [...byKey.entries()]
    .filter(([, members]) => members.length > 1)
    .map(([key, members]) => ({
      key,
      // The shared part of the names ("CNN · JunD · seed 42" → "CNN · JunD").
      name: members[0]!.name.replace(/\s*·\s*seed \d+$/, ''),
      count: members.length,
      auprc: meanSd(members.map((m) => m.metrics?.test.auprc)),
      auroc: meanSd(members.map((m) => m.metrics?.test.auroc)),
    }))
}
