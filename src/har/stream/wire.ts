// How worker threads hand exchanges back: a compact form instead of structured clones of many small objects.
// Numbers go in one Float64Array (transferred, not copied); strings in one table, each string once per batch; the
// main thread rebuilds the exchanges, sharing header objects and short strings across the whole run (captures
// repeat the same headers, methods and types on every entry, so memory stays bounded by what is distinct).
// Null numbers and strings are written as NaN (no real value here is NaN: normalise keeps only finite numbers).
import type { ExportedSseEvent, Header, Timings, WsFrame } from '../../model.js';
import type { PartialExchange } from '../normalise.js';
import { internHeader, internString } from './intern.js';

export interface WireExchanges {
  count: number;
  strings: string[];
  nums: Float64Array;
}

const TIMING_KEYS = ['blocked', 'dns', 'connect', 'ssl', 'send', 'wait', 'receive'] as const;

export function encodeExchanges(list: PartialExchange[]): WireExchanges {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  let nums = new Float64Array(Math.max(64, list.length * 48));
  let k = 0;
  const room = (m: number): void => {
    if (k + m <= nums.length) return;
    const bigger = new Float64Array(Math.max(nums.length * 2, k + m));
    bigger.set(nums.subarray(0, k));
    nums = bigger;
  };
  const num = (v: number | null): void => {
    nums[k++] = v === null ? NaN : v;
  };
  const str = (s: string | null): void => {
    if (s === null) {
      nums[k++] = NaN;
      return;
    }
    let id = ids.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      ids.set(s, id);
    }
    nums[k++] = id;
  };
  const headers = (h: Header[]): void => {
    room(1 + h.length * 2);
    nums[k++] = h.length;
    for (const x of h) {
      str(x.name);
      str(x.value);
    }
  };
  for (const p of list) {
    room(32);
    num(p.order);
    num(p.input);
    num(p.start);
    num(p.end);
    num(p.duration);
    num(p.status);
    num(p.requestHeaderBytes);
    num(p.responseHeaderBytes);
    num(p.responseBodyBytes);
    num((p.startGuessed ? 1 : 0) | (p.durationKnown ? 2 : 0) | (p.pushed ? 4 : 0) | (p.fromCache ? 8 : 0));
    const t = p.timings;
    for (const key of TIMING_KEYS) num(t[key]);
    str(p.method);
    str(p.url);
    str(p.statusText);
    str(p.state);
    str(p.error);
    str(p.httpVersion);
    str(p.resourceType);
    str(p.mimeType);
    str(p.requestBody as string | null); // texts are spilled on the main thread, after this hand-over
    str(p.responseBody as string | null);
    str(p.pageref);
    str(p.connection);
    headers(p.requestHeaders);
    headers(p.responseHeaders);
    const ws = p.wsFrames;
    room(1);
    if (ws === null) nums[k++] = NaN;
    else {
      nums[k++] = ws.length;
      room(ws.length * 4);
      for (const f of ws) {
        num(f.time);
        nums[k++] = f.direction === 'send' ? 1 : 0;
        num(f.opcode);
        str(f.data);
      }
    }
    const sse = p.sseEvents;
    room(1);
    if (sse === null) nums[k++] = NaN;
    else {
      nums[k++] = sse.length;
      room(sse.length * 4);
      for (const e of sse) {
        num(e.time);
        str(e.event);
        str(e.data);
        str(e.id);
      }
    }
  }
  return { count: list.length, strings, nums: nums.slice(0, k) };
}

export function decodeExchanges(w: WireExchanges): PartialExchange[] {
  const { nums } = w;
  // Short strings are shared run-wide; long ones (URLs, bodies) are used as they come.
  const table = w.strings.map(internString);
  const out: PartialExchange[] = new Array(w.count);
  let k = 0;
  const num = (): number | null => {
    const v = nums[k++]!;
    return Number.isNaN(v) ? null : v;
  };
  const str = (): string | null => {
    const v = nums[k++]!;
    return Number.isNaN(v) ? null : table[v]!;
  };
  const headerCache = new Map<number, Header>();
  const headers = (): Header[] => {
    const n = nums[k++]!;
    const list: Header[] = new Array(n);
    for (let i = 0; i < n; i += 1) {
      const a = nums[k++]!;
      const b = nums[k++]!;
      const key = a * 4194304 + b;
      let h = headerCache.get(key);
      if (h === undefined) {
        h = internHeader(table[a]!, table[b]!);
        headerCache.set(key, h);
      }
      list[i] = h;
    }
    return list;
  };
  for (let i = 0; i < w.count; i += 1) {
    const order = nums[k++]!;
    const input = nums[k++]!;
    const start = nums[k++]!;
    const end = nums[k++]!;
    const duration = nums[k++]!;
    const status = nums[k++]!;
    const requestHeaderBytes = nums[k++]!;
    const responseHeaderBytes = nums[k++]!;
    const responseBodyBytes = nums[k++]!;
    const flags = nums[k++]!;
    const timings: Timings = { blocked: num(), dns: num(), connect: num(), ssl: num(), send: num(), wait: num(), receive: num() };
    const method = str()!;
    const url = str()!;
    const statusText = str()!;
    const state = str() as PartialExchange['state'];
    const error = str();
    const httpVersion = str()!;
    const resourceType = str();
    const mimeType = str()!;
    const requestBody = str();
    const responseBody = str();
    const pageref = str();
    const connection = str();
    const requestHeaders = headers();
    const responseHeaders = headers();
    let wsFrames: WsFrame[] | null = null;
    const nf = nums[k++]!;
    if (!Number.isNaN(nf)) {
      wsFrames = new Array(nf);
      for (let j = 0; j < nf; j += 1) {
        const time = nums[k++]!;
        const direction = nums[k++] === 1 ? 'send' : 'receive';
        const opcode = nums[k++]!;
        wsFrames[j] = { time, direction, opcode, data: str()! };
      }
    }
    let sseEvents: ExportedSseEvent[] | null = null;
    const ne = nums[k++]!;
    if (!Number.isNaN(ne)) {
      sseEvents = new Array(ne);
      for (let j = 0; j < ne; j += 1) {
        const time = num();
        const event = str()!;
        const data = str()!;
        sseEvents[j] = { time, event, data, id: str() };
      }
    }
    // Same property order as normaliseEntry builds.
    out[i] = {
      order,
      startGuessed: (flags & 1) !== 0,
      durationKnown: (flags & 2) !== 0,
      input,
      method,
      url,
      start,
      end,
      duration,
      timings,
      status,
      statusText,
      state,
      error,
      httpVersion,
      resourceType,
      mimeType,
      requestHeaders,
      responseHeaders,
      requestBody,
      responseBody,
      requestHeaderBytes,
      responseHeaderBytes,
      responseBodyBytes,
      wsFrames,
      sseEvents,
      pushed: (flags & 4) !== 0,
      fromCache: (flags & 8) !== 0,
      pageref,
      connection,
    };
  }
  return out;
}
