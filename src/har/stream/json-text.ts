// The raw content of a JSON string as it stands in a capture's bytes (between its quotes, escapes and all): decoding
// it, and cutting it short without splitting an escape or a UTF-8 sequence. The batch reader decodes the long strings
// it cut out of a projection (batch.ts); the spill file keeps some of them raw and decodes them when asked (spill.ts).

/** Decodes the raw (escaped) content of a JSON string. */
export function unescapeJson(bytes: Uint8Array, start: number, end: number): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Look for a backslash inside the string only: the next one in the batch may be megabytes further on.
  const slash = b.subarray(start, end).indexOf(0x5c);
  const raw = b.toString('utf8', start, end);
  if (slash < 0) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    // Control characters or bad escapes: keep the text as written rather than lose the body.
    return raw;
  }
}

/** A cut point at or before `end` that splits neither an escape sequence nor a UTF-8 sequence. */
export function safeEnd(b: Uint8Array, start: number, end: number): number {
  let e = end;
  // An escape is at most 6 bytes (\uXXXX); find whether one straddles the cut.
  for (let k = Math.max(start, e - 6); k < e; k += 1) {
    if (b[k] !== 0x5c) continue;
    let run = 0;
    let j = k;
    while (j >= start && b[j] === 0x5c) {
      run += 1;
      j -= 1;
    }
    if (run % 2 === 0) continue; // this backslash is itself escaped
    const len = b[k + 1] === 0x75 ? 6 : 2;
    if (k + len > e) {
      e = k;
      break;
    }
    k += len - 1;
  }
  while (e > start && (b[e]! & 0xc0) === 0x80) e -= 1;
  return e;
}
