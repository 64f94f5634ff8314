// The Engine.IO layer shared by the `engine.io` and `socket.io` modules: URL reading, sessions, heartbeats and the
// handshake's declared timings. Socket.IO adds its packet types and client reconnection defaults on top.
import type { Exchange, WsFrame } from '../model.js';
import { dataHead, dataMay, responseMay } from '../har/peek.js';
import { countEio, decodeEioPacket, decodeEioPayload, eioHandshake, eioKind, type EioHandshake } from './engineio-parser.js';
import type { DeclaredFact, Decoded, FrameKind, ProtocolRole } from './types.js';
import { isWs, param } from './util.js';

/** `EIO=3|4` in the query: the Engine.IO revision. */
export function eioRevision(ex: Exchange): '3' | '4' | null {
  const v = param(ex, 'EIO');
  return v === '3' || v === '4' ? v : null;
}

export function engineRole(ex: Exchange): ProtocolRole | null {
  if (eioRevision(ex) === null) return null;
  const sid = param(ex, 'sid');
  if (isWs(ex)) return sid ? 'upgrade' : 'stream';
  if (!sid) return 'setup';
  return ex.method.toUpperCase() === 'POST' ? 'send' : 'poll';
}

function bodyPackets(ex: Exchange) {
  return ex.responseBody ? decodeEioPayload(ex.responseBody) : [];
}

export function engineHandshakeOf(ex: Exchange): EioHandshake | null {
  // The open packet's JSON names the sid, so a text without `"sid` (or a \u escape that could spell it) has no
  // handshake: asked first, because a long text may have to come back from disk (har/peek.ts).
  const fromBody = responseMay(ex, 'eioOpen') ? eioHandshake(bodyPackets(ex)) : null;
  if (fromBody) return fromBody;
  // A WebSocket-only client gets the open packet as its first frame.
  const first = (ex.wsFrames ?? []).find((f) => f.direction === 'receive' && f.opcode === 1);
  if (!first || !dataMay(first, 'eioOpen')) return null;
  const p = decodeEioPacket(first.data);
  return p ? eioHandshake([p]) : null;
}

export function engineSession(ex: Exchange): string | null {
  return param(ex, 'sid') ?? engineHandshakeOf(ex)?.sid ?? null;
}

/** An answer with nothing but pings, pongs or the noop that releases a poll at upgrade. */
export function engineIdle(ex: Exchange): boolean | null {
  if (ex.responseBody === null || ex.state !== 'complete') return null;
  const packets = bodyPackets(ex);
  if (packets.length === 0) return ex.responseBody.trim() === '' ? true : null;
  const d = countEio(packets, hasSocketIoPackets(ex));
  // Data means not idle; keep-alives only mean idle; bookkeeping alone (open, connect ack) says neither.
  return d.data > 0 ? false : d.heartbeat > 0 && d.control === 0 ? true : null;
}

export function engineDecode(ex: Exchange, socketIo: boolean): Decoded | null {
  if (ex.responseBody === null || isWs(ex)) return null;
  return countEio(bodyPackets(ex), socketIo);
}

export function engineFrameKind(f: WsFrame, socketIo: boolean): FrameKind | null {
  if (f.opcode !== 1) return null;
  // A packet's first characters settle its kind (a long frame's are kept in memory: har/peek.ts). Its data is then
  // cut short, but only a two-character type and `probe` are ever compared, and a cut frame is far longer.
  const p = decodeEioPacket(dataHead(f));
  return p ? eioKind(p, socketIo) : null;
}

/**
 * When the server's keep-alive was seen. v4 servers send `2` (ping) every pingInterval; v3 clients send the ping and
 * the server's `3` (pong) comes back, so either way the received ping/pong packets tick at the ping interval.
 */
export function engineHeartbeats(ex: Exchange): number[] {
  const times: number[] = [];
  for (const f of ex.wsFrames ?? []) {
    if (f.direction !== 'receive' || f.opcode !== 1) continue;
    // A long frame waiting on disk is never a one-character packet: its head settles it without reading it back.
    const d = dataHead(f);
    if (d === '2' || d === '3') times.push(f.time);
  }
  if (!isWs(ex) && ex.state === 'complete' && bodyPackets(ex).some((p) => (p.type === 'ping' || p.type === 'pong') && p.data !== 'probe')) {
    times.push(ex.end);
  }
  return times;
}

export function engineDeclared(exchanges: readonly Exchange[], name: string): DeclaredFact[] {
  const hs = exchanges.map(engineHandshakeOf).find((h) => h !== null);
  if (!hs) return [];
  const v3 = exchanges.some((ex) => eioRevision(ex) === '3');
  const out: DeclaredFact[] = [];
  if (hs.pingInterval !== null) {
    out.push({
      key: 'pingIntervalMs',
      valueMs: hs.pingInterval,
      source: `${name} handshake pingInterval`,
      fact: v3 ? 'ping/pong interval (client pings)' : 'server ping interval',
      observe: 'heartbeat',
    });
    // A polling GET is released by the next ping at the latest, so no hold can be much longer.
    if (exchanges.some((ex) => engineRole(ex) === 'poll')) {
      out.push({
        key: 'pingIntervalMs',
        valueMs: hs.pingInterval,
        source: `${name} handshake pingInterval`,
        fact: 'longest poll hold',
        observe: 'max-hold',
        compare: 'at-most',
        slackMs: 1500,
        onlyIfObserved: true,
      });
    }
  }
  if (hs.pingTimeout !== null) {
    out.push({ key: 'pingTimeoutMs', valueMs: hs.pingTimeout, source: `${name} handshake pingTimeout`, fact: 'ping timeout', observe: 'none' });
  }
  return out;
}

export function engineInfo(exchanges: readonly Exchange[]): Record<string, unknown> {
  const hs = exchanges.map(engineHandshakeOf).find((h) => h !== null);
  if (!hs) return {};
  const info: Record<string, unknown> = { upgrades: hs.upgrades };
  if (hs.maxPayload !== null) info['maxPayload'] = hs.maxPayload;
  return info;
}

/** Socket.IO packets (`40`, `42[…]`, `43…`) inside Engine.IO messages: Socket.IO, whatever the path. */
export function hasSocketIoPackets(ex: Exchange): boolean {
  const packets = ex.responseBody && !isWs(ex) ? decodeEioPayload(ex.responseBody) : [];
  if (packets.some((p) => p.type === 'message' && /^[0-6](\d*)([[{/]|$)/.test(p.data))) return true;
  return (ex.wsFrames ?? []).some((f) => f.opcode === 1 && /^4[0-6](\d*)([[{/]|$)/.test(f.data));
}
