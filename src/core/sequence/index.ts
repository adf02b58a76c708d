/**
 * Sequences inside SeqLab: alphabets and compact codes (./alphabet), and the per-batch encoders models read
 * (./encode), protein composition features (./protein-features). Gathered here so callers import from one place.
 */
export * from './alphabet'
export * from './encode'
export * from './protein-features'
