// Gives every exchange of a channel its phase: setup, poll/stream, reconnect, upgrade, teardown.
import type { Exchange, PhaseKind } from '../model.js';
import type { Draft } from './draft.js';
import { effectiveEnd, endedBy, isErrorExchange, lifetimeUnknown } from './util.js';
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
  if (mod?.sessionOf) return assignSessionRoles(d, mod);
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
      if (lane !== undefined) laneDelays.set(lane, [...(laneDelays.get(lane) ?? []), delay]);
    }
    if (d.upgradeAt !== null && m.ex.start >= d.upgradeAt) role = 'upgrade';
    phaseOf.push(role);
    if (lane !== undefined) lastInLane.set(lane, m.ex);
    else if (!prev || effectiveEnd(m.ex) >= effectiveEnd(prev)) prev = m.ex;
  }
  return { exchanges, phaseOf, reconnectDelays, ...(laneOf ? { reconnectLanes: [...laneDelays.values()] } : {}) };
}

/** Share of a stream channel's life with two or more of its connections open from which they are clients side by side. */
const SIDE_BY_SIDE_SHARE = 0.5;

/**
 * For a stream or WebSocket channel whose connections ran two or more at a time for most of its life (two tabs on
 * one SSE or WebSocket endpoint), the client each member belongs to; null otherwise. Each new connection replaces
 * the client's latest connection that ended last before it opened (within endedBy's tolerance); with none ended, it
 * is another client's. (One client whose new connection overlaps the old one's close now and then stays one chain.)
 */
function sideBySide(d: Draft): Map<number, number> | null {
  const steady = d.members.map((m, i) => ({ m, i })).filter(({ m }) => !m.role);
  if (steady.length < 3) return null;
  const spans = steady.map(({ m }) => ({ start: m.ex.start, end: Math.max(m.ex.start, effectiveEnd(m.ex)) }));
  const events: [number, number][] = spans.flatMap((s): [number, number][] => [[s.start, 1], [s.end, -1]]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let doubled = 0;
  for (let k = 0; k < events.length; k += 1) {
    open += events[k]![1];
    if (open >= 2 && k + 1 < events.length) doubled += events[k + 1]![0] - events[k]![0];
  }
  const life = events[events.length - 1]![0] - events[0]![0];
  if (!(life > 0) || doubled < SIDE_BY_SIDE_SHARE * life) return null;
  /** When the latest connection of each client ended. */
  const laneEnd: number[] = [];
  const laneOf = new Map<number, number>();
  spans.forEach((s, k) => {
    let pick = -1;
    laneEnd.forEach((end, lane) => {
      if (endedBy(end, s.start) && (pick < 0 || end > laneEnd[pick]!)) pick = lane;
    });
    if (pick < 0) pick = laneEnd.length;
    laneEnd[pick] = s.end;
    laneOf.set(steady[k]!.i, pick);
  });
  return laneEnd.length >= 2 ? laneOf : null;
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
