import type { Command } from 'commander';

/** Flags every command takes. */
export interface CommonFlags {
  color: boolean;
  debug?: boolean;
}

/** What a command module gets to register itself on the program. */
export interface CommandContext {
  /** Sets the process exit code once the command's action has run. */
  setExit: (code: number) => void;
}

/** Adds the flags every command takes. */
export function common(cmd: Command): Command {
  return cmd
    .option('--no-color', 'plain output without colour (also NO_COLOR=1, or when not a terminal)')
    .option('--debug', 'print stack traces for internal errors');
}

/** True when colour should be used: a TTY, no NO_COLOR, and no --no-color. */
export function wantColor(flags: CommonFlags): boolean {
  if (!flags.color) return false;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

/** Help text listing examples, shown after a command's options. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}
