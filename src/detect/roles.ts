// Gives every exchange of a channel its phase: setup, poll/stream, reconnect, upgrade, teardown.
import type { Exchange, PhaseKind } from '../model.js';
import type { Draft } from './draft.js';
import { effectiveEnd, isErrorExchange, lifetimeUnknown } from './util.js';
import { assignSessionRoles, type SessionSpan } from './sessions.js';

export interface Roles {
  exchanges: Exchange[];
  phaseOf: PhaseKind[];
  /** Delay before each reconnect: from the failed/closed connection's end to the retry's start; null when that end is unknown. */
  reconnectDelays: (number | null)[];
  /** Protocol sessions, in order, when the channel's protocol names them. */
  sessions?: SessionSpan[];
}

/**
 * A reconnect is a retry after something went wrong: an error, an abort, or (for streams and WebSockets) the
 * connection closing. A long-poll's plain re-request after a timeout answer is the loop working, not a reconnect.
 */
export function assignRoles(d: Draft): Roles {
  const mod = d.protocol?.module;
  if (mod?.sessionOf) return assignSessionRoles(d, mod);
  const steadyKind: PhaseKind = d.result.mode === 'stream' || d.result.mode === 'websocket' ? 'stream' : 'poll';
  const connectionMode = steadyKind === 'stream';
  const exchanges: Exchange[] = [];
  const phaseOf: PhaseKind[] = [];
  const reconnectDelays: (number | null)[] = [];
  let prev: Exchange | null = null;
  for (const m of d.members) {
    exchanges.push(m.ex);
    if (m.role) {
      phaseOf.push(m.role);
      continue;
    }
    let role: PhaseKind = steadyKind;
    // A connection opened while the previous one is still open runs beside it; that is not a reconnect.
    const prevEnded = prev !== null && effectiveEnd(prev) <= m.ex.start + 500;
    if (prev && prevEnded && (connectionMode || isErrorExchange(prev))) {
      role = 'reconnect';
      reconnectDelays.push(lifetimeUnknown(prev) ? null : Math.max(0, m.ex.start - effectiveEnd(prev)));
    }
    if (d.upgradeAt !== null && m.ex.start >= d.upgradeAt) role = 'upgrade';
    phaseOf.push(role);
    if (!prev || effectiveEnd(m.ex) >= effectiveEnd(prev)) prev = m.ex;
  }
  return { exchanges, phaseOf, reconnectDelays };
}
