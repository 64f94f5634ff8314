// Protocols that live inside a WebSocket (or SSE) and say who they are in the subprotocol or the first message:
// Meteor DDP, Rails ActionCable, graphql-ws / subscriptions-transport-ws, graphql-sse.
import type { Exchange, WsFrame } from '../model.js';
import type { FrameKind, ProtocolModule } from './types.js';
import { dataHead, dataMay } from '../har/peek.js';
import { header, isObject, json, param, subprotocol } from './util.js';

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

/**
 * What the recognisers of this file look for in a WebSocket's frames, found in one pass: a frame's text may have to
 * be read back from disk (har/stream/spill.ts), and the registry asks these modules about an exchange one after the
 * other (protocols/index.ts), so the last exchange's answer is kept.
 */
interface FrameFacts {
  /** DDP's connect or connected message among the first ten frames. */
  ddpConnect: Record<string, unknown> | null;
  /** A frame that starts as ActionCable's welcome or ping. */
  cable: boolean;
  /** A graphql-ws connection_init or connection_ack. */
  graphqlInit: boolean;
}

let factsFor: Exchange | null = null;
let facts: FrameFacts = { ddpConnect: null, cable: false, graphqlInit: false };

function frameFacts(ex: Exchange): FrameFacts {
  if (ex === factsFor) return facts;
  const list = frames(ex);
  let ddpConnect: Record<string, unknown> | null = null;
  let ddpDone = false;
  let cable = false;
  let graphqlInit = false;
  for (let i = 0; i < list.length && !(ddpDone && cable && graphqlInit); i += 1) {
    const f = list[i]!;
    // What a frame holds and how it starts are asked first: a long frame is read back from disk only when it may
    // be what is looked for (har/peek.ts).
    if (!ddpDone && i < 10 && dataMay(f, 'ddp')) {
      ddpConnect = frameJson(f).find((m) => m['msg'] === 'connect' || m['msg'] === 'connected') ?? null;
      ddpDone = ddpConnect !== null;
    }
    if (i >= 9) ddpDone = true;
    if (!cable) {
      const head = dataHead(f);
      cable = head.startsWith('{"type":"welcome"') || head.startsWith('{"type":"ping"');
    }
    if (!graphqlInit && dataMay(f, 'graphqlWs') && /"type"\s*:\s*"connection_(init|ack)"/.test(f.data)) graphqlInit = true;
  }
  factsFor = ex;
  facts = { ddpConnect, cable, graphqlInit };
  return facts;
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
    const connect = frameFacts(ex).ddpConnect;
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
    if (frameFacts(ex).cable) return { score: 0.9, version: null, evidence: 'ActionCable welcome/ping frames' };
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
    if (frameFacts(ex).graphqlInit) return { score: 0.9, version: null, evidence: 'connection_init/connection_ack frames' };
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
    signals: ['X-GraphQL-Event-Stream-Token header or token= query', 'event: next / event: complete', 'a GraphQL operation POSTed with Accept: text/event-stream', 'path …/graphql/stream'],
    sessionKey: 'stream token',
    declares: [],
  },
  recognise(ex) {
    const token = header(ex.requestHeaders, 'x-graphql-event-stream-token') ?? header(ex.requestHeaders, 'x-graphql-stream-token');
    if (token) return { score: 1, version: null, evidence: 'X-GraphQL-Event-Stream-Token header' };
    // The URL test first: it is cheap, and the body can be long.
    if (/graphql/i.test(ex.url) && /^event: ?(next|complete)\s*$/m.test(ex.responseBody ?? '')) return { score: 1, version: null, evidence: 'event: next/complete on a GraphQL URL' };
    if (/\/graphql\/stream/.test(ex.url) && param(ex, 'token')) return { score: 0.8, version: null, evidence: '/graphql/stream?token=' };
    // Distinct connections: each operation POSTed for an event stream. Exporters keep the request where they lose the
    // stream's body (Playwright writes a finished fetch stream as aborted at its headers).
    if (
      ex.method.toUpperCase() === 'POST' &&
      /graphql/i.test(ex.url) &&
      header(ex.requestHeaders, 'accept')?.includes('text/event-stream') === true &&
      /^\s*\{\s*"(query|operationName|extensions)"/.test(ex.requestBody ?? '')
    ) {
      return { score: 1, version: null, evidence: 'GraphQL operation POSTed for a text/event-stream answer' };
    }
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
