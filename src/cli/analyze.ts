import { Option, type Command } from 'commander';
import { analyze, analyzeDetailed, type DetailedAnalysis } from '../analyze.js';
import { loadCaptures } from '../har/parallel.js';
import type { Analysis, Capture, Exchange } from '../model.js';
import { ordinaryExchanges } from '../measure/summary.js';
import { buildComparison } from '../report/compare.js';
import { filterAnalysis, filterChannels, hostMatches, type ChannelFilter } from '../report/filter.js';
import { renderHtml, type HtmlSection } from '../report/html.js';
import { buildTimeline, type OrdinaryMode } from '../report/lanes.js';
import { hidingSessions, redactAnalysis, redactor, type Redactor } from '../report/redaction.js';
import { emit } from './output.js';
import { progressReporter, statusProgress } from './progress.js';
import { common, examples, wantColor, type CommandContext, type CommonFlags } from './shared.js';
import { toolVersion } from './version.js';

export interface AnalyzeFlags extends ReportFlags {
  format: string;
  out?: string;
  force?: boolean;
  color: boolean;
}

/** Flags every command that prints capture data takes (analyze, compare, timeline). */
export interface ReportFlags {
  channel?: string;
  host?: string;
  includeOrdinary?: boolean;
  /** false under --no-redact. */
  redact: boolean;
}

export const ANALYZE_FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export const TOOL = (): { name: string; version: string } => ({ name: 'comet-inspect', version: toolVersion() });

/**
 * Reads every capture given, several at once (bounded by the CPU count), with results in input order, showing
 * progress on a terminal's stderr for long reads.
 */
export async function loadAll(paths: string[]): Promise<Capture[]> {
  const progress = progressReporter();
  let captures: Capture[] | null = null;
  try {
    captures = await loadCaptures(paths, progress ? { onProgress: progress.update } : {});
    return captures;
  } finally {
    // A read long enough to show progress is followed by an analysis long enough to say so.
    const requests = captures?.reduce((n, c) => n + c.exchanges.length, 0);
    progress?.end(requests === undefined ? undefined : `analysing ${requests.toLocaleString('en-US')} requests…`);
  }
}

export function runAnalysis(captures: Capture[]): Analysis {
  return analyze(captures, { tool: TOOL(), onProgress: statusProgress });
}

export function runDetailed(captures: Capture[], tool = TOOL()): DetailedAnalysis {
  return analyzeDetailed(captures, { tool, onProgress: statusProgress });
}

export function terminalWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
}

/** One analysis, filtered and redacted as the flags ask, with what the drawings need beside it. */
export interface Prepared {
  analysis: Analysis;
  detailed: DetailedAnalysis;
  ordinary: Exchange[];
  redact: Redactor;
}

export function prepare(captures: Capture[], flags: ReportFlags, tool = TOOL()): Prepared {
  const detailed = runDetailed(captures, tool);
  const filter: ChannelFilter = { channel: flags.channel, host: flags.host };
  const redact = hidingSessions(redactor(flags.redact), detailed.channels);
  const channels = filterChannels(detailed.channels, filter);
  let ordinary = ordinaryExchanges(captures.flatMap((c) => c.exchanges), detailed.channels);
  if (flags.host !== undefined) ordinary = ordinary.filter((ex) => hostMatches(hostOf(ex.url), flags.host!));
  return {
    analysis: redactAnalysis(filterAnalysis(detailed.analysis, filter), redact),
    detailed: { analysis: detailed.analysis, channels },
    ordinary,
    redact,
  };
}

function hostOf(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(url)?.[1] ?? '';
}

/** The HTML report of one or more prepared analyses; a comparison table when several captures were analysed apart. */
export function htmlOf(
  sections: Prepared[],
  flags: ReportFlags,
  options: { title: string; compare: Prepared[] | null; ordinary: OrdinaryMode },
): string {
  const html: HtmlSection[] = sections.map((p) => ({
    title: p.analysis.inputs.map((i) => i.file).join(', '),
    analysis: p.analysis,
    timeline: buildTimeline(p.analysis, p.detailed.channels, p.ordinary, { ordinary: options.ordinary, redact: p.redact }),
  }));
  return renderHtml({
    title: options.title,
    tool: sections[0]?.analysis.tool ?? TOOL(),
    sections: html,
    comparison: options.compare && options.compare.length > 1 ? buildComparison(options.compare.map((p) => p.analysis)) : undefined,
    redacted: flags.redact,
  });
}

export async function analyzeCommand(paths: string[], flags: AnalyzeFlags): Promise<number> {
  const captures = await loadAll(paths);
  const p = prepare(captures, flags);
  let text: string;
  switch (flags.format) {
    case 'json': {
      const report = flags.includeOrdinary ? { ...p.analysis, ordinary: (await import('../report/ordinary.js')).ordinaryJson(p.ordinary, p.redact) } : p.analysis;
      text = JSON.stringify(report, null, 2) + '\n';
      break;
    }
    case 'markdown': {
      const { renderAnalysisMarkdown } = await import('../report/markdown.js');
      text = renderAnalysisMarkdown(p.analysis) + (flags.includeOrdinary ? (await import('../report/ordinary.js')).renderOrdinaryMarkdown(p.ordinary, p.redact) : '');
      break;
    }
    case 'html': {
      // Several captures: each is also analysed on its own for the comparison table.
      const apart = captures.length > 1 ? captures.map((c) => prepare([c], flags)) : null;
      text = htmlOf([p], flags, { title: 'comet-inspect report', compare: apart, ordinary: flags.includeOrdinary ? 'fold' : 'hide' });
      break;
    }
    default: {
      // The terminal renderers (and their colour and table libraries) load only when text is asked for.
      const { renderText } = await import('../report/text.js');
      text =
        renderText(p.analysis, { color: flags.color, width: terminalWidth() }) +
        (flags.includeOrdinary ? (await import('../report/ordinary.js')).renderOrdinaryText(p.ordinary, p.redact, flags.color) : '');
    }
  }
  await emit(text, { out: flags.out, force: flags.force, inputs: paths });
  return 0;
}

/** --format/--out/--force, filters and --no-redact, shared by analyze, compare and timeline. */
export function reportOptions(cmd: Command, formats: readonly string[], fallback: string): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...formats]).default(fallback))
    .option('-o, --out <file>', 'write the report to a file (never one of the inputs)')
    .option('--force', 'let --out replace an existing file')
    .option('--channel <id|glob>', 'only channels whose id (c2), label or endpoint matches (globs: "*poll*")')
    .option('--host <host>', 'only channels (and ordinary requests) on this host (globs allowed, port optional)')
    .option('--include-ordinary', 'also show the non-push traffic')
    .option('--no-redact', 'show cookies, Authorization, tokens and session ids as captured (hidden as … by default)');
}

export function registerAnalyze(program: Command, { setExit }: CommandContext): void {
  common(
    reportOptions(
      program
        .command('analyze', { isDefault: true })
        .description('analyse captures and report their push channels (the default command)')
        .argument('<capture...>', 'HAR files (.har, .har.gz, .zhar, .harp), or - for stdin'),
      ANALYZE_FORMATS,
      'text',
    ).addHelpText(
      'after',
      examples(
        'comet-inspect samples/taobao-polling.har',
        'comet-inspect capture.har.gz --format json --out report.json',
        'comet-inspect capture.har --format html --out report.html',
        'comet-inspect capture.har --format markdown --channel c1',
        'cat capture.har | comet-inspect -',
      ),
    ),
  ).action(async (paths: string[], flags: { format: string; out?: string; force?: boolean } & ReportFlags & CommonFlags) => {
    setExit(await analyzeCommand(paths, { ...flags, color: wantColor(flags) }));
  });
}
