// Counting the messages a capture shows inside one connection: WebSocket frames, SSE events, forever-frame
// <script> chunks, ndjson lines and multipart parts. Each counter takes text or frames and returns numbers.
import { createParser } from 'eventsource-parser';
import type { WsFrame } from '../model.js';

export interface WsFrameCount {
  /** Data frames (text or binary) the client sent. */
  sent: number;
  /** Data frames the server pushed. */
  received: number;
  /** A close frame (opcode 8) was seen, in either direction. */
  closed: boolean;
}

export function countWsFrames(frames: readonly WsFrame[]): WsFrameCount {
  let sent = 0;
  let received = 0;
  let closed = false;
  for (const f of frames) {
    if (f.opcode === 8) closed = true;
    if (f.opcode !== 1 && f.opcode !== 2) continue;
    if (f.direction === 'send') sent++;
    else received++;
  }
  return { sent, received, closed };
}

export interface SseCount {
  /** Dispatched events (a data field followed by a blank line). */
  events: number;
  /** Comment lines (`:` …), which servers use as heartbeats. */
  comments: number;
  /** The last `retry:` the server asked for, in ms. */
  retryMs: number | null;
  /** Events that carried an `id:`, which the browser echoes as Last-Event-ID on reconnect. */
  withId: number;
}

/** Parses an event-stream body with eventsource-parser; an unterminated last event is not counted (the browser would not dispatch it). */
export function countSseEvents(body: string): SseCount {
  const out: SseCount = { events: 0, comments: 0, retryMs: null, withId: 0 };
  const parser = createParser({
    onEvent: (e) => {
      out.events++;
      if (e.id !== undefined) out.withId++;
    },
    onComment: () => {
      out.comments++;
    },
    onRetry: (ms) => {
      out.retryMs = ms;
    },
  });
  parser.feed(body);
  return out;
}

/** Inline `<script>` blocks (no src): each one a message a forever frame pushed. */
export function countScriptChunks(html: string): number {
  let n = 0;
  // [^<>] keeps each match inside one tag, so unclosed `<script` runs cannot make the scan quadratic.
  for (const m of html.matchAll(/<script\b([^<>]*)>/gi)) {
    if (!/\bsrc\s*=/i.test(m[1] ?? '')) n++;
  }
  return n;
}

/** The call each inline script makes (`parent.push(`, `window.cb(`), to tell a forever frame from an ordinary page. */
export function scriptCallNames(html: string): string[] {
  const names: string[] = [];
  // A plain scan rather than one lazy regex: `<script>` blocks that never close would make that quadratic.
  const lower = html.toLowerCase();
  let at = 0;
  while (true) {
    const open = lower.indexOf('<script', at);
    if (open < 0) break;
    const tagEnd = lower.indexOf('>', open);
    if (tagEnd < 0) break;
    const close = lower.indexOf('</script>', tagEnd);
    if (close < 0) break;
    const code = html.slice(tagEnd + 1, Math.min(close, tagEnd + 1 + 512));
    const call = /^\s*(?:try\s*\{\s*)?([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\(/.exec(code);
    if (call) names.push(call[1]!.replace(/\s+/g, ''));
    at = close + 9;
  }
  return names;
}

/** Non-empty lines: messages of an ndjson / line-delimited stream. */
export function countLines(body: string): number {
  return body.split(/\r?\n/).filter((l) => l.trim() !== '').length;
}

/** Parts of a multipart body: each `--boundary` delimiter line except the closing `--boundary--`. */
export function countMultipartParts(body: string, boundary: string | null): number {
  if (boundary) {
    const esc = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return [...body.matchAll(new RegExp(`(?:^|\\r?\\n)--${esc}(?!--)`, 'g'))].length;
  }
  // No boundary declared: take the most frequent `--token` line as the delimiter.
  const counts = new Map<string, number>();
  for (const m of body.matchAll(/(?:^|\n)--([^\s-][^\r\n]*?)(--)?\r?(?=\n|$)/g)) {
    if (m[2]) continue;
    counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  let most = 0;
  for (const c of counts.values()) most = Math.max(most, c);
  return most;
}

export interface Overhead {
  /** Requests made per message delivered (1 for polling that brings one message per answer, ≪1 for streams). */
  requestsPerMessage: number | null;
  /** Request + response header bytes spent per message delivered. */
  headerBytesPerMessage: number | null;
}

export function overheadPerMessage(requests: number, headerBytes: number, messages: number | null): Overhead {
  if (messages === null || messages <= 0) return { requestsPerMessage: null, headerBytesPerMessage: null };
  return { requestsPerMessage: requests / messages, headerBytesPerMessage: headerBytes / messages };
}
