// The benchmark's captures must stand for a long comet session, or the benchmark times a different program: the
// generator's push traffic is found and measured as what it was made to be.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadCapture } from '../../src/har/load.js';
import { writeCapture } from './helpers.js';

describe('the benchmark generator', () => {
  it('makes a capture with a long-poll loop (25 s timeout), an SSE stream and a Socket.IO WebSocket', { timeout: 60_000 }, async () => {
    const path = writeCapture({ entries: 1500, format: 'minified', seed: 7 });
    const analysis = analyze([await loadCapture(path)], { tool: { name: 'comet-inspect', version: 'test' } });
    const byEndpoint = new Map(analysis.channels.map((c) => [c.endpoint.replace(/\?.*/, ''), c]));
    const poll = byEndpoint.get('GET https://push.example.com/comet/poll');
    expect(poll?.mode).toBe('long-poll');
    expect(poll!.requests).toBeGreaterThan(450); // two in five entries
    expect(poll!.timeoutMs).toBeGreaterThan(24_000);
    expect(poll!.timeoutMs).toBeLessThan(26_000);
    expect(poll!.reconnect.count).toBe(0);
    expect(byEndpoint.get('GET https://push.example.com/events')?.carrier).toBe('eventsource');
    expect(analysis.channels.some((c) => c.protocol === 'socket.io' && c.mode === 'websocket')).toBe(true);
  });
});
