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
  it('Firebase RTDB: start=t opens a session, idle polls end under the 25 s keepalive, a new start=t after a reset is a reconnect', async () => {
    const c = await only('firebase-longpoll.constructed.har');
    expect(c).toMatchObject({ protocol: 'firebase', protocolVersion: '5', mode: 'long-poll', carrier: 'script' });
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'reconnect']);
    expect(c.reconnect.count).toBe(1);
    expect(c.phases[0]?.kind).toBe('setup');
    expect(c.messageTypes).toMatchObject({ data: 2 });
    expect(check(c, 'longest poll hold')).toMatchObject({ declaredMs: 25000, observedMs: 24600, agrees: true });
  });

  it('Phoenix LongPoll: a 410 answer opens a session, also on a poll with a token the server forgot (a reconnect)', async () => {
    const c = await only('phoenix-longpoll.constructed.har');
    expect(c).toMatchObject({ protocol: 'phoenix', protocolVersion: '2.0.0', mode: 'long-poll', carrier: 'xhr', sends: 3 });
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'reconnect']);
    expect(c.reconnect.count).toBe(1);
    expect(check(c, 'longest poll hold')).toMatchObject({ declaredMs: 20000, observedMs: 10000, agrees: true });
  });

  it('Lightstreamer: LOOP rebinds with bind_session are rotations of one session, not reconnects', async () => {
    const c = await only('lightstreamer-streaming.constructed.har');
    expect(c).toMatchObject({ protocol: 'lightstreamer', protocolVersion: '2.1.0', mode: 'stream', carrier: 'xhr', sends: 1 });
    expect(c.sessions?.map((s) => s.rotations)).toEqual([4]);
    expect(c.reconnect.count).toBe(0);
    expect(check(c, 'keepalive (PROBE) interval')).toMatchObject({ declaredMs: 5000, observedMs: null, agrees: null });
  });

  it('DWR reverse ajax: plainpoll on one scriptSessionId; a reset poll retried is a reconnect in the same session', async () => {
    const c = await only('dwr-reverse-ajax.constructed.har');
    expect(c).toMatchObject({ protocol: 'dwr', protocolVersion: '2', mode: 'long-poll', carrier: 'xhr', sends: 2 });
    expect(c.sessions).toHaveLength(1);
    expect(c.reconnect.count).toBe(1);
    expect(c.declaredVsObserved ?? []).toEqual([]);
  });

  it('Atmosphere: tracking-id 0 is the handshake (heartbeat 60 s), a retried poll keeps the tracking id, transport=close ends it', async () => {
    const c = await only('atmosphere-long-polling.constructed.har');
    expect(c).toMatchObject({ protocol: 'atmosphere', protocolVersion: '2.3.9-javascript', mode: 'long-poll', carrier: 'xhr' });
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first']);
    expect(c.reconnect.count).toBe(1);
    expect(c.phases[0]?.kind).toBe('setup');
    expect(c.phases.at(-1)?.kind).toBe('teardown');
    expect(check(c, 'heartbeat interval')).toMatchObject({ declaredMs: 60000, agrees: null });
  });

  it('graphql-sse: a dropped subscription stream retried is a reconnect', async () => {
    const c = await only('graphql-sse.constructed.har');
    expect(c).toMatchObject({ protocol: 'graphql-sse', mode: 'stream', carrier: 'xhr' });
    // Distinct connections name no session: the retry is a reconnect of the channel.
    expect(c.sessions).toBeUndefined();
    expect(c.reconnect).toMatchObject({ count: 1, delaysMs: [1400] });
    expect(c.messageTypes).toMatchObject({ data: 2, control: 1 });
    expect(c.declaredVsObserved ?? []).toEqual([]);
  });

  it('graphql-ws: graphql-transport-ws sockets; a refused and a successful retry after the server goes away are reconnects', async () => {
    const c = await only('graphql-ws.constructed.har');
    expect(c).toMatchObject({ protocol: 'graphql-ws', protocolVersion: 'graphql-transport-ws', mode: 'websocket', carrier: 'websocket' });
    expect(c.sessions).toBeUndefined();
    expect(c.reconnect.count).toBe(2);
    expect(c.messageTypes).toMatchObject({ data: 3, heartbeat: 3 });
  });

  it('nchan: the If-None-Match / If-Modified-Since cursor walks the channel; a failed poll retried is a reconnect', async () => {
    const c = await only('nchan-longpoll.constructed.har');
    expect(c).toMatchObject({ protocol: 'nchan', mode: 'long-poll', carrier: 'xhr', requests: 8 });
    expect(c.sessions).toBeUndefined();
    expect(c.reconnect.count).toBe(1);
    expect(c.declaredVsObserved ?? []).toEqual([]);
  });

  it('APE: JSONP commands on numbered subdomains; CONNECT again after BAD_SESSID is a new session', async () => {
    const c = await only('ape-jsonp.constructed.har');
    expect(c).toMatchObject({ protocol: 'ape', mode: 'long-poll', carrier: 'script', sends: 1 });
    expect(c.sessions?.map((s) => s.opened)).toEqual(['first', 'reconnect']);
    expect(c.reconnect.count).toBe(1);
    expect(c.declaredVsObserved ?? []).toEqual([]);
  });
});
