// Markdown for PR comments: the analysis or a comparison as GitHub-flavoured tables. Every capture string is escaped
// so that it can neither break a table nor smuggle in HTML, links or mentions.
import type { Analysis, ChannelReport } from '../model.js';
import type { Comparison } from './compare.js';
import { cadenceText, protocolText, reconnectText, shortEndpoint } from './compare.js';
import { formatDuration, formatPercent, phaseLine, plural } from './format.js';

/** Text safe in a Markdown paragraph or table cell. */
export function md(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~@])/g, '\\$1')
    // GFM turns bare http://… and www.… into links; a character reference before "//" stops it and reads the same.
    .replace(/:\/\//g, '&#58;//')
    .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#46;`);
}

/** A code span safe in a table cell: no backticks to close it early, pipes escaped (GFM splits cells before spans). */
export function code(text: string): string {
  return `\`${text.replace(/\r?\n/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

export function renderAnalysisMarkdown(analysis: Analysis): string {
  const out: string[] = ['## comet-inspect report', ''];
  for (const input of analysis.inputs) {
    out.push(`- **Capture** ${md(input.file)} — ${md(input.creator)} (${input.exporter}), HAR ${md(input.harVersion ?? '?')}, ${plural(input.entries, 'entry', 'entries')}${input.truncated ? ', cut off (salvaged)' : ''}`);
    for (const w of input.warnings) out.push(`  - ⚠ ${md(w)}`);
  }
  const c = analysis.capture;
  out.push(`- **Duration** ${formatDuration(c.durationMs)}${c.start ? ` (${md(c.start)} → ${md(c.end ?? '')})` : ''}`);
  out.push('');
  if (analysis.channels.length === 0) {
    out.push('No push channels found: this capture shows only ordinary request/response traffic.', '');
    return out.join('\n');
  }
  out.push(`### Push channels (${analysis.channels.length})`, '');
  out.push(
    ...table(
      ['id', 'push', 'endpoint', 'req', 'hold med / max', 'timeout', 're-poll / interval', 'reconnects', 'coverage', 'open at end'],
      analysis.channels.map((ch) => [
        ch.id,
        md(ch.label),
        code(shortEndpoint(ch.endpoint)),
        String(ch.requests),
        ch.holdMs ? `${formatDuration(ch.holdMs.median)} / ${formatDuration(ch.holdMs.max)}` : '–',
        formatDuration(ch.timeoutMs),
        md(cadenceText(ch)),
        md(reconnectText(ch)),
        formatPercent(ch.coverage),
        ch.pendingAtEnd > 0 ? String(ch.pendingAtEnd) : '–',
      ]),
    ),
  );
  for (const ch of analysis.channels) out.push('', ...channelMarkdown(ch));
  out.push('');
  return out.join('\n');
}

function channelMarkdown(ch: ChannelReport): string[] {
  const lines = [`#### ${ch.id} ${md(ch.label)}`, '', code(ch.endpoint), ''];
  lines.push(`mode ${ch.mode} · carrier ${ch.carrier} · protocol ${md(protocolText(ch))} · confidence ${formatPercent(ch.confidence)}  `);
  lines.push(`${plural(ch.requests, 'request')} · ${plural(ch.errors, 'error')} · coverage ${formatPercent(ch.coverage)}${ch.messages !== null ? ` · ${plural(ch.messages, 'message')}` : ''}  `);
  if (ch.holdMs) lines.push(`hold min ${formatDuration(ch.holdMs.min)} · median ${formatDuration(ch.holdMs.median)} · p95 ${formatDuration(ch.holdMs.p95)} · max ${formatDuration(ch.holdMs.max)}  `);
  if (ch.phases.length) lines.push(`phases: ${phaseLine(ch.phases)}`);
  if (ch.evidence.length) {
    lines.push('', '<details><summary>evidence</summary>', '');
    for (const e of ch.evidence) lines.push(`- ${md(e)}`);
    lines.push('', '</details>');
  }
  return lines;
}

export function renderComparisonMarkdown(cmp: Comparison): string {
  const out = ['## comet-inspect compare', ''];
  out.push(...table(['', ...cmp.columns.map((c) => `**${md(c.name)}**`)], cmp.rows.map((r) => [md(r.label), ...r.values.map((v) => (r.key === 'endpoint' ? code(v) : md(v)))])));
  if (cmp.differences.length) {
    out.push('', '**What differs most**', '');
    for (const s of cmp.differences) out.push(`- ${md(s)}`);
  }
  out.push('');
  return out.join('\n');
}
