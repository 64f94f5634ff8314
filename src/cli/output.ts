import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../har/errors.js';
import { clearStatus } from './progress.js';

export interface OutputTarget {
  /** File to write, or undefined for stdout. */
  out?: string;
  force?: boolean;
  /** The captures given as input: never overwritten, even with --force. */
  inputs: string[];
}

/**
 * Writes a report to stdout or to --out. A file is written to a temporary name beside it and renamed into place,
 * so an interrupted run never leaves half a report; an input capture is never overwritten, and an existing file
 * only with --force.
 */
export async function emit(text: string, target: OutputTarget): Promise<void> {
  clearStatus();
  if (!target.out) {
    await writeStdout(text);
    return;
  }
  const dest = resolve(target.out);
  const destReal = realOrSelf(dest);
  for (const input of target.inputs) {
    if (input === '-') continue;
    if (realOrSelf(resolve(input)) === destReal) {
      throw new InputError(`--out ${target.out}: is one of the input captures; refusing to overwrite it`);
    }
  }
  if (existsSync(dest) && !target.force) {
    throw new InputError(`--out ${target.out}: already exists (add --force to replace it)`);
  }
  const temp = join(dirname(dest), `.${basename(dest)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, dest);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`--out ${target.out}: cannot write (${code ?? (err as Error).message})`);
  }
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function writeStdout(text: string): Promise<void> {
  return new Promise((done) => {
    // EPIPE (e.g. `| head -1`) is handled in main; the callback fires either way.
    process.stdout.write(text, () => done());
  });
}
