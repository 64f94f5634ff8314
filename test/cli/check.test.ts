import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/model.js';
import { cli, ROOT } from './run.js';

const SAMPLES = join(ROOT, 'samples');
const LP = join(SAMPLES, 'xhr-long-poll.har');
const BACKOFF = join(SAMPLES, 'long-poll-backoff.har');
const TAOBAO = join(SAMPLES, 'taobao-polling.har');
const GOOD_FLAGS = ['--min-hold', '8s', '--max-poll-rate', '30/min', '--require-backoff', '--max-concurrent-per-channel', '1', '--forbid-modes', 'short-poll'];

function dir(files: Record<string, unknown>): string {
  const d = mkdtempSync(join(tmpdir(), 'ci-check-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return d;
}

const noGithub = { GITHUB_ACTIONS: '' };

describe('check: pass and fail', () => {
  it('exits 0 when every rule holds, one line per rule × channel with the measured value and the limit', () => {
    const r = cli(['check', LP, ...GOOD_FLAGS], { env: noGithub });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}pass {2}min-hold +c1 GET \/lp\?cursor=\{n\} +timeout 10 s; limit ≥ 8 s$/m);
    expect(r.stdout).toMatch(/pass {2}max-poll-rate .*\/min; limit ≤ 30\/min/);
    expect(r.stdout).toMatch(/Result {4}PASS {2}5 checks: 5 passed, 0 failed/);
  });

  it('exits 1 when an error rule fails, and names it', () => {
    const r = cli(['check', BACKOFF, '--max-errors', '0', '--require-backoff', '--max-gap', '3s'], { env: noGithub });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}max-errors +c1 GET \/updates\?since=\{n\} +4 errors in 8 requests; limit ≤ 0/);
    expect(r.stdout).toMatch(/pass {2}require-backoff .*510 ms, 1 s, 2 s, 4 s/);
    expect(r.stdout).toMatch(/FAIL {2}max-gap .*longest gap 4 s; limit ≤ 3 s/);
    expect(r.stdout).toMatch(/Result {4}FAIL/);
  });

  it('a rule with nothing to measure fails (no long-poll channel for min-hold) unless optional', () => {
    const r = cli(['check', TAOBAO, '--min-hold', '20s'], { env: noGithub });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}min-hold +– +missing: no long-poll channel in the capture/);
    const d = dir({ 'comet-inspect.config.json': { rules: { 'min-hold': { min: '20s', optional: true }, 'max-poll-rate': { max: '60/min' } } } });
    const ok = cli(['check', TAOBAO], { cwd: d, env: noGithub });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/skip {2}min-hold .*optional, skipped/);
    expect(ok.stdout).toMatch(/Policy {4}comet-inspect\.config\.json/);
  });

  it('--warn-only reports the failures and exits 0; warn severity never fails the run', () => {
    const r = cli(['check', BACKOFF, '--max-errors', '0', '--warn-only'], { env: noGithub });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/FAIL {2}max-errors/);
    expect(r.stdout).toMatch(/--warn-only: not failing the run/);
    const d = dir({ 'p.json': { rules: { 'max-errors': 'warn' } } });
    const w = cli(['check', BACKOFF, '--config', join(d, 'p.json')], { env: noGithub });
    expect(w.code).toBe(0);
    expect(w.stdout).toMatch(/warn {2}max-errors/);
  });

  it('flags override the policy file\'s entry for the same rule', () => {
    const d = dir({ 'comet-inspect.config.json': { rules: { 'max-poll-rate': { max: '1/min' }, 'max-errors': true } } });
    const r = cli(['check', LP, '--max-poll-rate', '30/min'], { cwd: d, env: noGithub });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Policy {4}comet-inspect\.config\.json \+ flags --max-poll-rate/);
  });

  it('reads the policy from a "comet-inspect" key in package.json', () => {
    const d = dir({ 'package.json': { name: 'app', 'comet-inspect': { rules: { 'forbidden-modes': { modes: ['long-poll'] } } } } });
    const r = cli(['check', LP], { cwd: d, env: noGithub });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Policy {4}package\.json "comet-inspect"/);
    expect(r.stdout).toMatch(/FAIL {2}forbidden-modes/);
  });
});

describe('check: machine-readable output', () => {
  it('--format json prints the whole Analysis with findings filled in', () => {
    const r = cli(['check', BACKOFF, '--format', 'json', '--max-errors', '0', '--require-backoff'], { env: noGithub });
    expect(r.code).toBe(1);
    const a = JSON.parse(r.stdout) as Analysis;
    expect(a.schemaVersion).toBe(1);
    expect(a.channels).toHaveLength(1);
    expect(a.findings).toEqual([
      expect.objectContaining({ rule: 'require-backoff', severity: 'error', channel: 'c1', status: 'pass', measured: [510, 1005, 2004, 4004], limit: 250, unit: 'ms', source: '--require-backoff' }),
      expect.objectContaining({ rule: 'max-errors', severity: 'error', channel: 'c1', status: 'fail', measured: 4, limit: 0, unit: 'count', source: '--max-errors' }),
    ]);
  });

  it('--format junit: one testcase per rule × channel, failures and skips counted', () => {
    const d = dir({ 'p.json': { rules: { 'min-hold': { min: '20s', optional: true }, 'max-poll-rate': { max: '30/min' }, 'max-errors': 'warn' } } });
    const r = cli(['check', TAOBAO, '--config', join(d, 'p.json'), '--format', 'junit'], { env: noGithub });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="comet-inspect check" tests="5" failures="1" errors="0" skipped="1"/);
    expect(r.stdout.match(/<testcase /g)).toHaveLength(5);
    expect(r.stdout).toMatch(/<testcase classname="comet-inspect.max-poll-rate" name="max-poll-rate · c1 GET \/wangwang\/poll\?cmd=getMessage&amp;nkh=…/);
    expect(r.stdout).toMatch(/<failure message="60\/min; limit ≤ 30\/min — 40 requests" type="max-poll-rate">/);
    expect(r.stdout).toMatch(/<skipped message="missing: no long-poll channel/);
  });

  it('--out writes the report to a file', () => {
    const d = dir({});
    const out = join(d, 'comet.xml');
    const r = cli(['check', LP, ...GOOD_FLAGS, '--format', 'junit', '--out', out], { env: noGithub });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/tests="5" failures="0"/);
  });

  it('GitHub Actions annotations when GITHUB_ACTIONS=true: on stdout with text, on stderr beside JSON', () => {
    const r = cli(['check', BACKOFF, '--max-errors', '0', '--max-gap', '10s'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error title=comet-inspect max-errors \(c1\)::c1 GET \/updates\?since=\{n\}: 4 errors in 8 requests; limit ≤ 0$/m);
    expect(r.stdout).not.toMatch(/::error title=comet-inspect max-gap/);
    const j = cli(['check', BACKOFF, '--max-errors', '0', '--format', 'json'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(() => JSON.parse(j.stdout)).not.toThrow();
    expect(j.stderr).toMatch(/^::error title=comet-inspect max-errors/m);
    const w = cli(['check', BACKOFF, '--max-errors', '0', '--warn-only'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(w.stdout).toMatch(/^::warning title=comet-inspect max-errors/m);
    const off = cli(['check', BACKOFF, '--max-errors', '0'], { env: noGithub });
    expect(off.stdout).not.toMatch(/::error/);
  });
});

describe('check: usage and policy mistakes exit 2', () => {
  it('lists every mistake in the policy file with its path, one per line, no stack trace', () => {
    const d = dir({ 'comet-inspect.config.json': { rules: { 'min-hold': { min: '20 secs' }, 'max-pol-rate': { max: '12/min' }, 'max-gap': { max: 5000 }, 'forbidden-modes': { modes: 'polling' } } } });
    const r = cli(['check', LP], { cwd: d, env: noGithub });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'comet-inspect: check: the policy has 4 mistakes:',
      '  comet-inspect.config.json: rules.min-hold.min: bad duration "20 secs": write a number and a unit, e.g. "500ms", "25s", "2m"',
      '  comet-inspect.config.json: rules.max-pol-rate: unknown rule (did you mean "max-poll-rate"?) (comet-inspect check --list-rules lists them)',
      '  comet-inspect.config.json: rules.max-gap.max: bad duration 5000: write a number and a unit, e.g. "500ms", "25s", "2m"',
      '  comet-inspect.config.json: rules.forbidden-modes.modes: must be one of "short-poll", "long-poll", "stream", "websocket", not string "polling"',
    ]);
  });

  it('bad flag values, a missing --config file, broken JSON', () => {
    const flags = cli(['check', LP, '--max-poll-rate', '12', '--min-hold', 'soon'], { env: noGithub });
    expect(flags.code).toBe(2);
    expect(flags.stderr).toMatch(/^ {2}--min-hold: bad duration "soon"/m);
    expect(flags.stderr).toMatch(/^ {2}--max-poll-rate: bad rate "12"/m);
    const missing = cli(['check', LP, '--config', 'nope.json'], { env: noGithub });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--config nope\.json: no such file/);
    const d = dir({ 'comet-inspect.config.json': '{ "rules": { "max-errors": true, } }' });
    const broken = cli(['check', LP], { cwd: d, env: noGithub });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/comet-inspect\.config\.json: not valid JSON at line 1 column \d+/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('no policy anywhere, no capture, an unreadable capture', () => {
    const d = dir({});
    const none = cli(['check', LP], { cwd: d, env: noGithub });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no policy: give --config FILE, add comet-inspect\.config\.json/);
    expect(cli(['check', '--max-errors', '0'], { env: noGithub }).code).toBe(2);
    const bad = cli(['check', join(d, 'missing.har'), '--max-errors', '0'], { env: noGithub });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^comet-inspect: .*missing\.har/);
  });
});

describe('check --list-rules', () => {
  it('prints each rule\'s docs from its meta', () => {
    const r = cli(['check', '--list-rules']);
    expect(r.code).toBe(0);
    for (const id of ['min-hold', 'max-hold', 'max-poll-rate', 'max-gap', 'require-backoff', 'max-reconnects-per-minute', 'max-concurrent-per-channel', 'allowed-modes', 'forbidden-modes', 'expect-protocol', 'declared-matches-observed', 'max-errors', 'no-open-at-end']) {
      expect(r.stdout).toMatch(new RegExp(`^${id}`, 'm'));
    }
    expect(r.stdout).toMatch(/^no-open-at-end {2}\(opt-in\)$/m);
    expect(r.stdout).toMatch(/flag: --max-poll-rate <rate>/);
    expect(r.stdout).toMatch(/ {2}- min: shortest acceptable hold/);
    const j = JSON.parse(cli(['check', '--list-rules', '--format', 'json']).stdout) as { id: string; options: Record<string, string> }[];
    expect(j.find((x) => x.id === 'min-hold')?.options).toHaveProperty('min');
  });

  it('--list-protocols prints every protocol module from its meta, in text and JSON', async () => {
    const { PROTOCOLS } = await import('../../src/protocols/index.js');
    const r = cli(['check', '--list-protocols']);
    expect(r.code).toBe(0);
    for (const p of PROTOCOLS) expect(r.stdout).toMatch(new RegExp(`^${p.meta.id.replace('.', '\\.')} {2}\\(${p.meta.name.replace(/[().]/g, '\\$&')}\\)$`, 'm'));
    expect(r.stdout).toMatch(/^socket\.io {2}\(Socket\.IO\)\n {2}.+\n {2}recognised by: .*EIO=3\|4/m);
    expect(r.stdout).toMatch(/^none: no protocol recognised/m);
    const j = JSON.parse(cli(['check', '--list-protocols', '--format', 'json']).stdout) as { id: string; signals: string[] }[];
    expect(j.map((x) => x.id)).toEqual(PROTOCOLS.map((p) => p.meta.id));
    expect(j.find((x) => x.id === 'bayeux')?.signals.length).toBeGreaterThan(0);
  });

  it('check --help shows examples and the rule flags', () => {
    const r = cli(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n\s+\$ comet-inspect check/);
    expect(r.stdout).toMatch(/--max-poll-rate <rate>/);
    expect(r.stdout).toMatch(/--warn-only/);
  });
});
