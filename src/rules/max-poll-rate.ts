import { duration, rate } from '../config/schema.js';
import { formatMs, formatRate } from '../config/units.js';
import { peakPerMinute } from './figures.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'max-poll-rate',
    description: 'A polling channel sends at most this many requests per minute.',
    docs: 'Requests per minute of the channel\'s steady state (setup and teardown requests left out): (n − 1) requests over the time their starts span, so a 2 s timer reads 30/min. Retries after errors count: a retry storm is polling too. With `window`, the busiest stretch of that length counts instead of the average, so a burst in a long capture is not averaged away.',
    defaultSeverity: 'error',
    unit: 'per-minute',
    options: {
      max: rate().describe('highest acceptable rate, e.g. "12/min"'),
      window: duration().optional().describe('judge the busiest stretch of this length (e.g. "1m") instead of the whole capture\'s average'),
    },
    appliesTo: { modes: ['short-poll', 'long-poll'], describe: 'polling channels' },
    needs: ['requestsPerMinute'],
    flag: { flags: '--max-poll-rate <rate>', description: 'polling channels send at most this many requests, e.g. 12/min', toOptions: (v) => ({ max: v }) },
    example: { max: '12/min', select: { endpoint: '/api/notifications' } },
  },
  check(c, o, ctx) {
    const f = ctx.figures(c);
    const limitText = `≤ ${formatRate(o.max)}`;
    if (o.window !== undefined && f.steadyStarts === null) return missing('peak rate unknown (needs the capture\'s requests, not a saved report)', o.max, limitText);
    const value = o.window === undefined ? f.requestsPerMinute : peakPerMinute(f.steadyStarts!, o.window);
    if (value === null) return missing(`rate unknown (${c.requests} request${c.requests === 1 ? '' : 's'}: too few to measure)`, o.max, limitText);
    const measuredText = o.window === undefined ? formatRate(value) : `${formatRate(value)} at the busiest ${formatMs(o.window)}`;
    return { pass: value <= o.max, measured: round(value), limit: o.max, measuredText, limitText, detail: `${c.requests} requests` };
  },
});

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
