/**
 * Predict's limits, in a module without zod so the renderer can check them before it calls (the contract
 * modules are imported by the renderer as types only).
 */

/** Pasted text stays under the web bridge's 1 MB call limit; larger inputs are chosen as a file. */
export const MAX_PASTED_CHARS = 900_000
/** Windows (or sequences) one prediction scores at most: beyond it, a larger stride or a smaller region. */
export const MAX_PREDICT_ITEMS = 5_000_000
/** Points of a score track sent to the chart at most (the maximum of each bin, so peaks stay visible). */
export const MAX_TRACK_POINTS = 20_000
