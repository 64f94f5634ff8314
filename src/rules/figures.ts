// Figures the rules need that a ChannelReport does not carry, computed once per channel (like Lighthouse's
// computed artifacts). Pure: from the Analysis and, where the capture's requests are at hand, the Channel's
// exchanges. Without exchanges (e.g. an Analysis read back from JSON) they fall back to the report's own fields,
// and a figure that cannot be had that way is null — which a rule treats as missing, never as a pass.
import type { Analysis, Channel, ChannelReport, Exchange, PhaseKind } from '../model.js';
import { effectiveEnd, isErrorExchange } from '../detect/util.js';
import { maxOf, minOf } from '../measure/stats.js';
import { concurrentLanes } from '../measure/cadence.js';

export interface ChannelFigures {
  /** Steady-state requests per minute: (n − 1) requests over the span of their starts; null with fewer than 2. */
  requestsPerMinute: number | null;
  /** Start times of the steady-state requests, in order (for rates over a window). Needs the exchanges. */
  steadyStarts: number[] | null;
  /** Most of the channel's requests open at the same moment (2 = duplicate polling). Needs the exchanges. */
  maxConcurrent: number | null;
  /** Longest stretch with no request of the channel open, from its first request to the end of the capture. */
  longestGapMs: number | null;
  /** Reconnects (report.reconnect.count) per minute of the channel's life. */
  reconnectsPerMinute: number | null;
  /**
   * Delays before each retry that followed a failed request (an error status, a network failure, an abort before
   * any answer), grouped in streaks: a retry that fails again continues the streak. Empty when nothing failed.
   */
  errorRetryStreaks: number[][] | null;
  /** From the channel's first request to the end of the capture (or its last activity). */
  lifeMs: number | null;
}

/** Requests that touch each other within this much are not "open at once" (exporters round and skew times). */
const OVERLAP_TOLERANCE_MS = 50;
const STEADY: ReadonlySet<PhaseKind> = new Set(['poll', 'stream', 'reconnect', 'upgrade']);

export function computeFigures(analysis: Analysis, channels?: readonly Channel[]): Map<string, ChannelFigures> {
  const byId = new Map((channels ?? []).map((c) => [c.report.id, c]));
  const captureEnd = analysis.capture.end ? Date.parse(analysis.capture.end) : null;
  // With several captures the overall end says nothing about when one channel's capture stopped.
  const tailEnd = analysis.inputs.length <= 1 ? captureEnd : null;
  const out = new Map<string, ChannelFigures>();
  for (const report of analysis.channels) {
    const channel = byId.get(report.id);
    out.set(report.id, channel && channel.exchanges.length > 0 ? fromExchanges(report, channel, tailEnd) : fromReport(report, tailEnd));
  }
  return out;
}

function fromExchanges(report: ChannelReport, channel: Channel, captureEnd: number | null): ChannelFigures {
  const all = [...channel.exchanges].sort((a, b) => a.start - b.start);
  const steady = channel.exchanges.filter((_, i) => STEADY.has(channel.phaseOf[i] ?? 'poll')).sort((a, b) => a.start - b.start);
  const first = all[0]!.start;
  const lastActivity = maxOf(all.map(effectiveEnd));
  const end = captureEnd !== null && captureEnd >= lastActivity ? captureEnd : lastActivity;
  const lifeMs = end - first;
  return {
    requestsPerMinute: ratePerMinute(steady.map((e) => e.start)),
    steadyStarts: steady.map((e) => e.start),
    maxConcurrent: steady.length ? maxOverlap(steady.map((e) => ({ start: e.start, end: effectiveEnd(e) }))) : 0,
    longestGapMs: longestGap(all.map((e) => ({ start: e.start, end: effectiveEnd(e) })), first, report.pendingAtEnd > 0 ? null : captureEnd),
    reconnectsPerMinute: lifeMs > 0 ? (report.reconnect.count / lifeMs) * 60_000 : null,
    errorRetryStreaks: retryStreaks(steady),
    lifeMs,
  };
}

function fromReport(report: ChannelReport, captureEnd: number | null): ChannelFigures {
  const starts = report.phases.map((p) => Date.parse(p.start)).filter(Number.isFinite);
  const ends = report.phases.map((p) => Date.parse(p.end)).filter(Number.isFinite);
  const first = starts.length ? minOf(starts) : null;
  const last = ends.length ? maxOf(ends) : null;
  const end = captureEnd !== null && (last === null || captureEnd >= last) ? captureEnd : last;
  const lifeMs = first !== null && end !== null && end > first ? end - first : null;
  const tail = report.pendingAtEnd === 0 && captureEnd !== null && last !== null ? Math.max(0, captureEnd - last) : 0;
  const gaps = report.gaps.map((g) => g.durationMs);
  return {
    requestsPerMinute:
      report.pollIntervalMs !== null && report.pollIntervalMs > 0
        ? // The interval is that of one loop; several loops poll that often each.
          ((report.loops ?? 1) * 60_000) / report.pollIntervalMs
        : report.requests >= 2 && lifeMs !== null
          ? ((report.requests - 1) / lifeMs) * 60_000
          : null,
    steadyStarts: null,
    maxConcurrent: report.requests <= 1 ? report.requests : null,
    longestGapMs: report.phases.length ? Math.max(0, tail, maxOf(gaps)) : null,
    reconnectsPerMinute: lifeMs !== null ? (report.reconnect.count / lifeMs) * 60_000 : null,
    errorRetryStreaks: report.errors === 0 ? [] : report.reconnect.delaysMs.length ? [report.reconnect.delaysMs] : null,
    lifeMs,
  };
}

/**
 * The busiest stretch: the most starts within any `windowMs` of the span from the first start to the last, per
 * minute. When the starts span less than one window, the plain rate (n − 1 over their span).
 */
export function peakPerMinute(starts: readonly number[], windowMs: number): number | null {
  if (starts.length < 2 || !(windowMs > 0)) return null;
  const s = [...starts].sort((a, b) => a - b);
  const first = s[0]!;
  const last = s[s.length - 1]!;
  if (last - first <= windowMs) return ratePerMinute(s);
  // The busiest window begins at a start or ends at one; only windows inside the span count (a burst at either end
  // is measured against a whole window, not against its own few milliseconds).
  let best = 0;
  for (let i = 0, j = 0; i < s.length && s[i]! + windowMs <= last; i += 1) {
    while (j < s.length && s[j]! < s[i]! + windowMs) j += 1;
    best = Math.max(best, j - i);
  }
  for (let k = 0, i = 0; k < s.length; k += 1) {
    if (s[k]! - windowMs < first) continue;
    while (s[i]! <= s[k]! - windowMs) i += 1;
    best = Math.max(best, k - i + 1);
  }
  return (best / windowMs) * 60_000;
}

/** (n − 1) starts over the time they span, per minute. */
export function ratePerMinute(starts: readonly number[]): number | null {
  if (starts.length < 2) return null;
  const span = maxOf(starts) - minOf(starts);
  return span > 0 ? ((starts.length - 1) / span) * 60_000 : null;
}

export interface Span {
  start: number;
  end: number;
}

/** The most spans open at one moment; spans that only touch (within the tolerance) do not overlap. */
export function maxOverlap(spans: readonly Span[]): number {
  const events: [number, number][] = [];
  for (const s of spans) {
    // A quick request keeps 1 ms, so it counts but only overlaps what starts at the same moment.
    events.push([s.start, 1], [Math.max(s.start + 1, s.end - OVERLAP_TOLERANCE_MS), -1]);
  }
  // At equal times, ends go first.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of events) {
    open += d;
    most = Math.max(most, open);
  }
  return most;
}

/** Longest uncovered stretch from `from` to `until` (the capture's end; null when a request is still open there). */
export function longestGap(spans: readonly Span[], from: number, until: number | null): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let cursor = from;
  let longest = 0;
  for (const s of sorted) {
    if (s.start > cursor) longest = Math.max(longest, s.start - cursor);
    cursor = Math.max(cursor, s.end);
  }
  if (until !== null && until > cursor) longest = Math.max(longest, until - cursor);
  return longest;
}

/** Retry delays after failed requests, in streaks of consecutive failures. */
export function retryStreaks(steady: readonly Exchange[]): number[][] {
  const sorted = [...steady].sort((a, b) => a.start - b.start);
  // Two loops on one endpoint (a poll started twice) each retry on their own: follow each loop separately, or one
  // loop's request would pass for the other's immediate retry.
  const lanes = concurrentLanes(sorted.map((ex) => ({ start: ex.start, end: effectiveEnd(ex) })), OVERLAP_TOLERANCE_MS);
  if (lanes.length > 1) return lanes.flatMap((lane) => laneRetryStreaks(lane.map((i) => sorted[i]!)));
  return laneRetryStreaks(sorted);
}

function laneRetryStreaks(sorted: readonly Exchange[]): number[][] {
  // The retry of a request is the first one that starts once it has ended.
  const retryOf = new Map<Exchange, Exchange>();
  const retries = new Set<Exchange>();
  for (const [i, ex] of sorted.entries()) {
    if (!isErrorExchange(ex)) continue;
    const end = effectiveEnd(ex);
    let next: Exchange | undefined;
    for (let j = i + 1; j < sorted.length && !next; j++) {
      const n = sorted[j]!;
      if (n.start >= end - OVERLAP_TOLERANCE_MS && !retries.has(n)) next = n;
    }
    if (next) {
      retryOf.set(ex, next);
      retries.add(next);
    }
  }
  const streaks: number[][] = [];
  for (const ex of sorted) {
    if (!retryOf.has(ex) || retries.has(ex)) continue;
    const streak: number[] = [];
    let cur: Exchange | undefined = ex;
    const seen = new Set<Exchange>();
    while (cur && retryOf.has(cur) && !seen.has(cur)) {
      seen.add(cur);
      const next: Exchange = retryOf.get(cur)!;
      streak.push(Math.max(0, Math.round(next.start - effectiveEnd(cur))));
      cur = next;
    }
    streaks.push(streak);
  }
  return streaks;
}
