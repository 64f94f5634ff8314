// Figures the reports compare and draw that a ChannelReport holds only implicitly: rates over the channel's life,
// setup cost, the longest blind gap, and what became of each request. Pure functions over ChannelReport / Channel.
import type { Channel, ChannelReport, Exchange, PhaseKind } from '../model.js';
import { isEmptyAnswer } from '../detect/features.js';
import { effectiveEnd, firstByteMs, isErrorExchange, lifetimeUnknown } from '../detect/util.js';
import { isOpenAtEnd } from './channel.js';
import { maxOf, minOf } from './stats.js';

export interface ChannelFigures {
  /** Requests spent before the loop (handshake, negotiate, bootstrap page). */
  setupRequests: number;
  /** Every request of the channel: setup, loop, reconnects and teardown. */
  totalRequests: number;
  /** From the first request's start to the last one's end, in ms. */
  lifeMs: number;
  /** totalRequests per minute of the channel's life; null for a life under one second. */
  requestsPerMinute: number | null;
  /** Messages delivered per minute of life, where messages could be counted. */
  messagesPerMinute: number | null;
  /** Sum and longest of the stretches with no connection open. */
  gapTotalMs: number;
  longestGapMs: number | null;
  headerBytesPerMessage: number | null;
  requestsPerMessage: number | null;
}

export function channelFigures(ch: ChannelReport): ChannelFigures {
  const setupRequests = ch.phases.filter((p) => p.kind === 'setup').reduce((s, p) => s + p.requests, 0);
  const totalRequests = ch.phases.length ? ch.phases.reduce((s, p) => s + p.requests, 0) : ch.requests;
  const starts = ch.phases.map((p) => Date.parse(p.start)).filter(Number.isFinite);
  const ends = ch.phases.map((p) => Date.parse(p.end)).filter(Number.isFinite);
  const lifeMs = starts.length && ends.length ? Math.max(0, maxOf(ends) - minOf(starts)) : 0;
  const minutes = lifeMs / 60_000;
  const perMinute = (n: number | null): number | null => (n === null || lifeMs < 1000 ? null : round2(n / minutes));
  const gapTotalMs = ch.gaps.reduce((s, g) => s + g.durationMs, 0);
  return {
    setupRequests,
    totalRequests,
    lifeMs,
    requestsPerMinute: perMinute(totalRequests),
    messagesPerMinute: perMinute(ch.messages),
    gapTotalMs,
    longestGapMs: ch.gaps.length ? maxOf(ch.gaps.map((g) => g.durationMs)) : null,
    headerBytesPerMessage: ch.overhead?.headerBytesPerMessage ?? null,
    requestsPerMessage: ch.overhead?.requestsPerMessage ?? null,
  };
}

/**
 * The channel a one-column summary of a capture speaks for: the one with a setup phase (the page built a connection
 * for it), then the most requests, then the first id. Side channels (a status poll beside the message poll) stay listed.
 */
export function mainChannel<T extends ChannelReport>(channels: readonly T[]): T | null {
  let best: T | null = null;
  let bestKey: [number, number] = [-1, -1];
  for (const ch of channels) {
    const key: [number, number] = [ch.phases.some((p) => p.kind === 'setup') ? 1 : 0, channelFigures(ch).totalRequests];
    if (key[0] > bestKey[0] || (key[0] === bestKey[0] && key[1] > bestKey[1])) {
      best = ch;
      bestKey = key;
    }
  }
  return best;
}

/** What became of one request, as a timeline draws it. */
export type Outcome = 'data' | 'empty' | 'error' | 'aborted' | 'open' | 'unknown';

export interface RequestMark {
  exchange: Exchange;
  phase: PhaseKind | 'ordinary';
  start: number;
  /** When the first response byte arrived (start + blocked/dns/connect/send/wait), or null when unknown or none. */
  firstByte: number | null;
  end: number;
  outcome: Outcome;
  /** When messages arrived, where the capture dates them (WebSocket frames received, exporter-recorded SSE events). */
  dataTimes: number[];
  /** For a reconnect: how long the channel had nothing open before it (end of the previous request → this start). */
  reconnectGapMs: number | null;
}

/** Each request of a channel with its outcome and, for reconnects, the gap before it. */
export function requestMarks(channel: Channel, captureEnd: number): RequestMark[] {
  let lastEnd: number | null = null;
  return channel.exchanges.map((ex, i) => {
    const phase = channel.phaseOf[i] ?? 'poll';
    const mark = markOf(ex, phase, captureEnd);
    if (phase === 'reconnect' && lastEnd !== null && ex.start > lastEnd) mark.reconnectGapMs = ex.start - lastEnd;
    // A stream whose end the exporter never learnt: the time before the next request is not known to be a gap.
    lastEnd = lifetimeUnknown(ex) ? null : Math.max(lastEnd ?? -Infinity, mark.end);
    return mark;
  });
}

/** Requests that belong to no channel, drawn in one "ordinary traffic" lane. */
export function ordinaryMarks(exchanges: readonly Exchange[], captureEnd: number): RequestMark[] {
  return exchanges.map((ex) => {
    const m = markOf(ex, 'ordinary', captureEnd);
    return m.outcome === 'empty' || m.outcome === 'unknown' ? { ...m, outcome: 'data' } : m;
  });
}

function markOf(ex: Exchange, phase: PhaseKind | 'ordinary', captureEnd: number): RequestMark {
  const end = Math.max(ex.start, effectiveEnd(ex));
  let outcome: Outcome;
  if (isOpenAtEnd(ex, captureEnd)) outcome = 'open';
  else if (lifetimeUnknown(ex)) outcome = 'unknown';
  else if (isErrorExchange(ex)) outcome = ex.state === 'aborted' ? 'aborted' : 'error';
  else if (ex.status === 101) outcome = 'data';
  else {
    const empty = isEmptyAnswer(ex);
    outcome = empty === true ? 'empty' : empty === false ? 'data' : ex.state === 'complete' ? 'unknown' : 'data';
  }
  const dataTimes = [
    ...(ex.wsFrames ?? []).filter((f) => f.direction === 'receive' && (f.opcode === 1 || f.opcode === 2)).map((f) => f.time),
    ...(ex.sseEvents ?? []).map((e) => e.time).filter((t): t is number => t !== null),
  ].sort((a, b) => a - b);
  return { exchange: ex, phase, start: ex.start, firstByte: firstByteOf(ex, end, dataTimes), end, outcome, dataTimes, reconnectGapMs: null };
}

function firstByteOf(ex: Exchange, end: number, dataTimes: number[]): number | null {
  if (ex.status === 0) return null;
  const t = ex.timings;
  // From the moment the request went out (unsentMs: an ssl longer than connect counts as connecting).
  const untilFirstByte = firstByteMs(ex);
  let first = untilFirstByte === null ? null : Math.min(end, ex.start + Math.max(0, untilFirstByte));
  // Some exporters count a WebSocket's whole life as "wait"; data flowing says the connection was up by then.
  if (ex.status === 101 && (first === null || first >= end - 1)) first = ex.start + Math.min(end - ex.start, (t.connect ?? 0) + (t.send ?? 0) + Math.min(t.wait ?? 0, 1000));
  if (dataTimes.length > 0 && (first === null || dataTimes[0]! < first)) first = Math.max(ex.start, dataTimes[0]!);
  return first;
}

/** Every exchange of the captures that no channel claims (ordinary page traffic), in start order. */
export function ordinaryExchanges(all: readonly Exchange[], channels: readonly Channel[]): Exchange[] {
  const claimed = new Set<Exchange>();
  for (const ch of channels) for (const ex of ch.exchanges) claimed.add(ex);
  return all.filter((ex) => !claimed.has(ex));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
