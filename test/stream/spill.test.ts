// Large captures keep their long bodies and payloads in a temporary file (src/har/stream/spill.ts): the texts come
// back exactly as they were, nothing is left on disk, and a temp folder that cannot be written is no failure.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { settleOpen } from '../../src/detect/settle.js';
import { loadCapture, loadCaptureWhole } from '../../src/har/load.js';
import { SPILL_FROM, SpillFile, SpilledText, openSpill, spillDirs, spillFile } from '../../src/har/stream/spill.js';
import { StoredExchange, StoredFrame } from '../../src/har/stream/stored.js';
import { captureText, writeCapture } from './helpers.js';

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'spill-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const texts = [
  'a'.repeat(SPILL_FROM),
  `{"x":"${'é'.repeat(3000)}"}`,
  `${'\u2028 line '.repeat(400)}`,
  `lone ${'\ud800'} surrogate ${'x'.repeat(2000)}`,
  `emoji ${'😀'.repeat(1000)}`,
  'b'.repeat(3 * 1024 * 1024), // larger than the write buffer
  'ascii '.repeat(5000),
];

describe('the spill file', () => {
  it('gives every text back exactly, before and after it is flushed to disk', () => {
    const file = openSpill(scratch())!;
    expect(file).not.toBeNull();
    const stored = texts.map((t) => file.put(t, 'body'));
    expect(stored.every((s) => s !== null)).toBe(true);
    expect(stored.map((s) => file.get(s!))).toEqual(texts);
    // Read them again in another order, past the little cache of recent reads.
    for (const i of [6, 0, 4, 2, 5, 1, 3]) expect(file.get(stored[i]!)).toBe(texts[i]);
    file.close();
  });

  it('gives back texts stored as they stood in the capture (raw JSON string content), decoded', () => {
    const file = openSpill(scratch())!;
    const raws = [
      ...texts.map((t) => JSON.stringify(t).slice(1, -1)),
      String.raw`\u0022quoted\u0022 \/slash\/ ${'\\\\'.repeat(600)} \ud83d\ude00`,
      String.raw`${' \\n\\t'.repeat(300)}{\"a\":1}${'\\r\\n '.repeat(300)}`,
      // Not valid JSON string content: kept as written, as the reader keeps it (and, the flaw being in its first
      // characters, so is the head).
      `${String.raw`bad \x escape and a raw`}\ttab ${'y'.repeat(2000)}`,
    ];
    const decoded = (raw: string): string => {
      try {
        return JSON.parse(`"${raw}"`) as string;
      } catch {
        return raw;
      }
    };
    const stored = raws.map((r) => {
      const bytes = Buffer.from(`xx${r}yy`, 'utf8');
      return file.putRaw(bytes, 2, bytes.length - 2, 'body');
    });
    expect(stored.every((t) => t !== null)).toBe(true);
    for (const i of [0, 7, 3, 8, 9, 1, 5, 2, 6, 4]) {
      const t = stored[i]!;
      const text = decoded(raws[i]!);
      expect(file.get(t)).toBe(text);
      expect(text.startsWith(t.head)).toBe(true);
      expect(t.head.length).toBe(32);
      // A floor on the trimmed length: exact when the bytes are ASCII without escapes.
      expect(t.trimmedAtLeast).toBeLessThanOrEqual(text.trim().length);
      if (/^[\x20-\x7e]*$/.test(raws[i]!) && !raws[i]!.includes('\\')) expect(t.trimmedAtLeast).toBe(text.trim().length);
    }
    expect(stored[8]!.trimmedAtLeast).toBeGreaterThan(0);
    file.close();
  });

  it('bounds the length of short raw texts closely enough to tell them from empty answers without reading them back', () => {
    const file = openSpill(scratch())!;
    const json = JSON.stringify({ items: Array.from({ length: 60 }, (_, i) => ({ id: i, name: `item "${i}"`, path: '/a/b' })) });
    const texts = [
      json, // ~2.7 KB, every quote escaped once stored raw
      `[caf\u00e9 ${'日本語 ü '.repeat(500)} \ud83d\ude00]`, // multi-byte characters: é, CJK, an emoji
      `${'\n'.repeat(500)}${'x'.repeat(2100)}${' '.repeat(500)}`, // escaped white space at the ends
      `${'"'.repeat(1100)}`, // short once decoded: the floor must not pass the truth
    ];
    for (const text of texts) {
      const raw = Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8');
      const t = file.putRaw(raw, 0, raw.length, 'body')!;
      expect(file.get(t)).toBe(text);
      expect(t.trimmedAtLeast).toBeLessThanOrEqual(text.trim().length);
      if (text.trim().length > 2500) expect(t.trimmedAtLeast, text.slice(0, 20)).toBeGreaterThan(2000);
    }
    file.close();
  });

  it('keeps short strings in memory', () => {
    const file = openSpill(scratch())!;
    expect(file.put('x'.repeat(SPILL_FROM - 1), 'body')).toBeNull();
    expect(file.written).toBe(0);
    file.close();
  });

  it('leaves nothing in the temp folder, even while open', () => {
    const dir = scratch();
    const file = openSpill(dir)!;
    file.put('z'.repeat(5000), 'body');
    if (process.platform !== 'win32') expect(readdirSync(dir)).toEqual([]);
    file.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is simply not used when the temp folder cannot be written', () => {
    expect(openSpill(join(scratch(), 'missing', 'deeper'))).toBeNull();
  });

  it('keeps what it could not write in memory, and spills nothing more', () => {
    const path = join(scratch(), 'read-only');
    writeFileSync(path, '');
    const fd = openSync(path, 'r'); // every write fails
    const file = new SpillFile(fd, null);
    const a = file.put('q'.repeat(4000), 'body');
    expect(a).not.toBeNull(); // still in the write buffer
    expect(file.put('r'.repeat(2 * 1024 * 1024), 'body')).toBeNull(); // the flush before it fails
    expect(file.get(a!)).toBe('q'.repeat(4000));
    expect(file.put('s'.repeat(4000), 'body')).toBeNull();
    closeSync(fd);
  });
});

describe('where the spill file goes', () => {
  const TMPFS = 0x01021994;
  const EXT4 = 0xef53;
  const fs = (types: Record<string, number | null>) => (dir: string) => types[dir] ?? null;

  it('is the temp folder, unless that is a RAM disk on Linux: then /var/tmp first', () => {
    expect(spillDirs('/tmp', {}, 'linux', fs({ '/tmp': EXT4 }))).toEqual(['/tmp']);
    expect(spillDirs('/tmp', {}, 'linux', fs({ '/tmp': TMPFS, '/var/tmp': EXT4 }))).toEqual(['/var/tmp', '/tmp']);
    expect(spillDirs('/tmp', {}, 'linux', fs({ '/tmp': TMPFS, '/var/tmp': TMPFS }))).toEqual(['/tmp']);
    expect(spillDirs('/tmp', {}, 'linux', fs({ '/tmp': TMPFS }))).toEqual(['/tmp']); // no /var/tmp
  });

  it('is where TMPDIR says, RAM disk or not, and the temp folder elsewhere than Linux', () => {
    expect(spillDirs('/mnt/ram', { TMPDIR: '/mnt/ram' }, 'linux', fs({ '/mnt/ram': TMPFS, '/var/tmp': EXT4 }))).toEqual(['/mnt/ram']);
    expect(spillDirs('/private/tmp', {}, 'darwin', fs({ '/private/tmp': TMPFS }))).toEqual(['/private/tmp']);
  });
});

describe('a capture read lean', () => {
  const tool = { name: 'comet-inspect', version: 'test' };
  /** The report, without the inputs' warnings (these tests compare what was analysed). */
  const drop = (a: ReturnType<typeof analyze>) => ({ ...a, inputs: a.inputs.map((i) => ({ ...i, warnings: [] })) });

  it('spills long bodies and frames, and analysis sees the same texts and report as a whole-file read', async () => {
    const path = writeCapture({ entries: 120, profile: 'bodies', format: 'pretty' });
    const whole = await loadCaptureWhole(path);
    const lean = await loadCapture(path, { retention: 'lean', threads: 'inline' });
    expect(lean.exchanges.every((e) => e instanceof StoredExchange)).toBe(true);
    const spilledBodies = lean.exchanges.filter((e) => typeof (e as StoredExchange).responseText === 'object' && (e as StoredExchange).responseText !== null);
    expect(spilledBodies.length).toBeGreaterThan(3);
    for (const ex of spilledBodies) expect(ex.responseBody).toBe(whole.exchanges[ex.index]!.responseBody);
    const frames = lean.exchanges.flatMap((e) => e.wsFrames ?? []);
    expect(frames.some((f) => f instanceof StoredFrame)).toBe(true);
    const wholeFrames = whole.exchanges.flatMap((e) => e.wsFrames ?? []);
    expect(frames.map((f) => f.data)).toEqual(wholeFrames.map((f) => f.data));

    expect(drop(analyze([lean], { tool }))).toEqual(drop(analyze([whole], { tool })));
  });

  it('salvages a capture cut off mid-write as a whole-file read does, its long texts spilled as they stood', async () => {
    const text = captureText({ entries: 120, profile: 'bodies', format: 'pretty' });
    for (const share of [0.35, 0.6, 0.85]) {
      const path = writeCapture({}, text.slice(0, Math.floor(text.length * share)));
      const whole = await loadCaptureWhole(path);
      const lean = await loadCapture(path, { retention: 'lean', threads: 'inline' });
      expect(lean.summary.truncated).toBe(true);
      expect(lean.exchanges.length).toBe(whole.exchanges.length);
      expect(lean.exchanges.some((e) => e instanceof StoredExchange && typeof e.responseText === 'object' && e.responseText !== null)).toBe(true);
      // A lean read drops page assets' bodies; every body it keeps is the whole-file read's.
      for (const ex of lean.exchanges) if (ex.responseBody !== null) expect(ex.responseBody).toBe(whole.exchanges[ex.index]!.responseBody);
      expect(drop(analyze([lean], { tool }))).toEqual(drop(analyze([whole], { tool })));
    }
  });

  it('keeps its texts when detection amends an exchange', async () => {
    const path = writeCapture({ entries: 120, profile: 'bodies', format: 'pretty' });
    const lean = await loadCapture(path, { retention: 'lean', threads: 'inline' });
    const ex = lean.exchanges.find((e) => typeof (e as StoredExchange).responseText === 'object' && (e as StoredExchange).responseText !== null)!;
    const body = ex.responseBody;
    ex.state = 'open'; // still pending when the capture was written: settling runs it to the capture's end
    const [settled] = settleOpen([ex], ex.end + 60_000);
    expect(settled).not.toBe(ex);
    expect(settled!.end).toBe(ex.end + 60_000);
    expect(settled!.responseBody).toBe(body);
  });

  /** Where the long texts of a lean read wait: the spill file, or the capture itself. */
  const homes = (lean: Awaited<ReturnType<typeof loadCapture>>) => {
    const stored = lean.exchanges.flatMap((e) => [(e as StoredExchange).responseText, (e as StoredExchange).requestText, ...(e.wsFrames ?? []).map((f) => (f instanceof StoredFrame ? f.text : null))]);
    const files = stored.filter((t): t is SpilledText => t instanceof SpilledText).map((t) => t.file);
    return { texts: files.length, inSpillFile: files.filter((f) => f === spillFile()).length };
  };

  it('reads the long texts of a plain capture back from the capture itself, writing none of them out again', async () => {
    const path = writeCapture({ entries: 120, profile: 'bodies', format: 'minified' });
    const whole = await loadCaptureWhole(path);
    const lean = await loadCapture(path, { retention: 'lean', threads: 'inline' });
    const where = homes(lean);
    expect(where.texts).toBeGreaterThan(10);
    expect(where.inSpillFile).toBe(0);
    for (const ex of lean.exchanges) if (ex.responseBody !== null) expect(ex.responseBody).toBe(whole.exchanges[ex.index]!.responseBody);
    expect(lean.exchanges.flatMap((e) => (e.wsFrames ?? []).map((f) => f.data))).toEqual(whole.exchanges.flatMap((e) => (e.wsFrames ?? []).map((f) => f.data)));
    expect(drop(analyze([lean], { tool }))).toEqual(drop(analyze([whole], { tool })));
  });

  it('spills the long texts of a compressed capture, which cannot be read back where they stand', async () => {
    const path = writeCapture({ entries: 120, profile: 'bodies', format: 'minified' });
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    const lean = await loadCapture(`${path}.gz`, { retention: 'lean', threads: 'inline' });
    const where = homes(lean);
    expect(where.texts).toBeGreaterThan(10);
    expect(where.inSpillFile).toBe(where.texts);
  });

  it('says so in one line when the capture is cut short while its texts are still to be read back', async () => {
    const path = writeCapture({ entries: 120, profile: 'bodies', format: 'minified' });
    const lean = await loadCapture(path, { retention: 'lean', threads: 'inline' });
    const last = lean.exchanges.filter((e) => (e as StoredExchange).responseText instanceof SpilledText).at(-1)!;
    truncateSync(path, 1000);
    expect(() => last.responseBody).toThrow(/^[^\n]+: changed while it was analysed \(it is shorter than when it was read\)$/);
  });

  it('is read without spilling when asked', async () => {
    const path = writeCapture({ entries: 60, profile: 'bodies', format: 'pretty' });
    const lean = await loadCapture(path, { retention: 'lean', threads: 'inline', spill: false });
    expect(lean.exchanges.some((e) => e instanceof StoredExchange)).toBe(false);
  });
});
