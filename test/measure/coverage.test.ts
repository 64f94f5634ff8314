import { describe, expect, it } from 'vitest';
import { coverage } from '../../src/measure/coverage.js';

describe('coverage', () => {
  it('is 1 for back-to-back long polls', () => {
    const r = coverage([{ start: 0, end: 30000 }, { start: 30000, end: 60000 }], 0, 60000);
    expect(r.coverage).toBe(1);
    expect(r.gaps).toEqual([]);
  });

  it('finds the hole left by a reconnect and ignores tiny re-poll gaps', () => {
    const r = coverage(
      [
        { start: 0, end: 10000 },
        { start: 10020, end: 20000 },
        { start: 25000, end: 40000 },
      ],
      0,
      40000,
    );
    expect(r.gaps).toEqual([{ start: 20000, durationMs: 5000 }]);
    expect(r.coverage).toBeCloseTo(34980 / 40000);
  });

  it('merges overlapping spans instead of counting them twice', () => {
    expect(coverage([{ start: 0, end: 800 }, { start: 200, end: 1000 }], 0, 2000).coverage).toBeCloseTo(0.5);
  });
});
