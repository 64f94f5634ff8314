// The HTML report of a hostile capture, opened in real Chromium: strings from the capture (URLs, headers, bodies,
// frame data, the file name) must never run script or break out of their element. The payloads set a marker or
// open a dialog if they ever execute; the report's CSP also forbids any inline script but its own hashed one.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/run.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const have = existsSync(CHROMIUM);
if (!have) console.warn(`skipping the hostile HTML test: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);

const PAYLOADS = [
  '<script>window.__pwned=1;alert(1)</script>',
  '"><img src=x onerror="window.__pwned=2;alert(2)">',
  "'><svg onload=\"window.__pwned=3;alert(3)\"></svg>",
  'javascript:window.__pwned=4;alert(4)',
  '</style><script>window.__pwned=5</script>',
  '</title><script>window.__pwned=6</script>',
  '<svg><script>window.__pwned=7</script></svg>',
  '<iframe src="javascript:alert(8)"></iframe>',
  '{{constructor.constructor("window.__pwned=9")()}}',
];

function hostileHar(): unknown {
  const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);
  const entries: Record<string, unknown>[] = PAYLOADS.flatMap((p, k) =>
    Array.from({ length: 4 }, (_, i) => {
      const start = T0 + k * 60_000 + i * 10_100;
      return {
        startedDateTime: new Date(start).toISOString(),
        time: 10_000,
        _resourceType: 'xhr',
        request: {
          method: 'GET',
          url: `http://127.0.0.1/poll${k}/${encodeURIComponent(p)}?cmd=${encodeURIComponent(p)}&t=${i}`,
          headers: [{ name: 'X-Evil', value: p }],
        },
        response: {
          status: 200,
          statusText: p,
          headers: [{ name: 'Content-Type', value: 'application/json' }],
          content: { size: 2, mimeType: i === 0 ? `text/html; ${p}` : 'application/json', text: i % 2 ? '[]' : `["${p.replace(/"/g, '\\"')}"]` },
        },
        timings: { send: 0, wait: 9990, receive: 10 },
      };
    }),
  );
  entries.push({
    startedDateTime: new Date(T0 + 5).toISOString(),
    time: 1,
    _resourceType: 'websocket',
    request: { method: 'GET', url: `ws://127.0.0.1/ws?x=${encodeURIComponent(PAYLOADS[0]!)}`, headers: [] },
    response: { status: 101, statusText: '', headers: [], content: { size: 0, mimeType: '' } },
    timings: { send: 0, wait: 1, receive: 0 },
    _webSocketMessages: PAYLOADS.map((p, i) => ({ type: i % 2 ? 'send' : 'receive', time: (T0 + 100 + i) / 1000, opcode: 1, data: p })),
  });
  return { log: { version: '1.2', creator: { name: PAYLOADS[1], version: PAYLOADS[0] }, entries } };
}

let browser: Browser;

describe.skipIf(!have)('the HTML report of a hostile capture is inert', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const redact of [true, false]) {
    it(`runs no capture script and fires no dialog${redact ? '' : ' (--no-redact)'}`, { timeout: 60_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ci-hostile-html-'));
      const input = join(dir, `evil"><img src=x onerror=alert(0)>.har`);
      writeFileSync(input, JSON.stringify(hostileHar()));
      const out = join(dir, 'report.html');
      const r = cli([input, '--format', 'html', '--include-ordinary', '--out', out, ...(redact ? [] : ['--no-redact'])]);
      expect(r.code, r.stderr).toBe(0);

      const page = await browser.newPage();
      const dialogs: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(pathToFileURL(out).href);
      // Hover every bar: details are built from capture strings too.
      const bars = await page.locator('rect.bar').count();
      expect(bars).toBeGreaterThan(0);
      for (let i = 0; i < Math.min(bars, 40); i += 1) await page.locator('rect.bar').nth(i).hover({ force: true });
      await page.waitForTimeout(200);

      expect(dialogs).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
      // No element from the capture: the only script is the report's own, and no img/iframe/svg-script came in.
      expect(await page.locator('script').count()).toBe(1);
      expect(await page.locator('img, iframe, object, embed').count()).toBe(0);
      expect(await page.locator('svg script').count()).toBe(0);
      expect(await page.locator('[onerror], [onload]').count()).toBe(0);
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const h of hrefs) expect(h).toMatch(/^#/);
      // A CSP violation would be logged as a console error.
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
