// Socket.IO 4 (Engine.IO protocol 4) against a real `socket.io` server from npm, three ways:
// - polling only (`transports: ['polling']`): handshake GET, CONNECT POST, held GETs that return at the server's
//   ping (pingInterval) or with an event;
// - the default client (polling, then the upgrade to WebSocket: `2probe` → `3probe` → `5`, the last poll released by `6`);
// - polling only with a forced server "restart": every TCP connection is destroyed, the sessions are lost, and for
//   `downMs` every new connection is dropped. The client's default reconnection (1000 ms, ×2, max 5000 ms, ±50 %
//   jitter) retries until the server is back, and then opens a new session (new sid);
// - polling only in two tabs of one browser context (one HAR): two sessions side by side, neither a reconnect;
// - WebSocket only in two tabs, with the forced restart: each tab's socket dies, each tab retries on its own (refused
//   sockets) until the server is back, then opens a new session beside the other tab's.
import fs from 'node:fs';
import path from 'node:path';
import { Server as EngineServer } from 'engine.io';
import { Server as SocketIOServer } from 'socket.io';
import { page, sendHtml, sendJs, notFound, endpoint, REPO, openTabs } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 30000,
  pushEndpointPath: '/socket.io/',
  transports: ['polling'],
  pingIntervalMs: 8000,
  pingTimeoutMs: 5000,
  /** ms after the first session opened at which the server emits `news`. */
  newsAtMs: [2000, 3500, 15000],
  restartAtMs: null,
  downMs: 0,
  /** Pages of the app open side by side in the recorded browser context (each its own session), 500 ms apart. */
  tabs: 1,
};

export const recordings = [
  { file: 'socket.io-polling.har', exporter: 'playwright' },
  { file: 'socket.io-upgrade.har', exporter: 'playwright', config: { transports: ['polling', 'websocket'], durationMs: 25000 } },
  { file: 'socket.io-restart.har', exporter: 'playwright', config: { durationMs: 40000, newsAtMs: [2000], restartAtMs: 10000, downMs: 8000 } },
  { file: 'socket.io-two-tabs.har', exporter: 'playwright', config: { durationMs: 25000, tabs: 2 } },
  {
    file: 'socket.io-websocket-two-tabs-restart.har',
    exporter: 'playwright',
    config: { transports: ['websocket'], durationMs: 35000, newsAtMs: [2000], restartAtMs: 10000, downMs: 8000, tabs: 2 },
  },
];

/** Opens the extra tabs (config.tabs) in the page's own context, so that one HAR records them all. */
export const drive = openTabs;

const CLIENT = fs.readFileSync(path.join(REPO, 'node_modules/socket.io-client/dist/socket.io.min.js'), 'utf8');

export function createApp({ config: c, tracker, timers }) {
  const sockets = new Set();
  let engine;
  let io;
  let firstAt = null;
  let down = false;
  const boot = () => {
    const opts = { pingInterval: c.pingIntervalMs, pingTimeout: c.pingTimeoutMs, transports: ['polling', 'websocket'] };
    engine = new EngineServer(opts);
    io = new SocketIOServer({ ...opts, serveClient: false });
    io.bind(engine);
    io.on('connection', (socket) => {
      tracker.count('sessions');
      socket.emit('welcome', { at: tracker.now() });
      socket.on('hello', () => tracker.count('helloReceived'));
      socket.conn.on('upgrade', () => tracker.count('upgrades'));
      if (firstAt === null) {
        firstAt = tracker.now();
        c.newsAtMs.forEach((at, i) => timers.timeout(() => io.emit('news', { id: i + 1, text: `news ${i + 1}` }), at));
        if (c.restartAtMs !== null) timers.timeout(restart, c.restartAtMs);
      }
    });
  };
  // A crash, not a shutdown: connections die without a close packet, and the new process knows no session.
  const restart = () => {
    tracker.note('server restart: connections destroyed, sessions lost');
    down = true;
    for (const s of sockets) s.destroy();
    const old = engine;
    boot();
    old.close();
    timers.timeout(() => {
      down = false;
      tracker.note('server back');
    }, c.downMs);
  };
  boot();
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (!sockets.has(req.socket)) {
        sockets.add(req.socket);
        req.socket.once('close', () => sockets.delete(req.socket));
      }
      if (u.pathname === '/') return sendHtml(res, page('Socket.IO', body(c)));
      if (u.pathname === '/socket.io/socket.io.js') return sendJs(res, CLIENT);
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      const handshake = req.method === 'GET' && !u.searchParams.has('sid');
      rec.kind = handshake ? 'handshake' : req.method === 'GET' ? 'poll' : 'send';
      if (down) {
        if (handshake) tracker.count('refusedHandshakes');
        rec.kind = handshake ? 'refused-handshake' : 'refused';
        return req.socket.destroy();
      }
      if (handshake) tracker.count('handshakes');
      engine.handleRequest(req, res);
    },
    upgrade(req, socket, head) {
      const rec = tracker.trackWebSocket(req);
      sockets.add(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        if (rec.state === 'open') {
          rec.state = 'complete';
          rec.end = tracker.now();
        }
      });
      if (down) {
        tracker.count('refusedWebSockets');
        rec.kind = 'refused-websocket';
        return socket.destroy();
      }
      engine.handleUpgrade(req, socket, head);
    },
    close() {
      engine.close();
    },
  };
}

const body = (c) => `<h1>Socket.IO</h1>
<ul id="log"></ul>
<script src="/socket.io/socket.io.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = t; document.getElementById('log').appendChild(li); }
const socket = io({ transports: ${JSON.stringify(c.transports)} });
socket.on('connect', () => { show('connected'); socket.emit('hello', { ua: 'chromium' }); });
socket.on('welcome', () => show('welcome'));
socket.on('news', (m) => show(m.text));
socket.on('disconnect', (r) => show('disconnect: ' + r));
socket.io.on('reconnect_attempt', (n) => show('reconnect attempt ' + n));
</script>`;

export function describe(recording, c) {
  const only = c.transports.length === 1 && c.transports[0] === 'websocket' ? 'WebSocket only' : 'polling only';
  const how = c.restartAtMs !== null
    ? `${only}; the server "restarts" ${c.restartAtMs / 1000} s after the first session (connections destroyed, sessions lost) and drops connections for ${c.downMs / 1000} s; the client reconnects with its default back-off (1 s ×2 up to 5 s, ±50 % jitter) into a new session`
    : c.transports.includes('websocket')
      ? 'default transports: polling handshake, then upgrade to WebSocket (2probe/3probe/5, last poll released by 6)'
      : 'polling only: held GETs answered by the server ping or an event, POSTs to send';
  const tabs = (c.tabs ?? 1) > 1 ? `; the app is open in ${c.tabs} tabs of one browser context, ${c.tabs} sessions side by side` : '';
  return `Socket.IO 4.8 server and client (Engine.IO protocol 4) at /socket.io/, pingInterval ${c.pingIntervalMs} ms, pingTimeout ${c.pingTimeoutMs} ms; ${how}${tabs}.`;
}

export function expect(truth, recording, c) {
  const polls = endpoint(truth, 'GET /socket.io/');
  const sessions = truth.counters.sessions || 0;
  const refused = truth.counters.refusedHandshakes || 0;
  const upgraded = c.transports.includes('websocket');
  const tabs = c.tabs ?? 1;
  if (c.transports.length === 1 && c.transports[0] === 'websocket') {
    const refusedSockets = truth.counters.refusedWebSockets || 0;
    return {
      mode: 'websocket',
      carrier: 'websocket',
      pushEndpointPath: c.pushEndpointPath,
      protocol: 'socket.io',
      protocolVersion: '4',
      sessions,
      // Every socket after each tab's first: those refused while the server was down, and the one that opened the
      // tab's new session.
      reconnectCount: sessions - tabs + refusedSockets,
      refusedWebSockets: refusedSockets,
      declared: { pingIntervalMs: c.pingIntervalMs, pingTimeoutMs: c.pingTimeoutMs },
      notPush: ['/', '/socket.io/socket.io.js'],
    };
  }
  const main = {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    method: 'GET',
    protocol: 'socket.io',
    protocolVersion: '4',
    sessions,
    // Every attempt after the first session was lost: the refused handshakes and the one that opened the new session.
    // Each tab's first session is no reconnect.
    reconnectCount: sessions - tabs + refused,
    declared: { pingIntervalMs: c.pingIntervalMs, pingTimeoutMs: c.pingTimeoutMs },
    handshakes: truth.counters.handshakes || 0,
    refusedHandshakes: refused,
    pollRequests: polls.requests,
    errors: undefined,
    notPush: ['/', '/socket.io/socket.io.js'],
  };
  if (tabs > 1) {
    // Each tab's last poll is held by the server when the capture stops; no request failed.
    main.pendingAtEnd = polls.openAtStop;
    main.errors = 0;
  }
  if (upgraded) {
    main.upgradedTo = 'websocket';
    main.otherChannels = [{ mode: 'websocket', carrier: 'websocket', pushEndpointPath: c.pushEndpointPath, protocol: 'socket.io', protocolVersion: '4', sessions: 1, reconnectCount: 0 }];
  }
  return JSON.parse(JSON.stringify(main));
}
