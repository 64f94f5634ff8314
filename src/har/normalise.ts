import type { Exchange, ExchangeState, ExportedSseEvent, Header, Timings, WsFrame } from '../model.js';
import { parseHarDate } from './dates.js';
import { SpilledText, textOf, type StoredText } from './stream/spill.js';
import { StoredFrame } from './stream/stored.js';
import type { WarningCollector } from './warnings.js';

/** A `time` above this is taken as an exporter bug (e.g. 282,000,000 ms), not a 3-day request. */
export const ABSURD_MS = 24 * 3600 * 1000;

type Obj = Record<string, unknown>;

function asObj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

function asStr(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** A finite number, or a numeric string; otherwise null. */
function asNum(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && v.length < 40) {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function own(o: Obj | null, key: string): unknown {
  return o !== null && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** Everything needed to place an entry in time before the capture's end is known. */
export interface PartialExchange extends Omit<Exchange, 'index' | 'requestBody' | 'responseBody'> {
  /** Long texts of a large capture may wait in the spill file (stream/spill.ts). */
  requestBody: StoredText;
  responseBody: StoredText;
  /** Original position in the file, to keep sorting stable. */
  order: number;
  /** Start time was missing or unreadable and was placed after the previous entry. */
  startGuessed: boolean;
  /** Duration was unknown (open requests): the end is set to the capture's end later. */
  durationKnown: boolean;
}

export interface NormaliseContext {
  input: number;
  warnings: WarningCollector;
  /** Start of the previous entry in file order, for entries without a usable date. */
  previousStart: number | null;
  /**
   * The entries were projected by the streaming reader (stream/project.ts): request and response may carry, under
   * CARRIED_HEADER_BYTES, [Σ(name + value + 4), count] over their full header lists, which were cut down to the kept
   * headers. Never set for whole-file reads.
   */
  carriedHeaderBytes?: boolean;
}

/** Key of the carried header estimate in projected entries (see NormaliseContext.carriedHeaderBytes). */
export const CARRIED_HEADER_BYTES = '\u0000hb';

function carried(o: Obj | null, ctx: NormaliseContext): [number, number] | null {
  if (!ctx.carriedHeaderBytes) return null;
  const v = own(o, CARRIED_HEADER_BYTES);
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number' ? (v as [number, number]) : null;
}

const TEXTUAL = /^(text\/|application\/(json|javascript|x-javascript|ecmascript|xml|x-ndjson|ndjson|x-www-form-urlencoded|graphql|.*\+json|.*\+xml))/;

export function normaliseEntry(raw: unknown, order: number, ctx: NormaliseContext): PartialExchange | null {
  const { warnings } = ctx;
  const entry = asObj(raw);
  if (!entry) {
    warnings.add('entry-not-object', 'an entry is not a JSON object; skipped');
    return null;
  }
  const request = asObj(own(entry, 'request'));
  const responseRaw = own(entry, 'response');
  const response = asObj(responseRaw);
  if (!request) warnings.add('no-request', 'an entry has no request object; analysed with an unknown URL');
  if (!response) warnings.add('no-response', 'an entry has no response object; treated as having no response');

  // --- when ---
  const parsed = parseHarDate(own(entry, 'startedDateTime'));
  let start: number;
  let startGuessed = false;
  if (parsed) {
    start = parsed.ms;
    if (!parsed.hadZone) warnings.add('date-no-zone', 'startedDateTime without a time zone; assumed UTC');
  } else {
    startGuessed = true;
    start = ctx.previousStart ?? 0;
    const rawDate = own(entry, 'startedDateTime');
    warnings.add(
      rawDate === '' || rawDate === undefined || rawDate === null ? 'date-empty' : 'date-bad',
      rawDate === '' || rawDate === undefined || rawDate === null
        ? 'startedDateTime is empty or missing; placed the entry right after the previous one'
        : 'startedDateTime is not a date; placed the entry right after the previous one',
    );
  }
  ctx.previousStart = start;
  if (parsed && start < Date.UTC(1971, 0, 1)) {
    warnings.add('date-epoch', 'startedDateTime is in 1969/1970 (an exporter placeholder, not a real time)');
  }

  // --- timings ---
  const t = asObj(own(entry, 'timings'));
  if (!t) warnings.add('timings-missing', 'an entry has no timings object');
  else if (Object.keys(t).length === 0) warnings.add('timings-empty', 'an entry has empty timings {} (Firefox writes this when it has none)');
  let badTiming = false;
  const field = (name: keyof Timings): number | null => {
    const v = own(t, name);
    if (v === undefined) return null;
    const n = asNum(v);
    if (n === null || n < 0) {
      if (n !== -1 && v !== null) badTiming = true;
      return null;
    }
    if (n > ABSURD_MS) {
      badTiming = true;
      return null;
    }
    return n;
  };
  const timings: Timings = {
    blocked: field('blocked'),
    dns: field('dns'),
    connect: field('connect'),
    ssl: field('ssl'),
    send: field('send'),
    wait: field('wait'),
    receive: field('receive'),
  };
  if (badTiming) warnings.add('timing-bad', 'timings with negative, non-numeric or absurd values were treated as unknown');
  if (timings.ssl !== null && timings.connect !== null && timings.ssl > timings.connect) {
    warnings.add('ssl-over-connect', 'ssl is larger than connect (it should be counted inside connect)');
  }
  // ssl is part of connect in HAR, so it is never added on top.
  const parts = [timings.blocked, timings.dns, timings.connect, timings.send, timings.wait, timings.receive];
  const known = parts.filter((v): v is number => v !== null);
  const timingSum = known.reduce((a, b) => a + b, 0);
  const rawTime = asNum(own(entry, 'time'));
  let duration: number;
  let durationKnown = true;
  if (rawTime !== null && rawTime >= 0 && rawTime <= ABSURD_MS) {
    duration = Math.max(rawTime, timingSum);
  } else {
    if (rawTime !== null && rawTime > ABSURD_MS) {
      warnings.add('time-absurd', `an entry's time is absurd (over 24 h); used the sum of its timings instead`);
    }
    duration = timingSum;
    if (known.length === 0) durationKnown = false;
  }

  // --- response state ---
  const status = asNum(own(response, 'status')) ?? 0;
  const error =
    asStr(own(response, '_error')) ||
    asStr(own(entry, '_error')) ||
    asStr(own(response, '_failureText')) ||
    asStr(own(entry, '_failureText')) ||
    null;
  const wasAborted = own(entry, '_wasAborted') === true || own(response, '_wasAborted') === true;
  const content = asObj(own(response, 'content'));
  if (response && (!content || Object.keys(content).length === 0)) {
    warnings.add('content-empty', 'response.content is missing or empty {}');
  }
  if (/omitted|not included|exceeded/i.test(asStr(own(content, 'comment')))) {
    warnings.add('body-omitted', 'the exporter left some response bodies out (content.comment says so)');
  }
  const mimeType = asStr(own(content, 'mimeType')).split(';')[0]!.trim().toLowerCase();
  const responseHeaders = headers(own(response, 'headers'));
  const headerMime = headerValue(responseHeaders, 'content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';

  const url = asStr(own(request, 'url'));
  const methodRaw = asStr(own(request, 'method')).toUpperCase();
  if (!methodRaw) warnings.add('no-method', 'an entry has no request method; read as GET');
  const method = methodRaw || 'GET';

  const isWs = /^wss?:/i.test(url) || status === 101;
  const wsFrames = readWsFrames(own(entry, '_webSocketMessages'), start, warnings);

  let state: ExchangeState;
  if (wasAborted || (error !== null && /abort|cancel/i.test(error))) state = 'aborted';
  else if (error !== null && status <= 0) state = 'failed';
  else if (status > 0 && status !== 101 && bodyStillArriving(t, response, content)) {
    // Playwright writes an entry at its response headers and completes it when the body ends: receive -1 and
    // sizes -1 mean the body was still arriving when the capture was written (an open stream or forever frame).
    state = 'open';
    warnings.add('receiving', 'a response was still arriving when the capture was written (headers only, open at capture end)');
  } else if (status > 0 && status !== 101) state = 'complete';
  else if (isWs && status === 101) {
    const closed = wsFrames?.some((f) => f.opcode === 8) ?? false;
    state = closed ? 'complete' : 'open';
  } else if (method === 'CONNECT' && durationKnown) {
    state = 'complete'; // a proxy tunnel that closed: there is no HTTP response to record
  } else if ([timings.connect, timings.send, timings.wait, timings.receive].some((v) => v !== null && v > 0)) {
    // The exchange went on the wire and ended, but the exporter kept no response (WebPageTest -2, CONNECT tunnels).
    state = 'failed';
    warnings.add('no-response-recorded', 'an entry that ended has no response recorded; counted as failed');
  } else {
    // No response and no error: still pending when the capture was written. Detection decides whether a later
    // retry shows it really failed; only the last of its chain is open at capture end.
    state = 'open';
    warnings.add('pending', 'an entry has no response and no error (pending when the capture was written, or failed silently)');
  }
  if (status === -999) warnings.add('status-999', 'status -999 "NO RESPONSE" (BrowserMob) read as no response');
  if (status < 0 && status !== -1 && status !== -999) warnings.add('status-negative', 'a negative status was read as no response');
  if (status > 0 && status < 100) warnings.add('status-odd', 'a status below 100 was kept as it is');

  // A WebSocket lives until its last frame, not just its handshake.
  let end = start + duration;
  if (wsFrames && wsFrames.length > 0) end = Math.max(end, wsFrames[wsFrames.length - 1]!.time);
  if (state === 'open' && isWs) durationKnown = false;

  // --- bodies ---
  // A large capture's reader may have put a long text in the spill file already, as it stood (stream/batch.ts).
  let responseBody: StoredText = null;
  const text = own(content, 'text');
  if (typeof text === 'string' || text instanceof SpilledText) {
    const encoding = asStr(own(content, 'encoding')).toLowerCase();
    if (encoding === 'base64') {
      const mime = mimeType || headerMime;
      if (mime === '' || TEXTUAL.test(mime)) responseBody = Buffer.from(textOf(text)!, 'base64').toString('utf8');
    } else responseBody = text;
  }
  const postData = asObj(own(request, 'postData'));
  const post = own(postData, 'text');
  const requestBody = typeof post === 'string' || post instanceof SpilledText ? post : null;

  const requestHeaders = headers(own(request, 'headers'));
  if (!url) warnings.add('no-url', 'an entry has no request URL');

  const httpVersion = asStr(own(response, 'httpVersion')) || asStr(own(request, 'httpVersion'));
  const bodySize = asNum(own(response, 'bodySize'));
  const contentSize = asNum(own(content, 'size'));
  const responseBodyBytes =
    bodySize !== null && bodySize > 0 ? bodySize : contentSize !== null && contentSize > 0 ? contentSize : (textOf(responseBody)?.length ?? 0);

  const resourceTypeRaw = asStr(own(entry, '_resourceType'));
  return {
    order,
    startGuessed,
    durationKnown,
    input: ctx.input,
    method,
    url,
    start,
    end,
    duration: Math.max(0, end - start),
    timings,
    status: status > 0 ? status : 0,
    statusText: asStr(own(response, 'statusText')),
    state,
    error,
    httpVersion,
    resourceType: resourceTypeRaw ? resourceTypeRaw.toLowerCase() : isWs ? 'websocket' : null,
    mimeType: mimeType && mimeType !== 'x-unknown' ? mimeType : headerMime,
    requestHeaders,
    responseHeaders,
    requestBody,
    responseBody,
    requestHeaderBytes: headerBytes(asNum(own(request, 'headersSize')), requestHeaders, `${method} ${url} HTTP/1.1`, carried(request, ctx)),
    responseHeaderBytes:
      state === 'complete' || status > 0 ? headerBytes(asNum(own(response, 'headersSize')), responseHeaders, `HTTP/1.1 ${status}`, carried(response, ctx)) : 0,
    responseBodyBytes,
    wsFrames,
    sseEvents: readSseEvents(own(entry, '_eventSourceMessages'), start, warnings),
    pushed: Boolean(own(entry, '_was_pushed')) || Boolean(own(entry, '_wasPushed')),
    fromCache: Boolean(own(entry, '_fromCache')) || /cache/i.test(asStr(own(entry, '_fetchType'))),
    pageref: asStr(own(entry, 'pageref')) || null,
    connection: asStr(own(entry, 'connection')) || null,
  };
}

function bodyStillArriving(timings: Obj | null, response: Obj | null, content: Obj | null): boolean {
  return (
    asNum(own(timings, 'receive')) === -1 &&
    asNum(own(response, 'bodySize')) === -1 &&
    (asNum(own(content, 'size')) ?? -1) === -1 &&
    typeof own(content, 'text') !== 'string'
  );
}

function headers(raw: unknown): Header[] {
  if (!Array.isArray(raw)) return [];
  const out: Header[] = [];
  for (const h of raw) {
    const o = asObj(h);
    if (o) out.push({ name: asStr(own(o, 'name')), value: asStr(own(o, 'value')) });
  }
  return out;
}

/** The value of the first header with this name (case-insensitive), or null. Every stage looks headers up with this. */
export function headerValue(list: readonly Header[], name: string): string | null {
  const lower = name.toLowerCase();
  // Called for every module × exchange × name: compare lengths before building a lower-cased copy. (Lower-casing
  // keeps the length of anything that can become ASCII: the Kelvin sign K → k; İ → i̇ is not ASCII.)
  for (const h of list) if (h.name.length === lower.length && (h.name === lower || h.name.toLowerCase() === lower)) return h.value;
  return null;
}

function headerBytes(declared: number | null, list: Header[], firstLine: string, full: [number, number] | null): number {
  if (declared !== null && declared > 0) return declared;
  if (full !== null) return full[1] === 0 ? 0 : full[0] + firstLine.length + 4;
  if (list.length === 0) return 0;
  // name + ": " + value + CRLF per header, the start line and the blank line that ends the block.
  return list.reduce((sum, h) => sum + h.name.length + h.value.length + 4, firstLine.length + 4);
}

/** A frame or event time this far from its entry's start is an exporter bug, not a 3-day-old socket. */
function plausibleTime(time: number, start: number): boolean {
  return time >= start - 60_000 && time <= start + 7 * ABSURD_MS;
}

function readWsFrames(raw: unknown, start: number, warnings: WarningCollector): WsFrame[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) {
    warnings.add('ws-messages-bad', '_webSocketMessages is not a list; ignored');
    return null;
  }
  const frames: WsFrame[] = [];
  for (const m of raw) {
    const o = asObj(m);
    const time = asNum(own(o, 'time'));
    if (!o || time === null) {
      warnings.add('ws-frame-bad', 'a WebSocket message without a time was ignored');
      continue;
    }
    const type = asStr(own(o, 'type')).toLowerCase();
    // Chrome writes epoch seconds; Playwright and some tools write ms.
    let ms = time > 1e11 ? time : time * 1000;
    if (!plausibleTime(ms, start)) {
      warnings.add('ws-frame-time', 'a WebSocket message time is far from its connection start; placed at the start');
      ms = start;
    }
    const direction = type === 'send' || type === 'sent' || type === 'outgoing' ? 'send' : 'receive';
    const opcode = asNum(own(o, 'opcode')) ?? 1;
    const data = own(o, 'data');
    frames.push(data instanceof SpilledText ? new StoredFrame(ms, direction, opcode, data) : { time: ms, direction, opcode, data: asStr(data) });
  }
  frames.sort((a, b) => a.time - b.time);
  return frames;
}

function readSseEvents(raw: unknown, start: number, warnings: WarningCollector): ExportedSseEvent[] | null {
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) {
    warnings.add('sse-messages-bad', '_eventSourceMessages is not a list; ignored');
    return null;
  }
  const events: ExportedSseEvent[] = [];
  for (const m of raw) {
    const o = asObj(m);
    if (!o) continue;
    const raw = asNum(own(o, 'time'));
    const ms = raw === null ? null : raw > 1e11 ? raw : raw * 1000;
    events.push({
      time: ms !== null && plausibleTime(ms, start) ? ms : null,
      event: asStr(own(o, 'eventName')) || asStr(own(o, 'event')) || asStr(own(o, 'type')) || 'message',
      data: asStr(own(o, 'data')),
      id: asStr(own(o, 'eventId')) || asStr(own(o, 'id')) || null,
    });
  }
  return events;
}

export function isTextual(mime: string): boolean {
  return TEXTUAL.test(mime);
}
