// The rhythm of a polling channel: how often requests start, and how long the client waits after an answer.
import { median, shareNearMedian } from './stats.js';

export interface Span {
  start: number;
  end: number;
}

/** Start-to-start intervals between consecutive requests (input in start order). */
export function startIntervals(starts: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < starts.length; i++) out.push(starts[i]! - starts[i - 1]!);
  return out;
}

/** From each response's end to the next request's start; negative when the next began before the last ended. */
export function repollDelays(spans: readonly Span[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < spans.length; i++) out.push(spans[i]!.start - spans[i - 1]!.end);
  return out;
}

/** Median start-to-start interval, or null with fewer than two requests. */
export function pollInterval(starts: readonly number[]): number | null {
  const iv = startIntervals(starts);
  return iv.length === 0 ? null : median(iv);
}

/**
 * A timer-driven series: most intervals within ±25% (at least ±150 ms of timer slack) of the median.
 * Three quick GETs within 55 ms are not a timer, so the median must be at least minIntervalMs.
 */
export function isRegular(intervals: readonly number[], minIntervalMs = 500, share = 0.7): boolean {
  if (intervals.length < 2) return false;
  if (median(intervals) < minIntervalMs) return false;
  return shareNearMedian(intervals, 0.25, 150) >= share;
}

/** How many of the spans overlap the one before them (by more than `slackMs`): parallel fetches, not a loop. */
export function overlapShare(spans: readonly Span[], slackMs = 50): number {
  if (spans.length < 2) return 0;
  let overlapping = 0;
  let lastEnd = spans[0]!.end;
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < lastEnd - slackMs) overlapping++;
    lastEnd = Math.max(lastEnd, spans[i]!.end);
  }
  return overlapping / (spans.length - 1);
}

/**
 * Splits requests into the fewest lanes in which none overlaps the next (greedy interval partitioning, spans in
 * start order): how many loops poll one endpoint at once. Two lanes on one long-poll endpoint is the classic
 * "listener registered twice" bug, which doubles the load on the server.
 */
export function concurrentLanes(spans: readonly Span[], slackMs?: number): number[][];
/** The same, or null as soon as more than `maxLanes` lanes are needed (each span is compared with every lane). */
export function concurrentLanes(spans: readonly Span[], slackMs: number, maxLanes: number): number[][] | null;
export function concurrentLanes(spans: readonly Span[], slackMs = 50, maxLanes = Infinity): number[][] | null {
  const lanes: { end: number; members: number[] }[] = [];
  for (let i = 0; i < spans.length; i += 1) {
    const s = spans[i]!;
    // Of the lanes free when this request starts, the one that has waited longest: two loops started together
    // re-poll in the same order their previous answers came back, so this keeps each loop in its own lane.
    let pick = -1;
    for (let l = 0; l < lanes.length; l += 1) {
      if (lanes[l]!.end <= s.start + slackMs && (pick < 0 || lanes[l]!.end < lanes[pick]!.end)) pick = l;
    }
    if (pick >= 0) {
      lanes[pick]!.end = s.end;
      lanes[pick]!.members.push(i);
    } else if (lanes.length >= maxLanes) return null;
    else lanes.push({ end: s.end, members: [i] });
  }
  return lanes.map((l) => l.members);
}
