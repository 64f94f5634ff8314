// Turns a batch of raw entry bytes into normalised exchanges. Runs in a worker thread or inline.
//
// The batch is a run of complete entries as they stand in the file (JSON values separated by commas and whitespace).
// JSON.parse sees only a projection of it:
// - normally the fast projection (project.ts): one pass over the bytes that keeps only the values normaliseEntry
//   and the body reader read, cuts long bodies and payloads out, and in lean mode cuts each headers list down to
//   the kept headers while carrying the full list's byte estimate; the same projection compiled to WebAssembly
//   (project-wasm.ts) runs first, and project.ts takes the batches it gives up on;
// - when that gives up on a batch (a shape it cannot be sure to read exactly like JSON.parse), the general one
//   below: one regular-expression pass over a latin1 view of the bytes (positions are byte offsets) that takes out
//   values analysis never reads (`_initiator`, `cache`, `cookies`, `queryString`: replaced by 0) and long strings
//   under the keys `text` and `data` (replaced by a marker); lean headers are then trimmed after normalising.
// Cut strings are decoded straight from the bytes afterwards, and only up to the cap in lean mode (where the reader's
// own thread parses a lean batch, long ones go to the spill file undecoded: spill.ts putRaw). What remains is small
// and is parsed by V8's JSON.parse, which is much faster than any parser written in JS.
import { isAscii } from 'node:buffer';
import type { CaptureWarning } from '../../model.js';
import { parseHarDate } from '../dates.js';
import { normaliseEntry, type NormaliseContext, type PartialExchange } from '../normalise.js';
import { WarningCollector } from '../warnings.js';
import { CUT_MIN, projectEntries, type Cut } from './project.js';
import { projectEntriesWasm } from './project-wasm.js';
import { safeEnd, unescapeJson } from './json-text.js';
import type { TextKind } from './probes.js';
import type { SpilledText, SpillFile } from './spill.js';
import { BODY_CAP, FRAME_CAP, isAsset, isStaticUrl, isStreamingMime, leanHeaders, type Retention } from './retain.js';

/** A string the streaming scanner cut while reading because it was longer than the cap: its first bytes and its length. */
export interface CappedString {
  prefix: Uint8Array;
  rawLength: number;
}

export interface Batch {
  /** Position of the batch among the batches of one capture. */
  seq: number;
  bytes: Uint8Array;
  capped: CappedString[];
  retention: Retention;
  input: number;
  /**
   * Start time of the entry before this batch (file order), for entries without a usable date; null when there is
   * none; undefined when not known yet (batches read in parallel): such leading entries are handed back unnormalised.
   */
  previousStart?: number | null;
  /**
   * The batch's fast projection made elsewhere (a worker thread: see projectBatch), or null when the fast
   * projectors gave up on it; undefined when it has not been made yet.
   */
  projected?: Projected | null;
  /** The bytes are the start of an ArrayBuffer the batch owns: a worker is handed the whole buffer, not a copy. */
  owned?: boolean;
  /** Memory the projector may write the projection into (handed to it and back, to be used again). */
  into?: ArrayBuffer;
  /**
   * Where long texts of a lean batch go as they stand in its bytes, undecoded (SpillFile.putRaw), when the batch is
   * parsed on the thread that owns the file; elsewhere they are decoded, and spilled by that thread afterwards.
   */
  spill?: SpillFile | null;
  /**
   * With `spill`: a store over the capture file (spill.ts captureTexts) and the file offset of the batch's first
   * byte. Long texts cut from the batch's bytes are then referred to where they stand in the capture, not copied.
   */
  origin?: { store: SpillFile; at: number } | null;
  /** File offset of the batch's first byte, where the reader knows it (batches cut by its fast path). */
  at?: number;
}

/** What the fast projectors make of a batch, in a form that can be handed from one thread to another. */
export interface Projected {
  /** `[projected entries]`. */
  text: Uint8Array;
  /** Start and end offsets of each cut string, in pairs. */
  cuts: Uint32Array;
}

export interface BatchResult {
  seq: number;
  /** Elements in the batch, objects or not (each takes a place in file order). */
  count: number;
  /** Exchanges with `order` relative to the batch. */
  partials: PartialExchange[];
  /** Leading elements that need the previous entry's start (no usable date), parsed but not normalised. */
  deferred: unknown[];
  /** Warnings in the order they were first met. */
  warnings: CaptureWarning[];
  /** Start of the last normalised entry, or undefined when every element was deferred or not an entry. */
  lastStart: number | null | undefined;
  /** Elements that are objects (what a truncated capture counts as recovered entries). */
  objects: number;
  /** Whether the batch was read lean (deferred entries are trimmed the same way). */
  lean: boolean;
  /** Whether the entries went through the fast projection (deferred entries carry their header estimates). */
  projected: boolean;
  bytes: number;
  /** Whether some texts went to the spill file as they stood (Batch.spill). */
  spilled: boolean;
}

export class BatchSyntaxError extends Error {
  constructor(
    message: string,
    readonly seq: number,
  ) {
    super(message);
    this.name = 'BatchSyntaxError';
  }
}

const MARK_CUT = '\u0000cut:';
const MARK_CAP = '\u0000cap:';

// Keys whose values no stage reads (skipped), and keys whose long string values are bodies or payloads (cut).
const KEYS = /"(text|data|_initiator|cookies|queryString|cache)"[ \t\r\n]*:[ \t\r\n]*([[{"])/g;

/**
 * Parses and normalises one batch. Throws BatchSyntaxError when the bytes are not valid JSON. `projection` picks
 * the projector (tests): the WebAssembly one with the JS one behind it (default), the JS one only, or none.
 */
export function processBatch(batch: Batch, opts: { projection?: boolean | 'js' } = {}): BatchResult {
  const { bytes } = batch;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let cuts: Cut[] = [];
  const lean = batch.retention === 'lean';
  let fast: { text: Buffer } | null;
  if (batch.projected !== undefined) {
    fast = batch.projected && { text: Buffer.from(batch.projected.text.buffer, batch.projected.text.byteOffset, batch.projected.text.byteLength) };
    if (batch.projected) cuts = cutsOf(batch.projected.cuts);
  } else {
    fast = batch.capped.length === 0 && opts.projection !== false ? fastProjection(buf, cuts, lean, opts.projection === 'js') : null;
  }
  const text = fast !== null ? decode(fast.text) : project(buf, cuts);
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (err) {
    throw new BatchSyntaxError((err as Error).message.slice(0, 120), batch.seq);
  }
  const entries = list as unknown[];
  const warnings = new WarningCollector();
  const spill = lean ? (batch.spill ?? null) : null;
  const body = new BodyReader(buf, cuts, batch.capped, lean, warnings, spill, spill !== null ? (batch.origin ?? null) : null);
  const ctx: NormaliseContext = { input: batch.input, warnings, previousStart: batch.previousStart ?? null, carriedHeaderBytes: fast !== null };
  const partials: PartialExchange[] = [];
  const deferred: unknown[] = [];
  let deferring = batch.previousStart === undefined;
  let lastStart: number | null | undefined;
  let objects = 0;
  for (const raw of entries) {
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) objects += 1;
    body.resolve(raw);
  }
  body.restoreStragglers(entries);
  for (let i = 0; i < entries.length; i += 1) {
    const raw = entries[i];
    if (deferring) {
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && parseHarDate((raw as Record<string, unknown>)['startedDateTime'])) {
        deferring = false;
      } else {
        deferred.push(raw);
        continue;
      }
    }
    const ex = normaliseEntry(raw, i, ctx);
    if (ex) {
      lastStart = ex.start;
      if (lean) {
        ex.requestHeaders = leanHeaders(ex.requestHeaders);
        ex.responseHeaders = leanHeaders(ex.responseHeaders);
      }
      partials.push(ex);
    }
    entries[i] = undefined;
  }
  return { seq: batch.seq, count: entries.length, partials, deferred, warnings: warnings.list(), lastStart, bytes: bytes.byteLength, objects, lean, projected: fast !== null, spilled: body.spilled };
}

/**
 * The fast projection of a batch of complete entries (no capped strings), as processBatch would make it, in memory
 * of its own (the WebAssembly projector's output is a view that its next call overwrites): the batch's `into`
 * buffer when it is large enough; null when the fast projectors give up on it and processBatch must use the
 * general one.
 */
export function projectBatch(batch: Batch): Projected | null {
  const { bytes } = batch;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cuts: Cut[] = [];
  const lean = batch.retention === 'lean';
  const fast = fastProjection(buf, cuts, lean, false);
  if (fast === null) return null;
  const pairs = new Uint32Array(cuts.length * 2);
  cuts.forEach((c, i) => {
    pairs[2 * i] = c.start;
    pairs[2 * i + 1] = c.end;
  });
  const n = fast.text.length;
  const memory = batch.into !== undefined && batch.into.byteLength >= n ? batch.into : new ArrayBuffer(Math.max(n, PROJECTION_BYTES));
  const text = new Uint8Array(memory, 0, n);
  text.set(fast.text);
  return { text, cuts: pairs };
}

/** The WebAssembly projector, with the JS one behind it (or the JS one alone); null when both give up. */
function fastProjection(buf: Buffer, cuts: Cut[], lean: boolean, jsOnly: boolean): { text: Buffer } | null {
  return (jsOnly ? null : projectEntriesWasm(buf, cuts, lean)) ?? projectEntries(buf, cuts, lean);
}

/** The least memory a projection is given (room for what most batches of small entries project to). */
const PROJECTION_BYTES = 512 * 1024;

function cutsOf(pairs: Uint32Array): Cut[] {
  const cuts: Cut[] = [];
  for (let i = 0; i < pairs.length; i += 2) cuts.push({ start: pairs[i]!, end: pairs[i + 1]! });
  return cuts;
}

/** Builds the text JSON.parse sees: `[` + the batch with skipped and cut values taken out + `]`. */
function project(buf: Buffer, cuts: Cut[]): string {
  const view = buf.toString('latin1');
  const pieces: Buffer[] = [OPEN];
  let kept = 0;
  let from = 0;
  const re = new RegExp(KEYS.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(view)) !== null) {
    const valueAt = re.lastIndex - 1;
    const key = m[1]!;
    if (key === 'text' || key === 'data') {
      if (m[2] !== '"') continue;
      const end = stringEnd(buf, valueAt + 1);
      if (end < 0) break; // unterminated: let JSON.parse report it
      re.lastIndex = end + 1;
      if (end - (valueAt + 1) < CUT_MIN) continue;
      pieces.push(buf.subarray(from, valueAt), markerBytes(MARK_CUT, cuts.length));
      kept += valueAt - from;
      cuts.push({ start: valueAt + 1, end });
      from = end + 1;
    } else {
      if (m[2] === '"') continue;
      const end = valueEnd(buf, valueAt);
      if (end < 0) break;
      re.lastIndex = end;
      pieces.push(buf.subarray(from, valueAt), ZERO);
      kept += valueAt - from;
      from = end;
    }
  }
  if (from === 0) {
    // Nothing taken out: decode in place.
    return `[${decode(buf)}]`;
  }
  pieces.push(buf.subarray(from), CLOSE);
  kept += buf.length - from;
  const joined = Buffer.concat(pieces);
  return decode(joined);
}

const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');
const ZERO = Buffer.from('0');

function markerBytes(mark: string, n: number): Buffer {
  return Buffer.from(JSON.stringify(mark + n));
}

function decode(buf: Buffer): string {
  // latin1 is a plain copy; it is only right when every byte is ASCII, which most captures are outside bodies.
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

/** Offset of the closing quote of the string whose content starts at `from`, or -1. */
export function stringEnd(buf: Uint8Array, from: number): number {
  const n = buf.length;
  let i = from;
  const lim = Math.min(n, from + 256);
  while (i < lim) {
    const c = buf[i]!;
    if (c === 0x22) return i;
    i += c === 0x5c ? 2 : 1;
  }
  if (i >= n) return -1;
  // Long string: let the native search jump to each quote, and count the backslashes before it.
  const b = buf as Buffer;
  for (;;) {
    const q = b.indexOf(0x22, i);
    if (q < 0) return -1;
    let k = q - 1;
    while (k >= from && buf[k] === 0x5c) k -= 1;
    if ((q - 1 - k) % 2 === 0) return q;
    i = q + 1;
  }
}

/** Offset just after the object or array that starts at `from`, or -1 when it does not end in the buffer. */
export function valueEnd(buf: Uint8Array, from: number): number {
  const n = buf.length;
  let depth = 0;
  let i = from;
  while (i < n) {
    const c = buf[i++]!;
    if (c === 0x22) {
      while (i < n) {
        const d = buf[i++]!;
        if (d === 0x22) break;
        if (d === 0x5c) i += 1;
      }
    } else if (c === 0x7b || c === 0x5b) depth += 1;
    else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
}

/** Puts the bodies back where analysis reads them, keeping what the retention allows. */
class BodyReader {
  private resolved = 0;
  private readonly markers: number;
  /** Whether a text went to the spill file as it stood. */
  spilled = false;

  constructor(
    private readonly buf: Buffer,
    private readonly cuts: Cut[],
    private readonly capped: CappedString[],
    private readonly lean: boolean,
    private readonly warnings: WarningCollector,
    private readonly spill: SpillFile | null,
    private readonly origin: { store: SpillFile; at: number } | null = null,
  ) {
    this.markers = cuts.length + capped.length;
  }

  resolve(raw: unknown): void {
    if (this.markers === 0) return;
    const entry = obj(raw);
    if (!entry) return;
    const request = obj(entry['request']);
    const response = obj(entry['response']);
    const content = obj(response?.['content']);
    const cap = this.lean ? BODY_CAP : Infinity;
    if (content && typeof content['text'] === 'string') {
      const mime = typeof content['mimeType'] === 'string' ? content['mimeType'] : '';
      const type = typeof entry['_resourceType'] === 'string' ? entry['_resourceType'] : '';
      const url = typeof request?.['url'] === 'string' ? (request['url'] as string) : '';
      const drop = this.lean && (content['text'] as string).charCodeAt(0) === 0 && (isAsset(type, mime) || (!isStreamingMime(mime) && isStaticUrl(url)));
      // A base64 body is decoded as soon as it is normalised: spilled raw, it would be read straight back.
      const base64 = typeof content['encoding'] === 'string' && content['encoding'].toLowerCase() === 'base64';
      content['text'] = this.value(content['text'] as string, drop ? 0 : cap, 'body', !base64);
    }
    const post = obj(request?.['postData']);
    if (post && typeof post['text'] === 'string') post['text'] = this.value(post['text'] as string, cap, 'body', true);
    for (const key of ['_webSocketMessages', '_eventSourceMessages']) {
      const list = entry[key];
      if (!Array.isArray(list)) continue;
      // Exported SSE events are few and short-lived in captures: decoded, as normalise reads them.
      const raw = key === '_webSocketMessages';
      for (const f of list) {
        const o = obj(f);
        if (o && typeof o['data'] === 'string') o['data'] = this.value(o['data'] as string, this.lean ? FRAME_CAP : Infinity, 'frame', raw);
      }
    }
  }

  /** A long text/data string somewhere else (an exporter's own field, a non-object entry): restore it wherever it is. */
  restoreStragglers(entries: unknown[]): void {
    if (this.resolved < this.markers) this.walk(entries);
  }

  private walk(v: unknown): void {
    const cap = this.lean ? BODY_CAP : Infinity;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        const x = v[i];
        if (typeof x === 'string') v[i] = this.value(x, cap, 'body');
        else if (x !== null && typeof x === 'object') this.walk(x);
      }
    } else if (v !== null && typeof v === 'object') {
      const o = v as Obj;
      for (const k of Object.keys(o)) {
        const x = o[k];
        if (typeof x === 'string') o[k] = this.value(x, cap, 'body');
        else if (x !== null && typeof x === 'object') this.walk(x);
      }
    }
  }

  /**
   * The string a marker stands for (other strings are returned as they are); null when dropped (cap 0). With a
   * spill file, a long one that may go there `raw` goes as it stands in the bytes instead.
   */
  private value(s: string, cap: number, what: TextKind, raw = false): string | SpilledText | null {
    if (s.length < 6 || s.charCodeAt(0) !== 0) return s;
    let prefix: Uint8Array;
    let start: number;
    let end: number;
    let rawLength: number;
    if (s.startsWith(MARK_CUT)) {
      const cut = this.cuts[Number(s.slice(MARK_CUT.length))];
      if (!cut) return s;
      prefix = this.buf;
      start = cut.start;
      end = cut.end;
      rawLength = end - start;
    } else if (s.startsWith(MARK_CAP)) {
      const c = this.capped[Number(s.slice(MARK_CAP.length))];
      if (!c) return s;
      prefix = c.prefix;
      start = 0;
      end = c.prefix.length;
      rawLength = c.rawLength;
    } else return s;
    this.resolved += 1;
    if (cap === 0) return null;
    let cutShort = rawLength > end - start;
    if (end - start > cap) {
      end = safeEnd(prefix, start, start + cap);
      cutShort = true;
    }
    if (cutShort) {
      this.warnings.add(
        what === 'body' ? 'body-capped' : 'frame-capped',
        what === 'body'
          ? `bodies over ${BODY_CAP / 1024 / 1024} MiB were cut to their first ${BODY_CAP / 1024 / 1024} MiB (large capture: memory is bounded)`
          : `WebSocket/SSE payloads over ${FRAME_CAP / 1024} KiB were cut to their first ${FRAME_CAP / 1024} KiB (large capture: memory is bounded)`,
      );
    }
    if (this.spill !== null && raw) {
      const t =
        this.origin !== null && prefix === this.buf
          ? (this.origin.store.refer(prefix, start, end, this.origin.at + start, what) ?? this.spill.putRaw(prefix, start, end, what))
          : this.spill.putRaw(prefix, start, end, what);
      if (t !== null) {
        this.spilled = true;
        return t;
      }
    }
    return unescapeJson(prefix, start, end);
  }
}

