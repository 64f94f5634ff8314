import { describe, expect, it } from 'vitest';
import { detectChannels } from '../../src/detect/channels.js';
import type { Exchange } from '../../src/model.js';
import { chain, exchange, frame, T0 } from '../helpers/exchange.js';

const modes = (exs: Exchange[], pages = 0) =>
  detectChannels(exs, pages ? { inputs: new Map([[0, { captureEnd: Math.max(...exs.map((e) => e.end)), pages }]]) } : {}).drafts.map((d) => ({
    mode: d.result.mode,
    carrier: d.result.carrier,
    endpoint: d.candidate.endpoint.display,
  }));

describe('what is not a push channel', () => {
  it('ignores a single slow download (29 s CSS)', () => {
    expect(modes([exchange({ url: 'https://h.test/slow.css', hold: 29000, mimeType: 'text/css', resourceType: 'stylesheet', status: 420 })])).toEqual([]);
  });

  it('ignores three quick GETs of one URL', () => {
    expect(modes([0, 20, 40].map((at) => exchange({ at, url: 'https://h.test/api/db/1' })))).toEqual([]);
  });

  it('ignores long CONNECT tunnels', () => {
    const tunnels = [0, 12000].map((at) => exchange({ at, hold: 12000, method: 'CONNECT', url: 'https://github.com:443', status: 0, state: 'complete' }));
    expect(modes(tunnels)).toEqual([]);
  });

  it('ignores beacons, HTTP/2 pushed resources and images, however regular', () => {
    const beacons = [0, 5000, 10000, 15000].map((at) => exchange({ at, url: 'https://h.test/collect?v=1', resourceType: 'ping' }));
    const pushed = [0, 5000, 10000, 15000].map((at) => exchange({ at, url: 'https://h.test/app.json', pushed: true }));
    const images = [0, 5000, 10000, 15000].map((at) => exchange({ at, url: 'https://h.test/Images/Push/DEXPush.ashx', mimeType: 'image/png', resourceType: null }));
    expect(modes([...beacons, ...pushed, ...images])).toEqual([]);
  });

  it('ignores a single JSONP call', () => {
    expect(modes([exchange({ url: 'https://h.test/breaking.json?callback=CNNBreakingNewsCallback', resourceType: 'script', mimeType: 'application/javascript', hold: 300 })])).toEqual([]);
  });

  it('ignores periodic PUTs (state changes, not polling) and one request per page load', () => {
    const puts = [0, 8000, 16000, 24000].map((at) => exchange({ at, method: 'PUT', url: 'https://h.test/messages/read' }));
    const perPage = [0, 30000, 60000].map((at, i) => exchange({ at, url: 'https://h.test/endpoints.json', pageref: `page_${i}` }));
    expect(modes([...puts, ...perPage], 3)).toEqual([]);
  });

  it('ignores parallel requests to one template', () => {
    expect(modes([0, 5, 10, 15].map((at) => exchange({ at, hold: 3000, url: `https://h.test/item/${1000 + at}` })))).toEqual([]);
  });
});

describe('polling channels', () => {
  it('finds an XHR long-poll from holds clustering at the timeout and immediate re-polls', () => {
    const polls = chain(6, (i) => ({ url: `https://h.test/lp?cursor=${i}`, hold: i % 2 ? 10010 : 2500, responseBody: i % 2 ? '[]' : '[{"id":1}]' }));
    expect(modes(polls)).toEqual([{ mode: 'long-poll', carrier: 'xhr', endpoint: 'GET https://h.test/lp?cursor={n}' }]);
  });

  it('finds JSONP long-polling when holds are long and the capture has no bodies', () => {
    const polls = chain(3, () => ({ url: 'https://lp.test/connect/l/qrconnect?uuid=0914Mm1A4M7mFa1L', hold: 15100, resourceType: 'script', mimeType: 'text/javascript' }), 2000);
    expect(modes(polls)).toEqual([{ mode: 'long-poll', carrier: 'script', endpoint: 'GET https://lp.test/connect/l/qrconnect?uuid=…' }]);
  });

  it('finds JSONP polling without resource types from the callback parameter', () => {
    const polls = [0, 3000, 6000, 9000].map((at) =>
      exchange({ at, hold: 40, url: `https://im.test/poll.do?cmd=poll&callback=TDog.WebServer.poll&t=${at}`, resourceType: null, mimeType: 'application/javascript' }),
    );
    expect(modes(polls)).toEqual([{ mode: 'short-poll', carrier: 'script', endpoint: 'GET https://im.test/poll.do?cmd=poll&callback=TDog.WebServer.poll' }]);
  });

  it('finds timer-driven short polling', () => {
    const polls = [0, 2000, 4001, 5999, 8000].map((at) => exchange({ at, hold: 18, url: 'https://h.test/api/notifications' }));
    expect(modes(polls)[0]).toMatchObject({ mode: 'short-poll', carrier: 'xhr' });
  });

  it('finds a lone poll still waiting at capture end on a path that names it', () => {
    const ex = exchange({ url: 'https://h.test/lp/wait?cursor=0', status: 0, state: 'open', hold: 50 });
    expect(modes([ex])[0]).toMatchObject({ mode: 'long-poll', carrier: 'xhr' });
    expect(modes([exchange({ url: 'https://h.test/api/report', status: 0, state: 'open', hold: 50 })])).toEqual([]);
  });

  it('treats a silently failed retry loop on a polling transport as a failing long-poll', () => {
    const tries = [0, 6000, 12000, 18000].map((at) =>
      exchange({ at, hold: 3, url: `http://localhost:5000/socket.io/?EIO=3&transport=polling&t=Mfo${at}`, status: 0, state: 'open', resourceType: null, mimeType: '' }),
    );
    const d = detectChannels(tries).drafts;
    expect(d).toHaveLength(1);
    expect(d[0]!.result.mode).toBe('long-poll');
    // Only the last of a chain can really have been pending; the others failed silently.
    expect(d[0]!.candidate.exchanges.map((e) => e.state)).toEqual(['failed', 'failed', 'failed', 'open']);
  });
});

describe('streams and WebSockets', () => {
  it('finds SSE from the content type even when the stream is short', () => {
    const sse = exchange({ url: 'https://h.test/events', mimeType: 'text/event-stream', resourceType: 'eventsource', hold: 180 });
    expect(modes([sse])).toEqual([{ mode: 'stream', carrier: 'eventsource', endpoint: 'GET https://h.test/events' }]);
  });

  it('finds fetch ndjson streaming and calls its carrier xhr', () => {
    const s = exchange({ url: 'https://h.test/stream', mimeType: 'application/x-ndjson', resourceType: 'fetch', hold: 15000 });
    expect(modes([s])[0]).toMatchObject({ mode: 'stream', carrier: 'xhr' });
  });

  it('finds an iframe forever frame from its script chunks', () => {
    const body = '<html><body>' + '<script>parent.push({"m":1})</script>'.repeat(5);
    const ff = exchange({ url: 'https://comet.test/htmlpoll', mimeType: 'text/html', resourceType: null, hold: 30000, responseBody: body, timings: { wait: 50, receive: 29950 } });
    expect(modes([ff])[0]).toMatchObject({ mode: 'stream', carrier: 'iframe' });
  });

  it('does not take an ordinary HTML page with scripts for a forever frame', () => {
    const page = exchange({ url: 'https://h.test/', mimeType: 'text/html', resourceType: 'document', hold: 300, responseBody: '<script>a()</script><script>b()</script><script>c()</script>' });
    expect(modes([page])).toEqual([]);
  });

  it('finds a WebSocket from 101, ws:// or http:// written by proxies', () => {
    const ws = exchange({ url: 'https://demo.test/v3/channel_123', status: 101, resourceType: 'websocket', mimeType: '', hold: 10000, wsFrames: [frame(10, 'receive')] });
    expect(modes([ws])).toEqual([{ mode: 'websocket', carrier: 'websocket', endpoint: 'GET wss://demo.test/v3/{id}' }]);
  });

  it('groups failed WebSocket attempts into one channel', () => {
    const tries = [0, 350, 600, 2460, 5980, 15450].map((at) => exchange({ at, hold: 120, url: 'wss://api.test/ws', status: 0, state: 'failed', resourceType: 'websocket', mimeType: '' }));
    const d = detectChannels(tries).drafts;
    expect(d).toHaveLength(1);
    expect(d[0]!.result.evidence.join(' ')).toMatch(/never connected/);
  });
});

describe('setup and upgrade', () => {
  it('attaches a handshake on the same host before the loop as setup', () => {
    const info = exchange({ at: 0, url: 'https://rt.test/info?t=1', hold: 30 });
    const ws = exchange({ at: 100, url: 'https://rt.test/926/yp_bur3z/websocket', status: 101, resourceType: null, mimeType: '', hold: 5000 });
    const d = detectChannels([info, ws]).drafts;
    expect(d).toHaveLength(1);
    expect(d[0]!.members.map((m) => m.role)).toEqual(['setup', null]);
  });

  it('links Engine.IO polling to the WebSocket it upgraded to', () => {
    const polls = chain(3, (i) => ({ url: `https://h.test/socket.io/?EIO=4&transport=polling&t=a${i}${i === 0 ? '' : '&sid=E04Zc2z7PVxNsugBAAAA'}`, hold: i === 0 ? 5 : 25000 }));
    const ws = exchange({ at: 100, url: 'wss://h.test/socket.io/?EIO=4&transport=websocket&sid=E04Zc2z7PVxNsugBAAAA', status: 101, hold: 60000 });
    const d = detectChannels([...polls, ws]).drafts;
    const poll = d.find((x) => x.result.mode === 'long-poll')!;
    expect(poll.upgradeTo?.result.mode).toBe('websocket');
    expect(poll.members[0]!.role).toBe('setup');
  });
});

it('keeps placeholder entries dated 1969 out of a channel', () => {
  const stub = exchange({ start: -1000, end: 0, url: 'wss://api.test/ws', status: 0, state: 'open', resourceType: 'websocket' });
  const real = exchange({ start: T0, end: T0 + 100, url: 'wss://api.test/ws', status: 0, state: 'failed', resourceType: 'websocket' });
  const d = detectChannels([stub, real]).drafts;
  expect(d[0]!.candidate.exchanges).toHaveLength(1);
  expect(d[0]!.notes.join(' ')).toMatch(/1969/);
});
