// Bayeux 1.0 (CometD, Faye): JSON messages on /meta/handshake, /meta/connect, /meta/subscribe, /meta/disconnect.
// long-polling POSTs a JSON array; callback-polling GETs `?message=<json>&jsonp=<cb>`. The server's `advice`
// (timeout, interval, reconnect) is what it declares; the first connect after a handshake carries timeout 0.
import type { Exchange } from '../model.js';
import { requestMay, responseMay } from '../har/peek.js';
import type { DeclaredFact, Decoded, ProtocolModule, ProtocolRole } from './types.js';
import { isObject, json, param, pathOf } from './util.js';

export type BayeuxMessage = Record<string, unknown> & { channel?: string };

/** Messages from a JSON array, a single object, or a JSONP call wrapping either. */
export function parseBayeux(text: string | null | undefined): BayeuxMessage[] {
  // Every Bayeux message names its channel; without that key there is nothing to parse (most bodies are not Bayeux).
  if (!text || !text.includes('"channel"')) return [];
  let v = json(text);
  if (v === null) {
    const m = /^[^([{]*\(\s*([[{][\s\S]*[\]}])\s*\)\s*;?\s*$/.exec(text.trim());
    v = m ? json(m[1]) : null;
  }
  const list = Array.isArray(v) ? v : isObject(v) ? [v] : [];
  return list.filter((m): m is BayeuxMessage => isObject(m) && typeof m['channel'] === 'string');
}

export function requestMessages(ex: Exchange): BayeuxMessage[] {
  const q = param(ex, 'message');
  if (q) return parseBayeux(q);
  // Asked before the body is read: a long one may have to come back from disk (har/peek.ts).
  return requestMay(ex, 'bayeux') ? parseBayeux(ex.requestBody) : [];
}

function responseMessages(ex: Exchange): BayeuxMessage[] {
  return responseMay(ex, 'bayeux') ? parseBayeux(ex.responseBody) : [];
}

function isMeta(m: BayeuxMessage): boolean {
  return (m.channel ?? '').startsWith('/meta/');
}

function channels(ms: readonly BayeuxMessage[]): string[] {
  return ms.map((m) => m.channel ?? '');
}

function flavour(ex: Exchange, ms: readonly BayeuxMessage[]): string | undefined {
  const types = ms.flatMap((m) => (Array.isArray(m['supportedConnectionTypes']) ? (m['supportedConnectionTypes'] as unknown[]) : []));
  if (/\/faye\b/.test(pathOf(ex)) || types.includes('in-process') || types.includes('cross-origin-long-polling')) return 'Faye';
  if (/cometd/i.test(pathOf(ex))) return 'CometD';
  return undefined;
}

function advices(exs: readonly Exchange[]): Record<string, unknown>[] {
  return exs.flatMap((ex) => responseMessages(ex).map((m) => m['advice']).filter(isObject));
}

/** The value most answers agree on (servers repeat advice on every connect). */
function mostCommon(values: number[]): number | null {
  if (values.length === 0) return null;
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
}

export const bayeux: ProtocolModule = {
  meta: {
    id: 'bayeux',
    name: 'Bayeux',
    description: 'Bayeux 1.0 as spoken by CometD and Faye: handshake, held /meta/connect, subscribe, disconnect.',
    signals: ['"channel":"/meta/…" messages in the body or the message= query', 'clientId and advice in answers', 'paths /cometd, /faye'],
    sessionKey: 'clientId',
    declares: ['advice.timeout (hold)', 'advice.interval (re-poll delay)', 'advice.reconnect', 'advice multiple-clients (CometD: another tab of the browser holds the long-poll)'],
  },
  recognise(ex) {
    const req = requestMessages(ex);
    // Without a meta message in the request, the answer counts only if it holds one (else the request alone decides
    // whether this is a publish): most answers that name a "channel" are some other JSON, and a long one may have to
    // come back from disk to be parsed (har/peek.ts). The one-needle "channel" probe, which parsing needs anyway, is
    // asked first: most answers in memory fail it.
    const res = req.some(isMeta) || (responseMay(ex, 'bayeux') && responseMay(ex, 'bayeuxMeta')) ? responseMessages(ex) : [];
    const all = [...req, ...res];
    if (!all.some(isMeta)) {
      // A publish: an application channel with the session's clientId (or a successful reply to one).
      const pub = req.find((m) => typeof m['clientId'] === 'string');
      return pub ? { score: 0.6, version: null, evidence: `Bayeux publish on ${pub.channel}` } : null;
    }
    const version = all.map((m) => m['version']).find((v): v is string => typeof v === 'string') ?? '1.0';
    const f = flavour(ex, all);
    return { score: 1, version, evidence: `Bayeux ${channels(req.length ? req : res).filter((c) => c.startsWith('/meta/')).join(', ')} message${f ? ` (${f})` : ''}`, ...(f ? { flavour: f } : {}) };
  },
  roleOf(ex): ProtocolRole | null {
    const ch = channels(requestMessages(ex));
    if (ch.length === 0) return null;
    if (ch.includes('/meta/connect')) return 'poll';
    if (ch.includes('/meta/handshake') || ch.includes('/meta/subscribe') || ch.includes('/meta/unsubscribe')) return 'setup';
    if (ch.includes('/meta/disconnect')) return 'teardown';
    return 'send';
  },
  sessionOf(ex) {
    for (const m of [...requestMessages(ex), ...responseMessages(ex)]) if (typeof m['clientId'] === 'string') return m['clientId'];
    return null;
  },
  groupKey(ex, key) {
    const ch = channels(requestMessages(ex));
    if (ch.length === 0) return null;
    // One URL carries every message type; only held connects make the push loop.
    return `${key} bayeux:${ch.includes('/meta/connect') ? 'connect' : 'other'}`;
  },
  idle(ex) {
    if (ex.state !== 'complete' || ex.responseBody === null) return null;
    const res = responseMessages(ex);
    if (res.length === 0) return null;
    return res.every(isMeta);
  },
  decode(ex): Decoded | null {
    if (ex.responseBody === null) return null;
    const out: Decoded = { data: 0, heartbeat: 0, control: 0 };
    for (const m of responseMessages(ex)) {
      const c = m.channel ?? '';
      if (c === '/meta/connect') out.heartbeat++;
      else if (c.startsWith('/meta/')) out.control++;
      else out.data++;
    }
    return out;
  },
  declared(exs): DeclaredFact[] {
    const adv = advices(exs);
    const num = (k: string) => adv.map((a) => a[k]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    const out: DeclaredFact[] = [];
    // The first connect's `timeout: 0` (answer at once) is the client's request, not the server's hold.
    const timeout = mostCommon(num('timeout').filter((t) => t > 0));
    if (timeout !== null) out.push({ key: 'adviceTimeoutMs', valueMs: timeout, source: 'Bayeux advice.timeout', fact: 'long-poll timeout (connect hold)', observe: 'timeout' });
    const interval = mostCommon(num('interval'));
    if (interval !== null) out.push({ key: 'adviceIntervalMs', valueMs: interval, source: 'Bayeux advice.interval', fact: 're-poll delay', observe: 'repoll', slackMs: 500 });
    return out;
  },
  remarks(exs) {
    // CometD holds one /meta/connect per browser (its BAYEUX_BROWSER cookie): a second tab's connects are answered at
    // once with `multiple-clients`, and its client polls at the advised interval instead of long-polling.
    // Each answer's advice, parsed once; the answers that carry multiple-clients.
    const told = exs.map((ex) => advices([ex])).filter((adv) => adv.some((a) => a['multiple-clients'] === true));
    if (told.length === 0) return [];
    const interval = mostCommon(told.flat().map((a) => a['interval']).filter((v): v is number => typeof v === 'number' && v > 0));
    return [
      `the server answered ${told.length} connect${told.length === 1 ? '' : 's'} at once with advice multiple-clients: another tab or client of this browser held the long-poll, so this one ${interval !== null ? `polled every ${interval / 1000} s (advice.interval)` : 'was told to poll'} instead`,
    ];
  },
  declaredInfo(exs) {
    const out: Record<string, unknown> = {};
    const answered = advices(exs);
    if (answered.some((a) => a['multiple-clients'] === true)) out['multipleClients'] = true;
    const reconnect = answered.map((a) => a['reconnect']).find((r) => typeof r === 'string');
    if (reconnect) out['adviceReconnect'] = reconnect;
    const firstConnect = exs.map(requestMessages).flat().find((m) => m.channel === '/meta/connect');
    const adv = firstConnect && isObject(firstConnect['advice']) ? firstConnect['advice'] : null;
    if (adv && adv['timeout'] === 0) out['firstConnectTimeout'] = 0;
    const types = exs.flatMap((ex) => responseMessages(ex)).map((m) => m['supportedConnectionTypes']).find(Array.isArray);
    if (types) out['supportedConnectionTypes'] = types;
    const ct = exs.flatMap(requestMessages).map((m) => m['connectionType']).find((t) => typeof t === 'string');
    if (ct) out['connectionType'] = ct;
    return out;
  },
};
