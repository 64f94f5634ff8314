// The benchmark script as a developer runs it: a tiny size, and --against another checkout (here, this one) printed
// side by side; a folder that is not a built checkout is refused in one line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/captures.js';

const script = join(REPO, 'scripts/bench/run.mjs');
const built = existsSync(join(REPO, 'dist/har/stream/read.js'));

function bench(...args: string[]) {
  return spawnSync(process.execPath, [script, '--sizes', '1', '--profiles', 'meta', '--formats', 'pretty', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe.skipIf(!built)('npm run bench (needs `npm run build`)', () => {
  it('times another checkout beside this one with --against, best and median of runs taken in turns', { timeout: 120_000 }, () => {
    const r = bench('--runs', '2', '--against', REPO);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+1\s+meta\s+pretty\s+1\s/m);
    expect(r.stdout).toMatch(/this checkout against .+, runs taking turns/);
    expect(r.stdout).toMatch(/meta-pretty-1\.har\s+this: [\d.]+ s \(median [\d.]+\), \d+ MB\s+against: [\d.]+ s \(median [\d.]+\), \d+ MB/);
  });

  it('refuses an --against folder that is not a built checkout, in one line, with exit 2', () => {
    const r = bench('--against', join(REPO, 'test'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--against .*test is not a built comet-inspect checkout/);
  });
});

describe.skipIf(!built)('scripts/bench/parts.mjs (needs `npm run build`)', () => {
  const parts = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'scripts/bench/parts.mjs'), ...args], { encoding: 'utf8', timeout: 120_000 });

  it('times batch parsing and the analysis of this checkout and another, taking turns', { timeout: 120_000 }, () => {
    const r = parts('--batches', '2', '--runs', '2', '--against', REPO, '--analyse', join(REPO, 'samples/taobao-polling.har'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^parts: 2 batches, \d+ meta entries \(pretty\), 2 runs each/);
    for (const who of ['this', 'against']) {
      expect(r.stdout).toMatch(new RegExp(`batches inline \\(µs/entry\\)\\s+${who}\\s+[\\d.]+ / [\\d.]+`));
      expect(r.stdout).toMatch(new RegExp(`batches handed over \\(µs/entry\\)\\s+${who}\\s+[\\d.]+ / [\\d.]+`));
      expect(r.stdout).toMatch(new RegExp(`analysis \\(ms\\)\\s+${who}\\s+[\\d.]+ / [\\d.]+`));
      // A small capture is read whole: nothing waits in the temporary file.
      expect(r.stdout).toMatch(new RegExp(`texts read back \\(reads\\)\\s+${who}\\s+0 / 0`));
    }
  });

  it('refuses a folder that is not a built checkout, and a missing capture, in one line with exit 2', () => {
    for (const [args, message] of [
      [['--against', join(REPO, 'test')], /test is not a built comet-inspect checkout/],
      [['--analyse', join(REPO, 'nope.har')], /nope\.har: no such file/],
    ] as const) {
      const r = parts(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
