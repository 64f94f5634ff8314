// Runs a policy against an Analysis: one Finding per entry × selected channel. A rule whose figure is missing —
// no channel in its selection, or nothing measurable on a channel — fails unless the entry is optional.
import type { PolicyEntry } from '../config/policy.js';
import type { Analysis, Channel, ChannelReport, Finding } from '../model.js';
import { computeFigures, type ChannelFigures } from './figures.js';
import { RULES_BY_ID } from './index.js';
import { describeSelection, selects } from './select.js';
import type { Outcome, Rule, RuleContext } from './types.js';

export interface RunOptions {
  /** The channels with their exchanges (analyzeDetailed), for the figures that need request times. */
  channels?: readonly Channel[];
  /** Figures given outright (tests); otherwise computed from the Analysis and channels. */
  figures?: ReadonlyMap<string, Partial<ChannelFigures>>;
}

const NO_FIGURES: ChannelFigures = { requestsPerMinute: null, steadyStarts: null, maxConcurrent: null, longestGapMs: null, reconnectsPerMinute: null, errorRetryStreaks: null, lifeMs: null };

export function contextFor(analysis: Analysis, options: RunOptions = {}): RuleContext {
  const computed = computeFigures(analysis, options.channels);
  return {
    analysis,
    figures: (c) => ({ ...NO_FIGURES, ...computed.get(c.id), ...options.figures?.get(c.id) }),
  };
}

export function runPolicy(analysis: Analysis, entries: readonly PolicyEntry[], options: RunOptions = {}): Finding[] {
  const ctx = contextFor(analysis, options);
  const findings: Finding[] = [];
  for (const entry of entries) {
    const rule = RULES_BY_ID.get(entry.rule);
    if (!rule) throw new Error(`unknown rule ${entry.rule}`);
    const chosen = analysis.channels.filter((c) => selects(rule, entry.select, c));
    if (chosen.length === 0) {
      const what = describeSelection(rule, entry.select);
      findings.push(toFinding(entry, null, { pass: null, measured: null, limit: null, measuredText: `no ${what} in the capture`, limitText: '' }));
      continue;
    }
    for (const c of chosen) findings.push(toFinding(entry, c, evaluate(rule, c, entry.options, ctx)));
  }
  return findings;
}

/** One rule on one channel (a rule that throws is a bug in comet-inspect, reported as an internal error). */
export function evaluate(rule: Rule, c: ChannelReport, options: Record<string, unknown>, ctx: RuleContext): Outcome {
  return rule.check(c, options as never, ctx);
}

export function toFinding(entry: PolicyEntry, c: ChannelReport | null, o: Outcome): Finding {
  const limit = o.limitText ? `limit ${o.limitText}` : '';
  let status: NonNullable<Finding['status']>;
  let message: string;
  if (o.pass === null) {
    status = entry.optional ? 'skip' : 'fail';
    message = `missing: ${o.measuredText}${limit ? ` (${limit})` : ''}${entry.optional ? '; optional, skipped' : '; a missing figure fails unless the rule is marked "optional": true'}`;
  } else {
    status = o.pass ? 'pass' : 'fail';
    message = `${o.measuredText}${limit ? `; ${limit}` : ''}${o.detail ? ` — ${o.detail}` : ''}`;
  }
  const unit = RULES_BY_ID.get(entry.rule)?.meta.unit;
  return {
    rule: entry.rule,
    severity: entry.severity,
    channel: c?.id ?? null,
    message,
    status,
    measured: o.measured,
    limit: o.limit,
    ...(unit ? { unit } : {}),
    source: entry.source,
  };
}

/** Exit status the findings call for: any failing error-severity finding fails the run. */
export function failed(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.status === 'fail' && f.severity === 'error');
}
