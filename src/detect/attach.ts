// Attaches the requests around a channel's loop to it: the handshake / bootstrap page before it (setup), the
// disconnect after it (teardown), and links a polling channel to the WebSocket it upgraded to.
import type { Exchange } from '../model.js';
import type { EndpointTemplate } from './endpoint.js';
import { endpointOf } from './endpoint.js';
import type { Draft, Member } from './draft.js';
import { endpointOfOther, type Grouping } from './group.js';
import { effectiveEnd, seconds, socketNeverOpened } from './util.js';
import { maxOf } from '../measure/stats.js';

/** Last path segments of handshakes: whole words, or words inside (`buildconnection`, `getloginresult.do`). */
const SETUP_WORDS = /^(info|start|join|open|init|initialize|token)(\.[a-z]+)?$|handshake|negotiate|connect|login|session|create-push-id|bootstrap/;
const TEARDOWN_WORDS = /^(disconnect|close|abort|logout|terminate|leave|unsubscribe|stop|end|destroy)(\.[a-z]+)?$/;
/** Setup must come shortly before the loop it prepares; teardown shortly after. */
const WINDOW_MS = 60_000;

function sameHost(a: EndpointTemplate, b: EndpointTemplate): boolean {
  return a.host !== '' && a.host === b.host;
}

/** The other request lives in the same directory as the channel (or above it): `/signalr/negotiate` → `/signalr/poll`. */
function dirPrefix(other: EndpointTemplate, channel: EndpointTemplate): boolean {
  const dir = other.segments.slice(0, -1);
  return dir.every((s, i) => channel.segments[i] === s);
}

function lastWord(ep: EndpointTemplate): string {
  return ep.segments[ep.segments.length - 1] ?? '';
}

/** Returns the exchanges it attached. */
export function attachNeighbours(drafts: Draft[], others: Grouping['others']): Set<Exchange> {
  const firstOfPage = new Set<number>();
  const seenPage = new Set<string>();
  // The page's own document is never a comet bootstrap: the first document of each page (or of the capture).
  for (const o of [...others].sort((a, b) => a.ex.start - b.ex.start)) {
    if (o.ex.mimeType !== 'text/html' && o.ex.resourceType !== 'document') continue;
    const page = o.ex.pageref ?? `input ${o.ex.input}`;
    if (!seenPage.has(page)) {
      seenPage.add(page);
      firstOfPage.add(o.ex.index);
    }
  }
  const used = new Set<Exchange>();
  for (const o of others) {
    if (o.excluded) continue;
    const ex = o.ex;
    const endpoint = endpointOfOther(o);
    let best: { draft: Draft; role: 'setup' | 'teardown'; distance: number; note: string } | null = null;
    for (const d of drafts) {
      if (d.candidate.input !== ex.input) continue;
      const ep = d.candidate.endpoint;
      if (!sameHost(endpoint, ep)) continue;
      const first = d.candidate.exchanges[0]!;
      const last = d.candidate.exchanges[d.candidate.exchanges.length - 1]!;
      const before = first.start - ex.start;
      const after = ex.start - effectiveEnd(last);
      const method = ex.method.toUpperCase();
      let role: 'setup' | 'teardown' | null = null;
      let note = '';
      if (method === 'OPTIONS' && before >= -1000 && before <= WINDOW_MS && endpoint.path === ep.path) {
        // Chrome logs the preflight beside the request it guards, sometimes a moment after it.
        role = 'setup';
        note = 'CORS preflight (OPTIONS) before the first request';
      } else if (before >= 0 && before <= WINDOW_MS) {
        if (method === 'OPTIONS') {
          role = null;
        } else if (SETUP_WORDS.test(lastWord(endpoint)) && dirPrefix(endpoint, ep)) {
          role = 'setup';
          note = `setup request ${endpoint.display} ${seconds(before)} before the loop`;
        } else if (ex.mimeType === 'text/html' && (ex.resourceType === 'document' || ex.resourceType === null) && !firstOfPage.has(ex.index) && before <= 10_000) {
          role = 'setup';
          note = `text/html bootstrap page on the same host ${seconds(before)} before the loop (comet iframe)`;
        }
      } else if (ex.start >= last.start && after <= WINDOW_MS && method !== 'OPTIONS') {
        if ((method === 'DELETE' && endpoint.path === ep.path) || (TEARDOWN_WORDS.test(lastWord(endpoint)) && dirPrefix(endpoint, ep))) {
          role = 'teardown';
          note = `teardown request ${endpoint.display} after the loop`;
        }
      }
      if (!role) continue;
      const distance = role === 'setup' ? Math.abs(before) : Math.max(0, after);
      if (!best || distance < best.distance) best = { draft: d, role, distance, note };
    }
    if (best && !used.has(ex)) {
      used.add(ex);
      best.draft.members.push({ ex, role: best.role });
      best.draft.notes.push(best.note);
    }
  }
  // A preflight logged just after the request it guards still belongs before it.
  const at = (m: Draft['members'][number]): number => (m.role === 'setup' ? m.ex.start - 1000 : m.ex.start);
  for (const d of drafts) d.members.sort((a, b) => at(a) - at(b) || a.ex.index - b.ex.index);
  return used;
}

const HANDSHAKE_BODY = /^\s*(\d+:)?0\{"sid"|"\/meta\/handshake"|"connectionToken"\s*:|"connectionId"\s*:|^\s*\d+:0\{|^[\w$.]+\(\s*\{\s*"sid"/;

/**
 * The first request of a polling chain is its handshake when its answer looks like one (Engine.IO `0{"sid"…`,
 * Bayeux handshake, SignalR negotiate) or when it lacks the session id every later request carries.
 */
export function markInGroupSetup(d: Draft): void {
  if (d.result.mode === 'websocket') return;
  const steady = d.members.filter((m) => m.role === null);
  if (steady.length < 2) return;
  const first = steady[0]!;
  const body = first.ex.responseBody ?? '';
  const firstSession = endpointOf(first.ex.method, first.ex.url).sessionParams;
  if (HANDSHAKE_BODY.test(body) || laterGainSession(steady.slice(1), firstSession)) {
    first.role = 'setup';
    d.notes.push(
      HANDSHAKE_BODY.test(body)
        ? 'the first request is a handshake (its answer opens a session)'
        : 'the first request carries no session id and later ones do: it is the handshake',
    );
  }
}

/**
 * Whether at least half of the later requests carry a session param the first one lacks. Each answer makes an
 * endpoint (a parsed and templated URL), so the count stops as soon as it is settled either way: a long capture's
 * polling chain has hundreds of thousands of requests.
 */
function laterGainSession(later: readonly Member[], firstSession: readonly string[]): boolean {
  if (later.length === 0) return false;
  const need = later.length / 2;
  let gained = 0;
  for (let i = 0; i < later.length; i += 1) {
    if (gained >= need) return true;
    if (gained + (later.length - i) < need) return false;
    const m = later[i]!;
    if (endpointOf(m.ex.method, m.ex.url).sessionParams.some((name) => !firstSession.includes(name))) gained += 1;
  }
  return gained >= need;
}

/** Engine.IO and friends start on polling and move to a WebSocket on the same path; link the two channels. */
export function linkUpgrades(drafts: Draft[]): void {
  const polling = drafts.filter(isPolling);
  const sockets = drafts.filter((d) => d.result.mode === 'websocket');
  for (const p of polling) {
    const pe = p.candidate.endpoint;
    const pFirst = p.candidate.exchanges[0]!.start;
    const pLast = maxOf(p.candidate.exchanges.map(effectiveEnd));
    for (const w of sockets) {
      if (w.upgradeFrom || w.upgradeFailedOf || w.candidate.input !== p.candidate.input) continue;
      const we = w.candidate.endpoint;
      if (we.host !== pe.host || we.path !== pe.path) continue;
      const wStart = w.candidate.exchanges[0]!.start;
      if (wStart < pFirst || wStart > pLast + 10_000) continue;
      // A WebSocket that never connected upgraded nothing: the client tried, and stayed on polling.
      if (neverConnected(w)) {
        w.upgradeFailedOf = p;
        p.upgradeFailed.push(w);
        continue;
      }
      p.upgradeTo = w;
      w.upgradeFrom = p;
      p.upgradeAt = wStart;
      break;
    }
  }
}

function isPolling(d: Draft): boolean {
  return d.result.mode === 'long-poll' || d.result.mode === 'short-poll' || d.result.mode === 'stream';
}

/** A WebSocket channel none of whose handshakes was answered: every attempt failed. */
function neverConnected(d: Draft): boolean {
  return d.result.mode === 'websocket' && d.candidate.exchanges.every(socketNeverOpened);
}

/** A fallback opens this soon after the failed WebSocket attempt. */
const FALLBACK_WITHIN_MS = 10_000;

/**
 * A client that tries a WebSocket first and falls back to polling or streaming when it fails (CometD, SockJS, a
 * proxy that blocks upgrades): links each WebSocket channel that never connected to the channels of the same host
 * and first path segment (`ws://h/cometd` → `/cometd/connect`) that began soon after one of its attempts.
 */
export function linkFallbacks(drafts: Draft[]): void {
  for (const w of drafts) {
    if (!neverConnected(w) || w.upgradeFailedOf) continue;
    const we = w.candidate.endpoint;
    const attempts = w.candidate.exchanges.map((ex) => ex.start);
    for (const p of drafts) {
      if (!isPolling(p) || p.candidate.input !== w.candidate.input) continue;
      const pe = p.candidate.endpoint;
      if (pe.host !== we.host || (pe.segments[0] ?? '') !== (we.segments[0] ?? '')) continue;
      const pStart = p.candidate.exchanges[0]!.start;
      if (!attempts.some((at) => pStart >= at && pStart - at <= FALLBACK_WITHIN_MS)) continue;
      w.fellBackTo.push(p);
      p.fellBackFrom ??= w;
    }
  }
}
