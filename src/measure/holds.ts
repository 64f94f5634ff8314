// How long the server held requests, and the timeout at which it gives up and answers with nothing.
import type { Distribution } from '../model.js';
import { distribution, maxOf, median } from './stats.js';

export function holdDistribution(holds: readonly number[]): Distribution | null {
  return distribution(holds);
}

export interface HeldAnswer {
  hold: number;
  /** true: the answer carried no data (timeout/noop); false: it carried data; null: the capture cannot tell (no body). */
  empty: boolean | null;
}

export interface TimeoutEstimate {
  timeoutMs: number;
  /** 'empty': from answers known to be empty; 'holds': from the top cluster of holds when bodies are missing. */
  basis: 'empty' | 'holds';
  /** How many answers sit at the timeout. */
  count: number;
  /** How many answers were considered. */
  of: number;
}

/** Below this a "timeout" is just a quick answer; no server holds for under a second on purpose. */
const MIN_TIMEOUT_MS = 1000;

/**
 * The server timeout: the hold at which no-data answers cluster. A long-poll server answers early when it has
 * data and at (about) the same hold when it has none, so the empty answers pile up at one value. When the capture
 * has no bodies we fall back to all holds, but then only a cluster at the top counts (nothing can be held much longer
 * than the timeout), so two data answers that happen to coincide are not taken for it.
 */
export function estimateTimeout(answers: readonly HeldAnswer[]): TimeoutEstimate | null {
  const knownEmpty = answers.filter((a) => a.empty === true).map((a) => a.hold);
  const unknown = answers.filter((a) => a.empty === null).map((a) => a.hold);
  // A single empty answer still shows the timeout when nothing was held longer (data answers end earlier).
  if (knownEmpty.length === 1 && unknown.length === 0) {
    const only = knownEmpty[0]!;
    const longest = maxOf(answers.map((a) => a.hold));
    if (only >= MIN_TIMEOUT_MS && longest <= only * 1.1 + 500) return { timeoutMs: only, basis: 'empty', count: 1, of: 1 };
    return null;
  }
  let pool: number[];
  let basis: TimeoutEstimate['basis'];
  if (knownEmpty.length >= 2) {
    pool = knownEmpty;
    basis = 'empty';
  } else if (unknown.length + knownEmpty.length >= 2) {
    pool = [...knownEmpty, ...unknown];
    basis = knownEmpty.length > 0 ? 'empty' : 'holds';
  } else {
    return null;
  }
  const best = densestCluster(pool);
  if (!best || best.length < 2) return null;
  const timeoutMs = median(best);
  if (timeoutMs < MIN_TIMEOUT_MS) return null;
  if (basis === 'holds') {
    if (best.length < Math.max(2, pool.length * 0.3)) return null;
    const above = answers.filter((a) => a.hold > timeoutMs * 1.1 + 500).length;
    if (above > answers.length * 0.1) return null;
  }
  return { timeoutMs, basis, count: best.length, of: pool.length };
}

/** How near a hold lies to a cluster's centre to belong to it: ±5%, at least ±300 ms. */
export function clusterBand(centre: number): number {
  return Math.max(centre * 0.05, 300);
}

/** The largest group of values lying within clusterBand of one of them; ties go to the longer hold. */
export function densestCluster(values: readonly number[]): number[] | null {
  if (values.length === 0) return null;
  // Sorted, both edges of a centre's band only move right as the centre grows, so one sliding window finds every
  // band in O(n log n) — a day of polling has 100k holds, and comparing each with each would take minutes.
  const sorted = [...values].sort((a, b) => a - b);
  let lo = 0;
  let hi = 0;
  let bestLo = 0;
  let bestHi = -1;
  for (const centre of sorted) {
    const band = clusterBand(centre);
    while (sorted[lo]! < centre - band) lo += 1;
    while (hi + 1 < sorted.length && sorted[hi + 1]! <= centre + band) hi += 1;
    // >= : of equally large groups the one around the longer hold wins (centres come in ascending order).
    if (hi - lo >= bestHi - bestLo) {
      bestLo = lo;
      bestHi = hi;
    }
  }
  return sorted.slice(bestLo, bestHi + 1);
}
