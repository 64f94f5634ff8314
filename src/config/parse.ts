// Turns a policy object (from a file or package.json) and rule flags into PolicyEntry[], collecting every
// mistake with its path instead of stopping at the first.
import { z } from 'zod';
import type { Severity } from '../model.js';
import { RULES, RULES_BY_ID } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { ConfigError, type ConfigIssue, type PolicyEntry } from './policy.js';
import { commonEntryShape, selectorSchema, SEVERITIES } from './schema.js';

const topLevel = z.strictObject({
  $schema: z.string().optional(),
  rules: z.record(z.string(), z.unknown()),
});

const SHAPE_HINT = 'must be "off", "error", "warn", true, false, an options object, or a list of options objects';

/** Parses a whole policy. `prefix` is where it sits in its file ("comet-inspect" inside package.json). */
export function parsePolicy(data: unknown, where: string, prefix: (string | number)[] = []): PolicyEntry[] {
  const issues: ConfigIssue[] = [];
  const entries: PolicyEntry[] = [];
  const top = topLevel.safeParse(data, { reportInput: true });
  if (!top.success) issues.push(...top.error.issues.flatMap((i) => describeIssue(i, [...prefix], ['$schema', 'rules'], 'key')));
  // Mistakes beside "rules" (an unknown key, a bad $schema) do not stop the rules being checked too.
  const rules = isPlainObject(data) && isPlainObject(data['rules']) ? data['rules'] : null;
  if (!rules) throw new ConfigError(where, issues);
  for (const [id, value] of Object.entries(rules)) {
    const path = [...prefix, 'rules', id];
    const rule = RULES_BY_ID.get(id);
    if (!rule) {
      issues.push({ path: formatPath(path), message: `unknown rule${suggest(id)} (comet-inspect check --list-rules lists them)` });
      continue;
    }
    entries.push(...parseRuleValue(rule, value, path, issues));
  }
  if (issues.length === 0 && Object.keys(rules).length === 0) {
    issues.push({ path: formatPath([...prefix, 'rules']), message: 'no rule configured: an empty policy would pass anything' });
  }
  if (issues.length) throw new ConfigError(where, issues);
  return entries;
}

function parseRuleValue(rule: Rule, value: unknown, path: (string | number)[], issues: ConfigIssue[]): PolicyEntry[] {
  if (value === 'off' || value === false) return [];
  if (value === true) return one(rule, {}, path, issues);
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) return one(rule, { severity: value }, path, issues);
  if (Array.isArray(value)) {
    if (value.length === 0) {
      issues.push({ path: formatPath(path), message: 'an empty list: write "off" to turn the rule off' });
      return [];
    }
    return value.flatMap((v, i) => {
      if (isPlainObject(v)) return one(rule, v, [...path, i], issues);
      issues.push({ path: formatPath([...path, i]), message: 'must be an options object' });
      return [];
    });
  }
  if (isPlainObject(value)) return one(rule, value, path, issues);
  issues.push({ path: formatPath(path), message: `${SHAPE_HINT}, not ${JSON.stringify(value)}` });
  return [];
}

function one(rule: Rule, value: Record<string, unknown>, path: (string | number)[], issues: ConfigIssue[]): PolicyEntry[] {
  const r = entrySchema(rule).safeParse(value, { reportInput: true });
  if (!r.success) {
    issues.push(...r.error.issues.flatMap((i) => describeIssue(i, path, optionNames(rule))));
    return [];
  }
  const { severity, optional, select, ...options } = r.data as Record<string, unknown> & {
    severity?: Severity;
    optional?: boolean;
    select?: PolicyEntry['select'];
  };
  return [{ rule: rule.meta.id, severity: severity ?? rule.meta.defaultSeverity, optional: optional ?? false, ...(select ? { select } : {}), options, source: formatPath(path) }];
}

const schemas = new Map<string, z.ZodType>();
export function entrySchema(rule: Rule): z.ZodType {
  let s = schemas.get(rule.meta.id);
  if (!s) schemas.set(rule.meta.id, (s = z.strictObject({ ...commonEntryShape, ...rule.meta.options })));
  return s;
}

export function optionNames(rule: Rule): string[] {
  return [...Object.keys(rule.meta.options), ...Object.keys(commonEntryShape)];
}

/** Rule flags (`--min-hold 20s`) to entries; each replaces the policy file's entries for its rule. */
export function entriesFromFlags(values: Record<string, string | boolean | undefined>): PolicyEntry[] {
  const issues: ConfigIssue[] = [];
  const entries: PolicyEntry[] = [];
  for (const rule of RULES) {
    const flag = rule.meta.flag;
    if (!flag) continue;
    const v = values[flagAttribute(flag.flags)];
    const negated = flag.flags.startsWith('--no-');
    if (v === undefined || (negated && v !== false) || (!negated && v === false)) continue;
    const name = flag.flags.split(/\s/)[0]!;
    const r = entrySchema(rule).safeParse(flag.toOptions(v), { reportInput: true });
    if (!r.success) {
      for (const i of r.error.issues) issues.push({ path: name, message: describeIssue(i, [], optionNames(rule)).map((d) => d.message).join('; ') });
      continue;
    }
    const { severity: _s, optional: _o, select: _sel, ...options } = r.data as Record<string, unknown>;
    entries.push({ rule: rule.meta.id, severity: rule.meta.defaultSeverity, optional: false, options, source: name });
  }
  if (issues.length) throw new ConfigError('command line', issues);
  return entries;
}

/** "--max-poll-rate <rate>" → "maxPollRate"; "--no-open-at-end" → "openAtEnd" (commander's attribute names). */
export function flagAttribute(flags: string): string {
  const long = flags.split(/\s/)[0]!.replace(/^--(no-)?/, '');
  return long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Flags replace the file's entries for the same rule; the file's other rules stay. */
export function mergeEntries(fromFile: PolicyEntry[], fromFlags: PolicyEntry[]): PolicyEntry[] {
  const flagged = new Set(fromFlags.map((e) => e.rule));
  return [...fromFile.filter((e) => !flagged.has(e.rule)), ...fromFlags];
}

function describeIssue(issue: z.core.$ZodIssue, base: (string | number)[], known: string[], noun = 'option'): ConfigIssue[] {
  const path = [...base, ...(issue.path as (string | number)[])];
  switch (issue.code) {
    case 'unrecognized_keys':
      if (path.at(-1) === 'select') known = Object.keys(selectorSchema.shape);
      return issue.keys.map((k) => ({ path: formatPath([...path, k]), message: `unknown ${noun}${suggest(k, known)} (known: ${known.join(', ')})` }));
    case 'invalid_type':
      if (issue.input === undefined) return [{ path: formatPath(path), message: 'is required' }];
      return [{ path: formatPath(path), message: `expected ${issue.expected}, got ${describeValue(issue.input)}` }];
    case 'invalid_value':
      return [{ path: formatPath(path), message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(issue.input)}` }];
    case 'invalid_union': {
      // One value or a list of them: report the branch that got furthest into the value (for a list, the bad item).
      const branches = issue.errors.filter((b) => b.length > 0);
      const depth = (b: z.core.$ZodIssue[]) => Math.max(...b.map((i) => i.path.length));
      const best = branches.reduce<z.core.$ZodIssue[] | null>((a, b) => (a === null || depth(b) > depth(a) ? b : a), null);
      const first = best?.[0];
      if (first) return describeIssue({ ...first, path: [...(issue.path as (string | number)[]), ...(first.path as (string | number)[])] } as z.core.$ZodIssue, base, known, noun);
      return [{ path: formatPath(path), message: issue.message }];
    }
    default:
      return [{ path: formatPath(path), message: issue.message }];
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** ["rules", "min-hold", 0, "min"] → "rules.min-hold[0].min". */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function suggest(word: string, candidates: string[] = RULES.map((r) => r.meta.id)): string {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== null && bestD <= Math.max(2, Math.floor(word.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
