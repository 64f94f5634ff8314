// Long bodies and payloads of a large capture wait on disk, not in memory. A capture read lean (retain.ts) keeps a
// response body up to 1 MiB and a frame up to 64 KiB for the few modules that read them, but a long session has
// tens of thousands of them: on a 1 GB capture with bodies they were 235 MB of the heap, most of it as two-byte
// strings, and the peak RSS followed. Each one of at least SPILL_FROM characters is written to an anonymous
// temporary file (removed from the directory as soon as it is opened, so on Linux and macOS nothing is left behind
// even if the process is killed; Windows removes it at exit): as it stands in the capture when the reader's own
// thread parsed it (putRaw), else exactly as decoded (put). It is read back, and decoded, when analysis asks for it;
// what stays in memory is its place in the file, its first characters, a floor on its trimmed length and the
// answers to a few cheap tests (probes.ts), which settle most questions without reading it back (../peek.ts).
//
// Each protocol module asks about an exchange in turn, so the texts read back last are kept, but only a few: on a
// 1 GB capture with bodies, keeping 4–16 MB of them had each one outlive a young-generation collection, and the
// copying and old-generation garbage cost 0.7–1.3 s and 200 MB of RSS; keeping 64 KB (and always the last one) cost
// about as much time as reading the texts from memory. (Keeping the first 64 MB of texts in memory and spilling
// the rest was tried too: the larger live heap let garbage grow to a 500 MB peak.)
//
// The file goes in the temp folder, or in /var/tmp where the temp folder is a RAM disk (see spillDirs). If it cannot
// be opened or written (read-only or full folder), the strings simply stay in memory.
//
// A plain capture file holds those texts already: the reader's thread refers to each long text it cuts from the
// file's bytes where it stands there (captureTexts, SpillFile.refer), and it is read back from the capture. Only
// compressed captures, stdin, texts the general scanner cut (scan.ts) and texts decoded in worker threads go to the
// temporary file. On the bench capture with bodies this saved writing ~120 MB per GB (~0.15 s of the reader's
// thread, and that much temporary space); 3 GB minified took 11.4–11.8 s against 11.7–12.8 s, runs taking turns.
import { closeSync, openSync, readSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAscii } from 'node:buffer';
import { InputError } from '../errors.js';
import { safeEnd, unescapeJson } from './json-text.js';
import { probe, probeBit, probeRaw, type ProbeName, type TextKind } from './probes.js';

/** Texts shorter than this (characters; bytes of raw JSON content) stay in memory: a place in the file costs ~150 bytes of heap. */
export const SPILL_FROM = 1024;

/** Characters of a spilled text kept in memory, for the modules that tell a text by how it starts. */
export const HEAD_CHARS = 32;

/**
 * How a spilled text is written: one byte a character (strings within Latin-1), UTF-16 (any other string), or as
 * the raw content of a JSON string, escapes and all, straight from the capture's bytes (putRaw).
 */
export type SpillEncoding = 'latin1' | 'utf16le' | 'json';

/** A string written to the spill file: where it is, how it was encoded, and what can be told without reading it. */
export class SpilledText {
  constructor(
    readonly file: SpillFile,
    readonly at: number,
    readonly bytes: number,
    readonly encoding: SpillEncoding,
    /**
     * Its first HEAD_CHARS characters (a copy: a slice would keep the whole string alive). Of a raw text, they are
     * decoded from its first bytes alone: where its content is not valid JSON further on, the text is kept as
     * written (unescapeJson) and its head may differ in its escapes.
     */
    readonly head: string,
    /**
     * At most its length once leading and trailing white space is taken off (String.prototype.trim): exact, except
     * for a raw text with escapes or non-ASCII bytes, where it is what the bytes guarantee (see putRaw).
     */
    readonly trimmedAtLeast: number,
    /** Bits of the probes (probes.ts) it may pass. */
    private readonly maybe: number,
  ) {}

  /** False when the probe's test surely fails on this text. */
  mayPass(name: ProbeName): boolean {
    return (this.maybe & probeBit(name)) !== 0;
  }
}

/** A body or payload as a stored exchange keeps it. */
export type StoredText = string | SpilledText | null;

const WRITE_BUFFER = 1024 * 1024;
/** Texts read back that stay at hand, by their size on disk; the last one always stays. */
const CACHE_BYTES = 64 * 1024;

export class SpillFile {
  private size: number;
  private readonly pending: Buffer;
  private used = 0;
  /** Set when a write failed: what was pending stays here, and nothing more is spilled. */
  private tail: Buffer | null = null;
  private readonly cache = new Map<SpilledText, string>();
  private cached = 0;
  private reading = Buffer.allocUnsafeSlow(64 * 1024);

  constructor(
    private readonly fd: number,
    private readonly cleanup: (() => void) | null,
    /**
     * What the file is, for errors: the temporary file, or (captureTexts) the capture itself, which nothing is
     * written to.
     */
    private readonly capture: { name: string; size: number } | null = null,
  ) {
    this.size = capture?.size ?? 0;
    this.pending = Buffer.allocUnsafe(capture === null ? WRITE_BUFFER : 0);
  }

  /** Stores a string; null when it stays in memory (short, or the file failed). */
  put(s: string, kind: TextKind): SpilledText | null {
    if (s.length < SPILL_FROM || this.tail !== null || this.capture !== null) return null;
    // Both encodings are exact for any string (lone surrogates too) and cost little more than a copy each way;
    // UTF-8 took several times as long to decode for text beyond ASCII.
    const wide = Buffer.byteLength(s, 'utf8') !== s.length;
    const most = wide ? s.length * 2 : s.length;
    if (most > WRITE_BUFFER - this.used && !this.flush()) return null;
    const at = this.size + this.used;
    let bytes: number;
    if (most > WRITE_BUFFER) {
      const buf = Buffer.from(s, wide ? 'utf16le' : 'latin1');
      if (!this.writeAll(buf, buf.length)) return null;
      this.size += buf.length;
      bytes = buf.length;
    } else {
      bytes = this.pending.write(s, this.used, wide ? 'utf16le' : 'latin1');
      this.used += bytes;
    }
    return new SpilledText(this, at, bytes, wide ? 'utf16le' : 'latin1', headOf(s), s.trim().length, probe(s, kind));
  }

  /**
   * Stores the raw content of a JSON string, src[start, end), as it stands in the capture: nothing is decoded until
   * the text is asked for, and most long texts never are (the probes and the head settle what modules ask first).
   * Decoding every long body and payload, and encoding it again for this file, was ~1 s of the reader's thread per
   * GB of the bench capture with bodies. Null when it stays in memory (short, or the file failed).
   */
  putRaw(src: Uint8Array, start: number, end: number, kind: TextKind): SpilledText | null {
    const n = end - start;
    if (n < SPILL_FROM || this.tail !== null || this.capture !== null) return null;
    if (n > WRITE_BUFFER - this.used && !this.flush()) return null;
    const at = this.size + this.used;
    const view = Buffer.from(src.buffer, src.byteOffset + start, n);
    if (n > WRITE_BUFFER) {
      if (!this.writeAll(view, n)) return null;
      this.size += n;
    } else {
      view.copy(this.pending, this.used);
      this.used += n;
    }
    return this.raw(src, start, end, at, kind);
  }

  /**
   * Of a store over the capture (captureTexts): the raw content of a JSON string, src[start, end), that stands at
   * byte `at` of the capture file. Nothing is copied or written; null when it stays in memory (short).
   */
  refer(src: Uint8Array, start: number, end: number, at: number, kind: TextKind): SpilledText | null {
    if (end - start < SPILL_FROM || this.capture === null || at + (end - start) > this.size) return null;
    return this.raw(src, start, end, at, kind);
  }

  private raw(src: Uint8Array, start: number, end: number, at: number, kind: TextKind): SpilledText {
    const view = Buffer.from(src.buffer, src.byteOffset + start, end - start);
    const head = headOf(unescapeJson(src, start, safeEnd(src, start, Math.min(end, start + HEAD_CHARS * 6))));
    return new SpilledText(this, at, end - start, 'json', head, rawTrimmedAtLeast(view, kind), probeRaw(view.toString('latin1'), kind));
  }

  /** The string back, exactly as it was stored. */
  get(t: SpilledText): string {
    const hit = this.cache.get(t);
    if (hit !== undefined) return hit;
    let s: string;
    if (t.at >= this.size) {
      // Still in the write buffer, or kept after a failed write.
      const from = this.tail ?? this.pending;
      s = decode(from, t.at - this.size, t.at - this.size + t.bytes, t.encoding);
    } else {
      // One buffer, reused: a fresh one per read counts as external memory, and V8 answers hundreds of MB of that
      // with full collections (analysis of a 1 GB capture spent 0.7 s more in the collector).
      if (this.reading.length < t.bytes) this.reading = Buffer.allocUnsafeSlow(Math.max(t.bytes, 2 * this.reading.length));
      const buf = this.reading;
      let got = 0;
      while (got < t.bytes) {
        const n = readSync(this.fd, buf, got, t.bytes - got, t.at + got);
        if (n === 0) {
          if (this.capture !== null) throw new InputError(`${this.capture.name}: changed while it was analysed (it is shorter than when it was read)`);
          throw new Error('the temporary file that holds large bodies was cut short');
        }
        got += n;
      }
      s = decode(buf, 0, t.bytes, t.encoding);
    }
    for (const old of this.cache.keys()) {
      if (this.cached + t.bytes <= CACHE_BYTES) break;
      this.cache.delete(old);
      this.cached -= old.bytes;
    }
    this.cache.set(t, s);
    this.cached += t.bytes;
    return s;
  }

  /** Bytes on disk (for tests and the benchmark). */
  get written(): number {
    return this.capture !== null ? 0 : this.size + this.used;
  }

  close(): void {
    closing.unregister(this); // a descriptor number is used again once closed: never close it twice
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.cleanup?.();
  }

  private flush(): boolean {
    if (this.used === 0) return true;
    if (!this.writeAll(this.pending, this.used)) {
      this.tail = Buffer.from(this.pending.subarray(0, this.used));
      return false;
    }
    this.size += this.used;
    this.used = 0;
    return true;
  }

  private writeAll(buf: Buffer, length: number): boolean {
    try {
      let done = 0;
      while (done < length) done += writeSync(this.fd, buf, done, length - done, this.size + done);
      return true;
    } catch {
      return false;
    }
  }
}

// A store over a capture closes its descriptor once no text refers to it any more.
const closing = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // closed already
  }
});

/**
 * A store over a plain capture file: long texts that the reader's thread cuts from the file's own bytes are read
 * back from the capture where they stand (SpillFile.refer), instead of being copied to the spill file. The capture
 * is opened once more, read-only, and stays open while any text refers to it. Null when it cannot be opened (then
 * the spill file serves).
 */
export function captureTexts(path: string, name: string, size: number): SpillFile | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  const store = new SpillFile(fd, null, { name, size });
  closing.register(store, fd, store);
  return store;
}

let shared: SpillFile | null | undefined;

/** This thread's spill file, opened on first use; null when no temporary file can be made. */
export function spillFile(): SpillFile | null {
  if (shared !== undefined) return shared;
  shared = null;
  for (const dir of spillDirs()) {
    shared = openSpill(dir);
    if (shared) break;
  }
  return shared;
}

const TMPFS = 0x01021994;

/**
 * Where to try to make the spill file, in order. Many Linux systems mount /tmp as a RAM disk (tmpfs), where a
 * spilled text would take RAM all the same; unless TMPDIR names a folder, /var/tmp (which the FHS keeps on disk)
 * comes first there.
 */
export function spillDirs(
  tmp: string = tmpdir(),
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  fsType: (dir: string) => number | null = typeOf,
): string[] {
  if (platform !== 'linux' || env['TMPDIR'] || fsType(tmp) !== TMPFS) return [tmp];
  const disk = fsType('/var/tmp');
  return disk !== null && disk !== TMPFS ? ['/var/tmp', tmp] : [tmp];
}

function typeOf(dir: string): number | null {
  try {
    return statfsSync(dir).type;
  } catch {
    return null;
  }
}

export function openSpill(dir: string): SpillFile | null {
  const path = join(dir, `comet-inspect-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(path, 'wx+', 0o600);
  } catch {
    return null;
  }
  try {
    unlinkSync(path); // POSIX: the file lives on, unnamed, until the descriptor closes
    return new SpillFile(fd, null);
  } catch {
    // Windows cannot remove an open file: remove it at exit.
    const remove = (): void => {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
      try {
        unlinkSync(path);
      } catch {
        // gone already
      }
    };
    process.once('exit', remove);
    return new SpillFile(fd, remove);
  }
}

function decode(buf: Buffer, start: number, end: number, encoding: SpillEncoding): string {
  return encoding === 'json' ? unescapeJson(buf, start, end) : buf.toString(encoding, start, end);
}

/** JSON string content as white space (String.prototype.trim's) at either end could stand in it: see rawTrimmedAtLeast. */
function maybeSpace(c: number): boolean {
  // Raw white space, backslashes and the letters and digits of the escapes that can spell white space (\n \r \t \f
  // \uXXXX), non-ASCII bytes.
  return (
    c <= 0x20 || c === 0x5c || c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) ||
    c === 0x6e || c === 0x72 || c === 0x74 || c === 0x75
  );
}

/**
 * Below this floor, a text's length is asked about (an empty answer is at most 2,000 characters: detect/features.ts
 * isEmptyAnswer): a raw text whose rough floor falls below it gets a closer one.
 */
const CLOSE_FLOOR_UNDER = 2048;

/**
 * A floor on the trimmed length of the text whose raw JSON string content is `raw`, from its bytes alone. All ASCII
 * without a backslash, it is exact. Otherwise, after taking off every byte at either end that could belong to white
 * space, each UTF-16 unit takes at most 6 bytes (\uXXXX; 3 for UTF-8 without escapes); where that is short of
 * CLOSE_FLOOR_UNDER, the bytes the escapes and multi-byte characters really take are counted instead. (Before, a
 * JSON body of a few KB, every quote escaped, was read back from disk to learn that it was not an empty answer.)
 */
function rawTrimmedAtLeast(raw: Buffer, kind: TextKind): number {
  const n = raw.length;
  const slash = raw.indexOf(0x5c) >= 0;
  if (!slash && isAscii(raw)) {
    let a = 0;
    let z = n;
    while (a < z && (raw[a] === 0x20 || (raw[a]! >= 0x09 && raw[a]! <= 0x0d))) a += 1;
    while (z > a && (raw[z - 1] === 0x20 || (raw[z - 1]! >= 0x09 && raw[z - 1]! <= 0x0d))) z -= 1;
    return z - a;
  }
  let a = 0;
  let z = n;
  while (a < z && maybeSpace(raw[a]!)) a += 1;
  while (z > a && maybeSpace(raw[z - 1]!)) z -= 1;
  const rough = Math.floor((z - a) / (slash ? 6 : 3));
  return rough >= CLOSE_FLOOR_UNDER || kind !== 'body' ? rough : Math.max(rough, z - a - extraBytes(raw));
}

/**
 * How many more bytes than UTF-16 units the raw content takes, at most: 5 for each \uXXXX escape, 1 for each other
 * escape, and 1 for each continuation byte of a UTF-8 sequence. (Counted over the whole content, it bounds any part.)
 */
function extraBytes(raw: Buffer): number {
  // One pass over the bytes: escapes are dense in JSON stored as a string (every quote), and a search for each
  // backslash cost more than looking at every byte.
  let extra = 0;
  const n = raw.length;
  for (let i = 0; i < n; i += 1) {
    const c = raw[i]!;
    if (c === 0x5c) {
      const u = raw[i + 1] === 0x75;
      extra += u ? 5 : 1;
      i += u ? 5 : 1;
    } else if ((c & 0xc0) === 0x80) extra += 1;
  }
  return extra;
}

/** The first HEAD_CHARS characters of a string, as a string of its own. */
function headOf(s: string): string {
  // Only a copy lets the long string go: V8 makes a slice of 13 characters or more point into its parent.
  return Buffer.from(s.slice(0, HEAD_CHARS), 'utf16le').toString('utf16le');
}

/** The text of a stored body or payload. */
export function textOf(t: StoredText): string | null {
  return t === null || typeof t === 'string' ? t : t.file.get(t);
}
