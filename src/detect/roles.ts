// Gives every exchange of a channel its phase: setup, poll/stream, reconnect, upgrade, teardown.
import type { Exchange, PhaseKind } from '../model.js';
import type { Draft } from './draft.js';
import { clientsSideBySide, effectiveEnd, ENDED_BY_MS, endedBy, isErrorExchange, lifetimeUnknown } from './util.js';
import { assignSessionRoles, type SessionSpan } from './sessions.js';
import { concurrentLanes } from '../measure/cadence.js';

export interface Roles {
  exchanges: Exchange[];
  phaseOf: PhaseKind[];
  /** Delay before each reconnect: from the failed/closed connection's end to the retry's start; null when that end is unknown. */
  reconnectDelays: (number | null)[];
  /** Protocol sessions, in order, when the channel's protocol names them. */
  sessions?: SessionSpan[];
  /**
   * Where the channel ran as several clients side by side (sessions in lanes, a poll started twice), each one's
   * reconnect delays, in order: each backs off on its own, and their delays merged in time order interleave two
   * sequences (two clients doubling 1 s, 2 s, 4 s read as ×1.4 up to a cap).
   */
  reconnectLanes?: (number | null)[][];
}

/**
 * A reconnect is a retry after something went wrong: an error, an abort, or (for streams and WebSockets) the
 * connection closing. A long-poll's plain re-request after a timeout answer is the loop working, not a reconnect.
 */
export function assignRoles(d: Draft): Roles {
  const mod = d.protocol?.module;
  // A protocol that names no session on any request here, and opened none (graphql-sse's distinct connections, one
  // stream per operation), has none to report: its requests come and go like any other channel's. Each socket of a
  // WebSocket channel still opens a session of its own, named or not, and so does each handshake, answered or not.
  const named = d.result.mode === 'websocket' || d.members.some((m) => mod?.sessionOf?.(m.ex) != null || mod?.roleOf?.(m.ex) === 'setup');
  if (mod?.sessionOf && named) return assignSessionRoles(d, mod);
  const steadyKind: PhaseKind = d.result.mode === 'stream' || d.result.mode === 'websocket' ? 'stream' : 'poll';
  const connectionMode = steadyKind === 'stream';
  const exchanges: Exchange[] = [];
  const phaseOf: PhaseKind[] = [];
  const reconnectDelays: (number | null)[] = [];
  const laneOf = connectionMode ? sideBySide(d) : duplicateLoops(d);
  const lastInLane = new Map<number, Exchange>();
  const laneDelays = new Map<number, (number | null)[]>();
  let prev: Exchange | null = null;
  for (const [i, m] of d.members.entries()) {
    exchanges.push(m.ex);
    if (m.role) {
      phaseOf.push(m.role);
      continue;
    }
    // With the same poll running twice, each loop retries after its own failures; each of two tabs' streams after
    // its own drops.
    const lane = laneOf?.get(i);
    if (lane !== undefined) prev = lastInLane.get(lane) ?? null;
    let role: PhaseKind = steadyKind;
    // A connection opened while the previous one is still open runs beside it; that is not a reconnect.
    const prevEnded = prev !== null && endedBy(effectiveEnd(prev), m.ex.start);
    if (prev && prevEnded && (connectionMode || isErrorExchange(prev))) {
      role = 'reconnect';
      const delay = lifetimeUnknown(prev) ? null : Math.max(0, m.ex.start - effectiveEnd(prev));
      reconnectDelays.push(delay);
      if (lane !== undefined) {
        const own = laneDelays.get(lane);
        if (own) own.push(delay);
        else laneDelays.set(lane, [delay]);
      }
    }
    if (d.upgradeAt !== null && m.ex.start >= d.upgradeAt) role = 'upgrade';
    phaseOf.push(role);
    if (lane !== undefined) lastInLane.set(lane, m.ex);
    else if (!prev || effectiveEnd(m.ex) >= effectiveEnd(prev)) prev = m.ex;
  }
  return { exchanges, phaseOf, reconnectDelays, ...(laneOf ? { reconnectLanes: [...laneDelays.values()] } : {}) };
}

/** Dozens of connections open at once are not tabs to follow one by one (and each would cost a pass over all). */
const MAX_CLIENTS = 32;

/**
 * For a stream or WebSocket channel whose connections came from clients side by side (two tabs on one SSE or
 * WebSocket endpoint: clientsSideBySide), the client each member belongs to; null otherwise. A new connection
 * replaces the connection that has been closed longest (within endedBy's tolerance) of those whose client has none
 * open: clients of one library retry alike, so the first to lose its connection is the first back; with none
 * closed, it is another client's. That is concurrentLanes' rule, with endedBy's tolerance.
 */
function sideBySide(d: Draft): Map<number, number> | null {
  const steady = d.members.map((m, i) => ({ m, i })).filter(({ m }) => !m.role);
  const spans = steady.map(({ m }) => ({ start: m.ex.start, end: Math.max(m.ex.start, effectiveEnd(m.ex)) }));
  if (!clientsSideBySide(spans, ENDED_BY_MS)) return null;
  const lanes = concurrentLanes(spans, ENDED_BY_MS, MAX_CLIENTS);
  if (lanes === null || lanes.length < 2) return null;
  const laneOf = new Map<number, number>();
  lanes.forEach((lane, l) => lane.forEach((k) => laneOf.set(steady[k]!.i, l)));
  return laneOf;
}

/**
 * For a polling channel whose loop classify found running more than once at a time, the loop each member belongs
 * to; null for everything else.
 */
function duplicateLoops(d: Draft): Map<number, number> | null {
  if ((d.result.loops ?? 1) < 2) return null;
  const steady = d.members.map((m, i) => ({ m, i })).filter(({ m }) => !m.role);
  const lanes = concurrentLanes(steady.map(({ m }) => ({ start: m.ex.start, end: effectiveEnd(m.ex) })));
  if (lanes.length < 2) return null;
  const laneOf = new Map<number, number>();
  lanes.forEach((lane, l) => lane.forEach((k) => laneOf.set(steady[k]!.i, l)));
  return laneOf;
}
