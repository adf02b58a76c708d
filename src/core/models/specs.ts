/**
 * Model specs: one JSON-serialisable, zod-validated description per model kind, whose defaults are the seed
 * recipes (DESIGN.md, "Reference tasks"). The experiment spec of the CLI, the UI and the cluster runner embeds
 * `ModelSpec`, so a stored experiment says exactly which model ran; the builders (`build.ts`, `pwm.ts`) turn a
 * spec into something that predicts.
 *
 * Why zod with defaults: a user (or an old stored experiment) may give only `{kind: 'cnn'}`; parsing fills in
 * the seed recipe, and a bad value becomes an `InputError` with code `model.bad_param` naming the parameter,
 * which the UI shows next to the field.
 *
 * What the input is (flattened one-hot, k-mer counts, an embedding) belongs to the data spec, not here: the
 * builders take the sample shape the data gives them.
 */
import { z } from 'zod'
import { InputError } from '../../shared/errors'

/** The code of every invalid model or training parameter. */
export const BAD_PARAM = 'model.bad_param'

/**
 * Number of classes: 2 gives one sigmoid unit (binary, the TF-binding task); k > 2 gives a softmax over k
 * units, with labels 0..k-1.
 */
const NumClasses = z.number().int().min(2).max(1000).default(2)
/** L2 penalty on the kernels (λ·Σw², Keras' `l2`); 0 = none. */
const L2 = z.number().min(0).max(10).default(0)
/** Dropout rate in [0, 1): 0 removes the layer (the seed's "no dropout" ablation). */
const Dropout = z.number().min(0).lt(1)

/** Logistic regression: one dense unit on the (flattened) input, sigmoid (softmax for k classes). */
export const LogregSpec = z
  .object({
    kind: z.literal('logreg'),
    l2: L2,
    numClasses: NumClasses,
  })
  .strict()
export type LogregSpec = z.infer<typeof LogregSpec>

/**
 * Multi-layer perceptron, the protein seed's 3×200: each hidden layer is dense → batch norm → ReLU → dropout,
 * then a sigmoid (softmax) output. The seed does not state its dropout rate; the default is 0.3, not the CNN's
 * 0.5, because batch norm already regularises and rates of 0.2–0.3 are the usual companion of batch norm on
 * small tabular inputs (embeddings of a few thousand proteins); 0.5 is one parameter away. Dense layers that
 * feed a batch norm have no bias (the norm's β replaces it).
 */
export const MlpSpec = z
  .object({
    kind: z.literal('mlp'),
    hidden: z.array(z.number().int().min(1).max(8192)).min(1).max(16).default([200, 200, 200]),
    batchNorm: z.boolean().default(true),
    dropout: Dropout.default(0.3),
    l2: L2,
    numClasses: NumClasses,
  })
  .strict()
export type MlpSpec = z.infer<typeof MlpSpec>

/**
 * The seed CNN (DeepChem's JunD tutorial): `layers` × conv1d (`filters` filters of width `kernelSize`,
 * 'same' padding, ReLU), each followed by dropout; flatten; dense sigmoid. Input [length, channels] (one-hot
 * DNA: [101, 4]).
 */
export const CnnSpec = z
  .object({
    kind: z.literal('cnn'),
    filters: z.number().int().min(1).max(1024).default(15),
    kernelSize: z.number().int().min(1).max(512).default(10),
    layers: z.number().int().min(1).max(16).default(3),
    dropout: Dropout.default(0.5),
    /**
     * How the convolutions meet the output: `flatten` (the seed: a dense weight per position, so a motif is
     * learned where it occurs in the training windows) or `globalMax` (each filter's best match anywhere in
     * the window: position-invariant, far fewer weights, learns a motif at any place from little data).
     */
    head: z.enum(['flatten', 'globalMax']).default('flatten'),
    l2: L2,
    numClasses: NumClasses,
  })
  .strict()
export type CnnSpec = z.infer<typeof CnnSpec>

/**
 * The motif-scan baseline: the best log-odds match of one JASPAR matrix in the window, on both strands.
 * Nothing is trained; the score is a log-odds, not a probability (ranking metrics only).
 */
export const PwmSpec = z
  .object({
    kind: z.literal('pwm'),
    /** JASPAR matrix id with version, e.g. `MA0491.1` (JUND). */
    motifId: z.string().min(1).max(100),
    /** Total pseudocount per column (TFBSTools' default 0.8). */
    pseudocount: z.number().min(0).max(1000).default(0.8),
    bothStrands: z.boolean().default(true),
  })
  .strict()
export type PwmSpec = z.infer<typeof PwmSpec>

/**
 * Convolution blocks of the NEPDF image models: each block is conv 3×3 'same' → ReLU → conv 3×3 'valid' →
 * ReLU → max-pool 2×2 → dropout, with the block's number of filters (CNNC: 32, 64, 128). A 32×32 image
 * shrinks 32 → 15 → 6 → 2 over three blocks, so at most three fit.
 */
const ConvBlocks = z.array(z.number().int().min(1).max(1024)).min(1).max(3)
/** Dense layers after the convolutions (each dense → ReLU → dropout). */
const DenseUnits = z.array(z.number().int().min(1).max(8192)).min(1).max(4)

/**
 * CNNC (Yuan & Bar-Joseph, PNAS 2019, `train_with_labels_three_foldx.py`): one NEPDF image [32, 32, 1] →
 * conv blocks 32-32 / 64-64 / 128-128 (each: max-pool, dropout 0.25) → flatten → dense 512 → dropout 0.5 →
 * sigmoid (2 classes) or softmax (3 classes: none, a→b, b→a). The defaults are CNNC's sizes.
 */
export const CnncSpec = z
  .object({
    kind: z.literal('cnnc'),
    filters: ConvBlocks.default([32, 64, 128]),
    dense: DenseUnits.default([512]),
    convDropout: Dropout.default(0.25),
    dropout: Dropout.default(0.5),
    l2: L2,
    numClasses: NumClasses,
  })
  .strict()
export type CnncSpec = z.infer<typeof CnncSpec>

/**
 * DeepDRIM (Chen et al., Brief. Bioinform. 2021): the input is the pair's primary NEPDF image followed by its
 * 2n + 2 neighbour images, [2n + 3, 32, 32] (image 0 primary; see core/grn/neighbors.ts for the order).
 * The primary image has its own CNN branch; ONE CNN with shared weights reads every neighbour image (the
 * images are folded into the batch, so the same kernels see each of them); the flattened outputs are
 * concatenated → dense 512 → dropout → dense 128 → dropout → sigmoid. `neighbours` is n (DeepDRIM: 10): the
 * data encoder builds that many per gene, and the builder checks the input has 2n + 3 images.
 */
export const DeepdrimSpec = z
  .object({
    kind: z.literal('deepdrim'),
    neighbours: z.number().int().min(1).max(100).default(10),
    primaryFilters: ConvBlocks.default([32, 64, 128]),
    neighbourFilters: ConvBlocks.default([32, 64, 128]),
    /** Units of a dense layer applied to each neighbour image's features (shared); 0 = none (flatten only). */
    neighbourUnits: z.number().int().min(0).max(4096).default(0),
    /**
     * `own` (DeepDRIM): the primary image has a CNN of its own (`primaryFilters`). `shared`: the primary image
     * goes through the neighbour CNN too, so its features and every neighbour's are comparable one to one
     * (the dense layers can tell whether the pair looks stronger than the partners' best neighbours).
     */
    primaryBranch: z.enum(['own', 'shared']).default('own'),
    dense: DenseUnits.default([512, 128]),
    convDropout: Dropout.default(0.25),
    dropout: Dropout.default(0.5),
    l2: L2,
    numClasses: NumClasses,
  })
  .strict()
export type DeepdrimSpec = z.infer<typeof DeepdrimSpec>

export const NeuralModelSpec = z.discriminatedUnion('kind', [
  LogregSpec,
  MlpSpec,
  CnnSpec,
  CnncSpec,
  DeepdrimSpec,
])
export type NeuralModelSpec = z.infer<typeof NeuralModelSpec>
/** What a caller may write: every field but `kind` may be left out. */
export type NeuralModelSpecInput = z.input<typeof NeuralModelSpec>

export const ModelSpec = z.discriminatedUnion('kind', [
  LogregSpec,
  MlpSpec,
  CnnSpec,
  CnncSpec,
  DeepdrimSpec,
  PwmSpec,
])
export type ModelSpec = z.infer<typeof ModelSpec>
export type ModelSpecInput = z.input<typeof ModelSpec>
export type ModelKind = ModelSpec['kind']

/** Throws `model.bad_param` naming the parameter of the first problem zod found. */
export function badParamFromZod(error: z.ZodError, prefix = ''): InputError {
  const issue = error.issues[0]
  const path = issue?.path.map(String).join('.') ?? ''
  const param = prefix + (path || 'spec')
  const message = issue?.message ?? 'invalid value'
  return new InputError(BAD_PARAM, `Invalid model parameter '${param}': ${message}`, {
    expected: issue?.code === 'invalid_union' ? 'kind: logreg, mlp, cnn, cnnc, deepdrim or pwm' : undefined,
    params: { param },
  })
}

/** A hand-checked parameter outside zod (shapes, seeds): `model.bad_param` naming it. */
export function badParam(param: string, expected: string, found: unknown): InputError {
  return new InputError(BAD_PARAM, `Invalid model parameter '${param}': expected ${expected}`, {
    expected,
    found: typeof found === 'string' ? found : JSON.stringify(found),
    params: { param },
  })
}

/** Validates a model spec and fills in the seed recipe's defaults. */
export function parseModelSpec(input: unknown): ModelSpec {
  const parsed = ModelSpec.safeParse(input)
  if (!parsed.success) throw badParamFromZod(parsed.error)
  return parsed.data
}

/** As `parseModelSpec`, for the kinds that are TensorFlow.js models (not `pwm`). */
export function parseNeuralModelSpec(input: unknown): NeuralModelSpec {
  const parsed = NeuralModelSpec.safeParse(input)
  if (!parsed.success) throw badParamFromZod(parsed.error)
  return parsed.data
}
