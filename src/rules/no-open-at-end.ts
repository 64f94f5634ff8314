import { formatMs } from '../config/units.js';
import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'no-open-at-end',
    description: 'No request of the channel is still open when the capture ends (opt-in: a healthy long poll or stream normally is).',
    docs: 'Reads pendingAtEnd. Useful when the test is meant to close the connection before saving the HAR (e.g. checking that a logout tears push down).',
    defaultSeverity: 'error',
    unit: 'count',
    options: {},
    needs: ['pendingAtEnd'],
    optIn: true,
    flag: { flags: '--no-open-at-end', description: 'fail if a channel still has a request open when the capture ends', toOptions: () => ({}) },
    example: true,
  },
  check(c) {
    const open = c.openAtEndMs?.length ? ` (open ${c.openAtEndMs.map((ms) => `≥ ${formatMs(ms)}`).join(', ')})` : '';
    return { pass: c.pendingAtEnd === 0, measured: c.pendingAtEnd, limit: 0, measuredText: `${c.pendingAtEnd} open at end${c.pendingAtEnd ? open : ''}`, limitText: 'none' };
  },
});
