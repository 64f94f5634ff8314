// Where a capture's bytes come from: a file read in large pieces, or a stream (stdin, gzip, zlib) decompressed on
// the fly. Compression is found from the first bytes, not the name. Errors carry the same words as har/source.ts.
import { readSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import { decompressor, displayName, sniffWrapping, type Wrapping } from '../source.js';
import { INFLATE_WORKER_FROM, inflateInWorker } from './inflate.js';

export interface ByteSource {
  name: string;
  wrapping: Wrapping;
  /** Bytes the reader will see when known (plain files), else null. */
  total: number | null;
  /** Bytes on disk (compressed size for .gz), for progress; null for stdin. */
  diskTotal: number | null;
  /** Bytes read from disk or stdin so far. */
  diskRead(): number;
  /** Fills buf[off, off+len) with the next bytes; resolves 0 at the end. */
  fill(buf: Buffer, off: number, len: number): Promise<number>;
  /** Plain files: read the next piece on the thread pool while this one is parsed (when large enough to gain). */
  readAhead?(on: boolean): void;
  close(): Promise<void>;
  /** The raw bytes of stdin, kept when small, so that the whole-file reader can run on them after all. */
  replay(): Buffer | null;
  /** A fresh source over the same bytes, for a second pass (null for stdin). */
  reopen: (() => Promise<ByteSource>) | null;
  /** A plain regular file: its path. The reader's byte offsets are then offsets in this file (spill.ts captureTexts). */
  file?: string;
}

const STDIN_REPLAY_LIMIT = 64 * 1024 * 1024;
const INFLATE_CHUNK = 256 * 1024;

export interface SourceOptions {
  /** Decompress compressed files in a worker thread: 'auto' (default) when they are large (see inflate.ts). */
  inflateWorker?: 'auto' | 'always' | 'never';
}

export async function openSource(path: string, stdin: NodeJS.ReadableStream = process.stdin, opts: SourceOptions = {}): Promise<ByteSource> {
  const name = displayName(path);
  if (path === '-') return streamSource(name, stdin);
  let fh: FileHandle;
  let size: number;
  let regular: boolean;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, not a HAR file`);
    size = info.size;
    regular = info.isFile();
    fh = await open(path, 'r');
  } catch (err) {
    throw fileError(path, err);
  }
  // A named pipe (a shell's process substitution, `comet-inspect <(zcat big.har.gz)`) or a device has no size and
  // can be read only once: read it as stdin is read.
  if (!regular) return streamSource(name, fh.createReadStream({ highWaterMark: 1024 * 1024 }));
  if (size === 0) {
    await fh.close();
    throw new InputError(`${name}: the file is empty`);
  }
  const head = Buffer.alloc(Math.min(size, 4));
  await fh.read(head, 0, head.length, 0);
  const wrapping = sniffWrapping(head);
  const reopen = (): Promise<ByteSource> => openSource(path, stdin, opts);
  if (wrapping === 'plain') return { name, wrapping, total: size, diskTotal: size, ...plainFile(fh, size), replay: () => null, reopen, file: path };
  const inWorker = opts.inflateWorker ?? 'auto';
  if (inWorker === 'always' || (inWorker === 'auto' && size >= INFLATE_WORKER_FROM)) {
    const worker = inflateInWorker(path, wrapping, (message) => inflateError(name, wrapping, message));
    if (worker !== null) {
      await fh.close();
      return { name, wrapping, total: null, diskTotal: size, ...worker, replay: () => null, reopen };
    }
  }
  const raw = fh.createReadStream({ highWaterMark: 1024 * 1024 });
  return { ...inflating(name, wrapping, raw, size), reopen };
}

/** Bytes read ahead at a time; two pieces this size alternate. */
const AHEAD = 4 * 1024 * 1024;
/** Files smaller than this are always read synchronously. */
const AHEAD_FROM = 64 * 1024 * 1024;

/**
 * A plain file. Its pieces are read synchronously (from the page cache a read is a copy, and this saves a thread-pool
 * round trip per piece) until the reader turns on read-ahead, when no other thread of its own works beside it: then
 * the next piece is read on libuv's thread pool, on the other core, while the reader parses the one before. This VM
 * copied the page cache at ~2 GB/s, ~0.5 s of the reader's thread per GB; handing a piece over is a copy ten times
 * faster. With the projector thread at work (read.ts) the reads took its core and the run was slower (meta 1 GB:
 * 7.0–7.1 s against 6.1–6.6 s), so the reader leaves read-ahead off then.
 */
export function plainFile(fh: FileHandle, size: number, aheadFrom = AHEAD_FROM): Pick<ByteSource, 'diskRead' | 'fill' | 'close' | 'readAhead'> {
  let pos = 0;
  let ahead = false;
  /** The two pieces read ahead in turn, made when first needed. */
  const pieces: (Buffer | null)[] = [null, null];
  let next = 0;
  let inFlight: Promise<{ bytesRead: number; buffer: Buffer }> | null = null;
  const start = (): void => {
    const buffer = (pieces[next] ??= Buffer.allocUnsafeSlow(AHEAD));
    next = 1 - next;
    inFlight = fh.read(buffer, 0, buffer.length, pos + left);
  };
  let piece: Buffer | null = null;
  let at = 0;
  let left = 0;
  return {
    diskRead: () => pos,
    readAhead(on) {
      ahead = on && size >= aheadFrom;
    },
    async fill(buf, off, len) {
      if (len <= 0) return 0;
      if (left === 0 && inFlight === null && !ahead) {
        const bytesRead = readSync(fh.fd, buf, off, len, pos);
        pos += bytesRead;
        return bytesRead;
      }
      if (left === 0) {
        if (inFlight === null) start();
        const { bytesRead, buffer } = await inFlight!;
        inFlight = null;
        if (bytesRead === 0) return 0;
        piece = buffer;
        at = 0;
        left = bytesRead;
        // The other piece has been handed over whole: the next read can go into it now.
        if (ahead) start();
      }
      const n = Math.min(len, left);
      piece!.copy(buf, off, at, at + n);
      at += n;
      left -= n;
      pos += n;
      return n;
    },
    async close() {
      // A read still in flight must end before its file does.
      await inFlight?.catch(() => undefined);
      await fh.close();
    },
  };
}

function fileError(path: string, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${path}: permission denied`);
  if (code === 'EISDIR') return new InputError(`${path}: is a directory, not a HAR file`);
  return new InputError(`${path}: cannot be read (${code ?? (err as Error).message})`);
}

/** stdin: sniff the first bytes, then read through (and decompress when needed). */
async function streamSource(name: string, stdin: NodeJS.ReadableStream): Promise<ByteSource> {
  const it = (stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let keep = true;
  let read = 0;
  const first: Buffer[] = [];
  let firstLen = 0;
  let ended = false;
  while (firstLen < 4) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    first.push(b);
    firstLen += b.length;
  }
  if (firstLen === 0) throw new InputError(`${name}: the file is empty`);
  const remember = (b: Buffer): void => {
    read += b.length;
    if (!keep) return;
    if (keptBytes + b.length > STDIN_REPLAY_LIMIT) {
      keep = false;
      kept.length = 0;
      return;
    }
    kept.push(b);
    keptBytes += b.length;
  };
  for (const b of first) remember(b);
  const wrapping = sniffWrapping(Buffer.concat(first));
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const b of first) yield b;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      remember(b);
      yield b;
    }
  }
  const base = wrapping === 'plain' ? pieces(chunks()) : inflating(name, wrapping, Readable.from(chunks()), null);
  return {
    name,
    wrapping,
    total: null,
    diskTotal: null,
    diskRead: () => read,
    fill: base.fill,
    close: base.close,
    replay: () => (keep ? Buffer.concat(kept) : null),
    reopen: null,
  };
}

type Pieces = Pick<ByteSource, 'fill' | 'close'>;

/** Adapts a chunk iterator to fill(). */
function pieces(it: AsyncIterable<Buffer>, onError?: (err: Error) => never): Pieces {
  const iter = it[Symbol.asyncIterator]();
  let cur: Buffer | null = null;
  let at = 0;
  return {
    async fill(buf, off, len) {
      let n = 0;
      while (n < len) {
        if (cur === null || at >= cur.length) {
          if (n > 0) break; // hand back what we have rather than wait
          let r: IteratorResult<Buffer>;
          try {
            r = await iter.next();
          } catch (err) {
            if (onError) onError(err as Error);
            throw err;
          }
          if (r.done) return n;
          cur = r.value;
          at = 0;
          continue;
        }
        const take = Math.min(len - n, cur.length - at);
        cur.copy(buf, off + n, at, at + take);
        at += take;
        n += take;
      }
      return n;
    },
    async close() {
      await iter.return?.();
    },
  };
}

function inflateError(name: string, wrapping: Wrapping, message: string): InputError {
  return new InputError(`${name}: looks ${wrapping}-compressed but cannot be decompressed (${message})`);
}

/** Decompresses a stream. A stream cut off mid-write yields what is there, as the whole-file reader does. */
function inflating(name: string, wrapping: Exclude<Wrapping, 'plain'>, raw: Readable, diskTotal: number | null): ByteSource {
  const z = decompressor(wrapping, INFLATE_CHUNK);
  let disk = 0;
  raw.on('data', (b: Buffer) => {
    disk += b.length;
  });
  raw.on('error', (err) => z.destroy(err));
  raw.pipe(z);
  const src = pieces(z, (err) => {
    throw inflateError(name, wrapping, err.message);
  });
  return {
    name,
    wrapping,
    total: null,
    diskTotal,
    diskRead: () => disk,
    fill: src.fill,
    close: async () => {
      raw.destroy();
      z.destroy();
    },
    replay: () => null,
    reopen: null,
  };
}
