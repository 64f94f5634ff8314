import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, ROOT, cli } from './run.js';

const PAIR = ['samples/renren-iframe-streaming.har', 'samples/taobao-polling.har'];
const tmp = mkdtempSync(join(tmpdir(), 'ci-compare-'));

describe('compare', () => {
  it('prints one column per capture and sentences on what differs most (the README showcase)', () => {
    const r = cli(['compare', ...PAIR]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/│\s+│ renren-iframe-streaming\.har\s+│ taobao-polling\.har\s+│/);
    expect(r.stdout).toMatch(/│ push\s+│ iframe streaming\s+│ JSONP polling\s+│/);
    expect(r.stdout).toMatch(/│ requests \/ minute\s+│ 4\.8\s+│ 64\s+│/);
    expect(r.stdout).toMatch(/What differs most\n/);
    expect(r.stdout).toMatch(/taobao-polling\.har makes 13× more requests per minute than renren-iframe-streaming\.har/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  // `compare <(zcat a.har.gz) <(zcat b.har.gz)`: the shell hands over /dev/fd/63 and /dev/fd/62, and "63" alone
  // would say nothing in a column head.
  it.skipIf(process.platform === 'win32')('names a process substitution\'s column by its whole path', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" compare <(cat "${PAIR[0]}") <(gzip -c "${PAIR[1]}")`], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' }, timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/│\s+│ (\/dev\/fd\/\d+|\/proc\/\S+)\s+│ (\/dev\/fd\/\d+|\/proc\/\S+)\s+│/);
    expect(r.stdout).toMatch(/│ push\s+│ iframe streaming\s+│ JSONP polling\s+│/);
  });

  it('gives the same figures as JSON and as Markdown', () => {
    const j = JSON.parse(cli(['compare', ...PAIR, '--format', 'json']).stdout) as { kind: string; captures: { file: string; figures: { requestsPerMinute: number } }[]; differences: string[] };
    expect(j.kind).toBe('comparison');
    expect(j.captures.map((c) => c.file)).toEqual(PAIR);
    expect(j.captures[1]!.figures.requestsPerMinute).toBeGreaterThan(60);
    expect(j.differences.length).toBeGreaterThan(2);
    const m = cli(['compare', ...PAIR, '--format', 'markdown']).stdout;
    expect(m).toMatch(/^\|\s+\| \*\*renren-iframe-streaming\.har\*\* \| \*\*taobao-polling\.har\*\* \|$/m);
    expect(m).toMatch(/^\| push \| iframe streaming \| JSONP polling \|$/m);
  });

  it('writes a self-contained HTML file with --out and never overwrites an input', () => {
    const out = join(tmp, 'compare.html');
    const r = cli(['compare', ...PAIR, '--format', 'html', '--out', out]);
    expect(r.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<section id="compare">');
    const input = join(tmp, 'a.har');
    copyFileSync(PAIR[0]!, input);
    const before = readFileSync(input, 'utf8');
    const refused = cli(['compare', input, PAIR[1]!, '--out', input, '--force']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is one of the input captures; refusing to overwrite it/);
    expect(readFileSync(input, 'utf8')).toBe(before);
  });

  it('needs two captures, and --channel picks the column\'s channel', () => {
    const one = cli(['compare', PAIR[0]!]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/at least two captures/);
    const c2 = cli(['compare', ...PAIR, '--channel', '*status*', '--format', 'json']);
    const j = JSON.parse(c2.stdout) as { captures: { channel: { id: string } | null }[] };
    expect(j.captures.map((c) => c.channel?.id ?? null)).toEqual([null, 'c2']);
  });

  it('shows an example in --help, and the flags shared by report commands', () => {
    const h = cli(['compare', '--help']).stdout;
    expect(h).toMatch(/Examples:\n\s+\$ comet-inspect compare samples\/renren-iframe-streaming\.har samples\/taobao-polling\.har/);
    for (const flag of ['--format', '--out', '--channel', '--host', '--include-ordinary', '--no-redact', '--no-color']) expect(h).toContain(flag);
  });
});

describe('analyze: markdown, html, filters, redaction', () => {
  it('prints markdown and html, and filters channels by id and host', () => {
    const m = cli(['samples/taobao-polling.har', '--format', 'markdown', '--channel', 'c2']);
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/### Push channels \(1\)/);
    expect(m.stdout).toMatch(/\| c2 \| XHR short polling \|/);
    const none = cli(['samples/taobao-polling.har', '--host', 'elsewhere.example']);
    expect(none.stdout).toMatch(/No push channels found/);
    const h = cli(['samples/taobao-polling.har', '--format', 'html', '--host', '127.0.0.1']);
    expect(h.stdout).toContain('id="ch-c1"');
    expect(h.stdout).toContain('id="ch-c2"');
  });

  it('hides secrets by default in every format and shows them with --no-redact', () => {
    const har = JSON.parse(readFileSync('samples/taobao-polling.har', 'utf8')) as { log: { entries: { request: { url: string } }[] } };
    const secret = /nkh=([^&]+)/.exec(har.log.entries.map((e) => e.request.url).find((u) => u.includes('nkh='))!)![1]!;
    for (const format of ['text', 'json', 'markdown', 'html']) {
      expect(cli(['samples/taobao-polling.har', '--format', format, '--include-ordinary']).stdout).not.toContain(secret);
    }
    for (const format of ['json', 'html']) expect(cli(['timeline', 'samples/taobao-polling.har', '--format', format]).stdout).not.toContain(secret);
    expect(cli(['samples/taobao-polling.har', '--format', 'html', '--no-redact']).stdout).toContain(secret);
    expect(cli(['timeline', 'samples/taobao-polling.har', '--format', 'json', '--no-redact']).stdout).toContain(secret);
  });

  it('lists ordinary traffic on request', () => {
    const r = cli(['samples/renren-iframe-streaming.har', '--include-ordinary']);
    expect(r.stdout).toMatch(/Ordinary traffic \(1\)\n\s+200\s+document\s+\d+ ms\s+GET http:\/\/127\.0\.0\.1:\d+\/home\.php/);
    const j = JSON.parse(cli(['samples/renren-iframe-streaming.har', '--include-ordinary', '--format', 'json']).stdout) as { ordinary: unknown[] };
    expect(j.ordinary).toHaveLength(1);
  });

  it('writes --out atomically for new formats too', () => {
    const out = join(tmp, 'r.md');
    writeFileSync(out, 'old');
    expect(cli(['samples/sse-retry.har', '--format', 'markdown', '--out', out]).code).toBe(2);
    expect(cli(['samples/sse-retry.har', '--format', 'markdown', '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^## comet-inspect report/);
  });
});
