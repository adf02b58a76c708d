/**
 * The imbalance toolkit of the core: class and sample weights (./weights), the sampling strategies
 * (./strategy), random over/under-sampling, the SMOTE family, Tomek links, and resampling of the training
 * part only (./training). Every sampler: `new X({...options, seed}).fitResample(X [n, d] float32, y int32)`.
 */
export * from './weights'
export * from './base'
export * from './strategy'
export * from './random-samplers'
export * from './smote'
export * from './tomek'
export * from './training'
