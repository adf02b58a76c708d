/**
 * Gene regulatory networks from single-cell expression (issue 8): CNNC's NEPDF pair images (Yuan &
 * Bar-Joseph, PNAS 2019), DeepDRIM's neighbour images (Chen et al., Brief. Bioinform. 2021), TF-aware
 * folds, BEELINE-style network metrics and the simulated network of the demo. Each has its own module; this
 * one gathers them. Expression matrices and pair files are read by `formats/expression`, `formats/mtx` and
 * `formats/pairs`.
 */
export * from './nepdf'
export * from './neighbors'
export * from './folds'
export * from './metrics'
export * from './simulator'
