// A large plain file is read ahead on the thread pool once the reader asks for it (src/har/stream/source.ts): the
// bytes must come out the same, in order, however the reader asks for them and whenever read-ahead is turned on
// or off.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
