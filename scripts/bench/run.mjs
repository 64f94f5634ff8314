#!/usr/bin/env node
// Reader benchmark (issue 7): generates deterministic synthetic captures into a temporary folder, then times
// `comet-inspect <file> --format json` against a baseline measured in the same run — `node -e` doing
// JSON.parse(readFileSync(file, 'utf8')) and nothing else — and prints wall time, MB/s, peak RSS and the ratio.
// Generated files are deleted afterwards (pass --keep to keep them).
//
//   npm run bench -- [--sizes 100,400,1000,3000] [--profiles meta,bodies] [--formats pretty,minified]
//                    [--gzip] [--runs N] [--reader] [--keep] [--against DIR]
//   (also BENCH_SIZES, BENCH_PROFILES, BENCH_FORMATS, BENCH_RUNS, BENCH_AGAINST)
//
// --reader times the reader alone (loadCapture) instead of the whole CLI. Run `npm run build` first.
// --against DIR also times another built checkout of comet-inspect (say, a `git worktree` of an older commit) on
// the same files, its runs alternating with this one's: on a machine whose speed drifts, only builds measured
// side by side like this can be compared. Each time is the best of the runs; the median follows in brackets.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, env, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : (process.env[env] ?? dflt);
};
const sizes = opt('sizes', 'BENCH_SIZES', '100,400,1000,3000').split(',').map(Number);
const profiles = opt('profiles', 'BENCH_PROFILES', 'meta,bodies').split(',');
const formats = opt('formats', 'BENCH_FORMATS', 'pretty,minified').split(',');
const runs = Number(opt('runs', 'BENCH_RUNS', '1'));
const gzip = args.includes('--gzip');
const keep = args.includes('--keep');
const readerOnly = args.includes('--reader');
const against = opt('against', 'BENCH_AGAINST', null);

const built = (root) => existsSync(join(root, 'dist', 'har', 'stream', 'read.js'));
if (!built(ROOT)) {
  process.stderr.write('bench: run `npm run build` first\n');
  process.exit(2);
}
if (against !== null && (!existsSync(join(against, 'bin', 'comet-inspect.js')) || !built(against))) {
  process.stderr.write(`bench: --against ${against} is not a built comet-inspect checkout (bin/comet-inspect.js and dist/ are needed)\n`);
  process.exit(2);
}
const haveTime = existsSync('/usr/bin/time');
const dir = mkdtempSync(join(tmpdir(), 'comet-bench-'));
process.on('exit', () => {
  if (!keep) rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

/** Runs a node command once; returns { s, rssMB, cpu, ok, err }. */
function runOnce(nodeArgs) {
  const cmd = haveTime ? '/usr/bin/time' : process.execPath;
  const argv = haveTime ? ['-f', '@@%e %M %U %S', process.execPath, ...nodeArgs] : nodeArgs;
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  const wall = (performance.now() - t0) / 1000;
  const m = /@@([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  const body = (r.stderr ?? '').replace(/@@[\d. ]+\s*$/, '').trim();
  const exit = m ? /Command exited with non-zero status (\d+)/.exec(body) : null;
  const ok = r.status === 0 && !exit;
  return { s: m ? Number(m[1]) : wall, rssMB: m ? Number(m[2]) / 1024 : null, cpu: m ? Number(m[3]) + Number(m[4]) : null, ok, err: ok ? null : (/(ERR_[A-Z_]+|RangeError[^\n]*|Error[^\n]*)/.exec(body)?.[1] ?? body.split('\n').pop()) };
}

/**
 * Runs each node command `runs` times, taking turns; for each, the fastest run (with the median time of the
 * successful ones, and the highest peak RSS of them all).
 */
function measureEach(commands) {
  const results = commands.map(() => []);
  for (let i = 0; i < runs; i += 1) commands.forEach((c, k) => results[k].push(runOnce(c)));
  return results.map((list) => {
    const ok = list.filter((r) => r.ok).sort((a, b) => a.s - b.s);
    if (ok.length === 0) return list[0];
    return { ...ok[0], median: ok[Math.floor((ok.length - 1) / 2)].s, rssMB: Math.max(...ok.map((r) => r.rssMB ?? 0)) || null };
  });
}

const measure = (nodeArgs) => measureEach([nodeArgs])[0];

const againstLines = [];

/** This checkout's command on a file, and the other checkout's when --against is given, measured in turns. */
function measureOurs(path) {
  const cmd = (root) => (readerOnly ? ['-e', readerFor(root), path] : [join(root, 'bin', 'comet-inspect.js'), path, '--format', 'json']);
  const [ours, theirs] = measureEach(against === null ? [cmd(ROOT)] : [cmd(ROOT), cmd(against)]);
  if (theirs) {
    const show = (r) => (r.ok ? `${fmt(r.s, 2)} s (median ${fmt(r.median, 2)}), ${fmt(r.rssMB)} MB` : `fails (${r.err})`);
    againstLines.push(`${String(path.split('/').pop()).padEnd(28)} this: ${show(ours)}   against: ${show(theirs)}`);
  }
  return ours;
}

async function warm(path) {
  for await (const _ of createReadStream(path, { highWaterMark: 8 << 20 }));
}

const baselineJs = "JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'))";
const readerFor = (root) => `import(${JSON.stringify(join(root, 'dist', 'har', 'load.js'))}).then((m) => m.loadCapture(process.argv[1])).then(() => process.exit(0))`;

const rows = [];
const fmt = (n, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(d));
const line = (cells, widths) => cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
const head = ['size', 'profile', 'format', 'file MB', 'entries', 'base s', 'base cpu', 'base MB/s', 'base RSS', readerOnly ? 'reader s' : 'comet s', 'cpu s', 'MB/s', 'RSS MB', 'ratio'];
const widths = [5, 7, 8, 8, 8, 7, 8, 9, 9, 8, 6, 6, 7, 6];
process.stdout.write(`comet-inspect reader benchmark — ${readerOnly ? 'loadCapture() alone' : '`comet-inspect <file> --format json`'} vs \`node -e "${baselineJs}"\`\n`);
process.stdout.write(`node ${process.version}, ${runs} run(s) each (best), warm page cache, load average ${(await import('node:os')).loadavg()[0].toFixed(1)}, files in ${dir}\n`);
process.stdout.write('cpu s = user + system time (all threads); ratio = MB/s over the baseline\'s MB/s\n\n');
process.stdout.write(line(head, widths) + '\n');
const notes = new Set();
for (const size of sizes) {
  for (const profile of profiles) {
    for (const format of formats) {
      const path = join(dir, `${profile}-${format}-${size}.har`);
      const { entries } = generate(path, { profile, format, bytes: size * 1e6 });
      const mb = statSync(path).size / 1e6;
      await warm(path);
      const base = measure(['-e', baselineJs, path]);
      if (!base.ok) notes.add(`baseline fails at ${size} MB: ${base.err} (V8's string limit is ~512 MiB; readFileSync stops at 2 GiB)`);
      const ours = measureOurs(path);
      const row = { size, profile, format, fileMB: mb, entries, base, ours };
      rows.push(row);
      const baseRate = base.ok ? mb / base.s : null;
      const rate = ours.ok ? mb / ours.s : null;
      process.stdout.write(
        line(
          [size, profile, format, fmt(mb), entries, base.ok ? fmt(base.s, 2) : 'fails', base.ok ? fmt(base.cpu, 2) : '—', fmt(baseRate), base.ok ? fmt(base.rssMB) : '—', ours.ok ? fmt(ours.s, 2) : `fail`, fmt(ours.cpu, 2), fmt(rate), fmt(ours.rssMB), baseRate && rate ? `${fmt(rate / baseRate, 2)}×` : '—'],
          widths,
        ) + (ours.ok ? '' : `  (${ours.err})`) + '\n',
      );
      if (gzip && format === 'pretty') {
        const gz = `${path}.gz`;
        spawnSync('sh', ['-c', `gzip -1 -c '${path}' > '${gz}'`]);
        await warm(gz);
        const z = measureOurs(gz);
        rows.push({ size, profile, format: 'pretty.gz', fileMB: mb, entries, ours: z });
        process.stdout.write(line([size, profile, '.har.gz', fmt(mb), entries, '—', '—', '—', '—', z.ok ? fmt(z.s, 2) : 'fail', fmt(z.cpu, 2), fmt(z.ok ? mb / z.s : null), fmt(z.rssMB), '—'], widths) + '  (MB/s of decompressed data)\n');
        rmSync(gz, { force: true });
      }
      if (!keep) rmSync(path, { force: true });
    }
  }
}
process.stdout.write('\n');
if (againstLines.length) {
  process.stdout.write(`this checkout against ${against}, runs taking turns (best, median, peak RSS):\n`);
  for (const l of againstLines) process.stdout.write(`  ${l}\n`);
  process.stdout.write('\n');
}
for (const n of notes) process.stdout.write(`note: ${n}\n`);
if (args.includes('--json')) process.stdout.write(JSON.stringify(rows) + '\n');
