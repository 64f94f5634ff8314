// Long bodies and payloads of a large capture wait on disk, not in memory. A capture read lean (retain.ts) keeps a
// response body up to 1 MiB and a frame up to 64 KiB for the few modules that read them, but a long session has
// tens of thousands of them: on a 1 GB capture with bodies they were 235 MB of the heap, most of it as two-byte
// strings, and the peak RSS followed. Each one of at least SPILL_FROM characters is written, exactly as decoded, to
// an anonymous temporary file (removed from the directory as soon as it is opened, so on Linux and macOS nothing is
// left behind even if the process is killed; Windows removes it at exit) and read back when analysis asks for it;
// what stays in memory is its place in the file, its first characters, its trimmed length and the answers to a few
// cheap tests (probes.ts), which settle most questions without reading it back (../peek.ts).
//
// Each protocol module asks about an exchange in turn, so the texts read back last are kept, but only a few: on a
// 1 GB capture with bodies, keeping 4–16 MB of them had each one outlive a young-generation collection, and the
// copying and old-generation garbage cost 0.7–1.3 s and 200 MB of RSS; keeping 64 KB (and always the last one) cost
// about as much time as reading the texts from memory. (Keeping the first 64 MB of texts in memory and spilling
// the rest was tried too: the larger live heap let garbage grow to a 500 MB peak.)
//
// The file goes in the temp folder, or in /var/tmp where the temp folder is a RAM disk (see spillDirs). If it cannot
// be opened or written (read-only or full folder), the strings simply stay in memory.
import { closeSync, openSync, readSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe, probeBit, type ProbeName, type TextKind } from './probes.js';

/** Strings shorter than this stay in memory: a place in the file costs about 40 bytes of heap. */
export const SPILL_FROM = 1024;

/** Characters of a spilled text kept in memory, for the modules that tell a text by how it starts. */
export const HEAD_CHARS = 32;

/** A string written to the spill file: where it is, how it was encoded, and what can be told without reading it. */
export class SpilledText {
  constructor(
    readonly file: SpillFile,
    readonly at: number,
    readonly bytes: number,
    /** UTF-16 for strings beyond ASCII, else one byte a character. */
    readonly wide: boolean,
    /** Its first HEAD_CHARS characters (a copy: a slice would keep the whole string alive). */
    readonly head: string,
    /** Its length once leading and trailing white space is taken off (String.prototype.trim). */
    readonly trimmedLength: number,
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
  private size = 0;
  private readonly pending = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  /** Set when a write failed: what was pending stays here, and nothing more is spilled. */
  private tail: Buffer | null = null;
  private readonly cache = new Map<SpilledText, string>();
  private cached = 0;
  private reading = Buffer.allocUnsafeSlow(64 * 1024);

  constructor(
    private readonly fd: number,
    private readonly cleanup: (() => void) | null,
  ) {}

  /** Stores a string; null when it stays in memory (short, or the file failed). */
  put(s: string, kind: TextKind): SpilledText | null {
    if (s.length < SPILL_FROM || this.tail !== null) return null;
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
    return new SpilledText(this, at, bytes, wide, headOf(s), s.trim().length, probe(s, kind));
  }

  /** The string back, exactly as it was stored. */
  get(t: SpilledText): string {
    const hit = this.cache.get(t);
    if (hit !== undefined) return hit;
    let s: string;
    if (t.at >= this.size) {
      // Still in the write buffer, or kept after a failed write.
      const from = this.tail ?? this.pending;
      s = from.toString(t.wide ? 'utf16le' : 'latin1', t.at - this.size, t.at - this.size + t.bytes);
    } else {
      // One buffer, reused: a fresh one per read counts as external memory, and V8 answers hundreds of MB of that
      // with full collections (analysis of a 1 GB capture spent 0.7 s more in the collector).
      if (this.reading.length < t.bytes) this.reading = Buffer.allocUnsafeSlow(Math.max(t.bytes, 2 * this.reading.length));
      const buf = this.reading;
      let got = 0;
      while (got < t.bytes) {
        const n = readSync(this.fd, buf, got, t.bytes - got, t.at + got);
        if (n === 0) throw new Error('the temporary file that holds large bodies was cut short');
        got += n;
      }
      s = buf.toString(t.wide ? 'utf16le' : 'latin1', 0, t.bytes);
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
    return this.size + this.used;
  }

  close(): void {
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

/** The first HEAD_CHARS characters of a string, as a string of its own. */
function headOf(s: string): string {
  // Only a copy lets the long string go: V8 makes a slice of 13 characters or more point into its parent.
  return Buffer.from(s.slice(0, HEAD_CHARS), 'utf16le').toString('utf16le');
}

/** The text of a stored body or payload. */
export function textOf(t: StoredText): string | null {
  return t === null || typeof t === 'string' ? t : t.file.get(t);
}
