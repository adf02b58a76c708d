/**
 * The upper tail of the standard normal distribution, for the p-values of z statistics (DeLong's test).
 *
 * Why our own: the core has no statistics library, and a p-value at z = 8 (1.2e-15) must keep its relative
 * precision, which `1 − Φ(z)` loses. The tail is `erfc(z/√2)/2`, computed without cancellation: for x < 2 from
 * the all-positive series erf(x) = (2/√π) e^(−x²) Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)) (Abramowitz & Stegun 7.1.6),
 * for x ≥ 2 from the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))) (A&S 7.1.14),
 * evaluated by the modified Lentz method. Both agree with scipy.stats.norm.sf to ~1e-14 relative
 * (test/fixtures/compare/delong.json, `normal_tails`).
 */

const SQRT_PI = Math.sqrt(Math.PI)
const TINY = 1e-300

/** erfc(x) = 1 − erf(x), accurate relative to its value for every x (0 when it underflows, x ≳ 27). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  if (x < 0) return 2 - erfc(-x)
  if (x < 2) return 1 - erfSeries(x)
  if (x > 27.3) return 0 // e^(−x²) underflows to 0 anyway
  return Math.exp(-x * x) / (SQRT_PI * continuedFraction(x))
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return erfc(z / Math.SQRT2) / 2
}

/** The two-sided p-value of a z statistic: P(|Z| ≥ |z|) = erfc(|z|/√2); ±Infinity gives 0. */
export function twoSidedP(z: number): number {
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2))
}

/** erf(x) for 0 ≤ x < 2 from the series of positive terms (no cancellation). */
function erfSeries(x: number): number {
  const x2 = 2 * x * x
  let term = x
  let sum = x
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1)
    sum += term
    if (term < sum * 1e-17) break
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum
}

/** x + ½/(x + 1/(x + 3⁄2/(x + …))): partial numerators k/2, denominators x (Lentz, Numerical Recipes 5.2). */
function continuedFraction(x: number): number {
  let f = x
  let c = x
  let d = 0
  for (let k = 1; k < 5000; k++) {
    const a = k / 2
    d = x + a * d
    d = Math.abs(d) < TINY ? TINY : d
    c = x + a / c
    c = Math.abs(c) < TINY ? TINY : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return f
}
