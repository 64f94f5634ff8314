// How a policy writes durations ("25s", "500ms", "2m") and rates ("12/min"). Pure parsing and formatting, no I/O.

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const RATE_UNITS: Record<string, number> = { s: 1 / 60, sec: 1 / 60, second: 1 / 60, m: 1, min: 1, minute: 1, h: 60, hour: 60 };

export const DURATION_HINT = 'write a number and a unit, e.g. "500ms", "25s", "2m"';
export const RATE_HINT = 'write a count per unit of time, e.g. "12/min", "1/s", "100/h"';

/** A unit name in any case, as a regular expression without flags (what a JSON Schema `pattern` can say). */
function anyCase(units: readonly string[]): string {
  const letters = (u: string) => [...u].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
  return `(${[...units].sort((a, b) => b.length - a.length).map(letters).join('|')})`;
}

/** What parseDuration accepts, as a JSON Schema pattern. */
export const DURATION_PATTERN = `^\\s*\\d+(\\.\\d+)?\\s*${anyCase(Object.keys(DURATION_UNITS))}\\s*$`;
/** What parseRate accepts, as a JSON Schema pattern. */
export const RATE_PATTERN = `^\\s*\\d+(\\.\\d+)?\\s*/\\s*${anyCase(Object.keys(RATE_UNITS))}\\s*$`;

/** "25s" → 25000, "500ms" → 500, "2m" → 120000, "1.5s" → 1500; null for anything else (a bare number has no unit). */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!m) return null;
  const unit = DURATION_UNITS[m[2]!.toLowerCase()];
  return unit === undefined ? null : Number(m[1]) * unit;
}

/** "12/min" → 12 (per minute), "1/s" → 60, "30/h" → 0.5; null for anything else. */
export function parseRate(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*\/\s*([a-z]+)\s*$/i.exec(text);
  if (!m) return null;
  const per = RATE_UNITS[m[2]!.toLowerCase()];
  return per === undefined ? null : Number(m[1]) / per;
}

/** 20000 → "20 s", 1500 → "1.5 s", 250 → "250 ms", 120000 → "2 min". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${trim(ms / 1000, abs < 10_000 ? 2 : 1)} s`;
  return `${trim(ms / 60_000, 1)} min`;
}

/** Per-minute rate for people: "12/min", "7.5/min", "0.25/min". */
export function formatRate(perMinute: number): string {
  if (!Number.isFinite(perMinute)) return '–';
  return `${trim(perMinute, perMinute < 1 ? 2 : 1)}/min`;
}

function trim(x: number, digits: number): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}
