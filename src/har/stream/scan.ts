// A resumable byte-level scanner for the structure of a HAR: the top-level object, `log` and its members, and the
// elements of `log.entries`, copied into batches for the batch parser. It tracks strings (with escapes) and brackets
// only; values are checked later by JSON.parse. It is the general path: it reads the header, the first entry, the
// end of the file, captures whose entries have no common shape, and it salvages captures cut off mid-write. Bulk
// entries normally go through the faster needle split in read.ts.
import type { CappedString } from './batch.js';

const OBJ = 1;
const ARR = 2;

/** A structural problem: the input is not a HAR the streaming reader can read (the whole-file reader says why). */
export class StreamFault extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'StreamFault';
  }
}

export interface ScanOptions {
  /** Target size of a batch of entries, in bytes. */
  batchBytes: number;
  /** In lean mode, `text`/`data` strings longer than this are cut while streaming (their first bytes kept). */
  streamCap: () => number;
  /** Called with each complete batch of entries. */
  onBatch: (bytes: Uint8Array, capped: CappedString[]) => void;
  /**
   * Called at the first key of the second entry with the bytes from the end of the first entry up to and including
   * that key's colon, and the offset of the second entry's `{`. Returning true stops the scanner there.
   */
  onSecondEntry?: (needle: Buffer, entryStart: number) => boolean;
}

/** What the scanner learnt about the capture outside its entries. */
export interface ScanHeader {
  rootSeen: boolean;
  logSeen: boolean;
  entriesSeen: boolean;
  entriesClosed: boolean;
  /** Raw JSON of log members the reader needs, with where they started. */
  members: Map<string, { json: Buffer; at: number }>;
  pages: number | null;
  /** Offset of the `[` of log.pages. */
  pagesAt: number;
  /** Offset just after the `[` of log.entries. */
  entriesStart: number | null;
  /** Complete object elements of log.entries. */
  objectEntries: number;
}

class Builder {
  parts: Buffer[] = [];
  length = 0;
  add(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(Buffer.from(b)); // copy: the window it came from is reused
    this.length += b.length;
  }
  take(upTo = this.length): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    const out = upTo === this.length ? all : all.subarray(0, upTo);
    this.parts = [];
    this.length = 0;
    return out;
  }
}

export class Scanner {
  readonly header: ScanHeader = {
    rootSeen: false,
    logSeen: false,
    entriesSeen: false,
    entriesClosed: false,
    members: new Map(),
    pages: null,
    pagesAt: -1,
    entriesStart: null,
    objectEntries: 0,
  };
  /** Offset of the last byte examined + 1. */
  offset = 0;
  /** True once the top-level value has closed. */
  done = false;

  private kinds: number[] = [];
  private keys: (string | null)[] = [];
  private expectKey = false;
  private key: string | null = null;
  private inStr = false;
  private esc = false;
  private strIsKey = false;
  private keyBytes: number[] | null = null;
  private afterRoot = false;
  private jsonp = false;

  // log.entries
  private inEntries = false;
  private builder = new Builder();
  private capped: CappedString[] = [];
  private copyFrom = -1;
  /** Builder length at the end of the last complete element, and at the end of the last complete object element. */
  private elementEnd = 0;
  private objectEnd = 0;
  private elements = 0;
  private firstEntryEnd = -1;
  private handoverTried = false;
  // a long text/data string being cut (lean mode)
  private capping: { prefix: Buffer[]; kept: number; raw: number; cap: number } | null = null;

  // log members captured whole (creator, version) and counted (pages)
  private capture: { key: string; parts: Buffer[]; size: number; from: number; at: number } | null = null;
  private pagesCommas = 0;
  private pagesAny = false;

  constructor(private readonly opts: ScanOptions) {}

  /** The scanner will read a JSONP-wrapped capture: a `)` and `;` may follow the top-level object. */
  setJsonp(): void {
    this.jsonp = true;
  }

  /** Continues inside log.entries at the start of an element (after the fast path gave up at `at`). */
  resumeInEntries(at: number): void {
    this.kinds = [OBJ, OBJ, ARR];
    this.keys = [null, 'log', 'entries'];
    this.expectKey = false;
    this.inEntries = true;
    this.handoverTried = true;
    this.copyFrom = at;
    this.offset = at;
    this.elementEnd = 0;
    this.objectEnd = 0;
  }

  /**
   * Scans buf[from, to), where buf[0] is at offset `base` of the stream. Returns the offset it stopped at: `base + to`
   * when it used everything, less when it handed over to the fast path.
   */
  scan(buf: Buffer, from: number, to: number, base: number): number {
    let i = from;
    const kinds = this.kinds;
    while (i < to) {
      if (this.inStr) {
        i = this.stringBytes(buf, i, to, base);
        continue;
      }
      const c = buf[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i += 1;
        continue;
      }
      const depth = kinds.length;
      if (this.afterRoot) {
        if (this.jsonp && (c === 0x29 || c === 0x3b)) {
          i += 1;
          continue;
        }
        throw new StreamFault('unexpected text after the end of the JSON', base + i);
      }
      if (c === 0x22) {
        if (depth === 0) throw new StreamFault('the top level is not an object', base + i);
        if (depth === 3 && this.keys[2] === 'pages' && this.keys[1] === 'log') this.pagesAny = true;
        this.inStr = true;
        this.esc = false;
        const top = kinds[depth - 1];
        this.strIsKey = top === OBJ && this.expectKey;
        if (this.strIsKey) {
          this.expectKey = false;
          this.keyBytes = depth <= 2 || (this.inEntries && this.opts.streamCap() < Number.POSITIVE_INFINITY) ? [] : null;
        } else if (this.inEntries && depth >= 4 && (this.key === 'text' || this.key === 'data')) {
          const cap = this.opts.streamCap();
          if (cap < Number.POSITIVE_INFINITY) {
            this.flushEntry(buf, i, base);
            this.capping = { prefix: [], kept: 0, raw: 0, cap };
            this.copyFrom = -2; // the string's bytes go to `capping`, not to the entry copy
          }
        }
        i += 1;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        const kind = c === 0x7b ? OBJ : ARR;
        if (depth === 0) {
          if (kind !== OBJ) throw new StreamFault('the top level is not an object', base + i);
          this.header.rootSeen = true;
        } else if (depth === 1) {
          if (this.key === 'log') {
            if (this.header.logSeen) throw new StreamFault('two "log" members', base + i);
            if (kind !== OBJ) throw new StreamFault('"log" is not an object', base + i);
            this.header.logSeen = true;
          }
        } else if (depth === 2 && this.keys[1] === 'log') {
          if (this.key === 'entries') {
            if (kind !== ARR || this.header.entriesSeen) throw new StreamFault('log.entries is not a list', base + i);
            this.header.entriesSeen = true;
            this.header.entriesStart = base + i + 1;
            this.inEntries = true;
            this.copyFrom = base + i + 1;
            this.endCapture(buf, i, base, true);
          } else if (this.key === 'pages' && kind === ARR) {
            this.header.pages = 0;
            this.header.pagesAt = base + i;
          }
        } else if (depth === 3 && this.inEntries && kind === OBJ && this.elements === 1 && this.opts.onSecondEntry && !this.handoverTried) {
          this.secondEntryAt = base + i;
        }
        if (depth === 3 && this.keys[2] === 'pages' && this.keys[1] === 'log') this.pagesAny = true;
        kinds.push(kind);
        if (depth < 3) this.keys.push(depth === 0 ? null : this.key);
        this.expectKey = kind === OBJ;
        this.key = null;
        i += 1;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        const kind = kinds.pop();
        if (kind === undefined || (kind === OBJ) !== (c === 0x7d)) throw new StreamFault('a bracket does not match', base + i);
        const nd = kinds.length;
        const closedKey = nd < 3 ? this.keys.pop() : undefined;
        if (nd === 2 && closedKey === 'pages' && kind === ARR && this.keys[1] === 'log') {
          this.header.pages = this.pagesAny ? this.pagesCommas + 1 : 0;
        }
        this.expectKey = false;
        if (nd === 2 && this.inEntries) {
          // log.entries closed
          this.flushEntry(buf, i, base);
          this.emitBatch(this.builder.length);
          this.inEntries = false;
          this.header.entriesClosed = true;
          this.copyFrom = -1;
        } else if (nd === 3 && this.inEntries) {
          this.elements += 1;
          this.flushEntry(buf, i + 1, base);
          this.elementEnd = this.builder.length;
          if (kind === OBJ) {
            this.header.objectEntries += 1;
            this.objectEnd = this.builder.length;
            if (this.elements === 1) this.firstEntryEnd = base + i;
          }
        } else if (nd === 1) {
          this.endCapture(buf, i, base, false);
        } else if (nd === 0) {
          this.afterRoot = true;
          this.done = true;
        }
        i += 1;
        continue;
      }
      if (c === 0x2c) {
        if (depth === 0) throw new StreamFault('unexpected "," at the top level', base + i);
        const top = kinds[depth - 1];
        this.expectKey = top === OBJ;
        if (depth === 3 && this.inEntries) {
          if (this.builder.length + (base + i - this.copyFrom) >= this.opts.batchBytes) {
            this.flushEntry(buf, i, base);
            this.emitBatch(this.builder.length);
            this.copyFrom = base + i + 1;
          }
        } else if (depth === 2) {
          this.endCapture(buf, i, base, false);
        } else if (depth === 3 && this.keys[2] === 'pages' && this.keys[1] === 'log') {
          this.pagesCommas += 1;
        }
        i += 1;
        continue;
      }
      if (c === 0x3a) {
        if (depth === 2 && this.keys[1] === 'log' && this.key !== null && MEMBERS.has(this.key)) {
          this.capture = { key: this.key, parts: [], size: 0, from: base + i + 1, at: base + i + 1 };
        } else if (this.inEntries && depth === 4 && this.elements === 1 && this.secondEntryAt >= 0 && !this.handoverTried) {
          this.handoverTried = true;
          const stop = this.tryHandover(buf, i, base);
          if (stop >= 0) return stop;
        }
        i += 1;
        continue;
      }
      // a scalar byte (number, true, false, null) or junk; JSON.parse judges it later
      if (depth === 3 && this.keys[2] === 'pages' && this.keys[1] === 'log') this.pagesAny = true;
      if (depth === 0) throw new StreamFault('the top level is not an object', base + i);
      i += 1;
    }
    // Keep what the window is about to lose.
    if (this.inEntries && this.copyFrom >= 0) this.flushEntry(buf, to, base);
    if (this.capture) this.captureBytes(buf, to, base);
    this.offset = base + to;
    return base + to;
  }

  private secondEntryAt = -1;

  private tryHandover(buf: Buffer, colon: number, base: number): number {
    const from = this.firstEntryEnd - base;
    if (from < 0 || !this.opts.onSecondEntry) return -1;
    const needle = Buffer.from(buf.subarray(from, colon + 1));
    if (!this.opts.onSecondEntry(needle, this.secondEntryAt)) return -1;
    // Hand over: emit everything up to the end of the first entry and stop before the second.
    this.emitBatch(this.elementEnd);
    this.offset = this.secondEntryAt;
    return this.secondEntryAt;
  }

  /** Consumes string bytes from i; returns where scanning continues. */
  private stringBytes(buf: Buffer, i: number, to: number, base: number): number {
    let j = i;
    let esc = this.esc;
    // Short strings in JS; past 128 bytes, jump from quote to quote natively.
    const lim = Math.min(to, i + 128);
    while (j < lim) {
      const d = buf[j]!;
      if (esc) esc = false;
      else if (d === 0x5c) esc = true;
      else if (d === 0x22) break;
      j += 1;
    }
    if (j >= lim && j < to) {
      for (;;) {
        if (esc) {
          esc = false;
          j += 1;
          if (j >= to) break;
        }
        const q = buf.indexOf(0x22, j);
        if (q < 0 || q >= to) {
          // no quote in this chunk: note whether it ends on an odd run of backslashes
          let k = to - 1;
          while (k >= j && buf[k] === 0x5c) k -= 1;
          esc = (to - 1 - k) % 2 === 1;
          j = to;
          break;
        }
        let k = q - 1;
        while (k >= j && buf[k] === 0x5c) k -= 1;
        if ((q - 1 - k) % 2 === 0) {
          j = q;
          break;
        }
        j = q + 1;
      }
    }
    if (this.capping) this.capBytes(buf, i, Math.min(j, to));
    else if (this.keyBytes !== null && this.strIsKey) {
      for (let k = i; k < Math.min(j, to) && this.keyBytes.length <= 32; k += 1) this.keyBytes.push(buf[k]!);
    }
    if (j >= to) {
      this.esc = esc;
      return to;
    }
    // closing quote at j
    this.inStr = false;
    if (this.strIsKey) {
      this.key = this.keyBytes !== null && this.keyBytes.length <= 32 ? Buffer.from(this.keyBytes).toString('utf8') : '';
      this.keyBytes = null;
    } else if (this.capping) {
      this.endCapping(base + j + 1);
    }
    return j + 1;
  }

  private capBytes(buf: Buffer, from: number, to: number): void {
    const c = this.capping!;
    const n = to - from;
    if (c.kept < c.cap) {
      const take = Math.min(n, c.cap - c.kept);
      c.prefix.push(Buffer.from(buf.subarray(from, from + take)));
      c.kept += take;
    }
    c.raw += n;
  }

  private endCapping(resumeAt: number): void {
    const c = this.capping!;
    this.capping = null;
    const prefix = Buffer.concat(c.prefix, c.kept);
    if (c.raw <= c.cap) {
      this.builder.add(QUOTE);
      this.builder.add(prefix);
      this.builder.add(QUOTE);
    } else {
      this.builder.add(Buffer.from(JSON.stringify(`\u0000cap:${this.capped.length}`)));
      this.capped.push({ prefix, rawLength: c.raw });
    }
    this.copyFrom = resumeAt;
  }

  /** Copies entry bytes from copyFrom up to buf offset `upTo` into the batch builder. */
  private flushEntry(buf: Buffer, upTo: number, base: number): void {
    if (this.copyFrom < 0) return;
    const from = this.copyFrom - base;
    if (upTo > from) this.builder.add(buf.subarray(from, upTo));
    this.copyFrom = base + upTo;
  }

  private emitBatch(upTo: number): void {
    if (this.builder.length === 0 || upTo === 0) {
      this.builder.take();
      this.elementEnd = this.objectEnd = 0;
      return;
    }
    const bytes = this.builder.take(upTo);
    const capped = this.capped;
    this.capped = [];
    this.elementEnd = this.objectEnd = 0;
    this.opts.onBatch(bytes, capped);
  }

  private captureBytes(buf: Buffer, upTo: number, base: number): void {
    const cap = this.capture!;
    const from = cap.from - base;
    if (upTo > from && cap.size < MEMBER_LIMIT) {
      cap.parts.push(Buffer.from(buf.subarray(from, upTo)));
      cap.size += upTo - from;
    }
    cap.from = base + upTo;
  }

  private endCapture(buf: Buffer, i: number, base: number, abandon: boolean): void {
    if (!this.capture) return;
    if (!abandon) this.captureBytes(buf, i, base);
    const cap = this.capture;
    this.capture = null;
    if (abandon || cap.size >= MEMBER_LIMIT) return;
    this.header.members.set(cap.key, { json: Buffer.concat(cap.parts), at: cap.at });
  }

  /**
   * The input ended. Returns null when the capture was complete, or the truncation: how many complete entries were
   * salvaged. Emits the last batch (cut after the last complete entry when the input was cut off).
   */
  finish(): { truncated: boolean } {
    if (this.done) return { truncated: false };
    if (!this.header.rootSeen) throw new StreamFault('the text ends early', this.offset);
    if (this.inEntries) {
      // Cut off inside log.entries: keep every complete object entry before the cut.
      this.emitBatch(this.objectEnd);
      return { truncated: true };
    }
    return { truncated: true };
  }
}

const QUOTE = Buffer.from('"');
const MEMBERS = new Set(['creator', 'version']);
const MEMBER_LIMIT = 16 * 1024 * 1024;
