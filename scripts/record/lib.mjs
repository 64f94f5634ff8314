// Shared helpers for the sample recorders: local servers, a server-side request tracker
// (the "truth" written to samples/manifest.json), deterministic data, and the two HAR recorders
// (Playwright's recordHar, and a DevTools-style CDP recorder built on chrome-har).
//
// Everything binds to 127.0.0.1 on an ephemeral port; nothing here talks to another host.

import http from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export const SAMPLES_DIR = path.join(REPO, 'samples');
export const MANIFEST_PATH = path.join(SAMPLES_DIR, 'manifest.json');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * A scenario's drive(): opens config.tabs − 1 more tabs of the app in the page's own browser context, 500 ms apart,
 * so that one HAR records them all (two tabs of one Playwright context).
 */
export async function openTabs(page, c) {
  for (let i = 1; i < (c.tabs ?? 1); i += 1) {
    await sleep(500);
    const other = await page.context().newPage();
    await other.goto(page.url(), { waitUntil: 'domcontentloaded', timeout: 15000 });
  }
}

// ---------------------------------------------------------------- determinism

/** mulberry32: small seeded PRNG so server behaviour is the same on every re-recording. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max] from a seeded generator. */
export const randInt = (rnd, min, max) => min + Math.floor(rnd() * (max - min + 1));

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A valid RGB PNG of w×h pixels with a simple diagonal pattern (deterministic bytes). */
export function makePng(width, height, [r, g, b]) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const shade = (x + y) % 16 < 8 ? 1 : 0.8;
      raw[row + 1 + x * 3] = Math.round(r * shade);
      raw[row + 2 + x * 3] = Math.round(g * shade);
      raw[row + 3 + x * 3] = Math.round(b * shade);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Deterministic pseudo-random bytes (e.g. a stand-in font file). */
export function seededBytes(seed, length, magic = '') {
  const rnd = seededRandom(seed);
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buf[i] = Math.floor(rnd() * 256);
  Buffer.from(magic, 'latin1').copy(buf, 0);
  return buf;
}

// ---------------------------------------------------------------- server-side truth

/**
 * Tracks every request the server sees (arrival, end, status, whether it was still open when the
 * recording stopped) plus scenario-defined counters. Its snapshot is the ground truth in the manifest.
 */
export function createTracker() {
  const t0 = performance.now();
  const requests = [];
  const counters = {};
  const notes = [];
  let frozen = null;
  const now = () => Math.round(performance.now() - t0);
  return {
    now,
    /** Called for each HTTP request; returns the record so handlers can annotate it. */
    track(req, res) {
      const u = new URL(req.url, 'http://127.0.0.1');
      const rec = {
        method: req.method,
        path: u.pathname,
        query: u.search,
        start: now(),
        end: null,
        status: null,
        state: 'open',
        kind: null, // scenario annotation: 'message', 'timeout', 'error', ...
      };
      res.on('finish', () => {
        rec.end = now();
        rec.status = res.statusCode;
        rec.state = 'complete';
      });
      res.on('close', () => {
        if (rec.state === 'open') {
          rec.end = now();
          rec.state = 'aborted';
        }
      });
      requests.push(rec);
      return rec;
    },
    trackWebSocket(req) {
      const u = new URL(req.url, 'http://127.0.0.1');
      const rec = { method: 'GET', path: u.pathname, query: u.search, start: now(), end: null, status: 101, state: 'open', kind: 'websocket', sent: 0, received: 0, pings: 0, pongs: 0 };
      requests.push(rec);
      return rec;
    },
    count(name, n = 1) {
      counters[name] = (counters[name] || 0) + n;
    },
    note(text) {
      notes.push(`${now()}ms ${text}`);
    },
    /** Freeze the picture at the moment the capture stops (before the browser tears connections down). */
    freeze() {
      if (!frozen) frozen = snapshot(requests, counters, notes, now());
      return frozen;
    },
    get requests() {
      return requests;
    },
  };
}

function snapshot(requests, counters, notes, at) {
  const byEndpoint = {};
  for (const r of requests) {
    const key = `${r.method} ${r.path}`;
    const e = (byEndpoint[key] ||= { requests: 0, complete: 0, openAtStop: 0, aborted: 0, statuses: {}, kinds: {}, holdMs: [] });
    e.requests++;
    const state = r.state === 'complete' && r.end <= at ? 'complete' : r.state === 'aborted' && r.end <= at ? 'aborted' : 'open';
    if (state === 'complete') {
      e.complete++;
      e.statuses[r.status] = (e.statuses[r.status] || 0) + 1;
      e.holdMs.push(r.end - r.start);
    } else if (state === 'aborted') e.aborted++;
    else e.openAtStop++;
    if (r.kind) e.kinds[r.kind] = (e.kinds[r.kind] || 0) + 1;
    if (r.kind === 'websocket') Object.assign(e, { framesSent: r.sent, framesReceived: r.received, pingsSent: r.pings, pongsReceived: r.pongs });
  }
  for (const e of Object.values(byEndpoint)) {
    const h = e.holdMs.sort((a, b) => a - b);
    e.holdMs = h.length ? { min: h[0], median: h[Math.floor((h.length - 1) / 2)], max: h[h.length - 1] } : null;
  }
  return { stoppedAtMs: at, endpoints: byEndpoint, counters: { ...counters }, notes: [...notes] };
}

// ---------------------------------------------------------------- HTTP helpers

export function send(res, status, body, headers = {}) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '', 'utf8');
  res.writeHead(status, { 'Content-Length': buf.length, ...headers });
  res.end(buf);
}

export const NO_CACHE = { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', Expires: '0' };

export const sendHtml = (res, body, headers = {}) => send(res, 200, body, { 'Content-Type': 'text/html; charset=utf-8', ...NO_CACHE, ...headers });
export const sendJson = (res, status, obj, headers = {}) => send(res, status, JSON.stringify(obj), { 'Content-Type': 'application/json; charset=utf-8', ...NO_CACHE, ...headers });
export const sendJs = (res, body, headers = {}) => send(res, 200, body, { 'Content-Type': 'application/javascript; charset=utf-8', ...NO_CACHE, ...headers });
export const notFound = (res) => send(res, 404, 'not found', { 'Content-Type': 'text/plain; charset=utf-8' });

/**
 * Start an HTTP server on 127.0.0.1:0. `app.handle(req, res, rec)` serves requests;
 * `app.upgrade(req, socket, head)` (optional) handles WebSocket upgrades.
 * `close()` tears down every socket and timer registered through `timers`.
 */
export async function startServer(app, tracker) {
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const rec = tracker.track(req, res);
    Promise.resolve(app.handle(req, res, rec)).catch((err) => {
      tracker.note(`handler error ${req.url}: ${err.stack || err}`);
      if (!res.headersSent) send(res, 500, 'error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 120000;
  server.headersTimeout = 130000;
  server.requestTimeout = 0;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  if (app.upgrade) server.on('upgrade', (req, socket, head) => app.upgrade(req, socket, head));
  else server.on('upgrade', (req, socket) => socket.destroy());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    async close() {
      try {
        app.close?.();
      } catch {}
      for (const s of sockets) s.destroy();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------- real servers behind the scenario's server

/** A free TCP port on 127.0.0.1 (asked of the system, then released for a child server to take). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, deadline, name) {
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`${name} did not listen on 127.0.0.1:${port}`);
}

/**
 * Runs a server program (nginx, Prosody) as a child of the recorder, in a temporary folder of its own:
 * `files(dir, port)` returns the files to write there (its config), `args(dir)` its command line. The child is killed
 * when the scenario's server closes, and when the recorder exits whatever way.
 */
export async function startDaemon({ name, command, files, args, tracker }) {
  if (!fs.existsSync(command)) throw new Error(`${command} not found (see the scenario's header for what to install)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `comet-${name}-`));
  const port = await freePort();
  for (const [file, text] of Object.entries(files(dir, port))) fs.writeFileSync(path.join(dir, file), text);
  const child = spawn(command, args(dir), { stdio: 'ignore' });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  child.once('exit', (code, signal) => tracker.note(`${name} exited (${code ?? signal})`));
  await waitForPort(port, Date.now() + 10000, name);
  return {
    port,
    dir,
    stop() {
      kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's nginx as such a child: one server on 127.0.0.1 whose `locations` (nginx config text, given the port) are
 * the scenario's, with the dynamic `modules` it needs loaded; logs and temporary files stay in its folder.
 */
export function startNginx({ tracker, locations, modules = [], command = process.env.NGINX_PATH || '/usr/sbin/nginx' }) {
  const conf = (dir, port) => `${modules.map((m) => `load_module ${m};\n`).join('')}daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
${locations(port)}
  }
}
`;
  return startDaemon({
    name: 'nginx',
    command,
    tracker,
    files: (dir, port) => ({ 'nginx.conf': conf(dir, port) }),
    args: (dir) => ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
  });
}

/** Passes an HTTP request through to 127.0.0.1:port unchanged; `onResponse(status)` sees each answer's status. */
export function passThrough(req, res, port, onResponse = () => {}) {
  const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (ures) => {
    onResponse(ures.statusCode, ures);
    res.writeHead(ures.statusCode, ures.rawHeaders);
    ures.pipe(res);
  });
  up.on('error', () => res.destroy());
  res.on('close', () => up.destroy());
  req.pipe(up);
}

/** passUpgrade, with the socket in the tracker's truth: open until either side closes it. */
export function passTrackedUpgrade(req, socket, head, port, tracker) {
  const rec = tracker.trackWebSocket(req);
  passUpgrade(req, socket, head, port, () => {
    if (rec.state === 'open') {
      rec.state = 'complete';
      rec.end = tracker.now();
    }
  });
  return rec;
}

/** Passes a WebSocket upgrade through to 127.0.0.1:port byte for byte; `onClose()` once either side has closed. */
export function passUpgrade(req, socket, head, port, onClose = () => {}) {
  const up = net.connect(port, '127.0.0.1', () => {
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.write(lines.join('\r\n') + '\r\n\r\n');
    if (head?.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  let closed = false;
  const end = () => {
    if (!closed) {
      closed = true;
      onClose();
    }
    up.destroy();
    socket.destroy();
  };
  for (const s of [up, socket]) {
    s.once('close', end);
    s.on('error', end);
  }
}

/** A set of timers that can all be cancelled when the server shuts down. */
export function timerSet() {
  const set = new Set();
  return {
    timeout(fn, ms) {
      const t = setTimeout(() => {
        set.delete(t);
        fn();
      }, Math.max(0, ms));
      set.add(t);
      return t;
    },
    interval(fn, ms) {
      const t = setInterval(fn, ms);
      set.add(t);
      return t;
    },
    clear(t) {
      clearTimeout(t);
      clearInterval(t);
      set.delete(t);
    },
    clearAll() {
      for (const t of set) {
        clearTimeout(t);
        clearInterval(t);
      }
      set.clear();
    },
  };
}

/**
 * A message schedule relative to a start point (usually the first push request): `at[i]` ms after
 * start, message i+1 becomes available. Waiters are woken when a message is published.
 */
export function messageSchedule(timers, atMs, make) {
  const messages = [];
  const waiters = new Set();
  let startedAt = null;
  return {
    get started() {
      return startedAt !== null;
    },
    start(now) {
      if (startedAt !== null) return;
      startedAt = now;
      atMs.forEach((at, i) =>
        timers.timeout(() => {
          messages.push(make(i + 1));
          for (const w of [...waiters]) w();
        }, at),
      );
    },
    /** Messages with id > cursor (ids are 1-based, in order). */
    after(cursor) {
      return messages.filter((m) => m.id > cursor);
    },
    get count() {
      return messages.length;
    },
    wait(fn) {
      waiters.add(fn);
      return () => waiters.delete(fn);
    },
  };
}

// ---------------------------------------------------------------- browser & recorders

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30000 });
}

/** PIDs of this process's direct children whose command line mentions chromium (for a last-resort kill). */
export function childChromiumPids() {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (/chrom/i.test(cmd)) pids.push(Number(d));
    } catch {}
  }
  return pids;
}

/**
 * Record with Playwright's own HAR recorder. The HAR is written by context.close(); requests still
 * open at that moment stay in the file the way Playwright represents them.
 */
export async function recordPlaywright({ browser, harPath, url, durationMs, tracker, drive }) {
  const context = await browser.newContext({ recordHar: { path: harPath, content: 'embed', mode: 'full' }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15000 });
  if (drive) await drive(page);
  await sleep(durationMs - (Date.now() - t0));
  const truth = tracker.freeze();
  const tClose = Date.now();
  await context.close();
  return { truth, wallMs: Date.now() - t0, closeMs: Date.now() - tClose };
}

const CDP_EVENTS = [
  'Page.frameStartedLoading',
  'Page.frameRequestedNavigation',
  'Page.navigatedWithinDocument',
  'Page.frameAttached',
  'Page.frameNavigated',
  'Page.loadEventFired',
  'Page.domContentEventFired',
  'Network.requestWillBeSent',
  'Network.requestWillBeSentExtraInfo',
  'Network.requestServedFromCache',
  'Network.responseReceived',
  'Network.responseReceivedExtraInfo',
  'Network.dataReceived',
  'Network.loadingFinished',
  'Network.loadingFailed',
  'Network.resourceChangedPriority',
  'Network.eventSourceMessageReceived',
  'Network.webSocketCreated',
  'Network.webSocketWillSendHandshakeRequest',
  'Network.webSocketHandshakeResponseReceived',
  'Network.webSocketFrameSent',
  'Network.webSocketFrameReceived',
  'Network.webSocketFrameError',
  'Network.webSocketClosed',
];

/**
 * DevTools-style recorder: collect Page/Network events over CDP while the page runs, then build the
 * HAR with chrome-har at the moment the capture "stops" (the page is still open, like pressing
 * "Export HAR" in DevTools). Response bodies are fetched with Network.getResponseBody on
 * loadingFinished and handed to chrome-har via response.body (includeTextFromResponseBody), which is
 * how Browsertime uses it. chrome-har ignores WebSocket events, so WebSocket entries are added here in
 * the shape Chrome DevTools' "Save all as HAR" writes (`_resourceType: "websocket"`, status 101,
 * `_webSocketMessages` with epoch-second times).
 */
export async function recordCdp({ browser, harPath, url, durationMs, tracker, drive, addWebSockets = true }) {
  const { harFromMessages } = await import('chrome-har');
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const messages = [];
  const responseParams = new Map();
  const bodyJobs = [];
  let recording = true;
  for (const method of CDP_EVENTS) {
    cdp.on(method, (params) => {
      if (!recording) return;
      messages.push({ method, params });
      if (method === 'Network.responseReceived') responseParams.set(params.requestId, params);
      if (method === 'Network.loadingFinished') {
        const id = params.requestId;
        bodyJobs.push(
          cdp
            .send('Network.getResponseBody', { requestId: id })
            .then((b) => {
              const rp = responseParams.get(id);
              if (rp) {
                rp.response.body = b.body;
                if (b.base64Encoded) rp.response.encoding = 'base64';
              }
            })
            .catch(() => {}),
        );
      }
    });
  }
  await cdp.send('Page.enable');
  await cdp.send('Network.enable', { maxTotalBufferSize: 64 * 1024 * 1024, maxResourceBufferSize: 8 * 1024 * 1024 });
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15000 });
  if (drive) await drive(page);
  await sleep(durationMs - (Date.now() - t0));
  // "Export" now: freeze the event list while every connection is still open.
  recording = false;
  const truth = tracker.freeze();
  await Promise.race([Promise.all(bodyJobs), sleep(5000)]);
  const har = harFromMessages(messages, { includeTextFromResponseBody: true });
  if (addWebSockets) addDevtoolsWebSockets(har, messages);
  fs.writeFileSync(harPath, JSON.stringify(har, null, 2) + '\n');
  await context.close();
  return { truth, wallMs: Date.now() - t0, cdpEvents: messages.length };
}

function headerList(obj) {
  return Object.entries(obj || {}).flatMap(([name, value]) => String(value).split('\n').map((v) => ({ name, value: v })));
}

function addDevtoolsWebSockets(har, messages) {
  const sockets = new Map();
  for (const { method, params: p } of messages) {
    if (!method.startsWith('Network.webSocket')) continue;
    let s = sockets.get(p.requestId);
    if (!s) sockets.set(p.requestId, (s = { id: p.requestId, frames: [] }));
    switch (method) {
      case 'Network.webSocketCreated':
        s.url = p.url;
        s.initiator = p.initiator;
        break;
      case 'Network.webSocketWillSendHandshakeRequest':
        s.wallTime = p.wallTime;
        s.ts0 = p.timestamp;
        s.requestHeaders = headerList(p.request?.headers);
        break;
      case 'Network.webSocketHandshakeResponseReceived':
        s.tsResponse = p.timestamp;
        s.response = p.response;
        break;
      case 'Network.webSocketFrameSent':
      case 'Network.webSocketFrameReceived':
        s.frames.push({ type: method.endsWith('Sent') ? 'send' : 'receive', ts: p.timestamp, opcode: p.response.opcode, data: p.response.payloadData });
        break;
      case 'Network.webSocketClosed':
        s.tsClosed = p.timestamp;
        break;
      default:
        break;
    }
  }
  const pageref = har.log.pages[0]?.id;
  for (const s of sockets.values()) {
    if (!s.url || s.wallTime === undefined) continue;
    const wall = (ts) => s.wallTime + (ts - s.ts0); // monotonic seconds -> epoch seconds
    const u = new URL(s.url);
    const wait = s.tsResponse !== undefined ? Number(((s.tsResponse - s.ts0) * 1000).toFixed(3)) : -1;
    const receive = s.tsClosed !== undefined && s.tsResponse !== undefined ? Number(((s.tsClosed - s.tsResponse) * 1000).toFixed(3)) : 0;
    const res = s.response || {};
    har.log.entries.push({
      cache: {},
      startedDateTime: new Date(s.wallTime * 1000).toISOString(),
      _requestId: s.id,
      _initiator_type: s.initiator?.type,
      _initiator_detail: JSON.stringify(s.initiator || {}),
      pageref,
      request: {
        method: 'GET',
        url: s.url,
        httpVersion: 'HTTP/1.1',
        queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
        headersSize: -1,
        bodySize: 0,
        cookies: [],
        headers: s.requestHeaders || [],
      },
      response: {
        status: res.status ?? 0,
        statusText: res.statusText ?? '',
        httpVersion: 'HTTP/1.1',
        headers: headerList(res.headers),
        cookies: [],
        content: { size: 0, mimeType: 'x-unknown' },
        redirectURL: '',
        headersSize: -1,
        bodySize: 0,
        _transferSize: 0,
      },
      serverIPAddress: u.hostname,
      timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait, receive },
      time: Math.max(0, wait) + receive,
      _resourceType: 'websocket',
      _webSocketMessages: s.frames.map((f) => ({ type: f.type, time: wall(f.ts), opcode: f.opcode, data: f.data })),
    });
  }
  har.log.entries.sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
}

// ---------------------------------------------------------------- scenario helpers

/** A minimal HTML document; scripts are inline so the page needs nothing but its own server. */
export function page(title, body, head = '') {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<link rel="icon" href="data:,">
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** Look up the frozen server-side summary of one endpoint ("GET /lp"). */
export function endpoint(truth, key) {
  return truth.endpoints[key] || { requests: 0, complete: 0, openAtStop: 0, aborted: 0, statuses: {}, kinds: {}, holdMs: null };
}
