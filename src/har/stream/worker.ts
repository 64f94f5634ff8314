// Worker thread: parses and normalises batches of entries for the streaming reader.
import { parentPort } from 'node:worker_threads';
import { processBatch, type Batch } from './batch.js';

parentPort?.on('message', (msg: { id: number; batch: Batch }) => {
  try {
    const result = processBatch(msg.batch);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (err) {
    const e = err as Error;
    parentPort!.postMessage({ id: msg.id, error: { name: e.name, message: e.message, seq: (e as { seq?: number }).seq ?? msg.batch.seq } });
  }
});
