// src/commands/options.ts: options more than one command takes: mpremote's `-v/--verbose` and
// `--no-verbose` of its file commands (which print `ls :path`, `cp SRC DEST`, … before each path
// unless told not to), `-f/--follow` of exec and run, and what `watch` and `dev` share.
import type { Command } from 'commander';

/** Add `-v, --verbose` and `--no-verbose` to a file command. */
export function addVerboseOptions(command: Command, what: string): void {
  command.option('-v, --verbose', what).option('--no-verbose', 'print only the results');
}

/** Whether to print the `command :path` lines: by default yes, for `quietByDefault` commands
 * (cat) only with `-v`. */
export function isVerbose(options: Record<string, unknown>, quietByDefault = false): boolean {
  return quietByDefault ? options.verbose === true : options.verbose !== false;
}

/** mpremote's `-f/--follow` and `--no-follow` of exec and run. */
export function addFollowOptions(command: Command, what: string): void {
  command
    .option('-f, --follow', `wait for ${what} to end, showing its output (the default)`)
    .option('--no-follow', `start ${what} and return at once; it keeps running`);
}

/** `--delete` / `--no-delete` / neither, as the syncer's rule: all extras, none, or only what
 * was deleted locally while the command runs. */
export function deleteRule(options: Record<string, unknown>): boolean | 'local' {
  return typeof options.delete === 'boolean' ? options.delete : 'local';
}

/** The options `sync`, `watch` and `dev` share: where DIR goes, what is left alone, `--mpy`.
 * `once`: the one-shot `sync`, which by default deletes nothing. */
export function syncOptions(command: Command, how: 'once' | 'watching' = 'watching'): Command {
  return command
    .option(
      '--to <:path>',
      'board folder to keep equal to DIR (relative: below the current one)',
      ':/',
    )
    .option(
      '--delete',
      how === 'once'
        ? 'remove board files under the folder that DIR does not have (never outside it)'
        : 'also remove board files under the folder that DIR does not have (default: only files deleted from DIR while this runs)',
    )
    .option(
      '--no-delete',
      how === 'once'
        ? 'remove nothing from the board (the default)'
        : 'remove nothing from the board, not even files deleted from DIR',
    )
    .option(
      '--ignore <glob>',
      'also leave paths matching GLOB alone (gitignore syntax; repeatable)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--mpy', 'send each .py but boot.py and main.py compiled, as .mpy (mpy-cross v6)');
}
