// Reads several captures at once. Files are read concurrently (at most one per CPU), and every capture's batches
// of entries are parsed by one shared pool of worker threads, so threads stay bounded by the CPU count however
// many captures are given. Results come back in input order; a failure is the first one in input order.
import { availableParallelism } from 'node:os';
import type { Capture } from '../model.js';
import { loadCapture, type LoadOptions } from './load.js';

export type LoadManyOptions = Omit<LoadOptions, 'input'>;

export async function loadCaptures(paths: string[], opts: LoadManyOptions = {}): Promise<Capture[]> {
  const out: Capture[] = new Array(paths.length);
  const errors: unknown[] = new Array(paths.length);
  const lanes = Math.max(1, Math.min(availableParallelism(), paths.length));
  let next = 0;
  const threads = opts.threads ?? (paths.length > 1 ? 'workers' : 'auto');
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const i = next++;
      try {
        out[i] = await loadCapture(paths[i]!, { ...opts, input: i, threads });
      } catch (err) {
        errors[i] = err;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  for (let i = 0; i < paths.length; i += 1) if (i in errors && errors[i] !== undefined) throw errors[i];
  return out;
}
