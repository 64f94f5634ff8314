// Bare Engine.IO (no Socket.IO packets on top): `/engine.io/?EIO=4&transport=polling|websocket&sid=…`.
import { eioRevision, engineDecode, engineDeclared, engineFrameKind, engineHeartbeats, engineIdle, engineInfo, engineRole, engineSession, hasSocketIoPackets } from './engine-common.js';
import type { ProtocolModule } from './types.js';
import { pathOf } from './util.js';

export const engineIo: ProtocolModule = {
  meta: {
    id: 'engine.io',
    name: 'Engine.IO',
    description: 'Engine.IO transport layer used alone: polling (held GET, POST to send) upgrading to WebSocket.',
    signals: ['query EIO=3|4 with transport=polling|websocket', 'handshake answer 0{"sid":…}', 'v3 <len>: or v4 \\x1e payload framing'],
    sessionKey: 'sid (query, or the handshake answer)',
    declares: ['pingInterval', 'pingTimeout', 'upgrades', 'maxPayload'],
  },
  recognise(ex) {
    const rev = eioRevision(ex);
    if (!rev || /\/socket\.io\//.test(pathOf(ex))) return null;
    // Socket.IO on a custom path shows its packets (`40`, `42[…]`); leave those to the socket.io module.
    if (hasSocketIoPackets(ex)) return null;
    return { score: 0.85, version: rev, evidence: `EIO=${rev} in the query (Engine.IO protocol ${rev})` };
  },
  roleOf: engineRole,
  sessionOf: engineSession,
  idle: engineIdle,
  decode: (ex) => engineDecode(ex, false),
  frameKind: (f) => engineFrameKind(f, false),
  heartbeats: engineHeartbeats,
  declared: (exs) => engineDeclared(exs, 'Engine.IO'),
  declaredInfo: engineInfo,
};
