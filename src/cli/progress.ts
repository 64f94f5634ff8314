// Progress of reading large captures, on stderr: bytes read / total, MB/s and ETA, redrawn in place. Only when
// stderr is a terminal and CI is not set, and only once reading has taken a moment (small files stay silent).
import type { Progress } from '../har/stream/read.js';

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Stay silent until reading has taken this long (ms). */
  quietMs?: number;
}

export interface ProgressReporter {
  update: (p: Progress) => void;
  /**
   * Clears the line; or, when progress was shown (the read took a while), replaces it with `next` (what happens now,
   * e.g. "analysing 140,000 requests…"), which stays until clearStatus() — output calls it before writing.
   */
  end: (next?: string) => void;
}

let status: NodeJS.WriteStream | null = null;
let statusText = '';
let statusDrawn = -Infinity;

/** Clears a status line left by ProgressReporter.end(next), if any. */
export function clearStatus(): void {
  status?.write('\r\x1b[K');
  status = null;
}

/**
 * How far the step a status line names has got: "analysing 770,000 requests… 42%" (at most five redraws a second).
 * Nothing when no status line is shown. The analysis runs without yielding, so this is written synchronously (stderr
 * on a terminal is).
 */
export function statusProgress(share: number, now: number = performance.now()): void {
  if (status === null || (now - statusDrawn < 200 && share < 1)) return;
  statusDrawn = now;
  status.write(`\r\x1b[K${statusText} ${Math.min(100, Math.floor(share * 100))}%`);
}

export function progressReporter(opts: ProgressOptions = {}): ProgressReporter | null {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  if (!stream.isTTY || (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false')) return null;
  const now = opts.now ?? (() => performance.now());
  const quietMs = opts.quietMs ?? 700;
  const started = now();
  const files = new Map<string, Progress>();
  let lastDraw = 0;
  let drawn = false;
  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < 200) return;
    if (t - started < quietMs) return;
    lastDraw = t;
    let read = 0;
    let total = 0;
    let known = true;
    for (const p of files.values()) {
      read += p.read;
      if (p.total === null) known = false;
      else total += p.total;
    }
    const secs = (t - started) / 1000;
    const rate = read / 1e6 / Math.max(secs, 1e-3);
    const parts = [`reading ${files.size === 1 ? [...files.keys()][0] : `${files.size} captures`}`, known ? `${mb(read)} / ${mb(total)}` : mb(read), `${rate.toFixed(0)} MB/s`];
    if (known && rate > 0 && total > read) parts.push(`ETA ${Math.ceil((total - read) / 1e6 / rate)} s`);
    stream.write(`\r\x1b[K${parts.join('  ')}`);
    drawn = true;
  };
  return {
    update(p) {
      files.set(p.name, p);
      draw(false);
    },
    end(next) {
      if (drawn && next !== undefined) {
        stream.write(`\r\x1b[K${next}`);
        status = stream;
        statusText = next;
        statusDrawn = -Infinity;
      } else if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}
