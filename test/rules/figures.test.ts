import { describe, expect, it } from 'vitest';
import type { Channel, Exchange, PhaseKind } from '../../src/model.js';
import { computeFigures, longestGap, maxOverlap, peakPerMinute, ratePerMinute, retryStreaks } from '../../src/rules/figures.js';
import { exchange, T0 } from '../helpers/exchange.js';
import { analysis, channel } from './build.js';

const iso = (ms: number) => new Date(T0 + ms).toISOString();

function withExchanges(exchanges: Exchange[], phaseOf?: PhaseKind[], over = {}): Channel {
  return { report: channel({ id: 'c1', ...over }), exchanges, phaseOf: phaseOf ?? exchanges.map(() => 'poll') };
}

describe('ratePerMinute', () => {
  it('counts intervals, not requests: a 2 s timer is 30/min', () => {
    expect(ratePerMinute([0, 2000, 4000, 6000, 8000])).toBe(30);
  });
  it('is null with fewer than two requests', () => {
    expect(ratePerMinute([5])).toBeNull();
  });
});

describe('peakPerMinute', () => {
  it('is the busiest window, judged against a whole window even at the ends', () => {
    const timer = Array.from({ length: 31 }, (_, i) => i * 10_000); // every 10 s for 5 min: 6/min
    expect(peakPerMinute(timer, 60_000)).toBe(6);
    // Five requests 10 ms apart at the very end: a 1-minute window holds them and the timer's last five.
    const burst = [...timer, ...[1, 2, 3, 4, 5].map((k) => 300_000 + k * 10)];
    expect(peakPerMinute(burst, 60_000)).toBe(11);
  });

  it('falls back to the plain rate when the starts span less than one window', () => {
    expect(peakPerMinute([0, 2000, 4000], 60_000)).toBe(ratePerMinute([0, 2000, 4000]));
    expect(peakPerMinute([5], 60_000)).toBeNull();
  });
});

describe('maxOverlap', () => {
  it('a long-poll loop that re-polls on the answer is one at a time, even when the exporter skews by a few ms', () => {
    expect(maxOverlap([{ start: 0, end: 10_000 }, { start: 9_990, end: 20_000 }, { start: 20_003, end: 30_000 }])).toBe(1);
  });
  it('two listeners polling the same endpoint overlap', () => {
    expect(maxOverlap([{ start: 0, end: 10_000 }, { start: 200, end: 10_200 }, { start: 10_005, end: 20_000 }])).toBe(2);
  });
  it('quick requests count, and overlap only what starts at the same moment', () => {
    expect(maxOverlap([{ start: 5, end: 25 }])).toBe(1);
    expect(maxOverlap([{ start: 5, end: 25 }, { start: 10, end: 30 }])).toBe(1);
    expect(maxOverlap([{ start: 5, end: 25 }, { start: 5, end: 30 }])).toBe(2);
  });
});

describe('longestGap', () => {
  it('finds the hole between requests and after the last one', () => {
    expect(longestGap([{ start: 0, end: 1000 }, { start: 4000, end: 5000 }], 0, 5500)).toBe(3000);
    expect(longestGap([{ start: 0, end: 1000 }], 0, 9000)).toBe(8000);
  });
  it('ignores the time after the last request when the end is unknown (null)', () => {
    expect(longestGap([{ start: 0, end: 1000 }, { start: 1500, end: 2000 }], 0, null)).toBe(500);
  });
});

describe('retryStreaks', () => {
  it('groups retries after consecutive failures and measures each delay from the failure\'s end', () => {
    const ex = [
      exchange({ at: 0, hold: 8000 }),
      exchange({ at: 8005, hold: 10, status: 503 }),
      exchange({ at: 8515, hold: 10, status: 503 }),
      exchange({ at: 9525, hold: 10, status: 503 }),
      exchange({ at: 11_535, hold: 3000 }),
      exchange({ at: 14_540, hold: 5, state: 'failed', status: 0 }),
      exchange({ at: 15_545, hold: 3000 }),
    ];
    expect(retryStreaks(ex)).toEqual([[500, 1000, 2000], [1000]]);
  });
  it('a tight loop is one long streak of tiny delays', () => {
    const ex = Array.from({ length: 6 }, (_, i) => exchange({ at: i * 12, hold: 10, status: 500 }));
    expect(retryStreaks(ex)).toEqual([[2, 2, 2, 2, 2]]);
  });
});

describe('computeFigures', () => {
  it('from exchanges: rate of the steady state only, concurrency, gaps to the capture end', () => {
    const ex = [
      exchange({ at: 0, hold: 50 }), // setup
      exchange({ at: 100, hold: 10_000 }),
      exchange({ at: 10_105, hold: 10_000 }),
      exchange({ at: 20_110, hold: 10_000 }),
    ];
    const ch = withExchanges(ex, ['setup', 'poll', 'poll', 'poll'], { pendingAtEnd: 0 });
    const a = analysis([ch.report], { capture: { start: iso(0), end: iso(40_110), durationMs: 40_110 } });
    const f = computeFigures(a, [ch]).get('c1')!;
    expect(f.requestsPerMinute).toBeCloseTo(2 / 20_010 * 60_000, 5);
    expect(f.maxConcurrent).toBe(1);
    expect(f.longestGapMs).toBe(10_000); // the channel stopped 10 s before the capture did
    expect(f.lifeMs).toBe(40_110);
    expect(f.errorRetryStreaks).toEqual([]);
  });

  it('from the report alone (an Analysis read back from JSON): what can be had, and null for the rest', () => {
    const report = channel({
      pollIntervalMs: 2000,
      pendingAtEnd: 0,
      gaps: [{ start: iso(1000), durationMs: 4000 }],
      reconnect: { pattern: 'exponential', count: 3, delaysMs: [500, 1000, 2000] },
      errors: 3,
      phases: [{ kind: 'poll', start: iso(0), end: iso(50_000), requests: 20 }],
    });
    const a = analysis([report], { capture: { start: iso(0), end: iso(60_000), durationMs: 60_000 } });
    const f = computeFigures(a).get('c1')!;
    expect(f.requestsPerMinute).toBe(30);
    expect(f.maxConcurrent).toBeNull();
    expect(f.longestGapMs).toBe(10_000);
    expect(f.reconnectsPerMinute).toBe(3);
    expect(f.errorRetryStreaks).toEqual([[500, 1000, 2000]]);
  });

  it('from the report alone, a poll running in two loops polls twice as often as one loop\'s interval', () => {
    const phases = [{ kind: 'poll' as const, start: iso(0), end: iso(50_000), requests: 40 }];
    const one = computeFigures(analysis([channel({ pollIntervalMs: 2000, phases })])).get('c1')!;
    const two = computeFigures(analysis([channel({ pollIntervalMs: 2000, loops: 2, phases })])).get('c1')!;
    expect(one.requestsPerMinute).toBe(30);
    expect(two.requestsPerMinute).toBe(60);
  });
});
