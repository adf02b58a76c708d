/**
 * Homology in the core: pairwise identity by alignment (./align), the short-word prefilter (./prefilter),
 * cd-hit-like greedy clustering and the external tools' cluster files (./cluster), and GraphPart-style
 * leak-free train / validation / test partitions with their leakage report (./partition).
 */
export * from './align'
export * from './prefilter'
export * from './cluster'
export * from './partition'
export * from './seeds'
