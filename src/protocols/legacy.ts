// The 2006–2012 Comet frameworks and nginx push modules: recognised by their URLs and markers (anchors §3.18).
// None of them announces timings on the wire, so they declare nothing; their sessions are script-session or push ids.
import { responseMay } from '../har/peek.js';
import type { Exchange } from '../model.js';
import type { ProtocolModule, ProtocolRole } from './types.js';
import { formField, header, param, pathOf, subprotocols } from './util.js';

export const dwr: ProtocolModule = {
  meta: {
    id: 'dwr',
    name: 'DWR Reverse Ajax',
    description: 'Direct Web Remoting reverse ajax: plainpoll (XHR long-poll or streaming) and htmlpoll (iframe) on ReverseAjax.dwr.',
    signals: ['/dwr/call/plainpoll/ReverseAjax.dwr, /dwr/call/htmlpoll/ReverseAjax.dwr', 'scriptSessionId= in the text/plain body', '//#DWR-REPLY, //#DWR-START# markers'],
    sessionKey: 'scriptSessionId',
    declares: [],
  },
  recognise(ex) {
    const p = pathOf(ex);
    const poll = /\/(plainpoll|htmlpoll)\/ReverseAjax\.dwr$/i.exec(p);
    if (poll) return { score: 1, version: /\/call\//.test(p) ? (/DWR-START/.test(ex.responseBody ?? '') ? '3' : '2') : '1', evidence: `DWR reverse ajax ${poll[1]}` };
    if (/\/dwr\/call\/plaincall\/.*\.dwr$/i.test(p) || (responseMay(ex, 'dwr') && /\/\/#DWR-(REPLY|INSERT|START)/.test(ex.responseBody ?? ''))) return { score: 0.6, version: null, evidence: 'DWR call (.dwr)' };
    return null;
  },
  roleOf: (ex): ProtocolRole | null => (/(plain|html)poll/i.test(pathOf(ex)) ? 'poll' : /plaincall/i.test(pathOf(ex)) ? 'send' : null),
  sessionOf: (ex) => bodyField(ex, 'scriptSessionId'),
};

function bodyField(ex: Exchange, name: string): string | null {
  const m = new RegExp(`(?:^|\\n|&)${name}=([^\\n&]*)`).exec(ex.requestBody ?? '');
  return m && m[1] ? m[1] : null;
}

export const icepush: ProtocolModule = {
  meta: {
    id: 'icepush',
    name: 'ICEpush',
    description: 'ICEpush / ICEfaces: blocking listen.icepush requests plus create-push-id and notify.',
    signals: ['listen.icepush(.xml)', 'create-push-id.icepush', 'ice.pushid= form field'],
    sessionKey: 'ice.pushid',
    declares: [],
  },
  recognise(ex) {
    const m = /(listen|create-push-id|notify|add-group-member|remove-group-member)\.icepush(\.\w+)?$/.exec(pathOf(ex));
    return m ? { score: 1, version: null, evidence: `ICEpush ${m[1]}.icepush` } : null;
  },
  roleOf(ex): ProtocolRole | null {
    const p = pathOf(ex);
    if (/listen\.icepush/.test(p)) return 'poll';
    if (/create-push-id/.test(p)) return 'setup';
    return 'send';
  },
  sessionOf: (ex) => formField(ex.requestBody, 'ice.pushid') ?? param(ex, 'ice.pushid'),
  idle: (ex) => (ex.responseBody === null ? null : /<noop\s*\/>/.test(ex.responseBody)),
};

export const pushlet: ProtocolModule = {
  meta: {
    id: 'pushlet',
    name: 'Pushlet',
    description: 'Pushlets: pushlet.srv?p_event=join|listen|join-listen|hb|leave&p_mode=pull|stream|poll.',
    signals: ['pushlet.srv', 'p_event=, p_mode=, p_id='],
    sessionKey: 'p_id',
    declares: [],
  },
  recognise(ex) {
    const ev = param(ex, 'p_event');
    if (!/pushlet\.srv$/.test(pathOf(ex)) && !ev) return null;
    return { score: /pushlet\.srv$/.test(pathOf(ex)) ? 1 : 0.6, version: null, evidence: `Pushlet p_event=${ev ?? '?'}${param(ex, 'p_mode') ? ` p_mode=${param(ex, 'p_mode')}` : ''}` };
  },
  roleOf(ex): ProtocolRole | null {
    const ev = param(ex, 'p_event') ?? '';
    if (ev === 'join' || ev === 'subscribe') return 'setup';
    if (ev === 'leave' || ev === 'unsubscribe') return 'teardown';
    if (ev === 'listen' || ev === 'join-listen' || ev === 'refresh') return param(ex, 'p_mode') === 'stream' ? 'stream' : 'poll';
    return ev ? 'send' : null;
  },
  sessionOf: (ex) => param(ex, 'p_id'),
};

/** What `url.split('?')[1] ?? ''` gives, without splitting the whole URL. */
function queryOf(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return '';
  const next = url.indexOf('?', at + 1);
  return next < 0 ? url.slice(at + 1) : url.slice(at + 1, next);
}

export const ape: ProtocolModule = {
  meta: {
    id: 'ape',
    name: 'APE',
    description: 'Ajax Push Engine: JSON command arrays in the query string, often on numbered subdomains.',
    signals: ['?[{"cmd":"CONNECT"|"CHECK"|"JOIN"…}]', 'answers with "raw":', 'numbered subdomain <n>.ape.host'],
    sessionKey: 'sessid in the command params',
    declares: [],
  },
  recognise(ex) {
    // The command list is the whole query, so it starts with `[`, written or escaped: other queries (nearly all
    // requests of a capture) are not decoded.
    const q = queryOf(ex.url);
    const m = q.startsWith('[') || /^%5b/i.test(q) ? /^\[\s*\{\s*"cmd"\s*:\s*"([A-Z_]+)"/.exec(decodeURIComponent(q.replace(/\+/g, ' '))) : null;
    if (!m) return responseMay(ex, 'ape') && /"raw"\s*:\s*"(IDENT|LOGIN|CHANNEL|CLOSE)"/.test(ex.responseBody ?? '') ? { score: 0.8, version: null, evidence: 'APE raw answer' } : null;
    return { score: 1, version: null, evidence: `APE command ${m[1]} in the query` };
  },
  roleOf(ex): ProtocolRole | null {
    const q = decodeURIComponent(queryOf(ex.url));
    if (/"cmd"\s*:\s*"(CONNECT|JOIN)"/.test(q)) return 'setup';
    if (/"cmd"\s*:\s*"CHECK"/.test(q)) return 'poll';
    if (/"cmd"\s*:\s*"(QUIT|LEFT)"/.test(q)) return 'teardown';
    return 'send';
  },
  sessionOf(ex) {
    const m = /"sessid"\s*:\s*"([^"]+)"/.exec(decodeURIComponent(queryOf(ex.url)) + (ex.responseBody ?? ''));
    return m ? m[1]! : null;
  },
};

/** nchan / nginx_http_push_module / nginx-push-stream: the If-None-Match / If-Modified-Since cursor walks the queue. */
export const nchan: ProtocolModule = {
  meta: {
    id: 'nchan',
    name: 'nchan',
    description: 'nchan, nginx_http_push_module and nginx-push-stream-module subscribers (long-poll with an Etag/Last-Modified cursor).',
    signals: [
      'X-Nginx-PushStream-Mode request header',
      'nginx subscriber answering with Etag/Last-Modified echoed as If-None-Match/If-Modified-Since',
      'WebSocket subprotocol ws+meta.nchan (NchanSubscriber)',
      'nginx event stream opening with the comment ": hi"',
      '/sub/<channel>, /activity?id=, /subscribe paths',
    ],
    sessionKey: 'none (the channel id is the endpoint)',
    declares: [],
  },
  recognise(ex) {
    const mode = header(ex.requestHeaders, 'X-Nginx-PushStream-Mode');
    if (mode) return { score: 1, version: null, evidence: `X-Nginx-PushStream-Mode: ${mode}` };
    if (subprotocols(ex).includes('ws+meta.nchan')) {
      return { score: 1, version: null, evidence: 'WebSocket subprotocol ws+meta.nchan' };
    }
    // nchan greets an EventSource subscriber with a comment; the bodies of a few streams are read for it.
    if (ex.mimeType === 'text/event-stream' && /nginx|nchan/i.test(header(ex.responseHeaders, 'server') ?? '') && /^: hi\r?\n/.test(ex.responseBody ?? '')) {
      return { score: 1, version: null, evidence: 'nginx event stream opening with the comment ": hi"' };
    }
    const cursor = header(ex.requestHeaders, 'If-None-Match') !== null || header(ex.requestHeaders, 'If-Modified-Since') !== null;
    const nginx = /nginx|nchan/i.test(header(ex.responseHeaders, 'server') ?? '');
    const subPath = /\/(sub|subscribe|activity|nchan)(\/|$)/i.test(pathOf(ex));
    if (cursor && nginx && subPath) return { score: 1, version: null, evidence: 'nginx subscriber walked with an If-None-Match and If-Modified-Since cursor' };
    if (cursor && subPath && ex.duration >= 2000) return { score: 0.5, version: null, evidence: 'held subscriber request carrying an Etag cursor' };
    return null;
  },
  roleOf: () => 'poll',
  remarks(exs) {
    // nchan closes an event stream at its subscriber timeout with this comment; the streams' bodies are read only here.
    const ended = exs.filter((ex) => ex.mimeType === 'text/event-stream' && /\n:408: 408 Request Timeout\s*$/.test(ex.responseBody ?? '')).length;
    return ended > 0 ? [`nchan ended ${ended} event stream${ended === 1 ? '' : 's'} at its subscriber timeout (closed with the comment ":408: 408 Request Timeout")`] : [];
  },
};
