import { count } from '../config/schema.js';
import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'max-errors',
    description: 'At most this many of the channel\'s requests fail (HTTP errors, network failures, aborts before any answer).',
    docs: 'Reads the channel\'s errors count. A request still open when the capture ended is not an error.',
    defaultSeverity: 'error',
    unit: 'count',
    options: { max: count().optional().describe('default 0') },
    needs: ['errors'],
    flag: { flags: '--max-errors <n>', description: 'failed requests per channel, at most', toOptions: (v) => ({ max: v }) },
    example: { max: 0 },
  },
  check(c, o) {
    const max = o.max ?? 0;
    return { pass: c.errors <= max, measured: c.errors, limit: max, measuredText: `${c.errors} error${c.errors === 1 ? '' : 's'} in ${c.requests} request${c.requests === 1 ? '' : 's'}`, limitText: `≤ ${max}` };
  },
});
