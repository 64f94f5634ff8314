// MQTT over WebSocket against a real broker: Debian's Mosquitto 2 with a websockets listener, and the Eclipse Paho
// JavaScript client (npm `paho-mqtt`, its browser build) with a keep alive of 5 s. Mosquitto runs as a child of the
// recorder, bound to 127.0.0.1 on free ports (a websockets listener, and a plain MQTT one for the publisher), with a
// config written to a temporary folder; the scenario's server serves the page and passes the WebSocket at /mqtt
// through to it byte for byte. The recorder publishes on the topic `news` with mosquitto_pub at fixed times; the
// page subscribes to it. With nothing sent for 5 s, Paho pings (PINGREQ) and Mosquitto answers (PINGRESP).
// Needs: apt-get install mosquitto mosquitto-clients.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, page, passTrackedUpgrade, sendHtml, sendJs, startDaemon, notFound, REPO } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 30000,
  pushEndpointPath: '/mqtt',
  keepAliveS: 5,
  /** When the recorder publishes, after the page's socket opened. */
  newsAtMs: [2000, 3000, 14000],
  mosquitto: process.env.MOSQUITTO_PATH || '/usr/sbin/mosquitto',
  mosquittoPub: process.env.MOSQUITTO_PUB_PATH || '/usr/bin/mosquitto_pub',
};

export const recordings = [
  { file: 'mqtt-mosquitto.har', exporter: 'playwright' },
  { file: 'mqtt-mosquitto.chrome-har.har', exporter: 'chrome-har' },
];

const CLIENT = () => fs.readFileSync(path.join(REPO, 'node_modules/paho-mqtt/paho-mqtt.js'), 'utf8');

const mosquittoConf = (dir, port, tcpPort) => `persistence false
allow_anonymous true
log_dest file ${dir}/mosquitto.log
listener ${port} 127.0.0.1
protocol websockets
listener ${tcpPort} 127.0.0.1
protocol mqtt
`;

export function createApp({ config: c, tracker, timers }) {
  let tcpPort = null;
  const ready = (async () => {
    tcpPort = await freePort();
    return startDaemon({
      name: 'mosquitto',
      command: c.mosquitto,
      tracker,
      files: (dir, port) => ({ 'mosquitto.conf': mosquittoConf(dir, port, tcpPort) }),
      args: (dir) => ['-c', path.join(dir, 'mosquitto.conf')],
    });
  })();
  let started = false;
  const publish = (i) => {
    const p = spawn(c.mosquittoPub, ['-h', '127.0.0.1', '-p', String(tcpPort), '-t', 'news', '-m', JSON.stringify({ id: i + 1, text: `news ${i + 1}` })], { stdio: 'ignore' });
    p.once('exit', (code) => (code === 0 ? tracker.count('published') : tracker.note(`mosquitto_pub ${i + 1} exited ${code}`)));
  };
  return {
    handle(req, res) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('MQTT', body(c)));
      if (u.pathname === '/paho-mqtt.js') return sendJs(res, CLIENT());
      return notFound(res);
    },
    async upgrade(req, socket, head) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname !== c.pushEndpointPath) return socket.destroy();
      const { port } = await ready;
      tracker.count('sockets');
      passTrackedUpgrade(req, socket, head, port, tracker);
      if (!started) {
        started = true;
        c.newsAtMs.forEach((at, i) => timers.timeout(() => publish(i), at));
      }
    },
    close() {
      ready.then((d) => d.stop(), () => {});
    },
  };
}

const body = (c) => `<h1>MQTT over WebSocket (Mosquitto, Paho)</h1>
<ul id="log"></ul>
<script src="/paho-mqtt.js"></script>
<script>
function show(t) { const li = document.createElement('li'); li.textContent = String(t).slice(0, 80); document.getElementById('log').appendChild(li); }
const client = new Paho.Client(location.hostname, Number(location.port), '${c.pushEndpointPath}', 'page-' + Date.now());
client.onMessageArrived = (m) => show(m.destinationName + ': ' + m.payloadString);
client.onConnectionLost = (r) => show('lost ' + r.errorMessage);
client.connect({ keepAliveInterval: ${c.keepAliveS}, onSuccess: () => { show('connected'); client.subscribe('news'); }, onFailure: (e) => show('failed ' + e.errorMessage) });
</script>`;

export function describe(recording, c) {
  return `MQTT 3.1.1 over WebSocket at ${c.pushEndpointPath}: Debian's Mosquitto 2 (websockets listener, anonymous) behind the scenario's server, with the Eclipse Paho JavaScript client (paho-mqtt 1.1) connecting with keep alive ${c.keepAliveS} s and subscribing to news; the recorder publishes on news with mosquitto_pub at ${c.newsAtMs.join(', ')} ms after the socket opened. Paho pings (PINGREQ) when it has sent nothing for ${c.keepAliveS} s; Mosquitto answers PINGRESP.`;
}

export function expect(truth, recording, c) {
  return {
    mode: 'websocket',
    carrier: 'websocket',
    pushEndpointPath: c.pushEndpointPath,
    protocol: 'mqtt',
    protocolVersion: '3.1.1',
    requests: truth.counters.sockets || 0,
    errors: 0,
    pendingAtEnd: 1,
    declared: { keepAliveMs: c.keepAliveS * 1000 },
    published: truth.counters.published || 0,
    notPush: ['/', '/paho-mqtt.js'],
  };
}
