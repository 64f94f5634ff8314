// A capture cut off at any byte inside its entries: every complete entry before the cut, and the 'truncated'
// warning saying where the file ends — exactly what the whole-file reader salvages.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCapture, loadCaptureWhole } from '../../src/har/load.js';
import { captureText, tmp } from './helpers.js';

async function both(path: string): Promise<[unknown, unknown]> {
  const whole = await loadCaptureWhole(path).catch((e: Error) => e.message);
  const stream = await loadCapture(path, { threads: 'inline' }).catch((e: Error) => e.message);
  return [stream, whole];
}

describe('truncated captures', () => {
  for (const format of ['pretty', 'minified'] as const) {
    it(`${format}: a cut at many offsets salvages the same entries and says where the file ends`, async () => {
      const text = captureText({ entries: 12, format, profile: 'meta', seed: 11 });
      const bytes = Buffer.from(text);
      const start = text.indexOf('"entries"');
      const step = Math.max(1, Math.floor((bytes.length - start) / 150));
      let salvaged = 0;
      for (let cut = start; cut < bytes.length; cut += step) {
        const path = join(tmp, `cut-${format}.har`);
        writeFileSync(path, bytes.subarray(0, cut));
        const [stream, whole] = await both(path);
        expect(stream, `cut at ${cut}`).toEqual(whole);
        if (typeof whole !== 'string' && whole.summary.truncated) salvaged += 1;
      }
      expect(salvaged).toBeGreaterThan(100);
    });
  }

  it('cut off, or broken in the middle, read with the projector thread: the same as the whole-file reader', async () => {
    const text = captureText({ entries: 60, format: 'pretty', profile: 'meta', seed: 12 });
    const bytes = Buffer.from(text);
    const cutPath = join(tmp, 'cut-projector.har');
    writeFileSync(cutPath, bytes.subarray(0, Math.floor(bytes.length * 0.7)));
    const whole = await loadCaptureWhole(cutPath);
    expect(whole.summary.truncated).toBe(true);
    expect(await loadCapture(cutPath, { threads: 'projector' })).toEqual(whole);
    // A broken separator between two entries in the middle of a batch the projector is handed.
    const at = text.indexOf('\n      },\n      {', Math.floor(text.length / 2));
    expect(at).toBeGreaterThan(text.length / 2);
    const broken = `${text.slice(0, at + 8)};${text.slice(at + 9)}`;
    expect(broken.slice(at, at + 10)).toBe('\n      };\n');
    const brokenPath = join(tmp, 'broken-projector.har');
    writeFileSync(brokenPath, broken);
    const expected = await loadCaptureWhole(brokenPath).catch((e: Error) => e.message);
    expect(typeof expected).toBe('string');
    expect(await loadCapture(brokenPath, { threads: 'projector' }).catch((e: Error) => e.message)).toEqual(expected);
  });

  it('the truncated fixture: line and column of the end, entries recovered', async () => {
    const path = new URL('../fixtures/har/truncated.har', import.meta.url).pathname;
    const cap = await loadCapture(path, { threads: 'inline' });
    expect(cap.warnings.find((w) => w.code === 'truncated')?.message).toMatch(/cut off at line \d+, column \d+.*recovered 3 complete entries/);
    expect(cap).toEqual(await loadCaptureWhole(path));
  });

  it('a gzip stream cut off mid-write', async () => {
    const text = captureText({ entries: 40, format: 'pretty', seed: 5 });
    const gz = gzipSync(Buffer.from(text));
    const path = join(tmp, 'cut.har.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const [stream, whole] = await both(path);
    expect(stream).toEqual(whole);
    expect(typeof whole === 'string' ? null : whole.summary.truncated).toBe(true);
  });

  it('a gzip stream cut off mid-write, decompressed in a worker thread', async () => {
    const text = captureText({ entries: 40, format: 'minified', seed: 6 });
    const gz = gzipSync(Buffer.from(text));
    const path = join(tmp, 'cut-worker.har.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.7)));
    const whole = await loadCaptureWhole(path);
    expect(whole.summary.truncated).toBe(true);
    expect(await loadCapture(path, { threads: 'workers' })).toEqual(whole);
  });

  it('a corrupt gzip stream, decompressed in a worker thread: one clear error', async () => {
    const gz = gzipSync(Buffer.from(captureText({ entries: 40, format: 'pretty', seed: 7 })));
    gz.fill(0x41, 200, 400); // garbage in the middle of the deflate data
    const path = join(tmp, 'corrupt-worker.har.gz');
    writeFileSync(path, gz);
    await expect(loadCapture(path, { threads: 'workers' })).rejects.toThrow(/corrupt-worker\.har\.gz: looks gzip-compressed but cannot be decompressed \(/);
  });

  it('a cut inside a long body', async () => {
    const text = captureText({ entries: 10, format: 'minified', profile: 'bodies', seed: 9 });
    const at = text.indexOf('"encoding":"base64"');
    const cut = text.lastIndexOf('"text":"', at) + 2000;
    const path = join(tmp, 'cut-body.har');
    writeFileSync(path, Buffer.from(text).subarray(0, cut));
    const [stream, whole] = await both(path);
    expect(stream).toEqual(whole);
    void readFileSync;
  });
});
