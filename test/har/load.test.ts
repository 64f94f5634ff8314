import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/har/errors.js';
import { loadCapture } from '../../src/har/load.js';
import type { Capture, Exchange } from '../../src/model.js';

const FIX = new URL('../fixtures/har/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ci-load-'));

function byPath(cap: Capture, path: string): Exchange {
  const found = cap.exchanges.find((e) => new URL(e.url).pathname === path);
  if (!found) throw new Error(`no exchange for ${path}`);
  return found;
}

function codes(cap: Capture): string[] {
  return cap.warnings.map((w) => w.code);
}

describe('reading the quirks fixture', async () => {
  const cap = await loadCapture(join(FIX, 'quirks.har'));

  it('reads every entry and sorts them by start time', () => {
    expect(cap.summary.entries).toBe(28);
    expect(cap.exchanges).toHaveLength(28);
    const starts = cap.exchanges.map((e) => e.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(codes(cap)).toContain('unsorted');
    expect(cap.exchanges.map((e) => e.index)).toEqual([...cap.exchanges.keys()]);
  });

  it('parses Z, ±hh:mm, 6 and 9 fraction digits, and assumes UTC without a zone', () => {
    expect(byPath(cap, '/a-zulu').start).toBe(Date.UTC(2026, 0, 1, 10, 0, 0));
    expect(byPath(cap, '/z-offset').start).toBe(Date.UTC(2026, 0, 1, 10, 0, 1));
    expect(byPath(cap, '/micro').start).toBeCloseTo(Date.UTC(2026, 0, 1, 10, 0, 2) + 123.456, 3);
    expect(byPath(cap, '/nano').start).toBeCloseTo(Date.UTC(2026, 0, 1, 10, 0, 3) + 123.456789, 3);
    expect(byPath(cap, '/nozone').start).toBe(Date.UTC(2026, 0, 1, 10, 0, 4));
    expect(codes(cap)).toEqual(expect.arrayContaining(['date-no-zone', 'date-empty', 'date-epoch']));
  });

  it('places an entry with an empty date right after the previous one in the file', () => {
    expect(byPath(cap, '/empty-date').start).toBe(byPath(cap, '/nozone').start);
  });

  it('treats -1, null, negative and missing timings as unknown and never adds ssl on top of connect', () => {
    expect(byPath(cap, '/timings-null').timings).toMatchObject({ blocked: null, dns: null, send: 1, wait: 40, receive: 9 });
    expect(byPath(cap, '/timings-negative').timings.blocked).toBeNull();
    expect(byPath(cap, '/timings-empty').duration).toBe(20);
    expect(byPath(cap, '/timings-missing').duration).toBe(20);
    expect(byPath(cap, '/ssl-in-connect').duration).toBe(60);
    expect(codes(cap)).toEqual(expect.arrayContaining(['timing-bad', 'timings-empty', 'timings-missing']));
  });

  it('replaces an absurd time with the sum of the timings', () => {
    expect(byPath(cap, '/time-absurd').duration).toBe(125);
    expect(codes(cap)).toContain('time-absurd');
  });

  it('decides complete, aborted, failed and open', () => {
    expect(byPath(cap, '/a-zulu').state).toBe('complete');
    expect(byPath(cap, '/aborted').state).toBe('aborted');
    expect(byPath(cap, '/aborted').error).toBe('net::ERR_ABORTED');
    expect(byPath(cap, '/failed').state).toBe('failed');
    expect(byPath(cap, '/bmp-999').status).toBe(0);
    expect(codes(cap)).toContain('status-999');
    expect(byPath(cap, '/no-response').state).toBe('open');
    expect(byPath(cap, '/content-empty').state).toBe('complete');
  });

  it('gives a request still open at the end of the capture the capture end as its end', () => {
    const pending = byPath(cap, '/pending-lp');
    expect(pending.state).toBe('open');
    expect(pending.status).toBe(0);
    expect(pending.end).toBe(byPath(cap, '/last').end);
    expect(pending.duration).toBe(6500);
  });

  it('reads WebSocket entries by ws:// and by 101, with frames in epoch ms', () => {
    const ws = byPath(cap, '/ws');
    expect(ws.resourceType).toBe('websocket');
    expect(ws.wsFrames).toEqual([
      { time: 1767261621500, direction: 'send', opcode: 1, data: 'hi' },
      { time: 1767261622250, direction: 'receive', opcode: 1, data: 'hello' },
    ]);
    expect(ws.state).toBe('open');
    expect(byPath(cap, '/ws-http').resourceType).toBe('websocket');
    expect(byPath(cap, '/wsmessages-null').wsFrames).toBeNull();
  });

  it('reads _eventSourceMessages, lower-cases _resourceType, decodes base64 text and flags HTTP/2 push', () => {
    const sse = byPath(cap, '/events');
    expect(sse.resourceType).toBe('eventsource');
    expect(sse.sseEvents).toEqual([
      { time: 1767261624000, event: 'tick', data: 'a', id: '1' },
      { time: 1767261625000, event: 'tick', data: 'b', id: '2' },
    ]);
    expect(byPath(cap, '/base64').responseBody).toBe('hello world');
    expect(byPath(cap, '/pushed.css').pushed).toBe(true);
    expect(byPath(cap, '/h3').httpVersion).toBe('h3');
  });

  it('reports each kind of repair once, with a count', () => {
    const pending = cap.warnings.find((w) => w.code === 'pending');
    // the Playwright placeholder, the entry without a response and BrowserMob's -999
    expect(pending?.count).toBe(3);
    expect(new Set(codes(cap)).size).toBe(cap.warnings.length);
  });
});

describe('wrappings and encodings', () => {
  it('accepts a BOM and leading whitespace', async () => {
    const cap = await loadCapture(join(FIX, 'bom-leading-space.har'));
    expect(cap.exchanges).toHaveLength(2);
    expect(codes(cap)).toEqual(expect.arrayContaining(['bom', 'leading-space']));
    expect(cap.summary.exporter).toBe('chrome');
  });

  it('unwraps the JSONP .harp form', async () => {
    const cap = await loadCapture(join(FIX, 'jsonp-wrapped.harp'));
    expect(cap.exchanges).toHaveLength(2);
    expect(codes(cap)).toContain('jsonp-wrapped');
  });

  it('detects gzip and zlib by magic bytes, whatever the file is called', async () => {
    const plain = readFileSync(join(FIX, 'bom-leading-space.har'));
    writeFileSync(join(tmp, 'gz-named-plain.har'), gzipSync(plain));
    writeFileSync(join(tmp, 'capture.zhar'), deflateSync(plain));
    expect((await loadCapture(join(tmp, 'gz-named-plain.har'))).exchanges).toHaveLength(2);
    expect((await loadCapture(join(tmp, 'capture.zhar'))).exchanges).toHaveLength(2);
  });

  it('reads stdin when the path is -', async () => {
    const stdin = Readable.from([readFileSync(join(FIX, 'version-1.1.har'))]);
    const cap = await loadCapture('-', { stdin });
    expect(cap.summary.file).toBe('stdin');
    expect(cap.exchanges).toHaveLength(2);
  });

  it('accepts HAR 1.1, 1.2 and 1.3 silently, and warns on a missing or unknown version', async () => {
    for (const v of ['1.1', '1.3']) {
      const cap = await loadCapture(join(FIX, `version-${v}.har`));
      expect(cap.summary.harVersion).toBe(v);
      expect(codes(cap)).not.toContain('version-odd');
    }
    expect(codes(await loadCapture(join(FIX, 'version-missing.har')))).toContain('version-missing');
    expect(codes(await loadCapture(join(FIX, 'version-2.0.har')))).toContain('version-odd');
    expect((await loadCapture(join(FIX, 'pages-empty.har'))).summary.pages).toBe(0);
  });
});

describe('truncated and unusable input', () => {
  it('salvages every complete entry of a capture cut off mid-write', async () => {
    const cap = await loadCapture(join(FIX, 'truncated.har'));
    expect(cap.summary.truncated).toBe(true);
    expect(cap.exchanges.map((e) => new URL(e.url).pathname)).toEqual(['/e0', '/e1', '/e2']);
    const w = cap.warnings.find((x) => x.code === 'truncated');
    expect(w?.message).toMatch(/cut off at line \d+, column \d+.*recovered 3 complete entries/);
  });

  it('salvages a cut at every byte offset inside entries without throwing', async () => {
    const text = readFileSync(join(FIX, 'truncated.har'), 'utf8');
    const start = text.indexOf('"entries"') + 12;
    for (let cut = start; cut < text.length; cut += 7) {
      writeFileSync(join(tmp, 'cut.har'), text.slice(0, cut));
      const cap = await loadCapture(join(tmp, 'cut.har'));
      expect(cap.exchanges.length).toBeLessThanOrEqual(3);
    }
  });

  const cases: [string, RegExp][] = [
    ['does-not-exist.har', /no such file/],
    ['.', /is a directory/],
    ['empty.har', /is empty/],
    ['not-json.har', /not valid JSON at line 2, column \d+/],
    ['not-har.json', /not a HAR \(no "log" object/],
    ['entries-not-list.har', /log\.entries is not a list/],
  ];
  for (const [name, message] of cases) {
    it(`rejects ${name} with one clear InputError`, async () => {
      const err = await loadCapture(join(FIX, name)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).toMatch(message);
      expect((err as InputError).message).not.toContain('\n');
    });
  }
});

describe('a failed request the exporter kept no timings for', () => {
  it('ended when it began, not at the end of the capture (a refused WebSocket retried five times is five quick failures)', async () => {
    const entry = (startedDateTime: string, time: number, response: object) => ({
      startedDateTime,
      time,
      request: { method: 'GET', url: 'https://h.test/socket', httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 0, statusText: '', httpVersion: '', headers: [], cookies: [], content: { size: 0, mimeType: '' }, redirectURL: '', headersSize: -1, bodySize: -1, ...response },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, send: -1, wait: -1, receive: -1, ssl: -1 },
    });
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Playwright', version: '1.65.1' },
        entries: [
          entry('2026-01-01T10:00:00.000Z', 30_000, { status: 200, content: { size: 2, mimeType: 'text/plain', text: 'ok' } }),
          entry('2026-01-01T10:00:05.000Z', -1, { _failureText: 'Connection closed before receiving a handshake response' }),
        ],
      },
    };
    const path = join(tmp, 'failed-no-timings.har');
    writeFileSync(path, JSON.stringify(har));
    const cap = await loadCapture(path);
    const failed = cap.exchanges[1]!;
    expect(failed.state).toBe('failed');
    expect(failed.end).toBe(failed.start);
    expect(failed.duration).toBe(0);
  });
});
