// Small helpers shared by detection and measurement of a channel.
import type { Exchange } from '../model.js';
import { hasResponseBody } from '../har/peek.js';

/**
 * A copy of an exchange with some fields changed. Not `{ ...ex, … }`: an exchange read from a large capture keeps
 * its long texts behind accessors on its prototype (har/stream/stored.ts), and a spread would leave them behind.
 */
export function amend(ex: Exchange, changes: Partial<Exchange>): Exchange {
  return Object.assign(Object.create(Object.getPrototypeOf(ex) as object | null) as Exchange, ex, changes);
}

/** When a connection really ended: WebSocket frames and exporter-recorded SSE events can outlive the entry's `time`. */
export function effectiveEnd(ex: Exchange): number {
  // Asked many times of every request: indexed loops, and no empty array made for the many without frames.
  let end = ex.end;
  const frames = ex.wsFrames;
  if (frames !== null) for (let i = 0; i < frames.length; i += 1) if (frames[i]!.time > end) end = frames[i]!.time;
  const events = ex.sseEvents;
  if (events !== null) {
    for (let i = 0; i < events.length; i += 1) {
      const t = events[i]!.time;
      if (t !== null && t > end) end = t;
    }
  }
  return end;
}

/**
 * Whether connections of one endpoint (spans in start order) came from clients side by side (two tabs, two clients of
 * one page): at least two of them, and a third of those after the first, opened while an earlier one was still open
 * more than `slackMs` later. One client opens its next connection once the last has closed, bar a close written late
 * now and then.
 */
export function clientsSideBySide(spans: readonly { start: number; end: number }[], slackMs: number): boolean {
  let latest = -Infinity;
  let beside = 0;
  for (const s of spans) {
    if (latest > s.start + slackMs) beside += 1;
    latest = Math.max(latest, s.end);
  }
  return beside >= 2 && beside * 3 >= spans.length - 1;
}

/** A WebSocket handshake that was never answered: no 101, no frame, and the attempt failed. It opened no connection. */
export function socketNeverOpened(ex: Exchange): boolean {
  return ex.status !== 101 && (ex.wsFrames === null || ex.wsFrames.length === 0) && isErrorExchange(ex);
}

/**
 * Whether a connection that ends at `end` had ended by `start`, when the next one opened. Exporters and clocks put
 * a close and the next open up to half a second the wrong way round; an end later than that means the two ran side
 * by side, and the later one was no retry of the earlier.
 */
export function endedBy(end: number, start: number): boolean {
  return end <= start + ENDED_BY_MS;
}

/** endedBy's tolerance. */
export const ENDED_BY_MS = 500;

/**
 * How long before a request went out: queued or blocked in the browser, DNS, connecting. Connect includes ssl in HAR;
 * where an exporter wrote a longer ssl than connect (Playwright does for a request Chromium sent again on a new
 * connection), the ssl time is taken as the connect time.
 */
export function unsentMs(ex: Exchange): number {
  const t = ex.timings;
  const before = (t.blocked ?? 0) + (t.dns ?? 0) + Math.max(t.connect ?? 0, t.ssl ?? 0);
  return Math.min(before, Math.max(0, ex.duration));
}

/** From the start of the entry to the answer's first byte (unsentMs, send, wait); null when the wait is not known. */
export function firstByteMs(ex: Exchange): number | null {
  const t = ex.timings;
  return t.wait === null ? null : unsentMs(ex) + (t.send ?? 0) + t.wait;
}

/** How long the server held a request: from the moment it was sent to the end of its answer (see unsentMs). */
export function serverHold(ex: Exchange): number {
  return Math.max(0, effectiveEnd(ex) - ex.start - unsentMs(ex));
}

/**
 * A 408 Request Timeout answered after the server held the request this long is a long-poll server's answer to its
 * own timeout (nchan, nginx_http_push_module), the loop's no-data answer, not a failure.
 */
export const TIMEOUT_ANSWER_MS = 1000;

/**
 * A failure the client had to recover from: a failed request, an abort before any response, or an HTTP error.
 * An abort after a 2xx/3xx response is not one: the answer came and the client stopped reading (Playwright marks
 * 304s and finished fetch streams net::ERR_ABORTED; Chrome does the same for an EventSource the page closed). A 408
 * after a hold is a timeout answer (TIMEOUT_ANSWER_MS).
 */
export function isErrorExchange(ex: Exchange): boolean {
  if (ex.status === 408 && ex.state === 'complete' && serverHold(ex) >= TIMEOUT_ANSWER_MS) return false;
  if (ex.status >= 400) return true;
  if (ex.state === 'failed') return true;
  return ex.state === 'aborted' && ex.status === 0;
}

/** Response types that carry a stream whatever the exporter recorded of their timing. */
export function isStreamMime(mime: string): boolean {
  return mime === 'text/event-stream' || mime === 'multipart/x-mixed-replace' || /ndjson|x-ldjson|jsonl|json-seq|stream\+json/.test(mime);
}

/**
 * The exporter wrote the entry when the response headers arrived and never learnt when the body ended (Playwright
 * for fetch streams and unfinished EventSources, mitmproxy for streamed bodies): no body, no receive time.
 */
export function lifetimeUnknown(ex: Exchange): boolean {
  // A WebSocket that ended without a close frame (detect/settle.ts silentSocket): it died after its last frame,
  // unless its recorded time said when it closed (then it ends later). Asked often; a socket that closed has its
  // close frame at or near the end, so the frames are searched from there.
  if (ex.status === 101) {
    const frames = ex.wsFrames;
    if (ex.state !== 'complete' || frames === null) return false;
    let last = -Infinity;
    for (let k = frames.length - 1; k >= 0; k -= 1) {
      if (frames[k]!.opcode === 8) return false;
      if (frames[k]!.time > last) last = frames[k]!.time;
    }
    return ex.end <= last;
  }
  if (ex.state === 'open' || ex.status === 0 || !isStreamMime(ex.mimeType)) return false;
  if (hasResponseBody(ex)) return false;
  return ex.timings.receive === null || (ex.timings.receive <= 1 && ex.duration < 1000);
}

/** Human seconds: "25 s", "2.5 s", "180 ms". */
export function seconds(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`;
}
