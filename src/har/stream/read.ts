// The streaming reader: walks a capture's bytes once, in bounded memory, and turns its entries into normalised
// exchanges. The general scanner (scan.ts) reads the header and the first two entries; from the second entry's
// first key it learns the bytes that separate one entry from the next (e.g. `},\n      {\n        "_initiator":`
// or `},{"startedDateTime":`). Such a sequence can only occur between values — a raw newline or an unescaped quote
// cannot sit inside a JSON string — so batches of a few MB are cut at it with one native search each, and parsed
// (in worker threads for large inputs) by batch.ts. JSON.parse of each batch checks that every cut really fell
// between entries. The end of the file, and captures whose entries do not share a first key, go through the
// general scanner, which also salvages files cut off mid-write.
import { isUtf8 } from 'node:buffer';
import { availableParallelism } from 'node:os';
import type { Capture } from '../../model.js';
import { InputError } from '../errors.js';
import { normaliseEntry, type NormaliseContext, type PartialExchange } from '../normalise.js';
import { WarningCollector } from '../warnings.js';
import { assemble, replay } from './assemble.js';
import { BatchSyntaxError, type Batch, type BatchResult, type CappedString } from './batch.js';
import { checkMemory } from '../../memory.js';
import { projectorPool, runInline, sharedPool, type WorkerPool } from './pool.js';
import { BODY_CAP, LEAN_FROM_BYTES, leanHeaders, type Retention } from './retain.js';
import { captureTexts, spillFile, type SpillFile } from './spill.js';
import { spillTexts } from './stored.js';
import { Scanner, StreamFault } from './scan.js';
import { Shelf } from './shelf.js';
import { openSource, type ByteSource } from './source.js';

export interface Progress {
  name: string;
  /** Bytes read from disk (or stdin) so far. */
  read: number;
  /** Bytes on disk, when known. */
  total: number | null;
  done: boolean;
}

export interface StreamOptions {
  /** Index of this capture among the inputs of one run. */
  input?: number;
  stdin?: NodeJS.ReadableStream;
  /** 'auto' (default): full for inputs under LEAN_FROM_BYTES, lean from there on. */
  retention?: Retention | 'auto';
  /**
   * 'auto' (default): worker threads for inputs over a few MB: on more than two cores they parse batches, on two
   * one of them projects the batches of captures of small entries; 'inline': never; 'workers': worker threads
   * parse every batch; 'projector': one projects every batch this thread parses (both when available).
   */
  threads?: 'auto' | 'inline' | 'workers' | 'projector';
  /** Lean reads keep long bodies and payloads in a temporary file, not in memory (default true; spill.ts). */
  spill?: boolean;
  onProgress?: (p: Progress) => void;
}

/** The streaming reader cannot read this input; the whole-file reader can (and words its errors). */
export class NeedsWholeFile extends Error {
  constructor(
    message: string,
    /** The bytes of stdin or a named pipe, already consumed by the streaming reader (they cannot be read again). */
    readonly consumed: Buffer | null,
  ) {
    super(message);
    this.name = 'NeedsWholeFile';
  }
}

/** Inputs up to this size fall back to the whole-file reader when the streaming reader meets something odd. */
export const WHOLE_FILE_LIMIT = 256 * 1024 * 1024;
/** Target size of one batch of entries. */
const BATCH_BYTES = 1 * 1024 * 1024;
/** Past this, an entry is read by the general scanner (which cuts long strings while streaming). */
const MAX_BATCH = 64 * 1024 * 1024;
/** Inputs from this size on are parsed in worker threads (when there are cores to spare: see below). */
const THREADS_FROM = 16 * 1024 * 1024;
/**
 * One capture is parsed in worker threads only with more than two cores. Measured on a 2-core machine with the
 * WebAssembly projector (100 MB generated captures, cold process each): parsing on the main thread was faster than
 * two workers on every profile (meta pretty 0.87–1.05 s vs 1.08–1.26 s, bodies 0.45–0.58 s vs 0.63–0.70 s) and
 * used 30–50 MB less memory — the workers' start-up, their own JIT warm-up and the hand-over of results cost more
 * than the second core gave back while the main thread competes for it. Several captures still share the pool.
 * What two cores do share well is the projection alone (PROJECTOR_ENTRIES_PER_MB below): bytes in, bytes out.
 */
const SPARE_CORES = availableParallelism() > 2;
const MB = 1024 * 1024;
/**
 * Captures with at least this many entries per MiB have their batches projected in a worker thread on two cores.
 * Measured on 1 GB generated captures (2 cores, best of 3–4 runs each way): metadata-heavy (~140 entries/MiB
 * pretty-printed, ~260 minified) took 7.7–9.5 s instead of 10.2–12.1 s; large-body captures (~25 entries/MiB)
 * spend little of their time projecting (the projector skips long strings), and the copy handed to the worker
 * made them slower (5.6 s instead of 4.9 s).
 */
const PROJECTOR_ENTRIES_PER_MB = 64;
/**
 * ... and from this size on. Below it the worker's start-up eats the gain: alternating runs against one thread
 * gave 20 MB 1.01 s against 0.87–0.97 s (+10–20 MB), 100 MB no difference (+15–30 MB), 400 MB 5.5 s against 6.1 s.
 */
const PROJECTOR_FROM = 256 * MB;

export async function streamCapture(path: string, options: StreamOptions = {}): Promise<Capture> {
  const src = await openSource(path, options.stdin, { inflateWorker: options.threads === 'inline' ? 'never' : options.threads === 'workers' ? 'always' : 'auto' });
  try {
    return await readCapture(src, options);
  } catch (err) {
    if (err instanceof StreamFault || err instanceof BatchSyntaxError || err instanceof NeedsWholeFile) {
      const size = src.total ?? src.diskTotal;
      if (src.reopen && size !== null && size <= WHOLE_FILE_LIMIT) throw new NeedsWholeFile(err.message, null);
      const kept = src.replay();
      if (!src.reopen && kept) throw new NeedsWholeFile(err.message, kept);
      if (err instanceof NeedsWholeFile) throw new InputError(`${src.name}: ${err.message}`);
      const at = err instanceof StreamFault ? ` at byte offset ${err.offset}` : '';
      throw new InputError(`${src.name}: not valid JSON or not a HAR${at} (${err.message})`);
    }
    throw err;
  } finally {
    await src.close().catch(() => undefined);
  }
}

const BOM = [0xef, 0xbb, 0xbf];
// The callback name is bounded so that a hostile file cannot make the pattern scan far (as in text.ts).
const JSONP_HEAD = /^([A-Za-z_$][\w$.]{0,200})\s{0,100}\(/;

async function readCapture(src: ByteSource, options: StreamOptions): Promise<Capture> {
  const input = options.input ?? 0;
  const win = new Window(src, Math.min(16 * 1024 * 1024, Math.max(64 * 1024, (src.total ?? src.diskTotal ?? 1 << 24) + 1024)), options.onProgress);
  const retention = options.retention ?? 'auto';
  // Compressed captures: judge by the compressed size (HARs compress at least 4:1) until the bytes themselves say.
  const expected = src.total ?? (src.diskTotal ?? 0) * 4;
  const lean = (): boolean => retention === 'lean' || (retention === 'auto' && (expected >= LEAN_FROM_BYTES || win.end >= LEAN_FROM_BYTES));
  const pool = options.threads === 'inline' ? null : sharedPool();
  /** Where the next batch is parsed: the worker pool, or (null) this thread. */
  const workers = (): WorkerPool | null =>
    pool && (options.threads === 'workers' || (options.threads !== 'projector' && SPARE_CORES && (expected >= THREADS_FROM || win.end >= THREADS_FROM))) ? pool : null;
  /**
   * With two cores, the batches of a large capture of many small entries are projected in one worker thread while
   * this one parses the batches before them (bytes in, bytes out: nothing to copy back but the text JSON.parse
   * reads). Whether the entries are small is told by the first full batch, parsed here.
   */
  let smallEntries: boolean | null = null;
  const projecting = (): WorkerPool | null =>
    pool && (options.threads === 'projector' || (options.threads !== 'workers' && !SPARE_CORES && smallEntries === true && (expected >= PROJECTOR_FROM || win.end >= PROJECTOR_FROM)))
      ? projectorPool()
      : null;
  // Only batches handed to workers are in flight; this thread parses its batches as they are submitted.
  const depth = pool?.capacity ?? 0;

  // --- what comes before the JSON: byte-order marks, whitespace, a JSONP callback ---
  await win.ensure(4);
  const b0 = win.buf[0];
  const b1 = win.buf[1];
  if (win.len >= 2 && ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff))) throw new NeedsWholeFile('UTF-16 text', null);
  if (win.len >= 4 && b0 === 0x50 && b1 === 0x4b && win.buf[2] === 0x03 && win.buf[3] === 0x04) {
    throw new InputError(`${src.name}: is a zip archive (Playwright's "attach" HAR?); unzip it and pass the .har inside`);
  }
  let p = 0;
  let boms = 0;
  const bomAt = (at: number): boolean => win.buf[at] === BOM[0] && win.buf[at + 1] === BOM[1] && win.buf[at + 2] === BOM[2];
  if (bomAt(0)) {
    boms += 1;
    p = 3;
    await win.ensure(p + 3);
    if (bomAt(p)) {
      boms += 1;
      p += 3;
    }
  }
  const textStart0 = p;
  for (;;) {
    await win.ensure(p + 3);
    if (p >= win.len) throw new NeedsWholeFile('only whitespace', null);
    const c = win.buf[p]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p += 1;
    else if (bomAt(p)) p += 3;
    else break;
    if (p - win.base > MAX_BATCH) throw new NeedsWholeFile('too much leading whitespace', null);
  }
  const leadingSpace = p > textStart0;
  let jsonp: string | null = null;
  if (win.buf[p] !== 0x7b) {
    await win.ensure(p + 400);
    const head = JSONP_HEAD.exec(win.buf.toString('latin1', p, Math.min(win.len, p + 400)));
    if (!head || win.buf[p] === 0x5b) throw new NeedsWholeFile('the top level is not an object', null);
    jsonp = head[1]!;
    p += head[0].length;
  }
  const textStart = p;

  // --- batches ---
  const reading = `reading ${src.name}`;
  const results: BatchResult[] = [];
  let seq = 0;
  let inflight = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  // Long texts of a lean read go to the spill file as each batch comes back (spill.ts).
  let spilled = false;
  /** This thread's spill file, for lean reads (batches it parses itself send their long texts to it as they stand). */
  const ownSpill = (): SpillFile | null => (lean() && options.spill !== false ? spillFile() : null);
  /**
   * Where the long texts of a batch this thread parses go: the spill file; for a plain file, the batch's place in it
   * too, so that texts cut from its bytes are read back from the capture itself (spill.ts captureTexts) rather than
   * written out again.
   */
  let store: SpillFile | null | undefined;
  const destine = (b: Batch): void => {
    b.spill = ownSpill();
    if (b.spill === null || b.at === undefined || src.file === undefined || src.total === null) return;
    store ??= captureTexts(src.file, src.name, src.total);
    b.origin = store && { store, at: b.at };
  };
  const stash = (list: PartialExchange[]): void => {
    const file = ownSpill();
    if (file && spillTexts(list, file)) spilled = true;
  };
  const keep = (res: BatchResult): BatchResult => {
    if (res.spilled) spilled = true;
    if (smallEntries === null && res.bytes >= BATCH_BYTES / 2) {
      smallEntries = res.count * MB >= PROJECTOR_ENTRIES_PER_MB * res.bytes;
      // The file is read ahead on another core only when no thread of ours needs that core (source.ts).
      src.readAhead?.(projecting() === null && workers() === null);
    }
    if (res.lean) stash(res.partials);
    return res;
  };
  // Batches handed to the projector are copied into buffers of their own, and the projections come back in memory
  // of their own; both are used again once the batch is parsed: a fresh megabyte per batch was external memory
  // that only a full collection gave back.
  const batchBuffers = new Shelf(depth + 2);
  const projectionBuffers = new Shelf(depth + 2);
  const ownBuffer = (n: number): Buffer => Buffer.from(batchBuffers.take(n) ?? new ArrayBuffer(Math.max(n, BATCH_BYTES + (BATCH_BYTES >> 2))), 0, n);
  const parseProjected = (b: Batch): BatchResult => {
    destine(b);
    const res = runInline(b);
    batchBuffers.put(b.bytes.buffer as ArrayBuffer);
    if (b.projected) projectionBuffers.put(b.projected.text.buffer as ArrayBuffer);
    if (b.into) projectionBuffers.put(b.into);
    return res;
  };
  const submit = (bytes: Uint8Array, capped: CappedString[], r: WorkerPool | null = workers(), projector: WorkerPool | null = null, at?: number): void => {
    const s = seq++;
    const batch: Batch = { seq: s, bytes, capped, retention: lean() ? 'lean' : 'full', input, previousStart: s === 0 ? null : undefined };
    if (at !== undefined) batch.at = at;
    if (projector !== null) {
      batch.owned = true;
      batch.into = projectionBuffers.take(0);
    }
    if (r === null && projector === null) {
      // On this thread the batch is parsed at once, so it may be a view of the window (see the fast path).
      destine(batch);
      try {
        results[s] = keep(runInline(batch));
        checkMemory(reading);
      } catch (err) {
        failure ??= err as Error;
      }
      return;
    }
    inflight += 1;
    (r !== null ? r.run(batch) : projector!.project(batch).then(parseProjected))
      .then(
        (res) => {
          results[s] = keep(res);
          try {
            checkMemory(reading);
          } catch (err) {
            failure ??= err as Error;
          }
        },
        (err: Error) => {
          failure ??= err;
        },
      )
      .finally(() => {
        inflight -= 1;
        const w = wake;
        wake = null;
        w?.();
      });
  };
  const settle = async (limit: number): Promise<void> => {
    while (inflight > limit) await new Promise<void>((res) => (wake = res));
    if (failure) throw failure;
  };

  let needle: Buffer | null = null;
  const scanner = new Scanner({
    batchBytes: BATCH_BYTES,
    streamCap: () => (lean() ? BODY_CAP + 64 : Number.POSITIVE_INFINITY),
    onBatch: submit,
    onSecondEntry: (n) => {
      if (n.length < 3 || n.length > 512 || n.indexOf(0x7b) < 0) return false;
      needle = n;
      return true;
    },
  });
  if (jsonp) scanner.setJsonp();

  let pos = textStart;
  win.release(pos);
  let fast = false;
  for (;;) {
    if (!fast) {
      if (pos < win.end) {
        const stop = scanner.scan(win.buf, pos - win.base, win.len, win.base);
        if (stop < win.end) {
          fast = true;
          pos = stop;
        } else pos = win.end;
        win.release(pos);
        await settle(depth);
        continue;
      }
      if (win.eof) break;
      await win.more();
      continue;
    }
    // Fast path: cut a batch at the first entry separator past BATCH_BYTES.
    const sep = needle as unknown as Buffer;
    const brace = sep.indexOf(0x7b, 1);
    const target = pos + BATCH_BYTES;
    while (!win.eof && win.end < target + sep.length) await win.more();
    let h = -1;
    let from = Math.min(target, win.end) - win.base;
    for (;;) {
      h = win.view().indexOf(sep, from);
      if (h >= 0 || win.eof || win.end - pos > MAX_BATCH) break;
      from = Math.max(from, win.len - sep.length + 1);
      await win.more();
    }
    if (h < 0 && win.eof) {
      h = win.view().lastIndexOf(sep);
      if (h <= pos - win.base) h = -1;
    }
    if (h < 0) {
      // The rest of the file (its last entries, or entries too large for a batch): the general scanner.
      scanner.resumeInEntries(pos);
      fast = false;
      continue;
    }
    const start = pos - win.base;
    // Worker threads get a copy they own (it is transferred); this thread parses a view before the window moves.
    const r = workers();
    const projector = r === null ? projecting() : null;
    let bytes: Buffer;
    if (r === null && projector === null) bytes = win.buf.subarray(start, h + 1);
    else {
      bytes = projector !== null ? ownBuffer(h + 1 - start) : Buffer.allocUnsafeSlow(h + 1 - start);
      win.buf.copy(bytes, 0, start, h + 1);
    }
    submit(bytes, [], r, projector, pos);
    pos = win.base + h + brace;
    win.release(pos);
    await settle(depth);
  }
  const { truncated } = scanner.finish();
  await settle(0);
  win.done();

  // --- the header ---
  const h = scanner.header;
  if (!h.rootSeen) throw new StreamFault('the text ends early', win.end);
  if (!h.entriesSeen) {
    if (truncated) throw new InputError(`${src.name}: the file ends at ${await endsAt(src, textStart, win)} before any entry (cut off mid-write?)`);
    throw new StreamFault(h.logSeen ? 'log.entries is missing' : 'no "log" object at the top level', win.end);
  }
  const member = (key: string): unknown => {
    const m = h.members.get(key);
    if (!m || (truncated && h.entriesStart !== null && m.at > h.entriesStart)) return undefined;
    try {
      return JSON.parse(m.json.toString('utf8'));
    } catch {
      throw new StreamFault(`log.${key} is not valid JSON`, m.at);
    }
  };
  const creator = member('creator');
  const creatorObj = creator !== null && typeof creator === 'object' && !Array.isArray(creator) ? (creator as Record<string, unknown>) : null;
  const creatorName = typeof creatorObj?.['name'] === 'string' ? creatorObj['name'] : '';
  const creatorVersion = typeof creatorObj?.['version'] === 'string' ? creatorObj['version'] : '';
  const versionRaw = member('version');
  const harVersion = typeof versionRaw === 'string' && versionRaw !== '' ? versionRaw : null;
  const pages = h.pages !== null && !(truncated && h.entriesStart !== null && h.pagesAt > h.entriesStart) ? h.pages : 0;

  // --- the entries, in file order ---
  const entryWarnings = new WarningCollector();
  const partials: PartialExchange[] = [];
  let base = 0;
  let objects = 0;
  let previousStart: number | null = null;
  for (let s = 0; s < seq; s += 1) {
    const r = results[s]!;
    const ctx: NormaliseContext = { input, warnings: entryWarnings, previousStart, carriedHeaderBytes: r.projected };
    r.deferred.forEach((raw, j) => {
      const ex = normaliseEntry(raw, base + j, ctx);
      if (!ex) return;
      if (r.lean) {
        ex.requestHeaders = leanHeaders(ex.requestHeaders);
        ex.responseHeaders = leanHeaders(ex.responseHeaders);
        stash([ex]);
      }
      partials.push(ex);
    });
    previousStart = ctx.previousStart;
    replay(entryWarnings, r.warnings);
    for (const x of r.partials) {
      x.order += base;
      partials.push(x);
    }
    if (r.lastStart !== undefined) previousStart = r.lastStart;
    base += r.count;
    objects += r.objects;
    results[s] = undefined as unknown as BatchResult;
  }

  // --- warnings in the order the whole-file reader gives them ---
  const warnings = new WarningCollector();
  if (boms >= 1) warnings.add('bom', 'the file starts with a byte-order mark (ignored)');
  if (win.badUtf8()) warnings.add('bad-utf8', 'the file has bytes that are not valid UTF-8; they were replaced with U+FFFD');
  if (boms >= 2) warnings.add('bom', 'the file starts with a byte-order mark (ignored)');
  if (leadingSpace) warnings.add('leading-space', 'the file starts with whitespace before the JSON (ignored)');
  if (jsonp) warnings.add('jsonp-wrapped', `the HAR is wrapped as JSONP (${jsonp}(…), the .harp form); unwrapped it`);
  if (!creatorName) warnings.add('no-creator', 'log.creator.name is missing; exporter unknown');
  if (harVersion === null) warnings.add('version-missing', 'log.version is missing; read as HAR 1.1 (what the spec assumes)');
  else if (!['1.1', '1.2', '1.3'].includes(harVersion)) warnings.add('version-odd', `log.version is "${harVersion.slice(0, 20)}", not 1.1–1.3; read anyway`);
  if (truncated) {
    warnings.add(
      'truncated',
      `the file is cut off at ${await endsAt(src, textStart, win)} (written only in part?); recovered ${objects} complete entr${objects === 1 ? 'y' : 'ies'}`,
    );
  }
  replay(warnings, entryWarnings.list());
  return assemble({ name: src.name, creatorName, creatorVersion, harVersion, pages, truncated }, base, partials, warnings, spilled);
}

/** Where the text ends, as "line L, column C" (counted like the whole-file reader: from the JSON's first byte). */
async function endsAt(src: ByteSource, textStart: number, win: Window): Promise<string> {
  const end = win.end;
  let fresh: ByteSource | null = null;
  if (src.reopen && end <= 4 * WHOLE_FILE_LIMIT) fresh = await src.reopen();
  const kept = !fresh && src.wrapping === 'plain' ? src.replay() : null;
  if (!fresh && !kept) return `byte offset ${end - textStart}`;
  const buf = Buffer.allocUnsafe(Math.min(8 * 1024 * 1024, end + 1));
  let at = 0;
  let line = 1;
  let lastLine: Buffer[] = [];
  const take = (chunk: Buffer, offset: number): void => {
    const from = Math.max(0, textStart - offset);
    let nl = chunk.lastIndexOf(0x0a);
    if (nl >= from) {
      let i = chunk.indexOf(0x0a, from);
      while (i >= 0) {
        line += 1;
        i = chunk.indexOf(0x0a, i + 1);
      }
      lastLine = [Buffer.from(chunk.subarray(nl + 1))];
    } else {
      nl = from - 1;
      lastLine.push(Buffer.from(chunk.subarray(from)));
    }
  };
  try {
    if (kept) take(kept.subarray(0, end), 0);
    else {
      for (;;) {
        const n = await fresh!.fill(buf, 0, Math.min(buf.length, end - at));
        if (n === 0) break;
        take(buf.subarray(0, n), at);
        at += n;
        if (at >= end) break;
      }
    }
  } finally {
    await fresh?.close();
  }
  const last = Buffer.concat(lastLine);
  let units = 0;
  for (let i = 0; i < last.length; i += 1) {
    const c = last[i]!;
    if ((c & 0xc0) !== 0x80) units += c >= 0xf0 ? 2 : 1;
  }
  return `line ${line}, column ${units + 1}`;
}

/** A sliding window over the input: bytes from `base` to `base + len`, refilled from the source. */
class Window {
  buf: Buffer;
  base = 0;
  len = 0;
  eof = false;
  private keepFrom = 0;
  private carry: Buffer = Buffer.alloc(0);
  private bad = false;

  constructor(
    private readonly src: ByteSource,
    size: number,
    private readonly onProgress?: (p: Progress) => void,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  get end(): number {
    return this.base + this.len;
  }

  view(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** Bytes before `abs` are no longer needed. */
  release(abs: number): void {
    this.keepFrom = abs;
  }

  async ensure(bytes: number): Promise<void> {
    while (!this.eof && this.len < bytes) await this.more();
  }

  async more(): Promise<void> {
    const drop = this.keepFrom - this.base;
    if (drop > 0 && (this.len === this.buf.length || drop >= this.buf.length / 2)) {
      this.buf.copyWithin(0, drop, this.len);
      this.len -= drop;
      this.base += drop;
    }
    if (this.len === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const n = await this.src.fill(this.buf, this.len, this.buf.length - this.len);
    if (n === 0) {
      this.eof = true;
      if (this.carry.length > 0) this.bad = true;
      return;
    }
    this.checkUtf8(this.buf.subarray(this.len, this.len + n));
    this.len += n;
    this.onProgress?.({ name: this.src.name, read: this.src.diskRead(), total: this.src.diskTotal, done: false });
  }

  done(): void {
    this.onProgress?.({ name: this.src.name, read: this.src.diskRead(), total: this.src.diskTotal, done: true });
  }

  badUtf8(): boolean {
    return this.bad;
  }

  /** UTF-8 validity, chunk by chunk, carrying a sequence split between chunks. */
  private checkUtf8(b: Buffer): void {
    if (this.bad) return;
    let start = 0;
    if (this.carry.length > 0) {
      let k = 0;
      while (k < 3 && k < b.length && (b[k]! & 0xc0) === 0x80) k += 1;
      if (!isUtf8(Buffer.concat([this.carry, b.subarray(0, k)]))) this.bad = true;
      start = k;
      this.carry = Buffer.alloc(0);
    }
    let t = b.length;
    for (let i = b.length - 1; i >= Math.max(start, b.length - 3); i -= 1) {
      const c = b[i]!;
      if ((c & 0xc0) === 0x80) continue;
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (i + need > b.length) t = i;
      break;
    }
    if (!isUtf8(b.subarray(start, t))) this.bad = true;
    this.carry = Buffer.from(b.subarray(t));
  }
}
