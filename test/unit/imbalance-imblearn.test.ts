/**
 * The samplers of src/core/imbalance against imbalanced-learn 0.10 (test/fixtures/imbalance/samplers.json,
 * made by scripts/fixtures/make_imbalance_fixtures.py). numpy's random streams cannot be reproduced, so:
 * (a) the deterministic parts exactly — per-class targets of every strategy, class counts after resampling,
 * Borderline's DANGER sets, ADASYN's r_i and g_i, Tomek links, SMOTE's kNN sets; (b) the random parts by
 * construction — every synthetic point lies on a segment between a record and one of the neighbours imblearn
 * itself lists for it.
 */
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  ADASYN,
  BorderlineSMOTE,
  RandomOverSampler,
  RandomUnderSampler,
  SMOTE,
  SMOTETomek,
  TomekLinks,
  classCounts,
  resolveStrategy,
  type Level,
  type Resampled,
  type Sampler,
  type SamplingKind,
} from '../../src/core/imbalance'
import { kNeighbors } from '../../src/core/neighbors/knn'
import { InputError } from '../../src/shared/errors'

type Outcome<T> =
  { value: T; error?: undefined } | { value?: undefined; error: { type: string; message: string } }
interface Dataset {
  X: number[]
  d: number
  y: number[]
  strategies: Record<'over' | 'under' | 'clean', Record<string, unknown>>
  targets: Record<'over' | 'under' | 'clean', Record<string, Outcome<Record<string, number>>>>
  cases: Record<string, Record<string, Outcome<{ counts: Record<string, number>; n: number }>>>
  smote_knn: Record<string, number[][]>
  danger_m10: Record<string, boolean[]>
  danger_m5: Record<string, boolean[]>
  adasyn: Record<
    string,
    Record<string, { n_samples: number; ratio: number[]; g: number[] } | { error: string }>
  >
  tomek: { auto: number[]; all: number[]; pairs: [number, number][] }
}
const fixture = JSON.parse(
  readFileSync(path.resolve(__dirname, '../fixtures/imbalance/samplers.json'), 'utf8'),
) as { meta: Record<string, string>; datasets: Record<string, Dataset> }

/** The strategy of a fixture label in SeqLab's terms: the level labels become the level form. */
function strategyOf(ds: Dataset, kind: 'over' | 'under' | 'clean', label: string): unknown {
  const m = /^level (\+\d+%)$/.exec(label)
  return m ? { level: m[1] as Level } : ds.strategies[kind][label]
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof InputError) return e.code
    throw e
  }
  return undefined
}

function countsOf(y: Int32Array): Record<string, number> {
  const { classes, counts } = classCounts(y)
  return Object.fromEntries(classes.map((c, i) => [String(c), counts[i]!]))
}

const KINDS: Record<'over' | 'under' | 'clean', SamplingKind> = {
  over: 'over-sampling',
  under: 'under-sampling',
  clean: 'clean-sampling',
}

/** Is p = a + t (b − a) for some t ∈ [0, tMax]? (float32 rounding tolerated) */
function onSegment(p: Float32Array, a: Float32Array, b: Float32Array, tMax = 1): boolean {
  let dd = 0
  let dp = 0
  for (let l = 0; l < p.length; l++) {
    dd += (b[l]! - a[l]!) ** 2
    dp += (p[l]! - a[l]!) * (b[l]! - a[l]!)
  }
  const t = dd === 0 ? 0 : dp / dd
  if (t < -1e-6 || t > tMax + 1e-6) return false
  for (let l = 0; l < p.length; l++) {
    const expected = a[l]! + t * (b[l]! - a[l]!)
    if (Math.abs(p[l]! - expected) > 1e-5 * (1 + Math.abs(expected))) return false
  }
  return true
}

for (const [name, ds] of Object.entries(fixture.datasets)) {
  const X = Float32Array.from(ds.X)
  const y = Int32Array.from(ds.y)
  const d = ds.d
  const row = (M: Float32Array, i: number): Float32Array => M.subarray(i * d, (i + 1) * d)
  const classRows = (label: number): number[] => [...y.keys()].filter((i) => y[i] === label)

  describe(`${name} against imblearn ${fixture.meta.imblearn}`, () => {
    it('sampling strategies: the same per-class targets, or an error where imblearn raises', () => {
      for (const kind of ['over', 'under', 'clean'] as const) {
        for (const [label, expected] of Object.entries(ds.targets[kind])) {
          const strategy = strategyOf(ds, kind, label)
          if (expected.error) {
            expect(
              codeOf(() => resolveStrategy(strategy, classCounts(y), KINDS[kind])),
              label,
            ).toBe('imbalance.bad_param')
          } else {
            const ours = resolveStrategy(strategy, classCounts(y), KINDS[kind])
            expect(Object.fromEntries([...ours].map(([c, n]) => [String(c), n])), `${kind} ${label}`).toEqual(
              expected.value,
            )
          }
        }
      }
    })

    const makers: Record<string, (s: unknown) => Sampler> = {
      RandomOverSampler: (s) => new RandomOverSampler({ samplingStrategy: s as never, seed: 1 }),
      'RandomOverSampler(shrinkage)': (s) =>
        new RandomOverSampler({ samplingStrategy: s as never, seed: 1, shrinkage: 1 }),
      SMOTE: (s) => new SMOTE({ samplingStrategy: s as never, seed: 1 }),
      'BorderlineSMOTE-1': (s) => new BorderlineSMOTE({ samplingStrategy: s as never, seed: 1 }),
      'BorderlineSMOTE-2': (s) =>
        new BorderlineSMOTE({ samplingStrategy: s as never, seed: 1, kind: 'borderline-2' }),
      ADASYN: (s) => new ADASYN({ samplingStrategy: s as never, seed: 1 }),
      RandomUnderSampler: (s) => new RandomUnderSampler({ samplingStrategy: s as never, seed: 1 }),
      TomekLinks: (s) => new TomekLinks({ samplingStrategy: s as never }),
      SMOTETomek: (s) => new SMOTETomek({ samplingStrategy: s as never, seed: 1 }),
    }
    const kindOf = (sampler: string): 'over' | 'under' | 'clean' =>
      sampler === 'RandomUnderSampler' ? 'under' : sampler === 'TomekLinks' ? 'clean' : 'over'

    for (const [samplerName, cases] of Object.entries(ds.cases)) {
      it(`${samplerName}: class counts after resampling, for every strategy`, () => {
        const kind = kindOf(samplerName)
        for (const [label, expected] of Object.entries(cases)) {
          const strategy = strategyOf(ds, kind, label)
          const run = (): Resampled => makers[samplerName]!(strategy).fitResample(X, y)
          if (label === 'minority' && kind === 'over') {
            // imblearn 0.10.0's parameter check refuses 'minority' (fixed in 0.10.1); its semantics (the
            // targets above) are what we follow. Checked below through the strategy's targets.
            expect(expected.error?.type).toBe('InvalidParameterError')
            continue
          }
          if (expected.error) {
            expect(codeOf(run), `${samplerName} ${label}`).toMatch(/^imbalance\./)
            continue
          }
          const out = run()
          const ours = countsOf(out.y)
          if (samplerName === 'BorderlineSMOTE-2') {
            // imblearn's two parts add up to n or n − 1; ours to exactly n (the count of borderline-1).
            expect(ours).toEqual(ds.cases['BorderlineSMOTE-1']![label]!.value!.counts)
            for (const [c, n] of Object.entries(expected.value.counts))
              expect(ours[c]! - n).toBeGreaterThanOrEqual(0)
            for (const [c, n] of Object.entries(expected.value.counts))
              expect(ours[c]! - n).toBeLessThanOrEqual(1)
          } else if (samplerName === 'SMOTETomek') {
            // The cleaning acts on random synthetic points: only bounded by SMOTE's counts.
            const smote = ds.cases.SMOTE![label]!.value!.counts
            for (const [c, n] of Object.entries(smote)) expect(ours[c]!).toBeLessThanOrEqual(n)
            expect(out.y.length).toBe(out.X.length / d)
          } else {
            expect(ours, `${samplerName} ${label}`).toEqual(expected.value.counts)
          }
          expect(out.X.length).toBe(out.y.length * d)
          expect(out.sampleIndices.length).toBe(out.y.length)
          expect(out.synthetic.length).toBe(out.y.length)
        }
      })
    }

    it("'minority' over-samples the minority class only, as check_sampling_strategy defines", () => {
      const add = ds.targets.over.minority!.value!
      const out = new SMOTE({ samplingStrategy: 'minority', seed: 2 }).fitResample(X, y)
      const before = countsOf(y)
      const after = countsOf(out.y)
      for (const c of Object.keys(before)) expect(after[c]).toBe(before[c]! + (add[c] ?? 0))
    })

    it("Borderline-SMOTE's DANGER sets (m = 10 and m = 5) equal imblearn's", () => {
      for (const [m, sets] of [
        [10, ds.danger_m10],
        [5, ds.danger_m5],
      ] as const) {
        const ours = new BorderlineSMOTE({ samplingStrategy: 'all', mNeighbors: m, seed: 0 }).dangerSets(X, y)
        for (const [c, mask] of Object.entries(sets)) {
          expect(Array.from(ours.get(Number(c))!, Boolean), `m=${m} class ${c}`).toEqual(mask)
        }
      }
    })

    it("ADASYN's ratios r_i and rounded counts g_i equal imblearn's exactly", () => {
      for (const [label, perClass] of Object.entries(ds.adasyn)) {
        const strategy = ds.strategies.over[label]
        const ours = new ADASYN({ samplingStrategy: strategy as never, seed: 0 }).allocation(X, y)
        for (const [c, expected] of Object.entries(perClass)) {
          if ('error' in expected) continue
          const a = ours.get(Number(c))!
          expect(Array.from(a.counts), `${label} class ${c}`).toEqual(expected.g)
          expect(Array.from(a.ratio)).toEqual(expected.ratio)
        }
      }
    })

    it('Tomek links and the records removed equal imblearn’s', () => {
      expect(TomekLinks.pairs(X, y)).toEqual(ds.tomek.pairs)
      for (const s of ['auto', 'all'] as const) {
        const removed = new TomekLinks({ samplingStrategy: s }).removed(X, y)
        expect([...removed.keys()].filter((i) => removed[i])).toEqual(ds.tomek[s])
      }
    })

    it("SMOTE's kNN sets equal imblearn's (by coordinates where exact duplicates tie)", () => {
      for (const [c, sets] of Object.entries(ds.smote_knn)) {
        const rows = classRows(Number(c))
        const Xc = Float32Array.from(rows.flatMap((i) => Array.from(row(X, i))))
        const ours = kNeighbors(Xc, d, { k: 5 }).indices
        sets.forEach((theirs, q) => {
          const mine = Array.from(ours.subarray(q * 5, q * 5 + 5))
          if (name === 'duplicates') {
            const key = (j: number): string => Array.from(row(Xc, j)).join(',')
            expect(mine.map(key).sort()).toEqual(theirs.map(key).sort())
          } else {
            expect(mine).toEqual(theirs)
          }
        })
      }
    })

    it('every SMOTE, Borderline-1 and ADASYN point lies on a segment to one of imblearn’s neighbours', () => {
      const checks: [Sampler, (label: number, q: number) => boolean][] = [
        [new SMOTE({ seed: 5 }), () => true],
        [new BorderlineSMOTE({ seed: 5 }), (label, q) => ds.danger_m10[String(label)]![q]!],
        [new ADASYN({ seed: 5 }), () => true],
      ]
      for (const [sampler, isBase] of checks) {
        let out: Resampled
        try {
          out = sampler.fitResample(X, y)
        } catch (e) {
          // ADASYN on a class no record of which has another class near: as imblearn, an error.
          expect((e as InputError).code).toBe('imbalance.no_hard_samples')
          continue
        }
        let synthetic = 0
        for (let r = y.length; r < out.y.length; r++) {
          expect(out.synthetic[r]).toBe(1)
          expect(out.sampleIndices[r]).toBe(-1)
          const label = out.y[r]!
          const rows = classRows(label)
          const knn = ds.smote_knn[String(label)]!
          const p = row(out.X, r)
          const found = rows.some(
            (i, q) => isBase(label, q) && knn[q]!.some((j) => onSegment(p, row(X, i), row(X, rows[j]!))),
          )
          expect(found, `${sampler.name} row ${r}`).toBe(true)
          synthetic++
        }
        expect(synthetic).toBeGreaterThan(0)
        // The input comes first, unchanged.
        expect(out.X.subarray(0, X.length)).toEqual(X)
        expect(Array.from(out.synthetic.subarray(0, y.length)).every((v) => v === 0)).toBe(true)
      }
    })

    it('Borderline-2 points: towards a class neighbour (t ≤ 1) or an other-class neighbour (t ≤ 0.5)', () => {
      const out = new BorderlineSMOTE({ kind: 'borderline-2', seed: 9 }).fitResample(X, y)
      for (let r = y.length; r < out.y.length; r++) {
        const label = out.y[r]!
        const rows = classRows(label)
        const others = [...y.keys()].filter((i) => y[i] !== label)
        const Xo = Float32Array.from(others.flatMap((i) => Array.from(row(X, i))))
        const knn = ds.smote_knn[String(label)]!
        const p = row(out.X, r)
        const found = rows.some((i, q) => {
          if (!ds.danger_m10[String(label)]![q]) return false
          if (knn[q]!.some((j) => onSegment(p, row(X, i), row(X, rows[j]!)))) return true
          const near = kNeighbors(Xo, d, { k: 5, queries: row(X, i) }).indices
          return Array.from(near).some((j) => onSegment(p, row(X, i), row(X, others[j]!), 0.5))
        })
        expect(found, `row ${r}`).toBe(true)
      }
    })
  })
}
