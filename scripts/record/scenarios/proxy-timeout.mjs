// A long-poll behind a reverse proxy whose read timeout is shorter than the server's hold: the classic production
// failure. Debian's nginx runs as a child of the recorder (127.0.0.1, free port, config in a temporary folder) with
// `proxy_read_timeout 10s` in front of a Node backend that holds each poll up to 30 s. The scenario's server passes
// /updates through to nginx byte for byte; nginx passes it to the backend. A poll with no message within 10 s is
// answered `504 Gateway Time-out` by nginx, and the page's client backs off (1 s, doubling, reset on success) as it
// does after any error.
// Needs: apt-get install nginx-light.
import http from 'node:http';
import { endpoint, freePort, messageSchedule, page, passThrough, sendHtml, sendJson, startNginx, notFound } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 33000,
  pushEndpointPath: '/updates',
  serverHoldMs: 30000,
  proxyReadTimeoutS: 10,
  /** Messages, relative to the first poll. */
  messageAtMs: [3000, 25000],
  backoff: { initialMs: 1000, factor: 2, maxMs: 8000 },
  nginx: process.env.NGINX_PATH || '/usr/sbin/nginx',
};

export const recordings = [{ file: 'proxy-timeout.har', exporter: 'playwright' }];

/** The proxy: the push endpoint passed to the backend, with a read timeout shorter than the backend's hold. */
const locations = (c, backendPort) => () => `    location ${c.pushEndpointPath} {
      proxy_pass http://127.0.0.1:${backendPort};
      proxy_read_timeout ${c.proxyReadTimeoutS}s;
      proxy_buffering off;
    }`;

/** The application server behind the proxy: holds a poll until a message is ready or serverHoldMs has passed. */
function backend(c, tracker, timers) {
  const schedule = messageSchedule(timers, c.messageAtMs, (id) => ({ id, text: `update ${id}` }));
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (!schedule.started) schedule.start(tracker.now());
    const since = Number(u.searchParams.get('since') || 0);
    const answer = () => sendJson(res, 200, { events: schedule.after(since) });
    if (schedule.after(since).length) return answer();
    let timer = null;
    const unwait = schedule.wait(() => {
      if (!schedule.after(since).length) return;
      timers.clear(timer);
      unwait();
      answer();
    });
    timer = timers.timeout(() => {
      unwait();
      answer();
    }, c.serverHoldMs);
    res.on('close', () => {
      timers.clear(timer);
      unwait();
      if (!res.writableFinished) tracker.count('pollsDroppedByProxy');
    });
  });
  return server;
}

export function createApp({ config: c, tracker, timers }) {
  const app = backend(c, tracker, timers);
  const ready = (async () => {
    const backendPort = await freePort();
    await new Promise((resolve) => app.listen(backendPort, '127.0.0.1', resolve));
    return startNginx({ tracker, command: c.nginx, locations: locations(c, backendPort) });
  })();
  return {
    async handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('Long-poll behind a proxy', BODY(c)));
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      const { port } = await ready;
      tracker.count('polls');
      passThrough(req, res, port, (status) => {
        if (status === 504) {
          rec.kind = 'gateway-timeout';
          tracker.count('gatewayTimeouts');
        } else rec.kind = 'answer';
      });
    },
    close() {
      app.closeAllConnections?.();
      app.close();
      ready.then((d) => d.stop(), () => {});
    },
  };
}

const BODY = (c) => `<h1>Long-poll behind a proxy</h1>
<ul id="log"></ul>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = String(t).slice(0, 80); document.getElementById('log').appendChild(li); }
let since = 0;
let delay = ${c.backoff.initialMs};
async function poll() {
  try {
    const r = await fetch('${c.pushEndpointPath}?since=' + since);
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const { events } = await r.json();
    for (const e of events) { since = e.id; show(e.text); }
    delay = ${c.backoff.initialMs};
    poll();
  } catch (e) {
    show(e.message + ', retrying in ' + delay + ' ms');
    setTimeout(poll, delay);
    delay = Math.min(delay * ${c.backoff.factor}, ${c.backoff.maxMs});
  }
}
poll();
</script>`;

export function describe(recording, c) {
  return `fetch long-poll of ${c.pushEndpointPath} through Debian's nginx as a reverse proxy (proxy_read_timeout ${c.proxyReadTimeoutS} s) to a Node backend that holds each poll up to ${c.serverHoldMs / 1000} s, with messages at ${c.messageAtMs.join(', ')} ms after the first poll. nginx answers a poll still held after ${c.proxyReadTimeoutS} s with 504 Gateway Time-out; the client re-polls at once after an answer and backs off after an error (${c.backoff.initialMs} ms, doubling, reset on success).`;
}

export function expect(truth, recording, c) {
  const ep = endpoint(truth, `GET ${c.pushEndpointPath}`);
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    requests: ep.requests,
    errors: truth.counters.gatewayTimeouts || 0,
    pendingAtEnd: ep.openAtStop,
    gatewayTimeouts: truth.counters.gatewayTimeouts || 0,
    proxyReadTimeoutMs: c.proxyReadTimeoutS * 1000,
    notPush: ['/'],
  };
}
