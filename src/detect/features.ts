// Facts about a single exchange that detection weighs: is it a WebSocket, a page asset, a streaming response,
// an empty (timeout) answer, and which browser mechanism (carrier) made it.
import type { Carrier, Exchange } from '../model.js';
import { headerValue } from '../har/normalise.js';
import { responseTrimmedAtLeast } from '../har/peek.js';
import { countLines, countScriptChunks, scriptCallNames } from '../measure/messages.js';
import type { EndpointTemplate } from './endpoint.js';
import { firstByteMs } from './util.js';

export { headerValue };

export function isWebSocket(ex: Exchange): boolean {
  if (/^wss?:/i.test(ex.url)) return true;
  if (ex.status === 101) return true;
  if (ex.resourceType === 'websocket') return true;
  return (headerValue(ex.requestHeaders, 'upgrade') ?? '').toLowerCase() === 'websocket';
}

const ASSET_TYPES = new Set(['image', 'stylesheet', 'font', 'media', 'manifest', 'texttrack', 'ping', 'beacon', 'csp_violation_report', 'cspviolationreport', 'signedexchange', 'prefetch']);
const STATIC_PATH = /\.(m?js|css|png|jpe?g|gif|svg|webp|avif|ico|bmp|woff2?|ttf|otf|eot|map|mp4|webm|mp3|ogg|wasm|pdf|zip)$/i;

/**
 * Never push: HTTP/2 pushed resources, CONNECT tunnels, beacons, and page assets (images, styles, fonts, static
 * scripts). A static .js file with a JSONP callback parameter is not an asset; neither is any response whose type is
 * a streaming one (an MJPEG multipart/x-mixed-replace stream is fetched as an image). The endpoint is asked for
 * only when the exchange's own fields do not settle it (making one parses the URL).
 */
export function notPushReason(ex: Exchange, endpoint: () => EndpointTemplate): string | null {
  if (ex.pushed) return 'HTTP/2 pushed resource';
  if (ex.method.toUpperCase() === 'CONNECT') return 'CONNECT tunnel';
  if (ex.fromCache) return 'served from cache';
  if (isStreamingType(ex.mimeType)) return null;
  const rt = ex.resourceType ?? '';
  if (ASSET_TYPES.has(rt)) return `page asset (${rt})`;
  const mime = ex.mimeType;
  if (/^(image|font|audio|video)\//.test(mime) || mime === 'text/css' || /font/.test(mime)) return `page asset (${mime})`;
  const ep = endpoint();
  if (ep.callbackParam === null && STATIC_PATH.test(ep.segments[ep.segments.length - 1] ?? '')) return 'static file';
  return null;
}

function isStreamingType(mime: string): boolean {
  return (
    mime === 'text/event-stream' ||
    mime === 'multipart/x-mixed-replace' ||
    /(^|[/+.-])n?d?json-?seq$|ndjson|x-ldjson|jsonl|jsonlines|stream\+json/.test(mime)
  );
}

export type StreamKind = 'sse' | 'multipart' | 'ndjson' | 'forever-frame' | 'progressive';

export interface StreamEvidence {
  kind: StreamKind;
  reason: string;
}

/**
 * Whether one response carried many messages. A content type says so outright (event-stream, x-mixed-replace,
 * ndjson). A text/html document says so when it is a forever frame: several inline scripts calling the same function
 * while the body keeps arriving (long receive) or is still open. Plain text/JSON counts only when it is still
 * open, or was read for a long time after the first byte, with several lines — that is XHR streaming; a long-poll
 * waits before its first byte and then arrives at once.
 */
export function streamEvidence(ex: Exchange, captureEnd: number): StreamEvidence | null {
  const mime = ex.mimeType;
  const accept = (headerValue(ex.requestHeaders, 'accept') ?? '').toLowerCase();
  if (mime === 'text/event-stream') return { kind: 'sse', reason: 'response is text/event-stream' };
  if (mime === '' && accept.includes('text/event-stream') && ex.state === 'open') {
    return { kind: 'sse', reason: 'request accepts text/event-stream and the response was still open' };
  }
  if (mime === 'multipart/x-mixed-replace') return { kind: 'multipart', reason: 'response is multipart/x-mixed-replace' };
  if (isStreamingType(mime)) return { kind: 'ndjson', reason: `response is ${mime}` };
  const open = ex.state === 'open' || ex.end >= captureEnd - 1;
  const receive = ex.timings.receive ?? 0;
  const longRead = receive >= 2000 && receive >= 0.5 * ex.duration;
  const rt = ex.resourceType;
  // The timing test first: it is cheap, and most documents load at once, where the body can be a long page.
  if (mime === 'text/html' && rt !== 'script' && (longRead || open || ex.duration >= 5000) && ex.responseBody) {
    const chunks = countScriptChunks(ex.responseBody);
    const calls = scriptCallNames(ex.responseBody);
    const top = mostCommon(calls);
    if (chunks >= 3 && top && top.count >= 3) {
      return { kind: 'forever-frame', reason: `text/html with ${chunks} inline <script> chunks calling ${top.value}(…)` };
    }
  }
  if (rt === 'script' || rt === 'document' || ASSET_TYPES.has(rt ?? '')) return null;
  if (/^(text\/plain|application\/(json|javascript|x-javascript|octet-stream)|text\/javascript)$/.test(mime) || mime === '') {
    // The first byte is timed from the start of the entry, waiting for a connection included: a request Chromium
    // sent again after a 408 spent the first attempt's hold there (see unsentMs); not timed, it is no early first byte, and was no stream for it.
    const firstByte = firstByteMs(ex) ?? ex.duration;
    if (open && ex.status >= 200 && ex.status < 300 && ex.duration >= 5000 && (rt === 'xhr' || rt === 'fetch') && firstByte < 0.5 * ex.duration) {
      return { kind: 'progressive', reason: `${mime || 'untyped'} response still open at capture end after its first byte arrived` };
    }
    // Lines are counted only for a long read: the body may have to be read back from disk (spill.ts).
    if (longRead) {
      const lines = countLines(ex.responseBody ?? '');
      if (lines >= 3) return { kind: 'progressive', reason: `${mime || 'untyped'} response read progressively (${lines} lines over ${Math.round(receive / 1000)} s)` };
    }
  }
  return null;
}

function mostCommon(values: readonly string[]): { value: string; count: number } | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: { value: string; count: number } | null = null;
  for (const [value, count] of counts) if (!best || count > best.count) best = { value, count };
  return best;
}

/**
 * Whether an answer carried no data: the server's timeout reply. Known no-data forms: 204/304/408, an empty body,
 * `{}`/`[]`/`null`, an Engine.IO noop `6`, an empty BOSH `<body/>`, a JSONP call with nothing in it, or a short body
 * that says timeout (WeChat's `window.wx_errcode=408`). null when the capture kept no body.
 */
export function isEmptyAnswer(ex: Exchange): boolean | null {
  if (ex.state !== 'complete') return null;
  if (ex.status === 204 || ex.status === 304 || ex.status === 408) return true;
  // The length first: a long body may have to be read back from disk (har/peek.ts).
  const least = responseTrimmedAtLeast(ex);
  if (least === null) return ex.responseBodyBytes === 0 && ex.status === 200 && ex.mimeType !== '' ? true : null;
  // No-data answers are short; bounding the length also keeps the patterns below linear on hostile bodies.
  if (least > 2000) return false;
  const t = ex.responseBody!.trim();
  if (t === '') return true;
  if (t.length > 2000) return false;
  if (/^(\{\s*\}|\[\s*\]|null|"")$/.test(t)) return true;
  if (/^(\d+:)?6$/.test(t)) return true;
  if (/^<body\b[^>]*\/>$/.test(t) || /^<body\b[^>]*>\s*<\/body>$/.test(t)) return true;
  if (/^[\w$.]+\(\s*(\{\s*\}|\[\s*\]|null|""|'')?\s*\)\s*;?$/.test(t)) return true;
  if (t.length <= 200 && (/errcode\s*[=:]\s*['"]?408\b/i.test(t) || /\btime[d_ -]?out\b/i.test(t))) return true;
  return emptyEnvelope(t);
}

const EMPTY_CONTAINER = /\[[ \t\r\n]*\]|\{[ \t\r\n]*\}/;

/**
 * `{"events":[]}`, `cb({"cmd":"getMessage","code":0,"msgs":[]})`: an envelope whose every list or object is empty.
 * Scalars beside them (status codes, command names) are bookkeeping, not data.
 */
function emptyEnvelope(text: string): boolean {
  // Every container empty means at least one `[]` or `{}` in the text: most answers with data have none, and are
  // not parsed at all (a long capture has hundreds of thousands of them).
  if (text.length > 2000 || !EMPTY_CONTAINER.test(text)) return false;
  const inner = /^[\w$.]+\(([\s\S]*)\)\s*;?$/.exec(text)?.[1] ?? text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(inner);
  } catch {
    return false;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
  const containers = Object.values(parsed as Record<string, unknown>).filter((v) => v !== null && typeof v === 'object');
  return containers.length > 0 && containers.every((v) => (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0));
}

export interface CarrierGuess {
  carrier: Carrier;
  /** Finer wording for labels: fetch vs XMLHttpRequest. */
  detail: 'xhr' | 'fetch' | null;
  reason: string;
}

/** Carrier from the exporter's resource type where it gives one, else from what the request and response look like. */
export function carrierOf(ex: Exchange, ep: EndpointTemplate): CarrierGuess {
  const rt = ex.resourceType;
  switch (rt) {
    case 'xhr':
      return { carrier: 'xhr', detail: 'xhr', reason: 'resource type xhr' };
    case 'fetch':
      return { carrier: 'xhr', detail: 'fetch', reason: 'resource type fetch' };
    case 'script':
      return { carrier: 'script', detail: null, reason: 'resource type script' };
    case 'document':
    case 'subdocument':
    case 'iframe':
      return { carrier: 'iframe', detail: null, reason: `resource type ${rt}` };
    case 'eventsource':
      return { carrier: 'eventsource', detail: null, reason: 'resource type eventsource' };
    case 'websocket':
      return { carrier: 'websocket', detail: null, reason: 'resource type websocket' };
    default:
      break;
  }
  if (isWebSocket(ex)) return { carrier: 'websocket', detail: null, reason: 'WebSocket handshake' };
  const accept = (headerValue(ex.requestHeaders, 'accept') ?? '').toLowerCase();
  if (accept.startsWith('text/event-stream')) return { carrier: 'eventsource', detail: null, reason: 'request sends Accept: text/event-stream' };
  const js = /javascript|ecmascript/.test(ex.mimeType);
  if (ep.callbackParam && (js || ex.mimeType === '')) {
    return { carrier: 'script', detail: null, reason: `JSONP callback parameter "${ep.callbackParam}"${js ? ' and a JavaScript answer' : ''}` };
  }
  if (ex.mimeType === 'text/html' && ex.responseBody && countScriptChunks(ex.responseBody) >= 2) {
    return { carrier: 'iframe', detail: null, reason: 'text/html document with script chunks' };
  }
  if ((headerValue(ex.requestHeaders, 'x-requested-with') ?? '').toLowerCase() === 'xmlhttprequest') {
    return { carrier: 'xhr', detail: 'xhr', reason: 'X-Requested-With: XMLHttpRequest' };
  }
  if (rt === null || rt === 'other' || rt === '') {
    return { carrier: 'xhr', detail: null, reason: 'no resource type recorded; assumed XMLHttpRequest or fetch' };
  }
  return { carrier: 'other', detail: null, reason: `resource type ${rt}` };
}
