/** Human-readable figures shared by every renderer. */
import type { Phase } from '../model.js';

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '-' : '';
  // Each unit is rounded before it is split, so that 59.97 s is "1 min", never "60 s", nor "1 min 60 s".
  if (Math.round(abs) < 1000) return `${Math.round(ms)} ms`;
  if (abs < 10_000) return `${sign}${(abs / 1000).toFixed(2).replace(/\.?0+$/, '')} s`;
  if (Math.round(abs / 100) < 600) return `${sign}${(abs / 1000).toFixed(1).replace(/\.?0+$/, '')} s`;
  const secs = Math.round(abs / 1000);
  if (secs < 3600) {
    const m = Math.floor(secs / 60);
    const s = secs % 60;
    return `${sign}${m} min${s ? ` ${s} s` : ''}`;
  }
  const mins = Math.round(abs / 60_000);
  const h = Math.floor(mins / 60);
  const m = mins % 60;
  return `${sign}${h} h${m ? ` ${m} min` : ''}`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${Math.round(share * 100)}%`;
}

/** "2026-11-28 06:01:02.345Z" → "06:01:02.3" style clock time for lanes and phases. */
export function clock(iso: string | null): string {
  if (!iso) return '–';
  const m = /T(\d{2}:\d{2}:\d{2})(\.\d)?/.exec(iso);
  return m ? `${m[1]}${m[2] ?? ''}` : iso;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---- time axis ticks (terminal and HTML timelines) ----

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** A tick step that leaves room for labels about 10 columns apart. */
export function tickStep(spanMs: number, plotW: number): number {
  const maxTicks = Math.max(2, Math.floor(plotW / 10));
  return STEPS.find((s) => spanMs / s <= maxTicks) ?? STEPS[STEPS.length - 1]!;
}

/** A tick label in units that suit the step: "250 ms", "12.5 s", "40 s", "2 min", "1:30", "2 h". */
export function tickLabel(offsetMs: number, step: number): string {
  if (step < 1000 && offsetMs < 1000) return `${Math.round(offsetMs)} ms`;
  if (step < 1000) return `${(offsetMs / 1000).toFixed(step % 100 === 0 ? 1 : 2)} s`;
  if (step < 60_000 && offsetMs < 120_000) return `${Math.round(offsetMs / 1000)} s`;
  if (step < 60_000) {
    const s = Math.round(offsetMs / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  if (step < 3_600_000) return offsetMs % 60_000 === 0 ? `${offsetMs / 60_000} min` : `${Math.floor(offsetMs / 60_000)}:${String(Math.round((offsetMs % 60_000) / 1000)).padStart(2, '0')}`;
  return `${Math.round((offsetMs / 3_600_000) * 10) / 10} h`;
}

/**
 * A channel's phases in one line: "poll 09:00:00.0–09:08:10.0 (50 req) → reconnect …". A long session with a
 * failure every few minutes has hundreds of phases, so past `shown` the first ones are listed, then how many more of
 * each kind, then the last.
 */
export function phaseLine(phases: readonly Phase[], shown = 6): string {
  const one = (p: Phase): string => `${p.kind} ${clock(p.start)}–${clock(p.end)} (${p.requests} req)`;
  if (phases.length <= shown + 2) return phases.map(one).join(' → ');
  const middle = phases.slice(shown, -1);
  const byKind = new Map<string, number>();
  for (const p of middle) byKind.set(p.kind, (byKind.get(p.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  return [...phases.slice(0, shown).map(one), `… ${middle.length} more (${kinds})`, one(phases[phases.length - 1]!)].join(' → ');
}
