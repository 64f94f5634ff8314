#!/usr/bin/env node
// Bundles the compiled CLI (dist/, what tsc wrote) into dist/bundle/: an entry for the command line and one for each
// worker thread, with chunks for what they share and for code imported on demand, so that a run on a capture loads
// about 15 files instead of ~85 modules. Node resolves, reads, compiles and links every ES module of a program before
// it starts: a run on a small capture took 0.21 s against 0.25 s (median of 8, on a 2-core machine). One file without
// chunks was slower (0.32 s): the whole tool was then parsed at start. The packages in `dependencies` stay outside.
//
// bin/comet-inspect.js loads the bundle when it is at least as new as dist/cli/main.js, and dist/cli/main.js
// otherwise. The files keep their depth under dist/ (dist/bundle/cli.js beside dist/cli/main.js), so that paths
// worked out from import.meta.url (package.json for the version, the worker scripts beside the reader) come out the
// same.
//
//   node scripts/build-bundle.mjs   (part of `npm run build`, after tsc)
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(ROOT, 'dist');
const out = join(dist, 'bundle');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: {
    cli: join(dist, 'cli', 'main.js'),
    // The names the reader looks for beside itself (har/stream/pool.ts scriptNear).
    worker: join(dist, 'har', 'stream', 'worker.js'),
    'inflate-worker': join(dist, 'har', 'stream', 'inflate-worker.js'),
  },
  outdir: out,
  bundle: true,
  // Code the CLI imports only when asked (other commands, report formats) stays in chunks of its own.
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
