// BOSH / XMPP over BOSH (XEP-0124, XEP-0206): POST <body/> wrappers to /http-bind; `rid` rises by one per request,
// the session-creation answer declares `wait` (longest hold, seconds), `hold`, `inactivity`, `polling`; an empty
// <body/> is the answer when `wait` runs out; `type='terminate'` ends the session.
import type { Exchange } from '../model.js';
import { requestMay, responseMay } from '../har/peek.js';
import type { DeclaredFact, ProtocolModule, ProtocolRole } from './types.js';
import { secondsToMs } from './util.js';

const BODY = /<body\b([^>]*?)(\/>|>([\s\S]*?)<\/body>)/;

function attrs(xml: string | null): Record<string, string> | null {
  if (!xml) return null;
  const m = BODY.exec(xml);
  if (!m) return null;
  const out: Record<string, string> = {};
  for (const a of m[1]!.matchAll(/([\w:.-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g)) out[a[1]!] = a[2] ?? a[3] ?? '';
  out['#children'] = (m[3] ?? '').trim();
  return out;
}

function isBosh(a: Record<string, string> | null): boolean {
  return a !== null && (/httpbind/.test(a['xmlns'] ?? '') || 'rid' in a);
}

export const bosh: ProtocolModule = {
  meta: {
    id: 'bosh',
    name: 'BOSH',
    description: 'BOSH (XEP-0124) / XMPP over BOSH (XEP-0206): held POSTs of <body/> wrappers to /http-bind.',
    signals: ["<body xmlns='http://jabber.org/protocol/httpbind' rid=…>", 'path /http-bind or /bosh', "type='terminate'"],
    sessionKey: 'sid (session-creation answer, then every request)',
    declares: ['wait (longest hold)', 'hold', 'inactivity', 'polling'],
  },
  recognise(ex) {
    // Asked before the bodies are read: a long one may have to come back from disk (har/peek.ts).
    const maybe = requestMay(ex, 'bosh') || responseMay(ex, 'bosh');
    const req = maybe ? attrs(ex.requestBody) : null;
    const res = maybe ? attrs(ex.responseBody) : null;
    if (isBosh(req) || isBosh(res)) return { score: 1, version: (req?.['ver'] ?? res?.['ver']) || null, evidence: `BOSH <body${req?.['rid'] ? ` rid=${req['rid']}` : ''}/> (XEP-0124)` };
    if (/\/(http-bind|bosh)\/?$/i.test(ex.url.split('?')[0]!) && ex.method.toUpperCase() === 'POST') return { score: 0.5, version: null, evidence: 'POST to /http-bind' };
    return null;
  },
  roleOf(ex): ProtocolRole | null {
    const req = attrs(ex.requestBody);
    if (!req) return null;
    if (req['type'] === 'terminate') return 'teardown';
    if (!req['sid']) return 'setup';
    return 'poll';
  },
  sessionOf(ex) {
    return attrs(ex.requestBody)?.['sid'] || attrs(ex.responseBody)?.['sid'] || null;
  },
  idle(ex) {
    if (ex.state !== 'complete') return null;
    const res = attrs(ex.responseBody);
    return res ? res['#children'] === '' && res['type'] !== 'terminate' : null;
  },
  decode(ex) {
    const res = attrs(ex.responseBody);
    if (!res) return null;
    const stanzas = [...res['#children']!.matchAll(/<(message|presence|iq)\b/g)].length;
    return { data: stanzas, heartbeat: stanzas === 0 && !res['sid'] ? 1 : 0, control: res['sid'] || res['type'] ? 1 : 0 };
  },
  declared(exs): DeclaredFact[] {
    const created = exs.map((ex) => attrs(ex.responseBody)).find((a) => a && a['sid'] && a['wait']);
    const asked = exs.map((ex) => attrs(ex.requestBody)).find((a) => a && !a['sid'] && a['wait']);
    const out: DeclaredFact[] = [];
    const wait = secondsToMs((created ?? asked)?.['wait']);
    if (wait !== null) out.push({ key: 'waitMs', valueMs: wait, source: created ? 'BOSH session creation wait' : 'BOSH request wait', fact: 'long-poll timeout (wait)', observe: 'timeout' });
    const inactivity = secondsToMs(created?.['inactivity']);
    if (inactivity !== null) out.push({ key: 'inactivityMs', valueMs: inactivity, source: 'BOSH session creation inactivity', fact: 'inactivity limit', observe: 'none' });
    const polling = secondsToMs(created?.['polling']);
    if (polling !== null) out.push({ key: 'pollingMs', valueMs: polling, source: 'BOSH session creation polling', fact: 'shortest re-poll allowed', observe: 'none' });
    return out;
  },
  declaredInfo(exs) {
    const created = exs.map((ex) => attrs(ex.responseBody)).find((a) => a && a['sid']);
    return created?.['hold'] ? { hold: Number(created['hold']) } : {};
  },
};

/** rid values in request order, for tests and evidence: they must rise by one (a repeat is a resend). */
export function boshRids(exs: readonly Exchange[]): number[] {
  return exs.map((ex) => Number(attrs(ex.requestBody)?.['rid'])).filter((n) => Number.isFinite(n));
}
