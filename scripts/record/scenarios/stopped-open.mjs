// A capture stopped while push channels are open: the page starts an XHR long-poll that the server
// would hold for 30 s (no data, so no response headers yet), an EventSource (event every 2 s, never
// ends) and a fetch ndjson stream (line every 2 s, never ends); the capture stops 10 s later.
// Exporters differ exactly here: Playwright keeps the open long-poll as a status -1 placeholder;
// chrome-har drops requests that have no response, but keeps open streams (headers received).
import { page, sendHtml, sendJson, notFound, NO_CACHE, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 10000,
  longPoll: { path: '/lp/wait', timeoutMs: 30000 },
  sse: { path: '/sse/feed', eventIntervalMs: 2000 },
  stream: { path: '/stream/feed', contentType: 'application/x-ndjson', messageIntervalMs: 2000 },
};

export const recordings = [
  { file: 'stopped-open.har', exporter: 'playwright' },
  {
    file: 'stopped-open.chrome-har.har',
    exporter: 'chrome-har',
    note: 'DevTools-style CDP capture exported with chrome-har while the page was still open: the long-poll (no response yet) is dropped; the SSE and fetch streams are kept without loadingFinished.',
  },
];

export function createApp({ config: c, tracker, timers }) {
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      const p = u.pathname;
      if (p === '/') return sendHtml(res, page('Stopped while open', BODY(c)));
      if (p === '/api/me') return timers.timeout(() => sendJson(res, 200, { id: 7, name: 'demo' }), 30);
      if (p === c.longPoll.path) {
        rec.kind = 'long-poll';
        const t = timers.timeout(() => sendJson(res, 200, { events: [] }), c.longPoll.timeoutMs);
        res.on('close', () => timers.clear(t));
        return;
      }
      if (p === c.sse.path) {
        rec.kind = 'stream';
        res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
        res.write(': open\n\n');
        let id = 0;
        const t = timers.interval(() => {
          id++;
          tracker.count('sseEvents');
          res.write(`id: ${id}\ndata: ${JSON.stringify({ id, level: id * 3 })}\n\n`);
        }, c.sse.eventIntervalMs);
        res.on('close', () => timers.clear(t));
        return;
      }
      if (p === c.stream.path) {
        rec.kind = 'stream';
        res.writeHead(200, { 'Content-Type': c.stream.contentType, ...NO_CACHE });
        let seq = 0;
        res.write(JSON.stringify({ seq: seq++, type: 'hello' }) + '\n');
        tracker.count('streamLines');
        const t = timers.interval(() => {
          tracker.count('streamLines');
          res.write(JSON.stringify({ seq: seq++, type: 'tick' }) + '\n');
        }, c.stream.messageIntervalMs);
        res.on('close', () => timers.clear(t));
        return;
      }
      return notFound(res);
    },
  };
}

const BODY = (c) => `<h1>Open channels</h1>
<pre id="out"></pre>
<script>
function out(s) { document.getElementById('out').textContent += s + '\\n'; }
fetch('/api/me').then(function (r) { return r.json(); }).then(function (me) { out('hello ' + me.name); });
var x = new XMLHttpRequest();
x.open('GET', '${c.longPoll.path}?cursor=0');
x.onload = function () { out('long-poll answered'); };
x.send();
var es = new EventSource('${c.sse.path}');
es.onmessage = function (e) { out('sse ' + e.data); };
(async function () {
  const r = await fetch('${c.stream.path}', { cache: 'no-store' });
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  for (;;) { const c = await reader.read(); if (c.done) break; out('stream ' + dec.decode(c.value).trim()); }
})();
</script>`;

export function describe(recording) {
  return `Capture stopped 10 s in, with three push channels open: an XHR long-poll (/lp/wait, server would hold 30 s, no response yet), an SSE stream (/sse/feed, event every 2 s) and a fetch ndjson stream (/stream/feed, line every 2 s).${recording.exporter === 'chrome-har' ? ' chrome-har export: the long-poll is missing; the two streams are present but unfinished.' : ''}`;
}

export function expect(truth, recording) {
  const lp = endpoint(truth, `GET ${config.longPoll.path}`);
  const sse = endpoint(truth, `GET ${config.sse.path}`);
  const st = endpoint(truth, `GET ${config.stream.path}`);
  const chromeHar = recording.exporter === 'chrome-har';
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: config.longPoll.path,
    method: 'GET',
    timeoutMs: config.longPoll.timeoutMs,
    timeoutObservable: false,
    reconnectPattern: 'none',
    requests: lp.requests,
    completed: lp.complete,
    pendingAtEnd: lp.openAtStop,
    pendingAtEndInHar: chromeHar ? 0 : lp.openAtStop,
    requestsInHar: chromeHar ? 0 : lp.requests,
    visibleInHar: !chromeHar,
    responseHeadersSent: false,
    errors: 0,
    otherChannels: [
      {
        mode: 'stream',
        carrier: 'eventsource',
        pushEndpointPath: config.sse.path,
        method: 'GET',
        mimeType: 'text/event-stream',
        messageIntervalMs: config.sse.eventIntervalMs,
        timeoutMs: null,
        reconnectPattern: 'none',
        requests: sse.requests,
        pendingAtEnd: sse.openAtStop,
        pendingAtEndInHar: sse.openAtStop,
        responseHeadersSent: true,
        messages: truth.counters.sseEvents || 0,
      },
      {
        mode: 'stream',
        carrier: 'xhr',
        pushEndpointPath: config.stream.path,
        method: 'GET',
        mimeType: config.stream.contentType,
        messageIntervalMs: config.stream.messageIntervalMs,
        timeoutMs: null,
        reconnectPattern: 'none',
        requests: st.requests,
        pendingAtEnd: st.openAtStop,
        pendingAtEndInHar: st.openAtStop,
        responseHeadersSent: true,
        messages: truth.counters.streamLines || 0,
      },
    ],
    notPush: ['/', '/api/me'],
  };
}
