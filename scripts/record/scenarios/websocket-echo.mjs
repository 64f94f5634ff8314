// WebSocket with traffic both ways: the page opens ws://…/ws/echo (subprotocol echo.v1) and sends a
// text frame every second; the server echoes each one and pushes its own frame every 2.5 s, and sends
// a control ping every 5 s (the browser answers with pong). The socket is still open at capture end.
// Recorded twice: Playwright's HAR (which has _webSocketMessages in 1.65) and a DevTools-shaped HAR
// (chrome-har plus a WebSocket entry built from the CDP webSocket* events).
import { WebSocketServer } from 'ws';
import { page, sendHtml, notFound, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 15000,
  pushEndpointPath: '/ws/echo',
  subprotocol: 'echo.v1',
  clientSendIntervalMs: 1000,
  serverPushIntervalMs: 2500,
  serverPingIntervalMs: 5000,
};

export const recordings = [
  { file: 'websocket-echo.har', exporter: 'playwright' },
  {
    file: 'websocket-echo.devtools.har',
    exporter: 'chrome-har',
    note: 'HTTP entries from chrome-har (creator chrome-har); the WebSocket entry was added by scripts/record/lib.mjs in the shape Chrome DevTools "Save all as HAR" writes (_resourceType websocket, status 101, _webSocketMessages with epoch-second times).',
  },
];

export function createApp({ config: c, tracker, timers }) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has(c.subprotocol) ? c.subprotocol : false) });
  return {
    handle(req, res) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('WebSocket echo', BODY(c)));
      return notFound(res);
    },
    upgrade(req, socket, head) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname !== c.pushEndpointPath) return socket.destroy();
      const rec = tracker.trackWebSocket(req);
      wss.handleUpgrade(req, socket, head, (ws) => {
        let pushSeq = 0;
        const sendJson = (obj) => {
          rec.sent++;
          ws.send(JSON.stringify(obj));
        };
        ws.on('message', (data) => {
          rec.received++;
          let msg;
          try {
            msg = JSON.parse(String(data));
          } catch {
            msg = { raw: String(data) };
          }
          sendJson({ type: 'echo', seq: msg.seq, text: msg.text });
        });
        ws.on('pong', () => rec.pongs++);
        const push = timers.interval(() => sendJson({ type: 'push', seq: ++pushSeq, headline: `breaking news ${pushSeq}` }), c.serverPushIntervalMs);
        const ping = timers.interval(() => {
          rec.pings++;
          ws.ping('hb');
        }, c.serverPingIntervalMs);
        ws.on('close', () => {
          timers.clear(push);
          timers.clear(ping);
          if (rec.state === 'open') {
            rec.state = 'complete';
            rec.end = tracker.now();
          }
        });
      });
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

const BODY = (c) => `<h1>Echo</h1>
<pre id="out"></pre>
<script>
const ws = new WebSocket('ws://' + location.host + '${c.pushEndpointPath}?room=lobby', '${c.subprotocol}');
let seq = 0;
ws.onopen = function () {
  setInterval(function () { ws.send(JSON.stringify({ type: 'say', seq: ++seq, text: 'hello ' + seq })); }, ${c.clientSendIntervalMs});
};
ws.onmessage = function (e) { document.getElementById('out').textContent += e.data + '\\n'; };
</script>`;

export function describe(recording) {
  return `WebSocket ws://…/ws/echo (subprotocol echo.v1): client sends a text frame every 1 s, server echoes each and pushes one every 2.5 s, plus a control ping every 5 s; socket open at capture end.${recording.exporter === 'chrome-har' ? ' DevTools-shaped export: chrome-har HTTP entries + a hand-built WebSocket entry from CDP events.' : ''}`;
}

export function expect(truth) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  return {
    mode: 'websocket',
    carrier: 'websocket',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    status: 101,
    subprotocol: config.subprotocol,
    timeoutMs: null,
    clientSendIntervalMs: config.clientSendIntervalMs,
    serverPushIntervalMs: config.serverPushIntervalMs,
    reconnectPattern: 'none',
    requests: ep.requests,
    pendingAtEnd: ep.openAtStop,
    framesFromClient: ep.framesReceived,
    framesFromServer: ep.framesSent,
    serverPings: ep.pingsSent,
    pongs: ep.pongsReceived,
    errors: 0,
    notPush: ['/'],
  };
}
