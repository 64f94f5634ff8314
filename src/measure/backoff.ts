// The shape of a client's reconnect delays: what library authors call the back-off policy.
import type { ReconnectPattern } from '../model.js';
import { linearFit, maxOf, median, shareNearMedian } from './stats.js';

export interface BackoffFit {
  pattern: ReconnectPattern;
  /** fixed: the delay; linear: the step added each time; exponential: the growth factor. */
  baseMs?: number;
  stepMs?: number;
  factor?: number;
  /** True when growth stops at a ceiling (e.g. Socket.IO reconnectionDelayMax). */
  capped?: boolean;
}

/** A retry sent within this long after the failure was not deliberately delayed. */
export const IMMEDIATE_MS = 500;

/**
 * Fits reconnect delays (ms, in order) to immediate / fixed / linear / exponential, tolerating the jitter most
 * clients add (Socket.IO randomises ±50%). Growth may stop at a cap; the part before the cap decides the shape.
 */
export function fitBackoff(delays: readonly number[]): BackoffFit {
  if (delays.length === 0) return { pattern: 'none' };
  if (delays.every((d) => d <= IMMEDIATE_MS)) return { pattern: 'immediate' };
  if (delays.length === 1) return { pattern: 'fixed', baseMs: delays[0]! };
  const m = median(delays);
  const growth = delays[delays.length - 1]! / Math.max(delays[0]!, 1);
  if (shareNearMedian(delays, 0.2, 100) >= 0.75 && growth < 1.5) return { pattern: 'fixed', baseMs: m };
  if (delays.length === 2) {
    return growth >= 1.5 ? { pattern: 'exponential', factor: growth } : { pattern: 'irregular' };
  }
  return fitGrowth(delays) ?? { pattern: 'irregular' };
}

function fitGrowth(delays: readonly number[]): BackoffFit | null {
  const max = maxOf(delays);
  const capAt = delays.findIndex((d) => d >= 0.9 * max);
  const head = delays.slice(0, capAt + 1);
  const tail = delays.slice(capAt + 1);
  if (head.length < 3) return null;
  // After the cap the client keeps retrying at about the ceiling; anything far below it means no policy.
  if (tail.some((d) => d < 0.6 * max)) return null;
  const xs = head.map((_, i) => i);
  const lin = linearFit(xs, head);
  const exp = linearFit(
    xs,
    head.map((d) => Math.log(Math.max(d, 1))),
  );
  const factor = Math.exp(exp.slope);
  const capped = tail.length > 0;
  if (lin.slope > 0 && lin.r2 >= 0.85 && lin.r2 > exp.r2) {
    return { pattern: 'linear', stepMs: lin.slope, capped };
  }
  if (factor >= 1.4 && exp.r2 >= 0.7) return { pattern: 'exponential', factor, capped };
  return null;
}
