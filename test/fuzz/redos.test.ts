import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../src/detect/endpoint.js';
import { parseHarDate } from '../../src/har/dates.js';
import { redactText, redactUrl } from '../../src/redact.js';
import { runPipeline } from './harness.js';

// Every regular expression that sees capture data must run in linear time: a crafted URL, header or body of
// 100k+ characters may not stall the tool. Linear code handles each input below in milliseconds; the bound is
// generous so that only super-linear behaviour (seconds to hours) trips it.
const BOUND_MS = 2000;

function timed<T>(fn: () => T): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timedAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const N = 100_000;
const adversarialText: Record<string, string> = {
  'repeated =&': '=&'.repeat(N),
  'repeated a=&': 'a=&'.repeat(N / 3),
  'long token run': 'A1'.repeat(N),
  'spaces inside a call': `cb(${' '.repeat(N)}x`,
  'unclosed script tags': '<script'.repeat(N / 7),
  'script tags never closed': '<script>'.repeat(N / 8),
  'script tag with endless attributes': `<script ${'a '.repeat(N / 2)}`,
  'dashes': '-'.repeat(N),
  'multipart-ish lines': '\n--b'.repeat(N / 4),
  'named pairs': 'token=abc;'.repeat(N / 10),
};

describe('regular expressions on capture data run in linear time', () => {
  for (const [name, text] of Object.entries(adversarialText)) {
    it(`redaction and endpoint templating: ${name}`, () => {
      expect(timed(() => redactText(text))).toBeLessThan(BOUND_MS);
      expect(timed(() => redactUrl(`http://host/p?${text}`))).toBeLessThan(BOUND_MS);
      expect(timed(() => endpointOf('GET', `http://host/${text}?q=${text}`))).toBeLessThan(BOUND_MS);
      expect(timed(() => parseHarDate(text))).toBeLessThan(BOUND_MS);
    });
  }

  // The same strings as bodies, URLs, headers and content types of a repeated push-like request, through the
  // whole read → detect → measure → render pipeline.
  const mimes = ['application/javascript', 'text/html', 'text/event-stream', 'multipart/x-mixed-replace; boundary=b', 'application/x-ndjson'];
  for (const [name, text] of Object.entries(adversarialText)) {
    it(`whole pipeline: ${name} as bodies, URL, header and content type`, async () => {
      const entries = mimes.flatMap((mime, m) =>
        Array.from({ length: 4 }, (_, i) => ({
          startedDateTime: new Date(Date.UTC(2026, 0, 1, 10, m, i * 10)).toISOString(),
          time: 9000,
          request: {
            method: 'GET',
            url: `http://127.0.0.1/poll${m}?cb=x&t=${i}&q=${encodeURIComponent(text.slice(0, 20_000))}`,
            headers: [{ name: 'X-Long', value: text }],
          },
          response: {
            status: 200,
            headers: [{ name: 'Content-Type', value: mime }],
            content: { size: text.length, mimeType: i === 0 ? `application/${text.slice(0, 5000)}` : mime, text },
          },
          timings: { send: 0, wait: 8000, receive: 1000 },
        })),
      );
      const har = Buffer.from(JSON.stringify({ log: { version: '1.2', creator: { name: 'redos', version: '1' }, entries } }));
      const took = await timedAsync(async () => {
        const outcome = await runPipeline(har);
        expect(outcome.kind).toBe('analysed');
      });
      // Whole-pipeline work on ~10 MB of crafted bodies is linear but not free (the SSE parser builds an Error per bad line).
      expect(took).toBeLessThan(BOUND_MS * 5);
    });
  }
});
