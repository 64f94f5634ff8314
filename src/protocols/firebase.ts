// Firebase Realtime Database long-poll fallback (BrowserPollConnection): JSONP scripts in a hidden iframe on
// /.lp?start=t (session start, answered with pLPCommand('start', id, pw)), then /.lp?id=…&pw=…&ser=…; data comes back
// through pRTLPCB(…). The client keeps a fresh request open at least every 25 s.
import { responseMay } from '../har/peek.js';
import type { ProtocolModule, ProtocolRole } from './types.js';
import { param, pathOf, urlOf } from './util.js';

export const FIREBASE_KEEPALIVE_MS = 25_000;

export const firebase: ProtocolModule = {
  meta: {
    id: 'firebase',
    name: 'Firebase RTDB',
    description: 'Firebase Realtime Database long polling (/.lp JSONP) and its WebSocket (/.ws).',
    signals: ['path /.lp or /.ws', 'start=t, id=, pw=, ser=, cb=, v=5', 'pLPCommand( / pRTLPCB( in the script'],
    sessionKey: 'id (from pLPCommand("start", id, pw))',
    declares: ['a fresh poll at least every 25 s (client keepalive)'],
  },
  recognise(ex) {
    const p = pathOf(ex);
    if (/\/\.lp$/.test(p)) return { score: 1, version: param(ex, 'v'), evidence: `Firebase long-poll /.lp${param(ex, 'start') === 't' ? ' (start=t: new session)' : ''}` };
    if (/\/\.ws$/.test(p)) return { score: 1, version: param(ex, 'v'), evidence: 'Firebase WebSocket /.ws' };
    if (responseMay(ex, 'firebase') && /pLPCommand\(|pRTLPCB\(/.test(ex.responseBody ?? '')) return { score: 0.9, version: null, evidence: 'pLPCommand/pRTLPCB callbacks' };
    return null;
  },
  roleOf(ex): ProtocolRole | null {
    if (param(ex, 'start') === 't') return 'setup';
    if (param(ex, 'dframe') === 't') return 'teardown';
    if (param(ex, 'seg') !== null) return 'send';
    return /\/\.ws$/.test(pathOf(ex)) ? 'stream' : 'poll';
  },
  sessionOf(ex) {
    const id = param(ex, 'id');
    if (id) return id;
    const m = /pLPCommand\(\s*['"]start['"]\s*,\s*['"]([^'"]+)['"]/.exec(ex.responseBody ?? '');
    return m ? m[1]! : null;
  },
  groupKey(ex, key) {
    // The start=t request (its own start/cb/v params) and the id/pw polls are one loop on one /.lp endpoint.
    const url = urlOf(ex);
    if (!url || !/\/\.lp$/.test(url.pathname)) return null;
    return `${key.split(' ')[0]} ${url.origin}${url.pathname}`;
  },
  idle(ex) {
    if (ex.state !== 'complete' || ex.responseBody === null) return null;
    return !/pRTLPCB\(\s*\d+\s*,\s*\[\s*[^\]\s]/.test(ex.responseBody);
  },
  decode(ex) {
    if (ex.responseBody === null) return null;
    // pRTLPCB carries a list of messages: {"t":"d",…} data, {"t":"c",…} control (the handshake in the start answer).
    const data = [...ex.responseBody.matchAll(/\{\s*"t"\s*:\s*"d"/g)].length;
    const control = [...ex.responseBody.matchAll(/pLPCommand\(|\{\s*"t"\s*:\s*"c"/g)].length;
    return { data, heartbeat: data + control === 0 ? 1 : 0, control };
  },
  declared(exs) {
    if (!exs.some((ex) => firebase.roleOf!(ex) === 'poll')) return [];
    return [{ key: 'keepaliveMs', valueMs: FIREBASE_KEEPALIVE_MS, source: 'Firebase client keepalive (KEEPALIVE_REQUEST_INTERVAL)', fact: 'longest poll hold', observe: 'max-hold', compare: 'at-most', slackMs: 2000, onlyIfObserved: true }];
  },
};
