import { Readable } from 'node:stream';
import { analyze } from '../../src/analyze.js';
import { InputError } from '../../src/har/errors.js';
import { loadCapture } from '../../src/har/load.js';
import { renderText } from '../../src/report/text.js';

export type Outcome = { kind: 'analysed'; warnings: number } | { kind: 'rejected'; message: string } | { kind: 'crashed'; error: Error };

/**
 * What the CLI does with one capture, in-process and fast enough for thousands of inputs: read it (as stdin),
 * analyse it and render text and JSON. InputError is the clean "exit 2"; anything else thrown is a crash.
 */
export async function runPipeline(bytes: Buffer): Promise<Outcome> {
  try {
    const capture = await loadCapture('-', { stdin: Readable.from([bytes]) });
    const analysis = analyze([capture], { tool: { name: 'comet-inspect', version: 'fuzz' } });
    renderText(analysis, { color: false, width: 100 });
    JSON.stringify(analysis);
    return { kind: 'analysed', warnings: capture.warnings.length };
  } catch (err) {
    if (err instanceof InputError) return { kind: 'rejected', message: err.message };
    return { kind: 'crashed', error: err as Error };
  }
}
