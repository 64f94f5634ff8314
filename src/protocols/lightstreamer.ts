// Lightstreamer TLCP: create_session.txt opens a session (CONOK,<id>,<requestLimit>,<keepalive>,…); bind_session.txt
// re-binds to it. `LOOP` ends a bind normally (content length used up, or a polling cycle): a rebind, not a reconnect.
import { responseMay } from '../har/peek.js';
import type { ProtocolModule, ProtocolRole } from './types.js';
import { formField, param, pathOf } from './util.js';

function conok(body: string | null): { session: string; keepaliveMs: number | null } | null {
  const m = /^CONOK,([^,\r\n]+),(\d+),(\d+)/m.exec(body ?? '');
  return m ? { session: m[1]!, keepaliveMs: Number(m[3]) } : null;
}

export const lightstreamer: ProtocolModule = {
  meta: {
    id: 'lightstreamer',
    name: 'Lightstreamer',
    description: 'Lightstreamer TLCP over HTTP: create_session, bind_session (streaming or polling), control.',
    signals: ['/lightstreamer/(create|bind)_session.txt', 'LS_protocol=TLCP-…', 'CONOK, PROBE, LOOP, END lines'],
    sessionKey: 'LS_session (bind) / CONOK session id (create)',
    declares: ['keepalive from CONOK (PROBE interval)'],
  },
  recognise(ex) {
    const p = pathOf(ex);
    const m = /\/(create_session|bind_session|control|msg|heartbeat)\.(txt|js)$/.exec(p);
    if (!m && !(responseMay(ex, 'lightstreamer') && conok(ex.responseBody))) return null;
    const proto = param(ex, 'LS_protocol');
    return { score: 1, version: proto ? proto.replace(/^TLCP-/, '') : null, evidence: `Lightstreamer ${m ? m[1] : 'CONOK'}${proto ? ` (${proto})` : ''}` };
  },
  roleOf(ex): ProtocolRole | null {
    const p = pathOf(ex);
    if (/create_session/.test(p)) return 'stream';
    if (/bind_session/.test(p)) return 'stream';
    if (/(control|msg)\./.test(p)) return 'send';
    if (/heartbeat\./.test(p)) return 'send';
    return null;
  },
  sessionOf(ex) {
    return param(ex, 'LS_session') ?? formField(ex.requestBody, 'LS_session') ?? conok(ex.responseBody)?.session ?? null;
  },
  groupKey(ex, key) {
    // create_session and the bind_session rebinds are one stream of one session.
    if (!/\/(create|bind)_session\.(txt|js)$/.test(pathOf(ex))) return null;
    return `${key.split(' ')[0]} ${new URL(ex.url).origin}${pathOf(ex).replace(/(create|bind)_session/, '{session}')}`;
  },
  decode(ex) {
    const body = ex.responseBody;
    if (!body) return null;
    const out = { data: 0, heartbeat: 0, control: 0 };
    for (const line of body.split(/\r?\n/)) {
      if (/^U,/.test(line)) out.data++;
      else if (/^PROBE/.test(line)) out.heartbeat++;
      else if (/^(CONOK|LOOP|END|SUBOK|EOS|CS|OV|SYNC|CONERR|SERVNAME|CLIENTIP|CONS|PROG|NOOP)/.test(line)) out.control++;
    }
    return out;
  },
  heartbeats(ex) {
    return ex.state === 'complete' && /^PROBE/m.test(ex.responseBody ?? '') ? [ex.end] : [];
  },
  declared(exs) {
    const c = exs.map((ex) => conok(ex.responseBody)).find((x) => x !== null);
    if (!c?.keepaliveMs) return [];
    return [{ key: 'keepaliveMs', valueMs: c.keepaliveMs, source: 'Lightstreamer CONOK keepalive', fact: 'keepalive (PROBE) interval', observe: 'none' }];
  },
};
