import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BIN, ROOT } from '../cli/run.js';

// The same promises as hostile.test.ts, checked on the real process: exit codes, stderr, signals and memory.
const tmp = mkdtempSync(join(tmpdir(), 'ci-hostile-'));
const env = { ...process.env, NO_COLOR: '1', CI: 'true' };

/** Exit 0, or exit 2 with exactly one line on stderr; never a stack trace. */
function expectCleanExit(r: { status: number | null; stderr: string }): void {
  expect([0, 2]).toContain(r.status);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (r.status === 2) expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describe('the CLI process under hostile input', () => {
  it('exits 0 or 2, with no stack trace, on 40 generated inputs', { timeout: 300_000 }, () => {
    const base = readFileSync(join(ROOT, 'samples/sse-retry.har'));
    const inputs = fc.sample(
      fc.oneof(
        fc.nat(base.length).map((cut) => base.subarray(0, cut)),
        fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
        fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify({ log: { entries: [v] } }))),
      ),
      { numRuns: 40, seed: 42 },
    );
    for (const bytes of inputs) {
      const r = spawnSync(process.execPath, [BIN, '-', '--format', 'json'], { input: bytes, env, encoding: 'utf8', timeout: 30_000 });
      expectCleanExit(r);
    }
  });

  it('reads a capture holding a 50 MB string within a fixed heap (512 MB)', { timeout: 120_000 }, () => {
    const file = join(tmp, 'big-string.har');
    const big = 'x'.repeat(50 * 1024 * 1024);
    writeFileSync(
      file,
      `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[{"startedDateTime":"2026-01-01T00:00:00Z","time":1,` +
        `"request":{"method":"GET","url":"http://127.0.0.1/a","headers":[]},"response":{"status":200,"headers":[],` +
        `"content":{"size":1,"mimeType":"text/plain","text":"${big}"}},"timings":{"send":0,"wait":1,"receive":0}}]}}`,
    );
    const r = spawnSync(process.execPath, ['--max-old-space-size=512', BIN, file, '--format', 'json'], { env, encoding: 'utf8', timeout: 100_000 });
    expectCleanExit(r);
    expect(r.status).toBe(0);
  });

  it('stops with exit 3 and one line, not a V8 crash, when the capture does not fit in the heap', { timeout: 120_000 }, () => {
    // 150,000 small requests, each with its own URL: about 40 MB of file, several times that once read.
    const file = join(tmp, 'many.har');
    const entries: string[] = [];
    for (let i = 0; i < 150_000; i += 1) {
      const t = new Date(Date.UTC(2026, 0, 1) + i * 50).toISOString();
      entries.push(
        `{"startedDateTime":"${t}","time":20,"request":{"method":"GET","url":"http://127.0.0.1/api/item/${i}?q=${i * 7}","headers":[{"name":"accept","value":"application/json"}]},` +
          `"response":{"status":200,"headers":[{"name":"content-type","value":"application/json"}],"content":{"size":9,"mimeType":"application/json","text":"{\\"n\\":${i}}"}},"timings":{"send":0,"wait":20,"receive":0}}`,
      );
    }
    writeFileSync(file, `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[${entries.join(',')}]}}`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', BIN, file, '--format', 'json'], { env, encoding: 'utf8', timeout: 100_000 });
    expect(r.stderr).not.toMatch(/FATAL ERROR|Native stack|\n\s+at /);
    expect(r.status).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^comet-inspect: not enough memory (reading|analysing) .*heap limit is 48 MB .*NODE_OPTIONS=--max-old-space-size=\d+/);
    // With room, the same file is read.
    const ok = spawnSync(process.execPath, ['--max-old-space-size=1024', BIN, file, '--format', 'json'], { env, encoding: 'utf8', timeout: 100_000 });
    expect(ok.status).toBe(0);
  });

  it('stops promptly on Ctrl-C (SIGINT) with exit 130, even while waiting for input', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [BIN, '-'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write('{"log":{"entries":[');
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 500));
    const sent = performance.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(performance.now() - sent).toBeLessThan(5000);
    expect(code).toBe(130);
    expect(stderr).toBe('');
  });
});

describe('an unreadable file', () => {
  it('is a clear exit-2 error, not a crash', async () => {
    // Root (as in CI) can read any file, so the permission error is simulated at the file system call.
    vi.resetModules();
    vi.doMock('node:fs/promises', async (orig) => {
      const real = await orig<typeof import('node:fs/promises')>();
      const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return { ...real, stat: async () => Promise.reject(denied), readFile: async () => Promise.reject(denied), open: async () => Promise.reject(denied) };
    });
    const { loadCapture } = await import('../../src/har/load.js');
    const err = (await loadCapture('/some/secret.har').catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('InputError');
    expect(err.message).toBe('/some/secret.har: permission denied');
    vi.doUnmock('node:fs/promises');
  });

  it('is exit 2 through the CLI when the permission bits forbid it (skipped as root)', () => {
    if (process.getuid?.() === 0) {
      console.log('skipped: running as root, which ignores permission bits');
      return;
    }
    const file = join(tmp, 'locked.har');
    writeFileSync(file, '{}');
    spawnSync('chmod', ['000', file]);
    const r = spawnSync(process.execPath, [BIN, file], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/permission denied/);
  });
});
