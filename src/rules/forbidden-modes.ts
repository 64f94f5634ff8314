import { defineRule } from './types.js';
import { modesOption, splitList } from './modes-shared.js';

export default defineRule({
  meta: {
    id: 'forbidden-modes',
    description: 'No selected channel uses these modes (e.g. no fallback to short polling).',
    docs: 'Compares the channel\'s mode (short-poll, long-poll, stream, websocket) with the list. Like every rule it fails when no channel is found at all, unless optional.',
    defaultSeverity: 'error',
    options: { modes: modesOption() },
    needs: ['mode'],
    flag: { flags: '--forbid-modes <modes>', description: 'comma-separated modes no channel may use, e.g. short-poll', toOptions: (v) => ({ modes: splitList(v) }) },
    example: { modes: ['short-poll'] },
  },
  check(c, o) {
    return { pass: !o.modes.includes(c.mode), measured: c.mode, limit: o.modes, measuredText: `mode ${c.mode} (${c.label})`, limitText: `not ${o.modes.join(', ')}` };
  },
});
