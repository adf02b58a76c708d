/** Exact nearest neighbours for the core (the imbalance samplers). */
export * from './knn'
