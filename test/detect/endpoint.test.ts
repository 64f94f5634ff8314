import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../src/detect/endpoint.js';

describe('endpoint template', () => {
  it('drops cache-busters so successive polls share one key', () => {
    const a = endpointOf('GET', 'https://h.test/lp?t=1700000000001&_=12&zx=abc');
    const b = endpointOf('GET', 'https://h.test/lp?t=1700000000999&_=13&zx=xyz');
    expect(a.key).toBe(b.key);
    expect(a.cacheBusters).toEqual(['t', '_', 'zx']);
  });

  it('keeps the values that identify an endpoint (cmd, transport)', () => {
    const poll = endpointOf('GET', 'https://im.test/conn?cmd=poll&t=1');
    const send = endpointOf('GET', 'https://im.test/conn?cmd=send&t=2');
    expect(poll.key).not.toBe(send.key);
    expect(poll.display).toBe('GET https://im.test/conn?cmd=poll');
  });

  it('takes a last-event-id cursor out of the key: every reconnect carries a newer one, the first none', () => {
    const first = endpointOf('GET', 'ws://h.test/sub/news');
    const later = endpointOf('GET', 'ws://h.test/sub/news?last_event_id=1795921382%3A1');
    const sse = endpointOf('GET', 'https://h.test/events?lastEventId=abc17');
    expect(later.key).toBe(first.key);
    expect(later.display).toBe('GET ws://h.test/sub/news?last_event_id={cursor}');
    expect(endpointOf('GET', 'https://h.test/events?from=1795921382:7').display).toBe('GET https://h.test/events?from={cursor}');
    expect(sse.key).toBe(endpointOf('GET', 'https://h.test/events?lastEventId=abc18').key);
    // A version is no cursor: it names the endpoint.
    expect(endpointOf('GET', 'https://h.test/live/longpoll?vsn=2.0.0').display).toBe('GET https://h.test/live/longpoll?vsn=2.0.0');
  });

  it('takes session ids out of the key and redacts them in the display', () => {
    const a = endpointOf('GET', 'https://h.test/socket.io/?EIO=4&transport=polling&sid=E04Zc2z7PVxNsugBAAAA');
    const b = endpointOf('GET', 'https://h.test/socket.io/?EIO=4&transport=polling&sid=6xJd5YyNb6HAfuwIAAAB');
    expect(a.key).toBe(b.key);
    expect(a.display).toContain('sid=…');
    expect(a.display).not.toContain('E04Zc2z7');
  });

  it('redacts tokens, JWTs and long random values wherever they appear', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const e = endpointOf('GET', `https://h.test/feed/${jwt}?token=abc&connectionToken=xyz&pw=secret&nkh=nick&gsessionid=Q1`);
    for (const secret of [jwt, 'abc', 'xyz', 'secret', 'nick', 'Q1']) expect(e.display).not.toContain(`=${secret}`);
    expect(e.display).not.toContain(jwt);
  });

  it('templates numeric, hex and random path segments but not words', () => {
    const e = endpointOf('POST', 'https://h.test/926/yp_bur3z/xhr_streaming');
    expect(e.path).toBe('/{n}/{id}/xhr_streaming');
    expect(endpointOf('GET', 'https://h.test/api/v1/inbox/stream').path).toBe('/api/v1/inbox/stream');
    expect(endpointOf('GET', 'https://h.test/item/5f3c9a0b12de').path).toBe('/item/{id}');
  });

  it('normalises JSONP callback names that carry counters, keeps fixed handler names', () => {
    const a = endpointOf('GET', 'https://h.test/x?callback=jQuery1123_1599');
    const b = endpointOf('GET', 'https://h.test/x?callback=jQuery1123_1600');
    expect(a.key).toBe(b.key);
    expect(a.callbackParam).toBe('callback');
    expect(endpointOf('GET', 'https://h.test/x?callback=TDog.WebServer.poll').display).toContain('callback=TDog.WebServer.poll');
  });

  it('keeps the role of JSON carried in the query (Bayeux, APE) and nothing else of it', () => {
    const msg = encodeURIComponent('[{"channel":"/meta/connect","clientId":"abc123def456","id":"4"}]');
    const e = endpointOf('GET', `https://h.test/cometd?message=${msg}&jsonp=cb`);
    expect(e.key).toContain('/meta/connect');
    expect(e.display).not.toContain('abc123def456');
  });

  it('does not template IP addresses, but does numbered subdomains', () => {
    expect(endpointOf('GET', 'ws://127.0.0.1:18789/').host).toBe('127.0.0.1');
    expect(endpointOf('GET', 'https://7.ape.test/').host).toBe('{n}.ape.test');
  });
});
