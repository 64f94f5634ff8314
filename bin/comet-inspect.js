#!/usr/bin/env node
// Ctrl-C stops at once with the shell's usual code, from the first moment (before the tool has even loaded).
process.once('SIGINT', () => process.exit(130));

const { main } = await import('../dist/cli/main.js');
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
