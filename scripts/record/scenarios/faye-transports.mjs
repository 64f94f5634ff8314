// Bayeux via the real `faye` server from npm (NodeAdapter mounted at /faye, `timeout` 10 s, so every connect
// response carries advice.timeout 10000), with the Faye browser client (served by the adapter at /faye/client.js)
// limited to one transport: long-polling (POST JSON to /faye) or callback-polling (JSONP GET /faye?message=…&jsonp=…).
// The server publishes on /news at fixed times; the client publishes once.
import faye from 'faye';
import { page, sendHtml, notFound } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 30000,
  pushEndpointPath: '/faye',
  mount: '/faye',
  timeoutS: 10,
  transport: 'long-polling',
  newsAtMs: [2000, 3500, 16000],
};

export const recordings = [
  { file: 'faye-long-polling.har', exporter: 'playwright' },
  { file: 'faye-callback-polling.har', exporter: 'playwright', config: { transport: 'callback-polling' } },
];

const ALL = ['websocket', 'eventsource', 'long-polling', 'cross-origin-long-polling', 'callback-polling', 'in-process'];

export function createApp({ config: c, tracker, timers }) {
  const bayeux = new faye.NodeAdapter({ mount: c.mount, timeout: c.timeoutS });
  let started = false;
  // The adapter's own in-process client (used to publish) handshakes too; only HTTP handshakes are the page's.
  bayeux.on('subscribe', () => {
    tracker.count('subscribes');
    if (started) return;
    started = true;
    c.newsAtMs.forEach((at, i) => timers.timeout(() => {
      tracker.count('published');
      bayeux.getClient().publish('/news', { id: i + 1, text: `news ${i + 1}` });
    }, at));
  });
  bayeux.on('publish', (clientId, channel) => {
    if (clientId) tracker.count('publishedByClient');
  });
  bayeux.on('disconnect', () => tracker.count('disconnects'));
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('Faye', body(c)));
      if (u.pathname === '/faye/client.js') return bayeux.handle(req, res);
      if (u.pathname !== c.mount) return notFound(res);
      const seen = (text) => {
        if (text.includes('/meta/handshake')) tracker.count('handshakes');
        if (text.includes('/meta/connect')) {
          rec.kind = 'connect';
          tracker.count('connects');
        }
      };
      seen(u.searchParams.get('message') || '');
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => seen(raw));
      bayeux.handle(req, res);
    },
    upgrade(req, socket) {
      socket.destroy();
    },
    close() {
      bayeux.close?.();
    },
  };
}

const body = (c) => `<h1>Faye (${c.transport})</h1>
<ul id="log"></ul>
<script src="/faye/client.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = t; document.getElementById('log').appendChild(li); }
const client = new Faye.Client('${c.mount}');
for (const t of ${JSON.stringify(ALL)}) if (t !== '${c.transport}') client.disable(t);
client.subscribe('/news', (m) => show(m.text)).then(() => {
  show('subscribed');
  setTimeout(() => client.publish('/chat', { text: 'hello' }), 1000);
});
</script>`;

export function describe(recording, c) {
  return `Bayeux (Faye ${'1.4'} NodeAdapter) at ${c.mount}, server timeout ${c.timeoutS} s (advice.timeout ${c.timeoutS * 1000}), client limited to ${c.transport}; handshake, first connect with advice.timeout 0, subscribe to /news, server publishes at ${c.newsAtMs.join(', ')} ms, client publishes once on /chat.`;
}

export function expect(truth, recording, c) {
  return {
    mode: 'long-poll',
    carrier: c.transport === 'callback-polling' ? 'script' : 'xhr',
    pushEndpointPath: c.mount,
    method: c.transport === 'callback-polling' ? 'GET' : 'POST',
    protocol: 'bayeux',
    protocolVersion: '1.0',
    sessions: truth.counters.handshakes || 0,
    reconnectCount: (truth.counters.handshakes || 0) - 1,
    timeoutMs: c.timeoutS * 1000,
    declared: { adviceTimeoutMs: c.timeoutS * 1000, adviceIntervalMs: 0 },
    connects: truth.counters.connects || 0,
    published: truth.counters.published || 0,
    notPush: ['/', '/faye/client.js'],
  };
}
