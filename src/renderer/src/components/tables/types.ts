/** The plain data of the metrics table (the views map the API's results onto these). */

/** A metric with its uncertainty: a bootstrap 95% CI (low, high) or an sd over seeds/folds. */
export interface MetricValue {
  value: number | null
  low?: number | null
  high?: number | null
  sd?: number | null
}

export interface MetricsRow {
  id: string
  name: string
  auprc: MetricValue
  auroc: MetricValue
  /** Positives / records of the part: the AUPRC of random guessing. */
  positiveRate: number | null
  f1?: MetricValue
  mcc?: MetricValue
  balancedAccuracy?: MetricValue
}

/** A paired test of one experiment against the best (e.g. bootstrap or DeLong on the AUPRC/AUROC). */
export interface BestComparison {
  /** This experiment minus the best; ≤ 0. */
  delta: number
  low?: number | null
  high?: number | null
  pValue?: number | null
  /** true: the difference is real; false: not distinguishable from chance; null: not tested. */
  real: boolean | null
}
