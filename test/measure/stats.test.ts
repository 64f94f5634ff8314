import { describe, expect, it } from 'vitest';
import { distribution, linearFit, median, quantile, shareNearMedian } from '../../src/measure/stats.js';

describe('stats', () => {
  it('interpolates quantiles between ranks', () => {
    expect(median([1, 3])).toBe(2);
    expect(median([5, 1, 3])).toBe(3);
    expect(quantile([0, 10, 20, 30, 40], 0.95)).toBeCloseTo(38);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('describes holds as min/median/p95/max, or null when there are none', () => {
    expect(distribution([30000, 29000, 31000, 500])).toEqual({ min: 500, median: 29500, p95: expect.closeTo(30850, 0), max: 31000 });
    expect(distribution([])).toBeNull();
  });

  it('measures regularity as the share near the median', () => {
    expect(shareNearMedian([1000, 1010, 990, 5000], 0.1)).toBe(0.75);
  });

  it('fits a line and reports how well it explains the data', () => {
    const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.r2).toBeCloseTo(1);
  });
});
