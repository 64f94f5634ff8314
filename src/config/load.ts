// Finds and reads the policy: --config FILE, else comet-inspect.config.json, else a "comet-inspect" key in
// package.json, in the given directory. Every mistake comes back as a ConfigError with its path.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePolicy } from './parse.js';
import { ConfigError, type PolicyEntry } from './policy.js';

export const CONFIG_FILE = 'comet-inspect.config.json';
export const PACKAGE_KEY = 'comet-inspect';

export interface LoadedPolicy {
  /** Where it came from ("comet-inspect.config.json", "package.json \"comet-inspect\""), or null when there is none. */
  from: string | null;
  entries: PolicyEntry[];
}

export async function loadPolicy(cwd: string, configPath?: string): Promise<LoadedPolicy> {
  if (configPath !== undefined) {
    const text = await readText(configPath, `--config ${configPath}`);
    if (text === null) throw new ConfigError(`--config ${configPath}`, [{ path: '', message: 'no such file' }]);
    return { from: configPath, entries: parsePolicy(parseJson(text, configPath), configPath) };
  }
  const own = join(cwd, CONFIG_FILE);
  const text = await readText(own, CONFIG_FILE);
  if (text !== null) return { from: CONFIG_FILE, entries: parsePolicy(parseJson(text, CONFIG_FILE), CONFIG_FILE) };
  const pkgText = await readText(join(cwd, 'package.json'), 'package.json');
  if (pkgText !== null) {
    const pkg = parseJson(pkgText, 'package.json');
    if (typeof pkg === 'object' && pkg !== null && PACKAGE_KEY in pkg) {
      const where = `package.json "${PACKAGE_KEY}"`;
      return { from: where, entries: parsePolicy((pkg as Record<string, unknown>)[PACKAGE_KEY], 'package.json', [PACKAGE_KEY]) };
    }
  }
  return { from: null, entries: [] };
}

async function readText(path: string, label: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new ConfigError(label, [{ path: '', message: code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? (err as Error).message})` }]);
  }
}

/** JSON.parse with the mistake's line and column, the way people look for it. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let at = '';
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      const col = Number(pos[1]) - before.lastIndexOf('\n');
      at = ` at line ${line} column ${col}`;
    }
    const what = msg.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new ConfigError(where, [{ path: '', message: `not valid JSON${at}: ${what}` }]);
  }
}
