/**
 * Splits of a data set into train / validation / test parts or cross-validation folds: pure functions from
 * labels, chromosomes or groups (and a seed) to one small integer per record, with a summary. Each kind has
 * its own module; this one gathers them.
 */
export * from './labels'
export * from './summary'
export * from './stratified'
export * from './chromosome'
export * from './kfold'
