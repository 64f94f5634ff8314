// Worker thread: parses and normalises batches of entries for the streaming reader. Exchanges go back in the
// compact wire form (wire.ts), their numbers in a transferred buffer.
import { parentPort } from 'node:worker_threads';
import { processBatch, type Batch } from './batch.js';
import { encodeExchanges } from './wire.js';

parentPort?.on('message', (msg: { id: number; batch: Batch }) => {
  try {
    const result = processBatch(msg.batch);
    const wire = encodeExchanges(result.partials);
    result.partials = [];
    parentPort!.postMessage({ id: msg.id, result, wire }, [wire.nums.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err as Error;
    parentPort!.postMessage({ id: msg.id, error: { name: e.name, message: e.message, seq: (e as { seq?: number }).seq ?? msg.batch.seq } });
  }
});
