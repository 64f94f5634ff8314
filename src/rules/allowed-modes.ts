import { defineRule } from './types.js';
import { modesOption, splitList } from './modes-shared.js';

export default defineRule({
  meta: {
    id: 'allowed-modes',
    description: 'Every selected channel uses one of these modes.',
    docs: 'Compares the channel\'s mode (short-poll, long-poll, stream, websocket) with the list.',
    defaultSeverity: 'error',
    options: { modes: modesOption() },
    needs: ['mode'],
    flag: { flags: '--allow-modes <modes>', description: 'comma-separated modes every channel must use, e.g. websocket,long-poll', toOptions: (v) => ({ modes: splitList(v) }) },
    example: { modes: ['websocket', 'long-poll'] },
  },
  check(c, o) {
    return { pass: o.modes.includes(c.mode), measured: c.mode, limit: o.modes, measuredText: `mode ${c.mode} (${c.label})`, limitText: `one of ${o.modes.join(', ')}` };
  },
});
