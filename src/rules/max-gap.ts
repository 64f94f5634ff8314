import { duration } from '../config/schema.js';
import { formatMs } from '../config/units.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'max-gap',
    description: 'The channel is never blind (no request or connection open) for longer than this.',
    docs: 'The longest stretch, from the channel\'s first request to the end of the capture, with none of its requests open: a short poll\'s wait between polls, a back-off pause, a client that stopped reconnecting. With several captures at once the time after a channel\'s last request is not counted.',
    defaultSeverity: 'error',
    unit: 'ms',
    options: { max: duration().describe('longest acceptable blind stretch, e.g. "5s"') },
    needs: ['longestGapMs'],
    flag: { flags: '--max-gap <duration>', description: 'longest blind gap of any channel, e.g. 5s', toOptions: (v) => ({ max: v }) },
    example: { max: '5s' },
  },
  check(c, o, ctx) {
    const value = ctx.figures(c).longestGapMs;
    const limitText = `≤ ${formatMs(o.max)}`;
    if (value === null) return missing('gaps unknown (no request times)', o.max, limitText);
    return { pass: value <= o.max, measured: Math.round(value), limit: o.max, measuredText: `longest gap ${formatMs(value)}`, limitText };
  },
});
