/**
 * Parses a HAR startedDateTime. Accepts `Z`, `±hh:mm`, `±hhmm`, any number of fraction digits (DevTools writes 3,
 * mitmproxy 6, some tools 9) and no zone at all (UTC is assumed and the caller warns). Returns epoch ms with
 * sub-millisecond precision kept, or null when the value is not a date.
 */
export interface ParsedDate {
  ms: number;
  hadZone: boolean;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?\s?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseHarDate(value: unknown): ParsedDate | null {
  if (typeof value !== 'string' || value.length > 64) return null;
  const m = ISO.exec(value.trim());
  if (!m) {
    // Some exporters write RFC 2822 or other forms Date understands; take them if they carry a zone.
    const loose = Date.parse(value);
    return inRange(loose) ? { ms: loose, hadZone: true } : null;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s ? Number(s) : 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (frac) ms += Number(`0.${frac}`) * 1000;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    ms -= sign * offset * 60_000;
  }
  return inRange(ms) ? { ms, hadZone: Boolean(zone) } : null;
}

/** JavaScript dates end at ±8.64e15 ms; anything beyond cannot be placed on a timeline. */
export function inRange(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 - 2 * 86_400_000;
}

export function isoString(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
