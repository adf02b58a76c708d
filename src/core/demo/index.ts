/**
 * Deterministic demo data sets the project generates itself (DESIGN.md: "Demo data is generated
 * deterministically by the project"). This module only gathers them.
 */
export * from './markov'
export * from './tf-binding'
