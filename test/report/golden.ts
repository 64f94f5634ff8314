// Golden outputs: a rendered report is compared byte for byte with test/golden/<name>. A difference fails the test;
// `UPDATE_GOLDEN=1 npx vitest run test/report` rewrites the files, and the diff is then reviewed like code.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'test/golden');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

export function golden(name: string, actual: string): void {
  const file = join(DIR, name);
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file test/golden/${name}: run UPDATE_GOLDEN=1 npx vitest run test/report, then review it`);
  const expected = readFileSync(file, 'utf8');
  // toBe prints a line diff; the hint says how to accept a reviewed change.
  expect(actual, `output differs from test/golden/${name} (if the change is intended: UPDATE_GOLDEN=1 npx vitest run test/report, then review the diff)`).toBe(expected);
}
