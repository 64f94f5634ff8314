// Plain short polling: setInterval every 2000 ms, fetch GET /api/notifications with the last ETag in
// If-None-Match. The server answers after 15 ms: 304 when nothing changed, 200 + new ETag when the
// data version moved (at fixed times after the first poll). Responses say `Cache-Control: no-cache`:
// with `no-store`, Chromium reports each unread 304 body as loadingFailed net::ERR_ABORTED.
import { page, sendHtml, sendJson, send, notFound, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 21000,
  pushEndpointPath: '/api/notifications',
  pollIntervalMs: 2000,
  serverDelayMs: 15,
  /** ms after the first poll at which the data version changes (the next poll gets a 200). */
  versionChangesAtMs: [5000, 11000, 17000],
};

export const recordings = [{ file: 'short-poll-timer.har', exporter: 'playwright' }];

export function createApp({ config: c, tracker, timers }) {
  let firstPollAt = null;
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('Short polling', BODY(c)));
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      if (firstPollAt === null) firstPollAt = tracker.now();
      return timers.timeout(() => {
        const version = 1 + c.versionChangesAtMs.filter((t) => t <= tracker.now() - firstPollAt).length;
        const etag = `"v${version}"`;
        if (req.headers['if-none-match'] === etag) {
          rec.kind = 'not-modified';
          return send(res, 304, '', { ETag: etag, 'Cache-Control': 'no-cache' });
        }
        rec.kind = 'changed';
        tracker.count('changes');
        sendJson(res, 200, { version, unread: version * 2 - 1, items: [{ id: version, text: `notification v${version}` }] }, { ETag: etag, 'Cache-Control': 'no-cache' });
      }, c.serverDelayMs);
    },
  };
}

const BODY = (c) => `<h1>Notifications</h1>
<div id="n">–</div>
<script>
var etag = null;
async function poll() {
  const headers = etag ? { 'If-None-Match': etag } : {};
  const r = await fetch('${c.pushEndpointPath}?client=web', { headers: headers, cache: 'no-store' });
  const body = await r.text();
  if (r.status === 200) {
    etag = r.headers.get('ETag');
    const d = JSON.parse(body);
    document.getElementById('n').textContent = d.unread + ' unread';
  }
}
poll();
setInterval(poll, ${c.pollIntervalMs});
</script>`;

export function describe() {
  return 'setInterval short polling: fetch GET /api/notifications every 2000 ms with If-None-Match; server answers in ~15 ms with 304 (unchanged) or 200 + ETag (3 data changes).';
}

export function expect(truth) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  return {
    mode: 'short-poll',
    carrier: 'xhr',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: null,
    holdMs: { max: 100 },
    reconnectPattern: 'none',
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    statuses: ep.statuses,
    errors: 0,
    notPush: ['/'],
  };
}
