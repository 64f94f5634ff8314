import { describe, expect, it } from 'vitest';
import { analyze, analyzeDetailed } from '../../src/analyze.js';
import { capture, chain, exchange, frame, T0 } from '../helpers/exchange.js';

const tool = { name: 'comet-inspect', version: '0.0.0-test' };

describe('analyze', () => {
  it('fills the report contract: inputs, capture span, traffic and channels with ids in order of first request', () => {
    const page = exchange({ at: 0, url: 'https://h.test/', mimeType: 'text/html', resourceType: 'document', hold: 100 });
    const css = exchange({ at: 120, url: 'https://h.test/a.css', mimeType: 'text/css', resourceType: null, hold: 30 });
    const ws = exchange({ at: 500, url: 'wss://h.test/ws', status: 101, resourceType: 'websocket', mimeType: '', hold: 20000, state: 'open', wsFrames: [frame(600, 'receive'), frame(900, 'send')] });
    const polls = chain(4, (i) => ({ url: `https://h.test/lp?t=${i}`, hold: 10000, responseBody: '[]' }), 5, 200);
    const a = analyze([capture([page, css, ws, ...polls], { file: 'x.har' })], { tool });
    expect(a.schemaVersion).toBe(1);
    expect(a.tool).toEqual(tool);
    expect(a.inputs[0]!.file).toBe('x.har');
    expect(a.capture.start).toBe(new Date(T0).toISOString());
    expect(a.capture.durationMs).toBe(40215);
    expect(a.traffic.byType).toEqual({ document: 1, stylesheet: 1, websocket: 1, xhr: 4 });
    expect(a.traffic.byState.open).toBe(1);
    expect(a.channels.map((c) => [c.id, c.mode])).toEqual([
      ['c1', 'long-poll'],
      ['c2', 'websocket'],
    ]);
    expect(a.findings).toEqual([]);
    const lp = a.channels[0]!;
    expect(lp).toMatchObject({ protocol: 'none', label: 'XHR long-polling', timeoutMs: 10000, requests: 4, errors: 0, pendingAtEnd: 0 });
    expect(lp.evidence.length).toBeGreaterThan(1);
    expect(lp.confidence).toBeGreaterThan(0.8);
    expect(lp.reconnect).toEqual({ pattern: 'none', count: 0, delaysMs: [] });
    expect(a.channels[1]).toMatchObject({ label: 'WebSocket', messages: 1, pendingAtEnd: 1, errors: 0 });
  });

  it('is a pure function: the same input gives the same output', () => {
    const polls = chain(4, (i) => ({ url: `https://h.test/lp?t=${i}`, hold: 10000 }));
    expect(JSON.stringify(analyze([capture(polls)], { tool }))).toBe(JSON.stringify(analyze([capture(polls)], { tool })));
  });

  it('reports requests open at capture end as pending, not errors', () => {
    const polls = chain(3, () => ({ url: 'https://h.test/lp', hold: 25000, responseBody: '' }));
    const last = exchange({ at: 75100, url: 'https://h.test/lp', state: 'open', status: 0, hold: 12000 });
    const ch = analyze([capture([...polls, last])], { tool }).channels[0]!;
    expect(ch).toMatchObject({ pendingAtEnd: 1, errors: 0, openAtEndMs: [12000] });
    expect(ch.evidence.join('\n')).toMatch(/still open at capture end \(open ≥ 12 s\)/);
  });

  it('counts reconnects after errors with their delays, but not timeout re-polls', () => {
    const ok = chain(3, () => ({ url: 'https://h.test/lp', hold: 20000, responseBody: '{}' }));
    let at = 60100;
    const retries = [1000, 2000, 4000, 8000].map((delay) => {
      const e = exchange({ at, url: 'https://h.test/lp', status: 503, hold: 10, responseBody: 'down' });
      at += 10 + delay;
      return e;
    });
    const back = exchange({ at, url: 'https://h.test/lp', hold: 20000, responseBody: '{}' });
    const ch = analyze([capture([...ok, ...retries, back])], { tool }).channels[0]!;
    expect(ch.reconnect).toEqual({ pattern: 'exponential', count: 4, delaysMs: [1000, 2000, 4000, 8000] });
    expect(ch.errors).toBe(4);
    // The first failed poll is part of the loop; every retry after a failure is a reconnect.
    expect(ch.phases.map((p) => [p.kind, p.requests])).toEqual([
      ['poll', 4],
      ['reconnect', 4],
    ]);
  });

  it('measures SSE: events from the body, declared retry, stream timeout and fixed reconnect delay', () => {
    const body = 'retry: 1500\n\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n';
    const streams = chain(3, () => ({ url: 'https://h.test/events', mimeType: 'text/event-stream', resourceType: 'eventsource', hold: 4000, responseBody: body, timings: { wait: 5, receive: 3995 } }), 1500);
    const ch = analyze([capture(streams)], { tool }).channels[0]!;
    expect(ch).toMatchObject({ mode: 'stream', carrier: 'eventsource', label: 'Server-Sent Events', messages: 6, timeoutMs: 4000, declared: { sseRetryMs: 1500 } });
    expect(ch.reconnect).toEqual({ pattern: 'fixed', count: 2, delaysMs: [1500, 1500] });
  });

  it('warns that chrome-har dropped the in-flight poll instead of reporting the channel as stopped', () => {
    const polls = chain(4, () => ({ url: 'https://h.test/lp', hold: 10000, responseBody: '[]' }));
    const ch = analyze([capture(polls, { exporter: 'chrome-har' })], { tool }).channels[0]!;
    expect(ch.warnings?.join(' ')).toMatch(/chrome-har drops requests still in flight/);
    const other = analyze([capture(polls, { exporter: 'chrome' })], { tool }).channels[0]!;
    expect(other.warnings).toEqual([]);
  });

  it('measures short polling: interval, quick holds, no timeout, messages from answers with data', () => {
    const polls = [0, 2000, 4000, 6000, 8000].map((at, i) =>
      exchange({ at, hold: 18, url: 'https://h.test/api/n', status: i % 2 ? 304 : 200, responseBody: i % 2 ? null : '{"v":1}' }),
    );
    const ch = analyze([capture(polls)], { tool }).channels[0]!;
    expect(ch).toMatchObject({ mode: 'short-poll', pollIntervalMs: 2000, timeoutMs: null, messages: 3, reconnect: { pattern: 'none', count: 0 } });
    expect(ch.holdMs).toEqual({ min: 18, median: 18, p95: 18, max: 18 });
  });

  it('returns channels with their exchanges and phases for timelines', () => {
    const info = exchange({ at: 0, url: 'https://h.test/negotiate', hold: 20 });
    const polls = chain(3, () => ({ url: 'https://h.test/poll', hold: 20000 }), 5, 100);
    const { analysis, channels } = analyzeDetailed([capture([info, ...polls])], { tool });
    expect(channels[0]!.report).toBe(analysis.channels[0]);
    expect(channels[0]!.phaseOf).toEqual(['setup', 'poll', 'poll', 'poll']);
    expect(analysis.channels[0]!.phases.map((p) => [p.kind, p.requests])).toEqual([
      ['setup', 1],
      ['poll', 3],
    ]);
  });
});
