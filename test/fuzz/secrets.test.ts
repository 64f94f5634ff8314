import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run.js';

// HAR files hold cookies and tokens. Feed a capture seeded with known secret strings through every command and
// format and check that none of them reaches stdout or stderr; --no-redact is the only way to see them.
const SECRETS = {
  cookie: 'COOKIEsecret7731abc',
  setCookie: 'SETCOOKIEsecret88xyz',
  bearer: 'BEARERsecret41token',
  proxyAuth: 'PROXYsecret55basic',
  token: 'QUERYtoken9secret',
  sid: 'SIDsecret0420abcd',
  clientId: 'CLIENTid77secret',
  connectionToken: 'CONNtok99secretZ',
  gsessionid: 'GSESSsecret31xx',
  pw: 'PWsecret8812qq',
  nkh: 'NKHnick5secret',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQtdXNlciJ9.SIGsecretSIGNATURE123',
  formPassword: 'FORMpass2secret',
  randomId: 'Zx81Kq0Lm2Np9Rt4Vw7Yb3',
  frame: 'FRAMEsecret66data',
};

const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();

function poll(i: number): unknown {
  const start = T0 + 1000 + i * 10_050;
  const url =
    `https://push.example.test/comet/${SECRETS.randomId}/poll?cmd=wait&token=${SECRETS.token}&sid=${SECRETS.sid}` +
    `&clientId=${SECRETS.clientId}&connectionToken=${SECRETS.connectionToken}&gsessionid=${SECRETS.gsessionid}` +
    `&pw=${SECRETS.pw}&nkh=${SECRETS.nkh}&auth=${SECRETS.jwt}&t=${i}`;
  return {
    startedDateTime: iso(start),
    time: 10_000,
    request: {
      method: 'POST',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Cookie', value: `session=${SECRETS.cookie}` },
        { name: 'Authorization', value: `Bearer ${SECRETS.bearer}` },
        { name: 'Proxy-Authorization', value: `Basic ${SECRETS.proxyAuth}` },
      ],
      cookies: [{ name: 'session', value: SECRETS.cookie }],
      postData: { mimeType: 'application/x-www-form-urlencoded', text: `user=a&password=${SECRETS.formPassword}` },
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'HTTP/1.1',
      headers: [
        { name: 'Set-Cookie', value: `sid=${SECRETS.setCookie}; HttpOnly` },
        { name: 'Content-Type', value: 'application/json' },
      ],
      cookies: [{ name: 'sid', value: SECRETS.setCookie }],
      content: { size: 2, mimeType: 'application/json', text: i % 2 ? '[]' : `[{"token":"${SECRETS.token}"}]` },
      headersSize: -1,
      bodySize: -1,
    },
    timings: { send: 0, wait: 9990, receive: 10 },
  };
}

const ws = {
  startedDateTime: iso(T0 + 500),
  time: 1,
  _resourceType: 'websocket',
  request: { method: 'GET', url: `wss://push.example.test/ws?access_token=${SECRETS.token}`, headers: [{ name: 'Cookie', value: `s=${SECRETS.cookie}` }] },
  response: { status: 101, headers: [], content: { size: 0, mimeType: '' } },
  timings: { send: 0, wait: 1, receive: 0 },
  _webSocketMessages: [
    { type: 'send', time: (T0 + 600) / 1000, opcode: 1, data: `{"auth":"${SECRETS.frame}","jwt":"${SECRETS.jwt}"}` },
    { type: 'receive', time: (T0 + 700) / 1000, opcode: 1, data: 'hello' },
  ],
};

const har = { log: { version: '1.2', creator: { name: 'secrets fixture', version: '1' }, entries: [ws, ...Array.from({ length: 6 }, (_, i) => poll(i))] } };
const dir = mkdtempSync(join(tmpdir(), 'ci-secrets-'));
const file = join(dir, 'secrets.har');
writeFileSync(file, JSON.stringify(har));
const other = join(dir, 'other.har');
writeFileSync(other, readFileSync(new URL('../../samples/taobao-polling.har', import.meta.url)));

const RUNS: string[][] = [
  [file],
  [file, '--include-ordinary'],
  [file, '--format', 'json', '--include-ordinary'],
  [file, '--format', 'markdown', '--include-ordinary'],
  [file, '--format', 'html', '--include-ordinary'],
  ['compare', file, other],
  ['compare', file, other, '--format', 'json'],
  ['compare', file, other, '--format', 'markdown'],
  ['compare', file, other, '--format', 'html'],
  ['timeline', file, '--include-ordinary'],
  ['timeline', file, '--format', 'json'],
  ['validate', file],
  ['validate', file, '--format', 'json'],
  ['check', file, '--max-poll-rate', '1/min', '--max-errors', '0'],
  ['check', file, '--max-poll-rate', '1/min', '--format', 'json'],
  ['check', file, '--max-poll-rate', '1/min', '--format', 'junit'],
];

function leaked(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret) || text.includes(encodeURIComponent(secret)))
    .map(([name]) => name);
}

describe('no secret is printed by default', () => {
  for (const args of RUNS) {
    it(`comet-inspect ${args.map((a) => (a === file ? 'secrets.har' : a === other ? 'other.har' : a)).join(' ')}`, () => {
      const r = cli(args, { env: { GITHUB_ACTIONS: 'true' } });
      expect([0, 1]).toContain(r.code);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(leaked(r.stdout + r.stderr)).toEqual([]);
    });
  }

  it('error messages do not echo capture content either', () => {
    const broken = join(dir, 'broken.har');
    writeFileSync(broken, JSON.stringify(har).replace('"entries":[', `"entries":[ ${SECRETS.token} `));
    const r = cli([broken]);
    expect(r.code).toBe(2);
    expect(leaked(r.stderr)).toEqual([]);
  });

  it('--no-redact shows them (so this test can fail)', () => {
    const r = cli([file, '--format', 'html', '--include-ordinary', '--no-redact']);
    expect(r.code).toBe(0);
    expect(leaked(r.stdout)).toEqual(expect.arrayContaining(['token', 'sid']));
  });
});

// A SockJS session id is a path segment (`/echo/<server>/<session>/xhr_streaming`). Eight letters look like a word to
// the URL redactor, but anyone holding the id can send into the session: the endpoint and every request line that
// shows the channel's URLs hide it (samples/sockjs-xhr-streaming.har showed one in its timeline).
describe('SockJS session ids that look like words', () => {
  const SESSIONS = ['qwertyui', 'asdfghjk'];
  const entry = (at: number, path: string, method: string, time: number, text: string, mime: string) => ({
    startedDateTime: iso(T0 + at),
    time,
    _resourceType: 'xhr',
    request: { method, url: `https://rt.example.test/echo${path}`, httpVersion: 'HTTP/1.1', headers: [], headersSize: -1, bodySize: -1 },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: mime }], content: { size: text.length, mimeType: mime, text }, headersSize: -1, bodySize: -1 },
    timings: { send: 0, wait: 5, receive: time - 5 },
  });
  const stream = (at: number, server: number, session: string, time: number) =>
    entry(at, `/${server}/${session}/xhr_streaming`, 'POST', time, `${'h'.repeat(2048)}\no\na["news"]\nh\nc[3000,"Go away!"]\n`, 'application/javascript');
  const sockjs = {
    log: {
      version: '1.2',
      creator: { name: 'secrets fixture', version: '1' },
      entries: [
        entry(0, '/info', 'GET', 10, '{"websocket":false,"cookie_needed":false,"origins":["*:*"],"entropy":12345}', 'application/json'),
        stream(20, 123, SESSIONS[0]!, 18_000),
        entry(1000, `/123/${SESSIONS[0]}/xhr_send`, 'POST', 10, '', 'text/plain'),
        entry(19_100, '/info', 'GET', 10, '{"websocket":false,"cookie_needed":false,"origins":["*:*"],"entropy":54321}', 'application/json'),
        stream(19_120, 456, SESSIONS[1]!, 18_000),
      ],
    },
  };
  const path = join(dir, 'sockjs-words.har');
  writeFileSync(path, JSON.stringify(sockjs));
  const runs = [[path], [path, '--format', 'json'], [path, '--format', 'html'], ['timeline', path], ['timeline', path, '--format', 'json']];
  for (const args of runs) {
    it(`comet-inspect ${args.map((a) => (a === path ? 'sockjs-words.har' : a)).join(' ')}`, () => {
      const r = cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/SockJS/);
      for (const s of SESSIONS) expect(r.stdout).not.toContain(s);
    });
  }
});
