// The fast projection of a batch of entries: one pass over the bytes that copies out only what normaliseEntry and
// the body reader read, so that JSON.parse sees a small fraction of the capture. It knows the shape of a HAR entry:
// at the entry, request and response levels every key not read later is skipped without building anything (the
// initiator stacks, cookies, query strings, security details, timings' private fields...); long body and payload
// strings are cut out and left for the body reader to decode from the bytes; and in lean mode each `headers` array
// is cut down to the kept headers at the byte level, with the header byte estimate of the whole list carried along
// under HEADER_BYTES_KEY (what normaliseEntry would have computed from the full list).
//
// It is strict about shape: anything it is not sure to handle exactly like JSON.parse would (a key with an escape,
// a repeated `headers` key, a header that is not an object of strings, an element that is not an object, a
// structural oddity) makes it give up on the batch (returns null), and the batch goes through the general path.
import { isAscii } from 'node:buffer';
import { KEPT_HEADER_NAMES, KEPT_HEADER_PREFIXES, keepHeader } from './retain.js';

/** Key under which a projected request or response carries [Σ(name + value + 4) over all headers, header count]. */
export const HEADER_BYTES_KEY = '\u0000hb';

/** A string cut out of a batch: the byte range of its content, decoded later by the body reader. */
export interface Cut {
  start: number;
  end: number;
}

/** Strings shorter than this are left to JSON.parse: cutting them costs more than it saves. (Every projector.) */
export const CUT_MIN = 128;

const SKIP = 0;
const KEEP = 1;
const CUT = 2;
const OBJECT = 3;
const HEADERS = 4;
const FRAMES = 5;

interface Schema {
  /** Action for keys not listed. */
  other: number;
  /** An object whose keys were all skipped still gets one (placeholder) key: readers may test for `{}`. */
  nonEmpty?: boolean;
  keys: Map<number, { key: Uint8Array; action: number; schema: Schema | null }[]>;
}

function schema(other: number, list: [string, number, Schema?][]): Schema {
  const keys: Schema['keys'] = new Map();
  for (const [name, action, sub] of list) {
    const key = Buffer.from(name, 'latin1');
    const h = keyHash(key, 0, key.length);
    const slot = keys.get(h) ?? [];
    slot.push({ key, action, schema: sub ?? null });
    keys.set(h, slot);
  }
  return { other, keys };
}

function keyHash(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 0) return 0;
  return (n << 16) | (b[s]! << 8) | b[e - 1]!;
}

const CONTENT = schema(KEEP, [['text', CUT]]);
// normaliseEntry reads these by name, and whether the object is empty ({} from Firefox).
const TIMINGS: Schema = {
  ...schema(SKIP, [
    ['blocked', KEEP],
    ['dns', KEEP],
    ['connect', KEEP],
    ['ssl', KEEP],
    ['send', KEEP],
    ['wait', KEEP],
    ['receive', KEEP],
  ]),
  nonEmpty: true,
};
const POST_DATA = schema(SKIP, [['text', CUT]]);
const FRAME = schema(KEEP, [['data', CUT]]);
const REQUEST = schema(SKIP, [
  ['url', KEEP],
  ['method', KEEP],
  ['httpVersion', KEEP],
  ['headersSize', KEEP],
  ['headers', HEADERS],
  ['postData', OBJECT, POST_DATA],
]);
const RESPONSE = schema(SKIP, [
  ['status', KEEP],
  ['statusText', KEEP],
  ['httpVersion', KEEP],
  ['bodySize', KEEP],
  ['headersSize', KEEP],
  ['_error', KEEP],
  ['_failureText', KEEP],
  ['_wasAborted', KEEP],
  ['headers', HEADERS],
  ['content', OBJECT, CONTENT],
]);
const ENTRY = schema(SKIP, [
  ['startedDateTime', KEEP],
  ['time', KEEP],
  ['timings', OBJECT, TIMINGS],
  ['_error', KEEP],
  ['_failureText', KEEP],
  ['_wasAborted', KEEP],
  ['_resourceType', KEEP],
  ['_was_pushed', KEEP],
  ['_wasPushed', KEEP],
  ['_fromCache', KEEP],
  ['_fetchType', KEEP],
  ['pageref', KEEP],
  ['connection', KEEP],
  ['request', OBJECT, REQUEST],
  ['response', OBJECT, RESPONSE],
  ['_webSocketMessages', FRAMES],
  ['_eventSourceMessages', FRAMES],
]);

class Bail extends Error {}
const BAIL = new Bail();

// The projector's state: the input, the output and where it is. One projection at a time per thread.
const EMPTY = Buffer.alloc(0);
let src: Buffer = EMPTY;
let n = 0;
let out: Buffer = Buffer.allocUnsafe(1 << 20);
let o = 0;
let lean = false;
let cutList: Cut[] = [];

function room(k: number): void {
  if (o + k <= out.length) return;
  let size = out.length * 2;
  while (size < o + k) size *= 2;
  const bigger = Buffer.allocUnsafe(size);
  bigger.set(out.subarray(0, o));
  out = bigger;
}

function copy(from: number, to: number): void {
  const k = to - from;
  room(k);
  if (k < 128) {
    const b = src;
    const w = out;
    let p = o;
    for (let j = from; j < to; j += 1) w[p++] = b[j]!;
    o = p;
  } else {
    src.copy(out, o, from, to);
    o += k;
  }
}

function put(c: number): void {
  if (o >= out.length) room(1);
  out[o++] = c;
}

function putAscii(s: string): void {
  room(s.length);
  for (let j = 0; j < s.length; j += 1) out[o++] = s.charCodeAt(j);
}

function ws(i: number): number {
  const b = src;
  const len = n;
  while (i < len) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i += 1;
  }
  return i;
}

/** Set by strEnd: whether the string it ended may hold an escape or a non-ASCII byte (0: plain ASCII). */
let special = 0;

/** `i` at an opening quote: the index just after the closing quote (bails when the string does not end). */
function strEnd(i: number): number {
  const b = src;
  let j = i + 1;
  const lim = Math.min(n, j + 96);
  let sp = 0;
  while (j < lim) {
    const c = b[j]!;
    if (c === 0x22) {
      special = sp;
      return j + 1;
    }
    if (c === 0x5c) {
      sp = 1;
      j += 2;
    } else {
      sp |= c & 0x80;
      j += 1;
    }
  }
  special = 1;
  if (j >= n) throw BAIL;
  for (;;) {
    const q = b.indexOf(0x22, j);
    if (q < 0) throw BAIL;
    let k = q - 1;
    while (k > i && b[k] === 0x5c) k -= 1;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** `i` at the start of any value: the index just after it. Checks bracket pairing, not the values themselves. */
function valEnd(i: number): number {
  const c = src[i];
  if (c === 0x22) return strEnd(i);
  if (c === 0x7b || c === 0x5b) return nestEnd(i);
  // A number, true, false or null: up to the next delimiter.
  if (c === undefined || !((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e)) throw BAIL;
  let j = i + 1;
  while (j < n) {
    const d = src[j]!;
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) return j;
    j += 1;
  }
  throw BAIL;
}

const stack = new Uint8Array(4096);

function nestEnd(i: number): number {
  const b = src;
  const len = n;
  const st = stack;
  let depth = 0;
  let j = i;
  while (j < len) {
    const c = b[j++]!;
    if (c === 0x22) {
      for (;;) {
        if (j >= len) throw BAIL;
        const d = b[j++]!;
        if (d === 0x22) break;
        if (d === 0x5c) j += 1;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (depth >= st.length) throw BAIL;
      st[depth++] = c;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0 || st[--depth] !== c - 2) throw BAIL; // '{'+2 = '}', '['+2 = ']'
      if (depth === 0) return j;
    }
  }
  throw BAIL;
}

/** Set by after(): whether the value was followed by the closing bracket (true) or by a comma (false). */
let closed = false;

/** After a value: past the comma and the whitespace after it, or at `close` (see `closed`); bails otherwise. */
function after(i: number, close: number): number {
  i = ws(i);
  const d = src[i];
  if (d === 0x2c) {
    closed = false;
    return ws(i + 1);
  }
  if (d !== close) throw BAIL;
  closed = true;
  return i;
}

function lookup(sc: Schema, s: number, e: number): { action: number; schema: Schema | null } | null {
  const slot = sc.keys.get(keyHash(src, s, e));
  if (slot === undefined) return null;
  outer: for (const k of slot) {
    const key = k.key;
    if (key.length !== e - s) continue;
    for (let j = 0; j < key.length; j += 1) if (src[s + j] !== key[j]) continue outer;
    return k;
  }
  return null;
}

function putKey(first: boolean, ks: number, ke: number): void {
  if (!first) put(0x2c);
  copy(ks, ke);
  put(0x3a);
}

/** `i` at `{`: emits the projected object; returns the index just after it. */
function object(i: number, sc: Schema): number {
  put(0x7b);
  let first = true;
  let sawHeaders = false;
  i = ws(i + 1);
  if (src[i] === 0x7d) {
    put(0x7d);
    return i + 1;
  }
  for (;;) {
    if (src[i] !== 0x22) throw BAIL;
    const ks = i;
    const ke = strEnd(i);
    if (special !== 0) throw BAIL; // an escaped or non-ASCII key
    const hit = lookup(sc, ks + 1, ke - 1);
    const action = hit === null ? sc.other : hit.action;
    i = ws(ke);
    if (src[i] !== 0x3a) throw BAIL;
    i = ws(i + 1);
    const vs = i;
    const c = src[i];
    switch (action) {
      case SKIP:
        i = valEnd(i);
        break;
      case CUT:
        i = valEnd(i);
        putKey(first, ks, ke);
        first = false;
        if (c === 0x22 && i - 1 - (vs + 1) >= CUT_MIN) {
          putAscii(`"\\u0000cut:${cutList.length}"`);
          cutList.push({ start: vs + 1, end: i - 1 });
        } else copy(vs, i);
        break;
      case OBJECT:
        putKey(first, ks, ke);
        first = false;
        if (c === 0x7b) i = object(i, hit!.schema!);
        else {
          i = valEnd(i);
          copy(vs, i);
        }
        break;
      case HEADERS:
        if (sawHeaders) throw BAIL;
        sawHeaders = true;
        putKey(first, ks, ke);
        first = false;
        if (lean && c === 0x5b) i = headers(i);
        else {
          i = valEnd(i);
          copy(vs, i);
        }
        break;
      case FRAMES:
        putKey(first, ks, ke);
        first = false;
        if (c === 0x5b) i = frames(i);
        else {
          i = valEnd(i);
          copy(vs, i);
        }
        break;
      default:
        i = valEnd(i);
        putKey(first, ks, ke);
        first = false;
        copy(vs, i);
    }
    i = after(i, 0x7d);
    if (!closed) continue;
    if (first && sc.nonEmpty === true) putAscii('"\\u0000":0');
    put(0x7d);
    return i + 1;
  }
}

function frames(i: number): number {
  put(0x5b);
  i = ws(i + 1);
  if (src[i] === 0x5d) {
    put(0x5d);
    return i + 1;
  }
  let first = true;
  for (;;) {
    if (!first) put(0x2c);
    first = false;
    if (src[i] === 0x7b) i = object(i, FRAME);
    else {
      const vs = i;
      i = valEnd(i);
      copy(vs, i);
    }
    i = after(i, 0x5d);
    if (!closed) continue;
    put(0x5d);
    return i + 1;
  }
}

const NAME = Buffer.from('name');
const VALUE = Buffer.from('value');
// First letters (lower case) of the kept headers and prefixes (retain.ts): other names are not decoded at all.
const MAY_KEEP = new Uint8Array(256);
for (const name of [...KEPT_HEADER_NAMES, ...KEPT_HEADER_PREFIXES]) {
  MAY_KEEP[name.charCodeAt(0)] = 1;
  MAY_KEEP[name.toUpperCase().charCodeAt(0)] = 1;
}

function isKey(s: number, e: number, key: Uint8Array): boolean {
  if (e - s !== key.length) return false;
  for (let j = 0; j < key.length; j += 1) if (src[s + j] !== key[j]) return false;
  return true;
}

/** Length in UTF-16 code units of the JSON string whose content is src[s, e) (what `.length` gives after parsing). */
function strLength(s: number, e: number): number {
  const b = src;
  let len = 0;
  for (let j = s; j < e; j += 1) {
    const c = b[j]!;
    if (c >= 0x80) return decodeString(s, e).length;
    if (c === 0x5c) {
      const d = b[j + 1];
      if (d === 0x75) {
        // \uXXXX is one code unit.
        for (let k = j + 2; k < j + 6; k += 1) if (HEX[b[k]!] !== 1) throw BAIL;
        j += 5;
      } else if (d === 0x22 || d === 0x5c || d === 0x2f || d === 0x62 || d === 0x66 || d === 0x6e || d === 0x72 || d === 0x74) j += 1;
      else throw BAIL;
    } else if (c < 0x20) throw BAIL;
    len += 1;
  }
  return len;
}

const HEX = new Uint8Array(256);
for (const ch of '0123456789abcdefABCDEF') HEX[ch.charCodeAt(0)] = 1;

const KEPT_NAMES = new Map<number, Uint8Array[]>();
for (const name of KEPT_HEADER_NAMES) {
  const key = Buffer.from(name, 'latin1');
  const h = keyHash(key, 0, key.length);
  KEPT_NAMES.set(h, [...(KEPT_NAMES.get(h) ?? []), key]);
}
const PREFIXES: Uint8Array[][] = Array.from({ length: 128 }, () => []);
for (const p of KEPT_HEADER_PREFIXES) PREFIXES[p.charCodeAt(0)]!.push(Buffer.from(p, 'latin1'));

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** keepHeader() on a plain ASCII name, without decoding it. */
function keepPlainName(s: number, e: number): boolean {
  const b = src;
  if (MAY_KEEP[b[s]!] !== 1) return false;
  for (const p of PREFIXES[lower(b[s]!)]!) {
    if (e - s < p.length) continue;
    let j = 0;
    while (j < p.length && lower(b[s + j]!) === p[j]) j += 1;
    if (j === p.length) return true;
  }
  const slot = KEPT_NAMES.get(((e - s) << 16) | (lower(b[s]!) << 8) | lower(b[e - 1]!));
  if (slot === undefined) return false;
  outer: for (const k of slot) {
    for (let j = 0; j < k.length; j += 1) if (lower(b[s + j]!) !== k[j]) continue outer;
    return true;
  }
  return false;
}

function decodeString(s: number, e: number): string {
  const b = src as Buffer;
  const raw = b.toString('utf8', s, e);
  if (b.subarray(s, e).indexOf(0x5c) < 0) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    throw BAIL;
  }
}

// What fastHeader found: name and value content ranges, and whether each may hold escapes or non-ASCII bytes.
let hNs = 0;
let hNe = 0;
let hVs = 0;
let hVe = 0;
let hNsp = 0;
let hVsp = 0;

/** `i` at `{`: a header written `{"name": "…", "value": "…"}` (any whitespace); the index after it, or -1 if not. */
function fastHeader(i: number): number {
  const b = src;
  let j = ws(i + 1);
  if (j + 8 > n || b[j] !== 0x22 || b[j + 1] !== 0x6e || b[j + 2] !== 0x61 || b[j + 3] !== 0x6d || b[j + 4] !== 0x65 || b[j + 5] !== 0x22) return -1;
  j = ws(j + 6);
  if (b[j] !== 0x3a) return -1;
  j = ws(j + 1);
  if (b[j] !== 0x22) return -1;
  let e = strEnd(j);
  hNs = j + 1;
  hNe = e - 1;
  hNsp = special;
  j = ws(e);
  if (b[j] !== 0x2c) return -1;
  j = ws(j + 1);
  if (j + 9 > n || b[j] !== 0x22 || b[j + 1] !== 0x76 || b[j + 2] !== 0x61 || b[j + 3] !== 0x6c || b[j + 4] !== 0x75 || b[j + 5] !== 0x65 || b[j + 6] !== 0x22) return -1;
  j = ws(j + 7);
  if (b[j] !== 0x3a) return -1;
  j = ws(j + 1);
  if (b[j] !== 0x22) return -1;
  e = strEnd(j);
  hVs = j + 1;
  hVe = e - 1;
  hVsp = special;
  j = ws(e);
  if (b[j] !== 0x7d) return -1;
  return j + 1;
}

/** `i` at the `[` of a headers array in lean mode: emits the kept headers and the carried byte estimate. */
function headers(i: number): number {
  put(0x5b);
  let count = 0;
  let sum = 0;
  let firstKept = true;
  i = ws(i + 1);
  if (src[i] === 0x5d) i += 1;
  else {
    for (;;) {
      if (src[i] !== 0x7b) throw BAIL;
      const hs = i;
      let ns = -1;
      let ne = -1;
      let vs = -1;
      let ve = -1;
      let nameSpecial = 0;
      let valueSpecial = 0;
      const fe = fastHeader(i);
      if (fe >= 0) {
        ns = hNs;
        ne = hNe;
        vs = hVs;
        ve = hVe;
        nameSpecial = hNsp;
        valueSpecial = hVsp;
        i = fe;
      } else {
      i = ws(i + 1);
      if (src[i] !== 0x7d) {
        for (;;) {
          if (src[i] !== 0x22) throw BAIL;
          const ks = i + 1;
          const ke = strEnd(i) - 1;
          if (special !== 0) throw BAIL;
          i = ws(ke + 1);
          if (src[i] !== 0x3a) throw BAIL;
          i = ws(i + 1);
          const at = i;
          i = valEnd(i);
          if (isKey(ks, ke, NAME)) {
            if (ns >= 0 || src[at] !== 0x22) throw BAIL;
            ns = at + 1;
            ne = i - 1;
            nameSpecial = special;
          } else if (isKey(ks, ke, VALUE)) {
            if (vs >= 0 || src[at] !== 0x22) throw BAIL;
            vs = at + 1;
            ve = i - 1;
            valueSpecial = special;
          }
          i = after(i, 0x7d);
          if (closed) break;
        }
      }
      i += 1;
      }
      count += 1;
      let nameLen = 0;
      let keep = false;
      if (ns >= 0) {
        if (nameSpecial === 0) {
          nameLen = ne - ns;
          keep = ne > ns && keepPlainName(ns, ne);
        } else {
          const name = decodeString(ns, ne);
          nameLen = name.length;
          keep = keepHeader(name);
        }
      }
      sum += nameLen + (vs < 0 ? 0 : valueSpecial === 0 ? ve - vs : strLength(vs, ve)) + 4;
      if (keep) {
        if (!firstKept) put(0x2c);
        firstKept = false;
        copy(hs, i);
      }
      i = after(i, 0x5d);
      if (!closed) continue;
      i += 1;
      break;
    }
  }
  put(0x5d);
  putAscii(`,"\\u0000hb":[${sum},${count}]`);
  return i;
}

/**
 * Projects a batch (entries separated by commas): returns `[projected entries]` as bytes (a view of a buffer that is
 * reused by the next call), or null when the batch needs the general path. `cuts` receives the cut strings.
 */
export function projectEntries(bytes: Uint8Array, cuts: Cut[], leanMode: boolean): { text: Buffer; count: number } | null {
  src = Buffer.isBuffer(bytes) ? (bytes as Buffer) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  n = bytes.length;
  o = 0;
  lean = leanMode;
  cutList = cuts;
  let count = 0;
  try {
    put(0x5b);
    let i = ws(0);
    if (i < n) {
      for (;;) {
        if (src[i] !== 0x7b) throw BAIL;
        if (count > 0) put(0x2c);
        i = object(i, ENTRY);
        count += 1;
        i = ws(i);
        if (i >= n) break;
        if (src[i] !== 0x2c) throw BAIL;
        i = ws(i + 1);
        if (i >= n) throw BAIL;
      }
    }
    put(0x5d);
  } catch (err) {
    if (err !== BAIL) throw err;
    cuts.length = 0;
    return null;
  } finally {
    src = EMPTY;
  }
  return { text: asciiText(out.subarray(0, o)), count };
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const ESCAPED_KEEP = 8 * 1024 * 1024;
let escaped: Buffer = Buffer.allocUnsafe(1 << 16);

/**
 * The projection as ASCII: every UTF-8 sequence written as a \u escape (a surrogate pair above U+FFFF). A projection
 * holds non-ASCII bytes only inside strings, so JSON.parse reads the same values; but JS makes a one-byte string of
 * ASCII by a plain copy, where decoding UTF-8 into a two-byte string cost more than parsing the whole projection,
 * and JSON.parse reads one-byte text faster. Text without a byte >= 0x80, or with invalid UTF-8 (a decoder's
 * replacement characters are not ours to guess), is returned as it is. The result may be a view that the next call
 * overwrites. (native/projector.c asciiText() does the same.)
 */
export function asciiText(text: Buffer): Buffer {
  if (isAscii(text)) return text;
  const len = text.length;
  // Room for the worst case (three bytes for each byte); kept for the next batch unless it is unusually large.
  const room = 3 * len + 16;
  if (escaped.length < room && room <= ESCAPED_KEEP) escaped = Buffer.allocUnsafe(room);
  const w = escaped.length >= room ? escaped : Buffer.allocUnsafe(room);
  let k = 0;
  let i = 0;
  const unit = (cp: number): void => {
    w[k] = 0x5c;
    w[k + 1] = 0x75;
    w[k + 2] = HEX_DIGITS[(cp >> 12) & 15]!;
    w[k + 3] = HEX_DIGITS[(cp >> 8) & 15]!;
    w[k + 4] = HEX_DIGITS[(cp >> 4) & 15]!;
    w[k + 5] = HEX_DIGITS[cp & 15]!;
    k += 6;
  };
  while (i < len) {
    let j = i;
    while (j < len && text[j]! < 0x80) j += 1;
    text.copy(w, k, i, j);
    k += j - i;
    if (j >= len) break;
    const c = text[j]!;
    let need: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) (need = 1), (cp = c & 0x1f);
    else if (c >= 0xe0 && c <= 0xef) (need = 2), (cp = c & 0x0f);
    else if (c >= 0xf0 && c <= 0xf4) (need = 3), (cp = c & 0x07);
    else return text;
    if (j + need >= len) return text;
    for (let q = 1; q <= need; q += 1) {
      const t = text[j + q]!;
      if ((t & 0xc0) !== 0x80) return text;
      cp = (cp << 6) | (t & 0x3f);
    }
    if ((need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff))) return text;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xd800 + (cp >> 10));
      unit(0xdc00 + (cp & 0x3ff));
    } else unit(cp);
    i = j + need + 1;
  }
  return w.subarray(0, k);
}
