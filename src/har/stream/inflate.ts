// Decompression of a compressed capture file in a worker thread (inflate-worker.ts). Node's zlib streams run on the
// thread pool, but each output chunk needs a turn of this thread's event loop before the next one is made, and this
// thread spends its time parsing: measured on a 2-core machine (400 MB DevTools-style capture with bodies, gzip -6),
// reading through zlib here took 3.5–3.9 s while decompressing alone took 1.7 s and parsing the plain file 2.4–2.6 s.
// In a worker, decompression runs beside the parse instead of between its pieces.
import { Worker } from 'node:worker_threads';
import type { Wrapping } from '../source.js';
import { scriptNear } from './pool.js';

export interface InflateStart {
  path: string;
  wrapping: Exclude<Wrapping, 'plain'>;
  /** zlib's output chunk size. */
  chunk: number;
  /** Size of the pieces sent to this thread. */
  piece: number;
  /** Pieces sent and not yet read before the worker pauses. */
  ahead: number;
}

export type InflateReply = { kind: 'data'; bytes: Uint8Array; disk: number } | { kind: 'end'; disk: number } | { kind: 'error'; message: string };

/**
 * A piece read: its memory goes back to the worker to be filled again. A fresh 4 MB buffer per piece was external
 * memory that only a collection gave back: decompressing the 3 GB bodies bench capture peaked 130 MB above reading
 * the plain file.
 */
export interface InflateAck {
  ack: number;
  memory?: ArrayBuffer;
}

/** Compressed files at least this large are decompressed in a worker (below, the worker's start-up costs more). */
export const INFLATE_WORKER_FROM = 4 * 1024 * 1024;

export interface Inflater {
  diskRead(): number;
  fill(buf: Buffer, off: number, len: number): Promise<number>;
  close(): Promise<void>;
}

/** A worker decompressing `path`, or null when worker threads cannot be used here. */
export function inflateInWorker(path: string, wrapping: Exclude<Wrapping, 'plain'>, onError: (message: string) => Error): Inflater | null {
  const script = scriptNear('inflate-worker.js');
  if (script === null) return null;
  const start: InflateStart = { path, wrapping, chunk: 1024 * 1024, piece: 4 * 1024 * 1024, ahead: 3 };
  const worker = new Worker(script, { workerData: start });
  // Pieces received and not read yet: a handful at most, since the worker pauses with `ahead` of them unread.
  const queue: Uint8Array[] = [];
  let at = 0;
  let disk = 0;
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const rouse = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', (msg: InflateReply) => {
    if (msg.kind === 'data') {
      queue.push(msg.bytes);
      disk = msg.disk;
    } else if (msg.kind === 'end') {
      disk = msg.disk;
      ended = true;
    } else {
      failure = onError(msg.message);
      ended = true;
    }
    rouse();
  });
  worker.on('error', (err) => {
    failure ??= onError(err.message);
    ended = true;
    rouse();
  });
  worker.on('exit', () => {
    if (!ended) failure ??= onError('the decompressing thread stopped');
    ended = true;
    rouse();
  });
  return {
    diskRead: () => disk,
    async fill(buf, off, len) {
      let n = 0;
      while (n < len) {
        const cur = queue[0];
        if (cur === undefined) {
          if (n > 0) break; // hand back what we have rather than wait
          if (ended) {
            if (failure) throw failure;
            return 0;
          }
          await new Promise<void>((res) => (wake = res));
          continue;
        }
        const take = Math.min(len - n, cur.length - at);
        buf.set(cur.subarray(at, at + take), off + n);
        at += take;
        n += take;
        if (at === cur.length) {
          queue.shift();
          at = 0;
          const memory = cur.buffer as ArrayBuffer;
          const ack: InflateAck = { ack: 1, memory };
          worker.postMessage(ack, [memory]);
        }
      }
      return n;
    },
    async close() {
      ended = true;
      await worker.terminate();
    },
  };
}
