#!/usr/bin/env node
// Times two parts of a run alone, where a change to one of them can be seen through this VM's noise: parsing the
// reader's batches (inline, and handed over already projected as the projector thread hands them) and the analysis
// of a capture. With --against DIR, another built checkout (say, a `git worktree` of an older commit) takes turns
// with this one in the same process, on the same batches and the same file.
//
//   node scripts/bench/parts.mjs [--against DIR] [--runs N] [--profile meta|bodies] [--format pretty|minified]
//                                [--batches N] [--analyse FILE]
//
// Batches: 40 (--batches) batches of about 1 MB of entries from the bench generator (scripts/bench/generate.mjs), read lean as a
// large capture is. Each figure is µs per entry (batches) or ms (analysis): min and median over the runs. The
// analysis part (--analyse FILE) loads FILE afresh with each checkout's reader before each run, and counts the long
// texts it reads back from the temporary file (a large capture's). Run `npm run build` first (and in DIR).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeGenerator } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const against = opt('against', null);
const runs = Math.max(1, Number(opt('runs', '8')));
const profile = opt('profile', 'meta');
const format = opt('format', 'pretty');
const analyse = opt('analyse', null);
const count = Math.max(1, Number(opt('batches', '40')));
const roots = [ROOT, ...(against === null ? [] : [resolve(against)])];
for (const root of roots) {
  if (!existsSync(join(root, 'dist', 'har', 'stream', 'batch.js'))) {
    process.stderr.write(`parts: ${root} is not a built comet-inspect checkout (run npm run build there)\n`);
    process.exit(2);
  }
}
if (analyse !== null && !existsSync(analyse)) {
  process.stderr.write(`parts: ${analyse}: no such file\n`);
  process.exit(2);
}

const builds = [];
for (const [i, root] of roots.entries()) {
  const load = (m) => import(pathToFileURL(join(root, 'dist', ...m.split('/'))).href);
  const build = { name: i === 0 ? 'this' : 'against', batch: await load('har/stream/batch.js'), loader: await load('har/load.js'), analysis: await load('analyze.js'), reads: 0, readBytes: 0, counting: false };
  // Texts the analysis reads back from the temporary file (har/stream/spill.ts), counted where they are not at hand.
  const { SpillFile } = await load('har/stream/spill.js');
  const get = SpillFile.prototype.get;
  SpillFile.prototype.get = function (t) {
    if (build.counting && !this.cache.has(t)) {
      build.reads += 1;
      build.readBytes += t.bytes;
    }
    return get.call(this, t);
  };
  builds.push(build);
}

// About 1 MB of whole entries per batch, written as the generator writes a capture.
const next = makeGenerator({ profile, seed: 7 });
const batches = [];
let entries = 0;
while (batches.length < count) {
  const parts = [];
  let len = 0;
  while (len < 1_000_000) {
    const e = next();
    const json = format === 'pretty' ? JSON.stringify(e, null, 2) : JSON.stringify(e);
    parts.push(json);
    len += json.length;
    entries += 1;
  }
  batches.push(Buffer.from(parts.join(format === 'pretty' ? ',\n' : ','), 'utf8'));
}
const batchOf = (bytes) => ({ seq: 1, bytes, capped: [], retention: 'lean', input: 0, previousStart: null });

const times = new Map();
const note = (key, value) => times.set(key, [...(times.get(key) ?? []), value]);
for (let r = 0; r < runs; r += 1) {
  for (const b of builds) {
    let t = performance.now();
    for (const bytes of batches) b.batch.processBatch(batchOf(bytes));
    note(`${b.name}|batches inline (µs/entry)`, ((performance.now() - t) * 1000) / entries);
    const handed = batches.map((bytes) => ({ ...batchOf(bytes), projected: b.batch.projectBatch(batchOf(bytes)) }));
    t = performance.now();
    for (const batch of handed) b.batch.processBatch(batch);
    note(`${b.name}|batches handed over (µs/entry)`, ((performance.now() - t) * 1000) / entries);
    if (analyse !== null) {
      const capture = await b.loader.loadCapture(analyse);
      b.reads = b.readBytes = 0;
      b.counting = true;
      t = performance.now();
      b.analysis.analyze([capture], { tool: { name: 'comet-inspect', version: 'bench' } });
      note(`${b.name}|analysis (ms)`, performance.now() - t);
      b.counting = false;
      note(`${b.name}|texts read back (reads)`, b.reads);
      note(`${b.name}|texts read back (MB)`, b.readBytes / 1e6);
    }
  }
}

const fmt = (v) => (Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v.toFixed(1));
process.stdout.write(`parts: ${batches.length} batches, ${entries} ${profile} entries (${format}), ${runs} runs each; min / median\n`);
for (const [key, list] of times) {
  const [name, what] = key.split('|');
  const sorted = [...list].sort((a, b) => a - b);
  process.stdout.write(`  ${what.padEnd(34)} ${name.padEnd(8)} ${fmt(sorted[0])} / ${fmt(sorted[sorted.length >> 1])}\n`);
}
