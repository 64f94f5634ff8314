// Where the tests find captures: the repository's own folders and the shared third-party corpus that sits beside
// the repository in the project's workspace (CI has it; a user's clone does not, and tests that need it skip).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS = join(REPO, '../shared/corpus/public');

/** The captures in a folder (.har, .harp, .zhar, .json; not manifest.json), sorted, as full paths. */
export function captureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /\.(har|harp|zhar|json)$/i.test(n) && n !== 'manifest.json')
    .sort()
    .map((n) => join(dir, n));
}
