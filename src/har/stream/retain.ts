// What a capture keeps of each exchange. Small captures keep everything (the same Exchanges as reading the whole
// file). Large ones are read "lean", so that memory stays bounded by what analysis reads rather than by the file:
// headers are kept only when detection, measurement or a protocol module reads them; response bodies are dropped
// for page assets (never push candidates) and cut to a cap elsewhere; WebSocket frame payloads are capped too.
// A module that starts reading another header must add it to KEPT_HEADERS (test/stream checks that lean and full
// reads give the same report on every sample and corpus capture).
import type { Header } from '../../model.js';

export type Retention = 'full' | 'lean';

/** Inputs at least this large (decompressed, when that is known) are read lean. */
export const LEAN_FROM_BYTES = 64 * 1024 * 1024;
/** Largest response or request body kept in lean mode; longer ones are cut, with a warning. */
export const BODY_CAP = 1024 * 1024;
/** Largest WebSocket frame or exported SSE event payload kept in lean mode. */
export const FRAME_CAP = 64 * 1024;

export const KEPT_HEADER_NAMES: readonly string[] = [
  'content-type',
  'accept',
  'upgrade',
  'connection',
  'x-requested-with',
  'last-event-id',
  'cache-control',
  'content-length',
  'content-encoding',
  'transfer-encoding',
  'retry-after',
  'keep-alive',
  'location',
  'server',
  'if-none-match',
  'if-modified-since',
  'x-nginx-pushstream-mode',
];
export const KEPT_HEADER_PREFIXES: readonly string[] = ['sec-websocket-', 'x-atmosphere', 'x-signalr', 'x-socket', 'x-comet', 'x-push', 'x-graphql-'];
const KEPT_HEADERS = new Set(KEPT_HEADER_NAMES);
const KEPT_PREFIXES = KEPT_HEADER_PREFIXES;

export function keepHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return KEPT_HEADERS.has(lower) || KEPT_PREFIXES.some((p) => lower.startsWith(p));
}

export function leanHeaders(list: Header[]): Header[] {
  let all = true;
  for (const h of list) if (!keepHeader(h.name)) all = false;
  return all ? list : list.filter((h) => keepHeader(h.name));
}

// Mirrors detect/features.ts notPushReason's asset rules (by resource type and content type only; har/ may not
// import detect/). Streaming types are never assets, whatever they are fetched as.
const ASSET_TYPES = new Set(['image', 'stylesheet', 'font', 'media', 'manifest', 'texttrack', 'ping', 'beacon', 'csp_violation_report', 'cspviolationreport', 'signedexchange', 'prefetch']);
const STREAMING = /^(text\/event-stream|multipart\/x-mixed-replace)$|ndjson|x-ldjson|jsonl|jsonlines|json-?seq|stream\+json/;

export function isStreamingMime(mime: string): boolean {
  return STREAMING.test(mime.split(';')[0]!.trim().toLowerCase());
}

/** True when a response body can never matter to analysis: the exchange is a page asset. */
export function isAsset(resourceType: string, mime: string): boolean {
  const m = mime.split(';')[0]!.trim().toLowerCase();
  if (STREAMING.test(m)) return false;
  if (ASSET_TYPES.has(resourceType.toLowerCase())) return true;
  return /^(image|font|audio|video)\//.test(m) || m === 'text/css' || /font/.test(m);
}

const STATIC_PATH = /\.(m?js|css|png|jpe?g|gif|svg|webp|avif|ico|bmp|woff2?|ttf|otf|eot|map|mp4|webm|mp3|ogg|wasm|pdf|zip)$/i;
const CALLBACK_PARAM = /[?&](callback|jsonp|cb|jsoncallback|jsonpcallback|_callback|jsonp_callback|c)=/i;

/** A static file by its URL (`/app.3f9c.js`), unless a JSONP callback parameter makes it a script transport. */
export function isStaticUrl(url: string): boolean {
  const q = url.search(/[?#]/);
  const path = (q < 0 ? url : url.slice(0, q)).replace(/;[^/]*/g, '');
  if (!STATIC_PATH.test(path)) return false;
  return !CALLBACK_PARAM.test(url);
}
