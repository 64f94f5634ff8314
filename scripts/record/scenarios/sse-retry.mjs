// Server-Sent Events with server-driven reconnects: each GET /events response starts with
// `retry: 1500`, sends 4 events 1 s apart (each with `id:`), then ends. The browser's EventSource
// reconnects after 1500 ms with Last-Event-ID; the server checks it and resumes after that id.
// Recorded twice: one page, and the page in two tabs of one browser context (one HAR, two event streams side by
// side, each reconnecting on its own).
import { page, sendHtml, notFound, endpoint, openTabs } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 25000,
  pushEndpointPath: '/events',
  retryMs: 1500,
  eventName: 'tick',
  eventIntervalMs: 1000,
  eventsPerStream: 4,
  /** The response ends right after the last event, i.e. eventsPerStream * eventIntervalMs after it started. */
  streamDurationMs: 4000,
  /** Pages of the app open side by side in the recorded browser context, 500 ms apart. */
  tabs: 1,
};

export const recordings = [
  { file: 'sse-retry.har', exporter: 'playwright' },
  { file: 'sse-two-tabs.har', exporter: 'playwright', config: { tabs: 2 } },
];

/** Opens the extra tabs (config.tabs) in the page's own context, so that one HAR records them all. */
export const drive = openTabs;

export function createApp({ config: c, tracker, timers }) {
  /** Ids sent on any stream: each tab resumes after the last one it got. */
  const sent = new Set();
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('SSE', BODY(c)));
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      const header = req.headers['last-event-id'];
      if (header !== undefined) {
        if (sent.has(Number(header))) tracker.count('resumedWithLastEventId');
        else {
          tracker.count('lastEventIdMismatch');
          tracker.note(`Last-Event-ID ${header}, never sent`);
        }
      }
      let next = header !== undefined ? Number(header) + 1 : 1;
      rec.kind = 'stream';
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' });
      res.write(`retry: ${c.retryMs}\n: stream start\n\n`);
      const ts = [];
      for (let i = 1; i <= c.eventsPerStream; i++) {
        ts.push(
          timers.timeout(() => {
            const id = next++;
            sent.add(id);
            tracker.count('eventsDelivered');
            res.write(`id: ${id}\nevent: ${c.eventName}\ndata: ${JSON.stringify({ id, temp: 20 + (id % 5) })}\n\n`);
            if (i === c.eventsPerStream) {
              tracker.count('streamsEnded');
              res.end();
            }
          }, i * c.eventIntervalMs),
        );
      }
      res.on('close', () => ts.forEach((t) => timers.clear(t)));
    },
  };
}

const BODY = (c) => `<h1>Sensor</h1>
<pre id="out"></pre>
<script>
const es = new EventSource('${c.pushEndpointPath}?topic=sensor');
es.addEventListener('${c.eventName}', function (e) {
  document.getElementById('out').textContent += e.lastEventId + ' ' + e.data + '\\n';
});
</script>`;

export function describe(recording, c) {
  const tabs = (c?.tabs ?? 1) > 1 ? ` The page is open in ${c.tabs} tabs of one browser context: ${c.tabs} event streams side by side, each reconnecting on its own.` : '';
  return `EventSource on /events: each response sends "retry: 1500", 4 events 1 s apart with id:, then ends; the browser reconnects after 1.5 s with Last-Event-ID and the server resumes; last stream open at capture end.${tabs}`;
}

export function expect(truth, recording, c = config) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  const tabs = c.tabs ?? 1;
  return {
    mode: 'stream',
    carrier: 'eventsource',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    mimeType: 'text/event-stream',
    retryMs: config.retryMs,
    timeoutMs: config.streamDurationMs,
    streamDurationMs: config.streamDurationMs,
    eventsPerStream: config.eventsPerStream,
    eventIntervalMs: config.eventIntervalMs,
    reconnectPattern: 'fixed',
    reconnectDelayMs: config.retryMs,
    // Each tab's first stream is no reconnect; every later one is that tab's reconnect, 1.5 s after its own stream ended.
    reconnectCount: ep.requests - tabs,
    lastEventIdResumes: truth.counters.resumedWithLastEventId || 0,
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    messages: truth.counters.eventsDelivered || 0,
    errors: 0,
    notPush: ['/'],
  };
}
