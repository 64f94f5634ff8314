// Sessions of a channel whose protocol names them (detect/sessions.ts): a new session is a reconnect only when the
// connections before it had ended. A second WebSocket opened beside one still open (another socket of the page, a
// second tab in one capture) is a session of its own, not a retry.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ChannelReport } from '../../src/model.js';
import { capture, exchange, frame } from '../helpers/exchange.js';

const url = 'wss://push.example.test/socket.io/?EIO=4&transport=websocket';
/** A Socket.IO 4 WebSocket connection: the Engine.IO open packet with its sid, the namespace connect, then pings. */
function socket(at: number, hold: number, sid: string) {
  return exchange({
    at,
    hold,
    url,
    status: 101,
    resourceType: 'websocket',
    mimeType: '',
    wsFrames: [
      frame(at, 'receive', `0{"sid":"${sid}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`),
      frame(at + 5, 'send', '40'),
      frame(at + 10, 'receive', `40{"sid":"n-${sid}"}`),
      ...Array.from({ length: Math.floor(hold / 25_000) }, (_, i) => frame(at + 25_000 * (i + 1), 'receive', '2')),
    ],
  });
}

function channelOf(...exs: ReturnType<typeof exchange>[]): ChannelReport {
  const a = analyze([capture(exs)], { tool: { name: 'comet-inspect', version: 'test' } });
  expect(a.channels).toHaveLength(1);
  return a.channels[0]!;
}

describe('WebSocket sessions of one channel', () => {
  it('count a new session after the previous connection closed as a reconnect', () => {
    const c = channelOf(socket(0, 60_000, 'aaa'), socket(62_000, 60_000, 'bbb'));
    expect(c.protocol).toBe('socket.io');
    expect(c.reconnect.count).toBe(1);
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'reconnect']);
  });

  it('do not count a session opened while another was still open as a reconnect', () => {
    const c = channelOf(socket(0, 120_000, 'aaa'), socket(30_000, 90_000, 'bbb'));
    expect(c.protocol).toBe('socket.io');
    expect(c.reconnect.count).toBe(0);
    expect(c.sessions).toHaveLength(2);
    expect(c.phases.map((p) => p.kind)).not.toContain('reconnect');
  });
});
