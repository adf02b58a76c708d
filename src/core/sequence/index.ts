/**
 * Sequences inside SeqLab: alphabets and compact codes (./alphabet), and the per-batch encoders models read
 * (./encode). Gathered here so callers import from one place.
 */
export * from './alphabet'
export * from './encode'
