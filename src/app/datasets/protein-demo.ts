/**
 * Stores the core's protein demo (src/core/demo/protein.ts: classes of protein families made by mutation)
 * as a multi-class protein data set, one transaction; the record id names class, family and member, and
 * the family is kept as the record's group (so a split by family, or a check of one, can read it).
 */
import { proteinDemo, type ProteinDemoOptions } from '../../core/demo/protein'
import type { ProjectStore } from '../store/project-store'
import { RecordStaging } from './records'

export function storeProteinDemo(store: ProjectStore, options: ProteinDemoOptions = {}): number {
  const records = proteinDemo(options)
  const classes = [...new Set(records.map((r) => r.label))]
  const staging = new RecordStaging(store)
  try {
    for (const r of records) {
      staging.add({
        at: { file: 'protein demo', record: staging.records + 1 },
        recordId: r.id,
        sequence: r.sequence,
        label: r.label,
        weight: null,
        group: `family${r.family + 1}`,
        chrom: null,
        start: null,
        end: null,
      })
    }
    return staging.commit({
      name: 'Protein families demo (by mutation)',
      alphabet: 'protein',
      labelKind: 'multiclass',
      labelSet: classes,
      seqLength: null,
      source: { importer: 'demo', generator: 'protein', ...options },
    })
  } finally {
    staging.dispose()
  }
}
