// Protocols that live inside a WebSocket (or SSE) and say who they are in the subprotocol or the first message:
// Meteor DDP, Rails ActionCable, graphql-ws / subscriptions-transport-ws, graphql-sse.
import type { Exchange, WsFrame } from '../model.js';
import type { FrameKind, ProtocolModule } from './types.js';
import { header, isObject, json, param } from './util.js';

function subprotocol(ex: Exchange): string {
  return (header(ex.responseHeaders, 'sec-websocket-protocol') ?? header(ex.requestHeaders, 'sec-websocket-protocol') ?? '').toLowerCase();
}

function frames(ex: Exchange): WsFrame[] {
  return ex.wsFrames ?? [];
}

// Several modules read the same frames; parse each once.
const parsedFrames = new WeakMap<WsFrame, Record<string, unknown>[]>();

/** A frame's JSON, unwrapping SockJS `a["…"]` arrays (Meteor runs DDP over SockJS). */
function frameJson(f: WsFrame): Record<string, unknown>[] {
  let parsed = parsedFrames.get(f);
  if (!parsed) {
    parsed = parseFrame(f.data);
    parsedFrames.set(f, parsed);
  }
  return parsed;
}

function parseFrame(d: string): Record<string, unknown>[] {
  if (!d.includes('{')) return [];
  if (d.startsWith('a[')) {
    const arr = json(d.slice(1));
    return Array.isArray(arr) ? arr.map((s) => (typeof s === 'string' ? json(s) : s)).filter(isObject) : [];
  }
  const v = json(d);
  return isObject(v) ? [v] : [];
}

export const ddp: ProtocolModule = {
  meta: {
    id: 'ddp',
    name: 'Meteor DDP',
    description: 'Meteor DDP over a WebSocket (/websocket) or SockJS (/sockjs/…).',
    signals: ['{"msg":"connect","version":…} / {"msg":"connected","session":…}', 'SockJS paths under /sockjs/'],
    sessionKey: 'DDP session (connected.session)',
    declares: [],
  },
  recognise(ex) {
    // The handshake opens the conversation: the first frames say whether this is DDP.
    const msgs = frames(ex)
      .slice(0, 10)
      .filter((f) => f.data.includes('"msg"'))
      .flatMap(frameJson);
    const connect = msgs.find((m) => m['msg'] === 'connect' || m['msg'] === 'connected');
    if (!connect) return null;
    return { score: 1, version: typeof connect['version'] === 'string' ? connect['version'] : null, evidence: 'DDP {"msg":"connect"} handshake' };
  },
  frameKind(f): FrameKind | null {
    const m = frameJson(f)[0];
    if (!m || typeof m['msg'] !== 'string') return null;
    if (m['msg'] === 'ping' || m['msg'] === 'pong') return 'heartbeat';
    return ['added', 'changed', 'removed', 'result', 'updated', 'ready'].includes(m['msg']) ? 'data' : 'control';
  },
};

export const ACTIONCABLE_PING_MS = 3000;

export const actioncable: ProtocolModule = {
  meta: {
    id: 'actioncable',
    name: 'ActionCable',
    description: 'Rails ActionCable over WebSocket (/cable): welcome, ping every 3 s, subscriptions.',
    signals: ['subprotocol actioncable-v1-json', '{"type":"welcome"}, {"type":"ping"} frames'],
    sessionKey: 'one WebSocket connection',
    declares: ['server ping every 3 s'],
  },
  recognise(ex) {
    if (subprotocol(ex).includes('actioncable')) return { score: 1, version: /v1\.1/.test(subprotocol(ex)) ? '1.1' : '1', evidence: `subprotocol ${subprotocol(ex)}` };
    if (frames(ex).some((f) => /^\{"type":"(welcome|ping)"/.test(f.data))) return { score: 0.9, version: null, evidence: 'ActionCable welcome/ping frames' };
    return null;
  },
  frameKind(f): FrameKind | null {
    const m = json(f.data);
    if (!isObject(m)) return null;
    if (m['type'] === 'ping') return 'heartbeat';
    if (typeof m['type'] === 'string') return 'control';
    return 'message' in m ? 'data' : null;
  },
  heartbeats: (ex) => frames(ex).filter((f) => f.direction === 'receive' && /"type":"ping"/.test(f.data)).map((f) => f.time),
  declared: () => [{ key: 'pingIntervalMs', valueMs: ACTIONCABLE_PING_MS, source: 'ActionCable server ping (every 3 s)', fact: 'server ping interval', observe: 'heartbeat', onlyIfObserved: true }],
};

export const graphqlWs: ProtocolModule = {
  meta: {
    id: 'graphql-ws',
    name: 'GraphQL over WebSocket',
    description: 'graphql-ws (subprotocol graphql-transport-ws) and the legacy subscriptions-transport-ws (subprotocol graphql-ws).',
    signals: ['subprotocol graphql-transport-ws (graphql-ws) or graphql-ws (subscriptions-transport-ws)', 'connection_init / connection_ack frames'],
    sessionKey: 'one WebSocket connection',
    declares: [],
  },
  recognise(ex) {
    const sp = subprotocol(ex);
    if (sp.includes('graphql-transport-ws')) return { score: 1, version: 'graphql-transport-ws', evidence: 'subprotocol graphql-transport-ws (graphql-ws library)' };
    if (sp.includes('graphql-ws')) return { score: 1, version: 'subscriptions-transport-ws', evidence: 'subprotocol graphql-ws (legacy subscriptions-transport-ws)' };
    if (frames(ex).some((f) => /"type"\s*:\s*"connection_(init|ack)"/.test(f.data))) return { score: 0.9, version: null, evidence: 'connection_init/connection_ack frames' };
    return null;
  },
  frameKind(f): FrameKind | null {
    const m = json(f.data);
    const t = isObject(m) ? m['type'] : null;
    if (typeof t !== 'string') return null;
    if (t === 'ping' || t === 'pong' || t === 'ka') return 'heartbeat';
    return t === 'next' || t === 'data' ? 'data' : 'control';
  },
};

export const graphqlSse: ProtocolModule = {
  meta: {
    id: 'graphql-sse',
    name: 'GraphQL over SSE',
    description: 'graphql-sse: distinct connections (one text/event-stream per operation) or a single connection reserved by PUT with a stream token.',
    signals: ['X-GraphQL-Event-Stream-Token header or token= query', 'event: next / event: complete', 'path …/graphql/stream'],
    sessionKey: 'stream token',
    declares: [],
  },
  recognise(ex) {
    const token = header(ex.requestHeaders, 'x-graphql-event-stream-token') ?? header(ex.requestHeaders, 'x-graphql-stream-token');
    if (token) return { score: 1, version: null, evidence: 'X-GraphQL-Event-Stream-Token header' };
    // The URL test first: it is cheap, and the body can be long.
    if (/graphql/i.test(ex.url) && /^event: ?(next|complete)\s*$/m.test(ex.responseBody ?? '')) return { score: 1, version: null, evidence: 'event: next/complete on a GraphQL URL' };
    if (/\/graphql\/stream/.test(ex.url) && param(ex, 'token')) return { score: 0.8, version: null, evidence: '/graphql/stream?token=' };
    return null;
  },
  roleOf(ex) {
    const m = ex.method.toUpperCase();
    if (m === 'PUT') return 'setup';
    if (m === 'DELETE') return 'teardown';
    if (m === 'POST' && header(ex.requestHeaders, 'accept')?.includes('text/event-stream') !== true) return 'send';
    return 'stream';
  },
  sessionOf: (ex) => header(ex.requestHeaders, 'x-graphql-event-stream-token') ?? param(ex, 'token'),
  decode(ex) {
    const body = ex.responseBody;
    if (!body) return null;
    return { data: [...body.matchAll(/^event: ?next\s*$/gm)].length, heartbeat: [...body.matchAll(/^:/gm)].length, control: [...body.matchAll(/^event: ?complete\s*$/gm)].length };
  },
};
