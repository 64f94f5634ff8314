// Google WebChannel / BrowserChannel (closure webchannelbase.js): forward channel POSTs with RID=<n>, back channel
// GETs with RID=rpc&SID=…&AID=<last array id>&CI=0|1&TYPE=xmlhttp|html&t=<attempt>. A back channel re-opened with a
// higher AID on the same SID is rotation; a new SID (or a higher t= retry after an error) is a reconnect.
import { responseMay } from '../har/peek.js';
import type { ProtocolModule, ProtocolRole } from './types.js';
import { param, pathOf } from './util.js';

export const webchannel: ProtocolModule = {
  meta: {
    id: 'webchannel',
    name: 'WebChannel',
    description: 'Google WebChannel / BrowserChannel (Firestore Listen/Write channels, Gmail, Docs): forward POSTs, RID=rpc back channel.',
    signals: ['/channel/bind, …/Listen/channel, …/Write/channel', 'RID=rpc with SID, AID, CI, TYPE=xmlhttp|html', 'VER=8', 'length-prefixed JSON chunks [[0,["c",…]]]'],
    sessionKey: 'SID',
    declares: ['CI=1 (buffering proxy: long-poll instead of streaming)'],
  },
  recognise(ex) {
    const rid = param(ex, 'RID');
    const ver = param(ex, 'VER');
    const channelPath = /\/channel(\/bind|\/test)?$/i.test(pathOf(ex));
    if (rid === 'rpc' && (param(ex, 'SID') || channelPath)) return { score: 1, version: ver, evidence: `WebChannel back channel RID=rpc${param(ex, 'TYPE') ? ` TYPE=${param(ex, 'TYPE')}` : ''}${param(ex, 'CI') ? ` CI=${param(ex, 'CI')}` : ''}` };
    if (channelPath && (rid !== null || ver !== null)) return { score: 0.9, version: ver, evidence: `WebChannel ${rid ? `forward channel RID=${rid}` : 'request'} on ${pathOf(ex)}` };
    if (responseMay(ex, 'webchannel') && /^\d+\n\[\[\d+,\["c",/.test(ex.responseBody ?? '')) return { score: 1, version: ver, evidence: 'WebChannel open chunk [[0,["c",…]]]' };
    return null;
  },
  roleOf(ex): ProtocolRole | null {
    const rid = param(ex, 'RID');
    if (param(ex, 'TYPE') === 'terminate') return 'teardown';
    if (rid === 'rpc') return 'stream';
    if (rid !== null) return param(ex, 'SID') ? 'send' : 'setup';
    return /\/test$/.test(pathOf(ex)) ? 'setup' : null;
  },
  sessionOf(ex) {
    const sid = param(ex, 'SID');
    if (sid) return sid;
    const m = /\[\[\d+,\["c","([^"]+)"/.exec(ex.responseBody ?? '');
    return m ? m[1]! : null;
  },
  idle(ex) {
    if (ex.state !== 'complete' || ex.responseBody === null) return null;
    const d = webchannel.decode!(ex);
    return d ? d.data === 0 : null;
  },
  decode(ex) {
    const body = ex.responseBody;
    if (!body || param(ex, 'RID') !== 'rpc') return null;
    const out = { data: 0, heartbeat: 0, control: 0 };
    for (const m of body.matchAll(/\[(\d+),(\[[^\n]*?\])\](?=,\[\d+,|\]\s*$|\]\s*\n)/g)) {
      const payload = m[2]!;
      if (/^\["noop"\]$/.test(payload)) out.heartbeat++;
      else if (/^\["(c|stop|close)"/.test(payload)) out.control++;
      else out.data++;
    }
    return out;
  },
  declaredInfo(exs) {
    const ci = exs.map((ex) => param(ex, 'CI')).find((c) => c !== null);
    return ci === '1' ? { bufferingProxy: true } : ci === '0' ? { streaming: true } : {};
  },
};
