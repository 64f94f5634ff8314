import { describe, expect, it } from 'vitest';
import { estimateTimeout, holdDistribution } from '../../src/measure/holds.js';

describe('hold distribution', () => {
  it('summarises the holds of a long-poll channel', () => {
    expect(holdDistribution([25000, 25010, 3000, 24990])).toMatchObject({ min: 3000, max: 25010 });
  });
});

describe('estimateTimeout', () => {
  it('finds the timeout where empty answers cluster, ignoring early data answers', () => {
    const answers = [
      { hold: 30020, empty: true },
      { hold: 1200, empty: false },
      { hold: 29980, empty: true },
      { hold: 7000, empty: false },
      { hold: 30050, empty: true },
    ];
    expect(estimateTimeout(answers)).toMatchObject({ timeoutMs: 30020, basis: 'empty', count: 3 });
  });

  it('falls back to the top cluster of holds when the capture has no bodies (WeChat: 15.1 s twice)', () => {
    const answers = [
      { hold: 15180, empty: null },
      { hold: 15170, empty: null },
    ];
    expect(estimateTimeout(answers)?.timeoutMs).toBeCloseTo(15175);
  });

  it('does not call two coinciding data answers a timeout when longer holds exist', () => {
    const answers = [2000, 2050, 9000, 14000, 22000, 27000, 31000].map((hold) => ({ hold, empty: null }));
    expect(estimateTimeout(answers)).toBeNull();
  });

  it('has no timeout when every answer carried data', () => {
    expect(estimateTimeout([1000, 5000, 5100].map((hold) => ({ hold, empty: false })))).toBeNull();
  });

  it('ignores sub-second "timeouts" (quick answers are not holds)', () => {
    expect(estimateTimeout([200, 210, 205].map((hold) => ({ hold, empty: true })))).toBeNull();
  });
});
