import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';
import { runPipeline, type Outcome } from './harness.js';

// Property: whatever bytes arrive, the pipeline either analyses them (exit 0, maybe with warnings) or rejects them
// with one clear line (exit 2). It never throws anything else, and never takes long.
// Runs per CI run: 10,000 generated inputs (see RUNS), plus every saved regression in test/fixtures/fuzz/.
// On a failure fast-check prints the seed and a shrunk counterexample: save the bytes under test/fixtures/fuzz/
// (e.g. with `FUZZ_SEED=<seed>` to replay) so the case runs forever after.

const RUNS = { mutated: 6000, truncated: 2000, bytes: 1000, json: 1000 };
const PER_INPUT_MS = 5000;
const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : undefined;

const BASES = [
  'test/fixtures/har/quirks.har',
  'samples/websocket-echo.devtools.har',
  'samples/sse-retry.har',
  'samples/long-poll-backoff.har',
  'samples/renren-iframe-streaming.har',
].map((p) => JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as unknown);

let slowest = 0;
let tried = 0;

async function mustNotCrash(bytes: Buffer): Promise<Outcome> {
  const t0 = performance.now();
  const outcome = await runPipeline(bytes);
  const took = performance.now() - t0;
  slowest = Math.max(slowest, took);
  tried += 1;
  if (outcome.kind === 'crashed') throw outcome.error;
  if (outcome.kind === 'rejected' && (outcome.message.includes('\n') || outcome.message.length > 400)) {
    throw new Error(`rejection is not one short line: ${outcome.message.slice(0, 200)}`);
  }
  if (took > PER_INPUT_MS) throw new Error(`one input took ${Math.round(took)} ms`);
  return outcome;
}

// ---- hostile values and mutations ----
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant('abc'),
  fc.constant(''),
  fc.constant({}),
  fc.constant([]),
  fc.constant(-1),
  fc.constant(-999),
  fc.constant(1e308),
  fc.constant(-1e308),
  fc.constant(Number.MAX_SAFE_INTEGER),
  fc.constant('1e999'),
  fc.constant('NaN'),
  fc.constant('1969-12-31T23:59:59Z'),
  fc.constant('9999-12-31T23:59:59.999999999+14:00'),
  fc.constant('2026-13-45T99:99:99'),
  fc.date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) }).map((d) => d.toISOString()),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constant('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'),
  fc.constant('ws://127.0.0.1/'.padEnd(2000, '=&')),
);

type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'proto'; at: number; key: '__proto__' | 'constructor' | 'prototype'; value: unknown }
  | { op: 'duplicate'; at: number }
  | { op: 'reverse' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('proto' as const), at: fc.nat(), key: fc.constantFrom('__proto__' as const, 'constructor' as const, 'prototype' as const), value: hostileValue }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('reverse' as const) }),
);

type Container = Record<string, unknown> | unknown[];

/** Every (container, key) pair in a document, so a mutation can hit any field at any depth. */
function slots(doc: unknown): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 12 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) node.forEach((v, i) => (out.push([node, i]), walk(v, depth + 1)));
    else for (const [k, v] of Object.entries(node as Record<string, unknown>)) out.push([node as Container, k]), walk(v, depth + 1);
  };
  walk(doc, 0);
  return out;
}

function entriesOf(doc: unknown): unknown[] | null {
  const log = (doc as { log?: { entries?: unknown } } | null)?.log;
  return Array.isArray(log?.entries) ? log.entries : null;
}

function apply(base: unknown, mutations: Mutation[]): unknown {
  const doc = structuredClone(base);
  for (const m of mutations) {
    const all = slots(doc);
    if (all.length === 0) break;
    const [container, key] = all[('at' in m ? m.at : 0) % all.length]!;
    // Values are cloned on the way in: fast-check hands out the same object for a constant, and a later mutation
    // of that object (in this or another run) must not leak into other runs or make a document circular.
    if (m.op === 'set') (container as Record<string | number, unknown>)[key] = structuredClone(m.value);
    else if (m.op === 'delete') {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else if (m.op === 'proto') {
      const target = (container as Record<string | number, unknown>)[key];
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        // An own property named __proto__ survives JSON.stringify, as it would in a crafted file.
        Object.defineProperty(target, m.key, { value: structuredClone(m.value), enumerable: true, configurable: true, writable: true });
      }
    } else if (m.op === 'duplicate') {
      const entries = entriesOf(doc);
      if (entries && entries.length > 0) entries.push(structuredClone(entries[m.at % entries.length]));
    } else {
      entriesOf(doc)?.reverse();
    }
  }
  return doc;
}

describe('hostile captures never crash the pipeline', () => {
  it(`survives ${RUNS.mutated} valid captures with random field deletions, wrong types and prototype keys`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(BASES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 8 }), async (which, mutations) => {
        await mustNotCrash(Buffer.from(JSON.stringify(apply(BASES[which], mutations))));
      }),
      { numRuns: RUNS.mutated, seed },
    );
  });

  it(`salvages ${RUNS.truncated} captures cut at random byte offsets, or rejects them cleanly`, { timeout: 600_000 }, async () => {
    const texts = BASES.map((b) => Buffer.from(JSON.stringify(b, null, 2)));
    await fc.assert(
      fc.asyncProperty(fc.nat(texts.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), async (which, at) => {
        const whole = texts[which]!;
        const cut = Math.floor(at * whole.length);
        const outcome = await mustNotCrash(whole.subarray(0, cut));
        // A cut anywhere after the first entry began must keep what came before it.
        const firstEntry = whole.indexOf('"entries": [') + 14;
        if (cut > firstEntry + 2000 && outcome.kind === 'rejected') throw new Error(`cut at ${cut} was rejected: ${outcome.message}`);
      }),
      { numRuns: RUNS.truncated, seed },
    );
  });

  it(`rejects ${RUNS.bytes} random byte strings and invalid UTF-8 with one line`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        await mustNotCrash(Buffer.from(bytes));
      }),
      { numRuns: RUNS.bytes, seed },
    );
  });

  it(`handles ${RUNS.json} arbitrary JSON documents, with and without a log`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), async (value, wrap) => {
        const doc = wrap ? { log: { version: '1.2', entries: Array.isArray(value) ? value : [value] } } : value;
        await mustNotCrash(Buffer.from(JSON.stringify(doc) ?? 'null'));
      }),
      { numRuns: RUNS.json, seed },
    );
  });

  it('handles 100,000 levels of nesting, in entries and around them', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    await mustNotCrash(Buffer.from(`{"log":{"entries":[${deep}]}}`));
    await mustNotCrash(Buffer.from(`{"log":{"entries":[{"request":{"url":"http://a/"},"x":${deep}}]}}`));
    const cut = await mustNotCrash(Buffer.from(`{"log":{"entries":[{"x":${'['.repeat(100_000)}`));
    expect(cut.kind).not.toBe('crashed');
  });

  it('replays every saved regression input', async () => {
    const dir = join(ROOT, 'test/fixtures/fuzz');
    const files = existsSync(dir) ? readdirSync(dir) : [];
    for (const f of files) await mustNotCrash(readFileSync(join(dir, f)));
  });

  it('tried at least 10,000 inputs in this run', () => {
    // Printed so CI logs carry the figures the closing note reports.
    console.log(`fuzz: ${tried} inputs, slowest ${Math.round(slowest)} ms`);
    expect(tried).toBeGreaterThanOrEqual(10_000);
  });
});
