import type { WarningCollector } from './warnings.js';

/**
 * Turns a capture's bytes into JSON text: decodes UTF-8 (or UTF-16 with a BOM), strips a BOM and leading
 * whitespace, and unwraps the JSONP form HAR Viewer reads (`onInputData({...});`, ".harp").
 */
export function captureText(bytes: Buffer, warnings: WarningCollector): string {
  let text: string;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    warnings.add('utf16', 'the file is UTF-16, not UTF-8 as HAR requires; decoded it anyway');
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    warnings.add('utf16', 'the file is UTF-16, not UTF-8 as HAR requires; decoded it anyway');
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      warnings.add('bom', 'the file starts with a byte-order mark (ignored)');
    }
    // TextDecoder drops a leading UTF-8 BOM itself.
    text = new TextDecoder('utf-8').decode(bytes);
    if (text.includes('\uFFFD') && !isValidUtf8(bytes)) {
      warnings.add('bad-utf8', 'the file has bytes that are not valid UTF-8; they were replaced with U+FFFD');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    warnings.add('bom', 'the file starts with a byte-order mark (ignored)');
  }
  const start = firstNonSpace(text);
  if (start > 0) warnings.add('leading-space', 'the file starts with whitespace before the JSON (ignored)');
  return unwrapJsonp(start > 0 ? text.slice(start) : text, warnings);
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) break;
    i += 1;
  }
  return i;
}

// The callback name is bounded so that a hostile file cannot make the pattern scan far.
const JSONP_HEAD = /^([A-Za-z_$][\w$.]{0,200})\s{0,100}\(/;

function unwrapJsonp(text: string, warnings: WarningCollector): string {
  if (text.startsWith('{') || text.startsWith('[')) return text;
  const head = JSONP_HEAD.exec(text);
  if (!head) return text;
  let end = text.length;
  while (end > 0 && /[\s;]/.test(text[end - 1]!)) end -= 1;
  if (text[end - 1] === ')') end -= 1;
  warnings.add('jsonp-wrapped', `the HAR is wrapped as JSONP (${head[1]}(…), the .harp form); unwrapped it`);
  return text.slice(head[0].length, end);
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
