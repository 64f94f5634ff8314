// How much of a channel's life had a connection open, and where the holes were.
import type { Span } from './cadence.js';

export interface RawGap {
  start: number;
  durationMs: number;
}

export interface CoverageResult {
  /** 0..1 share of [lifeStart, lifeEnd] covered by at least one span. */
  coverage: number;
  /** Uncovered stretches of at least minGapMs, in time order. */
  gaps: RawGap[];
}

/** Merges spans (any order, may overlap) and measures them against the channel's life. */
export function coverage(spans: readonly Span[], lifeStart: number, lifeEnd: number, minGapMs = 1000): CoverageResult {
  const life = lifeEnd - lifeStart;
  if (life <= 0) return { coverage: spans.length > 0 ? 1 : 0, gaps: [] };
  const sorted = spans
    .map((s) => ({ start: Math.max(s.start, lifeStart), end: Math.min(s.end, lifeEnd) }))
    .filter((s) => s.end >= s.start)
    .sort((a, b) => a.start - b.start);
  let covered = 0;
  const gaps: RawGap[] = [];
  let cursor = lifeStart;
  for (const s of sorted) {
    if (s.start > cursor) {
      const hole = s.start - cursor;
      if (hole >= minGapMs) gaps.push({ start: cursor, durationMs: hole });
      cursor = s.start;
    }
    if (s.end > cursor) {
      covered += s.end - cursor;
      cursor = s.end;
    }
  }
  if (lifeEnd - cursor >= minGapMs) gaps.push({ start: cursor, durationMs: lifeEnd - cursor });
  return { coverage: Math.min(1, covered / life), gaps };
}
