/**
 * Calls of "What did the model learn" (issue 4, view 11) for a CNN on one-hot DNA: its first-layer filters
 * as sequence logos, each matched against a JASPAR collection, and for one window the in-silico mutagenesis
 * map and the per-base saliency. Merged into `calls` by `contract.ts`; implemented by
 * `src/app/interpret/handlers.ts` with the core's functions (`src/core/interpret`).
 *
 * Matrices are `[4][width]`, rows A, C, G, T (JASPAR's layout); per-base maps are `[length][4]`, columns
 * A, C, G, T.
 */
import { z } from 'zod'

const FileRef = z.object({ id: z.string().min(1).max(200), name: z.string() })
const ProjectId = z.string().min(1).max(200)
const ExperimentId = z.number().int().positive()
const Base = z.enum(['A', 'C', 'G', 'T'])

export const MotifMatch = z.object({
  /** JASPAR matrix id with version, e.g. `MA0491.1`, and the factor's name. */
  id: z.string(),
  name: z.string(),
  /** Mean column Pearson correlation of the best alignment (Tomtom's PCC), −1 … 1. */
  score: z.number(),
  offset: z.number().int(),
  strand: z.enum(['+', '-']),
  overlap: z.number().int(),
})
export type MotifMatch = z.infer<typeof MotifMatch>

export const LogoColumn = z.object({
  /** Bits. */
  information: z.number(),
  /** Smallest first: stack them from the bottom in this order. */
  letters: z.array(z.object({ letter: Base, probability: z.number(), height: z.number() })),
})
export type LogoColumn = z.infer<typeof LogoColumn>

export const FilterMotif = z.object({
  /** 0-based filter number in the first convolution. */
  index: z.number().int(),
  /** Base probabilities `[4][width]`. */
  pwm: z.array(z.array(z.number())),
  logo: z.array(LogoColumn),
  /** Sum of the columns' information, bits. */
  information: z.number(),
  /** Activation method: windows where the filter fired (null for the weights method). */
  sites: z.number().int().nullable(),
  /** The best JASPAR matrices, best first. */
  matches: z.array(MotifMatch),
})
export type FilterMotif = z.infer<typeof FilterMotif>

const InterpretRef = { projectId: ProjectId, experimentId: ExperimentId }

export const interpretCalls = {
  /**
   * Every first-layer filter as a motif (`activations`: the sites in the test windows where it fires above
   * half its maximum, counted, as DeepBind and Basset do; `weights`: the softmax of its kernel's columns),
   * its logo, and its closest JASPAR matrices: the shipped JASPAR 2016 collection, or the file `motifs`.
   */
  'interpret.filters': {
    input: z
      .object({
        ...InterpretRef,
        method: z.enum(['activations', 'weights']).default('activations'),
        motifs: FileRef.optional(),
        top: z.number().int().min(1).max(10).default(3),
      })
      .strict(),
    output: z.object({
      method: z.enum(['activations', 'weights']),
      /** Filter width (kernel size) = every logo's length. */
      width: z.number().int(),
      /** Windows the activation method read (0 for weights). */
      windows: z.number().int(),
      database: z.object({ name: z.string(), matrices: z.number().int(), builtIn: z.boolean() }),
      filters: z.array(FilterMotif),
    }),
  },
  /** The highest-scoring windows of a part (test by default), to pick one for mutagenesis. */
  'interpret.windows': {
    input: z
      .object({
        ...InterpretRef,
        part: z.enum(['val', 'test']).default('test'),
        limit: z.number().int().min(1).max(200).default(20),
      })
      .strict(),
    output: z.object({
      windows: z.array(
        z.object({
          record: z.number().int(),
          recordId: z.string().nullable(),
          label: z.number(),
          score: z.number(),
          sequence: z.string(),
        }),
      ),
    }),
  },
  /**
   * One window explained: every single-base substitution scored (in-silico mutagenesis, `deltas`: score
   * change, 0 at the base present) and the gradient × input saliency of each base. The window is a record
   * of the data set, or a pasted sequence of the model's window length.
   */
  'interpret.mutagenesis': {
    input: z
      .object({
        ...InterpretRef,
        window: z.union([
          z.object({ record: z.number().int().min(0) }).strict(),
          z.object({ sequence: z.string().min(1).max(20_000) }).strict(),
        ]),
      })
      .strict(),
    output: z.object({
      sequence: z.string(),
      record: z.number().int().nullable(),
      recordId: z.string().nullable(),
      label: z.number().nullable(),
      /** The model's score of the window as given. */
      score: z.number(),
      /** `[length][4]`: score with that base − score as given. */
      deltas: z.array(z.array(z.number())),
      /** Per position, the mean drop over its substitutions (high: a change there hurts the score). */
      mutagenesis: z.array(z.number()),
      /** Per position, gradient × input (the centred gradient at the base present). */
      saliency: z.array(z.number()),
    }),
  },
} as const
