import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = `${ROOT}bin/comet-inspect.js`;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds first) as a user would, without a terminal. */
export function cli(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: 'true', ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
