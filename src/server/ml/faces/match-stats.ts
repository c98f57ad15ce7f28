/**
 * Verification statistics for a face embedder, pure: AUC, the threshold for a false-match rate, the true
 * positive rate there, and what a per-comparison false-match rate means for a gallery of N cameos.
 *
 * With a few hundred impostor pairs an empirical false-match rate cannot go below ~1/pairs, so rates like 1e-4
 * come from a normal fit to the impostor scores (their upper tail extrapolated). That is an assumption, not a
 * measurement: real impostor tails are usually heavier than normal, so these thresholds are optimistic.
 */

/** P(genuine score > impostor score), ties ½. */
export function auc(genuine: readonly number[], impostor: readonly number[]): number {
  if (genuine.length === 0 || impostor.length === 0) return Number.NaN;
  let s = 0;
  for (const p of genuine) for (const n of impostor) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (genuine.length * impostor.length);
}

export const rateAtOrAbove = (scores: readonly number[], threshold: number): number =>
  scores.length === 0 ? Number.NaN : scores.filter((s) => s >= threshold).length / scores.length;

function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** Standard normal upper-tail quantile: z with P(Z ≥ z) = p (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalUpperQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`probability out of range: ${p}`);
  const q = 1 - p; // lower-tail probability
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  const poly = (k: number[], x: number): number => k.reduce((acc, v) => acc * x + v, 0);
  if (q < lo) {
    const t = Math.sqrt(-2 * Math.log(q));
    return poly(c, t) / (poly(d, t) * t + 1);
  }
  if (q > 1 - lo) {
    const t = Math.sqrt(-2 * Math.log(1 - q));
    return -poly(c, t) / (poly(d, t) * t + 1);
  }
  const t = q - 0.5;
  const r = t * t;
  return (poly(a, r) * t) / (poly(b, r) * r + 1);
}

/** P(Z ≥ z) for a standard normal (Abramowitz–Stegun 7.1.26 erfc, |error| < 1.5e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * Threshold whose false-match rate per comparison is `fmr`: the normal-fit quantile of the impostor scores,
 * but never below the highest impostor score seen when `fmr` is under 1/impostors (no observed impostor may
 * clear a threshold set for a rate the sample cannot show).
 */
export function thresholdForFalseMatchRate(impostor: readonly number[], fmr: number): number {
  if (impostor.length < 2) throw new Error("need impostor scores");
  const { mean, std } = meanStd(impostor);
  const fitted = mean + std * normalUpperQuantile(fmr);
  if (fmr * impostor.length >= 1) {
    // the sample itself can show this rate: take the empirical quantile when it is stricter
    const sorted = [...impostor].sort((x, y) => y - x);
    const allowed = Math.floor(fmr * impostor.length);
    const empirical = (sorted[allowed] as number) + 1e-9;
    return Math.max(fitted, empirical);
  }
  return Math.max(fitted, Math.max(...impostor) + 1e-9);
}

/** Normal-fit false-match rate per comparison at `threshold`. */
export function fittedFalseMatchRate(impostor: readonly number[], threshold: number): number {
  const { mean, std } = meanStd(impostor);
  return normalUpperTail((threshold - mean) / std);
}

/** Probability that a face of someone not enrolled is attributed to one of `cameos` independent comparisons. */
export const falseAttributionRate = (fmrPerComparison: number, cameos: number): number => 1 - (1 - fmrPerComparison) ** cameos;

/** Rule of three: with 0 events in n trials, the 95 % upper bound of the rate is about 3/n. */
export const zeroEventUpperBound95 = (n: number): number => (n > 0 ? 3 / n : 1);
