// MQTT over WebSocket (MQTT 3.1, 3.1.1 and 5; OASIS mqtt-v3.1.1 §6 and mqtt-v5.0 §6): the subprotocol is `mqtt`
// (`mqttv3.1` for 3.1), every message is a binary frame holding MQTT control packets, and the client's CONNECT says
// how often it will ping (keep alive, seconds). A broker closes a connection silent for 1.5 times that.
// Exporters write binary frames base64 (DevTools and Playwright alike).
import type { Exchange, WsFrame } from '../model.js';
import { dataHead } from '../har/peek.js';
import type { DeclaredFact, FrameKind, ProtocolModule } from './types.js';
import { subprotocol, subprotocols } from './util.js';

/** Control packet types (the high nibble of a packet's first byte). */
const CONNECT = 1;
const PUBLISH = 3;
const PINGREQ = 12;
const PINGRESP = 13;
const LEVELS: Record<number, string> = { 3: '3.1', 4: '3.1.1', 5: '5' };

/** Base64 characters read of a frame: 48 bytes, enough for a CONNECT's keep alive and any packet's type. */
const HEAD_CHARS = 64;

/** The first bytes of a binary frame's payload (a frame in memory can be megabytes; only its start is decoded). */
function bytesOf(f: WsFrame): Buffer | null {
  if (f.opcode !== 2) return null;
  const text = dataHead(f).slice(0, HEAD_CHARS);
  const whole = text.slice(0, text.length - (text.length % 4)); // base64 decodes four characters at a time
  return whole !== '' && /^[A-Za-z0-9+/]+={0,2}$/.test(whole) ? Buffer.from(whole, 'base64') : null;
}

/** The type of the first control packet of a frame, or null when the frame is not one. */
function packetType(f: WsFrame): number | null {
  const b = bytesOf(f);
  if (!b || b.length < 2) return null;
  const type = b[0]! >> 4;
  return type >= 1 && type <= 15 ? type : null;
}

interface Connect {
  level: number;
  keepAliveS: number;
}

/** A CONNECT packet: protocol name MQTT or MQIsdp, its level and keep alive. */
function connectOf(f: WsFrame): Connect | null {
  const b = bytesOf(f);
  if (!b || b.length < 12 || b[0]! >> 4 !== CONNECT) return null;
  // The remaining length takes 1 to 4 bytes, each but the last with its high bit set.
  let i = 1;
  while (i < 5 && i < b.length && (b[i]! & 0x80) !== 0) i += 1;
  i += 1;
  if (i + 2 > b.length) return null;
  const nameLength = b.readUInt16BE(i);
  const name = b.subarray(i + 2, i + 2 + nameLength).toString('latin1');
  if (name !== 'MQTT' && name !== 'MQIsdp') return null;
  const at = i + 2 + nameLength;
  if (at + 4 > b.length) return null;
  return { level: b[at]!, keepAliveS: b.readUInt16BE(at + 2) };
}

function firstConnect(ex: Exchange): Connect | null {
  for (const f of ex.wsFrames ?? []) {
    if (f.direction !== 'send') continue;
    return connectOf(f);
  }
  return null;
}

export const mqtt: ProtocolModule = {
  meta: {
    id: 'mqtt',
    name: 'MQTT',
    description: 'MQTT 3.1, 3.1.1 and 5 over WebSocket: binary frames of MQTT control packets, a keep-alive ping from the client.',
    signals: ['WebSocket subprotocol mqtt or mqttv3.1', "the client's first frame a CONNECT packet naming MQTT or MQIsdp"],
    sessionKey: 'none (one WebSocket is one MQTT session)',
    declares: ['keep alive (CONNECT)'],
  },
  recognise(ex) {
    const offered = subprotocols(ex);
    const connect = ex.wsFrames ? firstConnect(ex) : null;
    const version = connect ? (LEVELS[connect.level] ?? null) : offered.includes('mqttv3.1') ? '3.1' : null;
    if (offered.includes('mqtt') || offered.includes('mqttv3.1')) return { score: 1, version, evidence: `subprotocol ${subprotocol(ex)}` };
    if (connect) return { score: 0.95, version, evidence: 'CONNECT packet in the first frame' };
    return null;
  },
  roleOf: () => 'stream',
  frameKind(f): FrameKind | null {
    const type = packetType(f);
    if (type === null) return null;
    if (type === PUBLISH) return 'data';
    if (type === PINGREQ || type === PINGRESP) return 'heartbeat';
    return 'control';
  },
  heartbeats(ex) {
    return (ex.wsFrames ?? []).filter((f) => f.direction === 'receive' && packetType(f) === PINGRESP).map((f) => f.time);
  },
  declared(exs): DeclaredFact[] {
    for (const ex of exs) {
      const connect = firstConnect(ex);
      if (!connect || connect.keepAliveS === 0) continue;
      // The client pings when it has sent nothing for that long: the broker's answers come at most that far apart,
      // and the broker gives up after 1.5 times it.
      return [{ key: 'keepAliveMs', valueMs: connect.keepAliveS * 1000, source: 'MQTT CONNECT keep alive', fact: 'keep-alive ping interval', observe: 'heartbeat', compare: 'at-most', tolerance: 0.5 }];
    }
    return [];
  },
};
