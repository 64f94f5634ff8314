// "Taobao webww" style JSONP (script-tag) polling, after the 2011 HttpWatch article (anchors.md §5.1):
// the Wangwang web IM page builds a connection with a JSONP call, fetches the login result, then polls
// GET /wangwang/poll?cmd=getMessage&nkh=<nick>&t=<ts>&callback=TDog.WebServer.handleMessage through
// <script> tags on a 1 s timer (start to start). The server answers every poll quickly, after a seeded
// pseudo-random 50–300 ms, with any messages that became due. A second, XHR channel checks status
// every 3 s. A one-off send.do call happens in the middle.
import { page, sendHtml, sendJs, sendJson, notFound, seededRandom, randInt, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/wangwang/webww1.htm',
  durationMs: 40000,
  nick: 'tb_demo_buyer',
  appId: 24,
  setup: [
    { path: '/wangwang/buildconnection', callback: 'TDog.WebServer.buildConnection', holdMs: 80 },
    { path: '/wangwang/getloginresult.do', callback: 'TDog.WebServer.disposeLoginResult', holdMs: 60 },
  ],
  pushEndpointPath: '/wangwang/poll',
  pollCmd: 'getMessage',
  pollCallback: 'TDog.WebServer.handleMessage',
  /** Client timer: a poll starts 1000 ms after the previous one started (never overlapping). */
  pollIntervalMs: 1000,
  /** Server answers each poll after a seeded random delay in [holdMinMs, holdMaxMs]; never holds longer. */
  holdMinMs: 50,
  holdMaxMs: 300,
  holdSeed: 24,
  /** ms after the first poll at which messages 1..n become due (delivered by the next poll to answer). */
  messageAtMs: [4200, 11700, 19300, 26100, 33800],
  statusPath: '/wangwang/status',
  statusCmd: 'checkStatus',
  statusIntervalMs: 3000,
  statusHoldMs: 20,
  sendPath: '/wangwang/send.do',
  sendAtMs: 20000,
};

export const recordings = [{ file: 'taobao-polling.har', exporter: 'playwright' }];

export function createApp({ config: c, tracker, timers }) {
  const rnd = seededRandom(c.holdSeed);
  let firstPollAt = null;
  let delivered = 0;
  const jsonp = (res, cb, data, delay) => timers.timeout(() => sendJs(res, `${cb}(${JSON.stringify(data)});`), delay);
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      const q = u.searchParams;
      if (u.pathname === c.entryPath) return sendHtml(res, page('阿里旺旺网页版 (demo)', BODY(c)));
      const setup = c.setup.find((s) => s.path === u.pathname);
      if (setup) {
        rec.kind = 'setup';
        const data = setup.path.endsWith('buildconnection')
          ? { code: 0, nkh: q.get('nkh'), appId: Number(q.get('appId')), sid: 'ww-session-0001', server: 'webww' }
          : { code: 0, loginResult: 'success', nick: q.get('nkh'), status: 'online' };
        return jsonp(res, q.get('callback') || setup.callback, data, setup.holdMs);
      }
      if (u.pathname === c.pushEndpointPath) {
        if (firstPollAt === null) firstPollAt = tracker.now();
        const hold = randInt(rnd, c.holdMinMs, c.holdMaxMs);
        return timers.timeout(() => {
          const elapsed = tracker.now() - firstPollAt;
          const due = c.messageAtMs.filter((t) => t <= elapsed).length;
          const msgs = [];
          for (; delivered < due; delivered++) msgs.push({ id: delivered + 1, from: 'cntaobaoseller01', type: 'chat', content: `您好，第${delivered + 1}条消息` });
          rec.kind = msgs.length ? 'message' : 'empty';
          if (msgs.length) tracker.count('messagesDelivered', msgs.length);
          sendJs(res, `${q.get('callback') || c.pollCallback}(${JSON.stringify({ cmd: q.get('cmd'), code: 0, msgs })});`);
        }, hold);
      }
      if (u.pathname === c.statusPath) {
        rec.kind = 'status';
        return timers.timeout(() => sendJson(res, 200, { cmd: q.get('cmd'), status: 'online', unread: delivered }), c.statusHoldMs);
      }
      if (u.pathname === c.sendPath) {
        rec.kind = 'send';
        return jsonp(res, q.get('callback') || 'TDog.WebServer.handleSendResult', { code: 0, msgId: 'm-1' }, 40);
      }
      return notFound(res);
    },
  };
}

const BODY = (c) => `<h1>Wangwang web (demo)</h1>
<div id="status">connecting…</div>
<ul id="msgs"></ul>
<script>
var NICK = ${JSON.stringify(c.nick)}, APP_ID = ${c.appId};
function q(extra) { return 'nkh=' + encodeURIComponent(NICK) + '&appId=' + APP_ID + extra + '&t=' + Date.now(); }
function jsonp(url) {
  var s = document.createElement('script');
  s.src = url;
  var done = function () { s.parentNode && s.parentNode.removeChild(s); };
  s.addEventListener('load', done);
  s.addEventListener('error', done);
  document.getElementsByTagName('head')[0].appendChild(s);
  return s;
}
var TDog = { WebServer: {
  buildConnection: function (d) {
    document.getElementById('status').textContent = 'logging in…';
    jsonp('/wangwang/getloginresult.do?time=1&' + q('') + '&callback=TDog.WebServer.disposeLoginResult');
  },
  disposeLoginResult: function (d) {
    document.getElementById('status').textContent = d.status;
    poll();
    setInterval(checkStatus, ${c.statusIntervalMs});
    setTimeout(sendHello, ${c.sendAtMs});
  },
  handleMessage: function (d) {
    for (var i = 0; i < d.msgs.length; i++) {
      var li = document.createElement('li');
      li.textContent = d.msgs[i].from + ': ' + d.msgs[i].content;
      document.getElementById('msgs').appendChild(li);
    }
  },
  handleSendResult: function (d) {}
} };
function poll() {
  var started = Date.now();
  var s = jsonp('${c.pushEndpointPath}?cmd=${c.pollCmd}&' + q('') + '&callback=${c.pollCallback}');
  var next = function () { setTimeout(poll, Math.max(0, started + ${c.pollIntervalMs} - Date.now())); };
  s.addEventListener('load', next);
  s.addEventListener('error', next);
}
function checkStatus() {
  var x = new XMLHttpRequest();
  x.open('GET', '${c.statusPath}?cmd=${c.statusCmd}&' + q(''));
  x.send();
}
function sendHello() {
  jsonp('${c.sendPath}?' + q('&userId=cntaobaoseller01&content=' + encodeURIComponent('你好')) + '&callback=TDog.WebServer.handleSendResult');
}
jsonp('/wangwang/buildconnection?' + q('') + '&callback=TDog.WebServer.buildConnection');
</script>`;

export function describe() {
  return 'Taobao webww style JSONP polling: setup via JSONP buildconnection + getloginresult.do, then <script>-tag polls of /wangwang/poll?cmd=getMessage&nkh=..&t=..&callback=TDog.WebServer.handleMessage every 1 s (start to start; server answers after 50–300 ms, occasionally with a message), an XHR status check every 3 s, and one send.do call.';
}

export function expect(truth) {
  const poll = endpoint(truth, `GET ${config.pushEndpointPath}`);
  const status = endpoint(truth, `GET ${config.statusPath}`);
  return {
    mode: 'short-poll',
    carrier: 'script',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    callbackParam: 'callback',
    callback: config.pollCallback,
    cacheBusterParam: 't',
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: null,
    holdMs: { min: config.holdMinMs, max: config.holdMaxMs },
    reconnectPattern: 'none',
    requests: poll.requests,
    completed: poll.complete,
    pendingAtEnd: poll.openAtStop,
    messages: truth.counters.messagesDelivered || 0,
    errors: 0,
    setupPaths: config.setup.map((s) => s.path),
    otherChannels: [
      {
        mode: 'short-poll',
        carrier: 'xhr',
        pushEndpointPath: config.statusPath,
        method: 'GET',
        pollIntervalMs: config.statusIntervalMs,
        timeoutMs: null,
        holdMs: { min: config.statusHoldMs, max: config.statusHoldMs },
        reconnectPattern: 'none',
        requests: status.requests,
        completed: status.complete,
        pendingAtEnd: status.openAtStop,
      },
    ],
    notPush: [config.entryPath, config.sendPath, ...config.setup.map((s) => s.path)],
  };
}
