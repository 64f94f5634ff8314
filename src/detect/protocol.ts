// Names each draft's protocol and gives it the protocol's requests that detection left aside: handshakes and
// subscribes that sit on the same URL as the loop (setup), disconnects (teardown), and send requests.
import type { Exchange } from '../model.js';
import { identifyProtocol, recognised } from '../protocols/index.js';
import type { Draft } from './draft.js';
import { endpointOfOther, type Candidate, type Grouping } from './group.js';
import type { Classification } from './classify.js';
import { carrierOf } from './features.js';
import { sessionLanes } from './sessions.js';
import { amend, effectiveEnd } from './util.js';
import { maxOf } from '../measure/stats.js';

const WINDOW_MS = 60_000;

export function applyProtocols(drafts: Draft[], leftovers: Grouping['others']): void {
  for (const d of drafts) {
    d.protocol = identifyProtocol(d.members.map((m) => m.ex));
    d.sends = [];
  }
  const speaking = drafts.filter((d) => d.protocol);
  if (speaking.length === 0) return;
  const sessionsOf = new Map<Draft, Set<string>>();
  for (const d of speaking) {
    const mod = d.protocol!.module;
    sessionsOf.set(d, new Set(d.members.map((m) => mod.sessionOf?.(m.ex) ?? null).filter((k): k is string => k !== null)));
  }
  for (const o of leftovers) {
    // Page assets stay out; protocol send requests were set aside on purpose and are claimed here.
    if (o.excluded && !o.excluded.endsWith('send request')) continue;
    const ex = o.ex;
    const endpoint = endpointOfOther(o);
    let best: { d: Draft; score: number } | null = null;
    for (const d of speaking) {
      if (d.candidate.input !== ex.input || d.candidate.endpoint.host !== endpoint.host) continue;
      const mod = d.protocol!.module;
      const r = recognised(mod, ex);
      if (!r || r.score < 0.5) continue;
      const first = d.members[0]!.ex.start;
      const last = maxOf(d.members.map((m) => effectiveEnd(m.ex)));
      const distance = ex.start < first ? first - ex.start : ex.start > last ? ex.start - last : 0;
      if (distance > WINDOW_MS) continue;
      const key = mod.sessionOf?.(ex) ?? null;
      // Same session first, then the nearest in time; polling channels before their upgrade's WebSocket.
      const score = (key !== null && sessionsOf.get(d)!.has(key) ? 0 : 1e9) + distance + (d.result.mode === 'websocket' ? 1 : 0);
      if (!best || score < best.score) best = { d, score };
    }
    if (!best) continue;
    const role = best.d.protocol!.module.roleOf?.(ex) ?? null;
    if (role === 'send') best.d.sends!.push(ex);
    else if (role === 'setup' || role === 'teardown') {
      best.d.members.push({ ex, role });
      best.d.notes.push(`${best.d.protocol!.module.meta.name} ${role} request ${endpoint.display}`);
    }
  }
  const at = (m: Draft['members'][number]): number => (m.role === 'setup' ? m.ex.start - (m.ex.method.toUpperCase() === 'OPTIONS' ? 1000 : 0.5) : m.ex.start);
  for (const d of speaking) d.members.sort((a, b) => at(a) - at(b) || a.ex.index - b.ex.index);
  for (const d of speaking) dedupeNotes(d);
}

/** Many identical "setup request" notes say no more than one with a count. */
function dedupeNotes(d: Draft): void {
  const counts = new Map<string, number>();
  for (const n of d.notes) counts.set(n, (counts.get(n) ?? 0) + 1);
  d.notes = [...counts.entries()].map(([n, c]) => (c > 1 ? `${n} (×${c})` : n));
}

export function exchangesOf(d: Draft): Exchange[] {
  return d.members.map((m) => m.ex);
}

/**
 * A request that a protocol defines as a stream (SockJS htmlfile / xhr_streaming / eventsource) is one even when
 * the exporter wrote only its headers: Playwright saves a still-loading iframe document with a 7 ms "time", no body
 * and no receive time. Generic detection cannot tell that from a short page; the protocol can.
 */
export function protocolStreamVerdict(c: Candidate, captureEnd: number): { result: Classification; exchanges: Exchange[] } | null {
  const f = identifyProtocol(c.exchanges);
  if (!f || !f.module.roleOf || c.websocket) return null;
  if (!c.exchanges.every((ex) => f.module.roleOf!(ex) === 'stream')) return null;
  const guess = carrierOf(c.exchanges[0]!, c.endpoint);
  const exchanges = c.exchanges.map((ex, i) => {
    const last = i === c.exchanges.length - 1;
    const headersOnly = ex.state === 'complete' && ex.status > 0 && ex.timings.receive === null && !ex.responseBody;
    return last && headersOnly ? amend(ex, { state: 'open', end: Math.max(ex.end, captureEnd), duration: Math.max(ex.end, captureEnd) - ex.start }) : ex;
  });
  const carrier = guess.carrier;
  return {
    exchanges,
    result: {
      mode: 'stream',
      carrier,
      carrierDetail: guess.detail,
      streamKind: carrier === 'iframe' ? 'forever-frame' : carrier === 'eventsource' ? 'sse' : 'progressive',
      confidence: Math.round(f.confidence * 0.9 * 100) / 100,
      evidence: [`${f.module.meta.name} defines this transport as a stream (${f.evidence[0]})`, `carrier ${carrier}: ${guess.reason}`],
    },
  };
}

/**
 * A poll that has no rhythm as a whole because clients ran it side by side, each in its own protocol session, and
 * each in its own way: CometD holds one /meta/connect per browser, so a second tab polls every 2 s beside the first
 * tab's long-poll. Split by session into one candidate per client (a lane of sessions one after another), each
 * classified on its own. Null when the protocol names no sessions or they ran one at a time.
 */
export function protocolSessionSplit(c: Candidate): Candidate[] | null {
  if (c.websocket) return null;
  const mod = identifyProtocol(c.exchanges)?.module;
  if (!mod?.sessionOf) return null;
  const keys = c.exchanges.map((ex) => mod.sessionOf!(ex));
  const lanes = sessionLanes(c.exchanges.map((ex) => ({ ex })), keys);
  if (lanes === null) return null;
  return lanes.map((lane, i) => ({ ...c, key: `${c.key} client ${i + 1}`, exchanges: lane.map((k) => c.exchanges[k]!) }));
}
