// src/cli.ts: parse the command line with commander (segments chained with `+` share one
// connection), run the commands, map errors to one line and an exit code.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { translateMpremoteArgv } from './cli-mpremote.js';
import {
  type ConnectOptions,
  type ContextIo,
  isReported,
  SessionContext,
} from './commands/context.js';
import { commands } from './commands/index.js';
import type { CommandSpec } from './commands/types.js';
import { FsArgumentError, MpyError, TransportError, UsageError } from './errors.js';
import { parseDevices } from './many/device-spec.js';
import { describeBytes } from './repl/protocol.js';
import { askHidden } from './transport/ask-password.js';

/** Exit code for an error that is not one of ours (EX_SOFTWARE). */
const EXIT_INTERNAL = 70;
/** Exit code after Ctrl-C, as a shell reports SIGINT. */
const EXIT_INTERRUPTED = 130;

/** One parsed command of a `+` chain. */
interface Planned {
  spec: CommandSpec;
  args: string[];
  options: Record<string, unknown>;
}

/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(pkg.version);
}

function onOff(name: string) {
  return (value: string): boolean => {
    if (/^(1|on|true|yes)$/i.test(value)) return true;
    if (/^(0|off|false|no)$/i.test(value)) return false;
    throw new UsageError(`--${name} takes on or off, not ${value}`);
  };
}

/** `-b/--baud`: a whole number of bits a second; anything else is a usage error (exit 64), not
 * a port that fails to open. */
function baudRate(value: string): number {
  const rate = Number(value);
  if (/^\d+$/.test(value) && rate > 0) return rate;
  throw new UsageError(`--baud takes a positive whole number, not ${value}`);
}

/** `ask` called at most once (a reconnecting `watch` does not ask for the password again). */
function once<T>(ask: () => Promise<T>): () => Promise<T> {
  let asked: Promise<T> | undefined;
  return () => {
    asked ??= ask();
    return asked;
  };
}

/** The commander program for one segment; a command's action records it in `plan`. */
function buildProgram(io: CliIo, plan: Planned[]): Command {
  const program = new Command('mpy')
    .description('Work on a MicroPython board through its raw REPL.')
    .usage('[options] COMMAND [ARGS] [+ COMMAND [ARGS]]...')
    .addOption(
      new Option(
        '-d, --device <device>',
        'auto, a port (/dev/ttyACM0, a0, u0, COM3), socket://HOST:PORT, ws://HOST[:PORT] (WebREPL), sim or sim:DIR (env MPY_DEVICE); several boards: a0,a1 or -d repeated, a glob (/dev/ttyACM*), all' +
          ` (default: "${process.env.MPY_DEVICE ?? 'auto'}")`,
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .option('-b, --baud <rate>', 'serial speed', baudRate, 115200)
    .option(
      '--password <pw>',
      'WebREPL password (env MPY_WEBREPL_PASSWORD; asked for on a terminal)',
    )
    .option(
      '--dtr <on|off>',
      'DTR level after opening (default: off, on for native USB boards)',
      onOff('dtr'),
    )
    .option('--rts <on|off>', 'RTS level after opening (default: off)', onOff('rts'))
    .option(
      '--soft-reset',
      'soft-reset the board after connecting (clean state, main.py not run; resume skips it)',
    )
    .option('--debug', 'show stack traces')
    .version(version(), '-V, --version')
    .argument('[command...]')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => {},
    })
    .addHelpText(
      'after',
      [
        '',
        'Commands chain with +, sharing one connection:  mpy cp main.py : + reset + repl',
        "mpremote's command lines work as they are: mpy connect a0 fs cp main.py : + exec 'import main'",
        'With no command: mpy repl.',
        'Exit codes: 0 ok, 1 Python error on the board, 2 link problem, 3 board timeout,',
        '64 usage error (2 for tree -s -h, as mpremote), 70 internal error, 130 interrupted.',
      ].join('\n'),
    )
    .action((rest: string[]) => {
      if (rest.length > 0) {
        throw new UsageError(`unknown command ${rest[0]} (see mpy --help)`);
      }
    });
  for (const spec of commands) {
    const command = program.command(`${spec.name}${spec.args ? ` ${spec.args}` : ''}`);
    command.description(spec.summary);
    spec.configure?.(command);
    command.action((...received: unknown[]) => {
      const self = received[received.length - 1] as Command;
      plan.push({ spec, args: [...self.args], options: self.optsWithGlobals() });
    });
  }
  return program;
}

/** The command line as mpy parses it: mpremote's forms translated (src/cli-mpremote.ts). */
export function mpyArgv(
  args: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): string[] {
  return translateMpremoteArgv(args, buildProgram(io, []));
}

/** Split argv on lone `+` tokens (mpremote's command chaining). */
export function splitChain(args: string[]): string[][] {
  const segments: string[][] = [[]];
  for (const arg of args) {
    if (arg === '+') segments.push([]);
    else segments[segments.length - 1]!.push(arg);
  }
  return segments;
}

/** Parse every segment (after mpremote's forms are translated); returns the plan and the global
 * options of the first segment. A chain with no action (only `connect`, `sleep`, …) ends in the
 * REPL, as mpremote's does. */
async function parse(
  args: string[],
  io: CliIo,
): Promise<{ plan: Planned[]; globals: Record<string, unknown> }> {
  const plan: Planned[] = [];
  let globals: Record<string, unknown> | undefined;
  // The program the translation reads the commands' shapes from parses the first segment too:
  // building one costs a few ms of a short command's start-up.
  let unused: Command | undefined = buildProgram(io, plan);
  const segments = splitChain(translateMpremoteArgv(args, unused));
  for (const [n, segment] of segments.entries()) {
    if (n > 0 && segment.length === 0) continue;
    const program = unused ?? buildProgram(io, plan);
    unused = undefined;
    await program.parseAsync(segment, { from: 'user' });
    globals ??= program.opts();
  }
  if (!plan.some((step) => step.spec.isAction !== false)) {
    const repl = commands.find((spec) => spec.name === 'repl');
    if (!repl) throw new UsageError('no command given (see mpy --help)');
    plan.push({ spec: repl, args: [], options: globals ?? {} });
  }
  return { plan, globals: globals ?? {} };
}

function report(error: unknown, debug: boolean, io: ContextIo): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    io.stderr.write(`mpy: ${error.message.replace(/^error: /, '')} (see mpy --help)\n`);
    return 64;
  }
  const known = error instanceof MpyError;
  if (error instanceof FsArgumentError) io.stderr.write(error.text);
  else if (!isReported(error)) io.stderr.write(`mpy: ${errorLine(error)}\n`);
  if (debug && error instanceof TransportError && error.received?.length) {
    io.stderr.write(`received: ${describeBytes(error.received, 2000)}\n`);
  }
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return known ? error.exitCode : EXIT_INTERNAL;
}

/** Run a parsed chain on one context; errors are reported to `io` as one line. The context is
 * closed at the end. */
async function runPlan(
  plan: Planned[],
  context: SessionContext,
  io: ContextIo,
  debug: boolean,
  signal: AbortSignal,
): Promise<{ code: number; error?: string }> {
  let code = 0;
  let failure: unknown;
  try {
    for (const step of plan) {
      // Ctrl-C between chained commands stops the chain; a command that ends normally on
      // Ctrl-C (sim, mount) still exits 0.
      if (signal.aborted) {
        code = EXIT_INTERRUPTED;
        break;
      }
      const run = await step.spec.load();
      await run(step.args, step.options, context);
    }
  } catch (error) {
    if (signal.aborted) code = EXIT_INTERRUPTED;
    else {
      code = report(error, debug, io);
      failure = error;
    }
  } finally {
    try {
      await context.close();
    } catch (error) {
      if (code === 0) {
        code = report(error, debug, io);
        failure = error;
      }
    }
  }
  if (code === 0) return { code };
  return { code, error: failure === undefined ? 'interrupted' : errorLine(failure) };
}

/** The one line `report` prints for an error, without `mpy: `. */
function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof MpyError ? message : `internal error: ${message}`;
}

/** Run `mpy` with `argv` (as process.argv: node, script, args...). Resolves to the exit code. */
export async function main(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const args = argv.slice(2);
  const debug = args.includes('--debug');
  let parsed: Awaited<ReturnType<typeof parse>>;
  try {
    parsed = await parse(args, io);
  } catch (error) {
    return report(error, debug, io);
  }
  const { plan, globals } = parsed;
  const abort = new AbortController();
  const onSigint = () => {
    // The first Ctrl-C asks the command to stop (and the board to stop the code); a second one
    // gives up on a board that does not react.
    if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  const connection: ConnectOptions = {
    device: 'auto',
    baud: Number(globals.baud),
    softReset: globals.softReset === true,
    password:
      (globals.password as string | undefined) ?? process.env.MPY_WEBREPL_PASSWORD ?? undefined,
    ...(process.stdin.isTTY
      ? { askPassword: once(() => askHidden('WebREPL password: ', process.stdin, io.stderr)) }
      : {}),
    ...(debug ? { debug: (line: string) => io.stderr.write(`mpy: debug: ${line}\n`) } : {}),
    ...(globals.dtr !== undefined ? { dtr: globals.dtr === true } : {}),
    ...(globals.rts !== undefined ? { rts: globals.rts === true } : {}),
  };
  let code: number;
  try {
    const devices = parseDevices(
      (globals.device as string[] | undefined) ?? [process.env.MPY_DEVICE ?? 'auto'],
    );
    const runChain = (context: SessionContext, contextIo: ContextIo) =>
      runPlan(plan, context, contextIo, debug, abort.signal);
    let device = devices.entries[0]?.kind === 'device' ? devices.entries[0].device : 'auto';
    if (devices.many && plan.some((step) => step.spec.needsBoard !== false)) {
      // Loaded only here: a command on one board does not pay for it.
      const many = await import('./many/chain.js');
      // `watch` takes the boards as a whole: boards plugged in later join it.
      const whole = plan.find((step) => step.spec.loadMany);
      if (whole?.spec.loadMany) {
        if (plan.length > 1) {
          throw new UsageError(
            `${whole.spec.name} on several boards runs alone: leave out the other commands of the chain`,
          );
        }
        const run = await whole.spec.loadMany();
        return await many.runOnceOnBoards(
          run,
          whole,
          devices,
          connection,
          io,
          abort.signal,
          (e, to) => report(e, debug, to),
        );
      }
      const specs = plan.map((step) => step.spec);
      const found = await many.boardsFor(specs, devices);
      if (found.length > 1 || specs.every((spec) => spec.many === true)) {
        const ran = await many.runChainOnBoards(found, connection, io, abort.signal, runChain);
        return ran.code;
      }
      device = found[0]!;
    }
    const context = new SessionContext({ ...connection, device }, io, abort.signal);
    code = (await runChain(context, io)).code;
  } catch (error) {
    code = abort.signal.aborted ? EXIT_INTERRUPTED : report(error, debug, io);
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}
