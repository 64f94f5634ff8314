// Turns a request URL into an endpoint template: what stays the same across every request of one push channel.
// Cache-busters, session ids, counters and random path segments vary per request or per session, so they are taken
// out of the grouping key; values that name the endpoint (a `cmd`, `transport` or `channel`) stay in it.

import { isSecretName, looksRandom, redactText } from '../redact.js';

export { looksRandom };

export interface EndpointTemplate {
  /** Grouping key: method + origin + path template + identifying params. */
  key: string;
  /** Human form, secrets redacted: `GET https://host/path/{id}?cmd=poll&sid=…`. */
  display: string;
  method: string;
  origin: string;
  host: string;
  /** Path template (`/926/{id}/xhr` → `/{n}/{id}/xhr`). */
  path: string;
  /** Raw path segments before templating (lower-cased), for prefix and vocabulary checks. */
  segments: string[];
  /** Names of cache-buster params that were removed. */
  cacheBusters: string[];
  /** Names of params that carry a session id or secret. */
  sessionParams: string[];
  /** The JSONP callback param, if any (`callback`, `jsonp`, `cb`, …). */
  callbackParam: string | null;
  /** Identifying params kept in the key, lower-cased name → value. */
  params: Record<string, string>;
}

const CACHE_BUSTERS = new Set(['t', '_', 'zx', 'ser', 'rnd', 'r', 'rand', 'random', 'nocache', 'cachebuster', 'cache', 'ts', 'timestamp', '_t', '__t', 'tid', 'time']);
/** Params that carry where the client got to (an EventSource polyfill's or NchanSubscriber's last event id). */
const CURSORS = new Set(['last_event_id', 'lasteventid', 'last-event-id', 'lastmessageid', 'last_message_id']);
const CALLBACKS = new Set(['callback', 'jsonp', 'cb', 'jsoncallback', 'jsonpcallback', '_callback', 'jsonp_callback']);
/** Params whose value names the endpoint's role; shown even when they look like words. */
const JSON_ROLE_KEYS = ['cmd', 'channel', 'type', 'method', 'op', 'action'];

/** `parsed` is `url` already parsed (null: it does not parse), when the caller has it; it is only read. */
export function endpointOf(method: string, url: string, parsed: URL | null = parseUrl(url)): EndpointTemplate {
  const m = method.toUpperCase() || 'GET';
  if (!parsed) {
    const bare = url.split(/[?#]/)[0] ?? url;
    return {
      key: `${m} ${bare}`, display: `${m} ${redactText(bare)}`, method: m, origin: '', host: '', path: bare, segments: [],
      cacheBusters: [], sessionParams: [], callbackParam: null, params: {},
    };
  }
  const { host, origin, path, showPath, segments } = templateOf(parsed);

  const cacheBusters: string[] = [];
  const sessionParams: string[] = [];
  let callbackParam: string | null = null;
  const params: Record<string, string> = {};
  const keyParts: string[] = [];
  const showParts: string[] = [];
  for (const [rawName, value] of parsed.searchParams) {
    const name = rawName.toLowerCase();
    const c = classifyParam(name, value);
    switch (c.kind) {
      case 'buster':
        cacheBusters.push(rawName);
        break;
      case 'callback': {
        callbackParam = rawName;
        // jQuery1123_1599… varies per call; a fixed handler name (TDog.WebServer.poll) identifies the endpoint.
        const fn = value.replace(/\d+/g, '#');
        keyParts.push(`${name}=${fn}`);
        showParts.push(`${rawName}=${/#/.test(fn) ? '{fn}' : value}`);
        break;
      }
      case 'secret':
        sessionParams.push(rawName);
        showParts.push(`${rawName}=…`);
        break;
      case 'number':
        showParts.push(`${rawName}={n}`);
        break;
      case 'cursor':
        // Like a counter, it moves on with every reconnect, and the first request has none.
        showParts.push(`${rawName}={cursor}`);
        break;
      case 'role':
        params[name] = c.value;
        keyParts.push(`${name}{${c.value}}`);
        showParts.push(`${rawName}=[${c.value}…]`);
        break;
      case 'keep':
        // An empty flag (`notify_self`) does not tell endpoints apart; clients add and drop them freely.
        if (value === '') {
          showParts.push(rawName);
          break;
        }
        params[name] = value;
        keyParts.push(`${name}=${value}`);
        showParts.push(`${rawName}=${value}`);
        break;
    }
  }
  keyParts.sort();
  const key = `${m} ${origin}${path}${keyParts.length ? '?' + keyParts.join('&') : ''}`;
  const display = `${m} ${origin}${showPath}${showParts.length ? '?' + showParts.join('&') : ''}`;
  return {
    key, display, method: m, origin, host, path, segments: [...segments],
    cacheBusters, sessionParams, callbackParam, params,
  };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

interface PathTemplate {
  host: string;
  origin: string;
  path: string;
  showPath: string;
  /** Lower-cased raw segments (copied into each EndpointTemplate: callers may keep and change theirs). */
  segments: readonly string[];
}

// A long capture asks about the same few paths hundreds of thousands of times (only the query varies), so the
// templated origin and path are kept per origin + path, up to a bound.
const PATHS = new Map<string, PathTemplate>();
const PATHS_MAX = 10_000;

function templateOf(parsed: URL): PathTemplate {
  const id = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  const known = PATHS.get(id);
  if (known !== undefined) return known;
  const host = templateHost(parsed.hostname.toLowerCase());
  const origin = `${parsed.protocol}//${host}${parsed.port ? `:${parsed.port}` : ''}`;
  // `;jsessionid=…` path parameters (Java servlets) are session ids, never part of the endpoint.
  const rawPath = parsed.pathname.replace(/;[^/]*/g, '');
  const segments = rawPath.split('/').filter((s) => s !== '');
  const keySegs: string[] = [];
  const showSegs: string[] = [];
  for (const seg of segments) {
    const t = templateSegment(seg);
    keySegs.push(t.key);
    showSegs.push(t.show);
  }
  const trailing = rawPath.endsWith('/') && segments.length > 0 ? '/' : '';
  const made: PathTemplate = {
    host,
    origin,
    path: '/' + keySegs.join('/') + trailing,
    showPath: '/' + showSegs.join('/') + trailing,
    segments: segments.map((s) => s.toLowerCase()),
  };
  if (PATHS.size >= PATHS_MAX) PATHS.clear();
  PATHS.set(id, made);
  return made;
}

type ParamClass =
  | { kind: 'buster' }
  | { kind: 'callback' }
  | { kind: 'secret' }
  | { kind: 'number' }
  | { kind: 'cursor' }
  | { kind: 'role'; value: string }
  | { kind: 'keep' };

function classifyParam(name: string, value: string): ParamClass {
  if (CACHE_BUSTERS.has(name)) return { kind: 'buster' };
  if (CALLBACKS.has(name) || (name === 'c' && /^[A-Za-z_$][\w$]*([.][\w$]+)+$|^_jp\./.test(value))) return { kind: 'callback' };
  if (isSecretName(name)) return { kind: 'secret' };
  if (/^-?\d+(\.\d+)?$/.test(value)) return { kind: 'number' };
  // A message id such as nchan's `<epoch seconds>:<tag>`; version numbers (`vsn=2.0.0`) have no such long run.
  if (CURSORS.has(name) || /^\d{6,}[:._-]\d+$/.test(value)) return { kind: 'cursor' };
  const trimmed = value.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    // JSON in the query (APE `[{"cmd":"CONNECT"…}]`, Bayeux `message=[{"channel":"/meta/connect"…}]`): keep its role only.
    const role = jsonRole(trimmed);
    return role ? { kind: 'role', value: role } : { kind: 'secret' };
  }
  if (looksRandom(value)) return { kind: 'secret' };
  return { kind: 'keep' };
}

function jsonRole(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === 'object') {
      for (const k of JSON_ROLE_KEYS) {
        const v = (first as Record<string, unknown>)[k];
        if (typeof v === 'string' && v.length <= 64) return v;
      }
    }
  } catch {
    // not JSON after all
  }
  const m = /"(cmd|channel|type|method|op|action)"\s*:\s*"([^"]{1,64})"/.exec(text);
  return m ? m[2]! : null;
}

const STATIC_EXT = /\.(m?js|css|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|eot|map|mp4|webm|mp3|ogg|wasm)$/i;

function templateSegment(seg: string): { key: string; show: string } {
  let decoded = seg;
  try {
    decoded = decodeURIComponent(seg);
  } catch {
    decoded = seg;
  }
  if (STATIC_EXT.test(decoded)) return { key: seg, show: seg };
  if (/^\d+$/.test(decoded)) return { key: '{n}', show: '{n}' };
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(decoded)) return { key: '{id}', show: '{id}' };
  if (/^[0-9a-f]{8,}$/i.test(decoded) && /\d/.test(decoded)) return { key: '{id}', show: '{id}' };
  if (looksRandom(decoded)) return { key: '{id}', show: decoded.length >= 16 ? '…' : '{id}' };
  return { key: seg.toLowerCase(), show: seg };
}

/** APE and similar spread a host over numbered subdomains (`7.ape.example.com`) to dodge the per-host limit. */
function templateHost(host: string): string {
  const h = host.replace(/\.$/, '');
  if (/^[\d.]+$/.test(h) || h.includes(':') || h.startsWith('[')) return h;
  return h.replace(/^\d+\./, '{n}.');
}
