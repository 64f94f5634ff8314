// The recorded protocol samples as users see them: labels, sessions, and declared vs observed in both reports.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadCapture } from '../../src/har/load.js';
import { renderText } from '../../src/report/text.js';
import type { Analysis } from '../../src/model.js';

const dir = fileURLToPath(new URL('../../samples/', import.meta.url));
const run = async (f: string): Promise<Analysis> => analyze([await loadCapture(dir + f)], { tool: { name: 'comet-inspect', version: 'test' } });

describe('protocol samples', () => {
  it('Socket.IO restart: four reconnect attempts, two sessions, back-off beside the client defaults', async () => {
    const a = await run('socket.io-restart.har');
    const c = a.channels[0]!;
    expect(c.label).toBe('Socket.IO 4 over XHR long-polling');
    expect(c.sessions?.map((s) => [s.opened, s.failedAttempts])).toEqual([['first', 0], ['reconnect', 3]]);
    expect(c.reconnect).toMatchObject({ count: 4, pattern: 'exponential' });
    expect(c.declaredVsObserved?.every((d) => d.agrees !== false)).toBe(true);
    const text = renderText(a, { color: false });
    expect(text).toContain('server ping interval: declared 8 s (Engine.IO handshake pingInterval)');
    expect(text).toContain('first reconnect delay: declared 1 s');
    expect(JSON.parse(JSON.stringify(a)).channels[0].declaredVsObserved.length).toBeGreaterThan(0);
  });

  it('Socket.IO upgrade: the polling channel and its WebSocket are linked phases of one session', async () => {
    const [poll, ws] = (await run('socket.io-upgrade.har')).channels;
    expect(poll!.label).toBe('Socket.IO 4 over XHR long-polling → WebSocket');
    expect(poll!.linkedChannels).toEqual([ws!.id]);
    expect(ws!.linkedChannels).toEqual([poll!.id]);
    expect(ws!.declared).toMatchObject({ pingIntervalMs: 8000 });
    expect(ws!.messageTypes?.data).toBeGreaterThan(0);
  });

  it('SockJS xhr-streaming: 128 KiB rotations are not reconnects; the new session is', async () => {
    const c = (await run('sockjs-xhr-streaming.har')).channels[0]!;
    expect(c.sessions?.map((s) => s.rotations)).toEqual([2, 0]);
    expect(c.reconnect.count).toBe(1);
    expect(c.reconnect.delaysMs[0]).toBeGreaterThan(900);
  });

  it('Faye: advice.timeout 10 s agrees with the connect holds, over XHR and JSONP', async () => {
    for (const f of ['faye-long-polling.har', 'faye-callback-polling.har']) {
      const c = (await run(f)).channels[0]!;
      expect(c.protocol).toBe('bayeux');
      expect(c.declaredVsObserved?.find((d) => d.source === 'Bayeux advice.timeout')).toMatchObject({ declaredMs: 10000, agrees: true });
    }
  });
});
