#!/usr/bin/env node
// Deterministic synthetic HAR captures for the reader benchmark (issue 7). Chrome-DevTools-shaped entries for a long
// comet session: an XHR long-poll loop (two in five entries), SSE streams, WebSockets with frames, fetch calls with
// request bodies, and the page assets around them. Same arguments → same bytes.
//
//   node scripts/bench/generate.mjs <out> [--profile meta|bodies] [--format pretty|minified] [--size MB] [--seed N]
//
// Profiles: "meta" keeps little body content (what a capture exported without content looks like: headers, cookies,
// initiator stacks, timings; ~7 KB an entry pretty-printed, ~4 KB minified); "bodies" embeds large response bodies
// (base64 images, scripts, styles, documents) and large WebSocket frames (~38 KB an entry). Formats: "pretty" is
// JSON.stringify with 2-space indent (what DevTools exports), "minified" has no whitespace at all.
import { closeSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** mulberry32: small, fast, deterministic. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'alpha beta gamma delta push poll event stream message channel update price quote user room chat notify cursor ack'.split(' ');
// Strings that need JSON escapes, so that every run exercises \" \\ \n \t \u2028 and non-ASCII text.
const TRICKY = ['say "hi"', 'C:\\path\\to', 'line\nbreak', 'tab\there', 'sep\u2028ara\u2029tor', 'caf\u00e9 \u65e5\u672c \u{1f600}', '}],{"x":"]'];

export function makeGenerator({ profile = 'meta', seed = 7 } = {}) {
  const r = rng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(r() * list.length)];
  const word = () => pick(WORDS);
  const hex = (n) => {
    let s = '';
    while (s.length < n) s += Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  const text = (n) => {
    const parts = [];
    let len = 0;
    while (len < n) {
      const w = r() < 0.03 ? pick(TRICKY) : word();
      parts.push(w);
      len += w.length + 1;
    }
    return parts.join(' ');
  };
  const base64 = (n) => {
    // Random bytes, so the base64 does not compress to nothing under gzip.
    const buf = Buffer.allocUnsafe(Math.ceil((n * 3) / 4));
    for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE(Math.floor(r() * 0x100000000), Math.min(i, buf.length - 4));
    return buf.toString('base64');
  };
  const bodies = profile === 'bodies';
  let clock = Date.UTC(2026, 2, 1, 9, 0, 0);
  let cursor = 0;
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
  const cookie = `session=${hex(32)}; prefs=${hex(24)}; _ga=GA1.2.${int(1e8, 9e8)}.${int(1e9, 2e9)}`;

  const reqHeaders = (host, path, extra) => [
    { name: ':authority', value: host },
    { name: ':method', value: 'GET' },
    { name: ':path', value: path },
    { name: ':scheme', value: 'https' },
    { name: 'accept', value: extra.accept ?? '*/*' },
    { name: 'accept-encoding', value: 'gzip, deflate, br, zstd' },
    { name: 'accept-language', value: 'en-GB,en;q=0.9,de;q=0.8' },
    { name: 'cache-control', value: 'no-cache' },
    { name: 'cookie', value: cookie },
    { name: 'pragma', value: 'no-cache' },
    { name: 'referer', value: 'https://app.example.com/live/dashboard' },
    { name: 'sec-ch-ua', value: '"Not/A)Brand";v="8", "Chromium";v="126", "Google Chrome";v="126"' },
    { name: 'sec-ch-ua-mobile', value: '?0' },
    { name: 'sec-ch-ua-platform', value: '"Linux"' },
    { name: 'sec-fetch-dest', value: extra.dest ?? 'empty' },
    { name: 'sec-fetch-mode', value: extra.mode ?? 'cors' },
    { name: 'sec-fetch-site', value: 'same-origin' },
    { name: 'user-agent', value: ua },
    ...(extra.more ?? []),
  ];
  const resHeaders = (mime, size, extra = []) => [
    { name: 'access-control-allow-origin', value: '*' },
    { name: 'cache-control', value: 'no-store, max-age=0' },
    { name: 'content-encoding', value: 'br' },
    { name: 'content-length', value: String(size) },
    { name: 'content-type', value: mime },
    { name: 'date', value: new Date(clock).toUTCString() },
    { name: 'server', value: 'nginx/1.25.4' },
    { name: 'strict-transport-security', value: 'max-age=63072000; includeSubDomains; preload' },
    { name: 'vary', value: 'Accept-Encoding, Origin' },
    { name: 'x-request-id', value: hex(32) },
    { name: 'x-trace', value: `${hex(16)}-${hex(16)}-01` },
    ...extra,
  ];
  const initiator = () => ({
    type: 'script',
    stack: {
      callFrames: Array.from({ length: int(2, 7) }, () => ({
        functionName: `${word()}${word().toUpperCase()}`,
        scriptId: String(int(10, 400)),
        url: `https://app.example.com/static/js/${word()}.${hex(8)}.js`,
        lineNumber: int(0, 4000),
        columnNumber: int(0, 20000),
      })),
      ...(r() < 0.3 ? { parent: { description: 'Promise.then', callFrames: [{ functionName: 'next', scriptId: '88', url: 'https://app.example.com/static/js/vendor.js', lineNumber: 1, columnNumber: int(0, 90000) }] } } : {}),
    },
  });
  const timings = (wait, receive) => ({
    blocked: Math.round(r() * 300) / 100,
    dns: -1,
    ssl: -1,
    connect: -1,
    send: 0.123,
    wait,
    receive,
    _blocked_queueing: Math.round(r() * 200) / 100,
    _workerStart: -1,
    _workerReady: -1,
    _workerFetchStart: -1,
    _workerRespondWithSettled: -1,
  });
  const entry = (o) => {
    const time = o.timings.blocked + o.timings.send + o.timings.wait + o.timings.receive;
    const e = {
      _connectionId: String(int(1000, 9999)),
      _initiator: initiator(),
      _priority: pick(['High', 'Low', 'VeryHigh']),
      _resourceType: o.type,
      ...(o.ws ? { _webSocketMessages: o.ws } : {}),
      cache: {},
      connection: String(int(1000, 9999)),
      pageref: 'page_1',
      request: {
        method: o.method ?? 'GET',
        url: o.url,
        httpVersion: 'http/2.0',
        headers: reqHeaders(o.host, o.path, o.req ?? {}),
        queryString: o.query ?? [],
        cookies: [{ name: 'session', value: hex(32), path: '/', domain: '.example.com', expires: '1970-01-01T00:00:00.000Z', httpOnly: true, secure: true }],
        headersSize: -1,
        bodySize: o.post ? o.post.length : 0,
        ...(o.post ? { postData: { mimeType: 'application/json', text: o.post } } : {}),
      },
      response: {
        status: o.status ?? 200,
        statusText: '',
        httpVersion: 'http/2.0',
        headers: resHeaders(o.mime, o.size, o.resExtra),
        cookies: [],
        content: { size: o.size, mimeType: o.mime, ...(o.body !== undefined ? { text: o.body } : {}), ...(o.encoding ? { encoding: o.encoding } : {}) },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        _transferSize: o.size + 300,
        _error: null,
        _fetchedViaServiceWorker: false,
      },
      serverIPAddress: '203.0.113.7',
      startedDateTime: new Date(clock).toISOString(),
      time,
      timings: o.timings,
    };
    clock += advances.length > 0 ? advances.shift() : int(5, 400);
    return e;
  };

  // The XHR long-poll loop runs one request after another, as a comet client does: each poll is answered just
  // before the next one starts. When a poll is made, the entries until the next one and the time each takes are
  // drawn; the poll is held for that span, less the client's re-poll delay. Empty answers come at the server's
  // 25 s timeout (the other traffic in between is spread over it), answers with data within about a second.
  const advances = [];
  let untilPoll = 0;
  const planPoll = (empty) => {
    let between = 0;
    while (r() >= 0.4) between += 1;
    for (let i = 0; i <= between; i += 1) advances.push(int(5, 400));
    const repoll = int(5, 30);
    if (empty) {
      const span = advances.reduce((a, b) => a + b, 0);
      const scale = (25_000 + repoll) / span;
      for (let i = 0; i < advances.length; i += 1) advances[i] = Math.round(advances[i] * scale);
    }
    untilPoll = between;
    const span = advances.reduce((a, b) => a + b, 0);
    return Math.max(1, span - repoll - 4);
  };

  const kinds = [
    [0.4, 'poll'], [0.08, 'sse'], [0.05, 'ws'], [0.2, 'image'], [0.1, 'asset'], [0.05, 'doc'], [0.12, 'fetch'],
  ];
  const others = kinds.filter(([, k]) => k !== 'poll');
  const othersWeight = others.reduce((a, [p]) => a + p, 0);
  return function next() {
    let kind = 'poll';
    if (untilPoll > 0) {
      untilPoll -= 1;
      let x = r() * othersWeight;
      kind = others[others.length - 1][1];
      for (const [p, k] of others) {
        if (x < p) {
          kind = k;
          break;
        }
        x -= p;
      }
    }
    switch (kind) {
      case 'poll': {
        cursor += 1;
        const path = `/comet/poll?cursor=${cursor}&_=${clock}`;
        const msgs = r() < 0.6 ? [] : Array.from({ length: int(1, 4) }, (_, i) => ({ id: cursor * 10 + i, type: word(), text: text(int(20, 200)) }));
        const body = JSON.stringify(msgs);
        const wait = planPoll(msgs.length === 0);
        return entry({ type: 'xhr', host: 'push.example.com', path, url: `https://push.example.com${path}`, mime: 'application/json', size: body.length, body, req: { accept: 'application/json' }, timings: timings(wait, 0.5), query: [{ name: 'cursor', value: String(cursor) }, { name: '_', value: String(clock) }] });
      }
      case 'sse': {
        const events = Array.from({ length: int(2, bodies ? 40 : 8) }, (_, i) => `id: ${cursor + i}\nevent: ${word()}\ndata: ${JSON.stringify({ v: text(int(10, 120)) })}\n\n`).join('');
        return entry({ type: 'eventsource', host: 'push.example.com', path: '/events', url: 'https://push.example.com/events', mime: 'text/event-stream', size: events.length, body: events, req: { accept: 'text/event-stream' }, timings: timings(30, int(1000, 60000)) });
      }
      case 'ws': {
        let t = clock / 1000;
        const frames = Array.from({ length: int(5, 30) }, () => {
          t += r() * 5;
          const big = bodies && r() < 0.2;
          return { type: r() < 0.3 ? 'send' : 'receive', time: t, opcode: 1, data: big ? JSON.stringify({ snapshot: text(int(2000, 20000)) }) : `42["${word()}",${JSON.stringify({ t: text(int(10, 150)) })}]` };
        });
        return entry({ type: 'websocket', host: 'push.example.com', path: '/socket.io/?EIO=4&transport=websocket', url: 'wss://push.example.com/socket.io/?EIO=4&transport=websocket', mime: '', size: 0, status: 101, ws: frames, req: { more: [{ name: 'upgrade', value: 'websocket' }, { name: 'sec-websocket-key', value: base64(16) }] }, timings: timings(40, 0) });
      }
      case 'image': {
        const n = bodies ? int(5_000, 150_000) : int(500, 60_000);
        const name = `${word()}-${hex(10)}.${pick(['png', 'webp', 'jpg'])}`;
        return entry({ type: 'image', host: 'cdn.example.com', path: `/img/${name}`, url: `https://cdn.example.com/img/${name}`, mime: 'image/png', size: n, ...(bodies ? { body: base64(n), encoding: 'base64' } : {}), req: { accept: 'image/avif,image/webp,*/*', dest: 'image', mode: 'no-cors' }, timings: timings(int(5, 90), int(1, 40)) });
      }
      case 'asset': {
        const css = r() < 0.4;
        const n = bodies ? int(10_000, 200_000) : int(2_000, 300_000);
        const name = `${word()}.${hex(8)}.${css ? 'css' : 'js'}`;
        return entry({ type: css ? 'stylesheet' : 'script', host: 'cdn.example.com', path: `/static/${name}`, url: `https://cdn.example.com/static/${name}`, mime: css ? 'text/css' : 'application/javascript', size: n, ...(bodies ? { body: text(n) } : {}), timings: timings(int(5, 90), int(1, 40)) });
      }
      case 'doc': {
        const n = bodies ? int(5_000, 80_000) : int(300, 1_000);
        const body = `<!doctype html><html><head><title>${word()}</title></head><body>${text(n)}</body></html>`;
        return entry({ type: 'document', host: 'app.example.com', path: '/live/dashboard', url: 'https://app.example.com/live/dashboard', mime: 'text/html', size: body.length, body, req: { accept: 'text/html', dest: 'document', mode: 'navigate' }, timings: timings(int(50, 300), int(5, 80)) });
      }
      default: {
        const id = int(1, 99999);
        const post = JSON.stringify({ op: word(), id, note: text(int(20, bodies ? 3000 : 300)) });
        const body = JSON.stringify({ ok: true, id, items: Array.from({ length: int(0, bodies ? 60 : 5) }, () => ({ k: word(), v: text(int(5, 80)) })) });
        return entry({ type: 'fetch', method: 'POST', host: 'api.example.com', path: `/api/items/${id}`, url: `https://api.example.com/api/items/${id}`, mime: 'application/json', size: body.length, body, post, timings: timings(int(20, 400), int(1, 20)) });
      }
    }
  };
}

function header(format) {
  const creator = { name: 'WebInspector', version: '537.36' };
  const pages = [{ startedDateTime: '2026-03-01T09:00:00.000Z', id: 'page_1', title: 'https://app.example.com/live/dashboard', pageTimings: { onContentLoad: 812.4, onLoad: 1422.9 } }];
  if (format === 'minified') return `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"pages":${JSON.stringify(pages)},"entries":[`;
  const indent = (s, n) => s.split('\n').join(`\n${' '.repeat(n)}`);
  return `{\n  "log": {\n    "version": "1.2",\n    "creator": ${indent(JSON.stringify(creator, null, 2), 4)},\n    "pages": ${indent(JSON.stringify(pages, null, 2), 4)},\n    "entries": [\n`;
}

/** Writes a capture of about `bytes` bytes; returns { bytes, entries }. */
export function generate(path, { profile = 'meta', format = 'pretty', bytes = 100e6, seed = 7 } = {}) {
  const next = makeGenerator({ profile, seed });
  const fd = openSync(path, 'w');
  const pretty = format === 'pretty';
  let written = 0;
  let pending = [];
  let pendingLen = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const buf = Buffer.from(pending.join(''), 'utf8');
    writeSync(fd, buf);
    written += buf.length;
    pending = [];
    pendingLen = 0;
  };
  const put = (s) => {
    pending.push(s);
    pendingLen += s.length;
    if (pendingLen > 8 << 20) flush();
  };
  put(header(format));
  let entries = 0;
  const tail = pretty ? '\n    ]\n  }\n}\n' : ']}}';
  while (written + pendingLen * 1.02 + tail.length < bytes) {
    const e = next();
    const json = pretty ? `      ${JSON.stringify(e, null, 2).replaceAll('\n', '\n      ')}` : JSON.stringify(e);
    put(entries === 0 ? json : (pretty ? ',\n' : ',') + json);
    entries += 1;
  }
  put(tail);
  flush();
  closeSync(fd);
  return { bytes: written, entries };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const out = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  if (!out) {
    process.stderr.write('usage: generate.mjs <out> [--profile meta|bodies] [--format pretty|minified] [--size MB] [--seed N]\n');
    process.exit(2);
  }
  const res = generate(out, { profile: opt('profile', 'meta'), format: opt('format', 'pretty'), bytes: Number(opt('size', '100')) * 1e6, seed: Number(opt('seed', '7')) });
  process.stdout.write(`${out}: ${res.entries} entries, ${res.bytes} bytes\n`);
}
