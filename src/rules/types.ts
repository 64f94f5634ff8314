// What a rule is (ESLint/Lighthouse style): a `meta` that describes it and its options, beside its logic.
// A rule reads one channel of the Analysis (plus the figures computed once for it) and says whether it held.
import type { z } from 'zod';
import type { Analysis, ChannelReport, Mode, Severity } from '../model.js';
import type { ChannelFigures } from './figures.js';

export type FindingValue = number | string | (number | string | null)[] | null;
export type Unit = 'ms' | 'per-minute' | 'count';

export interface Outcome {
  /** true: held; false: broken; null: the figure the rule needs is missing for this channel. */
  pass: boolean | null;
  /** The measured figure (ms, per minute, a count, or words), null when missing. */
  measured: FindingValue;
  /** The limit it is held to, in the same unit. */
  limit: FindingValue;
  /** How the measurement reads to people: "timeout 10 s", "26.4/min". */
  measuredText: string;
  /** How the limit reads: "≥ 20 s", "≤ 12/min". */
  limitText: string;
  /** An optional further sentence (why, which requests). */
  detail?: string;
}

export interface RuleContext {
  analysis: Analysis;
  /** Figures the ChannelReport lacks, computed once per channel (see figures.ts). */
  figures(channel: ChannelReport): ChannelFigures;
}

export interface RuleMeta<S extends z.ZodRawShape> {
  id: string;
  /** One line for --list-rules and the README. */
  description: string;
  /** How the figure is measured and what counts as a failure. */
  docs: string;
  defaultSeverity: Severity;
  /** Unit of measured/limit in findings (absent for words). */
  unit?: Unit;
  /** The rule's own options (each with .describe()); severity, optional and select are common to all. */
  options: S;
  /** The channels the rule is about when the entry has no `select.mode`: e.g. long-poll channels for min-hold. */
  appliesTo?: { modes?: readonly Mode[]; where?: (c: ChannelReport) => boolean; describe: string };
  /** Which figures it reads, for the docs. */
  needs: readonly string[];
  /** Not something most apps want (e.g. no-open-at-end): say so in the docs. */
  optIn?: boolean;
  /** Command-line shortcut: `--min-hold 20s` becomes `{ "min-hold": { <toOptions(value)> } }`. */
  flag?: { flags: string; description: string; toOptions: (value: string | boolean) => Record<string, unknown> };
  /** A policy entry that shows the rule in use. */
  example: Record<string, unknown> | true;
}

export interface Rule<S extends z.ZodRawShape = z.ZodRawShape> {
  meta: RuleMeta<S>;
  check(channel: ChannelReport, options: z.output<z.ZodObject<S>>, ctx: RuleContext): Outcome;
}

/** Identity, for type inference of the options from the schema. */
export function defineRule<S extends z.ZodRawShape>(rule: Rule<S>): Rule<S> {
  return rule;
}

/** The outcome of a rule whose figure could not be measured on this channel. */
export function missing(measuredText: string, limit: FindingValue, limitText: string, detail?: string): Outcome {
  return { pass: null, measured: null, limit, measuredText, limitText, ...(detail ? { detail } : {}) };
}
