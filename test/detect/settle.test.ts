// What "open" means inside one endpoint's chain (detect/settle.ts): a request written with no response is pending at
// the end only when nothing of its own loop came after it.
import { describe, expect, it } from 'vitest';
import { SILENT_FAILURE, settleOpen } from '../../src/detect/settle.js';
import { lifetimeUnknown } from '../../src/detect/util.js';
import { T0, exchange, frame } from '../helpers/exchange.js';

const END = T0 + 60_000;
const open = (at: number) => exchange({ at, hold: 0, status: 0, state: 'open', mimeType: '' });

describe('settleOpen', () => {
  it('runs the last open request to the end of the capture', () => {
    const [a, b] = settleOpen([exchange({ at: 0, hold: 10_000 }), open(10_005)], END);
    expect(a!.state).toBe('complete');
    expect(b!.state).toBe('open');
    expect(b!.end).toBe(END);
  });

  it('turns an open request that a later one of the same loop replaced into a silent failure', () => {
    const out = settleOpen([exchange({ at: 0, hold: 10_000 }), open(10_005), exchange({ at: 12_000, hold: 10_000 })], END);
    expect(out[1]!.state).toBe('failed');
    expect(out[1]!.error).toBe(SILENT_FAILURE);
  });

  it('keeps an open request open when the later one belongs to another loop still polling beside it', () => {
    // Loop A: 0–10 s, then a poll written open at 10.005 s. Loop B: 0.7–10.7 s, re-polls at 10.705 s.
    const out = settleOpen([exchange({ at: 0, hold: 10_000 }), exchange({ at: 700, hold: 10_000 }), open(10_005), open(10_705)], END);
    expect(out.map((e) => e.state)).toEqual(['complete', 'complete', 'open', 'open']);
    expect(out[2]!.end).toBe(END);
  });
});

// A socket killed by a crashed server sends no close frame; Playwright writes it as open, its time running to its
// last frame, and the client opens another one (samples/socket.io-websocket-two-tabs-restart.har).
describe('settleOpen: WebSockets written without a close frame', () => {
  /** A socket written open at capture end: frames at the given times (ms after T0), none of them a close. */
  const socket = (at: number, frames: number[]) =>
    exchange({ at, hold: (frames.at(-1) ?? at) - at, status: 101, state: 'open', resourceType: 'websocket', mimeType: '', url: 'wss://h.test/ws', wsFrames: frames.map((t) => frame(t, 'receive', '2')) });

  it('closes, after its last frame, one that fell silent when a later one opened', () => {
    const out = settleOpen([socket(0, [100, 8_100, 16_100]), socket(20_000, [20_100, 28_100, 36_100, 44_100, 52_100])], END);
    expect(out[0]!.state).toBe('complete');
    expect(out[0]!.end).toBe(T0 + 16_100);
    expect(lifetimeUnknown(out[0]!)).toBe(true); // when it closed is not known
    expect(out[1]!.state).toBe('open');
    expect(out[1]!.end).toBe(END);
  });

  it('keeps one open that still spoke after the later one opened, or was silent no longer than it had been before', () => {
    // Two sockets side by side, both speaking to the end.
    const beside = settleOpen([socket(0, [100, 30_000, 59_000]), socket(20_000, [20_100, 40_000, 59_500])], END);
    expect(beside.map((e) => e.state)).toEqual(['open', 'open']);
    // A socket that pings every 25 s and was last heard 20 s before the end: alive, whatever opened later.
    const quiet = settleOpen([socket(0, [100, 15_000, 40_000]), socket(45_000, [45_100, 59_000])], END);
    expect(quiet[0]!.state).toBe('open');
  });

  it('keeps the last one open, silent or not', () => {
    const [only] = settleOpen([socket(0, [100, 2_000])], END);
    expect(only!.state).toBe('open');
  });
});
