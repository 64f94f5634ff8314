// The fast projection (stream/project.ts) must give exactly what JSON.parse + normaliseEntry + leanHeaders give,
// including the header byte estimate of the full lists, or give up on the batch (the general path then reads it).
import { describe, expect, it } from 'vitest';
import { normaliseEntry, type PartialExchange } from '../../src/har/normalise.js';
import { processBatch, projectBatch } from '../../src/har/stream/batch.js';
import { isAscii } from 'node:buffer';
import { asciiText, projectEntries } from '../../src/har/stream/project.js';
import { projectEntriesWasm } from '../../src/har/stream/project-wasm.js';
import { leanHeaders } from '../../src/har/stream/retain.js';
import { decodeExchanges, encodeExchanges } from '../../src/har/stream/wire.js';
import { WarningCollector } from '../../src/har/warnings.js';
// @ts-expect-error -- plain JS module without types
import { makeGenerator } from '../../scripts/bench/generate.mjs';

function reference(entries: unknown[], lean: boolean): PartialExchange[] {
  const ctx = { input: 0, warnings: new WarningCollector(), previousStart: null };
  const out: PartialExchange[] = [];
  entries.forEach((raw, i) => {
    const ex = normaliseEntry(raw, i, ctx);
    if (!ex) return;
    if (lean) {
      ex.requestHeaders = leanHeaders(ex.requestHeaders);
      ex.responseHeaders = leanHeaders(ex.responseHeaders);
    }
    out.push(ex);
  });
  return out;
}

function batchOf(text: string, lean: boolean) {
  return processBatch({ seq: 0, bytes: Buffer.from(text, 'utf8'), capped: [], retention: lean ? 'lean' : 'full', input: 0, previousStart: null });
}

const base = (headers: unknown, extra: Record<string, unknown> = {}) => ({
  startedDateTime: '2026-03-01T09:00:00.000Z',
  time: 12,
  timings: { send: 1, wait: 10, receive: 1, _x: -1 },
  _initiator: { type: 'script', stack: { callFrames: [{ url: '}],{"x":"]' }] } },
  request: { method: 'get', url: 'https://a.example/p?q=1', httpVersion: 'h2', headers, cookies: [{ name: 'a', value: 'b' }], queryString: [], headersSize: -1, bodySize: 0 },
  response: { status: 200, statusText: 'OK', httpVersion: 'h2', headers, cookies: [], content: { size: 3, mimeType: 'text/plain', text: 'abc' }, redirectURL: '', headersSize: -1, bodySize: 3 },
  ...extra,
});

const tricky = [
  { name: 'Content-Type', value: 'text/plain; charset=utf-8' },
  { name: 'X-Quote', value: 'say "hi" \\ \u2028 caf\u00e9 \u{1f600}' },
  { name: 'sec-ch-ua', value: '"Chromium";v="126"' },
  { name: 'Sec-WebSocket-Protocol', value: 'chat' },
  { name: '\u212Aeep-alive', value: 'timeout=5' },
  { name: 'caf\u00e9', value: 'x' },
  { name: 'X-PUSH-ID', value: '1', comment: 'extra key' },
  { value: 'no name' },
  { name: 'no-value' },
  { name: '', value: '' },
];

describe('fast projection', () => {
  for (const lean of [true, false]) {
    it(`gives what the whole-entry path gives (${lean ? 'lean' : 'full'})`, () => {
      const entries = [
        base(tricky),
        base([]),
        base(tricky, { request: { method: 'POST', url: 'https://b.example/', headers: tricky, headersSize: 321, postData: { mimeType: 'x', text: 'p'.repeat(300), params: [{ a: 1 }] } } }),
        base([], { timings: { _blocked_queueing: 1, _workerStart: -1 } }),
        base([], { timings: {} }),
        base([], { timings: { wait: 'x', receive: -1, _a: 2, blocked: null } }),
        base([{ name: 'upgrade', value: 'websocket' }], { _webSocketMessages: [{ type: 'send', time: 1772355600.5, opcode: 1, data: 'd'.repeat(500) }, 7] }),
      ];
      for (const json of [JSON.stringify(entries).slice(1, -1), JSON.stringify(entries, null, 2).slice(1, -1).trim(), JSON.stringify(entries, null, '\t').slice(1, -1).trim()]) {
        const cuts: unknown[] = [];
        expect(projectEntries(Buffer.from(json), cuts as never, lean)).not.toBeNull();
        const got = batchOf(json, lean);
        expect(got.projected).toBe(true);
        expect(got.partials).toEqual(reference(JSON.parse(`[${json}]`), lean));
      }
    });
  }

  it('writes non-ASCII text as \\u escapes, so that JSON.parse reads an ASCII projection to the same strings', () => {
    const odd = 'caf\u00e9 \u65e5\u672c \u{1f600} \u2028 \u00ff\u0100 \uffff';
    const entries = [base([{ name: 'X-Name', value: odd }, { name: 'content-type', value: 'text/plain' }], { _resourceType: 'xhr', response: { status: 200, statusText: odd, headers: [], content: { mimeType: 'text/plain', text: odd } } })];
    const json = JSON.stringify(entries, null, 2).slice(1, -1).trim();
    for (const lean of [true, false]) {
      for (const project of [projectEntries, projectEntriesWasm]) {
        const text = Buffer.from(project(Buffer.from(json, 'utf8'), [], lean)!.text);
        expect(isAscii(text)).toBe(true);
        expect(text.toString('latin1')).toContain('caf\\u00e9 \\u65e5\\u672c \\ud83d\\ude00 \\u2028');
      }
      const got = batchOf(json, lean).partials[0]!;
      expect(got.statusText).toBe(odd);
      expect(got.responseBody).toBe(odd);
      expect(got.requestHeaders.find((h) => h.name === 'X-Name')?.value).toBe(lean ? undefined : odd);
      expect(got).toEqual(reference(JSON.parse(`[${json}]`), lean)[0]);
    }
    // Every length of UTF-8 sequence, and the edges of each.
    for (const s of ['\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\u{10000}', '\u{10ffff}', 'a\u00e9b']) {
      const quoted = Buffer.from(JSON.stringify(s), 'utf8');
      const ascii = Buffer.from(asciiText(quoted));
      expect(isAscii(ascii)).toBe(true);
      expect(JSON.parse(ascii.toString('latin1'))).toBe(s);
    }
    // Invalid or cut-off UTF-8 is left as it is, for the decoder's replacement characters.
    for (const bytes of [[0x22, 0xc3, 0x28, 0x22], [0x22, 0xe6, 0x97, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22], [0x22, 0xc0, 0xaf, 0x22], [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xe6, 0x97]]) {
      const raw = Buffer.from(bytes);
      expect(Buffer.compare(asciiText(raw), raw)).toBe(0);
    }
  });

  it('matches on generated captures, pretty and minified', () => {
    const next = makeGenerator({ profile: 'bodies', seed: 11 }) as () => unknown;
    const entries = Array.from({ length: 60 }, () => next());
    for (const json of [JSON.stringify(entries).slice(1, -1), JSON.stringify(entries, null, 2).slice(1, -1).trim()]) {
      for (const lean of [true, false]) {
        const bytes = Buffer.from(json, 'utf8');
        const got = processBatch({ seq: 0, bytes, capped: [], retention: lean ? 'lean' : 'full', input: 0, previousStart: null });
        const old = processBatch({ seq: 0, bytes, capped: [], retention: lean ? 'lean' : 'full', input: 0, previousStart: null }, { projection: false });
        expect(got.projected).toBe(true);
        expect(old.projected).toBe(false);
        expect(got.partials).toEqual(old.partials);
        expect(got.warnings).toEqual(old.warnings);
        // What worker threads send back rebuilds the same exchanges, property order and -0 included.
        const back = decodeExchanges(encodeExchanges(got.partials));
        expect(JSON.stringify(back)).toBe(JSON.stringify(got.partials));
        expect(back).toStrictEqual(got.partials);
      }
    }
  });

  it('gives the same batch when the projection was made elsewhere (the projector thread) and handed over', () => {
    const next = makeGenerator({ profile: 'bodies', seed: 5 }) as () => unknown;
    const entries = Array.from({ length: 40 }, () => next());
    const bytes = Buffer.from(JSON.stringify(entries, null, 2).slice(1, -1).trim(), 'utf8');
    for (const retention of ['lean', 'full'] as const) {
      const batch = { seq: 0, bytes, capped: [], retention, input: 0, previousStart: null };
      const projected = projectBatch(batch);
      expect(projected).not.toBeNull();
      // Long bodies were cut out of the projection, and their offsets travel as pairs.
      expect(projected!.cuts.length).toBeGreaterThan(0);
      expect(projected!.text.length).toBeLessThan(bytes.length);
      // Its memory is its own: the next projection does not overwrite it.
      const copy = Buffer.from(projected!.text);
      projectBatch({ ...batch, bytes: Buffer.from(JSON.stringify(entries.slice(0, 3))) });
      expect(Buffer.compare(copy, projected!.text)).toBe(0);
      const here = processBatch(batch);
      const handed = processBatch({ ...batch, projected });
      expect(handed.projected).toBe(true);
      expect(handed.partials).toEqual(here.partials);
      expect(handed.warnings).toEqual(here.warnings);
    }
    // Memory handed in for the projection is written into when it is large enough, and left alone when not.
    const into = new ArrayBuffer(bytes.length);
    const reused = projectBatch({ seq: 0, bytes, capped: [], retention: 'lean', input: 0, previousStart: null, into })!;
    expect(reused.text.buffer).toBe(into);
    expect(processBatch({ seq: 0, bytes, capped: [], retention: 'lean', input: 0, previousStart: null, projected: reused }).partials).toEqual(
      processBatch({ seq: 0, bytes, capped: [], retention: 'lean', input: 0, previousStart: null }).partials,
    );
    const small = new ArrayBuffer(16);
    expect(projectBatch({ seq: 0, bytes, capped: [], retention: 'lean', input: 0, previousStart: null, into: small })!.text.buffer).not.toBe(small);
    // Where the fast projectors give up, the batch says so and is read by the general path.
    const odd = { seq: 0, bytes: Buffer.from('[1, 2]'), capped: [], retention: 'lean' as const, input: 0, previousStart: null };
    expect(projectBatch(odd)).toBeNull();
    expect(processBatch({ ...odd, projected: null }).projected).toBe(false);
  });

  it('hands back leading undated entries with their header estimates (batches read in parallel)', () => {
    const entries = [base(tricky, { startedDateTime: '' }), base(tricky)];
    const json = JSON.stringify(entries, null, 2).slice(1, -1).trim();
    const got = processBatch({ seq: 1, bytes: Buffer.from(json), capped: [], retention: 'lean', input: 0 });
    expect(got.projected).toBe(true);
    expect(got.deferred).toHaveLength(1);
    const ctx = { input: 0, warnings: new WarningCollector(), previousStart: null, carriedHeaderBytes: got.projected };
    const ex = normaliseEntry(got.deferred[0], 0, ctx)!;
    ex.requestHeaders = leanHeaders(ex.requestHeaders);
    ex.responseHeaders = leanHeaders(ex.responseHeaders);
    expect(ex).toEqual(reference(JSON.parse(`[${json}]`), true)[0]);
  });

  it('gives up on what it cannot read exactly like JSON.parse', () => {
    const odd = [
      JSON.stringify(base(tricky)).replace('"request"', '"re\\u0071uest"'),
      JSON.stringify(base([{ name: 'a', value: 1 }])),
      JSON.stringify(base([{ name: 'a', name2: 'b', value: 'c', name: 'd' }])).replace('"name2"', '"name"'),
      JSON.stringify(base([])).replace('"headers":[]', '"headers":[],"headers":[{"name":"accept","value":"x"}]'),
      `${JSON.stringify(base([]))},5`,
      JSON.stringify(base(['x'])),
    ];
    for (const json of odd) {
      expect(projectEntries(Buffer.from(json), [], true)).toBeNull();
      const got = batchOf(json, true);
      expect(got.projected).toBe(false);
      expect(got.partials).toEqual(reference(JSON.parse(`[${json}]`), true));
    }
  });

  it('does not hide broken structure', () => {
    for (const json of ['{"request":{"url":"a"}', '{"_initiator":{"a":[1}}', '{"request":{"url":"a"}},', '{"a":"b"} {"c":1}']) {
      expect(projectEntries(Buffer.from(json), [], true)).toBeNull();
    }
  });
});
