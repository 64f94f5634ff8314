// Engine.IO and Socket.IO wire decoding, in the spirit of engine.io-parser / socket.io-parser: pure functions, no I/O.
// Engine.IO v3 (EIO=3, Socket.IO 1–2) frames a polling payload as `<length>:<packet>` repeated; v4 (EIO=4,
// Socket.IO 3–4) joins packets with the record separator \x1e. A packet is one type digit and its data.
// Socket.IO 0.9 (`/socket.io/1/`) is an older, unrelated format: `type:id:endpoint:data`, framed `\ufffd<len>\ufffd`.
import type { Decoded, FrameKind } from './types.js';

export type EioType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop';
const EIO_TYPES: EioType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

export interface EioPacket {
  type: EioType;
  data: string;
}

/** One packet: `4hello` → message "hello"; `b…` (base64 binary over polling) → message. */
export function decodeEioPacket(text: string): EioPacket | null {
  if (text.startsWith('b')) return { type: 'message', data: text.slice(1) };
  const t = EIO_TYPES[Number(text[0])];
  if (!t || !/^\d/.test(text)) return null;
  return { type: t, data: text.slice(1) };
}

/** A polling payload in either framing; JSONP-wrapped v3 payloads (`___eio[0]("…")`) are unwrapped first. */
export function decodeEioPayload(body: string): EioPacket[] {
  let text = body;
  const jsonp = /^\s*___eio\[\d+\]\(([\s\S]*)\);?\s*$/.exec(text);
  if (jsonp) {
    try {
      text = JSON.parse(jsonp[1]!) as string;
    } catch {
      return [];
    }
  }
  if (text === '') return [];
  if (/^\d+:/.test(text)) return decodeV3(text);
  return text.split('\x1e').map(decodeEioPacket).filter((p): p is EioPacket => p !== null);
}

function decodeV3(text: string): EioPacket[] {
  const out: EioPacket[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const len = Number(text.slice(i, colon));
    if (!Number.isInteger(len) || len < 0) break;
    const p = decodeEioPacket(text.slice(colon + 1, colon + 1 + len));
    if (p) out.push(p);
    i = colon + 1 + len;
  }
  return out;
}

/** The open packet's JSON (`0{"sid":…,"pingInterval":…}`), from a polling answer or a first WebSocket frame. */
export interface EioHandshake {
  sid: string;
  upgrades: string[];
  pingInterval: number | null;
  pingTimeout: number | null;
  maxPayload: number | null;
}

export function eioHandshake(packets: readonly EioPacket[]): EioHandshake | null {
  const open = packets.find((p) => p.type === 'open');
  if (!open) return null;
  try {
    const o = JSON.parse(open.data) as Record<string, unknown>;
    if (typeof o['sid'] !== 'string') return null;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
    return {
      sid: o['sid'],
      upgrades: Array.isArray(o['upgrades']) ? o['upgrades'].filter((u): u is string => typeof u === 'string') : [],
      pingInterval: num(o['pingInterval']),
      pingTimeout: num(o['pingTimeout']),
      maxPayload: num(o['maxPayload']),
    };
  } catch {
    return null;
  }
}

/** Socket.IO packet types carried in Engine.IO messages. */
export type SioType = 'CONNECT' | 'DISCONNECT' | 'EVENT' | 'ACK' | 'CONNECT_ERROR' | 'BINARY_EVENT' | 'BINARY_ACK';
const SIO_TYPES: SioType[] = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT', 'BINARY_ACK'];

export function socketIoType(messageData: string): SioType | null {
  const t = SIO_TYPES[Number(messageData[0])];
  return t && /^\d/.test(messageData) ? t : null;
}

/** How a user counts an Engine.IO packet: events are data; pings, pongs, noops are heartbeats; the rest control. */
export function eioKind(p: EioPacket, socketIo: boolean): FrameKind {
  switch (p.type) {
    case 'ping':
    case 'pong':
      // `2probe`/`3probe` are the upgrade handshake, not keep-alives.
      return p.data === 'probe' ? 'control' : 'heartbeat';
    case 'noop':
      return 'heartbeat';
    case 'message': {
      if (!socketIo) return 'data';
      const t = socketIoType(p.data);
      return t === 'EVENT' || t === 'ACK' || t === 'BINARY_EVENT' || t === 'BINARY_ACK' || t === null ? 'data' : 'control';
    }
    default:
      return 'control';
  }
}

export function countEio(packets: readonly EioPacket[], socketIo: boolean): Decoded {
  const out: Decoded = { data: 0, heartbeat: 0, control: 0 };
  for (const p of packets) out[eioKind(p, socketIo)]++;
  return out;
}

// ---- Socket.IO 0.9 ----

export interface Sio09Message {
  type: number;
  data: string;
}

/** `\ufffd5\ufffd3:::a\ufffd3\ufffd8::` → two messages; a single unframed message is one. */
export function decodeSio09(body: string): Sio09Message[] {
  const parts: string[] = [];
  if (body.startsWith('\ufffd')) {
    let i = 0;
    while (i < body.length && body[i] === '\ufffd') {
      const end = body.indexOf('\ufffd', i + 1);
      if (end < 0) break;
      const len = Number(body.slice(i + 1, end));
      if (!Number.isInteger(len)) break;
      parts.push(body.slice(end + 1, end + 1 + len));
      i = end + 1 + len;
    }
  } else if (body !== '') {
    parts.push(body);
  }
  return parts
    .map((m) => /^(\d)(?::([^:]*)(?::([^:]*)(?::([\s\S]*))?)?)?$/.exec(m))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ type: Number(m[1]), data: m[4] ?? '' }));
}

/** 0 disconnect, 1 connect, 2 heartbeat, 3 message, 4 json, 5 event, 6 ack, 7 error, 8 noop. */
export function sio09Kind(type: number): FrameKind {
  if (type === 2 || type === 8) return 'heartbeat';
  if (type >= 3 && type <= 6) return 'data';
  return 'control';
}

/** Handshake answer `sid:heartbeat:close:transports` (timeouts in seconds). */
export function sio09Handshake(body: string): { sid: string; heartbeatS: number | null; closeS: number | null; transports: string[] } | null {
  const m = /^([\w-]{6,}):(\d*):(\d*):([\w,-]+)\s*$/.exec(body.trim());
  if (!m) return null;
  return { sid: m[1]!, heartbeatS: m[2] ? Number(m[2]) : null, closeS: m[3] ? Number(m[3]) : null, transports: m[4]!.split(',') };
}
