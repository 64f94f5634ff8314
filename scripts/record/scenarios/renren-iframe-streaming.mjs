// "Renren" style hidden-iframe forever frame (anchors.md §5.1): after the page loads it adds a hidden
// iframe with a text/html bootstrap page (/comet/proxy.html); that page opens a second hidden iframe on
// GET /comet/stream?uid=..&t=.. which the server keeps open: ~2 KB of padding first, then one
// <script>parent.onMessage({...})</script> chunk every 4 s, and after the 25 s server timeout a final
// <script>parent.onTimeout()</script> and the end of the response. When that frame finishes loading the
// proxy page opens a new forever frame at once. 60 s of capture: two full timeouts, a third frame open
// at the end.
import { page, sendHtml, notFound, NO_CACHE, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/home.php',
  durationMs: 60000,
  uid: 222333444,
  proxyPath: '/comet/proxy.html',
  pushEndpointPath: '/comet/stream',
  timeoutMs: 25000,
  paddingBytes: 2048,
  messageIntervalMs: 4000,
  /** New frame opened from the old frame's load event, i.e. as soon as the timed-out response ends. */
  reconnectDelayMs: 0,
};

export const recordings = [{ file: 'renren-iframe-streaming.har', exporter: 'playwright' }];

export function createApp({ config: c, tracker, timers }) {
  let frameSeq = 0;
  let msgId = 0;
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === c.entryPath) return sendHtml(res, page('人人网 - demo', HOME(c)));
      if (u.pathname === c.proxyPath) {
        rec.kind = 'setup';
        return sendHtml(res, PROXY(c));
      }
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      const frame = ++frameSeq;
      rec.kind = 'stream';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...NO_CACHE });
      const head = '<html><head><meta charset="utf-8"><title>comet</title></head><body>\n';
      const padLen = Math.max(0, c.paddingBytes - head.length - 8);
      res.write(head + '<!--' + ' '.repeat(padLen) + '-->\n');
      const ticks = [];
      for (let t = c.messageIntervalMs; t < c.timeoutMs; t += c.messageIntervalMs) {
        ticks.push(
          timers.timeout(() => {
            const m = { id: ++msgId, frame, type: 'notify', feed: 'status', from: 'renren_user_' + (msgId % 5), text: `新鲜事 #${msgId}` };
            tracker.count('messagesDelivered');
            res.write(`<script>parent.onMessage(${JSON.stringify(m)});</script>\n`);
          }, t),
        );
      }
      const end = timers.timeout(() => {
        rec.kind = 'timeout';
        tracker.count('timeouts');
        res.end('<script>parent.onTimeout();</script></body></html>\n');
      }, c.timeoutMs);
      res.on('close', () => [...ticks, end].forEach((t) => timers.clear(t)));
    },
  };
}

const HOME = (c) => `<h1>人人网 (demo)</h1>
<div id="feed"></div>
<script>
window.renren = {
  onMessage: function (m) {
    var p = document.createElement('p');
    p.textContent = m.from + ': ' + m.text;
    document.getElementById('feed').appendChild(p);
  },
  onTimeout: function () {}
};
// Start the comet machinery only after load, so the page's own load event is not held up.
window.addEventListener('load', function () {
  setTimeout(function () {
    var f = document.createElement('iframe');
    f.style.display = 'none';
    f.src = '${c.proxyPath}?uid=${c.uid}';
    document.body.appendChild(f);
  }, 0);
});
</script>`;

const PROXY = (c) => `<!doctype html>
<html><head><meta charset="utf-8"><title>proxy</title></head>
<body>
<script>
var n = 0;
function onMessage(m) { parent.renren.onMessage(m); }
function onTimeout() { parent.renren.onTimeout(); }
function openFrame() {
  var f = document.createElement('iframe');
  f.style.display = 'none';
  f.src = '${c.pushEndpointPath}?uid=${c.uid}&t=' + Date.now() + '&r=' + (++n);
  // The forever frame only "loads" when the server ends it (timeout): re-open immediately.
  f.addEventListener('load', function () { f.parentNode.removeChild(f); openFrame(); });
  document.body.appendChild(f);
}
openFrame();
</script>
</body></html>
`;

export function describe() {
  return 'Renren style forever frame: text/html bootstrap /comet/proxy.html in a hidden iframe opens a hidden iframe on /comet/stream (text/html, chunked, 2 KB padding, <script>parent.onMessage(..)</script> every 4 s); server ends it after 25 s with <script>parent.onTimeout()</script> and the proxy re-opens at once. Two full timeouts, third frame still open at capture end.';
}

export function expect(truth) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  return {
    mode: 'stream',
    carrier: 'iframe',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    mimeType: 'text/html',
    timeoutMs: config.timeoutMs,
    streamDurationMs: config.timeoutMs,
    paddingBytes: config.paddingBytes,
    messageIntervalMs: config.messageIntervalMs,
    messagesPerStream: Math.ceil(config.timeoutMs / config.messageIntervalMs) - 1,
    reconnectPattern: 'immediate',
    reconnectDelayMs: config.reconnectDelayMs,
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    timeouts: truth.counters.timeouts || 0,
    messages: truth.counters.messagesDelivered || 0,
    errors: 0,
    setupPaths: [config.proxyPath],
    notPush: [config.entryPath, config.proxyPath],
  };
}
