// Long polling (fetch) with exponential back-off. The server holds GET /updates?since=N up to 8 s.
// From 10 s to 16 s after the first poll it is "in maintenance": the poll it is holding at 10 s is
// answered 503 at once, and every poll arriving in the window gets 503 immediately. The client waits
// 500, 1000, 2000, 4000 ms (doubling, no jitter) between failed attempts and resets after a success,
// so the window produces exactly four 503s and the fifth attempt (at ~17.5 s) succeeds.
import { page, sendHtml, sendJson, notFound, messageSchedule, endpoint } from '../lib.mjs';

export const config = {
  entryPath: '/',
  durationMs: 33000,
  pushEndpointPath: '/updates',
  timeoutMs: 8000,
  timeoutResponse: { status: 200, body: '{"events":[]}' },
  messageAtMs: [3000, 21000],
  outage: { fromMs: 10000, toMs: 16000, status: 503, heldPollsAnswered503: true },
  backoff: { initialMs: 500, factor: 2, maxMs: 30000, jitter: 0, resetOnSuccess: true },
};

export const recordings = [{ file: 'long-poll-backoff.har', exporter: 'playwright' }];

export function createApp({ config: c, tracker, timers }) {
  const schedule = messageSchedule(timers, c.messageAtMs, (id) => ({ id, type: 'update', value: id * 10 }));
  const held = new Set();
  let firstPollAt = null;
  const inOutage = () => firstPollAt !== null && tracker.now() - firstPollAt >= c.outage.fromMs && tracker.now() - firstPollAt < c.outage.toMs;
  const fail = (res, rec) => {
    rec.kind = 'error';
    tracker.count('errors');
    sendJson(res, c.outage.status, { error: 'maintenance' });
  };
  return {
    handle(req, res, rec) {
      const u = new URL(req.url, 'http://x');
      if (u.pathname === '/') return sendHtml(res, page('Long-poll with back-off', BODY(c)));
      if (u.pathname !== c.pushEndpointPath) return notFound(res);
      if (firstPollAt === null) {
        firstPollAt = tracker.now();
        schedule.start(firstPollAt);
        timers.timeout(() => {
          tracker.note(`outage starts, flushing ${held.size} held poll(s) with ${c.outage.status}`);
          for (const h of [...held]) h();
        }, c.outage.fromMs);
      }
      if (inOutage()) return fail(res, rec);
      const since = Number(u.searchParams.get('since') || 0);
      const answer = (events, kind) => {
        rec.kind = kind;
        tracker.count(kind === 'message' ? 'messagesDelivered' : 'timeouts', kind === 'message' ? events.length : 1);
        sendJson(res, 200, { events });
      };
      const ready = schedule.after(since);
      if (ready.length) return answer(ready, 'message');
      let timer;
      const cleanup = () => {
        unwait();
        timers.clear(timer);
        held.delete(flush);
      };
      const flush = () => {
        cleanup();
        fail(res, rec);
      };
      const unwait = schedule.wait(() => {
        const msgs = schedule.after(since);
        if (!msgs.length || inOutage()) return;
        cleanup();
        answer(msgs, 'message');
      });
      timer = timers.timeout(() => {
        cleanup();
        answer([], 'timeout');
      }, c.timeoutMs);
      held.add(flush);
      res.on('close', cleanup);
    },
  };
}

const BODY = (c) => `<h1>Live updates</h1>
<pre id="out"></pre>
<script>
var since = 0, failures = 0;
function log(s) { document.getElementById('out').textContent += s + '\\n'; }
async function poll() {
  try {
    const r = await fetch('${c.pushEndpointPath}?since=' + since, { cache: 'no-store' });
    const text = await r.text();
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const d = JSON.parse(text);
    for (const e of d.events) { since = Math.max(since, e.id); log('update ' + e.id); }
    failures = 0;
    poll();
  } catch (e) {
    const delay = Math.min(${c.backoff.maxMs}, ${c.backoff.initialMs} * Math.pow(${c.backoff.factor}, failures));
    failures++;
    log('error ' + e.message + ', retry in ' + delay + ' ms');
    setTimeout(poll, delay);
  }
}
poll();
</script>`;

export function describe() {
  return 'fetch long polling of /updates (8 s server timeout) with a 503 outage window 10–16 s after the first poll (the held poll is answered 503 too); client retries after 500, 1000, 2000, 4000 ms (exponential, factor 2, no jitter), then recovers; last poll open at capture end.';
}

export function expect(truth) {
  const ep = endpoint(truth, `GET ${config.pushEndpointPath}`);
  const errors = truth.counters.errors || 0;
  const delays = Array.from({ length: errors }, (_, i) => Math.min(config.backoff.maxMs, config.backoff.initialMs * config.backoff.factor ** i));
  return {
    mode: 'long-poll',
    carrier: 'xhr',
    pushEndpointPath: config.pushEndpointPath,
    method: 'GET',
    timeoutMs: config.timeoutMs,
    timeoutResponse: config.timeoutResponse,
    reconnectPattern: 'exponential',
    reconnectDelaysMs: delays,
    reconnectCount: errors,
    jitterMs: 0,
    errorStatus: config.outage.status,
    errors,
    repollDelayMs: 0,
    requests: ep.requests,
    completed: ep.complete,
    pendingAtEnd: ep.openAtStop,
    timeouts: truth.counters.timeouts || 0,
    messages: truth.counters.messagesDelivered || 0,
    notPush: ['/'],
  };
}
