import { Command, CommanderError } from 'commander';
import { InputError } from '../har/errors.js';
import { OutOfMemoryError } from '../memory.js';
import { clearStatus } from './progress.js';
import type { CommandContext } from './shared.js';
import { toolVersion } from './version.js';

type Register = (program: Command, ctx: CommandContext) => void;

/**
 * Every command, in the order --help lists them. Each module registers its own name, options and action. They are
 * loaded on demand: a run loads only the command it runs (startup is a large share of a quick run, and the policy
 * schema, the HAR schema validator and the terminal renderers are not needed by most runs).
 */
const COMMANDS: { name: string; load: () => Promise<Register> }[] = [
  { name: 'analyze', load: async () => (await import('./analyze.js')).registerAnalyze },
  { name: 'compare', load: async () => (await import('./compare.js')).registerCompare },
  { name: 'timeline', load: async () => (await import('./timeline.js')).registerTimeline },
  { name: 'validate', load: async () => (await import('./validate.js')).registerValidate },
  { name: 'check', load: async () => (await import('./check.js')).registerCheck },
];

/**
 * The commands a run needs registered: the one named first on the command line, analyze (the default) when the
 * first argument is a capture, none for --version alone, and all of them when help may list them (no argument,
 * `help`, or only options).
 */
export function commandsFor(args: string[]): typeof COMMANDS {
  const first = args.find((a) => !a.startsWith('-') || a === '-');
  if (first === undefined && (args.includes('-V') || args.includes('--version'))) return [];
  if (first === undefined || first === 'help') return COMMANDS;
  const named = COMMANDS.find((c) => c.name === first);
  return [named ?? COMMANDS[0]!];
}

/** Exit codes (README "Exit codes"): 0 success, 1 a check failed / capture invalid, 2 usage or unreadable input, 3 out of memory, 130 interrupted. */
export const EXIT = { ok: 0, failed: 1, usage: 2, memory: 3, interrupted: 130 } as const;

async function buildProgram(args: string[], setExit: (code: number) => void): Promise<Command> {
  const program = new Command();
  program
    .name('comet-inspect')
    .description('Find the push channels (long polling, streaming, SSE, WebSocket, JSONP, forever frames) in HAR captures and measure how they behave.')
    .version(toolVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str) })
    .addHelpText(
      'after',
      [
        '',
        'Exit codes:',
        '  0    done',
        '  1    check: a rule failed; validate: a capture is not valid HAR',
        '  2    usage error, or input that cannot be read as a HAR',
        '  3    not enough memory (allow more with NODE_OPTIONS=--max-old-space-size=…)',
        '  130  interrupted',
      ].join('\n'),
    );

  const ctx: CommandContext = { setExit };
  const wanted = commandsFor(args);
  for (const register of await Promise.all(wanted.map((c) => c.load()))) register(program, ctx);
  return program;
}

/** Runs the CLI and returns its exit code. Every expected failure becomes one line on stderr; no stack traces without --debug. */
export async function main(argv: string[]): Promise<number> {
  installPipeGuard();
  let code: number = EXIT.ok;
  const program = await buildProgram(argv.slice(2), (c) => {
    code = c;
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    clearStatus();
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage mistakes are exit 2.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof OutOfMemoryError) {
      process.stderr.write(`comet-inspect: ${err.message}\n`);
      return err.exitCode;
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
  // Ctrl-C stops at once with the shell's usual code (bin/ also does this before loading); --out files are renamed
  // into place only when complete, so an interrupted run leaves none half-written.
  if (process.listenerCount('SIGINT') === 0) process.once('SIGINT', () => process.exit(EXIT.interrupted));
}
