import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

// Installs the package the way users get it: `npm pack`, then a global install of the tarball into an empty
// prefix, then the installed `comet-inspect` binary is run. Slow (it fetches the runtime dependencies), so it
// has a long timeout; it is part of the suite CI runs.
describe('the packed package', () => {
  it('installs globally from its tarball and runs on a bundled sample', { timeout: 240_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), 'ci-pack-'));
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, stdio: 'pipe' });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tgz).toBeDefined();
    const prefix = join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(work, tgz!)], { cwd: work, stdio: 'pipe' });
    const bin = join(prefix, 'bin', 'comet-inspect');
    const env = { ...process.env, NO_COLOR: '1' };

    const version = spawnSync(bin, ['--version'], { cwd: work, encoding: 'utf8', env });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    // The policy's JSON Schema ships where the README tells a policy's `$schema` to point.
    const schema = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'comet-inspect', 'schema', 'config.schema.json'), 'utf8')) as { title?: string };
    expect(schema.title).toBe('comet-inspect policy');

    const sample = join(prefix, 'lib', 'node_modules', 'comet-inspect', 'samples', 'taobao-polling.har');
    const run = spawnSync(bin, [sample], { cwd: work, encoding: 'utf8', env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Exporter\s+Playwright/);
    expect(run.stdout).toMatch(/Push channels/);
  });
});
