/**
 * Comparison statistics: how sure is a metric, and is one model really better than another (UI.md, "Numbers
 * that mean something"; issue 4, item 7).
 *
 * - Uncertainty of one model: `bootstrapCi` (stratified percentile bootstrap, Efron & Tibshirani 1993), or
 *   `meanSd` / `summariseSeeds` over repeated runs (seeds, folds).
 * - Two models on the same samples: `delongTest` (DeLong et al. 1988 by the fast algorithm of Sun & Xu 2014,
 *   AUROC only) and `pairedBootstrapTest` (any metric, e.g. AUPRC, which DeLong cannot test).
 * - Words: `isDifferenceReal`, `differenceVerdict` and, for several models against one reference,
 *   `verdictsAgainstReference` with Holm's correction (`holm`): codes and parameters the UI translates.
 *
 * Pure TypeScript; randomness only from the seed passed in. Bad labels or scores fail as the metrics do
 * (`metrics.bad_input`, `metrics.one_class`), bad options with `compare.bad_option`, a class too small for
 * the statistic with `compare.too_few`, a metric function giving NaN with `compare.undefined_metric`.
 */
export {
  bootstrapCi,
  pairedBootstrapTest,
  pairedP,
  quantileSorted,
  type BootstrapCi,
  type BootstrapOptions,
  type Metric,
  type MetricFunction,
  type PairedBootstrapResult,
  type ResampleOptions,
} from './bootstrap'
export { delongCovariance, delongTest, midranks, type DelongCovariance, type DelongResult } from './delong'
export { erfc, normalSf, twoSidedP } from './normal'
export { RankedScores } from './ranked'
export { meanSd, summariseSeeds, type MeanSd, type MetricSummary } from './summary'
export {
  differenceVerdict,
  formatP,
  holm,
  isDifferenceReal,
  verdictsAgainstReference,
  type Verdict,
  type VerdictCode,
  type VerdictOptions,
} from './verdict'
export { BAD_OPTION, TOO_FEW, UNDEFINED_METRIC } from './validate'
