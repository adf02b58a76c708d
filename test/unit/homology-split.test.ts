/**
 * Homology splits in the app (src/app/datasets/homology-split.ts via createSplit): the protein demo's
 * families (small: 3 classes × 6 families × 6 members, ~150 residues) split at identity 0.3, then checked
 * independently of the partitioner: every held-out sequence aligned with every training sequence (core
 * `leakageReport`, full alignment, no filter) from the split AS STORED. Also: the report is stored and read
 * back, whole families stay on one side, the external-tool path (a stand-in `mmseqs` script that writes
 * mmseqs2's `_cluster.tsv`, so the test runs where mmseqs2 is not installed) and the tools' errors.
 * (The 2,000-protein exhaustive check is scripts/bench-homology.mjs: too slow for a unit test.)
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { storeProteinDemo } from '../../src/app/datasets/protein-demo'
import { createSplit, getSplit, storedAssignments } from '../../src/app/datasets/splits'
import { leakageReport } from '../../src/core/homology'
import { proteinDemo } from '../../src/core/demo/protein'
import { PROTEIN } from '../../src/core/sequence'
import { InputError } from '../../src/shared/errors'
import { newProject, tempDir } from '../fixtures/datasets/support'

const dir = tempDir('seqlab-homology-split-')
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const demo = { classes: 3, familiesPerClass: 6, membersPerFamily: 6, seed: 11 }

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error.code
    throw error
  }
  return 'no error'
}

describe('homology split of the protein demo', () => {
  const store = newProject(dir)
  const datasetId = storeProteinDemo(store, demo)
  const records = proteinDemo(demo)
  const seqs = records.map((r) => PROTEIN.toCodes(r.sequence))
  const { splitId, summary } = createSplit(store, datasetId, {
    method: 'homology',
    threshold: 0.3,
    val: 0.15,
    test: 0.15,
    seed: 3,
    tool: 'builtin',
    verify: 'auto',
  })

  it('stores a report: all held-out sequences checked, none at ≥ 0.3', () => {
    expect(summary.method).toBe('homology')
    const l = summary.leakage!
    expect(l).toMatchObject({ threshold: 0.3, tool: 'builtin', command: null, checked: 'all', above: 0 })
    expect(l.checkedSequences).toBe(l.heldOut)
    expect(l.maxIdentity!).toBeLessThan(0.3)
    expect(l.histogram.counts.reduce((a, b) => a + b, 0)).toBe(l.heldOut - l.droppedByVerify)
    expect(getSplit(store, splitId).leakage).toEqual(l)
    expect(getSplit(store, splitId).params).not.toHaveProperty('leakage')
  })

  it('the stored split passes the exhaustive check, and keeps families whole', () => {
    const { assignments } = storedAssignments(store, splitId, records.length)
    const report = leakageReport(seqs, assignments, 0.3)
    expect(report.above).toBe(0)
    expect(report.sequences.length).toBeGreaterThan(0.2 * records.length)
    const partsOfFamily = new Map<number, Set<number>>()
    records.forEach((r, i) => {
      if (assignments[i]! < 0) return
      const parts = partsOfFamily.get(r.family) ?? new Set<number>()
      parts.add(assignments[i]!)
      partsOfFamily.set(r.family, parts)
    })
    for (const parts of partsOfFamily.values()) expect(parts.size).toBe(1)
    // A random split of the same records leaks: most held-out proteins have a relative in training.
    const random = createSplit(store, datasetId, { method: 'stratified', val: 0.15, test: 0.15, seed: 3 })
    const randomParts = storedAssignments(store, random.splitId, records.length).assignments
    expect(leakageReport(seqs, randomParts, 0.3).above).toBeGreaterThan(0.8 * report.sequences.length)
  })

  it('reads the clusters of an external tool and says which ran', () => {
    // A stand-in for mmseqs2: every family (read from the record's id in the FASTA order) is one cluster.
    const fake = path.join(dir, 'mmseqs')
    const families = JSON.stringify(records.map((r) => r.family))
    fs.writeFileSync(
      fake,
      `#!${process.execPath}\nconst fs = require('fs'); const [, , , fasta, prefix] = process.argv;\n` +
        `const fam = ${families}; const ids = fs.readFileSync(fasta, 'utf8').split('\\n').filter(l => l.startsWith('>')).map(l => l.slice(1));\n` +
        `const rep = {}; ids.forEach((id, i) => { rep[fam[i]] ??= id });\n` +
        `fs.writeFileSync(prefix + '_cluster.tsv', ids.map((id, i) => rep[fam[i]] + '\\t' + id).join('\\n') + '\\n')\n`,
    )
    fs.chmodSync(fake, 0o755)
    const made = createSplit(
      store,
      datasetId,
      { method: 'homology', threshold: 0.3, val: 0.15, test: 0.15, seed: 3, tool: 'mmseqs', verify: 'all' },
      undefined,
      { findTool: (name) => (name === 'mmseqs' ? fake : null) },
    )
    const l = made.summary.leakage!
    expect(l.tool).toBe('mmseqs')
    expect(l.command).toMatch(/^mmseqs easy-cluster input\.fa mm tmp --min-seq-id 0\.3/)
    expect(l.groups).toBe(demo.classes * demo.familiesPerClass)
    expect(l.checked).toBe('all')
    const { assignments } = storedAssignments(store, made.splitId, records.length)
    expect(leakageReport(seqs, assignments, 0.3).above).toBe(0)
  })

  it('refuses a missing tool, cd-hit below 0.4 and a failing tool, each with its code', () => {
    const split = {
      method: 'homology',
      threshold: 0.3,
      val: 0.1,
      test: 0.1,
      seed: 1,
      verify: 'auto',
    } as const
    expect(
      codeOf(() =>
        createSplit(store, datasetId, { ...split, tool: 'mmseqs' }, undefined, { findTool: () => null }),
      ),
    ).toBe('splits.tool_missing')
    expect(
      codeOf(() =>
        createSplit(store, datasetId, { ...split, tool: 'cd-hit' }, undefined, {
          findTool: () => '/bin/true',
        }),
      ),
    ).toBe('splits.tool_threshold')
    expect(
      codeOf(() =>
        createSplit(store, datasetId, { ...split, tool: 'mmseqs' }, undefined, {
          findTool: () => '/bin/false',
        }),
      ),
    ).toBe('splits.tool_failed')
  })
})
