// BOSH (XEP-0124/0206) against a real XMPP server: Debian's Prosody with its mod_bosh, and the Strophe.js client (npm
// `strophe.js`, its browser build). Prosody runs as a child of the recorder, bound to 127.0.0.1 on free ports, with a
// config written to a temporary folder: one virtual host `localhost` with anonymous login, no server-to-server. The
// scenario's server serves the page and passes /http-bind through to Prosody unchanged (one origin, as most sites
// deploy it).
//
// The page logs in anonymously asking for `wait` 8 s and `hold` 1, sends its presence, and then sends a chat message
// to itself at fixed times; Prosody delivers each one back through the held request. With nothing to deliver,
// Prosody answers a held request with an empty <body/> when `wait` runs out, and the client asks again at once.
// Recorded a second time over WebSocket (RFC 7395, Prosody's mod_websocket at /xmpp-websocket, subprotocol xmpp): one
// socket carries the whole stream, and the scenario's server passes it through byte for byte.
// Needs: apt-get install prosody.
import fs from 'node:fs';
import path from 'node:path';
import { endpoint, freePort, page, passThrough, passTrackedUpgrade, sendHtml, sendJs, startDaemon, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 33000,
  /** `bosh` (XEP-0124, /http-bind) or `websocket` (RFC 7395, /xmpp-websocket). */
  transport: 'bosh',
  pushEndpointPath: '/http-bind',
  waitS: 8,
  hold: 1,
  inactivityS: 30,
  /** When the page sends a message to itself, after it is connected. */
  messagesAtMs: [2000, 3500, 16000],
  prosody: process.env.PROSODY_PATH || '/usr/bin/prosody',
};

export const recordings = [
  { file: 'bosh-prosody.har', exporter: 'playwright' },
  { file: 'xmpp-websocket-prosody.chrome-har.har', exporter: 'chrome-har', config: { transport: 'websocket', pushEndpointPath: '/xmpp-websocket' } },
];

const CLIENT = () => fs.readFileSync(path.join(REPO, 'node_modules/strophe.js/dist/strophe.umd.min.js'), 'utf8');

const prosodyConf = (dir, port, c, c2sPort) => `run_as_root = true
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
c2s_ports = { ${c2sPort} }
s2s_ports = { }
http_interfaces = { "127.0.0.1" }
http_ports = { ${port} }
https_ports = { }
modules_enabled = { "bosh"; "websocket"; "saslauth"; "disco"; "ping"; "roster"; "presence"; "message" }
modules_disabled = { "s2s"; "posix" }
consider_bosh_secure = true
consider_websocket_secure = true
bosh_max_inactivity = ${c.inactivityS}
log = { info = "${dir}/prosody.log"; error = "${dir}/prosody.err" }
VirtualHost "localhost"
  authentication = "anonymous"
`;

export function createApp({ config: c, tracker }) {
  const ready = (async () => {
    const c2sPort = await freePort();
    return startDaemon({
      name: 'prosody',
      command: c.prosody,
      tracker,
      files: (dir, port) => {
        fs.mkdirSync(path.join(dir, 'data'));
        return { 'prosody.cfg.lua': prosodyConf(dir, port, c, c2sPort) };
      },
      args: (dir) => ['-F', '--config', path.join(dir, 'prosody.cfg.lua')],
    });
  })();
  return {
    async handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('BOSH', body(c)));
      if (u.pathname === '/strophe.umd.min.js') return sendJs(res, CLIENT());
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      const { port } = await ready;
      tracker.count('boshRequests');
      // What each request and answer was, read off the bytes on their way through.
      const sent = [];
      req.on('data', (b) => sent.push(b));
      req.on('end', () => {
        const text = Buffer.concat(sent).toString('utf8');
        if (/<body\b/.test(text) && !/\bsid=/.test(text)) tracker.count('sessionsCreated');
        if (/type=['"]terminate['"]/.test(text)) tracker.count('terminated');
      });
      passThrough(req, res, port, (status, ures) => {
        const got = [];
        ures.on('data', (b) => got.push(b));
        ures.on('end', () => {
          const text = Buffer.concat(got).toString('utf8');
          const stanzas = (text.match(/<(message|presence|iq)\b/g) ?? []).length;
          if (/^<body\b[^>]*(\/>|><\/body>)$/.test(text.trim()) && !/type=['"]terminate/.test(text)) {
            rec.kind = 'empty';
            tracker.count('emptyAnswers');
          } else if (stanzas > 0) rec.kind = 'stanzas';
          tracker.count('messagesDelivered', (text.match(/<message\b/g) ?? []).length);
        });
      });
    },
    async upgrade(req, socket, head) {
      const u = new URL(req.url, 'http://x');
      if (c.transport !== 'websocket' || u.pathname !== c.pushEndpointPath) return socket.destroy();
      const { port } = await ready;
      tracker.count('sockets');
      passTrackedUpgrade(req, socket, head, port, tracker);
    },
    close() {
      ready.then((d) => d.stop(), () => {});
    },
  };
}

const body = (c) => `<h1>${c.transport === 'websocket' ? 'XMPP over WebSocket' : 'BOSH'} (Prosody, Strophe.js)</h1>
<ul id="log"></ul>
<script src="/strophe.umd.min.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = String(t).slice(0, 80); document.getElementById('log').appendChild(li); }
// The browser build puts Strophe, $pres and $msg on the global object.
const conn = new Strophe.Connection(${c.transport === 'websocket' ? `'ws://' + location.host + '${c.pushEndpointPath}'` : `'${c.pushEndpointPath}'`});
conn.addHandler((m) => { show('message: ' + (m.getElementsByTagName('body')[0]?.textContent ?? '')); return true; }, null, 'message');
conn.connect('localhost', null, (status) => {
  show('status ' + status);
  if (status !== Strophe.Status.CONNECTED) return;
  conn.send($pres());
  ${JSON.stringify(c.messagesAtMs)}.forEach((at, i) => setTimeout(() => conn.send($msg({ to: conn.jid, type: 'chat' }).c('body').t('news ' + (i + 1))), at));
}, ${c.waitS}, ${c.hold});
</script>`;

export function describe(recording, c) {
  if (c.transport === 'websocket') {
    return `XMPP over WebSocket (RFC 7395) at ${c.pushEndpointPath}: Debian's Prosody 0.12 (mod_websocket, anonymous login) behind the scenario's server, with the Strophe.js 5 client; the page sends its presence, then chat messages to itself at ${c.messagesAtMs.join(', ')} ms after it connected, which Prosody delivers back on the socket.`;
  }
  return `BOSH (XEP-0124/0206) at ${c.pushEndpointPath}: Debian's Prosody 0.12 (mod_bosh, anonymous login, bosh_max_inactivity ${c.inactivityS} s) behind the scenario's server, with the Strophe.js 5 client asking wait ${c.waitS} s and hold ${c.hold}; the page sends its presence, then chat messages to itself at ${c.messagesAtMs.join(', ')} ms after it connected, which Prosody delivers back through the held request; a held request with nothing to deliver is answered with an empty <body/> after ${c.waitS} s.`;
}

export function expect(truth, recording, c) {
  if (c.transport === 'websocket') {
    const ws = endpoint(truth, `GET ${c.pushEndpointPath}`);
    return { mode: 'websocket', carrier: 'websocket', pushEndpointPath: c.pushEndpointPath, protocol: 'xmpp', requests: ws.requests, errors: 0, pendingAtEnd: ws.openAtStop, notPush: ['/', '/strophe.umd.min.js'] };
  }
  const ep = endpoint(truth, `POST ${c.pushEndpointPath}`);
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: c.pushEndpointPath,
    method: 'POST',
    protocol: 'bosh',
    protocolVersion: '1.6',
    timeoutMs: c.waitS * 1000,
    declared: { waitMs: c.waitS * 1000, inactivityMs: c.inactivityS * 1000 },
    errors: 0,
    pendingAtEnd: ep.openAtStop,
    boshRequests: truth.counters.boshRequests || 0,
    emptyAnswers: truth.counters.emptyAnswers || 0,
    messagesDelivered: truth.counters.messagesDelivered || 0,
    notPush: ['/', '/strophe.umd.min.js'],
  };
}
