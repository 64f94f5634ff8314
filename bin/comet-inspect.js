#!/usr/bin/env node
// Ctrl-C stops at once with the shell's usual code, from the first moment (before the tool has even loaded).
process.once('SIGINT', () => process.exit(130));

let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
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
