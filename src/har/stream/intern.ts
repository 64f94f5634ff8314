// One copy of each short string and header a run meets. A long capture repeats the same methods, content types,
// header names and values (`accept: application/json`) hundreds of thousands of times; JSON.parse makes a new
// string for each, and those copies were most of the memory an exchange took. Shared values are never modified.
import type { Header } from '../../model.js';
import type { PartialExchange } from '../normalise.js';

const headersByName = new Map<string, Map<string, Header>>();
const strings = new Map<string, string>();
const SHARE_MAX = 96;
const SHARE_LIMIT = 200_000;

/** The run's copy of a short string (long ones — URLs, bodies — are returned as they are). */
export function internString(s: string): string {
  if (s.length > SHARE_MAX) return s;
  const had = strings.get(s);
  if (had !== undefined) return had;
  if (strings.size < SHARE_LIMIT) strings.set(s, s);
  return s;
}

/** The run's header object for this name and value (its strings interned too). */
export function internHeader(name: string, value: string): Header {
  let byName = headersByName.get(name);
  if (byName === undefined) {
    byName = new Map();
    headersByName.set(name, byName);
  }
  let h = byName.get(value);
  if (h === undefined) {
    h = { name: internString(name), value: internString(value) };
    if (byName.size < SHARE_LIMIT && value.length <= 256) byName.set(value, h);
  }
  return h;
}

/**
 * The list with shared headers, in an array of its exact length: lists built by push() keep room for 17 items, and
 * two lists per exchange of mostly empty room were ~15 % of what a read exchange took.
 */
function internHeaders(list: Header[]): Header[] {
  const out = new Array<Header>(list.length);
  for (let i = 0; i < list.length; i += 1) {
    const h = list[i]!;
    out[i] = internHeader(h.name, h.value);
  }
  return out;
}

const orNull = (s: string | null): string | null => (s === null ? null : internString(s));

/** Shares the short strings and the headers of exchanges parsed on this thread (the wire decoder does it for workers). */
export function internExchanges(list: PartialExchange[]): void {
  for (const p of list) {
    p.method = internString(p.method);
    p.statusText = internString(p.statusText);
    p.error = orNull(p.error);
    p.httpVersion = internString(p.httpVersion);
    p.resourceType = orNull(p.resourceType);
    p.mimeType = internString(p.mimeType);
    p.pageref = orNull(p.pageref);
    p.connection = orNull(p.connection);
    p.requestHeaders = internHeaders(p.requestHeaders);
    p.responseHeaders = internHeaders(p.responseHeaders);
    if (p.wsFrames !== null) p.wsFrames = p.wsFrames.slice();
    if (p.sseEvents !== null) p.sseEvents = p.sseEvents.slice();
  }
}
