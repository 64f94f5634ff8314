// Layouts and encodings: pretty, minified, tabs, `"key" : value`, CRLF, BOM, gzip, zlib, entries before the
// header, escapes inside strings (\" \\ \u2028, non-ASCII), large bodies. Each read streaming equals the whole-file read.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadCapture, loadCaptureWhole } from '../../src/har/load.js';
import { captureText, writeCapture, type Layout } from './helpers.js';

const layouts: [string, Layout][] = [
  ['pretty (DevTools)', { format: 'pretty' }],
  ['minified', { format: 'minified' }],
  ['tab-indented', { format: 'tabs' }],
  ['"key" : value, 4 spaces', { format: 'spaced' }],
  ['pretty with CRLF', { format: 'pretty', crlf: true }],
  ['minified with a BOM', { format: 'minified', bom: true }],
  ['pretty, gzip', { format: 'pretty', wrap: 'gzip' }],
  ['minified, zlib', { format: 'minified', wrap: 'zlib' }],
  ['entries before creator and pages', { format: 'pretty', entriesFirst: true }],
  ['large bodies, pretty', { profile: 'bodies', format: 'pretty', entries: 30 }],
  ['large bodies, minified', { profile: 'bodies', format: 'minified', entries: 30 }],
];

describe('the streaming reader reads every layout like the whole-file reader', () => {
  for (const [label, layout] of layouts) {
    // 'workers' forces worker threads: the batch pool, and for gzip and zlib the decompressing thread too.
    for (const threads of layout.wrap ? (['inline', 'auto', 'workers'] as const) : (['inline', 'auto'] as const)) {
      it(`${label} (${threads})`, async () => {
        const path = writeCapture({ entries: 60, ...layout });
        const whole = await loadCaptureWhole(path);
        expect(whole.exchanges.length).toBeGreaterThan(20);
        expect(await loadCapture(path, { threads })).toEqual(whole);
      });
    }
  }

  it('keeps escapes inside strings: \\" \\\\ \\u2028, and non-ASCII text', async () => {
    const text = captureText({ entries: 3, format: 'minified' }).replace(
      '"entries":[{',
      `"entries":[{"_note":"x","request":{"method":"POST","url":"https://h/p?q=\\"a\\"","headers":[],"postData":{"mimeType":"text/plain","text":${JSON.stringify(`say "hi" \\ back\u2028${'é'.repeat(300)}`)}}},"response":{"status":200,"content":{"mimeType":"text/plain","text":${JSON.stringify('}],{"text":"'.repeat(200))}}},"startedDateTime":"2026-03-01T09:00:00Z","time":1,"timings":{}},{`,
    );
    const path = writeCapture({}, text);
    const cap = await loadCapture(path, { threads: 'inline' });
    expect(cap).toEqual(await loadCaptureWhole(path));
    const ex = cap.exchanges.find((e) => e.url === 'https://h/p?q="a"')!;
    expect(ex.requestBody).toBe(`say "hi" \\ back\u2028${'é'.repeat(300)}`);
    expect(ex.responseBody).toBe('}],{"text":"'.repeat(200));
  });

  it('reads stdin', async () => {
    const path = writeCapture({ entries: 30, format: 'pretty', wrap: 'gzip' });
    const stdin = Readable.from([readFileSync(path)]);
    const cap = await loadCapture('-', { stdin });
    expect(cap.summary.file).toBe('stdin');
    expect(cap.exchanges).toEqual((await loadCaptureWhole(path)).exchanges);
  });

  it('reads lean: asset bodies dropped, other bodies kept, only the headers analysis reads', async () => {
    const path = writeCapture({ entries: 80, profile: 'bodies', format: 'pretty' });
    const whole = await loadCaptureWhole(path);
    const lean = await loadCapture(path, { retention: 'lean', threads: 'inline' });
    expect(lean.exchanges.map((e) => e.url)).toEqual(whole.exchanges.map((e) => e.url));
    for (const [i, ex] of lean.exchanges.entries()) {
      const w = whole.exchanges[i]!;
      const asset = ['image', 'stylesheet', 'script'].includes(w.resourceType ?? '');
      expect(ex.responseBody).toBe(asset ? null : w.responseBody);
      expect(ex.requestHeaderBytes).toBe(w.requestHeaderBytes);
      expect(ex.requestHeaders.map((h) => h.name)).toEqual(w.requestHeaders.map((h) => h.name).filter((n) => ['accept', 'upgrade', 'cache-control'].includes(n) || n.startsWith('sec-websocket-')));
    }
  });
});
