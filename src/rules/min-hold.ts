import { duration } from '../config/schema.js';
import { formatMs } from '../config/units.js';
import { holdFigure, holdName, holdOf, whyNoHold } from './hold-shared.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'min-hold',
    description: 'Long polls are held at least this long (a proxy or server that answers early makes the client hammer).',
    docs: 'Reads the channel\'s server timeout (timeoutMs: the hold at which empty answers cluster) by default, or a hold statistic with "of". A channel whose timeout cannot be seen fails as missing unless the entry is optional.',
    defaultSeverity: 'error',
    unit: 'ms',
    options: { min: duration().describe('shortest acceptable hold, e.g. "20s"'), of: holdOf('timeout') },
    appliesTo: { modes: ['long-poll'], describe: 'long-poll channels' },
    needs: ['timeoutMs', 'holdMs'],
    flag: { flags: '--min-hold <duration>', description: 'long polls held at least this long (timeout), e.g. 20s', toOptions: (v) => ({ min: v }) },
    example: { min: '20s' },
  },
  check(c, o) {
    const value = holdFigure(c, o.of);
    const limitText = `≥ ${formatMs(o.min)}`;
    if (value === null) return missing(whyNoHold(c, o.of), o.min, limitText);
    return { pass: value >= o.min, measured: value, limit: o.min, measuredText: `${holdName(o.of)} ${formatMs(value)}`, limitText };
  },
});
