// Server-Sent Events through the EventSource polyfill most apps use when they need a header on the stream
// (npm `event-source-polyfill`, Yaffle's, its browser build): it reads text/event-stream with fetch, sends an
// Authorization header, and gives up on a stream that has been silent for `heartbeatTimeout`, then reconnects with the
// last event id in the query (`lastEventId=`) and in Last-Event-ID. The server here sends events at fixed times and no
// keep-alive comments, so the client drops each stream 6 s after its last event and asks again 1 s later: the classic
// "No activity within 6000 milliseconds. Reconnecting." of a server without heartbeats.
import fs from 'node:fs';
import path from 'node:path';
import { endpoint, page, sendHtml, sendJs, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 30000,
  pushEndpointPath: '/events',
  heartbeatTimeoutMs: 6000,
  /** The polyfill's first reconnect delay (its initial retry; it doubles only while connecting fails). */
  retryMs: 1000,
  /** Events, relative to the first stream request. */
  newsAtMs: [1000, 2000, 11000, 12000],
};

export const recordings = [
  { file: 'sse-polyfill.har', exporter: 'playwright' },
  { file: 'sse-polyfill.chrome-har.har', exporter: 'chrome-har' },
];

const CLIENT = () => fs.readFileSync(path.join(REPO, 'node_modules/event-source-polyfill/src/eventsource.min.js'), 'utf8');

export function createApp({ config: c, tracker, timers }) {
  const events = [];
  const listeners = new Set();
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    c.newsAtMs.forEach((at, i) =>
      timers.timeout(() => {
        const e = { id: i + 1, text: `news ${i + 1}` };
        events.push(e);
        tracker.count('events');
        for (const l of [...listeners]) l(e);
      }, at),
    );
  };
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('EventSource polyfill', body(c)));
      if (u.pathname === '/eventsource.min.js') return sendJs(res, CLIENT());
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      tracker.count('streams');
      if (req.headers['authorization'] !== 'Bearer demo-token-7f3a9c2e41b8') tracker.count('unauthorised');
      const last = Number(req.headers['last-event-id'] ?? u.searchParams.get('lastEventId') ?? 0);
      if (last > 0) tracker.count('resumed');
      start();
      rec.kind = 'stream';
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.flushHeaders(); // as SSE servers do: the stream is open before its first event
      const write = (e) => {
        tracker.count('delivered');
        res.write(`id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      for (const e of events) if (e.id > last) write(e);
      listeners.add(write);
      res.on('close', () => {
        listeners.delete(write);
        tracker.count('closedByClient');
      });
    },
  };
}

const body = (c) => `<h1>EventSource polyfill</h1>
<ul id="log"></ul>
<script src="/eventsource.min.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = String(t).slice(0, 80); document.getElementById('log').appendChild(li); }
const es = new EventSourcePolyfill('${c.pushEndpointPath}', { heartbeatTimeout: ${c.heartbeatTimeoutMs}, headers: { Authorization: 'Bearer demo-token-7f3a9c2e41b8' } });
es.onmessage = (e) => show(e.data);
es.onerror = () => show('error, reconnecting');
</script>`;

export function describe(recording, c) {
  return `EventSource polyfill (event-source-polyfill 1.0.31) on ${c.pushEndpointPath}, with an Authorization header and heartbeatTimeout ${c.heartbeatTimeoutMs} ms. The server sends events at ${c.newsAtMs.join(', ')} ms after the first stream request and no keep-alive comments, and resumes after the last event id; the client drops each stream ${c.heartbeatTimeoutMs} ms after its last event and reconnects ${c.retryMs} ms later with lastEventId= in the query; the last stream is open at capture end.`;
}

export function expect(truth, recording, c) {
  const ep = endpoint(truth, `GET ${c.pushEndpointPath}`);
  return {
    mode: 'stream',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    requests: ep.requests,
    errors: 0,
    pendingAtEnd: ep.openAtStop,
    reconnectCount: ep.requests - 1,
    reconnectPattern: 'fixed',
    reconnectDelayMs: c.retryMs,
    events: truth.counters.events || 0,
    resumed: truth.counters.resumed || 0,
    notPush: ['/', '/eventsource.min.js'],
  };
}
