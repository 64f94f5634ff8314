import { InputError } from './errors.js';
import { findSyntaxFault } from './syntax.js';

export interface Truncation {
  /** Complete entries recovered before the cut. */
  recovered: number;
  /** Where the text ends, e.g. "line 812, column 14". */
  endsAt: string;
}

export interface ParsedText {
  doc: unknown;
  truncated: Truncation | null;
}

/**
 * Parses a capture's JSON text. A capture cut off mid-write (the text ends inside an open value) is salvaged:
 * everything up to the last complete element of the innermost open array is kept and the open containers are closed.
 * Any other syntax error is an InputError naming the line and column.
 */
export function parseCaptureText(name: string, text: string): ParsedText {
  try {
    return { doc: JSON.parse(text), truncated: null };
  } catch (err) {
    const scan = scanStructure(text);
    if (scan.open.length === 0 || scan.badAt !== null) {
      const fault = findSyntaxFault(text);
      const pos = fault?.offset ?? scan.badAt ?? text.length;
      throw new InputError(`${name}: not valid JSON at ${lineColumn(text, pos)} (${fault?.reason ?? shortReason(err as Error)})`);
    }
    return salvage(name, text, scan);
  }
}

interface Frame {
  kind: 'object' | 'array';
  /** Key under which this container sits in its parent object, if any. */
  key: string | null;
}

interface Scan {
  /** Containers still open when the text ended. */
  open: Frame[];
  /** Offset of a closing bracket that does not match, if the text has one. */
  badAt: number | null;
  /** Offset just after the last complete element of log.entries, and how many such elements there were. */
  entriesEnd: number | null;
  entriesCount: number;
  /** Offset just after the `[` of log.entries, if reached. */
  entriesStart: number | null;
  /** Container stack at entriesEnd (or entriesStart), to close the document there. */
  stackAtCut: Frame[];
}

/**
 * One pass over the text tracking strings and brackets only (no values), fast enough for large files and
 * linear in their length whatever they hold.
 */
function scanStructure(text: string): Scan {
  const stack: Frame[] = [];
  const scan: Scan = { open: stack, badAt: null, entriesEnd: null, entriesCount: 0, entriesStart: null, stackAtCut: [] };
  let lastKey: string | null = null;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const startStr = i + 1;
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i += 1;
      }
      if (i >= n) break; // ends inside a string
      // A string followed by ':' is a key; remember short keys only (we need "log" and "entries").
      let j = i + 1;
      while (j < n && isSpace(text.charCodeAt(j))) j += 1;
      if (text.charCodeAt(j) === 0x3a /* : */) lastKey = i - startStr <= 16 ? text.slice(startStr, i) : '';
      i += 1;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = stack[stack.length - 1];
      const key = top?.kind === 'object' ? lastKey : null;
      stack.push({ kind: c === 0x7b ? 'object' : 'array', key });
      lastKey = null;
      if (c === 0x5b && isEntriesPath(stack)) {
        scan.entriesStart = i + 1;
        scan.stackAtCut = stack.map((f) => ({ ...f }));
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const top = stack.pop();
      if (!top || (top.kind === 'object') !== (c === 0x7d)) {
        scan.badAt = i;
        return scan;
      }
      // An element of log.entries just closed.
      if (c === 0x7d && isEntriesPath(stack)) {
        scan.entriesEnd = i + 1;
        scan.entriesCount += 1;
        scan.stackAtCut = stack.map((f) => ({ ...f }));
      }
    }
    i += 1;
  }
  return scan;
}

function isEntriesPath(stack: Frame[]): boolean {
  return (
    stack.length === 3 &&
    stack[0]!.kind === 'object' &&
    stack[1]!.key === 'log' &&
    stack[1]!.kind === 'object' &&
    stack[2]!.key === 'entries' &&
    stack[2]!.kind === 'array'
  );
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function salvage(name: string, text: string, scan: Scan): ParsedText {
  const cut = scan.entriesEnd ?? scan.entriesStart;
  if (cut === null) {
    throw new InputError(`${name}: the file ends at ${lineColumn(text, text.length)} before any entry (cut off mid-write?)`);
  }
  const closers = scan.stackAtCut
    .slice()
    .reverse()
    .map((f) => (f.kind === 'object' ? '}' : ']'))
    .join('');
  try {
    const doc = JSON.parse(text.slice(0, cut) + closers);
    return { doc, truncated: { recovered: scan.entriesCount, endsAt: lineColumn(text, text.length) } };
  } catch (err) {
    throw new InputError(`${name}: cut off mid-write at ${lineColumn(text, text.length)} and could not be salvaged (${shortReason(err as Error)})`);
  }
}

function shortReason(err: Error): string {
  // V8 quotes a slice of the input in its message; keep only the reason so that no capture data is echoed.
  const msg = err.message.split(/,|\n| in JSON/)[0] ?? 'invalid JSON';
  return msg.length > 60 ? `${msg.slice(0, 60)}…` : msg;
}

export function lineColumn(text: string, pos: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(pos, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${end - lineStart + 1}`;
}
