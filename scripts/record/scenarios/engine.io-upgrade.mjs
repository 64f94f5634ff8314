// Bare Engine.IO (no Socket.IO on top) with the real `engine.io` server and `engine.io-client` from npm at the
// default path /engine.io/: polling handshake, then the upgrade to WebSocket. The server sends a message at fixed
// times; the client sends one. pingInterval 6000 ms, so the server's ping shows every 6 s in the frames.
import fs from 'node:fs';
import path from 'node:path';
import { Server as EngineServer } from 'engine.io';
import { page, sendHtml, sendJs, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 22000,
  pushEndpointPath: '/engine.io/',
  pingIntervalMs: 6000,
  pingTimeoutMs: 4000,
  messageAtMs: [1500, 4000, 9000],
  /** Refuse every WebSocket upgrade (a proxy that blocks them): the client stays on polling. */
  blockWebSocket: false,
};

export const recordings = [
  { file: 'engine.io-upgrade.har', exporter: 'playwright' },
  { file: 'engine.io-upgrade-blocked.har', exporter: 'playwright', config: { blockWebSocket: true, durationMs: 16000 } },
];

const CLIENT = fs.readFileSync(path.join(REPO, 'node_modules/engine.io-client/dist/engine.io.min.js'), 'utf8');

export function createApp({ config: c, tracker, timers }) {
  const engine = new EngineServer({ pingInterval: c.pingIntervalMs, pingTimeout: c.pingTimeoutMs });
  let first = true;
  engine.on('connection', (socket) => {
    tracker.count('sessions');
    socket.on('upgrade', () => tracker.count('upgrades'));
    socket.on('message', () => tracker.count('messagesFromClient'));
    if (!first) return;
    first = false;
    c.messageAtMs.forEach((at, i) => timers.timeout(() => {
      tracker.count('messagesPushed');
      socket.send(JSON.stringify({ id: i + 1 }));
    }, at));
  });
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('Engine.IO', BODY));
      if (u.pathname === '/engine.io.js') return sendJs(res, CLIENT);
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      rec.kind = !u.searchParams.has('sid') ? 'handshake' : req.method === 'GET' ? 'poll' : 'send';
      engine.handleRequest(req, res);
    },
    upgrade(req, socket, head) {
      if (c.blockWebSocket) {
        tracker.count('websocketsRefused');
        return socket.destroy();
      }
      const rec = tracker.trackWebSocket(req);
      socket.once('close', () => {
        if (rec.state === 'open') {
          rec.state = 'complete';
          rec.end = tracker.now();
        }
      });
      engine.handleUpgrade(req, socket, head);
    },
    close() {
      engine.close();
    },
  };
}

const BODY = `<h1>Engine.IO</h1>
<ul id="log"></ul>
<script src="/engine.io.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = t; document.getElementById('log').appendChild(li); }
const socket = eio('/');
socket.on('open', () => { show('open'); setTimeout(() => socket.send('hello'), 1000); });
socket.on('upgrade', () => show('upgraded to ' + socket.transport.name));
socket.on('message', (m) => show(m));
</script>`;

export function describe(recording, c) {
  const upgrade = c.blockWebSocket
    ? 'polling handshake, then an upgrade to WebSocket that the server refuses (socket destroyed, as a blocking proxy would), so the client stays on polling'
    : 'polling handshake then upgrade to WebSocket';
  return `Bare Engine.IO 6 (protocol 4) at /engine.io/ with engine.io-client 6, default transports: ${upgrade}; pingInterval ${c.pingIntervalMs} ms, pingTimeout ${c.pingTimeoutMs} ms; server messages at ${c.messageAtMs.join(', ')} ms, one client message.`;
}

export function expect(truth, recording, c) {
  const sessions = truth.counters.sessions || 0;
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    protocol: 'engine.io',
    protocolVersion: '4',
    sessions,
    reconnectCount: sessions - 1,
    upgradedTo: c.blockWebSocket ? null : 'websocket',
    declared: { pingIntervalMs: c.pingIntervalMs, pingTimeoutMs: c.pingTimeoutMs },
    messagesPushed: truth.counters.messagesPushed || 0,
    otherChannels: c.blockWebSocket
      ? [{ mode: 'websocket', carrier: 'websocket', pushEndpointPath: c.pushEndpointPath, protocol: 'engine.io', protocolVersion: '4', errors: truth.counters.websocketsRefused || 0 }]
      : [{ mode: 'websocket', carrier: 'websocket', pushEndpointPath: c.pushEndpointPath, protocol: 'engine.io', protocolVersion: '4', sessions, reconnectCount: 0 }],
    notPush: ['/', '/engine.io.js'],
  };
}
