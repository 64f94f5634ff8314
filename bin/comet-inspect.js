#!/usr/bin/env node
// Ctrl-C stops at once with the shell's usual code, from the first moment (before the tool has even loaded).
process.once('SIGINT', () => process.exit(130));

import { statSync } from 'node:fs';

/**
 * The bundled build (scripts/build-bundle.mjs: about 15 files instead of ~85 modules, ~50 ms less to start) when it
 * is at least as new as what tsc wrote; dist/cli/main.js otherwise (a bundle left over from an earlier build).
 */
function entry() {
  const mtime = (rel) => {
    try {
      return statSync(new URL(rel, import.meta.url)).mtimeMs;
    } catch {
      return -1;
    }
  };
  const bundle = mtime('../dist/bundle/cli.js');
  return bundle >= 0 && bundle >= mtime('../dist/cli/main.js') ? '../dist/bundle/cli.js' : '../dist/cli/main.js';
}

let main;
try {
  ({ main } = await import(entry()));
} catch (err) {
  // A missing or broken build (e.g. a clone where `npm install` has not run): say so in one line.
  process.stderr.write(`comet-inspect: cannot load the tool (${err && err.message ? err.message.split('\n')[0] : String(err)}); run \`npm install\` (or \`npm run build\`) in its folder\n`);
  process.exit(2);
}
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    // main() handles every expected failure; this is the last line of defence.
    process.stderr.write(`comet-inspect: internal error: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
