// Exchanges and frames whose long texts wait in the spill file (spill.ts). They are Exchanges and WsFrames like any
// other: `responseBody`, `requestBody` and `data` are accessors that read the text back when it is asked for. A
// capture with any spilled text is built of these throughout, so that analysis sees one shape of object.
//
// An accessor lives on the prototype, so a copy made with `{ ...ex }` would lose it: detection amends exchanges
// with detect/util's `amend`, which keeps the prototype.
import type { Exchange, WsFrame } from '../../model.js';
import type { PartialExchange } from '../normalise.js';
import { textOf, type SpilledText, type SpillFile, type StoredText } from './spill.js';

export class StoredFrame implements WsFrame {
  constructor(
    readonly time: number,
    readonly direction: 'send' | 'receive',
    readonly opcode: number,
    /** Where the payload waits in the spill file (har/peek.ts reads what it keeps in memory). */
    readonly text: SpilledText,
  ) {}

  get data(): string {
    return this.text.file.get(this.text);
  }
}

// Its fields are Exchange's, declared by this interface (merged with the class); only the texts differ.
export interface StoredExchange extends Omit<Exchange, 'requestBody' | 'responseBody'> {
  requestText: StoredText;
  responseText: StoredText;
}

export class StoredExchange implements Exchange {
  constructor(p: PartialExchange, index: number, end: number) {
    this.index = index;
    this.input = p.input;
    this.method = p.method;
    this.url = p.url;
    this.start = p.start;
    this.end = end;
    this.duration = Math.max(0, end - p.start);
    this.timings = p.timings;
    this.status = p.status;
    this.statusText = p.statusText;
    this.state = p.state;
    this.error = p.error;
    this.httpVersion = p.httpVersion;
    this.resourceType = p.resourceType;
    this.mimeType = p.mimeType;
    this.requestHeaders = p.requestHeaders;
    this.responseHeaders = p.responseHeaders;
    this.requestText = p.requestBody;
    this.responseText = p.responseBody;
    this.requestHeaderBytes = p.requestHeaderBytes;
    this.responseHeaderBytes = p.responseHeaderBytes;
    this.responseBodyBytes = p.responseBodyBytes;
    this.wsFrames = p.wsFrames;
    this.sseEvents = p.sseEvents;
    this.pushed = p.pushed;
    this.fromCache = p.fromCache;
    this.pageref = p.pageref;
    this.connection = p.connection;
  }

  get requestBody(): string | null {
    return textOf(this.requestText);
  }

  set requestBody(v: string | null) {
    this.requestText = v;
  }

  get responseBody(): string | null {
    return textOf(this.responseText);
  }

  set responseBody(v: string | null) {
    this.responseText = v;
  }
}

/** Moves the long bodies and frame payloads of read exchanges to the spill file; true when any was moved. */
export function spillTexts(list: PartialExchange[], file: SpillFile): boolean {
  let moved = false;
  for (const p of list) {
    if (typeof p.responseBody === 'string') {
      const t = file.put(p.responseBody, 'body');
      if (t) {
        p.responseBody = t;
        moved = true;
      }
    }
    if (typeof p.requestBody === 'string') {
      const t = file.put(p.requestBody, 'body');
      if (t) {
        p.requestBody = t;
        moved = true;
      }
    }
    const frames = p.wsFrames;
    if (frames) {
      for (let i = 0; i < frames.length; i += 1) {
        const f = frames[i]!;
        if (f instanceof StoredFrame) continue; // spilled as it stood already (SpillFile.putRaw)
        const t = file.put(f.data, 'frame');
        if (t) {
          frames[i] = new StoredFrame(f.time, f.direction, f.opcode, t);
          moved = true;
        }
      }
    }
  }
  return moved;
}
