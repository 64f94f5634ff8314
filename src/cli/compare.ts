import type { Command } from 'commander';
import { buildComparison, comparisonJson } from '../report/compare.js';
import { renderComparisonText } from '../report/compare-text.js';
import { renderComparisonMarkdown } from '../report/markdown.js';
import { htmlOf, loadAll, prepare, reportOptions, terminalWidth, TOOL, type ReportFlags } from './analyze.js';
import { emit } from './output.js';
import { common, examples, wantColor, type CommandContext, type CommonFlags } from './shared.js';

export const COMPARE_FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export interface CompareFlags extends ReportFlags {
  format: string;
  out?: string;
  force?: boolean;
  color: boolean;
}

/** Analyses each capture on its own and sets them side by side: one column per capture. */
export async function compareCommand(paths: string[], flags: CompareFlags): Promise<number> {
  const prepared = [];
  // Read together (in parallel), then each analysed on its own: one column per capture.
  for (const capture of await loadAll(paths)) prepared.push(prepare([capture], flags));
  const cmp = buildComparison(prepared.map((p) => p.analysis));
  let text: string;
  switch (flags.format) {
    case 'json':
      text = JSON.stringify(comparisonJson(cmp, TOOL()), null, 2) + '\n';
      break;
    case 'markdown':
      text = renderComparisonMarkdown(cmp);
      break;
    case 'html':
      text = htmlOf(prepared, flags, { title: 'comet-inspect compare', compare: prepared, ordinary: flags.includeOrdinary ? 'fold' : 'hide' });
      break;
    default:
      text = renderComparisonText(cmp, { color: flags.color, width: process.stdout.isTTY ? terminalWidth() : undefined });
  }
  await emit(text, { out: flags.out, force: flags.force, inputs: paths });
  return 0;
}

export function registerCompare(program: Command, { setExit }: CommandContext): void {
  common(
    reportOptions(
      program
        .command('compare')
        .description('compare the push channels of several captures side by side (one column per capture)')
        .argument('<capture...>', 'two or more HAR files')
        .addHelpText(
          'after',
          examples(
            'comet-inspect compare samples/renren-iframe-streaming.har samples/taobao-polling.har',
            'comet-inspect compare before.har after.har --format markdown > comment.md',
            'comet-inspect compare a.har b.har c.har --format html --out compare.html',
          ),
        ),
      COMPARE_FORMATS,
      'text',
    ),
  ).action(async (paths: string[], flags: { format: string; out?: string; force?: boolean } & ReportFlags & CommonFlags, cmd: Command) => {
    if (paths.length < 2) cmd.error('error: compare needs at least two captures', { exitCode: 2, code: 'comet.usage' });
    setExit(await compareCommand(paths, { ...flags, color: wantColor(flags) }));
  });
}
