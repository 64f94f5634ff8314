import { z } from 'zod';
import { rate } from '../config/schema.js';
import { formatMs, formatRate } from '../config/units.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'max-reconnects-per-minute',
    description: 'The channel reconnects at most this often.',
    docs: 'Reconnects (after an error, an abort, or a stream or WebSocket closing; not a long poll\'s normal re-poll) per minute of the channel\'s life, from its first request to the end of the capture.',
    defaultSeverity: 'error',
    unit: 'per-minute',
    options: {
      max: z.union([z.number().nonnegative(), rate()]).describe('highest acceptable rate, e.g. "6/min" (a bare number is per minute)'),
    },
    needs: ['reconnect.count', 'lifeMs'],
    flag: {
      flags: '--max-reconnects-per-minute <n>',
      description: 'reconnects per minute, at most',
      toOptions: (v) => ({ max: typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v }),
    },
    example: { max: '6/min' },
  },
  check(c, o, ctx) {
    const { reconnectsPerMinute: value, lifeMs } = ctx.figures(c);
    const limitText = `≤ ${formatRate(o.max)}`;
    if (value === null) return missing('channel life unknown', o.max, limitText);
    return {
      pass: value <= o.max,
      measured: Math.round(value * 100) / 100,
      limit: o.max,
      measuredText: formatRate(value),
      limitText,
      detail: `${c.reconnect.count} reconnect${c.reconnect.count === 1 ? '' : 's'} in ${formatMs(lifeMs ?? 0)}`,
    };
  },
});
