import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { renderText } from '../../src/report/text.js';
import { capture, chain } from '../helpers/exchange.js';

// Long sessions make long channels: a day of 1 s polling is 86,400 requests. Figures over a channel's requests
// must not spread them into function arguments (Math.max(...list) overflows the stack past ~100k values).
describe('a channel of 200,000 requests', () => {
  it('is analysed and rendered without overflowing the stack', { timeout: 120_000 }, () => {
    const polls = chain(200_000, (i) => ({ url: `https://example.test/poll?cmd=get&t=${i}`, hold: 20 }), 980);
    const analysis = analyze([capture(polls)], { tool: { name: 'comet-inspect', version: 'test' } });
    expect(analysis.channels).toHaveLength(1);
    const [ch] = analysis.channels;
    expect(ch!.mode).toBe('short-poll');
    expect(ch!.requests).toBe(200_000);
    expect(ch!.pollIntervalMs).toBeCloseTo(1000, -1);
    expect(renderText(analysis, { color: false, width: 100 })).toMatch(/short polling/);
  });
});

describe('a stream that reconnected 700 times', () => {
  it('lists the first delays in text and sums up the rest instead of printing all of them', () => {
    const streams = chain(701, (i) => ({ url: `https://example.test/events?n=${i}`, hold: 30_000, mimeType: 'text/event-stream', resourceType: 'eventsource' }), 1000);
    const analysis = analyze([capture(streams)], { tool: { name: 'comet-inspect', version: 'test' } });
    const [ch] = analysis.channels;
    expect(ch!.reconnect.count).toBe(700);
    expect(ch!.reconnect.delaysMs).toHaveLength(700); // the JSON report keeps every delay
    const line = renderText(analysis, { color: false, width: 100 }).split('\n').find((l) => l.includes('reconnects 700'));
    expect(line).toBeDefined();
    expect(line!.length).toBeLessThan(200);
    expect(line).toMatch(/… 692 more \(all 700: median 1 s, max 1 s\)/);
  });
});

describe('a day of polling with a failure every few minutes', () => {
  it('lists the first phases, how many more of each kind, and the last one', () => {
    const polls = chain(2000, (i) => ({ url: `https://example.test/api/poll?n=${i}`, hold: 40, status: i % 25 === 24 ? 503 : 200, state: i % 25 === 24 ? 'failed' : 'complete' }), 9960);
    const analysis = analyze([capture(polls)], { tool: { name: 'comet-inspect', version: 'test' } });
    const [ch] = analysis.channels;
    expect(ch!.phases.length).toBeGreaterThan(100); // the JSON report keeps every phase
    const line = renderText(analysis, { color: false, width: 100 }).split('\n').find((l) => l.includes('phases:'))!;
    expect(line.length).toBeLessThan(600);
    expect(line).toMatch(/^ {3}phases: (poll|reconnect) [\d:.]+–[\d:.]+ \(\d+ req\)( → \w+ [\d:.]+–[\d:.]+ \(\d+ req\)){5} → … \d+ more \(\d+ \w+, \d+ \w+\) → \w+ [\d:.]+–[\d:.]+ \(\d+ req\)$/);
  });
});
