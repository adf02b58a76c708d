/**
 * The motif-scan baseline as a predictor: each window's score is its best log-odds match to one JASPAR
 * matrix, on both strands (`bestMatchScore` of src/core/formats/jaspar.ts). Nothing is trained.
 *
 * Why a predictor over one-hot batches: it then reads the same `BatchSource` as the CNN and goes through the
 * same evaluation, so the comparison table treats it like any model. A one-hot row that is not exactly one
 * 1 and three 0s (N, an IUPAC code: all-zero rows) is read as an unknown base, and windows holding one are
 * skipped by the scan as FIMO skips them.
 *
 * A window with no scorable position at all (shorter than the motif, or N everywhere) would score -Infinity,
 * which the ranking metrics refuse; it gets `UNSCORABLE`, the lowest finite float32, which ranks it last.
 */
import { bestMatchScore, toLogOdds, type BaseRows, type MotifCounts } from '../formats/jaspar'
import { InputError } from '../../shared/errors'
import { batchCount, type Predictor } from './predictor'
import { badParamFromZod, PwmSpec } from './specs'
import type { z } from 'zod'

/** Score of a window that holds no scorable motif position (the lowest finite float32). */
export const UNSCORABLE = -3.4028234663852886e38

/** The code of an unknown base (N), as in src/core/sequence/alphabet.ts. */
const UNKNOWN = 4

export interface PwmPredictor extends Predictor {
  readonly motif: MotifCounts
  readonly logOdds: BaseRows
  /** The score of one window given as base codes (0..3 = A, C, G, T, anything else unknown). */
  scoreCodes(codes: ArrayLike<number>): number
}

export interface PwmOptions {
  /** Motifs to choose from by `spec.motifId` (e.g. read with `readJasparWil`). */
  motifs: readonly MotifCounts[]
  /** Window shape [length, 4] of the one-hot batches `predict` takes. */
  sampleShape: readonly number[]
}

export function createPwmPredictor(spec: z.input<typeof PwmSpec>, options: PwmOptions): PwmPredictor {
  const parsed = PwmSpec.safeParse(spec)
  if (!parsed.success) throw badParamFromZod(parsed.error)
  const { motifId, pseudocount, bothStrands } = parsed.data
  const motif = options.motifs.find((m) => m.id === motifId)
  if (!motif) {
    throw new InputError('model.unknown_motif', `No motif matrix with the id ${motifId}`, {
      expected: options.motifs.length
        ? options.motifs
            .slice(0, 5)
            .map((m) => m.id)
            .join(', ') + (options.motifs.length > 5 ? ', …' : '')
        : 'a motif file with matrices',
      found: motifId,
      params: { param: 'motifId' },
    })
  }
  const shape = options.sampleShape
  if (shape.length !== 2 || shape[1] !== 4 || !Number.isInteger(shape[0]) || shape[0]! < 1) {
    throw new InputError('model.bad_param', 'The motif scan reads one-hot DNA windows [length, 4]', {
      expected: '[length, 4]',
      found: JSON.stringify(shape),
      params: { param: 'inputShape' },
    })
  }
  const length = shape[0]!
  const logOdds = toLogOdds(motif.counts, { pseudocount })
  const scoreCodes = (codes: ArrayLike<number>): number => {
    const s = bestMatchScore(logOdds, codes, { bothStrands })
    return Number.isFinite(s) ? s : UNSCORABLE
  }
  return {
    motif,
    logOdds,
    sampleShape: [length, 4],
    outputsPerSample: 1,
    scoreCodes,
    predict(x: Float32Array): Float32Array {
      const n = batchCount(x, [length, 4])
      const out = new Float32Array(n)
      const codes = new Uint8Array(length)
      for (let i = 0; i < n; i++) {
        oneHotToCodes(x, i * length * 4, codes)
        out[i] = scoreCodes(codes)
      }
      return out
    },
  }
}

/** Decodes one one-hot window starting at `offset` into `codes`; rows other than a single 1 are unknown. */
function oneHotToCodes(x: Float32Array, offset: number, codes: Uint8Array): void {
  for (let p = 0; p < codes.length; p++) {
    const o = offset + 4 * p
    const a = x[o]!
    const c = x[o + 1]!
    const g = x[o + 2]!
    const t = x[o + 3]!
    let code = UNKNOWN
    if (a + c + g + t === 1) {
      if (a === 1) code = 0
      else if (c === 1) code = 1
      else if (g === 1) code = 2
      else if (t === 1) code = 3
    }
    codes[p] = code
  }
}
