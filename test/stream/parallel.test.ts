import { describe, expect, it } from 'vitest';
import { loadCaptureWhole } from '../../src/har/load.js';
import { loadCaptures } from '../../src/har/parallel.js';
import { workerScript } from '../../src/har/stream/pool.js';
import { InputError } from '../../src/har/errors.js';
import { writeCapture } from './helpers.js';

describe('several captures in one call', () => {
  const paths = [
    writeCapture({ entries: 200, format: 'pretty', seed: 1 }),
    writeCapture({ entries: 5, format: 'minified', seed: 2 }),
    writeCapture({ entries: 120, profile: 'bodies', format: 'minified', seed: 3 }),
    writeCapture({ entries: 60, format: 'pretty', wrap: 'gzip', seed: 4 }),
  ];

  it.skipIf(workerScript() === null)('are read in worker threads, with results in input order', async () => {
    const caps = await loadCaptures(paths);
    expect(caps).toHaveLength(paths.length);
    for (const [i, path] of paths.entries()) {
      const whole = await loadCaptureWhole(path, { input: i });
      expect(caps[i]).toEqual(whole);
    }
  });

  it('read inline give the same', async () => {
    const caps = await loadCaptures(paths, { threads: 'inline' });
    for (const [i, path] of paths.entries()) expect(caps[i]).toEqual(await loadCaptureWhole(path, { input: i }));
  });

  it('fail with the first failure in input order', async () => {
    const err = await loadCaptures([paths[0]!, '/nonexistent/a.har', '/nonexistent/b.har']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/a\.har: no such file/);
  });
});
