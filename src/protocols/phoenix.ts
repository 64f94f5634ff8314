// Phoenix Channels LongPoll (phoenix.js longpoll.js): GET /socket/longpoll?vsn=2.0.0[&token=…]; the first answer is
// {"status":410,"token":…} (a session opened), 200 carries messages, 204 is an empty poll; 410 with an old token
// means the session is gone. Sends are POSTs of ndjson with the token.
import type { ProtocolModule, ProtocolRole } from './types.js';
import { isObject, json, param, pathOf } from './util.js';

/** phoenix.js longpollerTimeout: the client gives up on a poll after 20 s; servers answer 204 before that. */
export const PHOENIX_LONGPOLLER_TIMEOUT_MS = 20_000;

function answer(text: string | null): Record<string, unknown> | null {
  const b = json(text);
  return isObject(b) && typeof b['status'] === 'number' ? b : null;
}

/** The token of the session a GET's {"status":410,"token":…} answer opened, if it is one. */
function opened(ex: { method: string; responseBody: string | null }): string | null {
  if (ex.method.toUpperCase() === 'POST') return null;
  const a = answer(ex.responseBody);
  return a && a['status'] === 410 && typeof a['token'] === 'string' ? a['token'] : null;
}

export const phoenix: ProtocolModule = {
  meta: {
    id: 'phoenix',
    name: 'Phoenix',
    description: 'Phoenix Channels LongPoll transport (also LiveView /live/longpoll).',
    signals: ['path …/longpoll with vsn=', '{"status":410,"token":…} opens a session', 'token= on later polls'],
    sessionKey: 'token',
    declares: ['longpollerTimeout 20 s (client default)'],
  },
  recognise(ex) {
    if (!/\/longpoll$/.test(pathOf(ex))) return null;
    const a = answer(ex.responseBody);
    return { score: a || param(ex, 'vsn') ? 1 : 0.6, version: param(ex, 'vsn'), evidence: `Phoenix LongPoll ${pathOf(ex)}${a ? ` answering status ${String(a['status'])}` : ''}` };
  },
  roleOf(ex): ProtocolRole | null {
    if (ex.method.toUpperCase() === 'POST') return 'send';
    if (!param(ex, 'token') || opened(ex)) return 'setup';
    return 'poll';
  },
  sessionOf(ex) {
    // A 410 answer opened a session, also on a poll whose old token the server no longer knows: its token is the new one.
    return opened(ex) ?? param(ex, 'token');
  },
  idle(ex) {
    if (ex.state !== 'complete') return null;
    if (ex.status === 204) return true;
    const a = answer(ex.responseBody);
    return a ? a['status'] === 204 || !(Array.isArray(a['messages']) && a['messages'].length > 0) : null;
  },
  decode(ex) {
    const a = answer(ex.responseBody);
    if (!a) return ex.status === 204 ? { data: 0, heartbeat: 1, control: 0 } : null;
    const msgs = Array.isArray(a['messages']) ? a['messages'] : [];
    const hb = msgs.filter((m) => typeof m === 'string' ? m.includes('"phoenix"') : false).length;
    return { data: msgs.length - hb, heartbeat: hb + (msgs.length === 0 && a['status'] === 204 ? 1 : 0), control: a['status'] === 410 ? 1 : 0 };
  },
  declared(exs) {
    if (!exs.some((ex) => param(ex, 'token'))) return [];
    return [{ key: 'longpollerTimeoutMs', valueMs: PHOENIX_LONGPOLLER_TIMEOUT_MS, source: 'phoenix.js default longpollerTimeout', fact: 'longest poll hold', observe: 'max-hold', compare: 'at-most', onlyIfObserved: true }];
  },
};
