import { describe, expect, it } from 'vitest';
import { fitBackoff } from '../../src/measure/backoff.js';

describe('fitBackoff', () => {
  it('none without reconnects', () => {
    expect(fitBackoff([]).pattern).toBe('none');
  });

  it('immediate when every retry follows at once', () => {
    expect(fitBackoff([3, 12, 40]).pattern).toBe('immediate');
  });

  it('fixed for a constant delay, with timer slack', () => {
    expect(fitBackoff([3000, 3010, 2990, 3005])).toMatchObject({ pattern: 'fixed', baseMs: expect.closeTo(3002.5, 1) });
    expect(fitBackoff([5000]).pattern).toBe('fixed');
  });

  it('fixed for a retry loop with one stall (Socket.IO v2 against a dead server)', () => {
    const delays = [...Array(60).fill(6020), 10900, ...Array(18).fill(5020)];
    expect(fitBackoff(delays).pattern).toBe('fixed');
  });

  it('linear when each retry waits one step longer (CometD)', () => {
    expect(fitBackoff([1000, 2000, 3000, 4000, 5000])).toMatchObject({ pattern: 'linear', stepMs: expect.closeTo(1000, 0) });
  });

  it('exponential when delays double, despite jitter and a cap', () => {
    expect(fitBackoff([1000, 2000, 4000, 8000, 16000]).pattern).toBe('exponential');
    const fit = fitBackoff([1200, 1700, 4300, 7100, 16800, 30000, 30000, 30000]);
    expect(fit).toMatchObject({ pattern: 'exponential', capped: true });
    expect(fit.factor).toBeGreaterThan(1.6);
  });

  it('exponential for the booka WebSocket retries (0.35, 0.25, 1.86, 3.52, 9.47 s)', () => {
    expect(fitBackoff([350, 250, 1860, 3520, 9470]).pattern).toBe('exponential');
  });

  it('irregular when no policy fits', () => {
    expect(fitBackoff([4000, 900, 12000, 2500, 700]).pattern).toBe('irregular');
  });
});
