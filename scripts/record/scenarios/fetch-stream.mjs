// fetch streaming: GET /stream answers application/x-ndjson, chunked, one JSON line every 1000 ms
// (15 lines), and ends after 15 s. The page reads it progressively through response.body.getReader(),
// reconnects 1000 ms after the end, and the second stream is still open when the capture stops.
//
// Variant fetch-stream.no-store.har: the same, but the stream is served with `Cache-Control: no-store`.
// Chromium then reports the end of a body consumed through getReader() as loadingFailed
// net::ERR_ABORTED (at the right moment) instead of loadingFinished, and Playwright's HAR keeps only
// the time up to the response headers (receive -1, _failureText net::ERR_ABORTED, no content).
import { page, sendHtml, notFound, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 25000,
  pushEndpointPath: '/stream',
  contentType: 'application/x-ndjson',
  messageIntervalMs: 1000,
  /** Lines at 0, 1, …, 14 s; the response ends at 15 s. */
  messagesPerStream: 15,
  streamDurationMs: 15000,
  reconnectDelayMs: 1000,
  /** Cache-Control of the stream response; `no-store` changes how Chromium reports the end (see above). */
  cacheControl: 'no-cache',
};

export const recordings = [
  { file: 'fetch-stream.har', exporter: 'playwright' },
  {
    file: 'fetch-stream.no-store.har',
    exporter: 'playwright',
    config: { cacheControl: 'no-store' },
    note: 'Quirk fixture: with Cache-Control: no-store, Chromium reports the completed first stream as net::ERR_ABORTED; Playwright records status 200, time = wait only, receive -1, no body.',
  },
];

export function createApp({ config: c, tracker, timers }) {
  let seq = 0;
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('fetch streaming', BODY(c)));
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      rec.kind = 'stream';
      res.writeHead(200, { 'Content-Type': c.contentType, 'Cache-Control': c.cacheControl, 'X-Accel-Buffering': 'no' });
      const conn = Number(u.searchParams.get('conn') || 0);
      const ts = [];
      for (let i = 0; i < c.messagesPerStream; i++) {
        ts.push(
          timers.timeout(() => {
            tracker.count('messagesDelivered');
            res.write(JSON.stringify({ seq: ++seq, conn, type: 'quote', symbol: 'ACME', price: 100 + (seq % 7) }) + '\n');
          }, i * c.messageIntervalMs),
        );
      }
      ts.push(
        timers.timeout(() => {
          tracker.count('streamsEnded');
          res.end();
        }, c.streamDurationMs),
      );
      res.on('close', () => ts.forEach((t) => timers.clear(t)));
    },
  };
}

const BODY = (c) => `<h1>Quotes</h1>
<pre id="out"></pre>
<script>
var conns = 0;
async function connect() {
  const n = ++conns;
  const r = await fetch('${c.pushEndpointPath}?session=s1&conn=' + n, { cache: 'no-store' });
  const reader = r.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line) document.getElementById('out').textContent += line + '\\n';
    }
  }
  setTimeout(connect, ${c.reconnectDelayMs});
}
connect();
</script>`;

export function describe(recording, c = config) {
  return `fetch streaming: GET /stream, application/x-ndjson, chunked, Cache-Control: ${c.cacheControl}, 15 lines 1 s apart, ends after 15 s; read with ReadableStream; client reconnects after 1000 ms; second stream still open at capture end.${c.cacheControl === 'no-store' ? ' Chromium reports the completed first stream as net::ERR_ABORTED (no-store + getReader), so the HAR does not show its 15 s duration.' : ''}`;
}

export function expect(truth, recording, c = config) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  return {
    mode: 'stream',
    carrier: 'xhr',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    mimeType: config.contentType,
    timeoutMs: config.streamDurationMs,
    streamDurationMs: config.streamDurationMs,
    messageIntervalMs: config.messageIntervalMs,
    messagesPerStream: config.messagesPerStream,
    reconnectPattern: 'fixed',
    reconnectDelayMs: config.reconnectDelayMs,
    reconnectCount: ep.requests - 1,
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    messages: truth.counters.messagesDelivered || 0,
    errors: 0,
    /** How the first, completed stream ends in the HAR. */
    completedStreamInHar: c.cacheControl === 'no-store' ? { status: 200, failureText: 'net::ERR_ABORTED', durationKnown: false } : { status: 200, failureText: null, durationKnown: true },
    notPush: ['/'],
  };
}
