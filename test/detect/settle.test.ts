// What "open" means inside one endpoint's chain (detect/settle.ts): a request written with no response is pending at
// the end only when nothing of its own loop came after it.
import { describe, expect, it } from 'vitest';
import { SILENT_FAILURE, settleOpen } from '../../src/detect/settle.js';
import { T0, exchange } from '../helpers/exchange.js';

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
