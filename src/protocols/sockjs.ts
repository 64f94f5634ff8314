// SockJS 0.3 (sockjs-protocol-0.3.3): `<prefix>/info`, then `<prefix>/<server>/<session>/<transport>`.
// Frames: `o` open, `h` heartbeat, `a[…]` messages, `c[code,"reason"]` close. A streaming response is ended by the
// server after 128 KiB and re-opened on the same session: rotation, not a reconnect; a new session id is one.
import type { Exchange, WsFrame } from '../model.js';
import type { DeclaredFact, Decoded, FrameKind, ProtocolModule, ProtocolRole } from './types.js';
import { isWs, json, segments } from './util.js';

const TRANSPORTS: Record<string, ProtocolRole> = {
  websocket: 'stream',
  xhr: 'poll',
  jsonp: 'poll',
  xhr_streaming: 'stream',
  eventsource: 'stream',
  htmlfile: 'stream',
  xhr_send: 'send',
  jsonp_send: 'send',
};

/** sockjs-protocol defaults: heartbeat every 25 s, streaming responses closed after 128 KiB. */
export const SOCKJS_DEFAULTS = { heartbeatMs: 25_000, responseLimitBytes: 128 * 1024 };

interface SessionPath {
  server: string;
  session: string;
  transport: string;
  prefix: string[];
}

export function sockjsPath(ex: Exchange): SessionPath | null {
  const seg = segments(ex);
  if (seg.length < 3) return null;
  const transport = seg[seg.length - 1]!;
  if (!(transport in TRANSPORTS)) return null;
  const server = seg[seg.length - 3]!;
  const session = seg[seg.length - 2]!;
  // Server ids are short (3 digits by default) and neither id may contain a dot (the protocol forbids it).
  if (server.includes('.') || session.includes('.') || server.length > 32 || session.length < 1) return null;
  return { server, session, transport, prefix: seg.slice(0, -3) };
}

function isInfo(ex: Exchange): boolean {
  const seg = segments(ex);
  if (seg[seg.length - 1] !== 'info') return false;
  const body = json(ex.responseBody);
  return body !== null && typeof body === 'object' && 'entropy' in (body as object);
}

/** The frames one HTTP answer carries, whatever the transport wraps them in. */
export function sockjsFrames(ex: Exchange): string[] {
  const body = ex.responseBody;
  const p = sockjsPath(ex);
  if (!body || !p) return [];
  switch (p.transport) {
    case 'eventsource':
      return [...body.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]!);
    case 'htmlfile':
    case 'jsonp':
      return [...body.matchAll(/[\w$.]+\(("(?:[^"\\]|\\.)*")\)/g)].map((m) => {
        const s = json(m[1]);
        return typeof s === 'string' ? s : '';
      }).filter((s) => s !== '');
    default:
      return body.split('\n').filter((l) => l !== '');
  }
}

/** One frame's kind and how many messages it carries (`a[…]` may batch several). */
export function sockjsFrame(text: string): { kind: FrameKind; count: number } | null {
  const t = text.trim();
  if (t === 'o' || t.startsWith('c[')) return { kind: 'control', count: 1 };
  // The 2 KiB `hhh…h` prelude of xhr_streaming primes proxies; it is one control write, not 2048 heartbeats.
  if (t === 'h') return { kind: 'heartbeat', count: 1 };
  if (/^h{2,}$/.test(t)) return { kind: 'control', count: 1 };
  if (t.startsWith('a[')) {
    const arr = json(t.slice(1));
    return { kind: 'data', count: Array.isArray(arr) ? arr.length : 1 };
  }
  return null;
}

function decodeFrames(frames: readonly string[]): Decoded {
  const out: Decoded = { data: 0, heartbeat: 0, control: 0 };
  for (const f of frames) {
    const k = sockjsFrame(f);
    if (k) out[k.kind] += k.count;
  }
  return out;
}

export const sockjs: ProtocolModule = {
  meta: {
    id: 'sockjs',
    name: 'SockJS',
    description: 'SockJS: /info probe, then one session over websocket, xhr(-streaming), eventsource, htmlfile or jsonp.',
    signals: ['/<prefix>/<server>/<session>/<transport> paths', '/info answer with "entropy"', 'frames o, h, a[…], c[…]', '2 KiB h prelude on xhr_streaming'],
    sessionKey: 'the <session> path segment',
    declares: ['heartbeat 25 s (protocol default)', '128 KiB streaming response limit (protocol default)'],
  },
  recognise(ex) {
    if (isInfo(ex)) return { score: 1, version: '0.3', evidence: '/info answer with websocket/cookie_needed/origins/entropy (SockJS 0.3 protocol)' };
    const p = sockjsPath(ex);
    if (!p) return null;
    const frames = isWs(ex) ? (ex.wsFrames ?? []).map((f) => f.data) : sockjsFrames(ex);
    const framed = frames.some((f) => /^(o|h|a\[|c\[)/.test(f));
    return {
      score: framed ? 1 : /^\d{1,4}$/.test(p.server) ? 0.8 : 0.4,
      version: '0.3',
      evidence: `path …/${p.server}/{session}/${p.transport} (SockJS ${p.transport} transport)${framed ? ' with SockJS frames (o/h/a[…])' : ''}`,
    };
  },
  roleOf(ex) {
    if (isInfo(ex)) return 'setup';
    const p = sockjsPath(ex);
    return p ? TRANSPORTS[p.transport]! : null;
  },
  sessionOf: (ex) => sockjsPath(ex)?.session ?? null,
  groupKey(ex, key) {
    const p = sockjsPath(ex);
    if (!p) return null;
    // Session ids are random; some look like words to a generic templater, so name the template here.
    let origin = '';
    try {
      origin = new URL(ex.url).origin.replace(/^http/, 'ws');
    } catch {
      return null;
    }
    return `${key.split(' ')[0]} ${origin}/${p.prefix.join('/')}/{server}/{session}/${p.transport}`;
  },
  idle(ex) {
    if (ex.responseBody === null || ex.state !== 'complete') return null;
    const d = decodeFrames(sockjsFrames(ex));
    // `h` alone is the heartbeat answering an idle poll; `o` (open) alone is the session starting, not a timeout.
    return d.data > 0 ? false : d.heartbeat > 0 ? true : null;
  },
  decode(ex) {
    if (isWs(ex) || ex.responseBody === null || !sockjsPath(ex)) return null;
    return decodeFrames(sockjsFrames(ex));
  },
  frameKind(f: WsFrame) {
    return f.opcode === 1 ? sockjsFrame(f.data)?.kind ?? null : null;
  },
  heartbeats(ex) {
    const times = (ex.wsFrames ?? []).filter((f) => f.direction === 'receive' && f.data === 'h').map((f) => f.time);
    if (!isWs(ex) && ex.state === 'complete' && sockjsFrames(ex).includes('h')) times.push(ex.end);
    return times;
  },
  declared(exs): DeclaredFact[] {
    const roles = exs.map((ex) => sockjs.roleOf!(ex));
    const polling = roles.includes('poll');
    return [
      {
        key: 'heartbeatMs',
        valueMs: SOCKJS_DEFAULTS.heartbeatMs,
        source: 'SockJS protocol default heartbeat',
        // A receiving poll with nothing to say is answered by the heartbeat: its hold is the heartbeat delay.
        fact: polling ? 'idle poll hold (heartbeat)' : 'heartbeat interval',
        observe: polling ? 'timeout' : 'heartbeat',
        onlyIfObserved: true,
      },
    ];
  },
  declaredInfo(exs) {
    const info = exs.map((ex) => (isInfo(ex) ? json(ex.responseBody) : null)).find((x) => x !== null) as Record<string, unknown> | undefined;
    const out: Record<string, unknown> = {};
    if (info && typeof info['websocket'] === 'boolean') out['websocketOffered'] = info['websocket'];
    if (exs.some((ex) => sockjsPath(ex)?.transport === 'xhr_streaming' || sockjsPath(ex)?.transport === 'eventsource' || sockjsPath(ex)?.transport === 'htmlfile')) {
      out['responseLimitBytes'] = SOCKJS_DEFAULTS.responseLimitBytes;
    }
    return out;
  },
};
