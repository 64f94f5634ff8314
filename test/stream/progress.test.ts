import { describe, expect, it } from 'vitest';
import { clearStatus, progressReporter, statusProgress } from '../../src/cli/progress.js';

function fakeStream(tty: boolean): NodeJS.WriteStream & { out: string } {
  const s = { isTTY: tty, out: '', write(chunk: string) { s.out += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { out: string };
}

/** A terminal whose 2 GB read took a second, then ended with `next` on the status line. */
function afterLongRead(next: string): NodeJS.WriteStream & { out: string } {
  let t = 0;
  const stream = fakeStream(true);
  const p = progressReporter({ stream, env: {}, now: () => t, quietMs: 0 })!;
  t = 1000;
  p.update({ name: 'big.har', read: 2e9, total: 2e9, done: true });
  p.end(next);
  return stream;
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
    const stream = afterLongRead('analysing 140,000 requests…');
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

describe('progress of the analysis', () => {
  it('adds a percentage to the status line, at most five times a second, and nothing without one', () => {
    statusProgress(0.5, 0); // no status line: nothing to write to
    const stream = afterLongRead('analysing 770,000 requests…');
    statusProgress(0.1, 5000);
    expect(stream.out.endsWith('\r\x1b[Kanalysing 770,000 requests… 10%')).toBe(true);
    statusProgress(0.2, 5100); // too soon: skipped
    expect(stream.out.endsWith('… 10%')).toBe(true);
    statusProgress(0.42, 5300);
    expect(stream.out.endsWith('\r\x1b[Kanalysing 770,000 requests… 42%')).toBe(true);
    clearStatus();
    const before = stream.out;
    statusProgress(0.9, 9000);
    expect(stream.out).toBe(before);
  });

  it('is reported by the analysis from 0 to 1, grouping first', async () => {
    const { analyze } = await import('../../src/analyze.js');
    const { capture, chain } = await import('../helpers/exchange.js');
    const shares: number[] = [];
    analyze([capture(chain(20_000, (i) => ({ url: `https://example.test/poll?n=${i}`, hold: 20 }), 980))], {
      tool: { name: 'comet-inspect', version: 'test' },
      onProgress: (s) => shares.push(s),
    });
    expect(shares.length).toBeGreaterThan(4);
    expect([...shares].sort((a, b) => a - b)).toEqual(shares);
    expect(shares[0]).toBeGreaterThan(0);
    expect(shares.at(-1)).toBeLessThanOrEqual(1);
  });
});
