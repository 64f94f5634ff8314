import { readFile, stat } from 'node:fs/promises';
import { constants, createGunzip, createInflate, gunzipSync, inflateSync, inflateRawSync, type Gunzip, type Inflate } from 'node:zlib';
import { InputError } from './errors.js';

/** How the bytes of a capture were wrapped, as found from their content (not their name). */
export type Wrapping = 'plain' | 'gzip' | 'zlib';

export interface RawInput {
  /** The name shown to users: the path as given, or "stdin". */
  name: string;
  bytes: Buffer;
  wrapping: Wrapping;
}

const STDIN = '-';

export function displayName(path: string): string {
  return path === STDIN ? 'stdin' : path;
}

/**
 * Reads a capture's bytes from a path or stdin ("-") and undoes gzip/zlib compression, found by magic bytes.
 * `consumed`: the bytes, already read from stdin or a named pipe (which cannot be read twice).
 */
export async function readInput(path: string, stdin: NodeJS.ReadableStream = process.stdin, consumed?: Buffer): Promise<RawInput> {
  const name = displayName(path);
  const packed = consumed ?? (path === STDIN ? await readStream(stdin) : await readPath(path));
  if (packed.length === 0) throw new InputError(`${name}: the file is empty`);
  const wrapping = sniffWrapping(packed);
  let bytes: Buffer;
  try {
    bytes = wrapping === 'gzip' ? gunzipTolerant(packed) : wrapping === 'zlib' ? inflateTolerant(packed) : packed;
  } catch (err) {
    throw new InputError(`${name}: looks ${wrapping}-compressed but cannot be decompressed (${(err as Error).message})`);
  }
  if (bytes.length === 0) throw new InputError(`${name}: decompressed to nothing`);
  if (isZip(bytes)) {
    throw new InputError(`${name}: is a zip archive (Playwright's "attach" HAR?); unzip it and pass the .har inside`);
  }
  return { name, bytes, wrapping };
}

async function readPath(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(`${path}: is a directory, not a HAR file`);
    return await readFile(path);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(`${path}: permission denied`);
    if (code === 'EISDIR') throw new InputError(`${path}: is a directory, not a HAR file`);
    if (code === 'ERR_FS_FILE_TOO_LARGE') throw new InputError(`${path}: too large to read in one piece`);
    throw new InputError(`${path}: cannot be read (${code ?? (err as Error).message})`);
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

export function sniffWrapping(bytes: Buffer): Wrapping {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  // zlib header: CMF 0x78 (deflate, 32K window) and a FLG byte that makes CMF*256+FLG a multiple of 31.
  if (bytes.length >= 2 && bytes[0] === 0x78 && ((bytes[0] << 8) | bytes[1]) % 31 === 0) return 'zlib';
  return 'plain';
}

function isZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * A streaming decompressor (the streaming reader's, on this thread or in its decompressing worker). Like the
 * tolerant whole-file functions below, it yields what is there when the stream was cut off mid-write.
 */
export function decompressor(wrapping: Exclude<Wrapping, 'plain'>, chunkSize: number): Gunzip | Inflate {
  const opts = { chunkSize, finishFlush: constants.Z_SYNC_FLUSH };
  return wrapping === 'gzip' ? createGunzip(opts) : createInflate(opts);
}

// A compressed capture cut off mid-write still holds every entry before the cut: decompress what is there.
function gunzipTolerant(bytes: Buffer): Buffer {
  try {
    return gunzipSync(bytes);
  } catch {
    return gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  }
}

function inflateTolerant(bytes: Buffer): Buffer {
  try {
    return inflateSync(bytes);
  } catch {
    try {
      return inflateSync(bytes, { finishFlush: 2 });
    } catch {
      return inflateRawSync(bytes.subarray(2), { finishFlush: 2 });
    }
  }
}
