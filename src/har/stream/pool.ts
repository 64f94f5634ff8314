// A small pool of worker threads that parse batches of entries. One pool serves every capture of a run, so the
// number of threads stays bounded by the CPU count however many captures are read at once.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { OutOfMemoryError, outOfMemoryMessage } from '../../memory.js';
import { BatchSyntaxError, processBatch, type Batch, type BatchResult, type Projected } from './batch.js';
import { internExchanges } from './intern.js';
import { decodeExchanges, type WireExchanges } from './wire.js';

/**
 * Parses a batch on this thread, now (small captures, two cores or fewer, or no workers); its exchanges share strings
 * and headers run-wide.
 */
export function runInline(batch: Batch): BatchResult {
  const result = processBatch(batch);
  internExchanges(result.partials);
  return result;
}

interface Task {
  id: number;
  batch: Batch;
  /** Only project the batch (projectBatch), and hand it back with its projection, to be parsed by the caller. */
  projectOnly: boolean;
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

interface WorkerReply {
  id: number;
  result?: BatchResult;
  wire?: WireExchanges;
  projected?: Projected | null;
  bytes?: Uint8Array;
  into?: ArrayBuffer;
  error?: { name: string; message: string; seq: number };
}

export class WorkerPool {
  /** How many batches may be in flight before the reader should wait. */
  readonly capacity: number;
  private readonly workers: { w: Worker; busy: Task | null }[] = [];
  private readonly queue: Task[] = [];
  private next = 0;
  private failed: Error | null = null;

  constructor(
    private readonly script: URL,
    readonly size: number,
  ) {
    this.capacity = size * 2;
  }

  /** Parses and normalises a batch in a worker. */
  async run(batch: Batch): Promise<BatchResult> {
    const msg = await this.send(batch, false);
    const result = msg.result!;
    if (msg.wire) result.partials = decodeExchanges(msg.wire);
    return result;
  }

  /** Projects a batch in a worker: the batch comes back (its bytes handed back too) with `projected` set. */
  async project(batch: Batch): Promise<Batch> {
    const msg = await this.send(batch, true);
    return { ...batch, bytes: msg.bytes!, projected: msg.projected ?? null, into: msg.into };
  }

  private send(batch: Batch, projectOnly: boolean): Promise<WorkerReply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.next++, batch, projectOnly, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.workers.find((x) => x.busy === null);
      if (!slot && this.workers.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      slot.busy = task;
      slot.w.ref();
      const bytes = task.batch.bytes;
      // Transfer the batch's memory instead of copying it when it owns its buffer (whole, or marked `owned`), and
      // the memory handed in for its projection.
      const whole = task.batch.owned === true || (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength);
      const transfer = whole && !(bytes.buffer instanceof SharedArrayBuffer) ? [bytes.buffer as ArrayBuffer] : [];
      if (task.batch.into !== undefined) transfer.push(task.batch.into);
      slot.w.postMessage({ id: task.id, batch: task.batch, projectOnly: task.projectOnly }, transfer);
    }
  }

  private spawn(): { w: Worker; busy: Task | null } {
    const w = new Worker(this.script, { resourceLimits: { maxYoungGenerationSizeMb: 48 } });
    const slot: { w: Worker; busy: Task | null } = { w, busy: null };
    w.on('message', (msg: WorkerReply) => {
      const task = slot.busy;
      slot.busy = null;
      w.unref();
      if (task) {
        if (msg.error) task.reject(msg.error.name === 'BatchSyntaxError' ? new BatchSyntaxError(msg.error.message, msg.error.seq) : new Error(msg.error.message));
        else task.resolve(msg);
      }
      this.pump();
    });
    w.on('error', (error) => {
      const err =
        (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new OutOfMemoryError(outOfMemoryMessage('parsing in a worker thread', getHeapStatistics().heap_size_limit))
          : error;
      this.failed = err;
      slot.busy?.reject(err);
      slot.busy = null;
      for (const t of this.queue.splice(0)) t.reject(err);
    });
    w.unref();
    this.workers.push(slot);
    return slot;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((x) => x.w.terminate()));
  }
}

/** The compiled worker script; under a TypeScript test runner, the built copy in dist/ (null when there is none). */
export function workerScript(): URL | null {
  return scriptNear('worker.js');
}

/** A compiled script of this folder by name, found as workerScript() finds the batch worker. */
export function scriptNear(name: string): URL | null {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL(`./${name}`, here);
  const built = fileURLToPath(new URL(`./${name}`, here)).replace(/([\\/])src([\\/]har[\\/]stream[\\/])/, '$1dist$2');
  return existsSync(built) ? pathToFileURL(built) : null;
}

let shared: WorkerPool | null | undefined;
let projector: WorkerPool | null | undefined;

/**
 * One worker thread that projects batches while this thread parses the ones before (two cores: see read.ts), or
 * null when worker threads cannot be used.
 */
export function projectorPool(): WorkerPool | null {
  if (projector !== undefined) return projector;
  const script = workerScript();
  projector = script ? new WorkerPool(script, 1) : null;
  return projector;
}

/** The process-wide pool (threads bounded by the CPU count), or null when worker threads cannot be used. */
export function sharedPool(): WorkerPool | null {
  if (shared !== undefined) return shared;
  const script = workerScript();
  shared = script ? new WorkerPool(script, Math.max(1, Math.min(availableParallelism(), 8))) : null;
  return shared;
}
