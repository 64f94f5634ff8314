// Streams of two clients on one endpoint (two tabs on one SSE endpoint, recorded into one HAR): each tab reconnects
// after its own drops (detect/roles.ts sideBySide). One client whose new connection now and then opens before the
// exporter wrote the old one's close stays one chain.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ChannelReport } from '../../src/model.js';
import { capture, exchange } from '../helpers/exchange.js';

function stream(at: number, hold: number) {
  return exchange({ at, hold, url: 'https://example.test/events', mimeType: 'text/event-stream', resourceType: 'eventsource', responseBody: 'data: x\n\n'.repeat(3) });
}

/** One tab's EventSource: the server drops it at each of `drops`; the tab comes back `retry` ms (+ `lag`) later. */
function tab(lag: number, drops: number[], retry: number) {
  const out = [stream(lag, drops[0]! - lag)];
  drops.slice(1).forEach((drop, k) => {
    const at = drops[k]! + retry + lag;
    out.push(stream(at, drop - at));
  });
  return out;
}

function channelOf(...exs: ReturnType<typeof exchange>[]): ChannelReport {
  const a = analyze([capture(exs)], { tool: { name: 'comet-inspect', version: 'test' } });
  expect(a.channels).toHaveLength(1);
  return a.channels[0]!;
}

const drops = [30_000, 61_000, 93_000, 127_000, 165_000];

describe('streams side by side', () => {
  it('count each tab\'s reconnects when the server drops two tabs\' event streams', () => {
    // Before, tab b's new stream opened while tab a's new one was open and passed for no reconnect at all: 4, not 8.
    const c = channelOf(...tab(0, drops, 3000), ...tab(300, drops, 3000));
    expect(c.mode).toBe('stream');
    expect(c.reconnect.count).toBe(8);
    expect(c.reconnect.delaysMs).toEqual([3000, 3300, 3000, 3300, 3000, 3300, 3000, 3300]);
    expect(c.reconnect.pattern).toBe('fixed');
  });

  it('take streams that ended apart as first ended, first back', () => {
    // What a browser does with an SSE server that ends each response after 4 s: each tab's EventSource comes back
    // 1.5 s after its own stream ended; tab b opened 500 ms after tab a.
    const tabOf = (lag: number) => Array.from({ length: 6 }, (_, k) => stream(lag + k * 5500, 4000));
    const c = channelOf(...tabOf(0), ...tabOf(500));
    expect(c.reconnect.count).toBe(10);
    expect(c.reconnect.delaysMs).toEqual(Array<number>(10).fill(1500));
    expect(c.reconnect.pattern).toBe('fixed');
  });

  it('count one tab\'s reconnects as before', () => {
    const c = channelOf(...tab(0, drops, 3000));
    expect(c.reconnect.count).toBe(4);
    expect(c.reconnect.delaysMs).toEqual([3000, 3000, 3000, 3000]);
  });

  it('keep one client one chain when a new stream opens before the old one\'s close was written', () => {
    // The second stream opens 2 s before the exporter wrote the first one's end: run side by side for a moment, not
    // two clients. The third comes 1.5 s after the second ended: a reconnect measured from the second.
    const c = channelOf(stream(0, 32_000), stream(30_000, 30_000), stream(61_500, 30_000), stream(93_000, 30_000));
    expect(c.reconnect.count).toBe(2);
    expect(c.reconnect.delaysMs).toEqual([1500, 1500]);
  });
});
