// What min-hold and max-hold share: which hold figure they read, and how it is named.
import { z } from 'zod';
import type { ChannelReport } from '../model.js';

export const HOLD_FIGURES = ['timeout', 'min', 'median', 'p95', 'max'] as const;
export type HoldFigure = (typeof HOLD_FIGURES)[number];

export const holdOf = (fallback: HoldFigure) =>
  z
    .enum(HOLD_FIGURES)
    .default(fallback)
    .describe(`which hold: "timeout" (the hold at which empty answers cluster: the server's timeout), or the "min", "median", "p95" or "max" of all completed holds; default "${fallback}"`);

export function holdFigure(c: ChannelReport, of: HoldFigure): number | null {
  if (of === 'timeout') return c.timeoutMs;
  return c.holdMs ? c.holdMs[of] : null;
}

export function holdName(of: HoldFigure): string {
  return of === 'timeout' ? 'timeout' : `${of} hold`;
}

export function whyNoHold(c: ChannelReport, of: HoldFigure): string {
  if (!c.holdMs) return 'no completed request to measure a hold from';
  return of === 'timeout' ? 'no server timeout seen (no cluster of empty answers); use "of": "max" or "median" to judge the holds themselves' : 'no hold measured';
}
