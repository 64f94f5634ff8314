// Atmosphere (atmosphere.js): X-Atmosphere-Transport / X-Atmosphere-tracking-id / X-Atmosphere-Framework, as
// headers or query parameters; the first response carries `<uuid>|<heartbeat ms>|X|`; transport=close ends it.
import type { Exchange } from '../model.js';
import type { ProtocolModule, ProtocolRole } from './types.js';
import { header, param } from './util.js';

function atmo(ex: Exchange, name: string): string | null {
  return param(ex, name) ?? header(ex.requestHeaders, name);
}

/** `<uuid>|<heartbeat ms>|X|`, length-prefixed (`45|<uuid>|…`) when trackMessageLength is on. */
const HANDSHAKE = /^\s*(?:\d+\|)?([0-9a-f-]{8,})\|(\d+)\|X\|/i;

export const atmosphere: ProtocolModule = {
  meta: {
    id: 'atmosphere',
    name: 'Atmosphere',
    description: 'Atmosphere framework (Java; Vaadin push, ICEpush on Atmosphere): long-polling, streaming, SSE, WebSocket, JSONP.',
    signals: ['X-Atmosphere-Transport (header or query)', 'X-Atmosphere-tracking-id (0, then a UUID)', 'X-Atmosphere-Framework', 'handshake <uuid>|<heartbeat>|X|'],
    sessionKey: 'X-Atmosphere-tracking-id',
    declares: ['heartbeat interval from the protocol handshake'],
  },
  recognise(ex) {
    const t = atmo(ex, 'X-Atmosphere-Transport');
    const fw = atmo(ex, 'X-Atmosphere-Framework');
    if (!t && !fw && !atmo(ex, 'X-Atmosphere-tracking-id')) return null;
    return { score: 1, version: fw, evidence: `Atmosphere X-Atmosphere-Transport=${t ?? '?'}` };
  },
  roleOf(ex): ProtocolRole | null {
    const t = (atmo(ex, 'X-Atmosphere-Transport') ?? '').toLowerCase();
    if (t === 'close') return 'teardown';
    if (ex.method.toUpperCase() === 'POST') return 'send';
    // tracking-id 0: the first request, answered with the protocol handshake.
    if (atmo(ex, 'X-Atmosphere-tracking-id') === '0') return 'setup';
    if (t === 'long-polling' || t === 'polling' || t === 'jsonp') return 'poll';
    return t ? 'stream' : null;
  },
  sessionOf(ex) {
    const id = atmo(ex, 'X-Atmosphere-tracking-id');
    if (id && id !== '0') return id;
    const m = HANDSHAKE.exec(ex.responseBody ?? '');
    return m ? m[1]! : null;
  },
  declared(exs) {
    const m = exs.map((ex) => HANDSHAKE.exec(ex.responseBody ?? '')).find((x) => x !== null);
    return m ? [{ key: 'heartbeatMs', valueMs: Number(m[2]), source: 'Atmosphere protocol handshake heartbeat', fact: 'heartbeat interval', observe: 'none' }] : [];
  },
};
