// SockJS against the real `sockjs` server from npm (prefix /echo), with sockjs-client forced onto one transport per
// recording. The server pushes `news` at fixed times and echoes what the client sends; heartbeat (`h`) and the
// 128 KiB streaming response limit are the library defaults. The xhr-streaming recording also pushes 8 KiB blobs
// so the stream rotates (same session, a new request: not a reconnect), and then closes the session
// (`c[3000,"Go away!"]`), after which the page opens a new SockJS connection (a new session: a real reconnect).
import fs from 'node:fs';
import path from 'node:path';
import sockjs from 'sockjs';
import { page, sendHtml, sendJs, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 32000,
  prefix: '/echo',
  transport: 'xhr-polling',
  heartbeatMs: 25000,
  responseLimitBytes: 128 * 1024,
  newsAtMs: [2000, 3500, 5000],
  /** xhr-streaming only: bulk messages of this size every bulkEveryMs until bulkUntilMs, then the session is closed. */
  bulkBytes: 0,
  bulkEveryMs: 500,
  bulkUntilMs: 0,
  closeSessionAtMs: null,
  reopenDelayMs: 1000,
  /** The transports the client may use, in order (default: only `transport`). */
  clientTransports: null,
  /** Refuse every WebSocket upgrade (a proxy that blocks them): the client falls back to its next transport. */
  blockWebSocket: false,
};

const T = (transport, extra = {}) => ({ file: `sockjs-${transport}.har`, exporter: 'playwright', config: { transport, ...extra } });
export const recordings = [
  T('websocket'),
  T('xhr-polling'),
  T('jsonp-polling'),
  T('eventsource'),
  T('htmlfile'),
  T('xhr-streaming', { durationMs: 26000, bulkBytes: 8192, bulkUntilMs: 17000, closeSessionAtMs: 18000 }),
  { file: 'sockjs-websocket-blocked.har', exporter: 'playwright', config: { transport: 'xhr-streaming', clientTransports: ['websocket', 'xhr-streaming'], blockWebSocket: true, durationMs: 15000 } },
];

const CLIENT = fs.readFileSync(path.join(REPO, 'node_modules/sockjs-client/dist/sockjs.min.js'), 'utf8');
const SERVER_PATH = { websocket: 'websocket', 'xhr-polling': 'xhr', 'jsonp-polling': 'jsonp', eventsource: 'eventsource', htmlfile: 'htmlfile', 'xhr-streaming': 'xhr_streaming' };

export function createApp({ config: c, tracker, timers }) {
  const server = sockjs.createServer({ prefix: c.prefix, sockjs_url: '/sockjs.min.js', heartbeat_delay: c.heartbeatMs, response_limit: c.responseLimitBytes, log: () => {} });
  const handler = server.listener().getHandler();
  let first = true;
  const conns = new Set();
  server.on('connection', (conn) => {
    tracker.count('sessions');
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('data', (d) => {
      tracker.count('messagesFromClient');
      conn.write(`echo: ${d}`);
    });
    if (!first) return;
    first = false;
    const all = (m) => {
      tracker.count('messagesPushed');
      for (const k of conns) k.write(m);
    };
    c.newsAtMs.forEach((at, i) => timers.timeout(() => all(JSON.stringify({ id: i + 1, text: `news ${i + 1}` })), at));
    if (c.bulkBytes > 0) {
      const blob = 'x'.repeat(c.bulkBytes);
      const t = timers.interval(() => {
        if (tracker.now() - t0 > c.bulkUntilMs) return timers.clear(t);
        all(JSON.stringify({ bulk: blob }));
      }, c.bulkEveryMs);
    }
    const t0 = tracker.now();
    if (c.closeSessionAtMs !== null) {
      timers.timeout(() => {
        tracker.note('server closes the session (3000 Go away!)');
        tracker.count('sessionsClosedByServer');
        for (const k of conns) k.close(3000, 'Go away!');
      }, c.closeSessionAtMs);
    }
  });
  const streamPaths = new Set(['xhr_streaming', 'eventsource', 'htmlfile']);
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('SockJS', body(c)));
      if (u.pathname === '/sockjs.min.js') return sendJs(res, CLIENT);
      if (!u.pathname.startsWith(c.prefix + '/')) return notFound(res);
      const last = u.pathname.split('/').pop();
      rec.kind = last === 'info' ? 'info' : last.endsWith('_send') ? 'send' : streamPaths.has(last) ? 'stream' : 'poll';
      // Rotation: a new receiving request on a session that already had one.
      if (rec.kind === 'stream' || rec.kind === 'poll') {
        const session = u.pathname.split('/').slice(-2, -1)[0];
        if (!this.seen) this.seen = new Map();
        const n = (this.seen.get(session) || 0) + 1;
        this.seen.set(session, n);
        if (n > 1 && rec.kind === 'stream') tracker.count('rotations');
      }
      if (!handler(req, res)) notFound(res);
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
      if (!handler(req, socket, head)) socket.destroy();
    },
  };
}

const body = (c) => `<h1>SockJS (${c.transport})</h1>
<ul id="log"></ul>
<script src="/sockjs.min.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = t.slice(0, 80); document.getElementById('log').appendChild(li); }
function open() {
  const sock = new SockJS('${c.prefix}', null, { transports: ${JSON.stringify(c.clientTransports ?? [c.transport])} });
  sock.onopen = () => { show('open ' + sock.transport); setTimeout(() => sock.send('hello'), 1000); };
  sock.onmessage = (e) => show(e.data);
  sock.onclose = (e) => { show('close ' + e.code + ' ' + e.reason); if (e.code === 3000) setTimeout(open, ${c.reopenDelayMs}); };
}
open();
</script>`;

export function describe(recording, c) {
  const extra = c.closeSessionAtMs !== null
    ? ` 8 KiB messages every ${c.bulkEveryMs} ms until ${c.bulkUntilMs / 1000} s make the stream rotate at the 128 KiB response limit (same session); at ${c.closeSessionAtMs / 1000} s the server closes the session (c[3000,"Go away!"]) and the page reconnects after ${c.reopenDelayMs} ms with a new session.`
    : '';
  const client = c.blockWebSocket
    ? `client allowed ${c.clientTransports.join(' then ')}; every WebSocket upgrade is refused (socket destroyed, as a blocking proxy would), so it falls back to ${c.transport} (/${SERVER_PATH[c.transport]})`
    : `client forced to the ${c.transport} transport (/${SERVER_PATH[c.transport]})`;
  return `SockJS 0.3 (sockjs ${'0.3.24'} server, sockjs-client 1.6) at ${c.prefix}, ${client}; heartbeat ${c.heartbeatMs} ms (default), news at ${c.newsAtMs.join(', ')} ms, one client send echoed.${extra}`;
}

export function expect(truth, recording, c) {
  const sessions = truth.counters.sessions || 0;
  const modes = {
    websocket: ['websocket', 'websocket'],
    'xhr-polling': ['long-poll', 'xhr'],
    'jsonp-polling': ['long-poll', 'script'],
    eventsource: ['stream', 'eventsource'],
    htmlfile: ['stream', 'iframe'],
    'xhr-streaming': ['stream', 'xhr'],
  }[c.transport];
  return {
    mode: modes[0],
    carrier: modes[1],
    pushEndpointPathPattern: `${c.prefix}/{server}/{session}/${SERVER_PATH[c.transport]}`,
    protocol: 'sockjs',
    protocolVersion: '0.3',
    sessions,
    reconnectCount: sessions - 1,
    rotations: truth.counters.rotations || 0,
    declared: { heartbeatMs: c.heartbeatMs },
    messagesPushed: truth.counters.messagesPushed || 0,
    messagesFromClient: truth.counters.messagesFromClient || 0,
    setupPaths: [`${c.prefix}/info`],
    ...(c.blockWebSocket
      ? { otherChannels: [{ mode: 'websocket', carrier: 'websocket', pushEndpointPathPattern: `${c.prefix}/{server}/{session}/websocket`, errors: truth.counters.websocketsRefused || 0 }] }
      : {}),
    notPush: ['/', '/sockjs.min.js'],
  };
}
