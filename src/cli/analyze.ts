import { analyze } from '../analyze.js';
import { loadCapture } from '../har/load.js';
import type { Analysis, Capture } from '../model.js';
import { renderText } from '../report/text.js';
import { emit } from './output.js';
import { toolVersion } from './version.js';

export interface AnalyzeFlags {
  format: string;
  out?: string;
  force?: boolean;
  color: boolean;
}

export const ANALYZE_FORMATS = ['text', 'json'] as const;

/** Reads every capture given (in order), analyses them together and prints the report. */
export async function loadAll(paths: string[]): Promise<Capture[]> {
  const captures: Capture[] = [];
  for (const [input, path] of paths.entries()) captures.push(await loadCapture(path, { input }));
  return captures;
}

export function runAnalysis(captures: Capture[]): Analysis {
  return analyze(captures, { tool: { name: 'comet-inspect', version: toolVersion() } });
}

export function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
}

export async function analyzeCommand(paths: string[], flags: AnalyzeFlags): Promise<number> {
  const analysis = runAnalysis(await loadAll(paths));
  const text = flags.format === 'json' ? JSON.stringify(analysis, null, 2) + '\n' : renderText(analysis, { color: flags.color, width: terminalWidth() });
  await emit(text, { out: flags.out, force: flags.force, inputs: paths });
  return 0;
}
