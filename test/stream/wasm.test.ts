// The WebAssembly projector (native/projector.c) must give the JS projector's output byte for byte, with the same
// cut list and entry count, or give up (null) so that the JS projector decides. Checked on the raw entry bytes of
// every fixture, sample and corpus capture, on generated captures, on hand-made edge cases and on random entries.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueEnd } from '../../src/har/stream/batch.js';
import { projectEntries } from '../../src/har/stream/project.js';
import { projectEntriesWasm } from '../../src/har/stream/project-wasm.js';
import { CORPUS, REPO, captureFiles } from '../helpers/captures.js';
// @ts-expect-error -- plain JS module without types
import { makeGenerator } from '../../scripts/bench/generate.mjs';


type Outcome = { text: string; count: number; cuts: string } | null;

function js(bytes: Buffer, lean: boolean): Outcome {
  const cuts: { start: number; end: number }[] = [];
  const r = projectEntries(bytes, cuts, lean);
  return r && { text: r.text.toString('latin1'), count: r.count, cuts: JSON.stringify(cuts) };
}

function wasm(bytes: Buffer, lean: boolean): Outcome {
  const cuts: { start: number; end: number }[] = [];
  const r = projectEntriesWasm(bytes, cuts, lean);
  if (r === null) expect(cuts).toEqual([]);
  return r && { text: r.text.toString('latin1'), count: r.count, cuts: JSON.stringify(cuts) };
}

/** Same as the JS projector, or gave up; returns whether it gave an answer. */
function agrees(bytes: Buffer, lean: boolean): boolean {
  const w = wasm(bytes, lean);
  if (w === null) return false;
  expect(w).toEqual(js(bytes, lean));
  return true;
}

/** The raw bytes inside a capture's `"entries": [ … ]`, as the file writes them (null when not found). */
function entryBytes(path: string): Buffer | null {
  let buf = readFileSync(path);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
  const key = buf.indexOf('"entries"');
  if (key < 0) return null;
  const open = buf.indexOf('[', key);
  const end = open < 0 ? -1 : valueEnd(buf, open);
  return end < 0 ? null : buf.subarray(open + 1, end - 1);
}


const sets: [string, string[]][] = [
  ['fixtures', captureFiles(join(REPO, 'test/fixtures/har'))],
  ['samples', captureFiles(join(REPO, 'samples'))],
];
if (existsSync(CORPUS)) sets.push(['shared corpus', captureFiles(CORPUS)]);
else console.warn(`skipping the shared corpus: ${CORPUS} is absent (it sits beside the repository in the project's workspace)`);

describe('WebAssembly projector == JS projector', () => {
  for (const [label, list] of sets) {
    it(`on the raw entries of every capture in the ${label}`, () => {
      let answered = 0;
      let jsAnswered = 0;
      for (const path of list) {
        const bytes = entryBytes(path);
        if (!bytes) continue;
        for (const lean of [true, false]) {
          if (js(bytes, lean) !== null) jsAnswered += 1;
          if (agrees(bytes, lean)) answered += 1;
        }
      }
      // It may give up only where the JS projector is unsure too, or on rare shapes (escaped header names…).
      expect(answered).toBeGreaterThanOrEqual(Math.floor(jsAnswered * 0.8));
    });
  }

  it('on generated captures (both bench profiles, pretty and minified)', () => {
    for (const profile of ['meta', 'bodies']) {
      const next = makeGenerator({ profile, seed: 5 }) as () => unknown;
      const entries = Array.from({ length: 80 }, () => next());
      for (const json of [JSON.stringify(entries).slice(1, -1), JSON.stringify(entries, null, 2).slice(1, -1).trim(), JSON.stringify(entries, null, '\t').slice(1, -1).trim()]) {
        const bytes = Buffer.from(json, 'utf8');
        for (const lean of [true, false]) expect(agrees(bytes, lean)).toBe(true);
      }
    }
  });

  it('on edge cases: escapes, non-ASCII, odd shapes, whitespace, broken structure', () => {
    const header = (name: unknown, value: unknown) => ({ name, value });
    const entry = (headers: unknown[], extra: Record<string, unknown> = {}) => ({
      startedDateTime: '2026-03-01T09:00:00.000Z',
      timings: {},
      request: { method: 'GET', url: 'https://a.example/', headers, postData: { text: 'é'.repeat(200) } },
      response: { status: 200, headers, content: { text: 'x'.repeat(127), mimeType: 'text/plain' } },
      _webSocketMessages: [{ data: '"'.repeat(300) }, 3, null, 'x'],
      ...extra,
    });
    const cases = [
      entry([header('Accept', 'caf\u00e9 \u{1f600} \u2028'), header('CONTENT-TYPE', 'a\\b"c'), header('sec-websocket-key', 'k'), header('x-other', 'v')]),
      entry([header('accept', 'x'.repeat(200)), header('a'.repeat(120), 'y'), header('x', '\u0001')]),
      entry([{ value: 'v', name: 'accept', extra: [1, { a: '}' }] }, { name: 'accept' }, { value: 'only' }, {}]),
      entry([header('caf\u00e9', 'x')]),
      entry([header('acc\\u0065pt', 'x')]),
      entry([], { timings: { wait: 1, _x: 2 }, response: { content: {} }, _initiator: { deep: [[[[{ '}': ']' }]]]] } }),
      entry([header('accept', '\ud83d\ude00 \\ud83d\\ude00 \\u00e9')]),
    ];
    let answered = 0;
    for (const c of cases) {
      for (const json of [JSON.stringify(c), JSON.stringify(c, null, 2), JSON.stringify(c, null, 1).replaceAll('\n', '\r\n')]) {
        for (const lean of [true, false]) if (agrees(Buffer.from(json, 'utf8'), lean)) answered += 1;
      }
    }
    // Escaped or non-ASCII header names and control characters are the JS projector's; the rest are answered.
    expect(answered).toBeGreaterThanOrEqual(24);
    // Not JSON the JS projector accepts: neither answers.
    for (const bad of ['{"request":{"url":"a"}', '{"_initiator":{"a":[1}}', '{"a":"b"},', '{"a":"b"} {"c":1}', '{"a":"unterminated', '{"a":tru', '[1]', '{"a":1}\u0000']) {
      for (const lean of [true, false]) {
        expect(wasm(Buffer.from(bad), lean)).toBeNull();
      }
    }
    // Invalid UTF-8 in a header value: the JS projector decides.
    const broken = Buffer.concat([Buffer.from('{"request":{"headers":[{"name":"accept","value":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}}')]);
    expect(wasm(broken, true)).toBeNull();
  });

  it('on random entries with hostile strings', () => {
    const str = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('accept', 'Content-Type', 'upgrade', 'x-push-id', 'Sec-WebSocket-Key', ''), fc.string({ minLength: 100, maxLength: 300 }));
    const headerList = fc.array(fc.oneof(fc.record({ name: str, value: str }), fc.dictionary(str, fc.oneof(str, fc.integer())), fc.constant(null)), { maxLength: 6 });
    const anEntry = fc.record({
      startedDateTime: str,
      time: fc.oneof(fc.double(), fc.integer()),
      timings: fc.dictionary(fc.constantFrom('send', 'wait', 'receive', '_x', 'dns'), fc.oneof(fc.double(), fc.constant(null))),
      request: fc.record({ method: str, url: str, headers: headerList, postData: fc.record({ text: str }) }),
      response: fc.record({ status: fc.integer(), headers: headerList, content: fc.record({ text: str, mimeType: str }) }),
      _webSocketMessages: fc.array(fc.oneof(fc.record({ type: str, data: str }), fc.integer()), { maxLength: 3 }),
      other: fc.jsonValue({ maxDepth: 3 }),
    });
    let answered = 0;
    fc.assert(
      fc.property(fc.array(anEntry, { minLength: 1, maxLength: 4 }), fc.constantFrom(0, 1, 2), fc.boolean(), (entries, indent, lean) => {
        const json = JSON.stringify(entries, null, indent).slice(1, -1).trim();
        if (agrees(Buffer.from(json, 'utf8'), lean)) answered += 1;
      }),
      { numRuns: 1500 },
    );
    // Full reads copy headers whole, so most random entries are answered; lean ones with odd names are not.
    expect(answered).toBeGreaterThan(300);
  });
});

const clang = (() => {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!clang)('the committed module (needs clang and wasm-ld)', () => {
  it('is what native/projector.c builds to', () => {
    execFileSync(process.execPath, [join(REPO, 'scripts/build-wasm.mjs'), '--check'], { stdio: 'pipe' });
  });
});
if (!clang) console.warn('skipping the WebAssembly rebuild check: clang is not installed (apt-get install -y clang lld)');
