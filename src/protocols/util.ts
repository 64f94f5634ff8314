// Small readers shared by the protocol modules: URL parts, headers, and bodies, tolerant of anything malformed.
import type { Exchange } from '../model.js';
import { headerValue } from '../har/normalise.js';

// Every module asks about the same URL in turn: the registry asks all of them about one exchange before the next
// (protocols/index.ts). So the last exchange's parsed URL is kept, and only that one. Each later pass over a
// channel (sessions, roles, messages) parses a URL again, about 1 µs; a URL object kept per exchange for the whole
// run was ~550 bytes for each of the hundreds of thousands of requests of a long capture.
let lastExchange: Exchange | null = null;
let lastUrl: URL | null = null;
let lastSegments: readonly string[] | null = null;

/** The exchange's URL, parsed once while it is being asked about (callers must not modify it). */
export function urlOf(ex: Exchange): URL | null {
  if (ex !== lastExchange) {
    lastExchange = ex;
    lastSegments = null;
    try {
      lastUrl = new URL(ex.url);
    } catch {
      lastUrl = null;
    }
  }
  return lastUrl;
}

/** A query parameter, by exact name (protocols are case-sensitive here: `SID` ≠ `sid`). */
export function param(ex: Exchange, name: string): string | null {
  return urlOf(ex)?.searchParams.get(name) ?? null;
}

export function pathOf(ex: Exchange): string {
  return urlOf(ex)?.pathname ?? '';
}

/** The URL's non-empty path segments, split once (callers must not modify them). */
export function segments(ex: Exchange): readonly string[] {
  const url = urlOf(ex);
  if (url === null) return [];
  return (lastSegments ??= url.pathname.split('/').filter((s) => s !== ''));
}

/** A header's value by name (case-insensitive); the reader's lookup, under the name the modules use. */
export { headerValue as header } from '../har/normalise.js';

/** The WebSocket subprotocol as the server accepted it, else as the client offered it; lower-cased, '' when none. */
export function subprotocol(ex: Exchange): string {
  return (headerValue(ex.responseHeaders, 'sec-websocket-protocol') ?? headerValue(ex.requestHeaders, 'sec-websocket-protocol') ?? '').toLowerCase();
}

/** subprotocol as a list of names (a client may offer several, comma-separated). */
export function subprotocols(ex: Exchange): string[] {
  return subprotocol(ex).split(',').map((p) => p.trim()).filter((p) => p !== '');
}

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
