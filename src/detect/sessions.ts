// Phases for a channel whose protocol names its sessions. A reconnect is a new session (new sid, clientId,
// connectionToken, SockJS session) or a new attempt to open one (a handshake after the session was lost, even one
// that fails), or a retry after an error inside a session. Re-polls and stream rotation on one session are not.
import type { Exchange, PhaseKind } from '../model.js';
import type { ProtocolModule } from '../protocols/types.js';
import type { Draft } from './draft.js';
import type { Roles } from './roles.js';
import { clientsSideBySide, effectiveEnd, endedBy, isErrorExchange, lifetimeUnknown } from './util.js';

export interface SessionSpan {
  /** The protocol's session id (never reported: it is a secret). */
  key: string | null;
  exchanges: Exchange[];
  opened: 'first' | 'reconnect';
  delayMs: number | null;
  failedAttempts: number;
  rotations: number;
}

export function assignSessionRoles(d: Draft, mod: ProtocolModule): Roles {
  const keys = d.members.map((m) => mod.sessionOf?.(m.ex) ?? null);
  const lanes = sessionLanes(d.members, keys, d.result.mode === 'websocket');
  if (lanes === null) return laneRoles(d, d.members, keys, mod);
  // Sessions side by side: each lane is one client's chain of sessions, its reconnects its own.
  const phaseOf = new Array<PhaseKind>(d.members.length);
  const delays: { at: number; delay: number | null }[] = [];
  const sessions: SessionSpan[] = [];
  const reconnectLanes: (number | null)[][] = [];
  for (const lane of lanes) {
    const r = laneRoles(d, lane.map((i) => d.members[i]!), lane.map((i) => keys[i] ?? null), mod);
    lane.forEach((i, k) => (phaseOf[i] = r.phaseOf[k]!));
    r.reconnectAt.forEach((at, k) => delays.push({ at, delay: r.reconnectDelays[k] ?? null }));
    reconnectLanes.push(r.reconnectDelays);
    sessions.push(...r.sessions!);
  }
  delays.sort((a, b) => a.at - b.at);
  sessions.sort((a, b) => a.exchanges[0]!.start - b.exchanges[0]!.start);
  return { exchanges: d.members.map((m) => m.ex), phaseOf, reconnectDelays: delays.map((x) => x.delay), reconnectLanes, sessions };
}

/**
 * How long a session may still open requests after another one began and be taken for one that was lost and
 * replaced: a last send or close of the old session can trail the handshake of the new one.
 */
const REPLACED_WITHIN_MS = 1000;

/**
 * The members of each lane, in order, when sessions ran side by side (two tabs, two clients of one page): a session
 * that keeps opening requests after another one began runs beside it, where a lost session stops and is replaced.
 * Each key joins the lane whose last session stopped most recently before the key's first request, else a lane of
 * its own. A WebSocket session (`byEnd`) runs until its connection closes, not until its last request starts: a
 * second tab's socket opened while the first tab's is open runs beside it, and each tab's reconnects are its own.
 * Sockets make lanes only when they came from clients side by side (clientsSideBySide: a lone client's socket whose
 * close was written late does not), and a new one replaces the socket closed longest ago of those whose client has
 * none open: clients of one library retry alike, so the first to lose its socket is the first back.
 * A member without a key (a failed attempt, a sessionless setup) goes with the session that opens next, else with
 * the one before it (one pass each way: a long capture's channel has hundreds of thousands of members). Null when
 * one lane holds them all (the common case: one client, one session at a time).
 */
export function sessionLanes(members: readonly Pick<Draft['members'][number], 'ex'>[], keys: readonly (string | null)[], byEnd = false): number[][] | null {
  const spans = new Map<string, { first: number; last: number }>();
  members.forEach((m, i) => {
    const key = keys[i];
    if (key === null) return;
    const span = spans.get(key);
    // A socket whose close was not written (settle.ts silentSocket) lived at least to its last frame.
    const last = byEnd ? effectiveEnd(m.ex) : m.ex.start;
    if (!span) spans.set(key, { first: m.ex.start, last });
    else {
      span.first = Math.min(span.first, m.ex.start);
      span.last = Math.max(span.last, last);
    }
  });
  if (spans.size < 2) return null;
  const ordered = [...spans].sort((a, b) => a[1].first - b[1].first);
  if (byEnd && !clientsSideBySide(ordered.map(([, s]) => ({ start: s.first, end: s.last })), REPLACED_WITHIN_MS)) return null;
  const laneLast: number[] = [];
  const laneOfKey = new Map<string, number>();
  for (const [key, span] of ordered) {
    let best = -1;
    laneLast.forEach((last, lane) => {
      if (last <= span.first + REPLACED_WITHIN_MS && (best < 0 || (byEnd ? last < laneLast[best]! : last > laneLast[best]!))) best = lane;
    });
    if (best < 0) {
      best = laneLast.length;
      laneLast.push(span.last);
    } else laneLast[best] = Math.max(laneLast[best]!, span.last);
    laneOfKey.set(key, best);
  }
  if (laneLast.length < 2) return null;
  // A keyless member goes with the next member that opens a session (the first of its key), found walking backwards,
  // else with the keyed member before it.
  const seen = new Set<string>();
  const opens = keys.map((key) => {
    if (key === null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const laneOf = new Array<number>(members.length);
  let next = -1;
  for (let i = members.length - 1; i >= 0; i -= 1) {
    const key = keys[i];
    if (key === null) laneOf[i] = next;
    else {
      laneOf[i] = laneOfKey.get(key)!;
      if (opens[i]) next = laneOf[i]!;
    }
  }
  const lanes = laneLast.map((): number[] => []);
  let before = 0;
  for (let i = 0; i < members.length; i += 1) {
    if (keys[i] !== null) before = laneOf[i]!;
    else if (laneOf[i]! < 0) laneOf[i] = before;
    lanes[laneOf[i]!]!.push(i);
  }
  return lanes;
}

/** Phases and sessions of one client's members, in order: one session at a time. */
function laneRoles(d: Draft, members: Draft['members'], keys: readonly (string | null)[], mod: ProtocolModule): Roles & { reconnectAt: number[] } {
  const steadyKind: PhaseKind = d.result.mode === 'stream' || d.result.mode === 'websocket' ? 'stream' : 'poll';
  const websocket = d.result.mode === 'websocket';
  const exchanges: Exchange[] = [];
  const phaseOf: PhaseKind[] = [];
  const reconnectDelays: (number | null)[] = [];
  /** When each reconnect in reconnectDelays began (lanes are merged in time order). */
  const reconnectAt: number[] = [];
  const sessions: SessionSpan[] = [];
  let cur = null as SessionSpan | null;
  /** A successful sessionless setup (SockJS /info) whose session opens with the next request. */
  let pendingOk = false;
  let failedSince = 0;
  let lastEnd: number | null = null;
  let lastEndUnknown = false;
  let prev: Exchange | null = null;

  members.forEach((m, i) => {
    const ex = m.ex;
    exchanges.push(ex);
    const key = keys[i] ?? null;
    const prole = mod.roleOf?.(ex) ?? null;
    const isSetup = m.role === 'setup' || prole === 'setup';
    const newKey = key !== null && key !== cur?.key;
    const attempt = m.role !== 'teardown' && ((isSetup && (key === null || newKey)) || (newKey && !pendingOk) || (websocket && prev !== null && !newKey && key === null));
    // A WebSocket opened while an earlier one of the channel is still open runs beside it (another socket of the
    // page, another tab): a session of its own, not a retry of one that was lost.
    const beside = websocket && !lastEndUnknown && lastEnd !== null && !endedBy(lastEnd, ex.start);
    const before = (lastEnd !== null || lastEndUnknown) && !beside;
    let role: PhaseKind;
    if (attempt) {
      role = before ? 'reconnect' : m.role ?? (isSetup ? 'setup' : steadyKind);
      const delay = before && !lastEndUnknown && lastEnd !== null ? Math.max(0, ex.start - lastEnd) : null;
      if (before) {
        reconnectDelays.push(delay);
        reconnectAt.push(ex.start);
      }
      if (key !== null) {
        cur = { key, exchanges: [], opened: sessions.length && !beside ? 'reconnect' : 'first', delayMs: delay, failedAttempts: failedSince, rotations: 0 };
        sessions.push(cur);
        failedSince = 0;
        pendingOk = false;
      } else if (isErrorExchange(ex)) {
        failedSince++;
        pendingOk = false;
      } else if (ex.state !== 'complete') {
        // Still waiting for its answer when the capture stopped: an attempt with no outcome yet.
        pendingOk = false;
      } else {
        pendingOk = true;
        cur = { key: null, exchanges: [], opened: sessions.length ? 'reconnect' : 'first', delayMs: delay, failedAttempts: failedSince, rotations: 0 };
        sessions.push(cur);
        failedSince = 0;
      }
    } else {
      role = m.role ?? steadyKind;
      if (newKey && cur && cur.key === null) {
        // The session opened by the preceding setup now has its id.
        cur.key = key;
        pendingOk = false;
      } else if (newKey) {
        cur = { key, exchanges: [], opened: sessions.length ? 'reconnect' : 'first', delayMs: null, failedAttempts: failedSince, rotations: 0 };
        sessions.push(cur);
      } else if (prev && m.role === null && endedBy(effectiveEnd(prev), ex.start)) {
        if (isErrorExchange(prev)) {
          // A retry of the same session after an error (a new attempt was counted where it began).
          role = 'reconnect';
          reconnectDelays.push(lifetimeUnknown(prev) ? null : Math.max(0, ex.start - effectiveEnd(prev)));
          reconnectAt.push(ex.start);
        } else if ((steadyKind === 'stream' || prole === 'stream') && cur) {
          cur.rotations++;
        }
      }
    }
    if (role !== 'reconnect' && role !== 'setup' && role !== 'teardown' && d.upgradeAt !== null && ex.start >= d.upgradeAt) role = 'upgrade';
    if (!cur && !attempt) {
      cur = { key, exchanges: [], opened: 'first', delayMs: null, failedAttempts: 0, rotations: 0 };
      sessions.push(cur);
    }
    // A failed or unanswered attempt opened no session; it shows as a reconnect, not as a session.
    if (cur && !(attempt && key === null && !pendingOk)) cur.exchanges.push(ex);
    phaseOf.push(role);
    if (lifetimeUnknown(ex)) lastEndUnknown = true;
    else {
      lastEndUnknown = false;
      lastEnd = Math.max(lastEnd ?? -Infinity, effectiveEnd(ex));
    }
    // An attempt starts afresh: the error before it is what it retried, not something to retry again.
    if (attempt) prev = null;
    if (m.role === null && (!prev || effectiveEnd(ex) >= effectiveEnd(prev))) prev = ex;
  });
  // Failed attempts with nothing after them (the server never came back) belong to no session.
  return { exchanges, phaseOf, reconnectDelays, reconnectAt, sessions: sessions.filter((s) => s.exchanges.length > 0) };
}
