// A channel whose poll runs in several loops at once (a listener registered twice, two tabs in one capture): its
// rhythm is each loop's own, not that of the loops' requests taken together.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { capture, chain } from '../helpers/exchange.js';

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

  it('says nothing of loops when there is one', () => {
    const report = analyze([capture(chain(12, poll, 20, 0))], { tool: { name: 'comet-inspect', version: 'test' } });
    expect(report.channels[0]!.pollIntervalMs).toBe(4_020);
    expect(report.channels[0]!.loops).toBeUndefined();
  });
});
