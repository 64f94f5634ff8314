// A large plain file is read ahead on the thread pool once the reader asks for it (src/har/stream/source.ts): the
// bytes must come out the same, in order, however the reader asks for them and whenever read-ahead is turned on
// or off.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCapture } from '../../src/har/load.js';
import { inflateInWorker } from '../../src/har/stream/inflate.js';
import { plainFile } from '../../src/har/stream/source.js';

const dir = mkdtempSync(join(tmpdir(), 'source-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything a source gives, asked for in pieces of the given sizes (cycled), switching read-ahead as told. */
async function drain(bytes: Buffer, sizes: number[], switches: Map<number, boolean>): Promise<Buffer> {
  const path = join(dir, `f${bytes.length}-${sizes.join('-')}.bin`);
  writeFileSync(path, bytes);
  const fh = await open(path, 'r');
  const src = plainFile(fh, bytes.length, 0);
  const out = Buffer.alloc(bytes.length + 16);
  let got = 0;
  for (let call = 0; ; call += 1) {
    const on = switches.get(call);
    if (on !== undefined) src.readAhead!(on);
    const n = await src.fill(out, got, Math.min(sizes[call % sizes.length]!, out.length - got));
    if (n === 0) break;
    got += n;
    expect(src.diskRead()).toBe(got);
  }
  await src.close();
  return out.subarray(0, got);
}

describe('a plain file read ahead', () => {
  // Larger than two pieces of read-ahead (4 MiB each), and not a multiple of anything.
  const bytes = randomBytes(9 * 1024 * 1024 + 12345);

  it('gives every byte once, in order, when read-ahead is on from the start', async () => {
    expect((await drain(bytes, [1024 * 1024], new Map([[0, true]]))).equals(bytes)).toBe(true);
  });

  it('gives every byte once when read-ahead is turned on after some reads, and off again', async () => {
    const out = await drain(bytes, [700_001, 3 * 1024 * 1024, 5000], new Map([[2, true], [5, false], [7, true]]));
    expect(out.equals(bytes)).toBe(true);
  });

});

describe('a compressed file decompressed in a worker thread', () => {
  it('gives every byte once, in order, over more pieces than are ever in flight (their memory is filled again)', async () => {
    // Five 4 MiB pieces and a short one: more than the three the worker sends ahead, so pieces are handed back.
    const bytes = randomBytes(20 * 1024 * 1024 + 777);
    const path = join(dir, 'c.gz');
    writeFileSync(path, gzipSync(bytes, { level: 1 }));
    const inflater = inflateInWorker(path, 'gzip', (m) => new Error(m));
    expect(inflater, 'the worker script is built (npm run build)').not.toBeNull();
    const out = Buffer.alloc(bytes.length + 16);
    let got = 0;
    for (;;) {
      const n = await inflater!.fill(out, got, Math.min(3_000_001, out.length - got));
      if (n === 0) break;
      got += n;
    }
    await inflater!.close();
    expect(out.subarray(0, got).equals(bytes)).toBe(true);
  });

  it('reads a whole .har.gz as whole when its last piece is short (under 4 KiB: Node\'s shared buffer pool)', async () => {
    // 8 MiB + 100 bytes of HAR, its closing brackets in the last 100: two full pieces and a short one.
    const entry = (i: number) => ({
      startedDateTime: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      time: 50,
      request: { method: 'GET', url: `https://a.test/poll?i=${i}`, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: 'application/json', text: JSON.stringify({ pad: randomBytes(300_000).toString('base64') }) }, redirectURL: '', headersSize: -1, bodySize: -1 },
      cache: {},
      timings: { send: 0, wait: 50, receive: 0 },
    });
    const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: Array.from({ length: 20 }, (_, i) => entry(i)) } });
    const target = 8 * 1024 * 1024 + 100;
    const path = join(dir, 'short-tail.har.gz');
    writeFileSync(path, gzipSync(Buffer.from(text.slice(0, -3) + ' '.repeat(target - text.length) + text.slice(-3)), { level: 1 }));
    const capture = await loadCapture(path, {});
    expect(capture.summary.truncated).toBe(false);
    expect(capture.summary.warnings).toEqual([]);
    expect(capture.exchanges).toHaveLength(20);
  });
});

