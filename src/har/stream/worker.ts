// Worker thread for the streaming reader. It either parses and normalises batches of entries (exchanges go back in
// the compact wire form of wire.ts, their numbers in a transferred buffer), or only projects them (projectBatch),
// handing the batch's bytes back with the projection for the reading thread to parse.
import { parentPort } from 'node:worker_threads';
import { processBatch, projectBatch, type Batch } from './batch.js';
import { encodeExchanges } from './wire.js';

parentPort?.on('message', (msg: { id: number; batch: Batch; projectOnly?: boolean }) => {
  try {
    if (msg.projectOnly) {
      const projected = projectBatch(msg.batch);
      const transfer = [msg.batch.bytes.buffer as ArrayBuffer];
      if (projected) transfer.push(projected.text.buffer as ArrayBuffer, projected.cuts.buffer as ArrayBuffer);
      // Memory it was handed and did not use goes back too.
      const into = msg.batch.into !== undefined && projected?.text.buffer !== msg.batch.into ? msg.batch.into : undefined;
      if (into) transfer.push(into);
      parentPort!.postMessage({ id: msg.id, projected, bytes: msg.batch.bytes, into }, transfer);
      return;
    }
    const result = processBatch(msg.batch);
    const wire = encodeExchanges(result.partials);
    result.partials = [];
    parentPort!.postMessage({ id: msg.id, result, wire }, [wire.nums.buffer as ArrayBuffer]);
  } catch (err) {
    const e = err as Error;
    parentPort!.postMessage({ id: msg.id, error: { name: e.name, message: e.message, seq: (e as { seq?: number }).seq ?? msg.batch.seq } });
  }
});
