// nchan, the pub/sub module for nginx (Debian's libnginx-mod-nchan on Debian's nginx), with its own browser client
// NchanSubscriber.js (npm `nchan`) forced onto one transport per recording. nginx runs as a child of the recorder,
// bound to 127.0.0.1 on a free port, with a config written to a temporary folder; the scenario's Node server serves
// the page and passes /sub/ (HTTP and WebSocket) through to it byte for byte, so the browser sees nginx's answers
// under one origin. The recorder publishes to nginx's /pub/news (not seen by the browser) at fixed times.
//
// nchan_subscriber_timeout is 6 s. On a long-poll nchan answers it with `408 Request Timeout` and no body;
// NchanSubscriber treats that as an error and asks again after its reconnectTimeout (1000 ms). Each answer carries
// Last-Modified and Etag, which the client echoes as If-Modified-Since / If-None-Match to walk the message queue.
// Needs: apt-get install nginx-light libnginx-mod-nchan.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { endpoint, page, passThrough, passTrackedUpgrade, sendHtml, sendJs, startNginx, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 33000,
  pushEndpointPath: '/sub/news',
  transport: 'longpoll',
  subscriberTimeoutMs: 6000,
  reconnectTimeoutMs: 1000,
  /** Messages published to the channel, relative to the first subscriber request. */
  newsAtMs: [2000, 2600, 9000, 17500],
  nginx: process.env.NGINX_PATH || '/usr/sbin/nginx',
  nchanModule: process.env.NCHAN_MODULE || '/usr/lib/nginx/modules/ngx_nchan_module.so',
};

const R = (transport, exporter = 'playwright') => ({ file: `nchan-${transport}${exporter === 'playwright' ? '' : '.' + exporter}.har`, exporter, config: { transport } });
export const recordings = [R('longpoll'), R('longpoll', 'chrome-har'), R('eventsource'), R('websocket', 'chrome-har')];

const CLIENT = () => fs.readFileSync(path.join(REPO, 'node_modules/nchan/NchanSubscriber.js'), 'utf8');

/** nchan's publisher and subscriber locations: the channel is the last path segment. */
const locations = (c) => () => `    location ~ ^/pub/(\\w+)$ { nchan_publisher; nchan_channel_id $1; }
    location ~ ^/sub/(\\w+)$ { nchan_subscriber; nchan_channel_id $1; nchan_subscriber_timeout ${Math.round(c.subscriberTimeoutMs / 1000)}s; }`;

export function createApp({ config: c, tracker, timers }) {
  const ready = (async () => {
    if (!fs.existsSync(c.nchanModule)) throw new Error(`${c.nchanModule} not found: apt-get install nginx-light libnginx-mod-nchan`);
    return startNginx({ tracker, command: c.nginx, modules: [c.nchanModule], locations: locations(c) });
  })();
  let started = false;
  const publish = async (i) => {
    const { port } = await ready;
    const body = JSON.stringify({ id: i + 1, text: `news ${i + 1}` });
    await new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/pub/news', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', (err) => {
        tracker.note(`publish ${i + 1} failed: ${err.message}`);
        resolve();
      });
      req.end(body);
    });
    tracker.count('published');
  };
  const startSchedule = () => {
    if (started) return;
    started = true;
    c.newsAtMs.forEach((at, i) => timers.timeout(() => publish(i), at));
  };
  return {
    async handle(req, res, rec) {
      // Chromium sends a request again, on a new connection, when a kept-alive one answers it 408; the page sees the
      // second answer only. Requests per connection are counted to know how many the HAR can show.
      const reused = (req.socket.served = (req.socket.served || 0) + 1) > 1;
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('nchan', body(c)));
      if (u.pathname === '/NchanSubscriber.js') return sendJs(res, CLIENT());
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      const { port } = await ready;
      tracker.count('subscriberRequests');
      startSchedule();
      // Passed through unchanged: nginx's status, headers and body as they come.
      passThrough(req, res, port, (status) => {
        if (status === 408) {
          rec.kind = 'timeout';
          tracker.count('timeouts');
          if (reused) tracker.count('resentByBrowser');
        } else if (status === 200) rec.kind = 'message';
      });
    },
    async upgrade(req, socket, head) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname !== c.pushEndpointPath) return socket.destroy();
      const { port } = await ready;
      tracker.count('subscriberRequests');
      startSchedule();
      passTrackedUpgrade(req, socket, head, port, tracker);
    },
    close() {
      ready.then((n) => n.stop(), () => {});
    },
  };
}

const body = (c) => `<h1>nchan (${c.transport})</h1>
<ul id="log"></ul>
<script src="/NchanSubscriber.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = String(t).slice(0, 80); document.getElementById('log').appendChild(li); }
const sub = new NchanSubscriber('${c.pushEndpointPath}', { subscriber: '${c.transport}', reconnectTimeout: ${c.reconnectTimeoutMs} });
sub.on('message', (m) => show(m));
sub.on('connect', () => show('connected'));
sub.on('error', (code, text) => show('error ' + code + ' ' + text));
sub.start();
</script>`;

export function describe(recording, c) {
  return `nchan (Debian's libnginx-mod-nchan 1.3.6 on nginx 1.22) at ${c.pushEndpointPath}, with its NchanSubscriber.js client (npm nchan 1.0.10) forced to the ${c.transport} transport; nchan_subscriber_timeout ${c.subscriberTimeoutMs} ms (a long-poll is answered 408 then, and the client asks again after reconnectTimeout ${c.reconnectTimeoutMs} ms); messages published at ${c.newsAtMs.join(', ')} ms after the first subscriber request. nginx runs on 127.0.0.1 behind the scenario's server, which passes /sub/ through unchanged.`;
}

export function expect(truth, recording, c) {
  const n = truth.counters.subscriberRequests || 0;
  const common = { pushEndpointPath: c.pushEndpointPath, protocol: 'nchan', requests: n, published: truth.counters.published || 0 };
  if (c.transport === 'longpoll') {
    const resent = truth.counters.resentByBrowser || 0;
    return {
      ...common,
      mode: 'long-poll',
      carrier: 'xhr',
      timeoutMs: c.subscriberTimeoutMs,
      requestsInHar: n - resent - (recording.exporter === 'chrome-har' ? 1 : 0),
      errors: 0,
      pendingAtEnd: 1,
      ...(recording.exporter === 'chrome-har' ? { pendingAtEndInHar: 0 } : {}),
      timeouts: truth.counters.timeouts || 0,
      resentByBrowser: resent,
      notPush: ['/', '/NchanSubscriber.js'],
    };
  }
  const open = endpoint(truth, `GET ${c.pushEndpointPath}`).openAtStop;
  // Every stream and socket ends at nchan's subscriber timeout; EventSource comes back after Chromium's default
  // reconnection time (3 s: nchan sends no retry field), NchanSubscriber's WebSocket after its reconnectTimeout.
  if (c.transport === 'eventsource') return { ...common, mode: 'stream', carrier: 'eventsource', errors: 0, pendingAtEnd: open, reconnectDelayMs: 3000, notPush: ['/', '/NchanSubscriber.js'] };
  return { ...common, mode: 'websocket', carrier: 'websocket', errors: 0, pendingAtEnd: open, reconnectDelayMs: c.reconnectTimeoutMs, notPush: ['/', '/NchanSubscriber.js'] };
}
