import { describe, expect, it } from 'vitest';
import { clearStatus, progressReporter } from '../../src/cli/progress.js';

function fakeStream(tty: boolean): NodeJS.WriteStream & { out: string } {
  const s = { isTTY: tty, out: '', write(chunk: string) { s.out += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { out: string };
}

describe('progress on stderr', () => {
  it('is silent when stderr is not a terminal, or CI is set', () => {
    expect(progressReporter({ stream: fakeStream(false), env: {} })).toBeNull();
    expect(progressReporter({ stream: fakeStream(true), env: { CI: 'true' } })).toBeNull();
  });

  it('shows bytes read / total, MB/s and ETA, then clears the line', () => {
    let t = 0;
    const stream = fakeStream(true);
    const p = progressReporter({ stream, env: {}, now: () => t, quietMs: 0 })!;
    t = 1000;
    p.update({ name: 'big.har', read: 500e6, total: 2e9, done: false });
    expect(stream.out).toMatch(/reading big\.har {2}500 MB \/ 2\.00 GB {2}500 MB\/s {2}ETA 3 s/);
    p.end();
    expect(stream.out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('says what comes next after a long read, until the output clears it', () => {
    let t = 0;
    const stream = fakeStream(true);
    const p = progressReporter({ stream, env: {}, now: () => t, quietMs: 0 })!;
    t = 1000;
    p.update({ name: 'big.har', read: 2e9, total: 2e9, done: true });
    p.end('analysing 140,000 requests…');
    expect(stream.out.endsWith('\r\x1b[Kanalysing 140,000 requests…')).toBe(true);
    clearStatus();
    expect(stream.out.endsWith('analysing 140,000 requests…\r\x1b[K')).toBe(true);
  });

  it('leaves nothing behind after a quick read', () => {
    const stream = fakeStream(true);
    const p = progressReporter({ stream, env: {}, now: () => 0 })!;
    p.update({ name: 'small.har', read: 1e3, total: 1e3, done: true });
    p.end('analysing 3 requests…');
    clearStatus();
    expect(stream.out).toBe('');
  });
});
