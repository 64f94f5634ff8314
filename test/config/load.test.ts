import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/policy.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'ci-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

async function fails(p: Promise<unknown>): Promise<ConfigError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const POLICY = JSON.stringify({ rules: { 'max-errors': true } });

describe('finding the policy', () => {
  it('--config FILE first', async () => {
    const d = dir({ 'ci.json': POLICY, 'comet-inspect.config.json': JSON.stringify({ rules: { 'max-gap': { max: '5s' } } }) });
    const p = await loadPolicy(d, join(d, 'ci.json'));
    expect(p.entries.map((e) => e.rule)).toEqual(['max-errors']);
  });

  it('then comet-inspect.config.json in the directory, before package.json', async () => {
    const d = dir({ 'comet-inspect.config.json': POLICY, 'package.json': JSON.stringify({ name: 'x', 'comet-inspect': { rules: { 'max-gap': { max: '5s' } } } }) });
    const p = await loadPolicy(d);
    expect(p.from).toBe('comet-inspect.config.json');
    expect(p.entries.map((e) => e.rule)).toEqual(['max-errors']);
  });

  it('then a "comet-inspect" key in package.json, with paths that say so', async () => {
    const d = dir({ 'package.json': JSON.stringify({ name: 'x', 'comet-inspect': { rules: { 'max-gap': { max: '5s' } } } }) });
    expect((await loadPolicy(d)).from).toBe('package.json "comet-inspect"');
    const bad = dir({ 'package.json': JSON.stringify({ 'comet-inspect': { rules: { 'max-gap': { max: 5 } } } }) });
    const err = await fails(loadPolicy(bad));
    expect(err.where).toBe('package.json');
    expect(err.issues[0]!.path).toBe('comet-inspect.rules.max-gap.max');
  });

  it('no policy at all is not an error here (the command decides)', async () => {
    expect(await loadPolicy(dir({ 'package.json': '{"name":"x"}' }))).toEqual({ from: null, entries: [] });
  });

  it('a missing --config file, a directory, and broken JSON with its line and column', async () => {
    const d = dir({ 'comet-inspect.config.json': '{\n  "rules": {\n    "max-errors": true,\n  }\n}\n' });
    expect((await fails(loadPolicy(d, join(d, 'nope.json')))).issues[0]!.message).toBe('no such file');
    mkdirSync(join(d, 'sub'));
    expect((await fails(loadPolicy(d, join(d, 'sub')))).issues[0]!.message).toBe('is a directory');
    const err = await fails(loadPolicy(d));
    expect(err.where).toBe('comet-inspect.config.json');
    expect(err.issues[0]!.message).toMatch(/^not valid JSON at line 4 column 3/);
  });
});
