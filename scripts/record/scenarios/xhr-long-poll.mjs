// XHR long polling with immediate re-poll. The server holds GET /lp?cursor=N until a message newer
// than N exists or until timeoutMs, then answers 200 with a JSON array (`[]` on timeout). Messages
// appear at fixed, irregular times after the first poll, so some polls end with data and some time out.
import { page, sendHtml, sendJson, notFound, messageSchedule, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 45000,
  pushEndpointPath: '/lp',
  timeoutMs: 10000,
  timeoutResponse: { status: 200, body: '[]' },
  /** ms after the first /lp request arrives at which message 1, 2, … become available. */
  messageAtMs: [1500, 2300, 14800, 15200, 28000, 33500],
  repollDelayMs: 0,
};

export const recordings = [
  { file: 'xhr-long-poll.har', exporter: 'playwright' },
  {
    file: 'xhr-long-poll.chrome-har.har',
    exporter: 'chrome-har',
    note: 'DevTools-style CDP capture exported with chrome-har while the page was still open: the last poll (no response headers yet) is dropped by chrome-har.',
  },
];

export function createApp({ config: c, tracker, timers }) {
  const schedule = messageSchedule(timers, c.messageAtMs, (id) => ({ id, type: 'chat', from: id % 2 ? 'alice' : 'bob', text: `message ${id}` }));
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('XHR long-poll', BODY));
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      schedule.start(tracker.now());
      const cursor = Number(u.searchParams.get('cursor') || 0);
      const answer = (msgs, kind) => {
        rec.kind = kind;
        tracker.count(kind === 'message' ? 'messagesDelivered' : 'timeouts', kind === 'message' ? msgs.length : 1);
        if (kind === 'message') tracker.count('pollsWithMessages');
        sendJson(res, 200, msgs);
      };
      const ready = schedule.after(cursor);
      if (ready.length) return answer(ready, 'message');
      let timer;
      const unwait = schedule.wait(() => {
        const msgs = schedule.after(cursor);
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
    },
  };
}

const BODY = `<h1>Inbox</h1>
<ul id="log"></ul>
<script>
let cursor = 0;
function show(m) {
  const li = document.createElement('li');
  li.textContent = m.from + ': ' + m.text;
  document.getElementById('log').appendChild(li);
}
function poll() {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', '/lp?cursor=' + cursor);
  xhr.onload = function () {
    const msgs = JSON.parse(xhr.responseText || '[]');
    for (const m of msgs) { cursor = Math.max(cursor, m.id); show(m); }
    poll(); // immediate re-poll
  };
  xhr.onerror = function () { setTimeout(poll, 2000); };
  xhr.send();
}
poll();
</script>`;

export function describe(recording) {
  return `XHR long polling: GET /lp?cursor=N held until a message or a ${config.timeoutMs / 1000} s server timeout (200 "[]"), client re-polls immediately; messages at irregular times; the last poll is still open when the capture stops.${recording.exporter === 'chrome-har' ? ' Recorded over CDP and exported with chrome-har (open poll without response is dropped).' : ''}`;
}

export function expect(truth, recording) {
  const ep = endpoint(truth, 'GET /lp');
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    timeoutMs: config.timeoutMs,
    timeoutResponse: config.timeoutResponse,
    // Re-polling after each answer is the long-poll loop itself, not a reconnect (no error, no closed stream).
    reconnectPattern: 'none',
    repollDelayMs: config.repollDelayMs,
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    pendingAtEndInHar: recording.exporter === 'chrome-har' ? 0 : ep.openAtStop,
    requestsInHar: recording.exporter === 'chrome-har' ? ep.complete : ep.requests,
    timeouts: truth.counters.timeouts || 0,
    messages: truth.counters.messagesDelivered || 0,
    pollsWithMessages: truth.counters.pollsWithMessages || 0,
    errors: 0,
    notPush: ['/'],
  };
}
