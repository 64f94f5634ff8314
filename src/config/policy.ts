// A policy, read: one entry per rule (or per rule × selection), with its options already parsed.
import type { Severity } from '../model.js';
import type { Selector } from './schema.js';

export interface PolicyEntry {
  /** Rule id, e.g. "min-hold". */
  rule: string;
  severity: Severity;
  /** A missing figure is skipped (status "skip") instead of failing. */
  optional: boolean;
  select?: Selector;
  /** The rule's own options, parsed (durations in ms, rates per minute). */
  options: Record<string, unknown>;
  /** Where it was written: "rules.min-hold[1]" in the policy file, or "--min-hold". */
  source: string;
}

export interface ConfigIssue {
  /** "rules.min-hold.min", "--max-poll-rate", or "" for the file as a whole. */
  path: string;
  message: string;
}

/** A policy that cannot be used; every mistake is listed with its path. The CLI exits 2. */
export class ConfigError extends Error {
  constructor(
    readonly where: string,
    readonly issues: ConfigIssue[],
  ) {
    super(`${where}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ConfigError';
  }
}
