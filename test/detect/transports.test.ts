// One client changing transport, and clients of one protocol polling side by side in their own ways:
// - a WebSocket that never connected, then polling on the same path family (CometD, SockJS, a proxy blocking
//   upgrades): the client fell back (attach.ts linkFallbacks);
// - a polling channel whose WebSocket upgrade never connected stayed on polling; it was not upgraded;
// - two Bayeux clients of one browser (two tabs), one long-polling and one told by CometD's multiple-clients advice to
//   poll every 2 s: no rhythm as one group, so each client is looked at alone (protocol.ts protocolSessionSplit).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Analysis, Exchange } from '../../src/model.js';
import { capture, exchange } from '../helpers/exchange.js';

const tool = { name: 'comet-inspect', version: 'test' };
const run = (exs: Exchange[]): Analysis => analyze([capture(exs)], { tool });

/** A WebSocket handshake the server never answered. */
function refusedSocket(at: number, url = 'ws://example.test/cometd'): Exchange {
  return exchange({ at, hold: 0, url, resourceType: 'websocket', status: 0, state: 'failed', error: 'Connection closed before receiving a handshake response', mimeType: '' });
}

/** A long-poll loop: held `hold` ms, re-asked at once. */
function longPolls(from: number, count: number, hold: number, url: string, method = 'GET'): Exchange[] {
  return Array.from({ length: count }, (_, i) => exchange({ at: from + i * (hold + 5), hold, url, method, responseBody: '[]' }));
}

describe('a WebSocket that never connected', () => {
  it('is linked to the polling its client fell back to', () => {
    const a = run([refusedSocket(0), ...longPolls(40, 6, 6000, 'https://example.test/cometd/connect')]);
    const ws = a.channels.find((c) => c.mode === 'websocket')!;
    const lp = a.channels.find((c) => c.mode === 'long-poll')!;
    expect(ws.evidence).toContain(`the client fell back to ${lp.id} (${lp.label})`);
    expect(lp.evidence).toContain(`opened after WebSocket ${ws.id} failed to connect: the client fell back from WebSocket`);
    expect(ws.linkedChannels).toEqual([lp.id]);
    expect(lp.linkedChannels).toEqual([ws.id]);
    // No connection was ever open on it, however long the attempt took.
    expect(ws.coverage).toBe(0);
  });

  it('attempts that failed between connections leave one gap, not several', () => {
    const ok = (at: number, hold: number) => exchange({ at, hold, url: 'wss://example.test/live', resourceType: 'websocket', status: 101, mimeType: '' });
    const refused = (at: number) => exchange({ at, hold: 300, url: 'wss://example.test/live', resourceType: 'websocket', status: 0, state: 'failed', error: 'net::ERR_CONNECTION_REFUSED', mimeType: '' });
    const ws = run([ok(0, 10_000), refused(11_000), refused(13_000), refused(17_000), ok(25_000, 10_000)]).channels[0]!;
    expect(ws.gaps.map((g) => g.durationMs)).toEqual([15_000]);
    expect(ws.coverage).toBeCloseTo(20 / 35, 2);
  });

  it('is not open while its HTTP setup request runs (SockJS /info before the socket)', () => {
    const info = exchange({ at: 0, hold: 400, url: 'https://example.test/echo/info', responseBody: '{"websocket":true,"cookie_needed":false,"origins":["*:*"],"entropy":42}' });
    const refused = refusedSocket(450, 'wss://example.test/echo/123/abcdefgh/websocket');
    const ws = run([info, refused, ...longPolls(500, 4, 5000, 'https://example.test/echo/123/zyxwvuts/xhr')]).channels.find((c) => c.mode === 'websocket')!;
    expect(ws.coverage).toBe(0);
  });

  it('is not linked to polling elsewhere on the host, or long after', () => {
    const other = run([refusedSocket(0), ...longPolls(40, 6, 6000, 'https://example.test/updates/poll')]);
    const late = run([refusedSocket(0), ...longPolls(60_000, 6, 6000, 'https://example.test/cometd/connect')]);
    for (const a of [other, late]) {
      expect(a.channels.map((c) => c.mode).sort()).toEqual(['long-poll', 'websocket']);
      for (const c of a.channels) {
        expect(c.linkedChannels).toBeUndefined();
        expect(c.evidence.join('\n')).not.toMatch(/fell back/);
      }
    }
  });

  it('that was meant as an upgrade of polling leaves the polling channel on polling, not "→ WebSocket"', () => {
    const polls = longPolls(0, 8, 5000, 'https://example.test/socket/');
    const a = run([...polls, refusedSocket(5100, 'wss://example.test/socket/')]);
    const lp = a.channels.find((c) => c.mode === 'long-poll')!;
    const ws = a.channels.find((c) => c.mode === 'websocket')!;
    expect(lp.label).not.toMatch(/WebSocket/);
    expect(lp.evidence).toContain(`tried to upgrade to WebSocket ${ws.id}, which never connected; stayed on polling`);
    expect(ws.evidence).toContain(`an upgrade attempt of polling channel ${lp.id}; it never connected, so the client stayed on polling`);
    expect(ws.linkedChannels).toEqual([lp.id]);
  });
});

/** One Bayeux /meta/connect of client `id`, answered with `advice`. */
function connect(id: string, at: number, hold: number, advice: Record<string, unknown>): Exchange {
  return exchange({
    at,
    hold,
    method: 'POST',
    url: 'https://example.test/cometd/connect',
    requestBody: JSON.stringify([{ channel: '/meta/connect', clientId: id, connectionType: 'long-polling' }]),
    responseBody: JSON.stringify([{ channel: '/meta/connect', clientId: id, successful: true, advice }]),
  });
}

describe('Bayeux clients side by side', () => {
  it('are each looked at alone when together they have no rhythm: one long-polls, the other polls as advised', () => {
    const held = Array.from({ length: 6 }, (_, i) => connect('tab-1', i * 6010, 6000, { reconnect: 'retry', interval: 0, timeout: 6000 }));
    const told = Array.from({ length: 16 }, (_, i) => connect('tab-2', 900 + i * 2010, 8, { reconnect: 'retry', interval: 2000, timeout: 6000, 'multiple-clients': true }));
    const a = run([...held, ...told]);
    expect(a.channels.map((c) => `${c.mode} ${c.protocol} ${c.requests}`).sort()).toEqual(['long-poll bayeux 6', 'short-poll bayeux 16']);
    const lp = a.channels.find((c) => c.mode === 'long-poll')!;
    const sp = a.channels.find((c) => c.mode === 'short-poll')!;
    expect(lp.timeoutMs).toBeCloseTo(6000, -2);
    expect(sp.pollIntervalMs).toBeCloseTo(2010, -1);
    expect(sp.declared).toMatchObject({ adviceIntervalMs: 2000, multipleClients: true });
    expect(sp.evidence).toContain(
      'the server answered 16 connects at once with advice multiple-clients: another tab or client of this browser held the long-poll, so this one polled every 2 s (advice.interval) instead',
    );
    expect(lp.declared['multipleClients']).toBeUndefined();
  });

  it('one client at a time (a re-handshake after a lost session) stays one channel', () => {
    const first = Array.from({ length: 4 }, (_, i) => connect('s-1', i * 6010, 6000, { reconnect: 'retry', interval: 0, timeout: 6000 }));
    const second = Array.from({ length: 4 }, (_, i) => connect('s-2', 30_000 + i * 6010, 6000, { reconnect: 'retry', interval: 0, timeout: 6000 }));
    const a = run([...first, ...second]);
    expect(a.channels.map((c) => `${c.mode} ${c.requests}`)).toEqual(['long-poll 8']);
    expect(a.channels[0]!.sessions).toHaveLength(2);
  });
});
