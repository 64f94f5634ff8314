// Sessions of a channel whose protocol names them (detect/sessions.ts): a new session is a reconnect only when the
// connections before it had ended. A second WebSocket opened beside one still open (another socket of the page, a
// second tab in one capture) is a session of its own, not a retry; so is a polling session that goes on polling after
// another one began (two tabs of a Playwright context write one HAR).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ChannelReport } from '../../src/model.js';
import { T0, capture, chain, exchange, frame } from '../helpers/exchange.js';

const url = 'wss://push.example.test/socket.io/?EIO=4&transport=websocket';
/** A Socket.IO 4 WebSocket connection: the Engine.IO open packet with its sid, the namespace connect, pings, the close. */
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
      // Closed at the end of its hold, as exporters write a socket that closed.
      frame(at + hold, 'receive', '', 8),
    ],
  });
}

function channelOf(...exs: ReturnType<typeof exchange>[]): ChannelReport {
  const a = analyze([capture(exs)], { tool: { name: 'comet-inspect', version: 'test' } });
  expect(a.channels).toHaveLength(1);
  return a.channels[0]!;
}

/**
 * One tab's Socket.IO WebSockets: each connection lasts until `drops[k]` (the server closes them all then), and the
 * tab reconnects `backoff[k]` ms after each drop; `lag` delays this tab's every connection behind the other tab's.
 */
function tabSockets(name: string, lag: number, drops: number[], backoff: number[]) {
  const out = [socket(lag, drops[0]! - lag, `${name}0`)];
  drops.slice(1).forEach((drop, k) => {
    const at = drops[k]! + backoff[k]! + lag;
    out.push(socket(at, drop - at, `${name}${k + 1}`));
  });
  return out;
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

  it('count each tab\'s reconnects, and fit each tab\'s back-off, when the server drops two tabs\' sockets at once', () => {
    // Both tabs lose their socket at 30, 61, 93 and 127 s; each reconnects 1, 2, 4 then 8 s later (tab b 300 ms after
    // tab a). Before, tab b's sockets opened while tab a's new one was open and passed for sessions of their own.
    const drops = [30_000, 61_000, 93_000, 127_000, 165_000];
    const c = channelOf(...tabSockets('a', 0, drops, [1000, 2000, 4000, 8000]), ...tabSockets('b', 300, drops, [1000, 2000, 4000, 8000]));
    expect(c.protocol).toBe('socket.io');
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'first', ...Array<string>(8).fill('reconnect')]);
    expect(c.reconnect.count).toBe(8);
    expect(c.reconnect.delaysMs).toEqual([1000, 1300, 2000, 2300, 4000, 4300, 8000, 8300]);
    expect(c.reconnect.pattern).toBe('exponential');
    expect(c.evidence.find((e) => /^8 reconnects/.test(e))).toMatch(/×2 each time\)/);
  });

  it('take sockets that closed apart as first closed, first back (clients of one library retry alike)', () => {
    // Each tab's sockets live 30 s; tab b runs 300 ms behind tab a, so its sockets also close 300 ms later.
    const tab = (name: string, lag: number) => {
      const out = [];
      let at = lag;
      for (const [k, wait] of [1000, 2000, 4000, 8000, 0].entries()) {
        out.push(socket(at, 30_000, `${name}${k}`));
        at += 30_000 + wait;
      }
      return out;
    };
    const c = channelOf(...tab('a', 0), ...tab('b', 300));
    expect(c.reconnect.count).toBe(8);
    expect(c.reconnect.delaysMs).toEqual([1000, 1000, 2000, 2000, 4000, 4000, 8000, 8000]);
    expect(c.evidence.find((e) => /^8 reconnects/.test(e))).toMatch(/exponential, ×2 each time\)/);
  });

  it('measure a lone client\'s reconnect from its last socket, even when it opened that one before the first closed', () => {
    // The exporter wrote the first socket's close 2 s after the client had opened its next one; that next one then
    // dropped, and the client came back 1.5 s later.
    const c = channelOf(socket(0, 32_000, 'aaa'), socket(30_000, 30_000, 'bbb'), socket(61_500, 30_000, 'ccc'));
    expect(c.reconnect.count).toBe(1);
    expect(c.reconnect.delaysMs).toEqual([1500]);
  });
});

const polling = 'https://push.example.test/socket.io/?EIO=4&transport=polling';
/**
 * One Socket.IO 4 polling client from `at`: the handshake GET (its answer names the sid), then `polls` GETs held
 * `hold` ms each and answered by the server's ping, each sent as soon as the previous answer came.
 */
function pollingSession(at: number, sid: string, polls: number, hold = 25_000) {
  const handshake = exchange({
    at,
    hold: 20,
    url: `${polling}&t=h${sid}`,
    mimeType: 'text/plain',
    responseBody: `0{"sid":"${sid}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`,
  });
  const loop = chain(polls, (i) => ({ hold, url: `${polling}&t=${sid}${i}&sid=${sid}`, mimeType: 'text/plain', responseBody: '2' }), 5, at + 30);
  return [handshake, ...loop];
}

describe('polling sessions of one channel', () => {
  it('count a new session after the previous one stopped polling as a reconnect', () => {
    const lost = exchange({ at: 75_100, hold: 10, url: `${polling}&t=x&sid=aaa`, status: 400, mimeType: 'application/json', responseBody: '{"code":1}' });
    const c = channelOf(...pollingSession(0, 'aaa', 3), lost, ...pollingSession(77_000, 'bbb', 3));
    expect(c.protocol).toBe('socket.io');
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'reconnect']);
    expect(c.reconnect.count).toBe(1);
  });

  it('do not count sessions polling side by side (two tabs) as reconnects', () => {
    const c = channelOf(...pollingSession(0, 'aaa', 4), ...pollingSession(700, 'bbb', 4));
    expect(c.protocol).toBe('socket.io');
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'first']);
    expect(c.reconnect.count).toBe(0);
    expect(c.phases.map((p) => p.kind)).not.toContain('reconnect');
    expect(c.errors).toBe(0);
  });

  it('keep each side-by-side session\'s last poll open at the end when the exporter wrote placeholders', () => {
    // Playwright writes a poll still held at the end with no response (status 0): the other tab's next poll, started
    // 700 ms after this one, is no retry of it.
    const open = (at: number, sid: string) => exchange({ at, hold: 0, url: `${polling}&t=o${sid}&sid=${sid}`, status: 0, state: 'open', mimeType: '' });
    const a = pollingSession(0, 'aaa', 4);
    const b = pollingSession(700, 'bbb', 4);
    const c = channelOf(...a, open(a.at(-1)!.end - T0 + 5, 'aaa'), ...b, open(b.at(-1)!.end - T0 + 5, 'bbb'));
    expect(c.pendingAtEnd).toBe(2);
    expect(c.errors).toBe(0);
    expect(c.reconnect.count).toBe(0);
  });

  it('count each tab\'s own reconnects when the server drops both sessions', () => {
    // Both tabs lose their session at ~51 s, each fails two handshakes (refused, no sid), then opens a new session.
    const refused = (at: number) => exchange({ at, hold: 5, url: `${polling}&t=r${at}`, status: 0, state: 'failed', error: 'net::ERR_EMPTY_RESPONSE', mimeType: '' });
    const c = channelOf(
      ...pollingSession(0, 'aaa', 2),
      ...pollingSession(700, 'bbb', 2),
      refused(52_000), refused(52_400), refused(53_000), refused(53_500),
      ...pollingSession(55_000, 'ccc', 2),
      ...pollingSession(55_600, 'ddd', 2),
    );
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'first', 'reconnect', 'reconnect']);
    expect(c.reconnect.count).toBe(6);
  });
});
