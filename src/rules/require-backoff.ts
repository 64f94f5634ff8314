import { z } from 'zod';
import { count, duration } from '../config/schema.js';
import { formatMs } from '../config/units.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'require-backoff',
    description: 'Retries after errors back off: no immediate retry loops, and repeated failures wait longer each time.',
    docs: 'Looks at each retry that followed a failed request (an HTTP error, a network failure, an abort before any answer), in streaks of consecutive failures. Fails when a retry comes sooner than minDelay, or when a streak of at least minStreak retries does not grow (its last delay under 1.5 × its first). A capture without failures passes, saying so. Reconnects after a stream closed normally are not errors and are left to max-reconnects-per-minute.',
    defaultSeverity: 'error',
    unit: 'ms',
    options: {
      minDelay: duration().optional().describe('shortest acceptable wait before a retry; default "250ms"'),
      minStreak: count().optional().describe('a streak of this many retries must grow; default 3'),
      growth: z.boolean().default(true).describe('false: only minDelay is checked (a fixed retry delay is fine)'),
    },
    needs: ['errorRetryStreaks'],
    flag: { flags: '--require-backoff', description: 'retries after errors must back off (no immediate retry loops)', toOptions: () => ({}) },
    example: { minDelay: '500ms' },
  },
  check(c, o, ctx) {
    const streaks = ctx.figures(c).errorRetryStreaks;
    const minDelay = o.minDelay ?? 250;
    const minStreak = o.minStreak ?? 3;
    const limitText = `each ≥ ${formatMs(minDelay)}${o.growth ? `, growing over ${minStreak}+ retries` : ''}`;
    if (streaks === null) return missing(`${c.errors} failed request${c.errors === 1 ? '' : 's'} but retry delays unknown`, minDelay, limitText);
    const delays = streaks.flat();
    if (delays.length === 0) {
      return { pass: true, measured: [], limit: minDelay, measuredText: c.errors ? `${c.errors} failed, never retried` : 'no retries after errors', limitText };
    }
    const fast = delays.filter((d) => d < minDelay).length;
    const flat = o.growth ? streaks.filter((s) => s.length >= minStreak && s[s.length - 1]! < 1.5 * s[0]!) : [];
    const problems: string[] = [];
    if (fast) problems.push(`${fast} of ${delays.length} retr${delays.length === 1 ? 'y' : 'ies'} came within ${formatMs(minDelay)}`);
    if (flat.length) problems.push(`${flat.length === 1 ? 'a streak' : `${flat.length} streaks`} of ${flat.map((s) => s.length).join(', ')} failures did not back off`);
    return {
      pass: problems.length === 0,
      measured: delays.slice(0, 50),
      limit: minDelay,
      measuredText: describeDelays(delays),
      limitText,
      ...(problems.length ? { detail: problems.join('; ') } : {}),
    };
  },
});

function describeDelays(delays: number[]): string {
  const n = `${delays.length} retr${delays.length === 1 ? 'y' : 'ies'} after errors`;
  if (delays.length <= 6) return `${n}: ${delays.map((d) => formatMs(d)).join(', ')}`;
  const sorted = [...delays].sort((a, b) => a - b);
  const med = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return `${n}: delays ${formatMs(sorted[0]!)} … ${formatMs(sorted[sorted.length - 1]!)}, median ${formatMs(med)}`;
}
