import { duration } from '../config/schema.js';
import { formatMs } from '../config/units.js';
import { holdFigure, holdName, holdOf, whyNoHold } from './hold-shared.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'max-hold',
    description: 'Long polls are never held longer than this (keep them under proxy and load-balancer idle timeouts).',
    docs: 'Reads the longest completed hold by default, or another hold statistic (or the timeout) with "of".',
    defaultSeverity: 'error',
    unit: 'ms',
    options: { max: duration().describe('longest acceptable hold, e.g. "55s"'), of: holdOf('max') },
    appliesTo: { modes: ['long-poll'], describe: 'long-poll channels' },
    needs: ['holdMs', 'timeoutMs'],
    flag: { flags: '--max-hold <duration>', description: 'long polls held at most this long (longest hold), e.g. 55s', toOptions: (v) => ({ max: v }) },
    example: { max: '55s' },
  },
  check(c, o) {
    const value = holdFigure(c, o.of);
    const limitText = `≤ ${formatMs(o.max)}`;
    if (value === null) return missing(whyNoHold(c, o.of), o.max, limitText);
    return { pass: value <= o.max, measured: value, limit: o.max, measuredText: `${holdName(o.of)} ${formatMs(value)}`, limitText };
  },
});
