// Large captures are read lean: only the headers in retain.ts survive. Every header a stage reads by name must be
// among them, or a protocol would go unrecognised only in big files. This reads the names from the source itself.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepHeader } from '../../src/har/stream/retain.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('lean reading keeps every header analysis reads', () => {
  it('keeps each name passed to header()/headerValue() or atmo() in src/', () => {
    const names = new Set<string>();
    for (const file of sources(SRC)) {
      if (file.includes('/har/')) continue; // the reader itself
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:header|headerValue|atmo)\([^,()]+,\s*'([^']+)'/g)) names.add(m[1]!);
    }
    expect(names.size).toBeGreaterThan(8); // the pattern still finds the lookups
    expect([...names].filter((n) => !keepHeader(n))).toEqual([]);
  });
});
