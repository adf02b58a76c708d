/**
 * "What did the model learn" for DNA models (issue 4, item 11), as pure functions on arrays; the app runs the
 * model (tfjs) for activations, scores and gradients and the UI draws the results.
 *
 * - Filters as motifs: `filtersToPwms` (softmax of the kernel's columns) and `activationPwms` (the sites where
 *   a filter fires, counted: DeepBind / Basset).
 * - Motifs compared: `motifSimilarity` (Tomtom's column Pearson correlation, both strands, Gupta et al. 2007)
 *   and `matchToDatabase` (rank JASPAR matrices).
 * - One window explained: `inSilicoMutagenesis` (every substitution scored) and `saliencyFromGradients`.
 * - Drawing data: `sequenceLogo` (bits per position and letter heights).
 *
 * Matrices are `[4][length]`, rows A, C, G, T, as JASPAR's (./matrix). Bad input fails with `InputError`
 * codes `interpret.bad_matrix`, `interpret.bad_kernel`, `interpret.bad_activations`, `interpret.bad_sequence`,
 * `interpret.bad_scores`, `interpret.bad_gradients`, `interpret.bad_option`.
 */
export {
  activationPwms,
  filtersToPwms,
  type ActivationMotif,
  type ActivationPwmOptions,
  type FilterPwmOptions,
} from './filters'
export { sequenceLogo, type LogoColumn, type LogoLetter, type LogoOptions, type SequenceLogo } from './logo'
export {
  BAD_MATRIX,
  BAD_OPTION,
  checkMatrix,
  reverseComplementMatrix,
  toProbabilities,
  type BaseRows,
} from './matrix'
export {
  inSilicoMutagenesis,
  saliencyFromGradients,
  splitBatch,
  type CodesScorer,
  type Mutagenesis,
  type MutagenesisOptions,
  type Saliency,
  type SaliencyOptions,
} from './mutagenesis'
export {
  matchToDatabase,
  motifSimilarity,
  type DatabaseMatch,
  type Similarity,
  type SimilarityOptions,
} from './similarity'
