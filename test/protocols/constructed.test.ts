// Protocols whose servers cannot run here, on fixtures built from their documented wire formats
// (test/fixtures/protocols/make-constructed.mjs): what the report says about protocol, sessions, reconnects and
// declared vs observed.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadCapture } from '../../src/har/load.js';
import type { ChannelReport } from '../../src/model.js';

const dir = fileURLToPath(new URL('../fixtures/protocols/', import.meta.url));
async function only(file: string): Promise<ChannelReport> {
  const a = analyze([await loadCapture(dir + file)], { tool: { name: 'comet-inspect', version: 'test' } });
  expect(a.channels).toHaveLength(1);
  return a.channels[0]!;
}
const check = (c: ChannelReport, fact: string) => c.declaredVsObserved?.find((d) => d.fact === fact);

describe('constructed protocol fixtures', () => {
  it('CometD: flags advice.timeout 30 s against holds of 60 s, and a re-handshake is a new session', async () => {
    const c = await only('cometd-long-polling.constructed.har');
    expect(c).toMatchObject({ protocol: 'bayeux', protocolVersion: '1.0', label: 'Bayeux 1.0 (CometD) over XHR long-polling' });
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'reconnect']);
    expect(c.reconnect.count).toBe(1);
    expect(check(c, 'long-poll timeout (connect hold)')).toMatchObject({ declaredMs: 30000, agrees: false });
    expect(c.declared).toMatchObject({ firstConnectTimeout: 0, adviceTimeoutMs: 30000 });
    expect(c.phases.at(-1)?.kind).toBe('teardown');
  });

  it('BOSH: wait 60 s agrees with the empty <body/> holds', async () => {
    const c = await only('bosh.constructed.har');
    expect(c).toMatchObject({ protocol: 'bosh', mode: 'long-poll' });
    expect(c.sessions).toHaveLength(1);
    expect(c.reconnect.count).toBe(0);
    expect(check(c, 'long-poll timeout (wait)')).toMatchObject({ declaredMs: 60000, agrees: true });
  });

  it('ASP.NET Core SignalR: 90 s polls, a lost connection renegotiated into a new session', async () => {
    const c = await only('signalr-core-longpolling.constructed.har');
    expect(c.protocol).toBe('signalr-core');
    expect(c.sessions).toHaveLength(2);
    expect(c.reconnect.count).toBe(1);
    expect(check(c, 'long-poll timeout')).toMatchObject({ declaredMs: 90000, agrees: true });
  });

  it('SignalR classic: ConnectionTimeout 110 s beside the poll holds', async () => {
    const c = await only('signalr-classic-longpolling.constructed.har');
    expect(c).toMatchObject({ protocol: 'signalr', protocolVersion: '1.5' });
    expect(c.sessions).toHaveLength(1);
    expect(check(c, 'long-poll timeout')).toMatchObject({ declaredMs: 110000, agrees: true });
  });

  it('WebChannel: back channels re-opened with a higher AID are rotations; a t=2 retry and a new SID are reconnects', async () => {
    const c = await only('webchannel.constructed.har');
    expect(c.protocol).toBe('webchannel');
    expect(c.sessions?.map((s) => s.rotations)).toEqual([2, 0]);
    expect(c.reconnect.count).toBe(2);
  });
});
