// Splits a capture's exchanges into candidate groups, one per endpoint template, after setting aside what can never
// be push. A protocol module can later replace the key (e.g. by a Bayeux clientId) through `keyOf`.
import type { Exchange } from '../model.js';
import { urlOf } from '../protocols/util.js';
import { endpointOf, type EndpointTemplate } from './endpoint.js';
import { isWebSocket, notPushReason } from './features.js';

export interface Candidate {
  key: string;
  endpoint: EndpointTemplate;
  websocket: boolean;
  input: number;
  exchanges: Exchange[];
}

export interface GroupOptions {
  /** Replaces the grouping key of an exchange (protocol modules); return null to keep the default. */
  keyOf?: (ex: Exchange, endpoint: EndpointTemplate) => string | null;
  /** Sets an exchange aside as not push, with why (protocol send requests); null lets detection decide. */
  notPush?: (ex: Exchange) => string | null;
  /** Called every few thousand exchanges with how many have been grouped (the analysis reports progress and looks
   * at the heap there; it may throw to stop). */
  onProgress?: (done: number, total: number) => void;
}

/** How often grouping calls onProgress. */
const PROGRESS_EVERY = 4096;

/** Exporters date some stub entries 1969/1970 (Chrome WebSocket placeholders); such times say nothing. */
export const PLAUSIBLE_MS = Date.UTC(1995, 0, 1);

export interface Grouping {
  candidates: Candidate[];
  /** Placeholder entries with impossible dates, left out of detection, with the key they would have had. */
  placeholders: { ex: Exchange; key: string }[];
  /**
   * Exchanges that are not push by themselves, with their endpoint, for setup/teardown attachment. The endpoint is
   * null for those set aside by their own features (page assets, static files): nothing after grouping reads it,
   * and it was about 500 bytes for each of hundreds of thousands of requests in a long capture. `endpointOfOther`
   * makes it again.
   */
  others: { ex: Exchange; endpoint: EndpointTemplate | null; excluded: string | null }[];
}

/** The endpoint of an exchange grouping set aside, made again where grouping did not keep it. */
export function endpointOfOther(o: Grouping['others'][number]): EndpointTemplate {
  return o.endpoint ?? endpointFor(o.ex, isWebSocket(o.ex));
}

/** The endpoint an exchange is grouped by (a WebSocket's whatever scheme the exporter wrote: see wsUrl). */
function endpointFor(ex: Exchange, ws: boolean): EndpointTemplate {
  // The protocol modules ask about this exchange next, and read the same parsed URL (urlOf keeps the last one).
  return ws ? endpointOf('GET', wsUrl(ex.url)) : endpointOf(ex.method, ex.url, urlOf(ex));
}

/** WebSocket entries are written as ws://, wss://, http:// or https:// depending on the exporter; compare them as ws(s). */
function wsUrl(url: string): string {
  return url.replace(/^http(s?):/i, (_m, s: string) => `ws${s}:`);
}

export function groupExchanges(exchanges: readonly Exchange[], options: GroupOptions = {}): Grouping {
  const byKey = new Map<string, Candidate>();
  const others: Grouping['others'] = [];
  const placeholders: Grouping['placeholders'] = [];
  let n = 0;
  for (const ex of exchanges) {
    if (++n % PROGRESS_EVERY === 0) options.onProgress?.(n, exchanges.length);
    const ws = isWebSocket(ex);
    let made: EndpointTemplate | null = null;
    const endpointOnce = (): EndpointTemplate => (made ??= endpointFor(ex, ws));
    // Page assets are mostly told by their type, before any URL is parsed.
    const asset = ws ? null : notPushReason(ex, endpointOnce);
    if (asset) {
      others.push({ ex, endpoint: null, excluded: asset });
      continue;
    }
    const endpoint = endpointOnce();
    const excluded = ws ? null : options.notPush?.(ex) ?? null;
    if (excluded || ex.method.toUpperCase() === 'OPTIONS') {
      others.push({ ex, endpoint, excluded });
      continue;
    }
    const base = options.keyOf?.(ex, endpoint) ?? endpoint.key;
    const key = `${ex.input}|${ws ? 'WS ' : ''}${base}`;
    if (ex.start < PLAUSIBLE_MS) {
      placeholders.push({ ex, key });
      continue;
    }
    let c = byKey.get(key);
    if (!c) {
      c = { key, endpoint, websocket: ws, input: ex.input, exchanges: [] };
      byKey.set(key, c);
    }
    c.exchanges.push(ex);
  }
  const candidates = [...byKey.values()];
  for (const c of candidates) c.exchanges.sort((a, b) => a.start - b.start || a.index - b.index);
  return { candidates, others, placeholders };
}
