// The HTML report in a real browser: Debian's Chromium driven by playwright-core (never a downloaded browser).
// One bar per request, hover details, no console errors (a CSP violation is one), and screenshots as artifacts.
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../cli/run.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? join(ROOT, 'docs') : null;
const PAIR = ['samples/renren-iframe-streaming.har', 'samples/taobao-polling.har'];
const have = existsSync(CHROMIUM);
if (!have) console.warn(`skipping the browser tests: ${CHROMIUM} is missing (apt-get install chromium; .ci/run does)`);

const tmp = mkdtempSync(join(tmpdir(), 'ci-html-'));
let browser: Browser;

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  return { page, errors, requests };
}

function report(args: string[], name: string): string {
  const out = join(tmp, name);
  const r = cli([...args, '--format', 'html', '--out', out]);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

describe.skipIf(!have)('HTML report in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    if (DOCS) mkdirSync(DOCS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('compare: one bar per request, hover details, no console errors, nothing fetched', async () => {
    const file = report(['compare', ...PAIR], 'compare.html');
    const json = JSON.parse(cli(['timeline', ...PAIR, '--format', 'json', '--hide-ordinary']).stdout) as { captures: { lanes: { id: string; requests: unknown[] }[] }[] };
    const { page, errors, requests } = await open(file);
    try {
      expect(await page.locator('#compare tr[data-row="push"] td').allTextContents()).toEqual(['iframe streaming', 'JSONP polling']);
      for (const [i, cap] of json.captures.entries()) {
        for (const lane of cap.lanes) {
          expect(await page.locator(`#timeline-${i + 1}-${lane.id} rect.bar`).count(), `bars of ${lane.id} in capture ${i + 1}`).toBe(lane.requests.length);
        }
      }
      if (DOCS) await page.screenshot({ path: join(DOCS, 'html-compare.png'), clip: { x: 0, y: 0, width: 1280, height: 900 } });
      const tip = page.locator('#tip');
      expect(await tip.isHidden()).toBe(true);
      // The first stream of renren: held open 25 s while data arrived.
      const stream = page.locator('#timeline-1-c1 [data-req]').nth(1);
      await stream.hover();
      await expect.poll(() => tip.isVisible()).toBe(true);
      const text = await tip.innerText();
      for (const field of ['time', 'status', 'hold', 'bytes', 'phase']) expect(text).toContain(field);
      expect(text).toMatch(/status 200/);
      expect(text).toMatch(/phase stream/);
      expect(text).toMatch(/uid=…/);
      await page.screenshot({ path: join(ARTIFACTS, 'html-compare.png'), fullPage: true });
      // Scroll to the taobao polling lane and hover a poll for the README's close-up.
      const poll = page.locator('#timeline-2-c1 [data-req]').nth(10);
      await poll.scrollIntoViewIfNeeded();
      await poll.hover();
      await expect.poll(async () => (await tip.innerText()).includes('c1 JSONP polling')).toBe(true);
      if (DOCS) {
        const box = (await page.locator('#ch-c1').nth(1).boundingBox())!;
        await page.screenshot({ path: join(DOCS, 'html-timeline-hover.png'), clip: { x: 0, y: box.y - 10, width: 1280, height: Math.min(420, box.height + 160) } });
      }
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a day of polling (8,640 requests): counted in time slices, a small file, hover shows the counts', async () => {
    // Short polling every 10 s for 24 h; every 50th answer is a 503.
    const entries: string[] = [];
    for (let i = 0; i < 8640; i += 1) {
      const t = new Date(Date.UTC(2026, 0, 1) + i * 10_000).toISOString();
      const status = i % 50 === 49 ? 503 : 200;
      entries.push(
        `{"startedDateTime":"${t}","time":40,"_resourceType":"xhr","request":{"method":"GET","url":"https://app.example.test/api/poll?n=${i}","headers":[]},` +
          `"response":{"status":${status},"headers":[],"content":{"size":2,"mimeType":"application/json","text":"[]"}},"timings":{"send":0,"wait":40,"receive":0}}`,
      );
    }
    const har = join(tmp, 'day.har');
    writeFileSync(har, `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[${entries.join(',')}]}}`);
    const file = report([har], 'day.html');
    expect(statSync(file).size).toBeLessThan(1_000_000); // a bar per request was ~9 MB
    const { page, errors } = await open(file);
    try {
      const slices = page.locator('#timeline-1-c1 g.slice');
      const n = await slices.count();
      expect(n).toBeGreaterThan(300);
      expect(n).toBeLessThanOrEqual(400);
      expect(await page.locator('#timeline-1-c1 rect.bar').count()).toBe(0);
      expect(await page.locator('#ch-c1 figcaption').innerText()).toMatch(/8,?640 requests of c1 across the capture, counted in 400 time slices/);
      await slices.nth(100).hover();
      const tip = page.locator('#tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      const shown = await tip.innerText();
      expect(shown, shown).toMatch(/time \+\d[^\n]* – \+\d[\s\S]*request \d+ requests[\s\S]*outcome \d+ empty answer/);
      await page.screenshot({ path: join(ARTIFACTS, 'html-sliced.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('analyze: reconnects with back-off; keyboard focus shows the same details', async () => {
    const file = report(['samples/long-poll-backoff.har', '--include-ordinary'], 'backoff.html');
    const { page, errors } = await open(file);
    try {
      const bars = page.locator('#timeline-1-c1 rect.bar');
      expect(await bars.count()).toBe(8);
      const failed = page.locator('#timeline-1-c1 g.outcome-error');
      expect(await failed.count()).toBe(4);
      await failed.nth(2).focus();
      const tip = page.locator('#tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      expect(await tip.innerText()).toMatch(/status 503[\s\S]*outcome error[\s\S]*phase reconnect[\s\S]*gap before/);
      await page.screenshot({ path: join(ARTIFACTS, 'html-backoff.png'), fullPage: true });
      if (DOCS) {
        const box = (await page.locator('#ch-c1').boundingBox())!;
        await page.screenshot({ path: join(DOCS, 'html-backoff.png'), clip: { x: 0, y: box.y - 10, width: 1280, height: Math.min(480, box.height + 140) } });
      }
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
