import { describe, expect, it } from 'vitest';
import { concurrentLanes, isRegular, overlapShare, pollInterval, repollDelays, startIntervals } from '../../src/measure/cadence.js';

describe('cadence', () => {
  it('measures start-to-start intervals and the median poll interval', () => {
    expect(startIntervals([0, 5000, 10020, 14990])).toEqual([5000, 5020, 4970]);
    expect(pollInterval([0, 5000, 10020, 14990])).toBe(5000);
    expect(pollInterval([42])).toBeNull();
  });

  it('measures the re-poll delay from each answer to the next request', () => {
    expect(repollDelays([{ start: 0, end: 30000 }, { start: 30005, end: 60000 }, { start: 62000, end: 63000 }])).toEqual([5, 2000]);
  });

  it('recognises a timer (setInterval) but not a burst of quick repeats', () => {
    expect(isRegular([5000, 5100, 4950, 5020])).toBe(true);
    expect(isRegular([20, 15, 20])).toBe(false);
    expect(isRegular([1000, 9000, 300, 4000])).toBe(false);
  });

  it('flags parallel requests', () => {
    expect(overlapShare([{ start: 0, end: 1000 }, { start: 10, end: 900 }, { start: 20, end: 800 }])).toBe(1);
    expect(overlapShare([{ start: 0, end: 1000 }, { start: 1000, end: 2000 }])).toBe(0);
  });
});

describe('concurrentLanes', () => {
  it('keeps one loop in one lane', () => {
    const spans = [0, 1000, 2000, 3000].map((s) => ({ start: s, end: s + 900 }));
    expect(concurrentLanes(spans)).toEqual([[0, 1, 2, 3]]);
  });

  it('splits a poll started twice into its two loops, each following its own answers', () => {
    // Loop A starts at 0, 1000, 2000; loop B 8 ms after each, answered 10 ms later than A.
    const spans = [0, 8, 1000, 1008, 2000, 2008].map((s, i) => ({ start: s, end: s + (i % 2 ? 960 : 950) }));
    expect(concurrentLanes(spans)).toEqual([
      [0, 2, 4],
      [1, 3, 5],
    ]);
  });
});
