import { Option, type Command } from 'commander';
import { analyzeDetailed } from '../analyze.js';
import { loadPolicy } from '../config/load.js';
import { PROTOCOLS } from '../protocols/index.js';
import { entriesFromFlags, mergeEntries } from '../config/parse.js';
import { ConfigError, type ConfigIssue, type PolicyEntry } from '../config/policy.js';
import { commonEntryShape } from '../config/schema.js';
import { failed, runPolicy } from '../rules/engine.js';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { renderAnnotations, renderFindingsText } from '../report/findings.js';
import { renderJunit } from '../report/junit.js';
import { loadAll } from './analyze.js';
import { emit } from './output.js';
import { common, examples, wantColor, type CommandContext, type CommonFlags } from './shared.js';
import { toolVersion } from './version.js';

export const CHECK_FORMATS = ['text', 'json', 'junit'] as const;

export interface CheckFlags {
  format: string;
  config?: string;
  out?: string;
  force?: boolean;
  warnOnly?: boolean;
  listRules?: boolean;
  listProtocols?: boolean;
  color: boolean;
  /** Rule flags, by commander attribute name (maxPollRate, minHold, …). */
  ruleFlags: Record<string, string | boolean | undefined>;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Exit 0 when every rule holds, 1 when an error-severity rule fails (0 with --warn-only), 2 for usage/config/input errors. */
export async function checkCommand(paths: string[], flags: CheckFlags): Promise<number> {
  if (flags.listRules) {
    await emit(flags.format === 'json' ? JSON.stringify(RULES.map(ruleDoc), null, 2) + '\n' : renderRuleList(), { inputs: [] });
    return 0;
  }
  if (flags.listProtocols) {
    await emit(flags.format === 'json' ? JSON.stringify(PROTOCOLS.map((p) => p.meta), null, 2) + '\n' : renderProtocolList(), { inputs: [] });
    return 0;
  }
  if (paths.length === 0) {
    process.stderr.write('comet-inspect: check: no capture given (a HAR file, or - for stdin); see comet-inspect check --help\n');
    return 2;
  }
  const policy = await readPolicy(flags);
  if (policy === null) return 2;
  if (policy.entries.length === 0) {
    process.stderr.write(
      'comet-inspect: check: no policy: give --config FILE, add comet-inspect.config.json or a "comet-inspect" key in package.json, ' +
        'or pass rule flags such as --max-poll-rate 12/min (comet-inspect check --list-rules lists the rules)\n',
    );
    return 2;
  }

  const captures = await loadAll(paths);
  const { analysis, channels } = analyzeDetailed(captures, { tool: { name: 'comet-inspect', version: toolVersion() } });
  analysis.findings = runPolicy(analysis, policy.entries, { channels });

  const text =
    flags.format === 'json'
      ? JSON.stringify(analysis, null, 2) + '\n'
      : flags.format === 'junit'
        ? renderJunit(analysis, analysis.findings)
        : renderFindingsText(analysis, analysis.findings, { color: flags.color, policy: policy.from, warnOnly: flags.warnOnly });
  await emit(text, { out: flags.out, force: flags.force, inputs: paths });

  if (flags.env['GITHUB_ACTIONS'] === 'true') {
    const annotations = renderAnnotations(analysis, analysis.findings, { warnOnly: flags.warnOnly });
    // The runner reads workflow commands from both streams; stdout is the documented one, so use it unless it
    // carries the JSON or XML report.
    if (annotations) {
      if (flags.format === 'text' || flags.out) process.stdout.write(annotations);
      else process.stderr.write(annotations);
    }
  }
  return failed(analysis.findings) && !flags.warnOnly ? 1 : 0;
}

/** The policy file (if any) with the rule flags on top; every mistake in either is listed, then exit 2. */
async function readPolicy(flags: CheckFlags): Promise<{ from: string; entries: PolicyEntry[] } | null> {
  const problems: ConfigError[] = [];
  let fromFile: PolicyEntry[] = [];
  let fileLabel: string | null = null;
  try {
    const loaded = await loadPolicy(flags.cwd, flags.config);
    fromFile = loaded.entries;
    fileLabel = loaded.from;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err);
  }
  let fromFlags: PolicyEntry[] = [];
  try {
    fromFlags = entriesFromFlags(flags.ruleFlags);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err);
  }
  if (problems.length) {
    const count = problems.reduce((n, p) => n + p.issues.length, 0);
    const lines = [`comet-inspect: check: the policy has ${count === 1 ? 'a mistake' : `${count} mistakes`}:`];
    for (const p of problems) for (const i of p.issues) lines.push(`  ${issueLine(p.where, i)}`);
    process.stderr.write(lines.join('\n') + '\n');
    return null;
  }
  const flagNames = fromFlags.map((e) => e.source);
  const from = [fileLabel, flagNames.length ? `flags ${flagNames.join(' ')}` : null].filter(Boolean).join(' + ');
  return { from, entries: mergeEntries(fromFile, fromFlags) };
}

function issueLine(where: string, i: ConfigIssue): string {
  if (where === 'command line') return `${i.path}: ${i.message}`;
  return i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`;
}

// ---- --list-rules: the docs, straight from each rule's meta ----

function optionDocs(rule: Rule): [string, string][] {
  return Object.entries(rule.meta.options).map(([name, schema]) => [name, (schema as { description?: string }).description ?? '']);
}

function ruleDoc(rule: Rule) {
  const m = rule.meta;
  return {
    id: m.id,
    description: m.description,
    docs: m.docs,
    defaultSeverity: m.defaultSeverity,
    appliesTo: m.appliesTo?.describe ?? 'all push channels',
    optIn: m.optIn ?? false,
    options: Object.fromEntries(optionDocs(rule)),
    flag: m.flag?.flags ?? null,
    example: { [m.id]: m.example },
  };
}

export function renderRuleList(): string {
  const out: string[] = [];
  out.push('Rules (set them in comet-inspect.config.json under "rules", or with the flags shown):', '');
  for (const rule of RULES) {
    const d = ruleDoc(rule);
    out.push(`${d.id}${d.optIn ? '  (opt-in)' : ''}`);
    out.push(`  ${d.description}`);
    out.push(`  ${d.docs}`);
    out.push(`  applies to: ${d.appliesTo} · default severity: ${d.defaultSeverity}${d.flag ? ` · flag: ${d.flag}` : ''}`);
    for (const [name, doc] of optionDocs(rule)) out.push(`  - ${name}: ${doc}`);
    out.push(`  example: ${JSON.stringify(d.example)}`);
    out.push('');
  }
  out.push('Every rule also takes:');
  for (const [name, schema] of Object.entries(commonEntryShape)) out.push(`  - ${name}: ${schema.description ?? ''}`);
  out.push('  A rule value can also be "off", "error", "warn", true, or a list of option objects (one per selection).');
  out.push('  Durations: "500ms", "25s", "2m". Rates: "12/min", "1/s", "100/h".');
  return out.join('\n') + '\n';
}

// ---- --list-protocols: what a channel's "protocol" can be, from each protocol module's meta ----

export function renderProtocolList(): string {
  const out = ['Protocols a channel can report (the "protocol" selector of a policy entry, and --expect-protocol):', ''];
  for (const { meta: m } of PROTOCOLS) {
    out.push(`${m.id}  (${m.name})`);
    out.push(`  ${m.description}`);
    out.push(`  recognised by: ${m.signals.join('; ')}`);
    out.push(`  session: ${m.sessionKey}`);
    if (m.declares.length) out.push(`  declares: ${m.declares.join('; ')}`);
    out.push('');
  }
  out.push('none: no protocol recognised (plain long polling, streaming, SSE or WebSocket).');
  return out.join('\n') + '\n';
}

export function registerCheck(program: Command, { setExit }: CommandContext): void {
  const cmd = program
    .command('check')
    .description('check captures against a policy (holds, poll rate, back-off, modes, …); exit 1 when a rule fails')
    .argument('[capture...]', 'HAR files, or - for stdin')
    .option('-c, --config <file>', `policy file (default: ./comet-inspect.config.json, else "comet-inspect" in ./package.json)`)
    .addOption(new Option('-f, --format <format>', 'output format').choices([...CHECK_FORMATS]).default('text'))
    .option('-o, --out <file>', 'write the report to a file (never one of the inputs)')
    .option('--force', 'let --out replace an existing file')
    .option('--warn-only', 'report failures but exit 0')
    .option('--list-rules', 'print every rule, its options and flag, and exit')
    .option('--list-protocols', 'print every protocol a channel can report, how it is recognised, and exit');
  for (const rule of RULES) if (rule.meta.flag) cmd.option(rule.meta.flag.flags, rule.meta.flag.description);
  common(cmd)
    .addHelpText(
      'after',
      examples(
        'comet-inspect check capture.har                       # policy from ./comet-inspect.config.json',
        'comet-inspect check capture.har --max-poll-rate 12/min --min-hold 20s --require-backoff',
        'comet-inspect check capture.har --config policy.json --format junit --out comet.xml',
        'comet-inspect check --list-rules',
        'comet-inspect check --list-protocols',
      ),
    )
    .action(async (paths: string[], opts: Record<string, unknown> & CommonFlags) => {
      setExit(
        await checkCommand(paths, {
          format: String(opts['format']),
          config: opts['config'] as string | undefined,
          out: opts['out'] as string | undefined,
          force: Boolean(opts['force']),
          warnOnly: Boolean(opts['warnOnly']),
          listRules: Boolean(opts['listRules']),
          listProtocols: Boolean(opts['listProtocols']),
          color: wantColor(opts),
          ruleFlags: opts as Record<string, string | boolean | undefined>,
          cwd: process.cwd(),
          env: process.env,
        }),
      );
    });
}
