// Runs the analysis over real captures: the shared third-party corpus (outside the repo) and the committed samples
// with their server-side truth in samples/manifest.json. Each part skips, saying why, when its folder is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadCapture } from '../../src/har/load.js';
import type { Analysis, ChannelReport } from '../../src/model.js';
import { CORPUS } from '../helpers/captures.js';

const tool = { name: 'comet-inspect', version: 'test' };
const corpusDir = join(CORPUS, '/'); // ends in a slash: file names are appended
const samplesDir = fileURLToPath(new URL('../../samples/', import.meta.url));

async function run(path: string): Promise<Analysis> {
  return analyze([await loadCapture(path)], { tool });
}

const shape = (c: ChannelReport) => `${c.mode}/${c.carrier}`;

/** Push captures: the channels each must yield (mode/carrier), in any order; extra short-poll channels are allowed where noted. */
const PUSH: Record<string, { channels: string[]; extraShortPolls?: boolean }> = {
  'agent-browser-0.27.1__fetch-sse-post.har': { channels: ['stream/xhr'] },
  'agent-browser-0.27.1__wechat-jsonp-longpoll-sse.har': { channels: ['long-poll/script', 'stream/xhr'] },
  'chrome-32__play-chat__websocket-101.har': { channels: ['websocket/websocket'] },
  // The inbox page also polls three REST endpoints every ~8 s with a cache-buster: real short polling.
  'chrome__booka-presence__sse-websocket__large.har': { channels: ['stream/eventsource', 'websocket/websocket'], extraShortPolls: true },
  'chrome__booka-ws__1969-date-ws-error.har': { channels: ['websocket/websocket'] },
  'chrome__booka-wsfail__ws-reconnect-sse__large.har': { channels: ['stream/eventsource', 'websocket/websocket'] },
  'chrome__openclaw-raw-websocket__leading-newline.har': { channels: ['websocket/websocket'] },
  'chrome__socketio-eio4-polling.har': { channels: ['long-poll/xhr'] },
  'firefox-150__socketio-eio4-websocket-only.har': { channels: ['websocket/websocket'] },
  'firefox-66__har11__socketio-eio3-polling-failed.har': { channels: ['long-poll/xhr'] },
  'mitmproxy__sse-launchdarkly.har': { channels: ['stream/eventsource'] },
  'mitmproxy__websocket-piesocket.har': { channels: ['websocket/websocket'] },
  'webpagetest-2.17__har11__nytimes-sockjs-websocket.har': { channels: ['websocket/websocket', 'websocket/websocket'] },
};

/** Ordinary traffic and decoys: no channel at all. The HARP/JSONP-wrapped file is not a HAR and is left out. */
const NONE = [
  'browsermob-proxy-2.0__firefox38__extracted.har',
  'browsertime-1.0__chrome-har__sitespeed.har',
  'capture-har-0.3.2__cnn.har',
  'charles-3.6.5__connect-tunnels.har',
  'charles-4.6.3.har',
  'chrome-har-0.12.0__ferguson.har',
  'chrome-har-capturer-0.10.3__cnn-jsonp-single.har',
  'chrome__bom.har',
  'edge-chromium__webinspector.har',
  'fiddler-2.3.3.5__widex-push-decoy__nopages.har',
  'fiddler-4.6.2.2__ie11__bom.har',
  'fiddler-everywhere-5.0.1__har11__bom.har',
  'firebug-1.5.4__har11__slow-css-29s-decoy.har',
  'firebug-1.7__har11__two-megs.har',
  'firefox-111.har',
  'firefox-47__har11.har',
  'httpwatch-basic-8.1.13__firefox11__google-account-recovery.har',
  'ie11-network-inspector__har11.har',
  'insomnia-2022.1.1.har',
  'playwright-1.23__redirect-h2.har',
  'playwright-1.32.3__failed-request-minus1.har',
  'pollyjs-1.4.2__puppeteer__repeated-url-decoy.har',
  'proxyman-5.6.1__wsmessages-null.har',
  'safari-webkit-web-inspector.har',
  'webpagetest-2.19__har11__bbc-5pages__large.har',
];

describe.skipIf(!existsSync(corpusDir))(`shared corpus (${corpusDir}; skipped when absent)`, () => {
  it.each(Object.entries(PUSH))('finds the push channels in %s', async (file, want) => {
    const a = await run(corpusDir + file);
    const got = a.channels.map(shape).filter((s) => !(want.extraShortPolls && s.startsWith('short-poll/')));
    expect(got.sort()).toEqual([...want.channels].sort());
    for (const c of a.channels) {
      expect(c.evidence.length).toBeGreaterThan(0);
      expect(c.confidence).toBeGreaterThan(0);
    }
  });

  it.each(NONE)('reports no push channel in %s', async (file) => {
    expect((await run(corpusDir + file)).channels.map((c) => `${shape(c)} ${c.endpoint}`)).toEqual([]);
  });

  it('measures the failing WebSocket back-off as exponential', async () => {
    const a = await run(corpusDir + 'chrome__booka-wsfail__ws-reconnect-sse__large.har');
    const ws = a.channels.find((c) => c.mode === 'websocket')!;
    expect(ws.reconnect).toMatchObject({ pattern: 'exponential', count: 5 });
    expect(ws.errors).toBe(6);
  });

  it('measures the WeChat JSONP long-poll: 15 s timeout, 2 s re-poll, last poll open', async () => {
    const lp = (await run(corpusDir + 'agent-browser-0.27.1__wechat-jsonp-longpoll-sse.har')).channels.find((c) => c.mode === 'long-poll')!;
    expect(lp.timeoutMs).toBeGreaterThan(15000);
    expect(lp.timeoutMs).toBeLessThan(15300);
    expect(lp.repollDelayMs?.median).toBeGreaterThan(1900);
    expect(lp).toMatchObject({ pendingAtEnd: 1, errors: 0, endpoint: 'GET https://lp.open.weixin.qq.com/connect/l/qrconnect?uuid=…' });
  });

  /** The protocol each push file speaks, per channel in report order (PROVENANCE.md); JSONP and the rest are generic. */
  const PROTOCOL: Record<string, string[]> = {
    'chrome__socketio-eio4-polling.har': ['socket.io 4'],
    'firefox-150__socketio-eio4-websocket-only.har': ['socket.io 4'],
    'firefox-66__har11__socketio-eio3-polling-failed.har': ['socket.io 2'],
    'webpagetest-2.17__har11__nytimes-sockjs-websocket.har': ['sockjs 0.3', 'sockjs 0.3'],
    'agent-browser-0.27.1__wechat-jsonp-longpoll-sse.har': ['none null', 'none null'],
  };
  it.each(Object.keys(PUSH))('names the protocol of each channel in %s', async (file) => {
    const a = await run(corpusDir + file);
    const want = PROTOCOL[file] ?? a.channels.map(() => 'none null');
    expect(a.channels.map((c) => `${c.protocol} ${c.protocolVersion}`)).toEqual(want);
  });

  it('counts the failing Socket.IO 2 handshakes as reconnects, with no session, and flags the non-default back-off', async () => {
    const c = (await run(corpusDir + 'firefox-66__har11__socketio-eio3-polling-failed.har')).channels[0]!;
    expect(c.label).toBe('Socket.IO 2 over XHR long-polling');
    expect(c.sessions).toBeUndefined();
    expect(c.reconnect.count).toBe(80);
    expect(c.declaredVsObserved?.find((d) => d.fact === 'first reconnect delay')).toMatchObject({ declaredMs: 1000, agrees: false });
  });

  it('never prints the tokens the corpus contains', async () => {
    const a = await run(corpusDir + 'mitmproxy__websocket-piesocket.har');
    expect(JSON.stringify(a.channels)).not.toContain('VCXCEuvhGcBDP7XhiJJUDvR1e1D3eiVjgZ9VRiaV');
  });
});

interface Expect {
  mode: string;
  carrier: string;
  pushEndpointPath: string;
  timeoutMs?: number | null;
  timeoutObservable?: boolean;
  pollIntervalMs?: number;
  reconnectPattern?: string;
  reconnectCount?: number;
  reconnectDelaysMs?: number[];
  reconnectDelayMs?: number;
  repollDelayMs?: number;
  requests?: number;
  requestsInHar?: number;
  pendingAtEnd?: number;
  pendingAtEndInHar?: number;
  errors?: number;
  retryMs?: number;
  otherChannels?: Expect[];
  /** Protocol samples: SockJS session paths are templates (`/echo/{server}/{session}/xhr`). */
  pushEndpointPathPattern?: string;
  protocol?: string;
  protocolVersion?: string;
  sessions?: number;
  rotations?: number;
  /** What the server was configured with, as the report's `declared` should show it. */
  declared?: Record<string, number>;
}

/** Library defaults a report shows only when the capture lets it compare them. */
const DECLARED_IF_OBSERVED = new Set(['heartbeatMs']);

const pathOf = (c: ChannelReport) => decodeURIComponent(new URL(c.endpoint.split(' ')[1]!).pathname);
function matchesPath(c: ChannelReport, want: Expect): boolean {
  if (want.pushEndpointPathPattern) {
    const re = new RegExp('^' + want.pushEndpointPathPattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(server|session)\}/g, '[^/]+') + '$');
    return re.test(pathOf(c));
  }
  return pathOf(c) === want.pushEndpointPath;
}

const manifestPath = samplesDir + 'manifest.json';
const manifest: Record<string, { expect: Expect; exporter: string }> = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : {};

/**
 * What a sample's HAR cannot show, so the report cannot match the server there. With Cache-Control: no-store
 * Chromium reports the finished first stream as net::ERR_ABORTED with no body and no end, so the stream lifetime
 * (the server's 15 s) and the 1 s reconnect delay are not in the file (the reconnect itself is counted).
 */
const NOT_IN_HAR: Record<string, (keyof Expect)[]> = {
  'fetch-stream.no-store.har': ['timeoutMs', 'reconnectPattern'],
  // Playwright writes each finished fetch stream of the polyfill as aborted at its headers: its end is not in the file.
  'sse-polyfill.har': ['reconnectPattern'],
};

const within = (got: number | null | undefined, want: number, tolerance = 0.1) =>
  got !== null && got !== undefined && Math.abs(got - want) <= want * tolerance;

describe.skipIf(Object.keys(manifest).length === 0)('committed samples against samples/manifest.json', () => {
  it.each(Object.keys(manifest).filter((f) => existsSync(samplesDir + f)))('%s matches the server configuration', async (file) => {
    const a = await run(samplesDir + file);
    const skip = new Set(NOT_IN_HAR[file] ?? []);
    const expected = [manifest[file]!.expect, ...(manifest[file]!.expect.otherChannels ?? [])];
    const problems: string[] = [];
    for (const want of expected) {
      const inHar = want.requestsInHar ?? want.requests;
      // A polling channel and the WebSocket it upgraded to share a path; the mode tells them apart.
      const ch = a.channels.find((c) => matchesPath(c, want) && c.mode === want.mode) ?? a.channels.find((c) => matchesPath(c, want));
      if (inHar === 0) {
        // The exporter dropped every request of this channel; nothing to find.
        if (ch) problems.push(`${want.pushEndpointPath}: found although the HAR has no request`);
        continue;
      }
      if (!ch) {
        problems.push(`${want.pushEndpointPath}: not found`);
        continue;
      }
      const p = (what: string, got: unknown, exp: unknown) => problems.push(`${want.pushEndpointPath} ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(exp)}`);
      if (ch.mode !== want.mode) p('mode', ch.mode, want.mode);
      if (ch.carrier !== want.carrier) p('carrier', ch.carrier, want.carrier);
      if (want.timeoutMs !== undefined && want.timeoutObservable !== false && !skip.has('timeoutMs')) {
        if (want.timeoutMs === null ? ch.timeoutMs !== null : !within(ch.timeoutMs, want.timeoutMs)) p('timeoutMs', ch.timeoutMs, want.timeoutMs);
      }
      if (want.pollIntervalMs !== undefined && !within(ch.pollIntervalMs, want.pollIntervalMs)) p('pollIntervalMs', ch.pollIntervalMs, want.pollIntervalMs);
      if (want.reconnectPattern !== undefined && !skip.has('reconnectPattern') && ch.reconnect.pattern !== want.reconnectPattern) p('reconnect.pattern', ch.reconnect.pattern, want.reconnectPattern);
      if (want.reconnectCount !== undefined && ch.reconnect.count !== want.reconnectCount) p('reconnect.count', ch.reconnect.count, want.reconnectCount);
      // Delays the client was configured with: ±10%, or ±100 ms for short ones (timers and loopback round trips).
      const close = (got: number, exp: number) => Math.abs(got - exp) <= Math.max(100, exp * 0.1);
      if (want.reconnectDelaysMs !== undefined && !skip.has('reconnectPattern')) {
        const got = ch.reconnect.delaysMs;
        if (got.length !== want.reconnectDelaysMs.length || !got.every((d, i) => close(d, want.reconnectDelaysMs![i]!))) p('reconnect.delaysMs', got, want.reconnectDelaysMs);
      }
      if (want.reconnectDelayMs !== undefined && !skip.has('reconnectPattern') && !ch.reconnect.delaysMs.every((d) => close(d, want.reconnectDelayMs!))) {
        p('reconnect.delaysMs', ch.reconnect.delaysMs, want.reconnectDelayMs);
      }
      if (want.repollDelayMs !== undefined && want.mode === 'long-poll' && !(ch.repollDelayMs && close(ch.repollDelayMs.median, want.repollDelayMs))) {
        p('repollDelayMs.median', ch.repollDelayMs?.median, want.repollDelayMs);
      }
      if (inHar !== undefined && ch.requests !== inHar) p('requests', ch.requests, inHar);
      const pending = want.pendingAtEndInHar ?? want.pendingAtEnd;
      if (pending !== undefined && ch.pendingAtEnd !== pending) p('pendingAtEnd', ch.pendingAtEnd, pending);
      if (want.errors !== undefined && ch.errors !== want.errors) p('errors', ch.errors, want.errors);
      if (want.retryMs !== undefined && ch.declared['sseRetryMs'] !== want.retryMs) p('declared.sseRetryMs', ch.declared['sseRetryMs'], want.retryMs);
      if (want.protocol !== undefined && ch.protocol !== want.protocol) p('protocol', ch.protocol, want.protocol);
      if (want.protocolVersion !== undefined && ch.protocolVersion !== want.protocolVersion) p('protocolVersion', ch.protocolVersion, want.protocolVersion);
      if (want.sessions !== undefined && (ch.sessions?.length ?? 0) !== want.sessions) p('sessions', ch.sessions?.length ?? 0, want.sessions);
      if (want.rotations !== undefined) {
        const got = (ch.sessions ?? []).reduce((n, x) => n + x.rotations, 0);
        if (got !== want.rotations) p('rotations', got, want.rotations);
      }
      for (const [k, v] of Object.entries(want.declared ?? {})) {
        if (DECLARED_IF_OBSERVED.has(k) && !(k in ch.declared)) continue;
        if (ch.declared[k] !== v) p(`declared.${k}`, ch.declared[k], v);
      }
      for (const d of ch.declaredVsObserved ?? []) if (d.agrees === false) p(`declared vs observed "${d.fact}"`, d.observedMs, d.declaredMs);
    }
    for (const c of a.channels) {
      if (!expected.some((e) => matchesPath(c, e))) problems.push(`unexpected channel ${c.label} ${c.endpoint}`);
    }
    if (manifest[file]!.exporter === 'chrome-har' || /chrome-har/.test(file)) {
      const lp = a.channels.find((c) => c.mode === 'long-poll');
      if (lp && lp.pendingAtEnd === 0 && !(lp.warnings ?? []).some((w) => /chrome-har/.test(w))) problems.push('no chrome-har dropped-request warning');
    }
    expect(problems).toEqual([]);
  });
});

// What a client does when its WebSocket is refused (the recorders' servers destroy every upgrade, as a blocking proxy
// would): Engine.IO stays on polling, SockJS and CometD fall back to another transport.
describe('refused WebSockets in the committed samples', () => {
  const channels = async (file: string) => (await run(samplesDir + file)).channels;

  it.skipIf(!existsSync(samplesDir + 'engine.io-upgrade-blocked.har'))('engine.io-upgrade-blocked.har: a failed upgrade, not an upgrade', async () => {
    const [poll, ws] = await channels('engine.io-upgrade-blocked.har');
    expect(poll!.label).toBe('Engine.IO 4 over XHR long-polling');
    expect(poll!.evidence).toContain(`tried to upgrade to WebSocket ${ws!.id}, which never connected; stayed on polling`);
    expect(ws).toMatchObject({ mode: 'websocket', coverage: 0, linkedChannels: [poll!.id] });
  });

  it.each(['sockjs-websocket-blocked.har', 'cometd-long-polling.har', 'cometd-two-tabs.har'].filter((f) => existsSync(samplesDir + f)))(
    '%s: the refused WebSocket is linked to what the client fell back to',
    async (file) => {
      const all = await channels(file);
      const ws = all.find((c) => c.mode === 'websocket')!;
      const rest = all.filter((c) => c !== ws);
      expect(ws.coverage).toBe(0);
      expect(ws.linkedChannels).toEqual(rest.map((c) => c.id));
      for (const c of rest) expect(c.evidence).toContain(`opened after WebSocket ${ws.id} failed to connect: the client fell back from WebSocket`);
    },
  );
});

// nchan (nginx) answers a long-poll that timed out with 408, and Chromium sends such a request again by itself when
// the 408 came on a kept-alive connection: the page sees one timeout in four here (the recorder counted the rest).
describe('nchan in the committed samples', () => {
  it.skipIf(!existsSync(samplesDir + 'nchan-eventsource.har'))('nchan-eventsource.har: the streams nchan ended at its subscriber timeout are named', async () => {
    const [c] = (await run(samplesDir + 'nchan-eventsource.har')).channels;
    expect(c!.evidence).toContain('nchan ended 3 event streams at its subscriber timeout (closed with the comment ":408: 408 Request Timeout")');
  });


  it.each(['nchan-longpoll.har', 'nchan-longpoll.chrome-har.har'].filter((f) => existsSync(samplesDir + f)))(
    '%s: the 408 is the timeout answer, and the timeouts the page never saw are counted',
    async (file) => {
      const [c] = (await run(samplesDir + file)).channels;
      const resent = manifest[file]!.expect as Expect & { resentByBrowser: number };
      expect(c).toMatchObject({ mode: 'long-poll', protocol: 'nchan', errors: 0 });
      expect(c!.evidence).toContain("1 answer was 408 Request Timeout after the server held it: its timeout answer, not counted as an error");
      expect(c!.evidence.find((e) => e.includes('the page never saw'))).toMatch(new RegExp(`^${resent.resentByBrowser} more timeouts the page never saw: requests spent ≈ 6(\\.\\d+)? s before they were sent`));
    },
  );
});

// Playwright writes a finished fetch stream as aborted at its headers: when it ended is not in the file.
describe('streams whose end the exporter did not record', () => {
  it.each(['fetch-stream.no-store.har', 'graphql-sse.har', 'sse-polyfill.har'].filter((f) => existsSync(samplesDir + f)))('%s: no gap is reported that the capture cannot show', async (file) => {
    const [c] = (await run(samplesDir + file)).channels;
    expect(c!.gaps).toEqual([]);
    expect(c!.evidence.join('\n')).toContain('each is taken as open until the next one opened');
  });

  it.skipIf(!existsSync(samplesDir + 'graphql-sse.har'))('graphql-sse.har: one stream per operation is no protocol session', async () => {
    const [c] = (await run(samplesDir + 'graphql-sse.har')).channels;
    expect(c).toMatchObject({ protocol: 'graphql-sse', label: 'GraphQL over SSE via fetch streaming (text/event-stream)' });
    expect(c!.sessions).toBeUndefined();
  });
});

// nginx's proxy_read_timeout (10 s) in front of a backend that holds polls 30 s: the proxy answers 504 first.
describe('a long-poll behind a proxy that times out first', () => {
  it.skipIf(!existsSync(samplesDir + 'proxy-timeout.har'))('proxy-timeout.har: the 504s at one hold are named as the proxy read timeout', async () => {
    const [c] = (await run(samplesDir + 'proxy-timeout.har')).channels;
    expect(c).toMatchObject({ mode: 'long-poll', errors: 2, reconnect: { pattern: 'exponential', count: 2 } });
    expect(c!.evidence.find((e) => e.includes('gateway timeout'))).toMatch(/^2 answers were 504 \(gateway timeout\) after ≈ 10(\.0\d)? s: a proxy in front of the server gave up first/);
  });
});
