// The streaming reader gives the same Exchanges and warnings as the whole-file reader, on every fixture, sample
// and corpus capture, and (read lean, as large captures are) the same report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadCapture, loadCaptureWhole } from '../../src/har/load.js';
import { workerScript } from '../../src/har/stream/pool.js';
import type { Analysis, Capture } from '../../src/model.js';
import { CORPUS, REPO, captureFiles } from '../helpers/captures.js';


async function outcome(read: Promise<Capture>): Promise<Capture | string> {
  return read.catch((err: Error) => `${err.name}: ${err.message}`);
}

function report(cap: Capture): Analysis {
  const a = analyze([cap], { tool: { name: 'comet-inspect', version: 'test' } });
  // Lean reads say when they cut a payload; that is the one difference they may make.
  for (const i of a.inputs) i.warnings = i.warnings.filter((w) => !/were cut to their first/.test(w));
  return a;
}

const sets: [string, string[]][] = [
  ['fixtures', captureFiles(join(REPO, 'test/fixtures/har'))],
  ['samples', captureFiles(join(REPO, 'samples'))],
  ['protocol fixtures', captureFiles(join(REPO, 'test/fixtures/protocols'))],
];
if (existsSync(CORPUS)) sets.push(['shared corpus', captureFiles(CORPUS)]);
else console.warn(`skipping the shared corpus: ${CORPUS} is absent`);

for (const [label, list] of sets) {
  describe(`streaming == whole-file on the ${label}`, () => {
    for (const path of list) {
      const name = path.split('/').pop()!;
      it(`${name}: same Exchanges and warnings`, async () => {
        const whole = await outcome(loadCaptureWhole(path));
        expect(await outcome(loadCapture(path, { threads: 'inline' }))).toEqual(whole);
        expect(await outcome(loadCapture(path, { threads: 'inline', retention: 'full' }))).toEqual(whole);
      });
      it(`${name}: same report when read lean`, async () => {
        const whole = await outcome(loadCaptureWhole(path));
        if (typeof whole === 'string') return;
        const lean = await loadCapture(path, { threads: 'inline', retention: 'lean' });
        expect(report(lean)).toEqual(report(whole));
      });
    }
  });
}

describe.skipIf(workerScript() === null)('worker threads (needs `npm run build`)', () => {
  it('give the same Exchanges as reading inline', async () => {
    for (const path of [...captureFiles(join(REPO, 'samples')), ...(existsSync(CORPUS) ? captureFiles(CORPUS).slice(0, 12) : [])]) {
      const whole = await outcome(loadCaptureWhole(path));
      expect(await outcome(loadCapture(path, { threads: 'workers' }))).toEqual(whole);
    }
  });

  it('give the same Exchanges and report when one projects the batches this thread parses', async () => {
    for (const path of [...captureFiles(join(REPO, 'samples')), ...(existsSync(CORPUS) ? captureFiles(CORPUS).slice(0, 12) : [])]) {
      const whole = await outcome(loadCaptureWhole(path));
      expect(await outcome(loadCapture(path, { threads: 'projector' }))).toEqual(whole);
      if (typeof whole === 'string') continue;
      expect(report(await loadCapture(path, { threads: 'projector', retention: 'lean' }))).toEqual(report(whole));
    }
  });
});
