// A channel whose poll runs in several loops at once (a listener registered twice, two tabs in one capture): its
// rhythm is each loop's own, not that of the loops' requests taken together.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { capture, chain, exchange } from '../helpers/exchange.js';

const poll = (i: number) => ({ hold: 4_000, url: `https://example.test/poll?cursor=${i}`, responseBody: '[]' });

describe('a long-poll running in two loops', () => {
  it('reports the interval and re-poll delay of each loop', () => {
    const a = chain(12, poll, 20, 0);
    const b = chain(12, poll, 20, 1_500);
    const report = analyze([capture([...a, ...b])], { tool: { name: 'comet-inspect', version: 'test' } });
    expect(report.channels).toHaveLength(1);
    const c = report.channels[0]!;
    expect(c.evidence.some((e) => /2 polling loops run at once/.test(e))).toBe(true);
    expect(c.pollIntervalMs).toBe(4_020);
    expect(c.repollDelayMs?.median).toBe(20);
    expect(c.reconnect.count).toBe(0);
    // Said in the report too, so that the rate can be had from a JSON report alone (check on a saved report).
    expect(c.loops).toBe(2);
  });

  it('fits the back-off of each loop, not of the two loops\' retries taken together', () => {
    // Each loop meets the same outage and retries 1, 2, 4 and 8 s after each failure (loop b 1.5 s behind loop a).
    const loop = (offset: number) => {
      const out = [];
      let at = offset;
      for (let k = 0; k < 6; k += 1, at += 4_020) out.push(exchange({ at, hold: 4_000, url: `https://example.test/poll?cursor=${k}`, responseBody: '[]' }));
      for (const wait of [1000, 2000, 4000, 8000]) {
        out.push(exchange({ at, hold: 10, status: 503, url: 'https://example.test/poll?cursor=6', responseBody: 'down' }));
        at += 10 + wait;
      }
      for (let k = 0; k < 6; k += 1, at += 4_020) out.push(exchange({ at, hold: 4_000, url: `https://example.test/poll?cursor=${7 + k}`, responseBody: '[]' }));
      return out;
    };
    const report = analyze([capture([...loop(0), ...loop(1_500)])], { tool: { name: 'comet-inspect', version: 'test' } });
    const c = report.channels[0]!;
    expect(c.loops).toBe(2);
    expect(c.reconnect.count).toBe(8);
    expect(c.reconnect.pattern).toBe('exponential');
    // Merged in time order, the two loops' delays read as ×1.5 up to a cap.
    const said = c.evidence.find((e) => /^8 reconnects/.test(e))!;
    expect(said).not.toMatch(/up to a cap/);
    expect(Number(/×([\d.]+) each time/.exec(said)![1])).toBeGreaterThanOrEqual(1.8);
  });

  it('says nothing of loops when there is one', () => {
    const report = analyze([capture(chain(12, poll, 20, 0))], { tool: { name: 'comet-inspect', version: 'test' } });
    expect(report.channels[0]!.pollIntervalMs).toBe(4_020);
    expect(report.channels[0]!.loops).toBeUndefined();
  });
});
