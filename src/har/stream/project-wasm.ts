// The batch projector compiled to WebAssembly (native/projector.c): the same projection as project.ts, byte for
// byte, at several times its speed (the JS version walks every byte in JS; this one in compiled code with 16-byte
// string scanning). project.ts stays the reference and the fallback: this one gives up (null) wherever it is not
// sure to match it, and test/stream/wasm.test.ts holds the two to the same output.
import { isAscii } from 'node:buffer';
import { CUT_MIN, type Cut } from './project.js';
import { PROJECTOR_WASM } from './projector-wasm.js';
import { KEPT_HEADER_NAMES, KEPT_HEADER_PREFIXES } from './retain.js';

interface Exports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  project(input: number, len: number, out: number, outCap: number, cuts: number, cutCap: number, lean: number): number;
  keptBuffer(): number;
  setKept(len: number): void;
  resultCount(): number;
  resultCuts(): number;
  asciiText(input: number, len: number, out: number, cap: number): number;
}

/** Batches larger than this go to the JS projector: the module's memory never shrinks once grown. */
const MAX_BATCH = 32 * 1024 * 1024;
const FAIL = 0xffffffff;

let exports: Exports | null | undefined;

function instance(): Exports | null {
  if (exports !== undefined) return exports;
  try {
    const module = new WebAssembly.Module(Buffer.from(PROJECTOR_WASM, 'base64'));
    const ex = new WebAssembly.Instance(module, {}).exports as unknown as Exports;
    // The kept header names, then the kept prefixes: NUL-separated, each list ended by an empty name.
    const list = Buffer.from(`${KEPT_HEADER_NAMES.join('\0')}\0\0${KEPT_HEADER_PREFIXES.join('\0')}\0\0`, 'latin1');
    if (list.length > 1024) throw new Error('kept header list too long for the projector');
    new Uint8Array(ex.memory.buffer, ex.keptBuffer(), list.length).set(list);
    ex.setKept(list.length);
    exports = ex;
  } catch {
    // No WebAssembly (or SIMD) here: the JS projector does the work.
    exports = null;
  }
  return exports;
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Grows the module's memory to at least `bytes` (views of it made before are then detached). */
function reserve(w: Exports, bytes: number): void {
  const have = w.memory.buffer.byteLength;
  if (bytes > have) w.memory.grow(Math.ceil((bytes - have) / 65536));
}

/**
 * Projects a batch like projectEntries() in project.ts: `[projected entries]` as bytes (a view that the next call
 * overwrites) and the cut strings pushed on `cuts`; null when the JS projector must decide.
 */
export function projectEntriesWasm(bytes: Uint8Array, cuts: Cut[], lean: boolean): { text: Buffer; count: number } | null {
  if (bytes.length > MAX_BATCH) return null;
  const w = instance();
  if (w === null) return null;
  const n = bytes.length;
  const input = align(w.__heap_base.value as number, 16);
  const out = align(input + n, 16);
  const outCap = 2 * n + 4096;
  const cutAt = align(out + outCap, 8);
  const cutCap = Math.floor(n / CUT_MIN) + 16;
  const need = cutAt + cutCap * 8;
  reserve(w, need);
  new Uint8Array(w.memory.buffer, input, n).set(bytes);
  const len = w.project(input, n, out, outCap, cutAt, cutCap, lean ? 1 : 0) >>> 0;
  if (len === FAIL) return null;
  const k = w.resultCuts();
  const list = new Uint32Array(w.memory.buffer, cutAt, 2 * k);
  for (let i = 0; i < k; i += 1) cuts.push({ start: list[2 * i]!, end: list[2 * i + 1]! });
  const count = w.resultCount();
  const text = Buffer.from(w.memory.buffer, out, len);
  if (isAscii(text)) return { text, count };
  // The ASCII form (project.ts asciiText) goes after the cut list: at most three bytes for each byte.
  const asciiAt = align(need, 16);
  const room = 3 * len + 16;
  reserve(w, asciiAt + room);
  const ascii = w.asciiText(out, len, asciiAt, room) >>> 0;
  if (ascii === FAIL) return { text: Buffer.from(w.memory.buffer, out, len), count };
  return { text: Buffer.from(w.memory.buffer, asciiAt, ascii), count };
}
