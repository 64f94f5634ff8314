// Worker thread: reads a compressed capture from disk and decompresses it, so that decompression runs on another
// core while the main thread parses (see inflate.ts). Output goes back in large pieces whose memory is transferred,
// never copied; the main thread acknowledges each piece by handing its memory back, to be filled again, and the
// worker pauses while too many are unread.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { decompressor } from '../source.js';
import type { InflateAck, InflateReply, InflateStart } from './inflate.js';
import { Shelf } from './shelf.js';

const start = workerData as InflateStart;
const port = parentPort!;
const raw = createReadStream(start.path, { highWaterMark: 1024 * 1024 });
const z = decompressor(start.wrapping, start.chunk);
let disk = 0;
let unread = 0;
/** Pieces' memory handed back by the main thread, to be filled again (no more than are ever in flight). */
const free = new Shelf(start.ahead + 1);
const fresh = (): Buffer => {
  const back = free.take(start.piece);
  return back !== undefined ? Buffer.from(back, 0, start.piece) : Buffer.allocUnsafeSlow(start.piece);
};
let piece = fresh();
let used = 0;

const send = (msg: InflateReply, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer);

function flush(): void {
  if (used === 0) return;
  // The piece owns its whole ArrayBuffer (allocUnsafeSlow, or one handed back), so it is handed over as it is, the
  // last one only partly filled; zlib's own output buffers are shared slices and are copied into it instead. (The
  // last piece used to be copied into a buffer of its own size, which under 4 KiB came from Node's shared pool: the
  // view sent started at the pool's first byte, not at the copy, and the end of the file came out wrong.)
  send({ kind: 'data', bytes: new Uint8Array(piece.buffer, piece.byteOffset, used), disk }, [piece.buffer as ArrayBuffer]);
  unread += 1;
  piece = fresh();
  used = 0;
  if (unread >= start.ahead) z.pause();
}

raw.on('data', (b: Buffer | string) => {
  disk += b.length;
});
raw.on('error', (err) => z.destroy(err));
z.on('data', (chunk: Buffer) => {
  let at = 0;
  while (at < chunk.length) {
    const take = Math.min(chunk.length - at, piece.length - used);
    chunk.copy(piece, used, at, at + take);
    used += take;
    at += take;
    if (used === piece.length) flush();
  }
});
z.on('end', () => {
  flush();
  send({ kind: 'end', disk });
});
z.on('error', (err) => {
  flush();
  send({ kind: 'error', message: err.message });
});
port.on('message', (msg: InflateAck) => {
  unread -= msg.ack;
  if (msg.memory !== undefined) free.put(msg.memory);
  if (unread < start.ahead && z.isPaused()) z.resume();
});
raw.pipe(z);
