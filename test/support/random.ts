/** Seeded uniform floats for tests, from the project's own RNG, so a failing case reproduces. */
import { Rng } from '../../src/core/random'

export function seededFloats(seed: number): () => number {
  const rng = Rng.seeded(seed)
  return () => rng.float()
}
