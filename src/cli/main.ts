import { Command, CommanderError, Option } from 'commander';
import { InputError } from '../har/errors.js';
import { ANALYZE_FORMATS, analyzeCommand } from './analyze.js';
import { validateCommand } from './validate.js';
import { toolVersion } from './version.js';

/** Exit codes (README "Exit codes"): 0 success, 1 a check failed / capture invalid, 2 usage or unreadable input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface CommonFlags {
  color: boolean;
  debug?: boolean;
}

/** True when colour should be used: a TTY, no NO_COLOR, and no --no-color. */
function wantColor(flags: CommonFlags): boolean {
  if (!flags.color) return false;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

function common(cmd: Command): Command {
  return cmd.option('--no-color', 'plain output without colour (also NO_COLOR=1, or when not a terminal)').option('--debug', 'print stack traces for internal errors');
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('comet-inspect')
    .description('Find the push channels (long polling, streaming, SSE, WebSocket, JSONP, forever frames) in HAR captures and measure how they behave.')
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) });

  common(
    program
      .command('analyze', { isDefault: true })
      .description('analyse captures and report their push channels (the default command)')
      .argument('<capture...>', 'HAR files (.har, .har.gz, .zhar, .harp), or - for stdin')
      .addOption(new Option('-f, --format <format>', 'output format').choices([...ANALYZE_FORMATS]).default('text'))
      .option('-o, --out <file>', 'write the report to a file (never one of the inputs)')
      .option('--force', 'let --out replace an existing file')
      .addHelpText('after', '\nExamples:\n  $ comet-inspect samples/taobao-polling.har\n  $ comet-inspect capture.har.gz --format json --out report.json\n  $ cat capture.har | comet-inspect -'),
  ).action(async (paths: string[], flags: { format: string; out?: string; force?: boolean } & CommonFlags) => {
    setExit(await analyzeCommand(paths, { ...flags, color: wantColor(flags) }));
  });

  common(
    program
      .command('validate')
      .description('check captures strictly against the HAR 1.2 schema; exit 1 if any is invalid')
      .argument('<capture...>', 'HAR files, or - for stdin')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .addHelpText('after', '\nExamples:\n  $ comet-inspect validate capture.har\n  $ comet-inspect validate a.har b.har --format json'),
  ).action(async (paths: string[], flags: { format: string } & CommonFlags) => {
    setExit(await validateCommand(paths, { ...flags, color: wantColor(flags) }));
  });

  return program;
}

/** Runs the CLI and returns its exit code. Every expected failure becomes one line on stderr; no stack traces without --debug. */
export async function main(argv: string[]): Promise<number> {
  installPipeGuard();
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage mistakes are exit 2.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof InputError) {
      process.stderr.write(`comet-inspect: ${err.message}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    process.stderr.write(`comet-inspect: internal error: ${e?.message ?? String(err)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && e?.stack) process.stderr.write(`${e.stack}\n`);
    return EXIT.usage;
  }
}

/** `comet-inspect x.har | head -1`: a closed pipe ends the run quietly. */
function installPipeGuard(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
  });
}
