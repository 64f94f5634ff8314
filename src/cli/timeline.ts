import { InvalidArgumentError, Option, type Command } from 'commander';
import { buildTimeline, timelineJson, type OrdinaryMode, type TimelineModel } from '../report/lanes.js';
import { renderTimelineText, parseOffset } from '../report/timeline-text.js';
import { htmlOf, loadAll, prepare, reportOptions, terminalWidth, TOOL, type ReportFlags } from './analyze.js';
import { emit } from './output.js';
import { common, examples, wantColor, type CommandContext, type CommonFlags } from './shared.js';

export const TIMELINE_FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export interface TimelineFlags extends ReportFlags {
  format: string;
  out?: string;
  force?: boolean;
  color: boolean;
  from?: number;
  to?: number;
  width?: number;
  hideOrdinary?: boolean;
}

/** One timeline per capture (each has its own clock), lanes for its push channels and its ordinary traffic. */
export async function timelineCommand(paths: string[], flags: TimelineFlags): Promise<number> {
  const ordinary: OrdinaryMode = flags.hideOrdinary ? 'hide' : flags.includeOrdinary ? 'by-host' : 'fold';
  const prepared = [];
  for (const path of paths) prepared.push(prepare(await loadAll([path]), flags));
  const models: TimelineModel[] = prepared.map((p) => buildTimeline(p.analysis, p.detailed.channels, p.ordinary, { ordinary, redact: p.redact }));
  const window = { from: flags.from ?? null, to: flags.to ?? null };
  const textOptions = { width: flags.width ?? terminalWidth(), color: flags.color, from: window.from, to: window.to };
  let text: string;
  switch (flags.format) {
    case 'json':
      text = JSON.stringify(timelineJson(models, TOOL(), window), null, 2) + '\n';
      break;
    case 'markdown':
      text = `## comet-inspect timeline\n\n\`\`\`text\n${renderTimelineText(models, { ...textOptions, color: false }).replace(/```/g, "'''")}\`\`\`\n`;
      break;
    case 'html':
      text = htmlOf(prepared, flags, { title: 'comet-inspect timeline', compare: prepared.length > 1 ? prepared : null, ordinary: ordinary === 'hide' ? 'hide' : 'fold' });
      break;
    default:
      text = renderTimelineText(models, textOptions);
  }
  await emit(text, { out: flags.out, force: flags.force, inputs: paths });
  return 0;
}

function offsetArg(value: string): number {
  const ms = parseOffset(value);
  if (ms === null) throw new Error(`not a time offset: ${value} (try 10s, 1m30s, 500ms, 1:30)`);
  return ms;
}

function widthArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 40 || n > 1000) throw new Error(`not a width between 40 and 1000: ${value}`);
  return n;
}

export function registerTimeline(program: Command, { setExit }: CommandContext): void {
  common(
    reportOptions(
      program
        .command('timeline')
        .description('draw each push channel\'s requests over time: holds, data, timeouts, errors, reconnect gaps')
        .argument('<capture...>', 'HAR files, or - for stdin')
        .addOption(new Option('--from <offset>', 'start the drawing this long after the capture starts (10s, 1m30s, 500ms, 1:30)').argParser(wrap(offsetArg)))
        .addOption(new Option('--to <offset>', 'end the drawing this long after the capture starts').argParser(wrap(offsetArg)))
        .addOption(new Option('--width <columns>', 'drawing width (default: the terminal\'s, 80 when not a terminal)').argParser(wrap(widthArg)))
        .option('--hide-ordinary', 'leave out the lane of ordinary (non-push) traffic')
        .addHelpText(
          'after',
          examples(
            'comet-inspect timeline samples/long-poll-backoff.har',
            'comet-inspect timeline capture.har --from 10s --to 40s --channel c1',
            'comet-inspect timeline capture.har --include-ordinary --no-color | less',
          ),
        ),
      TIMELINE_FORMATS,
      'text',
    ),
  ).action(async (paths: string[], flags: Omit<TimelineFlags, 'color'> & CommonFlags) => {
    setExit(await timelineCommand(paths, { ...flags, color: wantColor(flags) }));
  });
}

/** A parser's plain Error would be an internal error; InvalidArgumentError is a usage error (exit 2). */
function wrap<T>(fn: (v: string) => T): (v: string) => T {
  return (v: string) => {
    try {
      return fn(v);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}
