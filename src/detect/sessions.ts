// Phases for a channel whose protocol names its sessions. A reconnect is a new session (new sid, clientId,
// connectionToken, SockJS session) or a new attempt to open one (a handshake after the session was lost, even one
// that fails), or a retry after an error inside a session. Re-polls and stream rotation on one session are not.
import type { Exchange, PhaseKind } from '../model.js';
import type { ProtocolModule } from '../protocols/types.js';
import type { Draft } from './draft.js';
import type { Roles } from './roles.js';
import { effectiveEnd, endedBy, isErrorExchange, lifetimeUnknown } from './util.js';

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
  const steadyKind: PhaseKind = d.result.mode === 'stream' || d.result.mode === 'websocket' ? 'stream' : 'poll';
  const websocket = d.result.mode === 'websocket';
  const exchanges: Exchange[] = [];
  const phaseOf: PhaseKind[] = [];
  const reconnectDelays: (number | null)[] = [];
  const sessions: SessionSpan[] = [];
  let cur = null as SessionSpan | null;
  /** A successful sessionless setup (SockJS /info) whose session opens with the next request. */
  let pendingOk = false;
  let failedSince = 0;
  let lastEnd: number | null = null;
  let lastEndUnknown = false;
  let prev: Exchange | null = null;

  for (const m of d.members) {
    const ex = m.ex;
    exchanges.push(ex);
    const key = mod.sessionOf?.(ex) ?? null;
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
      if (before) reconnectDelays.push(delay);
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
  }
  // Failed attempts with nothing after them (the server never came back) belong to no session.
  return { exchanges, phaseOf, reconnectDelays, sessions: sessions.filter((s) => s.exchanges.length > 0) };
}
