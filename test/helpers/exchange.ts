// Builds Exchanges and Captures for tests with sensible defaults: a quick, complete GET answered 200 with JSON.
import type { Capture, Exchange, InputSummary, Timings, WsFrame } from '../../src/model.js';

/** Fixed base time so tests never depend on the clock: 2024-01-01T00:00:00Z. */
export const T0 = Date.UTC(2024, 0, 1);

let counter = 0;

export interface ExchangeSpec extends Partial<Omit<Exchange, 'timings'>> {
  /** Start, in ms after T0 (instead of `start`). */
  at?: number;
  /** Duration in ms (instead of `end`). */
  hold?: number;
  timings?: Partial<Timings>;
}

export function exchange(spec: ExchangeSpec = {}): Exchange {
  const { at, hold, timings, ...rest } = spec;
  const start = rest.start ?? T0 + (at ?? 0);
  const duration = hold ?? (rest.end !== undefined ? rest.end - start : 20);
  const end = rest.end ?? start + duration;
  const t: Timings = { blocked: 0, dns: null, connect: null, ssl: null, send: 0, wait: duration, receive: 0, ...timings };
  return {
    index: counter++,
    input: 0,
    method: 'GET',
    url: 'https://example.test/api',
    status: 200,
    statusText: 'OK',
    state: 'complete',
    error: null,
    httpVersion: 'HTTP/1.1',
    resourceType: 'xhr',
    mimeType: 'application/json',
    requestHeaders: [],
    responseHeaders: [],
    requestBody: null,
    responseBody: null,
    requestHeaderBytes: 300,
    responseHeaderBytes: 200,
    responseBodyBytes: 0,
    wsFrames: null,
    sseEvents: null,
    pushed: false,
    fromCache: false,
    pageref: null,
    connection: null,
    ...rest,
    start,
    end,
    duration: Math.max(0, end - start),
    timings: t,
  };
}

/** A chain of requests to one URL, each sent `gap` ms after the previous answer. */
export function chain(count: number, spec: (i: number) => ExchangeSpec & { hold: number }, gap = 5, startAt = 0): Exchange[] {
  const out: Exchange[] = [];
  let at = startAt;
  for (let i = 0; i < count; i++) {
    const s = spec(i);
    out.push(exchange({ ...s, at }));
    at += s.hold + gap;
  }
  return out;
}

export function frame(atMs: number, direction: WsFrame['direction'], data = 'x', opcode = 1): WsFrame {
  return { time: T0 + atMs, direction, opcode, data };
}

export function capture(exchanges: Exchange[], summary: Partial<InputSummary> = {}): Capture {
  const sorted = [...exchanges].sort((a, b) => a.start - b.start).map((e, index) => ({ ...e, index }));
  return {
    summary: {
      file: 'test.har',
      creator: 'test 1.0',
      exporter: 'chrome',
      harVersion: '1.2',
      entries: exchanges.length,
      pages: 0,
      truncated: false,
      warnings: [],
      ...summary,
    },
    warnings: [],
    exchanges: sorted,
  };
}
