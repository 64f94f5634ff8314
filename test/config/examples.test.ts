// The sample policy in examples/ and the README must be policies the tool accepts, and the same one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/parse.js';
import { ROOT } from '../cli/run.js';

describe('sample policy', () => {
  const example = JSON.parse(readFileSync(join(ROOT, 'examples/comet-inspect.config.json'), 'utf8')) as unknown;

  it('examples/comet-inspect.config.json is valid and uses every rule it shows', () => {
    const entries = parsePolicy(example, 'examples/comet-inspect.config.json');
    expect(entries.length).toBeGreaterThan(8);
  });

  it('the README\'s CI section shows the same policy', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const ci = readme.slice(readme.indexOf('## CI'));
    const block = /```json\n([\s\S]*?)```/.exec(ci);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(example);
  });

  it('the README\'s check section policy (comments aside) is valid', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### `check`'));
    const block = /```jsonc\n([\s\S]*?)```/.exec(section)![1]!.replace(/\s*\/\/.*$/gm, '');
    expect(parsePolicy(JSON.parse(block), 'README').map((e) => e.rule)).toContain('require-backoff');
  });
});
