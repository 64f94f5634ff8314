// Running out of memory ends a Node process with a V8 "FATAL ERROR … heap out of memory" and a native stack trace,
// exit 134. A long capture on a small machine (Node allows about a quarter of the RAM by default) can get there, so
// the reader and the analysis look at the heap as they go and stop first, with one line that says what to do.
import { totalmem } from 'node:os';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

export class OutOfMemoryError extends Error {
  readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'OutOfMemoryError';
  }
}

const MiB = 1024 * 1024;
const mb = (bytes: number): number => Math.round(bytes / MiB);

/** Room left in the old generation below which a run stops, when it stays there: a share of it, or at least 24 MiB. */
const ROOM = 0.1;
const ROOM_MIN = 24 * MiB;
/** Consecutive full readings before stopping: one can be garbage about to be collected. */
const STRIKES = 3;
let strikes = 0;

/**
 * V8's heap limit is the old generation's (--max-old-space-size) plus the young one's: three semi-spaces, 16 MiB
 * each unless --max-semi-space-size says otherwise. It is the old generation that fills up and ends the process.
 * The flags are fixed for the life of the process, so this is worked out once.
 */
const YOUNG_GENERATION_MAX = ((): number => {
  let semi = 16;
  for (const flag of [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)]) {
    const m = /^--max-semi-space-size=(\d+)$/.exec(flag);
    if (m) semi = Number(m[1]);
  }
  return 3 * semi * MiB;
})();

/** Throws OutOfMemoryError when the heap stays nearly full; `doing` says where ("reading big.har"). A few µs. */
export function checkMemory(doing: string | (() => string)): void {
  const { heap_size_limit: limit } = getHeapStatistics();
  let old = 0;
  for (const space of getHeapSpaceStatistics()) if (!space.space_name.startsWith('new_')) old += space.space_used_size;
  const oldLimit = limit - YOUNG_GENERATION_MAX;
  if (old < oldLimit - Math.max(ROOM * oldLimit, ROOM_MIN)) {
    strikes = 0;
    return;
  }
  strikes += 1;
  if (strikes < STRIKES) return;
  strikes = 0;
  throw new OutOfMemoryError(outOfMemoryMessage(typeof doing === 'string' ? doing : doing(), limit));
}

export function outOfMemoryMessage(doing: string, heapLimit: number): string {
  const limit = heapLimit - YOUNG_GENERATION_MAX;
  const total = mb(totalmem());
  // Leave the system a quarter of the RAM; never suggest less than double what failed.
  const suggest = Math.max(mb(limit) * 2, Math.floor((total * 0.75) / 512) * 512);
  return (
    `not enough memory ${doing}: Node's heap limit is ${mb(limit)} MB and it is full. ` +
    `Allow more (this machine has ${total} MB): NODE_OPTIONS=--max-old-space-size=${suggest} comet-inspect …`
  );
}
