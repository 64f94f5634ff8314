// Small order statistics shared by every figure. Linear interpolation between closest ranks (R-7, as numpy/Excel do),
// so a median of two holds is their mean rather than an arbitrary pick.
import type { Distribution } from '../model.js';

/**
 * Largest value, -Infinity for an empty list, like Math.max(). A loop rather than maxOf(values): spreading
 * a long list (a day of polling is 100k+ requests) into arguments overflows the stack.
 */
export function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** Smallest value, Infinity for an empty list, like Math.min(); see maxOf. */
export function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

/** q-th quantile (0..1) of values; NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  return quantileOfSorted(sortedCopy(values), q);
}

/**
 * The values in ascending order, in a typed array: its sort compares numbers natively, several times faster than
 * Array#sort with a comparator on the 100k-value lists of a long capture. (NaN sorts last, where the comparator
 * left it wherever it happened to be.)
 */
function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  const pos = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Coefficient of variation (spread relative to the mean); 0 for fewer than two values. */
export function cv(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  if (m === 0) return 0;
  const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length;
  return Math.sqrt(variance) / Math.abs(m);
}

/** min / median / p95 / max, or null when there is nothing to describe. */
export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  return {
    min: minOf(values),
    median: quantileOfSorted(sorted, 0.5),
    p95: quantileOfSorted(sorted, 0.95),
    max: maxOf(values),
  };
}

/** Share of values within ±tolerance (relative) of the median: how "regular" a series is. */
export function shareNearMedian(values: readonly number[], tolerance: number, floorMs = 0): number {
  if (values.length === 0) return 0;
  const m = median(values);
  const band = Math.max(Math.abs(m) * tolerance, floorMs);
  return values.filter((v) => Math.abs(v - m) <= band).length / values.length;
}

/** Least-squares line through (x, y); r2 is the share of variance the line explains (1 when y is constant). */
export function linearFit(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; r2: number } {
  const n = xs.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}
