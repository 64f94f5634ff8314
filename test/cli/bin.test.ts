// bin/comet-inspect.js starts the bundled build (dist/bundle/, scripts/build-bundle.mjs) when it is at least as new as
// what tsc wrote, and dist/cli/main.js otherwise: a bundle left over from an earlier build must never run instead of
// newer code. Here the bin runs in a scratch tree whose two builds only say which one they are.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './run.js';

const tree = mkdtempSync(join(tmpdir(), 'bin-test-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));
mkdirSync(join(tree, 'bin'));
mkdirSync(join(tree, 'dist', 'cli'), { recursive: true });
copyFileSync(join(ROOT, 'bin', 'comet-inspect.js'), join(tree, 'bin', 'comet-inspect.js'));
const stub = (which: string) => `export async function main() { process.stdout.write('${which}'); return 0; }\n`;
const main = join(tree, 'dist', 'cli', 'main.js');
const bundle = join(tree, 'dist', 'bundle', 'cli.js');
writeFileSync(main, stub('tsc build'));

const run = () => spawnSync(process.execPath, [join(tree, 'bin', 'comet-inspect.js')], { encoding: 'utf8' });
const at = (file: string, seconds: number) => utimesSync(file, seconds, seconds);

describe('bin/comet-inspect.js', () => {
  it('runs what tsc wrote when there is no bundle', () => {
    expect(run().stdout).toBe('tsc build');
  });

  it('runs the bundle when it is as new as the tsc build or newer, and the tsc build when the bundle is older', () => {
    mkdirSync(join(tree, 'dist', 'bundle'), { recursive: true });
    writeFileSync(bundle, stub('bundle'));
    at(main, 1_000_000);
    at(bundle, 1_000_000); // what npm pack leaves: every file with the same date
    expect(run().stdout).toBe('bundle');
    at(bundle, 2_000_000);
    expect(run().stdout).toBe('bundle');
    at(main, 3_000_000); // `tsc` run again after the last bundle
    expect(run().stdout).toBe('tsc build');
  });

  it('says in one line that the tool cannot load when neither build is there', () => {
    rmSync(join(tree, 'dist'), { recursive: true, force: true });
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot load the tool .*npm install/);
  });
});
