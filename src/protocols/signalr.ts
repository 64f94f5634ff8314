// ASP.NET SignalR, classic (1.x–2.x: /signalr/negotiate|connect|start|poll|reconnect|send|abort, connectionToken)
// and ASP.NET Core (/<hub>/negotiate?negotiateVersion=1, then ?id=<connectionToken>; 200-empty on poll timeout,
// 204 when a newer poll replaces one, DELETE to end).
import type { Exchange } from '../model.js';
import type { DeclaredFact, ProtocolModule, ProtocolRole } from './types.js';
import { isObject, isWs, json, param, pathOf, secondsToMs, segments } from './util.js';

const CLASSIC_VERBS = new Set(['negotiate', 'connect', 'start', 'poll', 'reconnect', 'send', 'abort', 'ping']);

function classicVerb(ex: Exchange): string | null {
  const seg = segments(ex);
  const last = seg[seg.length - 1]?.toLowerCase() ?? '';
  if (!CLASSIC_VERBS.has(last)) return null;
  if (seg.includes('signalr') || param(ex, 'connectionToken') || param(ex, 'clientProtocol')) return last;
  return null;
}

function negotiateBody(ex: Exchange): Record<string, unknown> | null {
  const b = json(ex.responseBody);
  return isObject(b) ? b : null;
}

export const signalr: ProtocolModule = {
  meta: {
    id: 'signalr',
    name: 'SignalR',
    description: 'ASP.NET SignalR 1.x–2.x: negotiate, connect over webSockets/serverSentEvents/foreverFrame/longPolling, poll, reconnect, abort.',
    signals: ['/signalr/(negotiate|connect|start|poll|reconnect|send|abort)', 'transport=, connectionToken=, clientProtocol=', 'negotiate JSON with ConnectionToken, KeepAliveTimeout'],
    sessionKey: 'connectionToken (query, or the negotiate answer)',
    declares: ['ConnectionTimeout (long-poll hold)', 'KeepAliveTimeout', 'DisconnectTimeout', 'LongPollDelay'],
  },
  recognise(ex) {
    const verb = classicVerb(ex);
    if (!verb) return null;
    const neg = verb === 'negotiate' ? negotiateBody(ex) : null;
    const version = (neg && typeof neg['ProtocolVersion'] === 'string' ? neg['ProtocolVersion'] : param(ex, 'clientProtocol')) ?? null;
    return { score: neg && 'ConnectionToken' in neg ? 1 : 0.8, version, evidence: `SignalR /${verb}${param(ex, 'transport') ? ` (transport=${param(ex, 'transport')})` : ''}` };
  },
  roleOf(ex): ProtocolRole | null {
    const verb = classicVerb(ex);
    if (!verb) return null;
    if (verb === 'negotiate' || verb === 'start' || verb === 'ping') return 'setup';
    if (verb === 'send') return 'send';
    if (verb === 'abort') return 'teardown';
    if (verb === 'poll') return 'poll';
    return isWs(ex) || param(ex, 'transport') !== 'longPolling' ? 'stream' : 'poll';
  },
  sessionOf(ex) {
    const t = param(ex, 'connectionToken');
    if (t) return t;
    const neg = negotiateBody(ex);
    return neg && typeof neg['ConnectionToken'] === 'string' ? neg['ConnectionToken'] : null;
  },
  groupKey(ex, key) {
    // connect, poll and reconnect are one loop: /signalr/connect opens it, /signalr/poll continues it.
    const verb = classicVerb(ex);
    if (verb !== 'connect' && verb !== 'poll' && verb !== 'reconnect') return null;
    let origin = '';
    try {
      origin = new URL(ex.url).origin;
    } catch {
      return null;
    }
    return `${key.split(' ')[0]} ${origin}${pathOf(ex).replace(/\/(connect|poll|reconnect)$/i, '/{loop}')} transport=${param(ex, 'transport') ?? ''}`;
  },
  idle(ex) {
    if (ex.state !== 'complete' || ex.responseBody === null) return null;
    const b = json(ex.responseBody);
    if (!isObject(b)) return ex.responseBody.trim() === '' ? true : null;
    return !(Array.isArray(b['M']) && b['M'].length > 0);
  },
  decode(ex) {
    if (isWs(ex) || ex.responseBody === null || classicVerb(ex) === 'negotiate') return null;
    const b = json(ex.responseBody);
    if (!isObject(b)) return null;
    const m = Array.isArray(b['M']) ? b['M'].length : 0;
    return { data: m, heartbeat: m === 0 && Object.keys(b).length <= 1 ? 1 : 0, control: m === 0 && Object.keys(b).length > 1 ? 1 : 0 };
  },
  declared(exs): DeclaredFact[] {
    const neg = exs.map((ex) => (classicVerb(ex) === 'negotiate' ? negotiateBody(ex) : null)).find((n) => n !== null);
    if (!neg) return [];
    const out: DeclaredFact[] = [];
    const ct = secondsToMs(neg['ConnectionTimeout']);
    if (ct !== null) out.push({ key: 'connectionTimeoutMs', valueMs: ct, source: 'SignalR negotiate ConnectionTimeout', fact: 'long-poll timeout', observe: 'timeout' });
    const ka = secondsToMs(neg['KeepAliveTimeout']);
    if (ka !== null) out.push({ key: 'keepAliveTimeoutMs', valueMs: ka, source: 'SignalR negotiate KeepAliveTimeout', fact: 'keep-alive timeout', observe: 'none' });
    const dt = secondsToMs(neg['DisconnectTimeout']);
    if (dt !== null) out.push({ key: 'disconnectTimeoutMs', valueMs: dt, source: 'SignalR negotiate DisconnectTimeout', fact: 'disconnect timeout', observe: 'none' });
    const lp = secondsToMs(neg['LongPollDelay']);
    if (lp !== null && exs.some((ex) => param(ex, 'transport') === 'longPolling')) out.push({ key: 'longPollDelayMs', valueMs: lp, source: 'SignalR negotiate LongPollDelay', fact: 're-poll delay', observe: 'repoll' });
    return out;
  },
};

// ---- ASP.NET Core SignalR ----

function coreNegotiate(ex: Exchange): Record<string, unknown> | null {
  if (!/\/negotiate$/i.test(pathOf(ex))) return null;
  const b = negotiateBody(ex);
  if (b && (Array.isArray(b['availableTransports']) || 'negotiateVersion' in b)) return b;
  return param(ex, 'negotiateVersion') !== null ? b ?? {} : null;
}

/** Long polls hold 90 s by default (LongPollingOptions.PollTimeout); the JS client's automatic reconnect delays. */
export const SIGNALR_CORE_DEFAULTS = { pollTimeoutMs: 90_000, reconnectDelaysMs: [0, 2000, 10000, 30000] };

export const signalrCore: ProtocolModule = {
  meta: {
    id: 'signalr-core',
    name: 'ASP.NET Core SignalR',
    description: 'ASP.NET Core SignalR: POST negotiate?negotiateVersion=1, then WebSockets, ServerSentEvents or LongPolling on ?id=<token>.',
    signals: ['POST …/negotiate?negotiateVersion=1 answering availableTransports', 'id=<connectionToken> on the hub URL', '{"protocol":"json","version":1}\\x1e handshake', '200 empty on poll timeout, 204 on overlap, DELETE to end'],
    sessionKey: 'id (connectionToken)',
    declares: ['LongPolling PollTimeout 90 s (server default)', 'withAutomaticReconnect delays 0, 2, 10, 30 s (client default)'],
  },
  recognise(ex) {
    const neg = coreNegotiate(ex);
    if (neg) return { score: 1, version: String(neg['negotiateVersion'] ?? param(ex, 'negotiateVersion') ?? '') || null, evidence: 'ASP.NET Core SignalR negotiate (availableTransports / negotiateVersion)' };
    const id = param(ex, 'id');
    if (!id) return null;
    const frames = (ex.wsFrames ?? []).map((f) => f.data).join('') + (ex.requestBody ?? '') + (ex.responseBody ?? '');
    if (/\{"protocol":"(json|messagepack)","version":\d+\}\x1e/.test(frames) || /"type":\s*[1-7][,}][^\x1e]*\x1e/.test(frames)) {
      return { score: 1, version: null, evidence: 'ASP.NET Core SignalR hub protocol ({"protocol":"json"}\\x1e handshake / typed \\x1e messages)' };
    }
    return { score: 0.3, version: null, evidence: 'hub URL with id=<connectionToken>' };
  },
  roleOf(ex): ProtocolRole | null {
    if (coreNegotiate(ex)) return 'setup';
    if (!param(ex, 'id')) return null;
    const m = ex.method.toUpperCase();
    if (m === 'DELETE') return 'teardown';
    if (m === 'POST') return 'send';
    return isWs(ex) ? 'stream' : 'poll';
  },
  sessionOf(ex) {
    const id = param(ex, 'id');
    if (id) return id;
    const neg = coreNegotiate(ex);
    const t = neg?.['connectionToken'] ?? neg?.['connectionId'];
    return typeof t === 'string' ? t : null;
  },
  idle(ex) {
    if (ex.state !== 'complete') return null;
    // 200 with no body: the poll timed out; 204: a newer poll (or the DELETE) replaced it.
    if (ex.status === 204) return true;
    if (ex.responseBody === null) return ex.responseBodyBytes === 0 && ex.status === 200 ? true : null;
    return ex.responseBody.trim() === '';
  },
  decode(ex) {
    const text = isWs(ex) ? null : ex.responseBody;
    if (!text) return null;
    return countHubMessages(text.split('\x1e'));
  },
  frameKind(f) {
    if (f.opcode !== 1) return null;
    const d = countHubMessages(f.data.split('\x1e'));
    return d.data ? 'data' : d.heartbeat ? 'heartbeat' : d.control ? 'control' : null;
  },
  declared(exs): DeclaredFact[] {
    if (!exs.some((ex) => signalrCore.roleOf!(ex) === 'poll')) return [];
    return [{ key: 'pollTimeoutMs', valueMs: SIGNALR_CORE_DEFAULTS.pollTimeoutMs, source: 'ASP.NET Core LongPollingOptions.PollTimeout default', fact: 'long-poll timeout', observe: 'timeout', onlyIfObserved: true }];
  },
};

/** Hub messages: 1 invocation, 2 stream item, 3 completion, 4 stream invocation, 5 cancel, 6 ping, 7 close. */
function countHubMessages(parts: readonly string[]) {
  const out = { data: 0, heartbeat: 0, control: 0 };
  for (const p of parts) {
    if (p.trim() === '') continue;
    const m = json(p);
    const type = isObject(m) ? m['type'] : undefined;
    if (type === 6) out.heartbeat++;
    else if (type === 1 || type === 2 || type === 3 || type === 4) out.data++;
    else out.control++;
  }
  return out;
}
