// An ordinary page with ordinary traffic (CSS, JS, images, two web fonts, a few one-off API calls, a
// POST beacon and a slow 3 s trickled CSV download) plus exactly one push channel: XHR long polling on
// /events/poll (12 s server timeout). Only the long-poll is a push channel; the slow download is a
// single long response and must not be mistaken for a stream.
import { page, send, sendHtml, sendJson, notFound, messageSchedule, makePng, seededBytes, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 25000,
  pushEndpointPath: '/events/poll',
  timeoutMs: 12000,
  timeoutResponse: { status: 200, body: '{"events":[]}' },
  messageAtMs: [4000, 6500],
  slowDownload: { path: '/download/report.csv', startAfterMs: 1500, durationMs: 3000, chunks: 30 },
  api: ['/api/session', '/api/config', '/api/notifications/count'],
  beacon: '/api/analytics',
  assets: [
    '/static/css/app.css',
    '/static/js/vendor.js',
    '/static/js/app.js',
    '/static/img/logo.svg',
    '/static/img/hero.png',
    '/static/img/avatar.png',
    '/static/img/bg.png',
    '/static/fonts/brand.woff2',
    '/static/fonts/mono.woff2',
  ],
};

export const recordings = [{ file: 'page-with-assets.har', exporter: 'playwright' }];

const CACHE = { 'Cache-Control': 'public, max-age=3600' };

const CSS = `@font-face { font-family: Brand; src: url(/static/fonts/brand.woff2) format("woff2"); font-display: swap; }
@font-face { font-family: BrandMono; src: url(/static/fonts/mono.woff2) format("woff2"); font-display: swap; }
body { font-family: Brand, sans-serif; margin: 0; background: #f4f4f8 url(/static/img/bg.png) repeat-x; }
header { display: flex; align-items: center; gap: 12px; padding: 12px 24px; background: #223; color: #fff; }
code, pre { font-family: BrandMono, monospace; }
.hero { width: 100%; max-width: 640px; display: block; margin: 16px auto; }
.card { background: #fff; border-radius: 8px; margin: 16px auto; max-width: 640px; padding: 16px; }
`;

const VENDOR = (() => {
  // ~8 KB of deterministic "library" code.
  let s = '/*! tiny-vendor v1.0.0 | demo */\n(function (g) {\n  var lib = {};\n';
  for (let i = 0; s.length < 8000; i++) s += `  lib.fn${i} = function (a, b) { return (a * ${i + 3} + (b || 0)) % ${97 + i}; };\n`;
  return s + '  g.TinyVendor = lib;\n})(window);\n';
})();

const APP = (c) => `(function () {
  function getJson(url) { return fetch(url, { credentials: 'same-origin' }).then(function (r) { return r.json(); }); }
  getJson('/api/session').then(function (s) { document.getElementById('user').textContent = s.user; });
  getJson('/api/config');
  setTimeout(function () {
    fetch('${c.slowDownload.path}').then(function (r) { return r.text(); }).then(function (t) {
      document.getElementById('report').textContent = t.split('\\n').length + ' lines';
    });
  }, ${c.slowDownload.startAfterMs});
  setTimeout(function () {
    var x = new XMLHttpRequest(); x.open('GET', '/api/notifications/count'); x.send();
    fetch('${c.beacon}', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ event: 'view', page: '/' }) });
  }, 8000);
  var since = 0;
  function poll() {
    var x = new XMLHttpRequest();
    x.open('GET', '${c.pushEndpointPath}?since=' + since + '&_=' + Date.now());
    x.onload = function () {
      var d = JSON.parse(x.responseText);
      d.events.forEach(function (e) { since = Math.max(since, e.id); document.getElementById('events').textContent += e.text + '\\n'; });
      poll();
    };
    x.onerror = function () { setTimeout(poll, 5000); };
    x.send();
  }
  poll();
})();
`;

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect width="120" height="32" rx="6" fill="#4a5bd4"/><text x="60" y="21" font-size="14" text-anchor="middle" fill="#fff" font-family="sans-serif">ACME</text></svg>`;

export function createApp({ config: c, tracker, timers }) {
  const schedule = messageSchedule(timers, c.messageAtMs, (id) => ({ id, text: `order #${1000 + id} shipped` }));
  const binary = {
    '/static/img/hero.png': ['image/png', makePng(320, 120, [70, 110, 200])],
    '/static/img/avatar.png': ['image/png', makePng(48, 48, [200, 120, 60])],
    '/static/img/bg.png': ['image/png', makePng(8, 64, [230, 230, 240])],
    // Stand-in font files: right type and size class, not decodable (Chromium logs a decode warning).
    '/static/fonts/brand.woff2': ['font/woff2', seededBytes(11, 6144, 'wOF2')],
    '/static/fonts/mono.woff2': ['font/woff2', seededBytes(12, 4096, 'wOF2')],
  };
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      const p = u.pathname;
      if (p === '/') return sendHtml(res, page('ACME dashboard', BODY, '<link rel="stylesheet" href="/static/css/app.css">\n<script src="/static/js/vendor.js"></script>'));
      if (p === '/static/css/app.css') return send(res, 200, CSS, { 'Content-Type': 'text/css; charset=utf-8', ...CACHE });
      if (p === '/static/js/vendor.js') return send(res, 200, VENDOR, { 'Content-Type': 'application/javascript; charset=utf-8', ...CACHE });
      if (p === '/static/js/app.js') return send(res, 200, APP(c), { 'Content-Type': 'application/javascript; charset=utf-8', ...CACHE });
      if (p === '/static/img/logo.svg') return send(res, 200, LOGO, { 'Content-Type': 'image/svg+xml', ...CACHE });
      if (binary[p]) return timers.timeout(() => send(res, 200, binary[p][1], { 'Content-Type': binary[p][0], ...CACHE }), 30);
      if (p === '/api/session') return timers.timeout(() => sendJson(res, 200, { user: 'demo@acme.test', roles: ['viewer'] }), 120);
      if (p === '/api/config') return timers.timeout(() => sendJson(res, 200, { features: { dark: false, beta: true }, pollTimeoutMs: c.timeoutMs }), 60);
      if (p === '/api/notifications/count') return timers.timeout(() => sendJson(res, 200, { count: 2 }), 40);
      if (p === c.beacon) {
        req.resume();
        return req.on('end', () => send(res, 204, ''));
      }
      if (p === c.slowDownload.path) {
        rec.kind = 'download';
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'inline; filename="report.csv"', 'Cache-Control': 'no-store' });
        res.write('date,orders,revenue\n');
        const step = c.slowDownload.durationMs / c.slowDownload.chunks;
        const ts = [];
        for (let i = 1; i <= c.slowDownload.chunks; i++) {
          ts.push(
            timers.timeout(() => {
              const rows = Array.from({ length: 5 }, (_, k) => `2024-01-${String(((i * 5 + k) % 28) + 1).padStart(2, '0')},${(i * 37 + k * 11) % 200},${((i * 7919 + k * 104729) % 100000) / 100}`).join('\n');
              if (i < c.slowDownload.chunks) res.write(rows + '\n');
              else res.end(rows + '\n');
            }, i * step),
          );
        }
        res.on('close', () => ts.forEach((t) => timers.clear(t)));
        return;
      }
      if (p === c.pushEndpointPath) {
        schedule.start(tracker.now());
        const since = Number(u.searchParams.get('since') || 0);
        const answer = (events, kind) => {
          rec.kind = kind;
          tracker.count(kind === 'message' ? 'messagesDelivered' : 'timeouts', kind === 'message' ? events.length : 1);
          sendJson(res, 200, { events });
        };
        const ready = schedule.after(since);
        if (ready.length) return answer(ready, 'message');
        let timer;
        const unwait = schedule.wait(() => {
          const msgs = schedule.after(since);
          if (!msgs.length) return;
          unwait();
          timers.clear(timer);
          answer(msgs, 'message');
        });
        timer = timers.timeout(() => {
          unwait();
          answer([], 'timeout');
        }, c.timeoutMs);
        res.on('close', () => {
          unwait();
          timers.clear(timer);
        });
        return;
      }
      return notFound(res);
    },
  };
}

const BODY = `<header><img src="/static/img/logo.svg" alt="ACME" width="120" height="32"><span id="user">…</span><img src="/static/img/avatar.png" width="32" height="32" alt=""></header>
<img class="hero" src="/static/img/hero.png" alt="hero">
<div class="card"><h2>Orders</h2><pre id="events"></pre></div>
<div class="card"><h2>Report</h2><code id="report">loading…</code></div>
<script src="/static/js/app.js"></script>`;

export function describe() {
  return 'Ordinary page (CSS, JS, PNG/SVG images, two woff2 fonts, one-off API calls, a POST beacon, a 3 s trickled CSV download) with one push channel: XHR long polling on /events/poll (12 s timeout), last poll open at capture end.';
}

export function expect(truth) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    cacheBusterParam: '_',
    timeoutMs: config.timeoutMs,
    timeoutResponse: config.timeoutResponse,
    // Re-polling after each answer is the long-poll loop itself, not a reconnect (no error, no closed stream).
    reconnectPattern: 'none',
    repollDelayMs: 0,
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    timeouts: truth.counters.timeouts || 0,
    messages: truth.counters.messagesDelivered || 0,
    errors: 0,
    pushChannels: 1,
    slowDownload: { path: config.slowDownload.path, receiveMs: config.slowDownload.durationMs },
    notPush: ['/', ...config.assets, ...config.api, config.beacon, config.slowDownload.path],
  };
}
