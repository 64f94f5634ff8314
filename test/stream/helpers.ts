// Builds small synthetic captures with the benchmark's generator, in every layout the streaming reader must handle.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
// @ts-expect-error -- plain JS module without types
import { makeGenerator } from '../../scripts/bench/generate.mjs';

export const tmp = mkdtempSync(join(tmpdir(), 'ci-stream-'));

export interface Layout {
  entries?: number;
  profile?: 'meta' | 'bodies';
  /** pretty: 2-space JSON.stringify; minified; tabs: tab-indented; spaced: `"key" : value` (HttpWatch style). */
  format?: 'pretty' | 'minified' | 'tabs' | 'spaced';
  crlf?: boolean;
  bom?: boolean;
  /** Put log.entries before creator and pages. */
  entriesFirst?: boolean;
  wrap?: 'gzip' | 'zlib';
  seed?: number;
}

export function captureText(layout: Layout = {}): string {
  const next = makeGenerator({ profile: layout.profile ?? 'meta', seed: layout.seed ?? 3 }) as () => unknown;
  const entries = Array.from({ length: layout.entries ?? 40 }, () => next());
  const creator = { name: 'WebInspector', version: '537.36' };
  const pages = [{ startedDateTime: '2026-03-01T09:00:00.000Z', id: 'page_1', title: 'live', pageTimings: {} }];
  const log = layout.entriesFirst ? { entries, version: '1.2', pages, creator } : { version: '1.2', creator, pages, entries };
  let text: string;
  switch (layout.format ?? 'pretty') {
    case 'minified':
      text = JSON.stringify({ log });
      break;
    case 'tabs':
      text = JSON.stringify({ log }, null, '\t');
      break;
    case 'spaced':
      text = JSON.stringify({ log }, null, 4).replace(/("(?:[^"\\]|\\.)*"): /g, '$1 : ');
      break;
    default:
      text = JSON.stringify({ log }, null, 2);
  }
  if (layout.crlf) text = text.replace(/\n/g, '\r\n');
  return text;
}

let n = 0;
export function writeCapture(layout: Layout = {}, text = captureText(layout)): string {
  let bytes = Buffer.from(text, 'utf8');
  if (layout.bom) bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  if (layout.wrap === 'gzip') bytes = gzipSync(bytes);
  if (layout.wrap === 'zlib') bytes = deflateSync(bytes);
  const path = join(tmp, `c${n++}.har`);
  writeFileSync(path, bytes);
  return path;
}
