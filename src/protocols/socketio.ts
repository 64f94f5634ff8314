// Socket.IO: Engine.IO v3/v4 underneath (`/socket.io/?EIO=…`), and the older Socket.IO 0.9 (`/socket.io/1/…`).
// EIO=3 is Socket.IO 1.x–2.x; EIO=4 is Socket.IO 3.x–4.x (the wire cannot tell 3 from 4, so "4" names both).
import type { Exchange, WsFrame } from '../model.js';
import { dataHead } from '../har/peek.js';
import { decodeSio09, sio09Handshake, sio09Kind } from './engineio-parser.js';
import { eioRevision, engineDecode, engineDeclared, engineFrameKind, engineHeartbeats, engineIdle, engineInfo, engineRole, engineSession, hasSocketIoPackets } from './engine-common.js';
import type { DeclaredFact, Decoded, FrameKind, ProtocolModule, ProtocolRole } from './types.js';
import { isWs, pathOf, segments } from './util.js';

/** socket.io-client Manager defaults (reconnectionDelay, reconnectionDelayMax, randomizationFactor 0.5). */
export const SOCKET_IO_CLIENT_DEFAULTS = { reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5 };

const V09 = /\/socket\.io\/1\/?/;

function is09(ex: Exchange): boolean {
  return V09.test(pathOf(ex)) && eioRevision(ex) === null;
}

/** `/socket.io/1/xhr-polling/<sid>` → sid; the handshake answer `sid:15:10:…` → sid. */
function session09(ex: Exchange): string | null {
  const seg = segments(ex);
  const i = seg.indexOf('1');
  if (i >= 0 && seg.length >= i + 3) return seg[i + 2]!;
  return sio09Handshake(ex.responseBody ?? '')?.sid ?? null;
}

function role09(ex: Exchange): ProtocolRole {
  const seg = segments(ex);
  const i = seg.indexOf('1');
  if (seg.length <= i + 1) return 'setup';
  if (isWs(ex)) return 'stream';
  return ex.method.toUpperCase() === 'POST' ? 'send' : 'poll';
}

function versionOf(ex: Exchange): string | null {
  const rev = eioRevision(ex);
  if (rev === '4') return '4';
  if (rev === '3') return '2';
  return is09(ex) ? '0.9' : null;
}


export const socketIo: ProtocolModule = {
  meta: {
    id: 'socket.io',
    name: 'Socket.IO',
    description: 'Socket.IO over Engine.IO (v2: EIO=3, v3/v4: EIO=4) or the legacy 0.9 protocol (/socket.io/1/).',
    signals: ['path /socket.io/ with EIO=3|4', 'handshake answer 0{"sid":…}', 'Socket.IO packets 40, 42[…] in payloads or frames', 'path /socket.io/1/ (0.9) and sid:hb:close:transports'],
    sessionKey: 'sid (query, the handshake answer, or the 0.9 path segment)',
    declares: ['pingInterval', 'pingTimeout', 'upgrades', 'socket.io-client reconnection defaults'],
  },
  recognise(ex) {
    const rev = eioRevision(ex);
    const version = versionOf(ex);
    if (rev) {
      if (/\/socket\.io\//.test(pathOf(ex))) return { score: 1, version, evidence: `path /socket.io/ with EIO=${rev} (Engine.IO ${rev}: Socket.IO ${rev === '4' ? '3.x–4.x' : '1.x–2.x'})` };
      if (hasSocketIoPackets(ex)) return { score: 1, version, evidence: `EIO=${rev} with Socket.IO packets (40/42[…]) in the payload` };
      return null;
    }
    if (is09(ex)) {
      const hs = sio09Handshake(ex.responseBody ?? '');
      return { score: hs ? 1 : 0.8, version: '0.9', evidence: hs ? 'Socket.IO 0.9 handshake answer sid:heartbeat:close:transports' : 'path /socket.io/1/ (Socket.IO 0.9)' };
    }
    return null;
  },
  roleOf: (ex) => (is09(ex) ? role09(ex) : engineRole(ex)),
  sessionOf: (ex) => (is09(ex) ? session09(ex) : engineSession(ex)),
  idle(ex) {
    if (!is09(ex)) return engineIdle(ex);
    if (ex.responseBody === null) return null;
    return decodeSio09(ex.responseBody).every((m) => sio09Kind(m.type) !== 'data');
  },
  decode(ex): Decoded | null {
    if (!is09(ex)) return engineDecode(ex, true);
    if (ex.responseBody === null || isWs(ex) || sio09Handshake(ex.responseBody)) return null;
    const out: Decoded = { data: 0, heartbeat: 0, control: 0 };
    for (const m of decodeSio09(ex.responseBody)) out[sio09Kind(m.type)]++;
    return out;
  },
  frameKind(f: WsFrame): FrameKind | null {
    const head = dataHead(f);
    if (/^\d::/.test(head)) return sio09Kind(Number(head[0]));
    return engineFrameKind(f, true);
  },
  heartbeats: engineHeartbeats,
  declared(exs): DeclaredFact[] {
    const out = engineDeclared(exs, 'Engine.IO');
    const hs09 = exs.map((ex) => sio09Handshake(ex.responseBody ?? '')).find((h) => h !== null);
    if (hs09?.heartbeatS) {
      out.push({ key: 'heartbeatTimeoutMs', valueMs: hs09.heartbeatS * 1000, source: 'Socket.IO 0.9 handshake heartbeat timeout', fact: 'heartbeat timeout', observe: 'none' });
    }
    // The client's back-off is not on the wire; its library defaults are what most pages run with.
    const d = SOCKET_IO_CLIENT_DEFAULTS;
    out.push({
      key: 'reconnectionDelayMs', valueMs: d.reconnectionDelay, source: 'socket.io-client default reconnectionDelay (±50 % jitter)',
      fact: 'first reconnect delay', observe: 'first-reconnect', tolerance: d.randomizationFactor, slackMs: 300, onlyIfObserved: true,
    });
    out.push({
      key: 'reconnectionDelayMaxMs', valueMs: d.reconnectionDelayMax, source: 'socket.io-client default reconnectionDelayMax',
      fact: 'longest reconnect delay', observe: 'max-reconnect', compare: 'at-most', slackMs: 500, onlyIfObserved: true,
    });
    return out;
  },
  declaredInfo: engineInfo,
};
