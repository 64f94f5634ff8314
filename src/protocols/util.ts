// Small readers shared by the protocol modules: URL parts, headers, and bodies, tolerant of anything malformed.
import type { Exchange } from '../model.js';

// Every module asks about the same URLs many times over; parse each exchange's URL once.
const parsedUrls = new WeakMap<Exchange, URL | null>();

/** The exchange's URL, parsed once and shared (callers must not modify it). */
export function urlOf(ex: Exchange): URL | null {
  let url = parsedUrls.get(ex);
  if (url === undefined) {
    try {
      url = new URL(ex.url);
    } catch {
      url = null;
    }
    parsedUrls.set(ex, url);
  }
  return url;
}

/** A query parameter, by exact name (protocols are case-sensitive here: `SID` ≠ `sid`). */
export function param(ex: Exchange, name: string): string | null {
  return urlOf(ex)?.searchParams.get(name) ?? null;
}

export function pathOf(ex: Exchange): string {
  return urlOf(ex)?.pathname ?? '';
}

const segmentsOf = new WeakMap<URL, readonly string[]>();

/** The URL's non-empty path segments, split once per exchange and shared (callers must not modify them). */
export function segments(ex: Exchange): readonly string[] {
  const url = urlOf(ex);
  if (url === null) return [];
  let seg = segmentsOf.get(url);
  if (seg === undefined) {
    seg = url.pathname.split('/').filter((s) => s !== '');
    segmentsOf.set(url, seg);
  }
  return seg;
}

/** A header's value by name (case-insensitive); the reader's lookup, under the name the modules use. */
export { headerValue as header } from '../har/normalise.js';

export function isWs(ex: Exchange): boolean {
  return /^wss?:/i.test(ex.url) || ex.status === 101 || ex.resourceType === 'websocket';
}

export function json(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Form-encoded or JSON request bodies: the value of one field of a form body. */
export function formField(body: string | null, name: string): string | null {
  if (!body) return null;
  try {
    return new URLSearchParams(body).get(name);
  } catch {
    return null;
  }
}

/** Seconds in a wire format (`wait='60'`, `"KeepAliveTimeout":20.0`) to ms. */
export function secondsToMs(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 1000) : null;
}

export function numberOr(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
