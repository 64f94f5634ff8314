// Decides whether a candidate group is a push channel and, if so, its mode and carrier, with the reasons.
import type { Carrier, Exchange, Mode } from '../model.js';
import { concurrentLanes, isRegular, overlapShare, repollDelays, startIntervals } from '../measure/cadence.js';
import { estimateTimeout } from '../measure/holds.js';
import { countWsFrames } from '../measure/messages.js';
import { maxOf, median } from '../measure/stats.js';
import type { Candidate } from './group.js';
import { carrierOf, isEmptyAnswer, streamEvidence, type CarrierGuess, type StreamKind } from './features.js';
import { effectiveEnd, isErrorExchange, seconds, serverHold } from './util.js';

export interface Classification {
  mode: Mode;
  carrier: Carrier;
  carrierDetail: 'xhr' | 'fetch' | null;
  streamKind: StreamKind | null;
  confidence: number;
  evidence: string[];
  /** Polling loops running at once on the endpoint: more than 1 when the same poll was started twice. */
  loops?: number;
}

export interface ClassifyContext {
  /** Last moment the capture knows of, for this candidate's input. */
  captureEnd: number;
  /** Pages in this candidate's input. */
  pages: number;
}

export type Verdict = { push: true; result: Classification } | { push: false; reason: string };

/** Transport names that clients put in the URL (Engine.IO, SignalR, Bayeux, nginx push-stream…). */
const LONG_POLL_NAMES = new Set(['polling', 'xhr-polling', 'jsonp-polling', 'longpolling', 'long-polling', 'long_polling', 'callback-polling', 'htmlfile']);
const LONG_POLL_SEGMENTS = new Set(['longpoll', 'long-poll', 'long-polling', 'longpolling', '.lp', 'xhr', 'jsonp', 'poll', 'plainpoll', 'listen.icepush']);

export function classify(c: Candidate, ctx: ClassifyContext): Verdict {
  if (c.websocket) return { push: true, result: classifyWebSocket(c) };
  const streams = c.exchanges.map((ex) => ({ ex, ev: streamEvidence(ex, ctx.captureEnd) })).filter((s) => s.ev !== null);
  if (streams.length > 0) return { push: true, result: classifyStream(c, streams.map((s) => ({ ex: s.ex, ev: s.ev! }))) };
  return classifyPolling(c, ctx);
}

function classifyWebSocket(c: Candidate): Classification {
  const evidence: string[] = [];
  const first = c.exchanges[0]!;
  const n = c.exchanges.length;
  const upgraded = c.exchanges.filter((ex) => ex.status === 101).length;
  if (upgraded > 0) evidence.push(`${upgraded} of ${n} handshake${n === 1 ? '' : 's'} answered 101 Switching Protocols`);
  if (/^wss?:/i.test(first.url)) evidence.push(`URL scheme ${first.url.split(':')[0]}://`);
  else if (first.resourceType === 'websocket') evidence.push('exporter recorded resource type websocket');
  const frames = c.exchanges.flatMap((ex) => ex.wsFrames ?? []);
  let confidence = upgraded > 0 ? 0.95 : 0.8;
  if (frames.length > 0) {
    const f = countWsFrames(frames);
    evidence.push(`${f.received} message${f.received === 1 ? '' : 's'} received and ${f.sent} sent in recorded frames`);
    confidence = Math.max(confidence, 0.95);
  } else {
    evidence.push('no frames recorded by the exporter');
  }
  if (upgraded === 0 && c.exchanges.every(isErrorExchange)) {
    evidence.push(`never connected: all ${n} attempt${n === 1 ? '' : 's'} failed`);
    confidence = 0.75;
  }
  if (n > 1) evidence.push(`${n} connections to the same endpoint (later ones are reconnects)`);
  return { mode: 'websocket', carrier: 'websocket', carrierDetail: null, streamKind: null, confidence, evidence };
}

function classifyStream(c: Candidate, streams: { ex: Exchange; ev: NonNullable<ReturnType<typeof streamEvidence>> }[]): Classification {
  const first = streams[0]!;
  const kind = first.ev.kind;
  const evidence = [first.ev.reason];
  const guess = majorityCarrier(streams.map((s) => carrierOf(s.ex, c.endpoint)));
  let carrier = guess.carrier;
  // A forever frame is an iframe document even when the exporter calls it "document" or says nothing.
  if (kind === 'forever-frame' && carrier !== 'script') carrier = 'iframe';
  evidence.push(`carrier ${carrier}: ${guess.reason}`);
  const held = streams.filter((s) => s.ex.state !== 'open' && s.ex.duration >= 2000).length;
  if (held > 0) evidence.push(`${held} response${held === 1 ? '' : 's'} kept open ≥ 2 s while data arrived`);
  if (c.exchanges.length > 1) evidence.push(`${c.exchanges.length} connections to the same endpoint (later ones are reconnects)`);
  const confidence = kind === 'progressive' ? 0.7 : kind === 'forever-frame' ? 0.85 : 0.95;
  return { mode: 'stream', carrier, carrierDetail: guess.detail, streamKind: kind, confidence, evidence };
}

function majorityCarrier(guesses: CarrierGuess[]): CarrierGuess {
  const counts = new Map<Carrier, number>();
  for (const g of guesses) counts.set(g.carrier, (counts.get(g.carrier) ?? 0) + 1);
  let best = guesses[0]!;
  for (const g of guesses) if ((counts.get(g.carrier) ?? 0) > (counts.get(best.carrier) ?? 0)) best = g;
  return best;
}

function transportHint(c: Candidate): string | null {
  for (const name of ['transport', 'connectiontype', 'x-atmosphere-transport', 'p_mode', 'mode']) {
    const v = c.endpoint.params[name];
    if (v && LONG_POLL_NAMES.has(v.toLowerCase())) return `${name}=${v}`;
    if (name === 'p_mode' && v === 'pull') return 'p_mode=pull';
  }
  const seg = c.endpoint.segments.find((s) => LONG_POLL_SEGMENTS.has(s) || s.endsWith('.lp'));
  return seg ? `path segment "${seg}"` : null;
}

/** Path words that name a waiting request; used only for a lone request still unanswered at capture end. */
const WAITING_WORDS = /^(lp|wait|poll|polling|longpoll|long-poll|long_poll|comet|listen|subscribe|updates|receive|recv|pull|bind)$/;

/**
 * One request still waiting for its answer when the capture stopped, on a path or transport that says it waits
 * for pushes (`/lp/wait`, `transport=polling`): the one poll of a long-poll loop the capture caught. Any other lone
 * request is an ordinary call, however long it took.
 */
function singleOpenPoll(c: Candidate): Verdict {
  const ex = c.exchanges[0]!;
  const rt = ex.resourceType;
  const hint = transportHint(c) ?? (c.endpoint.segments.some((s) => WAITING_WORDS.test(s) || s.endsWith('.lp')) ? `path ${c.endpoint.path}` : null);
  if (ex.state !== 'open' || ex.status !== 0 || c.endpoint.method !== 'GET' || !(rt === 'xhr' || rt === 'fetch' || rt === null) || !hint) {
    return { push: false, reason: 'a single request that is not a stream' };
  }
  const carrier = carrierOf(ex, c.endpoint);
  return {
    push: true,
    result: {
      mode: 'long-poll',
      carrier: carrier.carrier,
      carrierDetail: carrier.detail,
      streamKind: null,
      confidence: 0.5,
      evidence: [
        `a single ${carrier.carrier === 'xhr' ? 'XHR/fetch ' : ''}request with no answer yet when the capture stopped (server still holding it)`,
        `the endpoint names a waiting/polling request (${hint})`,
        `carrier ${carrier.carrier}: ${carrier.reason}`,
        'only one poll was captured, so hold, timeout and re-poll cannot be measured',
      ],
    },
  };
}

function classifyPolling(c: Candidate, ctx: ClassifyContext): Verdict {
  const exs = c.exchanges;
  const n = exs.length;
  if (n === 1) return singleOpenPoll(c);
  // Polling asks for data; PUT/PATCH/DELETE change state, however regularly they are sent.
  if (c.endpoint.method !== 'GET' && c.endpoint.method !== 'POST') return { push: false, reason: `${c.endpoint.method} requests do not poll` };
  const pagerefs = new Set(exs.map((e) => e.pageref).filter((p) => p !== null));
  if (ctx.pages > 1 && pagerefs.size === n) return { push: false, reason: 'requested once per page load' };
  let spans = exs.map((ex) => ({ start: ex.start, end: effectiveEnd(ex) }));
  // Overlapping requests are not a loop, unless they split into a few loops that each are one: the same poll
  // started twice (a listener registered twice) is push traffic, and a bug worth reporting, not ordinary traffic.
  let loops = 1;
  let loop = exs.map((_, i) => i); // positions in exs of the requests of the loop being timed
  if (overlapShare(spans) > 0.3) {
    const lanes = concurrentLanes(spans);
    if (n < 8 || lanes.length > 3 || lanes.some((l) => l.length < 4)) return { push: false, reason: 'requests run in parallel, not one after another' };
    loops = lanes.length;
    loop = lanes.reduce((a, b) => (b.length > a.length ? b : a));
    spans = loop.map((i) => spans[i]!);
  }

  const hint = transportHint(c);
  const complete = exs.filter((ex) => ex.state === 'complete' && !isErrorExchange(ex));
  const holds = complete.map(serverHold);
  const medHold = holds.length ? median(holds) : 0;
  const delays = repollDelays(spans)
    .map((d) => Math.max(0, d))
    .filter((_, i) => !isErrorExchange(exs[loop[i]!]!));
  const medRepoll = delays.length ? median(delays) : Infinity;
  const intervals = startIntervals(spans.map((sp) => sp.start));
  const medInterval = intervals.length ? median(intervals) : 0;
  const timeout = estimateTimeout(complete.map((ex) => ({ hold: serverHold(ex), empty: isEmptyAnswer(ex) })));
  const carrier = majorityCarrier(exs.map((ex) => carrierOf(ex, c.endpoint)));
  const evidence: string[] = [];
  const failed = exs.filter(isErrorExchange).length;

  const base = (mode: Mode, confidence: number): Verdict => {
    if (loops > 1) evidence.push(`${loops} polling loops run at once on this endpoint (the same poll started ${loops} times?); timings are those of one loop`);
    evidence.push(`carrier ${carrier.carrier}: ${carrier.reason}`);
    if (c.endpoint.cacheBusters.length) evidence.push(`cache-buster parameter${c.endpoint.cacheBusters.length > 1 ? 's' : ''} ${c.endpoint.cacheBusters.map((b) => `"${b}"`).join(', ')} removed to group the requests`);
    if (complete.length === 0 && failed > 0) {
      evidence.push(`no request succeeded: ${failed} of ${n} failed${failed < n ? ', the rest were still open' : ''}`);
      confidence -= 0.15;
    }
    if (n >= 6) confidence += 0.04;
    return {
      push: true,
      result: { mode, carrier: carrier.carrier, carrierDetail: carrier.detail, streamKind: null, confidence: Math.min(0.99, Math.max(0.3, confidence)), evidence, loops },
    };
  };

  if (complete.length >= 2 && timeout && timeout.timeoutMs >= 2000 && medRepoll <= Math.max(0.5 * timeout.timeoutMs, 3000)) {
    evidence.push(
      timeout.basis === 'empty'
        ? `${timeout.count} empty answer${timeout.count === 1 ? '' : 's'} held ≈ ${seconds(timeout.timeoutMs)} (the server's timeout)${timeout.count === 1 ? '; no answer was held longer' : ''}`
        : `${timeout.count} of ${complete.length} answers held ≈ ${seconds(timeout.timeoutMs)} (bodies not recorded; taken as the server's timeout)`,
    );
    evidence.push(`next request follows the previous answer after ${seconds(medRepoll)} (median)`);
    return base('long-poll', timeout.basis === 'empty' ? 0.92 : 0.85);
  }
  if (complete.length >= 2 && medHold >= 3000 && medRepoll <= 0.5 * medHold) {
    evidence.push(`the server held requests ${seconds(medHold)} (median) before answering`);
    evidence.push(`next request follows the previous answer after ${seconds(medRepoll)} (median)`);
    return base('long-poll', n >= 4 ? 0.8 : 0.65);
  }
  const maxHold = holds.length ? maxOf(holds) : 0;
  if (n >= 3 && complete.length >= 2 && medRepoll <= 250 && maxHold >= 1000 && !isRegular(intervals)) {
    evidence.push(`each request is sent as soon as the previous answer arrives (median re-poll ${seconds(medRepoll)})`);
    evidence.push(`holds vary up to ${seconds(maxHold)}: the server answers when it has data`);
    return base('long-poll', 0.7);
  }
  // A loop where every request failed says nothing about holds; the transport name is all there is.
  const namedLongPoll = (): Verdict => {
    evidence.push(`the URL names a long-polling transport (${hint})`);
    if (complete.length < 2) evidence.push('no held request completed in the capture, so the hold cannot be measured');
    return base('long-poll', 0.6);
  };
  if (hint && complete.length === 0 && failed > 0) return namedLongPoll();
  if (n >= 3 && isRegular(intervals) && (holds.length === 0 || medHold < 0.5 * medInterval)) {
    evidence.push(`requests start every ${seconds(medInterval)} (regular timer)`);
    if (holds.length) evidence.push(`answers come back quickly (median ${seconds(medHold)}): the server does not hold them`);
    return base('short-poll', n >= 5 ? 0.8 : 0.65);
  }
  if (hint && c.endpoint.method === 'GET') return namedLongPoll();
  return { push: false, reason: 'repeated requests without a polling rhythm' };
}
