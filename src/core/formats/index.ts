/**
 * Streaming parsers of the files scientists bring: FASTA (plain, gzip, indexed), BED / narrowPeak and
 * delimited text. Each format has its own module; this one only gathers them.
 */
export * from './bytes'
export * from './fasta'
export * from './fai'
export * from './regions'
export * from './bed'
export * from './csv'
export * from './npy'
export * from './npz'
export * from './zip'
export * from './jaspar'
export * from './expression'
export * from './mtx'
export * from './pairs'
