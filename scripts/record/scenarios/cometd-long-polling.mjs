// Bayeux via the CometD project's own Node.js server (`cometd-nodejs-server` from npm, mounted at /cometd, `timeout`
// 6 s, so every /meta/connect is held up to 6 s and its reply carries advice.timeout 6000), with the CometD
// JavaScript client (`cometd` from npm, ES modules served from /js/cometd/). The client posts each meta message to
// /cometd/<type> (appendMessageTypeToURL): /cometd/handshake, /cometd/connect, /cometd/subscribe. The server publishes
// on /news at fixed times; the client publishes once on /service/echo.
//
// Recorded twice: one page, and the page in two tabs of one browser context. CometD allows one held /meta/connect per
// browser (its BAYEUX_BROWSER cookie, `maxSessionsPerBrowser` 1): the second tab's connects are answered at once with
// advice `multiple-clients: true, interval: 2000`, so that tab polls every 2 s beside the first tab's long-poll.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { page, sendHtml, send, notFound, openTabs } from '../lib.mjs';

const require = createRequire(import.meta.url);
const { createCometDServer } = require('cometd-nodejs-server');
const CLIENT_DIR = path.dirname(require.resolve('cometd/package.json'));

export const config = {
  entryPath: '/',
  durationMs: 30000,
  pushEndpointPath: '/cometd/connect',
  mount: '/cometd',
  timeoutMs: 6000,
  multiSessionIntervalMs: 2000,
  newsAtMs: [2000, 3500, 16000],
  tabs: 1,
};

export const recordings = [
  { file: 'cometd-long-polling.har', exporter: 'playwright' },
  { file: 'cometd-two-tabs.har', exporter: 'playwright', config: { tabs: 2 } },
];

export const drive = openTabs;

export function createApp({ config: c, tracker, timers }) {
  const cometd = createCometDServer({ timeout: c.timeoutMs, multiSessionInterval: c.multiSessionIntervalMs, logLevel: 'warn' });
  const news = cometd.createServerChannel('/news');
  const echo = cometd.createServerChannel('/service/echo');
  echo.addListener('message', (session, channel, message, callback) => {
    tracker.count('publishedByClient');
    callback();
  });
  let started = false;
  const multiple = new Set();
  cometd.addListener('sessionAdded', (session) => {
    tracker.count('handshakes');
    session.addListener('removed', () => tracker.count('sessionsRemoved'));
  });
  news.addListener('subscribed', () => {
    tracker.count('subscribes');
    if (started) return;
    started = true;
    c.newsAtMs.forEach((at, i) => timers.timeout(() => {
      tracker.count('published');
      news.publish(null, { id: i + 1, text: `news ${i + 1}` });
    }, at));
  });
  return {
    async handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('CometD', body(c)));
      if (u.pathname.startsWith('/js/cometd/')) {
        const name = path.basename(u.pathname);
        if (!/^[A-Za-z0-9]+\.js$/.test(name)) return notFound(res);
        try {
          return send(res, 200, await readFile(path.join(CLIENT_DIR, name), 'utf8'), { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' });
        } catch {
          return notFound(res);
        }
      }
      if (!u.pathname.startsWith(c.mount + '/') && u.pathname !== c.mount) return notFound(res);
      if (u.pathname === c.pushEndpointPath) {
        rec.kind = 'connect';
        tracker.count('connects');
      }
      // Which replies told a client that another tab holds the browser's long-poll.
      const end = res.end.bind(res);
      res.end = (chunk, ...rest) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
        if (text.includes('"multiple-clients":true')) {
          tracker.count('multipleClientsReplies');
          for (const m of text.matchAll(/"clientId":"([^"]+)"/g)) {
            if (multiple.has(m[1])) continue;
            multiple.add(m[1]);
            tracker.count('multipleClientsSessions');
          }
        }
        return end(chunk, ...rest);
      };
      cometd.handle(req, res);
    },
    upgrade(req, socket) {
      socket.destroy();
    },
    close() {
      cometd.close?.();
    },
  };
}

const body = (c) => `<h1>CometD</h1>
<ul id="log"></ul>
<script type="module">
import { CometD } from '/js/cometd/cometd.js';
function show(t) { const li = document.createElement('li'); li.textContent = t; document.getElementById('log').appendChild(li); }
const cometd = new CometD();
cometd.configure({ url: location.origin + '${c.mount}', logLevel: 'warn' });
cometd.handshake((reply) => {
  if (!reply.successful) return show('handshake failed');
  cometd.subscribe('/news', (m) => show(m.data.text), () => {
    show('subscribed');
    setTimeout(() => cometd.publish('/service/echo', { text: 'hello' }), 1000);
  });
});
</script>`;

export function describe(recording, c) {
  const tabs = (c?.tabs ?? 1) > 1
    ? ` The page is open in ${c.tabs} tabs of one browser context: the server holds one /meta/connect per browser, so the other tab's connects are answered at once with advice multiple-clients and interval ${c.multiSessionIntervalMs} ms.`
    : '';
  return `Bayeux (CometD: cometd-nodejs-server 1.2 and the cometd 9 JavaScript client) at ${c.mount}, long-polling, server timeout ${c.timeoutMs} ms (advice.timeout ${c.timeoutMs}), messages posted to ${c.mount}/<type>; handshake, subscribe to /news, the server publishes at ${c.newsAtMs.join(', ')} ms, the client publishes once on /service/echo.${tabs}`;
}

export function expect(truth, recording, c) {
  const tabs = c.tabs ?? 1;
  const perTab = (truth.counters.handshakes || 0) / tabs;
  // The client tries a WebSocket first (once per page); the server refuses the upgrade and the client falls back.
  const websocket = { mode: 'websocket', carrier: 'websocket', pushEndpointPath: c.mount, requests: tabs, errors: tabs };
  const longPoll = {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    method: 'POST',
    protocol: 'bayeux',
    protocolVersion: '1.0',
    sessions: perTab,
    timeoutMs: c.timeoutMs,
    pendingAtEnd: 1,
    declared: { adviceTimeoutMs: c.timeoutMs, adviceIntervalMs: 0 },
    ...(tabs === 1 ? { requests: truth.counters.connects || 0 } : {}),
  };
  // The other tabs: every connect answered at once with advice multiple-clients and the multi-session interval.
  const polling = {
    mode: 'short-poll',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    protocol: 'bayeux',
    protocolVersion: '1.0',
    sessions: perTab,
    pollIntervalMs: c.multiSessionIntervalMs,
    declared: { adviceIntervalMs: c.multiSessionIntervalMs },
  };
  return {
    ...longPoll,
    otherChannels: tabs > 1 ? [polling, websocket] : [websocket],
    connects: truth.counters.connects || 0,
    published: truth.counters.published || 0,
    multipleClientsReplies: truth.counters.multipleClientsReplies || 0,
    notPush: ['/', '/js/cometd/cometd.js', '/cometd/handshake', '/cometd/'],
  };
}
