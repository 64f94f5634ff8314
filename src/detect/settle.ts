// Repairs what "open" means inside a chain. Readers mark a request with no response and no error as open (it may
// have been pending when the capture was written). Inside one endpoint's chain, only the last such request can
// really have been pending: a long-poll or stream client never sends the next request while one is outstanding
// without a response, so an earlier one must have failed silently (Firefox writes status 0 and no error for those).
import type { Exchange, Timings } from '../model.js';
import { amend, endedBy, lifetimeUnknown } from './util.js';

/** Two copies of one loop start their polls within milliseconds of each other; a real retry comes later. */
const SUPERSEDE_AFTER_MS = 250;

export const SILENT_FAILURE = 'no response recorded, and a later request to the same endpoint replaced it';

/** Returns the chain with superseded open requests turned into failures and real open ones running to captureEnd. */
export function settleOpen(exchanges: readonly Exchange[], captureEnd: number): Exchange[] {
  // latestAfter[i]: the latest start among the requests after i, so "is anything started later?" is O(1) per request.
  const latestAfter = new Array<number>(exchanges.length + 1).fill(-Infinity);
  for (let i = exchanges.length - 1; i >= 0; i -= 1) latestAfter[i] = Math.max(latestAfter[i + 1]!, exchanges[i]!.start);
  return exchanges.map((ex, i) => {
    const last = !(latestAfter[i + 1]! > ex.start);
    // A stream written at its headers with no body and no end, and not followed by another: still open at the end.
    if (ex.state === 'complete' && last && lifetimeUnknown(ex)) {
      return amend(ex, { state: 'open', end: Math.max(ex.end, captureEnd), duration: Math.max(ex.end, captureEnd) - ex.start });
    }
    if (ex.state !== 'open') return ex;
    const closed = silentSocket(ex, latestAfter[i + 1]!, exchanges[i + 1]?.start ?? null, captureEnd);
    if (closed !== null) return amend(ex, { state: 'complete', end: closed, duration: closed - ex.start });
    // A client does not re-send within a moment while its poll is still outstanding, unless two loops run:
    // only a later request started well after this one shows it had failed.
    const superseded = ex.status === 0 && !last && latestAfter[i + 1]! > ex.start + SUPERSEDE_AFTER_MS && !anotherLoop(exchanges, i);
    if (superseded) {
      const end = ex.start + recordedTime(ex.timings);
      return amend(ex, { state: 'failed', error: ex.error ?? SILENT_FAILURE, end, duration: end - ex.start });
    }
    if (ex.end >= captureEnd) return ex;
    return amend(ex, { end: captureEnd, duration: captureEnd - ex.start });
  });
}

/**
 * A socket's recorded receive time this long, at least, is its life after the handshake (DevTools-style), not the
 * few ms some exporters write there (mitmproxy).
 */
const LIFE_AS_RECEIVE_MS = 1000;

/** A socket silent this long before the capture's end, at least, with a later one opened, had closed. */
const SILENT_MIN_MS = 5000;

/**
 * A WebSocket the exporter wrote without a close frame (so: open at the end) that had died: a later connection of
 * the chain opened after its last frame and it never spoke again, through the rest of the capture and for more than
 * twice the longest silence it ever kept. A socket killed by a crashed server or a dropped network sends no close
 * frame, and Playwright writes it as open, its time running to its last frame; the client opens a new one. DevTools
 * never records a close frame at all (the protocol reports data frames only), and a socket a server closed while
 * idle (nchan's subscriber timeout) ends after its last frame. Returns when it closed: the end of its recorded
 * timings (DevTools counts a socket's life as receive: LIFE_AS_RECEIVE_MS) where that falls after the last frame and
 * by the time the next connection of the chain opened; else its last frame (the moment it closed is then not known:
 * see lifetimeUnknown); null when it had not closed. `latestLater`: the latest start of the requests after it in the
 * chain; `nextStart`: the start of the one right after it.
 */
function silentSocket(ex: Exchange, latestLater: number, nextStart: number | null, captureEnd: number): number | null {
  const frames = ex.wsFrames;
  if (ex.status !== 101 || frames === null) return null;
  let gap = 0;
  let at = ex.start;
  for (const f of frames) {
    gap = Math.max(gap, f.time - at);
    at = Math.max(at, f.time);
  }
  if (!(captureEnd - at >= Math.max(SILENT_MIN_MS, 2 * gap) && latestLater > at)) return null;
  const recordedEnd = ex.start + recordedTime(ex.timings);
  const lived = (ex.timings.receive ?? 0) >= LIFE_AS_RECEIVE_MS && recordedEnd > at && nextStart !== null && endedBy(recordedEnd, nextStart);
  if (lived) return recordedEnd;
  return frames.length > 0 ? at : null;
}

/** How far back a chain is searched for a request of another loop (they interleave: it is near). */
const LOOP_WINDOW = 64;

/**
 * Whether the request that would supersede open request i can belong to another loop of the same endpoint (two
 * tabs, two clients of one page): some other request was still in flight after i started and before the first
 * request that started well after i. One loop never has another request in flight while its poll is outstanding,
 * so there a later request is a retry; with two, it is the other loop's next poll.
 */
function anotherLoop(exchanges: readonly Exchange[], i: number): boolean {
  const ex = exchanges[i]!;
  let j = i + 1;
  while (j < exchanges.length && exchanges[j]!.start <= ex.start + SUPERSEDE_AFTER_MS) j += 1;
  if (j >= exchanges.length) return false;
  const next = exchanges[j]!.start;
  for (let k = Math.max(0, i - LOOP_WINDOW); k < j; k += 1) {
    const q = exchanges[k]!;
    if (k === i || q.state === 'open' || lifetimeUnknown(q)) continue;
    if (q.end > ex.start + IN_FLIGHT_MS && q.start < next) return true;
  }
  return false;
}

/** A request that ended this soon after another started was not in flight beside it (clocks and exporters round). */
const IN_FLIGHT_MS = 50;

/** The time the exporter did account for (ssl is inside connect, so it is not added again). */
function recordedTime(t: Timings): number {
  return [t.blocked, t.dns, t.connect, t.send, t.wait, t.receive].reduce<number>((s, v) => s + (v !== null && v > 0 ? v : 0), 0);
}
