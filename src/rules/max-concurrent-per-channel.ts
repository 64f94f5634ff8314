import { count } from '../config/schema.js';
import { defineRule, missing } from './types.js';

export default defineRule({
  meta: {
    id: 'max-concurrent-per-channel',
    description: 'At most this many requests of one channel are open at once (2 usually means two listeners polling the same thing).',
    docs: 'The most steady-state requests of the channel open at the same moment; requests that merely touch (within 50 ms) do not count as overlapping. Needs the capture\'s requests, so it is missing when checking an Analysis read back from JSON.',
    defaultSeverity: 'error',
    unit: 'count',
    options: { max: count().optional().describe('default 1') },
    needs: ['maxConcurrent'],
    flag: { flags: '--max-concurrent-per-channel <n>', description: 'requests of one channel open at once, at most (1 catches duplicate polling)', toOptions: (v) => ({ max: v }) },
    example: { max: 1 },
  },
  check(c, o, ctx) {
    const max = o.max ?? 1;
    const value = ctx.figures(c).maxConcurrent;
    const limitText = `≤ ${max}`;
    if (value === null) return missing('concurrency unknown (needs the capture\'s requests)', max, limitText);
    return { pass: value <= max, measured: value, limit: max, measuredText: `${value} open at once`, limitText };
  },
});
