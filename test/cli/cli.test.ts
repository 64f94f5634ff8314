import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT } from './run.js';

const FIX = join(ROOT, 'test/fixtures/har');
const tmp = mkdtempSync(join(tmpdir(), 'ci-cli-'));

describe('help and version', () => {
  it('prints the version from package.json', () => {
    const r = cli(['--version']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lists the commands, and each command shows an example', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/analyze \[options\] <capture\.\.\.>/);
    expect(r.stdout).toMatch(/validate/);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {4}done\n(.*\n){3} {2}130 {2}interrupted/);
    for (const cmd of ['analyze', 'validate']) {
      const h = cli([cmd, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/Examples:\n\s+\$ comet-inspect/);
    }
  });

  it('exits 2 on an unknown option, with a hint and no stack trace', () => {
    const r = cli([join(FIX, 'quirks.har'), '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('analyze (default command)', () => {
  it('summarises what was read: exporter, HAR version, duration, entries by type and state, warnings', () => {
    const r = cli([join(FIX, 'quirks.har')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exporter\s+comet-inspect hand-made fixture 1 \(other\), HAR 1\.2, 28 entries/);
    expect(r.stdout).toMatch(/Duration\s+/);
    expect(r.stdout).toMatch(/States\s+.*complete \d+.*open \d+/);
    expect(r.stdout).toMatch(/! startedDateTime without a time zone; assumed UTC/);
    expect(r.stderr).toBe('');
  });

  it('"analyze" may be named or left out', () => {
    expect(cli(['analyze', join(FIX, 'quirks.har')]).stdout).toBe(cli([join(FIX, 'quirks.har')]).stdout);
  });

  it('prints the inputs and capture parts of the JSON contract', () => {
    const r = cli([join(FIX, 'quirks.har'), '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, any>;
    expect(report['schemaVersion']).toBe(1);
    expect(report['tool']).toMatchObject({ name: 'comet-inspect' });
    expect(report['inputs'][0]).toMatchObject({ creator: 'comet-inspect hand-made fixture 1', harVersion: '1.2', entries: 28 });
    expect(report['inputs'][0].warnings.length).toBeGreaterThan(3);
    expect(report['capture']).toMatchObject({ start: expect.stringMatching(/^\d{4}-/), end: expect.stringMatching(/^\d{4}-/) });
    expect(Array.isArray(report['channels'])).toBe(true);
  });

  it('reads several captures and stdin', () => {
    const r = cli([join(FIX, 'version-1.1.har'), '-', '--format', 'json'], { input: readFileSync(join(FIX, 'version-1.3.har')) });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { inputs: { file: string; harVersion: string }[] };
    expect(report.inputs.map((i) => i.harVersion)).toEqual(['1.1', '1.3']);
    expect(report.inputs[1]!.file).toBe('stdin');
  });

  // A shell's process substitution hands over a named pipe (/dev/fd/63): no size, readable once.
  it.skipIf(process.platform === 'win32')('reads named pipes: `comet-inspect <(cat a.har) <(gzip -c b.har)`, their errors worded as a file\'s', () => {
    const sub = (line: string) => {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${line}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' }, timeout: 60_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const r = sub(`<(cat "${join(FIX, 'version-1.1.har')}") <(gzip -c "${join(FIX, 'version-1.3.har')}") --format json`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { inputs: { file: string; harVersion: string }[] };
    expect(report.inputs.map((i) => i.harVersion)).toEqual(['1.1', '1.3']);
    expect(report.inputs[0]!.file).toMatch(/^\/dev\/fd\/\d+$|^\/proc\//);
    const bad = sub(`<(printf 'not json')`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^comet-inspect: \S+: not valid JSON at line 1, column 1 \(unexpected "n"\)\n$/);
    const empty = sub(`<(printf '')`);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/: the file is empty\n$/);
  });

  it('analyses a truncated capture with a warning and exit 0', () => {
    const r = cli([join(FIX, 'truncated.har')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cut off at line \d+, column \d+.*recovered 3 complete entries/);
  });
});

describe('bad input: one line on stderr, exit 2, never a stack trace', () => {
  const cases: [string, RegExp][] = [
    ['missing.har', /missing\.har: no such file/],
    ['.', /is a directory/],
    ['empty.har', /empty\.har: the file is empty/],
    ['not-json.har', /not-json\.har: not valid JSON at line 2, column 16 \(unexpected "o"/],
    ['not-har.json', /not a HAR \(no "log" object at the top level\)/],
  ];
  for (const [name, message] of cases) {
    it(name, () => {
      const r = cli([join(FIX, name)]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('--out', () => {
  it('writes the report to a file, refuses to replace it without --force, and never overwrites an input', () => {
    const input = join(tmp, 'in.har');
    copyFileSync(join(FIX, 'version-1.1.har'), input);
    const before = readFileSync(input, 'utf8');
    const out = join(tmp, 'report.json');
    expect(cli([input, '--format', 'json', '--out', out]).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ schemaVersion: 1 });

    const again = cli([input, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists \(add --force/);
    expect(cli([input, '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/Capture/);

    const self = cli([input, '--out', input, '--force']);
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/is one of the input captures/);
    expect(readFileSync(input, 'utf8')).toBe(before);
  });
});

describe('validate', () => {
  it('exits 0 for a valid capture', () => {
    const r = cli(['validate', join(FIX, 'version-1.1.har')]);
    expect(r.stdout).toMatch(/^valid/);
    expect(r.code).toBe(0);
  });

  it('lists every violation with its JSON path and exits 1', () => {
    const r = cli(['validate', join(FIX, 'quirks.har')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/invalid\s+.*quirks\.har: \d+ violations/);
    expect(r.stdout).toMatch(/log\.entries\[7\]\.timings\.dns: must be number/);
    expect(r.stdout).toMatch(/log\.entries\[9\]\.timings\.wait: is required/);
    expect(r.stdout).toMatch(/log\.entries\[\d+\]\.response: is required/);
  });

  it('gives JSON with --format json', () => {
    const r = cli(['validate', join(FIX, 'quirks.har'), '--format', 'json']);
    const results = JSON.parse(r.stdout) as { valid: boolean; violations: { path: string }[] }[];
    expect(results[0]!.valid).toBe(false);
    expect(results[0]!.violations.some((v) => v.path.startsWith('log.entries['))).toBe(true);
  });

  it('still exits 2 for input that is not a HAR at all', () => {
    const r = cli(['validate', join(FIX, 'empty.har')]);
    expect(r.code).toBe(2);
  });
});

describe('output to a closed pipe', () => {
  it('exits quietly when stdout closes early', () => {
    // Build a capture large enough that the report outlives `head -1`.
    const big = JSON.parse(readFileSync(join(FIX, 'quirks.har'), 'utf8')) as { log: { entries: unknown[] } };
    big.log.entries = Array.from({ length: 40 }, () => big.log.entries).flat();
    const file = join(tmp, 'big.har');
    writeFileSync(file, JSON.stringify(big));
    const script = `"${process.execPath}" "${BIN}" "${file}" --format json | head -c 10 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.trim()).toBe('exit=0');
    expect(r.stderr).toBe('');
  });
});
