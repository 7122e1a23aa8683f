// src/cli-mpremote.ts: mpremote's command line in mpy's terms, before commander parses it:
// shortcuts (`a0`, `fs cp`, `soft-reset`, `resume`, …) become mpy's commands, and a chain
// written without `+` is cut where each command's arguments end, as mpremote cuts it.
// mpy's own command lines pass through unchanged.
import type { Command, Option } from 'commander';
import { UsageError } from './errors.js';

/** What the cutting needs to know of one command. */
interface Shape {
  /** Positional arguments it needs, and takes at most (Infinity: all up to the next `+`, as
   * mpremote's variadic ones). */
  min: number;
  max: number;
  /** Option spellings (`-r`, `--recursive`, `--no-recursive`) and whether each takes a value. */
  options: Map<string, boolean>;
}

/** mpremote's filesystem subcommands, reached as `fs NAME` or as `NAME`. */
const FS_COMMANDS = new Set([
  'cat',
  'cp',
  'ls',
  'mkdir',
  'rm',
  'rmdir',
  'sha256sum',
  'touch',
  'tree',
]);

/** mpremote's shortcuts that are not mpy commands, and what they stand for. */
const SHORTCUTS: Record<string, string[]> = {
  'soft-reset': ['reset'],
  bootloader: [
    'exec',
    '--no-follow',
    'import time, machine; time.sleep_ms(100); machine.bootloader()',
  ],
  help: ['--help'],
  version: ['--version'],
};

/** `a0`…`a3`, `u0`…`u3`, `c0`…`c3`: mpremote's names for /dev/ttyACMn, /dev/ttyUSBn, COMn. */
function portShortcut(name: string): string[] | undefined {
  const match = /^([auc])([0-3])$/.exec(name);
  if (!match) return undefined;
  const prefix = { a: '/dev/ttyACM', u: '/dev/ttyUSB', c: 'COM' }[match[1] as 'a' | 'u' | 'c'];
  return ['connect', `${prefix}${match[2]}`];
}

function optionSpellings(options: readonly Option[], into: Map<string, boolean>): void {
  for (const option of options) {
    const takesValue = option.required || option.optional;
    if (option.short) into.set(option.short, takesValue);
    if (option.long) into.set(option.long, takesValue);
  }
}

/** The shapes of the program's commands, read from their commander definitions. */
function shapesOf(program: Command): {
  commands: Map<string, Shape>;
  globals: Map<string, boolean>;
} {
  const globals = new Map<string, boolean>([
    ['-h', false],
    ['--help', false],
  ]);
  optionSpellings(program.options, globals);
  const commands = new Map<string, Shape>();
  for (const command of program.commands) {
    const options = new Map<string, boolean>([...globals, ['-h', false], ['--help', false]]);
    optionSpellings(command.options, options);
    const args = command.registeredArguments;
    commands.set(command.name(), {
      min: args.filter((a) => a.required).length,
      max: args.some((a) => a.variadic) ? Number.POSITIVE_INFINITY : args.length,
      options,
    });
  }
  return { commands, globals };
}

/** True when `token` is one of `options`, also as `--name=value` or combined short flags. */
function isOption(token: string, options: Map<string, boolean>): boolean {
  if (options.has(token) || options.has(token.split('=')[0]!)) return true;
  return /^-[a-zA-Z]{2,}$/.test(token) && [...token.slice(1)].every((c) => options.has(`-${c}`));
}

/** True when the option token needs the next token as its value. */
function takesValue(token: string, options: Map<string, boolean>): boolean {
  if (token.includes('=')) return false;
  if (options.has(token)) return options.get(token)!;
  return options.get(`-${token.at(-1)}`) ?? false;
}

/** True when `token` starts the next command rather than filling an optional argument:
 * `df ls` is df, then ls (mpremote's df takes none). Variadic arguments take every word up to
 * `+`, as mpremote's do (`cp a.py run` copies to a local file named run). */
function optionalWord(shape: Shape, token: string, commands: Map<string, Shape>): boolean {
  if (!Number.isFinite(shape.max)) return false;
  return (
    commands.has(token) || token in SHORTCUTS || token === 'fs' || portShortcut(token) !== undefined
  );
}

/** Rewrite the head of `rest` while it is a shortcut; returns the expanded tokens. */
function expandHead(rest: string[]): string[] {
  for (;;) {
    const head = rest[0];
    if (head === undefined) return rest;
    const port = portShortcut(head);
    if (port) rest = [...port, ...rest.slice(1)];
    else if (head in SHORTCUTS) rest = [...SHORTCUTS[head]!, ...rest.slice(1)];
    else if (head === 'fs') rest = fsSubcommand(rest.slice(1));
    else if (head === 'connect' && rest[1] === 'list') rest = ['devs', ...rest.slice(2)];
    else return rest;
  }
}

/** `fs [-r] cp …` -> `cp [-r] …`: mpremote's `fs` takes its options before the subcommand too. */
function fsSubcommand(rest: string[]): string[] {
  const at = rest.findIndex((token) => !token.startsWith('-'));
  const name = at < 0 ? undefined : rest[at];
  if (name === undefined || name === '+') throw new UsageError('fs: missing command');
  if (!FS_COMMANDS.has(name)) {
    throw new UsageError(
      `fs: '${name}' is not a filesystem command (${[...FS_COMMANDS].join(', ')})`,
    );
  }
  return [name, ...rest.slice(0, at), ...rest.slice(at + 1)];
}

/**
 * Translate a command line (without `node mpy`) to mpy's form: global options first, then
 * commands separated by `+`. `program` is the commander program with every command defined.
 */
export function translateMpremoteArgv(args: string[], program: Command): string[] {
  const { commands, globals } = shapesOf(program);
  const out: string[] = [];
  let i = 0;
  // mpy's global options (-d DEVICE, -b RATE, …) come before the first command
  while (i < args.length && isOption(args[i]!, globals)) {
    const token = args[i++]!;
    out.push(token);
    if (takesValue(token, globals) && i < args.length) out.push(args[i++]!);
  }
  const segments: string[][] = [];
  let rest = args.slice(i);
  for (;;) {
    while (rest[0] === '+') rest = rest.slice(1);
    rest = expandHead(rest);
    if (rest.length === 0) break;
    const [name, ...tail] = rest;
    const shape = commands.get(name!);
    const segment = [name!];
    let used = 0;
    let at = 0;
    while (at < tail.length && tail[at] !== '+') {
      const token = tail[at]!;
      if (shape && isOption(token, shape.options)) {
        segment.push(token);
        at++;
        if (takesValue(token, shape.options) && at < tail.length) segment.push(tail[at++]!);
      } else if (shape && /^-[^\d]/.test(token)) {
        // an option the command does not have: commander names it in its error
        segment.push(token);
        at++;
      } else if (
        !shape ||
        (used < shape.max && !(used >= shape.min && optionalWord(shape, token, commands)))
      ) {
        // an unknown command keeps all its words, for commander to complain about
        segment.push(token);
        used++;
        at++;
      } else break;
    }
    segments.push(segment);
    rest = tail.slice(at);
  }
  // mpy's mount (the board's files in a local folder, until Ctrl-C) ends a chain; a mount with
  // commands after it, or with mpremote's -l, is mpremote's: a computer folder on the board
  segments.forEach((segment, n) => {
    const mpremote =
      n < segments.length - 1 || segment.includes('-l') || segment.includes('--unsafe-links');
    if (segment[0] === 'mount' && mpremote) segment[0] = 'mount-local';
  });
  segments.forEach((segment, n) => {
    if (n > 0) out.push('+');
    out.push(...segment);
  });
  return out;
}
