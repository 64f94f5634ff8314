// Measures one detected channel: extracts the numbers from its exchanges and hands them to the pure functions here.
import type { ChannelReport, Distribution, Exchange, ExporterKind, Mode, Phase, PhaseKind } from '../model.js';
import type { Draft } from '../detect/draft.js';
import { headerValue, isEmptyAnswer, isWebSocket } from '../detect/features.js';
import type { Roles } from '../detect/roles.js';
import { effectiveEnd, isErrorExchange, lifetimeUnknown, seconds, serverHold, socketNeverOpened, unsentMs } from '../detect/util.js';
import { fitBackoff } from './backoff.js';
import { concurrentLanes, repollDelays, startIntervals } from './cadence.js';
import { coverage } from './coverage.js';
import { clusterBand, densestCluster, estimateTimeout, holdDistribution } from './holds.js';
import { countLines, countMultipartParts, countScriptChunks, countSseEvents, countWsFrames, overheadPerMessage } from './messages.js';
import { maxOf, median } from './stats.js';
import { checkDeclared, heartbeatInterval, protocolMessages, type ObservedFigures } from './protocol.js';
import type { DeclaredCheck, SessionReport } from '../model.js';
import type { DeclaredFact } from '../protocols/types.js';

export interface MeasureContext {
  captureEnd: number;
  exporter: ExporterKind;
}

const STEADY: ReadonlySet<PhaseKind> = new Set(['poll', 'stream', 'reconnect', 'upgrade']);

export function measureChannel(id: string, d: Draft, roles: Roles, ctx: MeasureContext): ChannelReport {
  const { result } = d;
  const all = roles.exchanges;
  const steady = all.filter((_, i) => STEADY.has(roles.phaseOf[i]!));
  const polling = result.mode === 'long-poll' || result.mode === 'short-poll';
  const evidence = [...result.evidence, ...d.notes];
  const warnings: string[] = [];

  // Answers that arrived (an abort after a 2xx/3xx is the client closing, not a failure); streams whose end the
  // exporter never learnt have no hold.
  const ok = steady.filter((ex) => ex.state !== 'open' && !isErrorExchange(ex) && !lifetimeUnknown(ex));
  const holds = ok.map(serverHold);
  const errors = all.filter(isErrorExchange).length;
  const open = all.filter((ex) => isOpenAtEnd(ex, ctx.captureEnd));
  const openAtEndMs = open.map((ex) => Math.round(ex.duration));

  const mod = d.protocol?.module ?? null;
  // A protocol knows its own no-data answers (an Engine.IO ping, a SockJS `h`, a Bayeux connect reply).
  const empty = (ex: Exchange): boolean | null => mod?.idle?.(ex) ?? isEmptyAnswer(ex);
  const timeout =
    result.mode === 'long-poll'
      ? estimateTimeout(ok.map((ex) => ({ hold: serverHold(ex), empty: empty(ex) })))?.timeoutMs ?? null
      : result.mode === 'stream'
        ? streamTimeout(holds)
        : null;
  // With the same poll running in several loops at once (two tabs, a listener registered twice), each loop's rhythm
  // is its own: the intervals and re-poll delays are those within each loop, pooled.
  const loops = polling ? loopsOf(steady, result.loops ?? 1) : [];
  const intervals = loops.flatMap((loop) => startIntervals(loop.map((ex) => ex.start)));
  const interval = intervals.length ? median(intervals) : null;

  // Re-poll delays: the loop's own gaps, i.e. after answers that were not failures (those are reconnect delays).
  const repolls: number[] = [];
  for (const loop of loops) {
    const raw = repollDelays(loop.map((ex) => ({ start: ex.start, end: ex.end })));
    raw.forEach((delay, i) => {
      if (!isErrorExchange(loop[i]!) && loop[i]!.state === 'complete') repolls.push(Math.max(0, delay));
    });
  }
  const repollMedian = repolls.length ? median(repolls) : null;

  // Reconnects count even when the exporter hides how long the connection before them lasted; their delay does not.
  const knownDelays = roles.reconnectDelays.filter((x): x is number => x !== null);
  const reconnectCount = roles.reconnectDelays.length;
  let fit = fitBackoff(busiestLane(roles) ?? knownDelays);
  if (reconnectCount > 0 && knownDelays.length === 0) fit = { pattern: 'irregular' };
  // Re-polls after answers are the loop itself, not reconnects: they are described, and measured as repollDelayMs.
  const repollFit = polling && reconnectCount === 0 && repolls.length > 0 ? fitBackoff(repolls) : null;

  const lifeStart = all[0]!.start;
  const lifeEnd = maxOf(all.map(effectiveEnd));
  const minGap = Math.max(
    1000,
    result.mode === 'short-poll' && interval !== null ? 1.5 * interval : 0,
    result.mode === 'long-poll' && repollMedian !== null ? 2 * repollMedian + 500 : 0,
  );
  // A WebSocket channel's connection is open while a socket is: not during its HTTP setup requests, nor during a
  // handshake that was never answered, however long the attempt took.
  const opened = result.mode === 'websocket' ? all.filter((ex) => isWebSocket(ex) && !socketNeverOpened(ex)) : all;
  const cov = coverage(connectionSpans(opened), lifeStart, lifeEnd, minGap);

  const decoded = mod ? protocolMessages(mod, all) : null;
  const msg = decoded ? { ...countMessages(d, steady), count: decoded.data } : countMessages(d, steady);
  const headerBytes = all.reduce((s, ex) => s + ex.requestHeaderBytes + ex.responseHeaderBytes, 0);
  const overhead = overheadPerMessage(all.length, headerBytes, msg.count);

  if (open.length > 0) {
    const longest = maxOf(openAtEndMs);
    const how = longest < 1000 ? 'opened just before the capture ended' : `open ≥ ${seconds(longest)}`;
    evidence.push(`${open.length} request${open.length === 1 ? '' : 's'} still open at capture end (${how}); not counted as errors`);
  }
  if (errors > 0) evidence.push(`${errors} request${errors === 1 ? '' : 's'} failed, were aborted or got an HTTP error`);
  if (polling) evidence.push(...timeoutAnswers(ok, timeout));
  if (result.mode !== 'websocket') evidence.push(...gatewayTimeouts(all));
  if (reconnectCount > 0) {
    const shown = knownDelays.length
      ? `delays ${knownDelays.slice(0, 8).map(seconds).join(', ')}${knownDelays.length > 8 ? ', …' : ''}`
      : 'delays unknown: the exporter did not record when the connection before them ended';
    evidence.push(`${reconnectCount} reconnect${reconnectCount === 1 ? '' : 's'} (${fit.pattern}${describeFit(fit)}): ${shown}`);
  } else if (repollFit) {
    evidence.push(`re-polls ${repollFit.pattern === 'immediate' ? 'immediately' : seconds(repollMedian ?? 0)} after each answer (the loop itself; not counted as reconnects)`);
  }
  if (msg.note) evidence.push(msg.note);
  if (result.mode === 'stream' && steady.some(lifetimeUnknown)) {
    const note = 'the exporter recorded streams only up to their response headers (no body, no receive time), so how long they stayed open is unknown; each is taken as open until the next one opened';
    evidence.push(note);
    warnings.push(note);
  }

  const dropped = droppedInFlight(ctx, result.mode, lifeEnd, open.length, interval ?? (holds.length ? median(holds) : null));
  if (dropped) {
    warnings.push(dropped);
    evidence.push(dropped);
  }

  const facts: DeclaredFact[] = [];
  if (msg.retryMs !== null) {
    facts.push({ key: 'sseRetryMs', valueMs: msg.retryMs, source: 'SSE retry: field', fact: 'SSE reconnect delay', observe: 'median-reconnect', slackMs: 250 });
  }
  const declared: Record<string, unknown> = msg.retryMs !== null ? { sseRetryMs: msg.retryMs } : {};
  let declaredVsObserved: DeclaredCheck[] = [];
  let sessions: SessionReport[] | undefined;
  if (d.protocol && mod) {
    const p = d.protocol;
    evidence.unshift(`protocol ${protocolName(p)}: ${p.evidence.join('; ')}`);
    // A WebSocket opened as an upgrade was announced by the polling handshake before it.
    const announced = d.upgradeFrom ? [...d.upgradeFrom.members.map((m) => m.ex), ...all] : all;
    facts.push(...(mod.declared?.(announced) ?? []));
    const spans = roles.sessions ?? [];
    if (mod.sessionOf && spans.length > 0) {
      sessions = spans.map((s, i) => ({
        id: `s${i + 1}`,
        start: new Date(s.exchanges[0]!.start).toISOString(),
        end: new Date(maxOf(s.exchanges.map(effectiveEnd))).toISOString(),
        requests: s.exchanges.length,
        opened: s.opened,
        delayMs: s.delayMs === null ? null : Math.round(s.delayMs),
        failedAttempts: s.failedAttempts,
        rotations: s.rotations,
      }));
      const rotations = spans.reduce((n, s) => n + s.rotations, 0);
      evidence.push(`${spans.length} ${p.module.meta.name} session${spans.length === 1 ? '' : 's'}${rotations ? `; ${rotations} stream rotation${rotations === 1 ? '' : 's'} on the same session (not reconnects)` : ''}`);
    }
    const observed: ObservedFigures = {
      timeout: timeout,
      'max-hold': polling && holds.length ? maxOf(holds) : null,
      heartbeat: heartbeatInterval(mod, spans.length ? spans.map((s) => s.exchanges) : [all]),
      repoll: repollMedian,
      'first-reconnect': knownDelays.length ? knownDelays[0]! : null,
      'max-reconnect': knownDelays.length ? maxOf(knownDelays) : null,
      'median-reconnect': knownDelays.length ? median(knownDelays) : null,
    };
    declaredVsObserved = checkDeclared(facts, observed);
    for (const f of facts) if (!(f.key in declared) && declaredVsObserved.some((c) => c.source === f.source)) declared[f.key] = f.valueMs;
    Object.assign(declared, mod.declaredInfo?.(announced) ?? {});
    evidence.push(...(mod.remarks?.(all) ?? []));
    for (const c of declaredVsObserved) if (c.agrees === false) evidence.push(`${c.fact}: ${c.source} says ${seconds(c.declaredMs)} but the capture shows ${seconds(c.observedMs ?? 0)}`);
  } else {
    declaredVsObserved = checkDeclared(facts, {
      timeout, 'max-hold': null, heartbeat: null, repoll: repollMedian,
      'first-reconnect': knownDelays[0] ?? null, 'max-reconnect': knownDelays.length ? maxOf(knownDelays) : null,
      'median-reconnect': knownDelays.length ? median(knownDelays) : null,
    });
  }

  return {
    id,
    endpoint: withoutSessionIds(d.candidate.endpoint.display, roles.sessions ?? []),
    mode: result.mode,
    carrier: result.carrier,
    protocol: d.protocol?.module.meta.id ?? 'none',
    protocolVersion: d.protocol?.version ?? null,
    label: protocolLabel(d),
    confidence: Math.round(result.confidence * 100) / 100,
    evidence,
    // The loop's own requests; setup and teardown show in phases.
    requests: steady.length,
    errors,
    pendingAtEnd: open.length,
    holdMs: roundDist(holdDistribution(holds)),
    timeoutMs: timeout === null ? null : Math.round(timeout),
    pollIntervalMs: interval === null ? null : Math.round(interval),
    repollDelayMs: repollMedian === null ? null : { median: Math.round(repollMedian), max: Math.round(maxOf(repolls)) },
    reconnect: { pattern: fit.pattern, count: reconnectCount, delaysMs: knownDelays.map((x) => Math.round(x)) },
    coverage: Math.round(cov.coverage * 1000) / 1000,
    gaps: cov.gaps.map((g) => ({ start: new Date(g.start).toISOString(), durationMs: Math.round(g.durationMs) })),
    messages: msg.count,
    declared,
    phases: phasesOf(roles, d),
    overhead: msg.count === null ? null : {
      requestsPerMessage: round2(overhead.requestsPerMessage),
      headerBytesPerMessage: overhead.headerBytesPerMessage === null ? null : Math.round(overhead.headerBytesPerMessage),
    },
    openAtEndMs,
    warnings,
    declaredVsObserved,
    ...(sessions ? { sessions } : {}),
    ...(loops.length > 1 ? { loops: loops.length } : {}),
    ...(decoded ? { messageTypes: decoded } : {}),
    ...(d.protocol ? { sends: d.sends?.length ?? 0 } : {}),
  };
}

/** "Socket.IO 4 over XHR long-polling → WebSocket", "Bayeux 1.0 (Faye) over JSONP long-polling". */
export function protocolLabel(d: Draft): string {
  const base = labelFor(d);
  const p = d.protocol;
  if (!p) return base;
  const name = protocolName(p);
  if (d.upgradeTo) return `${name} over ${base} → WebSocket`;
  if (d.upgradeFrom) return `${name} over WebSocket (upgraded from polling)`;
  // A protocol named for its transport ("GraphQL over SSE") is not said to go over it twice.
  if (/ over /.test(p.module.meta.name)) return d.result.mode === 'websocket' ? name : `${name} via ${base}`;
  return `${name} over ${base}`;
}

/**
 * What the 408 answers of a polling channel say: the server's timeout answers (see TIMEOUT_ANSWER_MS), and the ones
 * the page never saw. Chromium sends a request again by itself when a kept-alive connection answers it 408 (it takes
 * that for the server closing an idle connection), so the entry of the new attempt starts with the first one's hold
 * spent before it was sent (DevTools writes it as blocked, Playwright as ssl).
 */
function timeoutAnswers(ok: readonly Exchange[], timeout: number | null): string[] {
  const answered = ok.filter((ex) => ex.status === 408).length;
  if (answered === 0) return [];
  const lines = [`${answered} answer${answered === 1 ? ' was' : 's were'} 408 Request Timeout after the server held ${answered === 1 ? 'it' : 'them'}: its timeout answer, not counted as an error`];
  if (timeout === null) return lines;
  const band = clusterBand(timeout);
  const resent = ok.filter((ex) => Math.abs(unsentMs(ex) - timeout) <= band).length;
  if (resent > 0) {
    lines.push(
      `${resent} more timeout${resent === 1 ? '' : 's'} the page never saw: ${resent === 1 ? 'a request' : 'requests'} spent ≈ ${seconds(timeout)} before ${resent === 1 ? 'it was' : 'they were'} sent, as when Chromium sends a request again on a new connection after a 408 on a kept-alive one`,
    );
  }
  return lines;
}

/** What a proxy or gateway answers when the server behind it took too long: 504 Gateway Timeout, Cloudflare's 524. */
const GATEWAY_TIMEOUTS: ReadonlySet<number> = new Set([504, 524]);

/**
 * Gateway timeouts at one hold: a proxy in front of the server whose read timeout is shorter than the server's hold
 * (nginx's proxy_read_timeout, a load balancer's idle timeout). Their holds vary when the server itself failed.
 */
function gatewayTimeouts(all: readonly Exchange[]): string[] {
  const answered = all.filter((ex) => GATEWAY_TIMEOUTS.has(ex.status) && ex.state === 'complete');
  const holds = answered.map(serverHold).filter((h) => h >= 1000);
  const cluster = holds.length === 1 ? holds : densestCluster(holds);
  if (!cluster || (holds.length > 1 && cluster.length < 2)) return [];
  const at = seconds(median(cluster));
  const codes = [...new Set(answered.map((ex) => ex.status))].sort().join(' or ');
  const n = cluster.length;
  return [
    `${n} answer${n === 1 ? ' was' : 's were'} ${codes} (gateway timeout) after ≈ ${at}: a proxy in front of the server gave up first, its read timeout (≈ ${at}) shorter than the server's hold`,
  ];
}

/**
 * When each connection was open. An HTTP stream whose end the exporter never learnt (lifetimeUnknown: Playwright
 * writes a finished fetch stream as aborted at its headers) is taken as open until the next connection opened: the
 * capture does not show a gap there, and a gap it cannot show is not reported. (A WebSocket that fell silent is read
 * as closed at its last frame by settle.ts: a server that went away.)
 */
function connectionSpans(exs: readonly Exchange[]): { start: number; end: number }[] {
  const spans = exs.map((ex) => ({ start: ex.start, end: effectiveEnd(ex) }));
  // Starts in order, so the next start after each is one search away (a long capture has thousands of streams).
  const starts = spans.map((s) => s.start).sort((a, b) => a - b);
  for (let i = 0; i < exs.length; i += 1) {
    const ex = exs[i]!;
    if (ex.status === 101 || !lifetimeUnknown(ex)) continue;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ex.start) lo = mid + 1;
      else hi = mid;
    }
    const next = starts[lo];
    if (next !== undefined && next > spans[i]!.end) spans[i]!.end = next;
  }
  return spans;
}

/**
 * Where several clients of the channel reconnected side by side, the known delays of the one that reconnected most:
 * each backs off on its own, so their delays are fitted one client at a time, not merged in time order. Null with one.
 */
function busiestLane(roles: Roles): number[] | null {
  const lanes = (roles.reconnectLanes ?? []).map((l) => l.filter((x): x is number => x !== null)).filter((l) => l.length > 0);
  if (lanes.length < 2) return null;
  return lanes.reduce((best, l) => (l.length > best.length ? l : best));
}

/** The polling loops of a channel's steady requests, each in start order: one, unless classify found several. */
function loopsOf(steady: readonly Exchange[], loops: number): Exchange[][] {
  if (loops < 2) return [[...steady]];
  const lanes = concurrentLanes(steady.map((ex) => ({ start: ex.start, end: effectiveEnd(ex) })));
  return lanes.map((lane) => lane.map((k) => steady[k]!));
}

/** Open when the capture stopped: the reader says so, or a WebSocket that never closed lasts to the very end. */
export function isOpenAtEnd(ex: Exchange, captureEnd: number): boolean {
  if (ex.state === 'open') return true;
  if (ex.status === 101 && ex.wsFrames && !ex.wsFrames.some((f) => f.opcode === 8)) return effectiveEnd(ex) >= captureEnd - 1;
  return false;
}


/** A server that ends every stream after the same time: the lifetime most completed streams share (±10%). */
export function streamTimeout(lifetimes: readonly number[]): number | null {
  if (lifetimes.length === 0) return null;
  const m = median(lifetimes);
  if (m < 1000) return null;
  const near = lifetimes.filter((x) => Math.abs(x - m) <= 0.1 * m).length;
  return near >= Math.max(1, lifetimes.length * 0.6) ? m : null;
}

function describeFit(fit: ReturnType<typeof fitBackoff>): string {
  if (fit.pattern === 'fixed' && fit.baseMs !== undefined) return ` ≈ ${seconds(fit.baseMs)}`;
  if (fit.pattern === 'linear' && fit.stepMs !== undefined) return `, +${seconds(fit.stepMs)} each time`;
  if (fit.pattern === 'exponential' && fit.factor !== undefined) return `, ×${Math.round(fit.factor * 10) / 10} each time${fit.capped ? ' up to a cap' : ''}`;
  return '';
}

interface MessageCount {
  count: number | null;
  retryMs: number | null;
  note: string | null;
}

/** Messages where the capture shows them: frames, SSE events, script chunks, lines, parts, or data-carrying answers. */
function countMessages(d: Draft, steady: Exchange[]): MessageCount {
  const mode = d.result.mode;
  if (mode === 'websocket') {
    const frames = steady.flatMap((ex) => ex.wsFrames ?? []);
    if (!steady.some((ex) => ex.wsFrames !== null)) return { count: null, retryMs: null, note: null };
    const c = countWsFrames(frames);
    return { count: c.received, retryMs: null, note: null };
  }
  if (mode === 'stream') {
    let count = 0;
    let seen = false;
    let retryMs: number | null = null;
    for (const ex of steady) {
      if (ex.sseEvents && ex.sseEvents.length > 0) {
        count += ex.sseEvents.length;
        seen = true;
        continue;
      }
      const body = ex.responseBody;
      if (body === null || body === '') continue;
      seen = true;
      switch (d.result.streamKind) {
        case 'sse': {
          const s = countSseEvents(body);
          count += s.events;
          if (s.retryMs !== null) retryMs = s.retryMs;
          break;
        }
        case 'forever-frame':
          count += countScriptChunks(body);
          break;
        case 'multipart': {
          const ct = headerValue(ex.responseHeaders, 'content-type') ?? '';
          const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1] ?? null;
          count += countMultipartParts(body, boundary);
          break;
        }
        default:
          count += countLines(body);
      }
    }
    if (!seen) return { count: null, retryMs: null, note: 'the exporter kept no body, so messages cannot be counted' };
    return { count, retryMs, note: retryMs !== null ? `server asked for retry: ${retryMs} ms` : null };
  }
  // Polling: an answer that carries data delivers (at least) one message; error answers deliver none.
  const known = steady.filter((ex) => !isErrorExchange(ex)).map(isEmptyAnswer).filter((e) => e !== null);
  if (known.length === 0) return { count: null, retryMs: null, note: null };
  return { count: known.filter((e) => e === false).length, retryMs: null, note: null };
}

/**
 * chrome-har (and Puppeteer tools built on it) writes only finished requests, so a long-poll or stream that was
 * still open when the capture ended is missing: the channel then seems to stop early.
 */
function droppedInFlight(ctx: MeasureContext, mode: Mode, lastActivity: number, openCount: number, cycle: number | null): string | null {
  if (ctx.exporter !== 'chrome-har' || openCount > 0) return null;
  if (mode === 'long-poll') {
    // A long-poll client re-polls after every answer, so at capture end one poll was in flight; chrome-har left it out.
    return 'no poll is open at capture end although the client re-polls after every answer: chrome-har drops requests still in flight, so the last poll is probably missing (the channel had not stopped)';
  }
  const silence = ctx.captureEnd - lastActivity;
  if (silence <= Math.max(5000, 2 * (cycle ?? 0))) return null;
  return `the channel's activity stops ${seconds(silence)} before the capture ends; chrome-har drops requests still in flight, so the channel was probably still active (not stopped)`;
}

function phasesOf(roles: Roles, d: Draft): Phase[] {
  const phases: Phase[] = [];
  let cur: { kind: PhaseKind; start: number; end: number; requests: number } | null = null;
  roles.exchanges.forEach((ex, i) => {
    const kind = roles.phaseOf[i]!;
    if (cur && cur.kind === kind) {
      cur.requests++;
      cur.end = Math.max(cur.end, effectiveEnd(ex));
    } else {
      if (cur) phases.push(toPhase(cur));
      cur = { kind, start: ex.start, end: effectiveEnd(ex), requests: 1 };
    }
  });
  if (cur) phases.push(toPhase(cur));
  // An upgrade with no poll after it still marks the moment the channel moved to its WebSocket.
  if (d.upgradeAt !== null && !roles.phaseOf.includes('upgrade')) {
    const at = new Date(d.upgradeAt).toISOString();
    phases.push({ kind: 'upgrade', start: at, end: at, requests: 0 });
    phases.sort((a, b) => a.start.localeCompare(b.start));
  }
  return phases;
}

function toPhase(p: { kind: PhaseKind; start: number; end: number; requests: number }): Phase {
  return { kind: p.kind, start: new Date(p.start).toISOString(), end: new Date(p.end).toISOString(), requests: p.requests };
}

function roundDist(d: Distribution | null): Distribution | null {
  if (!d) return null;
  return { min: Math.round(d.min), median: Math.round(d.median), p95: Math.round(d.p95), max: Math.round(d.max) };
}

function round2(x: number | null): number | null {
  return x === null ? null : Math.round(x * 100) / 100;
}

/** A protocol with its version and flavour. A version that is a name (graphql-ws's subprotocol) goes in brackets. */
function protocolName(p: NonNullable<Draft['protocol']>): string {
  const version = p.version ? (/^\d/.test(p.version) ? ` ${p.version}` : ` (${p.version})`) : '';
  return `${p.module.meta.name}${version}${p.flavour ? ` (${p.flavour})` : ''}`;
}

/** Human words for mode + carrier. */
export function labelFor(d: Draft): string {
  const { mode, carrier, carrierDetail, streamKind } = d.result;
  const via = carrierDetail === 'fetch' ? 'fetch' : 'XHR';
  switch (mode) {
    case 'websocket':
      return 'WebSocket';
    case 'long-poll':
      return carrier === 'script' ? 'JSONP long-polling' : carrier === 'iframe' ? 'iframe long-polling' : carrier === 'xhr' ? `${via} long-polling` : 'long-polling';
    case 'short-poll':
      return carrier === 'script' ? 'JSONP polling' : carrier === 'iframe' ? 'iframe polling' : carrier === 'xhr' ? `${via} short polling` : 'short polling';
    case 'stream':
      if (carrier === 'eventsource') return 'Server-Sent Events';
      if (carrier === 'iframe') return 'iframe streaming';
      if (streamKind === 'multipart') return 'multipart/x-mixed-replace streaming';
      if (carrier === 'xhr') return streamKind === 'sse' ? `${via} streaming (text/event-stream)` : `${via} streaming`;
      return 'HTTP streaming';
  }
}

/**
 * The endpoint with the protocol's session ids taken out. The templater hides path segments that look random, but a
 * SockJS session id of eight letters (`/echo/617/gifkromi/websocket`) looks like a word to it; a session id is a
 * secret whatever it looks like (anyone holding it can send into the session).
 */
function withoutSessionIds(display: string, sessions: readonly { key: string | null }[]): string {
  let out = display;
  for (const s of sessions) {
    if (s.key === null || s.key.length < 4) continue;
    out = out.split(`/${s.key}/`).join('/{id}/');
    if (out.endsWith(`/${s.key}`)) out = `${out.slice(0, -s.key.length)}{id}`;
  }
  return out;
}
