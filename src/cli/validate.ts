import { Chalk } from 'chalk';
import { Option, type Command } from 'commander';
import { validateCapture, type ValidationResult } from '../har/validate.js';
import { emit } from './output.js';
import { common, examples, wantColor, type CommandContext, type CommonFlags } from './shared.js';

export interface ValidateFlags {
  format: string;
  color: boolean;
}

/** Strict HAR 1.2 validation of each capture. Exit 0 when all are valid, 1 when any is not. */
export async function validateCommand(paths: string[], flags: ValidateFlags): Promise<number> {
  const results: ValidationResult[] = [];
  for (const path of paths) results.push(await validateCapture(path));
  const text = flags.format === 'json' ? JSON.stringify(results, null, 2) + '\n' : renderValidation(results, flags.color);
  await emit(text, { inputs: paths });
  return results.every((r) => r.valid) ? 0 : 1;
}

const MAX_SHOWN = 200;

function renderValidation(results: ValidationResult[], color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  for (const r of results) {
    if (r.valid) lines.push(`${c.green('valid')}    ${r.file}`);
    else lines.push(`${c.red('invalid')}  ${r.file}: ${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}`);
    for (const note of r.notes) lines.push(`  ${c.yellow('!')} ${note}`);
    for (const v of r.violations.slice(0, MAX_SHOWN)) lines.push(`  ${v.path}: ${v.message}`);
    if (r.violations.length > MAX_SHOWN) lines.push(`  … and ${r.violations.length - MAX_SHOWN} more (use --format json for all)`);
  }
  return lines.join('\n') + '\n';
}

export function registerValidate(program: Command, { setExit }: CommandContext): void {
  common(
    program
      .command('validate')
      .description('check captures strictly against the HAR 1.2 schema; exit 1 if any is invalid')
      .argument('<capture...>', 'HAR files, or - for stdin')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .addHelpText('after', examples('comet-inspect validate capture.har', 'comet-inspect validate a.har b.har --format json')),
  ).action(async (paths: string[], flags: { format: string } & CommonFlags) => {
    setExit(await validateCommand(paths, { ...flags, color: wantColor(flags) }));
  });
}
