import { Option, type Command } from 'commander';
import { analyze } from '../analyze.js';
import { loadCapture } from '../har/load.js';
import type { Analysis, Capture } from '../model.js';
import { renderText } from '../report/text.js';
import { emit } from './output.js';
import { common, examples, wantColor, type CommandContext, type CommonFlags } from './shared.js';
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

export function registerAnalyze(program: Command, { setExit }: CommandContext): void {
  common(
    program
      .command('analyze', { isDefault: true })
      .description('analyse captures and report their push channels (the default command)')
      .argument('<capture...>', 'HAR files (.har, .har.gz, .zhar, .harp), or - for stdin')
      .addOption(new Option('-f, --format <format>', 'output format').choices([...ANALYZE_FORMATS]).default('text'))
      .option('-o, --out <file>', 'write the report to a file (never one of the inputs)')
      .option('--force', 'let --out replace an existing file')
      .addHelpText(
        'after',
        examples('comet-inspect samples/taobao-polling.har', 'comet-inspect capture.har.gz --format json --out report.json', 'cat capture.har | comet-inspect -'),
      ),
  ).action(async (paths: string[], flags: { format: string; out?: string; force?: boolean } & CommonFlags) => {
    setExit(await analyzeCommand(paths, { ...flags, color: wantColor(flags) }));
  });
}
