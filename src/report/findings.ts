// Renders check findings: one text line per rule × channel, a summary, and GitHub Actions annotations.
import { Chalk } from 'chalk';
import type { Analysis, ChannelReport, Finding } from '../model.js';
import { maxOf } from '../measure/stats.js';

export interface FindingsTextOptions {
  color: boolean;
  /** Where the policy came from, for the header ("comet-inspect.config.json", "flags"). */
  policy: string;
  /** --warn-only: failures are reported, the run does not fail. */
  warnOnly?: boolean;
}

export interface Tally {
  checks: number;
  passed: number;
  /** Failing findings of severity error. */
  failed: number;
  /** Failing findings of severity warn. */
  warned: number;
  skipped: number;
}

export function tally(findings: readonly Finding[]): Tally {
  const t: Tally = { checks: findings.length, passed: 0, failed: 0, warned: 0, skipped: 0 };
  for (const f of findings) {
    if (f.status === 'pass') t.passed++;
    else if (f.status === 'skip') t.skipped++;
    else if (f.severity === 'warn') t.warned++;
    else t.failed++;
  }
  return t;
}

/** "GET http://127.0.0.1:8080/lp?cursor={n}" → "GET /lp?cursor={n}" (the host is the same for every channel). */
export function shortEndpoint(endpoint: string, max = 48): string {
  const short = endpoint.replace(/^([A-Z]+ )?[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, (_, m: string | undefined) => m ?? '');
  return short.length > max ? `${short.slice(0, max - 1)}…` : short;
}

export function channelLabel(c: ChannelReport | undefined, id: string | null): string {
  if (!id) return '–';
  return c ? `${id} ${shortEndpoint(c.endpoint)}` : id;
}

export function renderFindingsText(analysis: Analysis, findings: readonly Finding[], opts: FindingsTextOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const byId = new Map(analysis.channels.map((ch) => [ch.id, ch]));
  const lines: string[] = [];
  lines.push(`Policy    ${opts.policy}`);
  lines.push(`Capture   ${analysis.inputs.map((i) => i.file).join(', ')}  (${analysis.channels.length} push channel${analysis.channels.length === 1 ? '' : 's'})`);
  lines.push('');
  const ruleWidth = Math.max(4, maxOf(findings.map((f) => f.rule.length)));
  const chanWidth = Math.max(1, maxOf(findings.map((f) => channelLabel(byId.get(f.channel ?? ''), f.channel).length)));
  for (const f of findings) {
    const label = statusLabel(f);
    const paint = label === 'pass' ? c.green : label === 'FAIL' ? c.red.bold : label === 'warn' ? c.yellow : c.dim;
    lines.push(`  ${paint(label.padEnd(4))}  ${f.rule.padEnd(ruleWidth)}  ${channelLabel(byId.get(f.channel ?? ''), f.channel).padEnd(chanWidth)}  ${f.message}`);
  }
  lines.push('');
  lines.push(summaryLine(findings, opts, c));
  return lines.join('\n') + '\n';
}

/** pass, FAIL (fails the run), warn (a failing warn-severity rule), skip (missing, optional). */
export function statusLabel(f: Finding): 'pass' | 'FAIL' | 'warn' | 'skip' {
  if (f.status === 'pass') return 'pass';
  if (f.status === 'skip') return 'skip';
  return f.severity === 'warn' ? 'warn' : 'FAIL';
}

function summaryLine(findings: readonly Finding[], opts: FindingsTextOptions, c: InstanceType<typeof Chalk>): string {
  const t = tally(findings);
  const parts = [`${t.passed} passed`, `${t.failed} failed`];
  if (t.warned) parts.push(`${t.warned} warning${t.warned === 1 ? '' : 's'}`);
  if (t.skipped) parts.push(`${t.skipped} skipped`);
  const counts = `${t.checks} check${t.checks === 1 ? '' : 's'}: ${parts.join(', ')}`;
  if (t.failed === 0) return `Result    ${c.green('PASS')}  ${counts}`;
  if (opts.warnOnly) return `Result    ${c.yellow('FAIL (--warn-only: not failing the run)')}  ${counts}`;
  return `Result    ${c.red.bold('FAIL')}  ${counts}`;
}

/**
 * GitHub Actions workflow commands: `::error title=…::message` for each failing error rule, `::warning` for
 * failing warn rules, so they show on the run's summary page.
 */
export function renderAnnotations(analysis: Analysis, findings: readonly Finding[], opts: { warnOnly?: boolean } = {}): string {
  const byId = new Map(analysis.channels.map((ch) => [ch.id, ch]));
  const lines: string[] = [];
  for (const f of findings) {
    if (f.status !== 'fail') continue;
    const level = f.severity === 'warn' || opts.warnOnly ? 'warning' : 'error';
    const title = `comet-inspect ${f.rule}${f.channel ? ` (${f.channel})` : ''}`;
    const where = f.channel ? `${channelLabel(byId.get(f.channel), f.channel)}: ` : '';
    lines.push(`::${level} title=${escapeProperty(title)}::${escapeData(where + f.message)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
