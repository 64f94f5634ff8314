import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Analysis, ChannelReport, InputSummary } from '../model.js';
import { maxOf, median } from '../measure/stats.js';
import { clock, formatDuration, formatPercent, phaseLine, plural } from './format.js';
import { loopsText, shortEndpoint } from './compare.js';

export interface TextOptions {
  color: boolean;
  /** Terminal width in columns (80 when not a terminal). */
  width?: number;
}

/** The default report: what was read, then one row per push channel, then each channel's phases and evidence. */
export function renderText(analysis: Analysis, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const out: string[] = [];
  for (const input of analysis.inputs) out.push(...renderInput(input, c));
  const { capture, traffic } = analysis;
  out.push(`${c.bold('Duration')}  ${formatDuration(capture.durationMs)}${capture.start ? `  (${capture.start} → ${capture.end})` : ''}`);
  const byType = Object.entries(traffic.byType)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
  const byState = Object.entries(traffic.byState)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(' · ');
  out.push(`${c.bold('Entries')}   ${byType || 'none'}`);
  out.push(`${c.bold('States')}    ${byState || 'none'}`);
  out.push('');
  if (analysis.channels.length === 0) {
    out.push(c.yellow('No push channels found: this capture shows only ordinary request/response traffic.'));
    return out.join('\n') + '\n';
  }
  out.push(c.bold(`Push channels (${analysis.channels.length})`));
  out.push(channelTable(analysis.channels, c, options.width ?? 80));
  for (const ch of analysis.channels) out.push('', ...channelDetail(ch, c));
  return out.join('\n') + '\n';
}

function renderInput(input: InputSummary, c: ChalkInstance): string[] {
  const lines = [
    `${c.bold('Capture')}   ${input.file}`,
    `${c.bold('Exporter')}  ${input.creator} (${input.exporter}), HAR ${input.harVersion ?? '? (no version)'}, ${plural(input.entries, 'entry', 'entries')}${input.pages ? `, ${plural(input.pages, 'page')}` : ''}${input.truncated ? c.yellow(', cut off (salvaged)') : ''}`,
  ];
  if (input.warnings.length > 0) {
    lines.push(`${c.bold('Warnings')}`);
    for (const w of input.warnings) lines.push(`  ${c.yellow('!')} ${w}`);
  }
  return lines;
}

function channelTable(channels: ChannelReport[], c: ChalkInstance, width: number): string {
  // Everything but the endpoint takes about 112 columns; the endpoint gets what is left, cut with … if need be.
  const endpointWidth = Math.max(24, Math.min(60, width - 112));
  const table = new Table({
    head: ['id', 'push', 'endpoint', 'req', 'hold med / max', 'timeout', 're-poll / interval', 'reconnects', 'open at end'],
    style: { head: c.level > 0 ? ['cyan'] : [], border: c.level > 0 ? ['grey'] : [] },
    colWidths: [null, null, endpointWidth, null, null, null, null, null, null] as unknown as number[],
  });
  for (const ch of channels) {
    table.push([
      ch.id,
      ch.label,
      shortEndpoint(ch.endpoint),
      String(ch.requests),
      ch.holdMs ? `${formatDuration(ch.holdMs.median)} / ${formatDuration(ch.holdMs.max)}` : '–',
      formatDuration(ch.timeoutMs),
      cadence(ch),
      ch.reconnect.count > 0 ? `${ch.reconnect.count} (${ch.reconnect.pattern})` : 'none',
      ch.pendingAtEnd > 0 ? String(ch.pendingAtEnd) : '–',
    ]);
  }
  return table.toString();
}

function cadence(ch: ChannelReport): string {
  if (ch.pollIntervalMs !== null) return `every ${formatDuration(ch.pollIntervalMs)}${loopsText(ch)}`;
  if (ch.repollDelayMs) return `${formatDuration(ch.repollDelayMs.median)} after`;
  return '–';
}

function channelDetail(ch: ChannelReport, c: ChalkInstance): string[] {
  const lines = [`${c.bold(ch.id)} ${c.bold(ch.label)}  ${c.dim(ch.endpoint)}`];
  const facts = [
    `mode ${ch.mode}`,
    `carrier ${ch.carrier}`,
    `protocol ${ch.protocol}${ch.protocolVersion ? ` ${ch.protocolVersion}` : ''}`,
    `confidence ${formatPercent(ch.confidence)}`,
  ];
  lines.push(`   ${facts.join(' · ')}`);
  const figures = [
    plural(ch.requests, 'request'),
    `${plural(ch.errors, 'error')}`,
    `coverage ${formatPercent(ch.coverage)}`,
    ch.messages !== null ? plural(ch.messages, 'message') : null,
  ].filter(Boolean);
  lines.push(`   ${figures.join(' · ')}`);
  if (ch.holdMs) {
    lines.push(
      `   hold min ${formatDuration(ch.holdMs.min)} · median ${formatDuration(ch.holdMs.median)} · p95 ${formatDuration(ch.holdMs.p95)} · max ${formatDuration(ch.holdMs.max)}`,
    );
  }
  if (ch.pendingAtEnd > 0) lines.push(`   ${plural(ch.pendingAtEnd, 'request')} still open when the capture ended (not an error)`);
  if (ch.reconnect.count > 0) {
    lines.push(`   reconnects ${ch.reconnect.count}, ${ch.reconnect.pattern}${reconnectDelays(ch.reconnect.delaysMs)}`);
  }
  if (ch.gaps.length > 0) {
    const longest = ch.gaps.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    lines.push(`   ${plural(ch.gaps.length, 'gap')} with no connection open, longest ${formatDuration(longest.durationMs)} at ${clock(longest.start)}`);
  }
  const declared = Object.entries(ch.declared);
  if (declared.length > 0) lines.push(`   declared: ${declared.map(([k, v]) => `${k} ${String(v)}`).join(' · ')}`);
  for (const d of ch.declaredVsObserved ?? []) {
    const verdict = d.agrees === null ? c.dim('not observable') : d.agrees ? c.green('agrees') : c.red('DISAGREES');
    lines.push(`   ${d.fact}: declared ${formatDuration(d.declaredMs)} (${d.source}) vs observed ${formatDuration(d.observedMs)} — ${verdict}`);
  }
  if (ch.phases.length > 0) {
    lines.push(
      `   phases: ${phaseLine(ch.phases)}`,
    );
  }
  for (const e of ch.evidence) lines.push(`   ${c.dim('·')} ${e}`);
  return lines;
}

/** The first reconnect delays, then a summary of the rest: a long session can have thousands. */
export function reconnectDelays(delays: readonly number[], shown = 8): string {
  if (delays.length === 0) return '';
  const head = delays.slice(0, shown).map((d) => formatDuration(d));
  if (delays.length <= shown) return `: ${head.join(', ')}`;
  return `: ${head.join(', ')}, … ${delays.length - shown} more (all ${delays.length}: median ${formatDuration(median(delays))}, max ${formatDuration(maxOf(delays))})`;
}
